package workbook

import "testing"

func TestWildMatch(t *testing.T) {
	for _, c := range []struct {
		p, s string
		want bool
	}{
		{"a*", "apple", true}, {"a*", "banana", false}, {"?d", "ed", true}, {"?d", "eddy", false},
		{"*an*", "banana", true}, {"~*", "*", true}, {"~*", "x", false}, {"", "", true}, {"*", "", true},
	} {
		if got := wildMatch(c.p, c.s); got != c.want {
			t.Errorf("wildMatch(%q, %q) = %v", c.p, c.s, got)
		}
	}
}

func TestCustomMatch(t *testing.T) {
	for _, c := range []struct {
		v    any
		crit string
		want bool
	}{
		{50.0, ">40", true}, {50.0, "<=50", true}, {50.0, "<>50", false}, {"x", ">40", false},
		{"x", "<>40", true}, {"Blue", "=blue", true}, {"Blue", "<>Bl*", false}, {nil, "=", true},
		{"pear", ">fig", true}, {"fig", ">=pear", false}, {12.0, "12", true},
	} {
		if got := customMatch(c.v, c.crit); got != c.want {
			t.Errorf("customMatch(%v, %q) = %v", c.v, c.crit, got)
		}
	}
}

func TestChartSeriesFromTheSource(t *testing.T) {
	b := New()
	sh := b.Sheets[0]
	grid := [][]any{{"", "North", "South", "East"}, {"Q1", 1.0, 2.0, 3.0}, {"Q2", 4.0, 5.0, 6.0}}
	for i, row := range grid {
		for j, v := range row {
			sh.SetValue(CellKey(i+1, j+1), v)
		}
	}
	src := Range{Sheet: sh, Addr: Addr{R1: 1, C1: 1, R2: 3, C2: 4}}
	names := func(c *Chart) []string {
		var out []string
		for _, s := range b.ChartSeries(c) {
			out = append(out, s.Name)
		}
		return out
	}
	c, e := b.AddChart(sh, "columnclustered", src, "")
	if e != nil {
		t.Fatal(e)
	}
	// Three rows, four columns: Auto reads series from the rows.
	if got := names(c); len(got) != 2 || got[0] != "Q1" || got[1] != "Q2" {
		t.Errorf("auto: %v", got)
	}
	if c.Type != "ColumnClustered" || c.Title != "Chart Title" {
		t.Errorf("type %q title %q", c.Type, c.Title)
	}
	if e := b.SetChartData(c, src, "Columns"); e != nil {
		t.Fatal(e)
	}
	got := b.ChartSeries(c)
	if len(got) != 3 || got[2].Name != "East" || got[2].Values[1] != 6.0 {
		t.Errorf("by columns: %+v", got)
	}
	// Whole columns are cut to the used range.
	if e := b.SetChartData(c, Range{Sheet: sh, Addr: Addr{R1: 1, C1: 2, R2: MaxRows, C2: 2, wholeCols: true}}, "Columns"); e != nil {
		t.Fatal(e)
	}
	if got := b.ChartSeries(c); len(got) != 1 || got[0].Name != "North" || len(got[0].Values) != 2 {
		t.Errorf("whole column: %+v", got)
	}
	// A clone's charts are its own.
	cp := b.Clone()
	cp.Sheets[0].Charts[0].Name = "Other"
	if c.Name == "Other" {
		t.Error("Clone shares charts")
	}
}
