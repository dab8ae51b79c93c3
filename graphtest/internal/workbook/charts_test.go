package workbook

import (
	"bytes"
	"image/png"
	"testing"
)

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

func TestChartSourceBounds(t *testing.T) {
	b := New()
	sh := b.Sheets[0]
	sh.SetValue(CellKey(1, 1), "Qty")
	sh.SetValue(CellKey(2, 1), 3.0)
	// The whole grid, bounded: read within the used range only.
	c, e := b.AddChart(sh, "Line", Range{Sheet: sh, Addr: Addr{R1: 1, C1: 1, R2: MaxRows, C2: MaxCols}}, "Columns")
	if e != nil {
		t.Fatal(e)
	}
	if got := b.ChartSeries(c); len(got) != 1 || got[0].Name != "Qty" {
		t.Errorf("whole grid: %+v", got)
	}
	// 256 columns by columns is one series too many.
	_, e = b.AddChart(sh, "Line", Range{Sheet: sh, Addr: Addr{R1: 1, C1: 1, R2: 3, C2: 256}}, "Columns")
	if e == nil || e.Status != 400 {
		t.Errorf("256 series: %v", e)
	}
	if e := b.SetChartData(c, Range{Sheet: sh, Addr: Addr{R1: 1, C1: 1, R2: 3, C2: 255}}, "Columns"); e != nil {
		t.Errorf("255 series: %v", e)
	}
}

func TestChartImageSizes(t *testing.T) {
	c := &Chart{Width: 360, Height: 216} // 480 × 288 pixels
	for _, tc := range []struct {
		w, h int
		mode string
		want ImageSize
	}{
		{0, 0, "", ImageSize{480, 288, 480, 288}},
		{0, 144, "", ImageSize{240, 144, 240, 144}},
		{300, 300, "Fit", ImageSize{300, 180, 300, 180}},
		{300, 300, "fill", ImageSize{300, 300, 300, 300}},
		{300, 300, "FitAndCenter", ImageSize{300, 300, 300, 180}},
	} {
		got, e := ChartImageSize(c, tc.w, tc.h, tc.mode)
		if e != nil || got != tc.want {
			t.Errorf("%d×%d %s: %+v %v, want %+v", tc.w, tc.h, tc.mode, got, e, tc.want)
		}
	}
	for _, bad := range [][2]int{{-1, 0}, {0, MaxChartImage + 1}} {
		if _, e := ChartImageSize(c, bad[0], bad[1], ""); e == nil {
			t.Errorf("%v: no error", bad)
		}
	}
	if _, e := ChartImageSize(c, 10, 10, "Stretch"); e == nil {
		t.Error("an unknown fitting mode: no error")
	}
	// A very flat chart asked for by width alone would be taller than
	// allowed when very narrow: the limit holds for the computed side too.
	tall := &Chart{Width: 1, Height: 1000}
	if _, e := ChartImageSize(tall, 4096, 0, ""); e == nil {
		t.Error("a computed side past the limit: no error")
	}

	// FitAndCenter leaves the margins white: the chart is in the middle.
	b := New()
	sh := b.Sheets[0]
	sh.SetValue(CellKey(1, 1), 5.0)
	ch, _ := b.AddChart(sh, "ColumnClustered", Range{Sheet: sh, Addr: Addr{R1: 1, C1: 1, R2: 1, C2: 1}}, "")
	data, err := b.ChartImage(ch, ImageSize{300, 300, 300, 180})
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if r, g, bl, _ := img.At(150, 10).RGBA(); r != 0xffff || g != 0xffff || bl != 0xffff {
		t.Errorf("the top margin is not white at (150, 10)")
	}
	if r, g, bl, _ := img.At(75, 200).RGBA(); r == 0xffff && g == 0xffff && bl == 0xffff {
		t.Errorf("no bar drawn at the middle of the chart (75, 200)")
	}
}
