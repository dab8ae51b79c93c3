package excel_test

import (
	"bytes"
	"image/png"
	"testing"

	"github.com/go-o365/o365/excel"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sales writes a small table of quarters (rows) by region (columns).
func sales(t *testing.T, e *env, wb *excel.Workbook) *excel.Worksheet {
	t.Helper()
	_, err := e.rng(wb, "Sheet1!A1:C5").SetValues(e.ctx, [][]any{
		{"Quarter", "North", "South"}, {"Q1", 10, 40}, {"Q2", 20, 30}, {"Q3", 30, 20}, {"Q4", 40, 10}})
	require.NoError(t, err)
	sh, err := wb.Worksheet(e.ctx, "Sheet1")
	require.NoError(t, err)
	return sh
}

func seriesNames(t *testing.T, e *env, c *excel.Chart) []string {
	t.Helper()
	var names []string
	for _, s := range collect(t, c.Series(e.ctx)) {
		names = append(names, s.Name)
	}
	return names
}

func TestChartLifecycle(t *testing.T) {
	e := newEnv(t)
	wb, _ := e.open("Charts.xlsx")
	sh := sales(t, e, wb)

	c, err := sh.AddChart(e.ctx, excel.ColumnClustered, "A1:C5", "")
	require.NoError(t, err)
	assert.Equal(t, "Chart 1", c.Name)
	assert.NotEmpty(t, c.ID)
	assert.Equal(t, 360.0, c.Width)
	assert.Equal(t, 216.0, c.Height)
	assert.JSONEq(t, `{"type": "ColumnClustered", "sourceData": "A1:C5", "seriesBy": "Auto"}`,
		string(e.wire.LastBody(t, "/charts/add")))

	// Five rows by three columns: Auto makes series of the columns, named
	// by the header, the first column being the categories.
	assert.Equal(t, []string{"North", "South"}, seriesNames(t, e, c))

	listed := collect(t, sh.Charts(e.ctx))
	require.Len(t, listed, 1)
	assert.Equal(t, c.ID, listed[0].ID)

	// Rename and resize; the chart is then found by its new name.
	require.NoError(t, c.Update(e.ctx, excel.ChartUpdate{Name: excel.Ptr("Sales"), Width: excel.Ptr(480.0), Top: excel.Ptr(30.0)}))
	assert.Equal(t, "Sales", c.Name)
	assert.Equal(t, 480.0, c.Width)
	assert.Equal(t, 30.0, c.Top)
	got, err := sh.Chart(e.ctx, "Sales")
	require.NoError(t, err)
	assert.Equal(t, c.ID, got.ID)
	assert.Equal(t, 480.0, got.Width)

	// Series by rows: one series per quarter.
	require.NoError(t, c.SetData(e.ctx, "A1:C3", excel.SeriesRows))
	assert.Equal(t, []string{"Q1", "Q2"}, seriesNames(t, e, c))
	require.NoError(t, c.SetData(e.ctx, "Sheet1!B2:B5", excel.SeriesColumns))
	assert.Equal(t, []string{"Series1"}, seriesNames(t, e, c))

	// SetPosition covers B7 through E20: columns B..E are 4 × 48 points,
	// rows 7..20 are 14 × 15 points.
	require.NoError(t, c.SetPosition(e.ctx, "B7", "E20"))
	got, err = sh.Chart(e.ctx, "Sales")
	require.NoError(t, err)
	assert.Equal(t, []float64{48, 90, 192, 210}, []float64{got.Left, got.Top, got.Width, got.Height})

	title, err := c.SetTitle(e.ctx, "Sales by quarter")
	require.NoError(t, err)
	assert.Equal(t, "Sales by quarter", title.Text)
	title, err = c.Title(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, "Sales by quarter", title.Text)
	require.NotNil(t, title.Visible)
	assert.True(t, *title.Visible)

	legend, err := c.SetLegend(e.ctx, excel.ChartLegend{Position: "Bottom"})
	require.NoError(t, err)
	assert.Equal(t, "Bottom", legend.Position)

	require.NoError(t, c.Delete(e.ctx))
	assert.Empty(t, collect(t, sh.Charts(e.ctx)))
	_, err = sh.Chart(e.ctx, "Sales")
	assert.Error(t, err)
}

func TestChartImageIsAPNGOfTheSizeAsked(t *testing.T) {
	e := newEnv(t)
	wb, _ := e.open("Image.xlsx")
	sh := sales(t, e, wb)
	c, err := sh.AddChart(e.ctx, excel.Line, "A1:C5", excel.SeriesColumns)
	require.NoError(t, err)

	for _, tc := range []struct {
		w, h         int
		mode         excel.FittingMode
		wantW, wantH int
	}{
		{0, 0, "", 480, 288},                  // the chart's own 360 × 216 points at 96 dpi
		{240, 0, "", 240, 144},                // the height kept in proportion
		{300, 300, excel.ImageFit, 300, 180},  // fitted in the box
		{300, 300, excel.ImageFill, 300, 300}, // stretched to it
		{200, 100, excel.ImageFitAndCenter, 200, 100},
	} {
		data, err := c.Image(e.ctx, tc.w, tc.h, tc.mode)
		require.NoError(t, err)
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		require.NoError(t, err, "a PNG for %d×%d %s", tc.w, tc.h, tc.mode)
		assert.Equal(t, []int{tc.wantW, tc.wantH}, []int{cfg.Width, cfg.Height}, "%d×%d %s", tc.w, tc.h, tc.mode)
	}
	assert.Contains(t, e.wire.Since(0)[len(e.wire.Since(0))-1].URL, "image(width=200,height=100,fittingMode='FitAndCenter')")
}

func TestChartInputIsCheckedBeforeAnyRequest(t *testing.T) {
	e := newEnv(t)
	wb, _ := e.open("Bad.xlsx")
	sh := sales(t, e, wb)
	c, err := sh.AddChart(e.ctx, excel.Pie, "A1:B5", "")
	require.NoError(t, err)
	mark := e.wire.Mark()
	_, err = sh.AddChart(e.ctx, excel.Pie, "A1:B", "")
	assert.ErrorContains(t, err, `"A1:B"`)
	_, err = sh.AddChart(e.ctx, "", "A1:B5", "")
	assert.ErrorContains(t, err, "chart type is empty")
	_, err = sh.AddChart(e.ctx, excel.Pie, "A1:B5", "Diagonal")
	assert.ErrorContains(t, err, "seriesBy")
	assert.ErrorContains(t, c.SetData(e.ctx, "Sheet 1!A1", ""), "must be quoted")
	assert.ErrorContains(t, c.SetPosition(e.ctx, "ZZZZ1", ""), "beyond XFD")
	assert.ErrorContains(t, c.SetPosition(e.ctx, "A:B", ""), "whole rows or columns")
	assert.ErrorContains(t, c.SetPosition(e.ctx, "Other!A1", ""), `names worksheet "Other"`)
	assert.ErrorContains(t, c.Update(e.ctx, excel.ChartUpdate{Width: excel.Ptr(0.0)}), "width is 0 points")
	assert.ErrorContains(t, c.Update(e.ctx, excel.ChartUpdate{}), "nothing to change")
	_, err = c.Image(e.ctx, -1, 0, "")
	assert.ErrorContains(t, err, "negative")
	_, err = c.Image(e.ctx, 10, 10, "Stretch")
	assert.ErrorContains(t, err, "Stretch")
	var hand excel.Chart
	assert.ErrorContains(t, hand.Delete(e.ctx), "not fetched from a worksheet")
	assert.Empty(t, e.wire.Since(mark))

	// What only Graph can judge comes back as its error.
	_, err = sh.AddChart(e.ctx, "Sparkline", "A1:B5", "")
	assert.ErrorContains(t, err, "Sparkline")
}

func TestChartsBelongToTheSession(t *testing.T) {
	e := newEnv(t)
	wb, it := e.open("Temp.xlsx", excel.NonPersistent())
	sh := sales(t, e, wb)
	_, err := sh.AddChart(e.ctx, excel.BarClustered, "A1:C5", "")
	require.NoError(t, err)
	assert.Len(t, collect(t, sh.Charts(e.ctx)), 1)

	other, err := excel.Open(e.ctx, it, excel.WithoutSession())
	require.NoError(t, err)
	osh, err := other.Worksheet(e.ctx, "Sheet1")
	require.NoError(t, err)
	assert.Empty(t, collect(t, osh.Charts(e.ctx)), "a non-persistent session's chart is its own")
}

// scores is a table of names, teams and scores.
func scores(t *testing.T, e *env, wb *excel.Workbook) *excel.Table {
	t.Helper()
	_, err := e.rng(wb, "Sheet1!A1:C6").SetValues(e.ctx, [][]any{
		{"Name", "Team", "Score"}, {"Ann", "Red", 91}, {"Bob", "Blue", 78}, {"Cy", "Red", 66}, {"Di", "Green", 85}, {"Ed", "Blue", 95}})
	require.NoError(t, err)
	tbl, err := wb.AddTable(e.ctx, "Sheet1!A1:C6", true)
	require.NoError(t, err)
	return tbl
}

func names(v *excel.RangeView) []any {
	var out []any
	for _, row := range v.Values {
		out = append(out, row[0])
	}
	return out
}

func TestFilterHidesRowsFromTheVisibleView(t *testing.T) {
	e := newEnv(t)
	wb, _ := e.open("Filter.xlsx")
	tbl := scores(t, e, wb)

	v, err := tbl.VisibleView(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, []any{"Name", "Ann", "Bob", "Cy", "Di", "Ed"}, names(v))

	require.NoError(t, tbl.ApplyFilter(e.ctx, "Score", excel.FilterCriteria{FilterOn: "Custom", Criterion1: ">80"}))
	v, err = tbl.VisibleView(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, []any{"Name", "Ann", "Di", "Ed"}, names(v))
	assert.Equal(t, 4, v.RowCount)
	assert.Equal(t, 3, v.ColumnCount)
	assert.Equal(t, []string{"Sheet1!A5", "Sheet1!B5", "Sheet1!C5"}, v.CellAddresses[2])
	assert.Equal(t, []string{"Di", "Green", "85"}, v.Text[2])

	// A second column's filter narrows further.
	require.NoError(t, tbl.ApplyFilter(e.ctx, "Team", excel.FilterCriteria{FilterOn: "Values", Values: []any{"red", "Green"}}))
	v, err = tbl.VisibleView(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, []any{"Name", "Ann", "Di"}, names(v))

	// A range over part of the sheet sees the same rows hidden.
	rv, err := e.rng(wb, "Sheet1!A3:B6").VisibleView(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, []any{"Di"}, names(rv))
	rows := collect(t, e.rng(wb, "Sheet1!A1:A6").VisibleRows(e.ctx))
	require.Len(t, rows, 3)
	assert.Equal(t, 2, rows[2].Index)
	assert.Equal(t, [][]any{{"Di"}}, rows[2].Values)

	// A hidden row reads as hidden.
	hidden, err := e.rng(wb, "Sheet1!A3:C4").Get(e.ctx)
	require.NoError(t, err)
	assert.True(t, hidden.RowHidden)

	require.NoError(t, tbl.ClearFilter(e.ctx, "Team"))
	require.NoError(t, tbl.ClearFilter(e.ctx, "Score"))
	v, err = tbl.VisibleView(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, []any{"Name", "Ann", "Bob", "Cy", "Di", "Ed"}, names(v))
}

func TestFilterCriteriaKinds(t *testing.T) {
	e := newEnv(t)
	wb, _ := e.open("Kinds.xlsx")
	tbl := scores(t, e, wb)
	for _, tc := range []struct {
		column string
		crit   excel.FilterCriteria
		want   []any
	}{
		{"Score", excel.FilterCriteria{FilterOn: "TopItems", Criterion1: "2"}, []any{"Name", "Ann", "Ed"}},
		{"Score", excel.FilterCriteria{FilterOn: "BottomItems", Criterion1: "1"}, []any{"Name", "Cy"}},
		{"Score", excel.FilterCriteria{FilterOn: "TopPercent", Criterion1: "40"}, []any{"Name", "Ann", "Ed"}},
		{"Score", excel.FilterCriteria{FilterOn: "Custom", Criterion1: "<70", Criterion2: ">90", Operator: "Or"}, []any{"Name", "Ann", "Cy", "Ed"}},
		{"Score", excel.FilterCriteria{FilterOn: "Custom", Criterion1: ">=78", Criterion2: "<=85", Operator: "And"}, []any{"Name", "Bob", "Di"}},
		{"Score", excel.FilterCriteria{FilterOn: "Dynamic", DynamicCriteria: "AboveAverage"}, []any{"Name", "Ann", "Di", "Ed"}},
		{"Name", excel.FilterCriteria{FilterOn: "Custom", Criterion1: "=?d*"}, []any{"Name", "Ed"}},
		{"Team", excel.FilterCriteria{FilterOn: "Custom", Criterion1: "<>Blue"}, []any{"Name", "Ann", "Cy", "Di"}},
		{"Score", excel.FilterCriteria{FilterOn: "Values", Values: []any{95, "66"}}, []any{"Name", "Cy", "Ed"}},
	} {
		require.NoError(t, tbl.ApplyFilter(e.ctx, tc.column, tc.crit))
		v, err := tbl.VisibleView(e.ctx)
		require.NoError(t, err)
		assert.Equal(t, tc.want, names(v), "%+v", tc.crit)
		require.NoError(t, tbl.ClearFilter(e.ctx, tc.column))
	}
	// Colours: fill the cells of Bob and Di.
	for _, a := range []string{"Sheet1!A3", "Sheet1!A5"} {
		_, err := e.rng(wb, a).SetFill(e.ctx, "#FFFF00")
		require.NoError(t, err)
	}
	require.NoError(t, tbl.ApplyFilter(e.ctx, "Name", excel.FilterCriteria{FilterOn: "CellColor", Color: "#ffff00"}))
	v, err := tbl.VisibleView(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, []any{"Name", "Bob", "Di"}, names(v))

	// A filter the emulator cannot judge is refused, not ignored.
	err = tbl.ApplyFilter(e.ctx, "Score", excel.FilterCriteria{FilterOn: "Custom"})
	assert.ErrorContains(t, err, "criterion1")
}

func TestFilterFollowsRowsAddedLater(t *testing.T) {
	e := newEnv(t)
	wb, _ := e.open("Later.xlsx")
	tbl := scores(t, e, wb)
	require.NoError(t, tbl.ApplyFilter(e.ctx, "Team", excel.FilterCriteria{FilterOn: "Values", Values: []any{"Blue"}}))
	_, err := tbl.AddRows(e.ctx, [][]any{{"Fay", "Blue", 50}, {"Gus", "Red", 60}})
	require.NoError(t, err)
	v, err := tbl.VisibleView(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, []any{"Name", "Bob", "Ed", "Fay"}, names(v))
}
