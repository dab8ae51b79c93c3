package workbook

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"strconv"
	"strings"
)

// Chart is a chart of a worksheet: its type, the range it plots (kept by
// sheet id so that a rename does not lose it) and its place in points.
type Chart struct {
	ID, Name, Type string
	SeriesBy       string // Auto, Columns or Rows, as last set
	SourceSheetID  string
	Source         Addr
	Top, Left      float64
	Width, Height  float64
	Title          string
	TitleVisible   bool
	TitleOverlay   bool
	LegendVisible  bool
	LegendOverlay  bool
	LegendPosition string
}

// A new chart's size in points, Excel's default (5 by 3 inches).
const (
	DefaultChartWidth  = 360
	DefaultChartHeight = 216
)

// MaxChartImage bounds each side of a chart image in pixels, so that a
// test asking for a huge image gets an error rather than the memory.
const MaxChartImage = 4096

// chartTypes is Excel's ChartType list (Office.js Excel.ChartType), the
// values Graph's charts/add takes.
var chartTypes = strings.Fields(`ColumnClustered ColumnStacked ColumnStacked100 3DColumnClustered
	3DColumnStacked 3DColumnStacked100 BarClustered BarStacked BarStacked100 3DBarClustered
	3DBarStacked 3DBarStacked100 LineStacked LineStacked100 LineMarkers LineMarkersStacked
	LineMarkersStacked100 PieOfPie PieExploded 3DPieExploded BarOfPie XYScatterSmooth
	XYScatterSmoothNoMarkers XYScatterLines XYScatterLinesNoMarkers AreaStacked AreaStacked100
	3DAreaStacked 3DAreaStacked100 DoughnutExploded RadarMarkers RadarFilled Surface
	SurfaceWireframe SurfaceTopView SurfaceTopViewWireframe Bubble Bubble3DEffect StockHLC
	StockOHLC StockVHLC StockVOHLC CylinderColClustered CylinderColStacked CylinderColStacked100
	CylinderBarClustered CylinderBarStacked CylinderBarStacked100 CylinderCol ConeColClustered
	ConeColStacked ConeColStacked100 ConeBarClustered ConeBarStacked ConeBarStacked100 ConeCol
	PyramidColClustered PyramidColStacked PyramidColStacked100 PyramidBarClustered
	PyramidBarStacked PyramidBarStacked100 PyramidCol 3DColumn Line 3DLine 3DPie Pie XYScatter
	3DArea Area Doughnut Radar Histogram Boxwhisker Pareto RegionMap Treemap Waterfall Sunburst Funnel`)

// ChartType is the type as Excel spells it, found ignoring case; ok is
// false for a type Excel does not have.
func ChartType(s string) (string, bool) {
	for _, t := range chartTypes {
		if strings.EqualFold(t, s) {
			return t, true
		}
	}
	return "", false
}

// checkSeriesBy spells seriesBy as Graph does; empty is Auto.
func checkSeriesBy(s string) (string, *Error) {
	switch strings.ToLower(s) {
	case "", "auto":
		return "Auto", nil
	case "columns":
		return "Columns", nil
	case "rows":
		return "Rows", nil
	}
	return "", Invalid("seriesBy must be Auto, Columns or Rows.")
}

// Chart finds a chart of the sheet by name (ignoring case) or id.
func (sh *Sheet) Chart(key string) *Chart {
	for _, c := range sh.Charts {
		if c.ID == key || strings.EqualFold(c.Name, key) {
			return c
		}
	}
	return nil
}

// AddChart adds a chart of src to sh, named "Chart N", placed right of
// its data at Excel's default size. A single-series chart is titled with
// the series' name, as Excel does; several series get "Chart Title".
func (b *Book) AddChart(sh *Sheet, typ string, src Range, seriesBy string) (*Chart, *Error) {
	t, ok := ChartType(typ)
	if !ok {
		return nil, Invalid("The chart type " + strconv.Quote(typ) + " is not one Excel has.")
	}
	by, e := checkSeriesBy(seriesBy)
	if e != nil {
		return nil, e
	}
	if e := b.checkSource(src, by); e != nil {
		return nil, e
	}
	b.nextChart++
	c := &Chart{ID: fmt.Sprintf("{%08X-6A42-4C1E-9D3B-%012X}", b.nextChart, b.nextChart), Type: t,
		Width: DefaultChartWidth, Height: DefaultChartHeight, LegendVisible: true, LegendPosition: "Right"}
	for n := b.nextChart; ; n++ {
		if c.Name = "Chart " + strconv.Itoa(n); sh.Chart(c.Name) == nil {
			break
		}
	}
	c.setData(src, by)
	a := b.clip(src)
	c.Left, c.Top = sh.cellLeft(a.C2+2), sh.cellTop(a.R1)
	switch s := b.ChartSeries(c); len(s) {
	case 1:
		c.Title, c.TitleVisible = s[0].Name, true
	default:
		c.Title, c.TitleVisible = "Chart Title", true
	}
	sh.Charts = append(sh.Charts, c)
	return c, nil
}

// SetChartData points the chart at another range (setData).
func (b *Book) SetChartData(c *Chart, src Range, seriesBy string) *Error {
	by, e := checkSeriesBy(seriesBy)
	if e != nil {
		return e
	}
	if e := b.checkSource(src, by); e != nil {
		return e
	}
	c.setData(src, by)
	return nil
}

func (c *Chart) setData(src Range, by string) {
	c.SourceSheetID, c.Source, c.SeriesBy = src.Sheet.ID, src.Addr, by
}

// checkSource refuses a source of more series than a chart may have.
func (b *Book) checkSource(src Range, by string) *Error {
	if n := len(b.ChartSeries(&Chart{SourceSheetID: src.Sheet.ID, Source: src.Addr, SeriesBy: by})); n > MaxChartSeries {
		return Invalid(fmt.Sprintf("The source data makes %d series; a chart has at most %d.", n, MaxChartSeries))
	}
	return nil
}

// Bounds of a chart's source, Excel's: at most 255 series. A source of
// more than maxChartCells cells is read within the used range only, so
// that a test naming the whole grid costs what its used cells cost.
const (
	MaxChartSeries = 255
	maxChartCells  = 1 << 20
)

// clip cuts a whole-column or whole-row range, or a huge one, to the
// sheet's used range.
func (b *Book) clip(rg Range) Addr {
	a := rg.Addr
	if !a.Unbounded() && a.rows()*a.cols() <= maxChartCells {
		return a
	}
	u := b.UsedRange(rg.Sheet, true).Addr
	return Addr{R1: max(a.R1, u.R1), C1: max(a.C1, u.C1), R2: min(a.R2, u.R2), C2: min(a.C2, u.C2)}
}

// cellLeft is the distance in points from the sheet's left edge to
// column col; cellTop from its top edge to row.
func (sh *Sheet) cellLeft(col int) float64 {
	x := 0.0
	for c := 1; c < col; c++ {
		x += cmpOrFloat(sh.colWidth[c], 48)
	}
	return x
}

func (sh *Sheet) cellTop(row int) float64 {
	y := 0.0
	for r := 1; r < row && r <= MaxRows; r++ {
		y += cmpOrFloat(sh.rowHeight[r], 15)
	}
	return y
}

// SetChartPosition moves the chart's top-left corner to start's, and
// with end (not nil) sizes it to cover through end's bottom-right cell.
func SetChartPosition(sh *Sheet, c *Chart, start Addr, end *Addr) *Error {
	if start.Unbounded() || (end != nil && end.Unbounded()) {
		return Invalid("startCell and endCell must be cells, not whole rows or columns.")
	}
	c.Left, c.Top = sh.cellLeft(start.C1), sh.cellTop(start.R1)
	if end != nil {
		if end.C2 < start.C1 || end.R2 < start.R1 {
			return Invalid("endCell must be below and right of startCell.")
		}
		c.Width = sh.cellLeft(end.C2+1) - c.Left
		c.Height = sh.cellTop(end.R2+1) - c.Top
	}
	return nil
}

// ChartJSON is a chart as Graph shows it (workbookChart).
func ChartJSON(c *Chart) map[string]any {
	return map[string]any{"id": c.ID, "name": c.Name, "height": c.Height, "width": c.Width, "top": c.Top, "left": c.Left}
}

// TitleJSON is a chart's workbookChartTitle.
func TitleJSON(c *Chart) map[string]any {
	return map[string]any{"text": c.Title, "visible": c.TitleVisible, "overlay": c.TitleOverlay}
}

// LegendJSON is a chart's workbookChartLegend.
func LegendJSON(c *Chart) map[string]any {
	return map[string]any{"visible": c.LegendVisible, "position": c.LegendPosition, "overlay": c.LegendOverlay}
}

// UpdateChart applies a PATCH of the chart: name, top, left, width and
// height, all checked before any is set.
func UpdateChart(sh *Sheet, c *Chart, body map[string]any) *Error {
	nums := map[string]*float64{"top": &c.Top, "left": &c.Left, "width": &c.Width, "height": &c.Height}
	set := map[string]float64{}
	for k, v := range body {
		if k == "name" {
			continue
		}
		if _, known := nums[k]; !known {
			if strings.HasPrefix(k, "@") {
				continue
			}
			return Invalid("The chart has no property " + strconv.Quote(k) + " to update.")
		}
		sv, _ := Scalar(v)
		f, ok := sv.(float64)
		if !ok || f < 0 || math.IsInf(f, 0) || ((k == "width" || k == "height") && f == 0) {
			return Invalid("The chart's " + k + " must be a number of points, positive for width and height.")
		}
		set[k] = f
	}
	name, hasName := body["name"]
	if hasName {
		s, ok := name.(string)
		if !ok || strings.TrimSpace(s) == "" {
			return Invalid("The chart's name must be a non-empty string.")
		}
		if o := sh.Chart(s); o != nil && o != c {
			return Exists()
		}
		c.Name = s
	}
	for k, f := range set {
		*nums[k] = f
	}
	return nil
}

// UpdateTitle applies a PATCH of the title: text, visible, overlay.
func UpdateTitle(c *Chart, body map[string]any) *Error {
	if v, ok := body["text"]; ok {
		s, isStr := v.(string)
		if !isStr {
			return Invalid("The title's text must be a string.")
		}
		c.Title = s
	}
	for k, dst := range map[string]*bool{"visible": &c.TitleVisible, "overlay": &c.TitleOverlay} {
		if v, ok := body[k]; ok {
			f, isBool := v.(bool)
			if !isBool {
				return Invalid("The title's " + k + " must be true or false.")
			}
			*dst = f
		}
	}
	return nil
}

// UpdateLegend applies a PATCH of the legend: visible, overlay, position.
func UpdateLegend(c *Chart, body map[string]any) *Error {
	if v, ok := body["position"]; ok {
		s, _ := v.(string)
		switch strings.ToLower(s) {
		case "top", "bottom", "left", "right", "corner", "custom":
			c.LegendPosition = strings.ToUpper(s[:1]) + strings.ToLower(s[1:])
		default:
			return Invalid("The legend's position must be Top, Bottom, Left, Right, Corner or Custom.")
		}
	}
	for k, dst := range map[string]*bool{"visible": &c.LegendVisible, "overlay": &c.LegendOverlay} {
		if v, ok := body[k]; ok {
			f, isBool := v.(bool)
			if !isBool {
				return Invalid("The legend's " + k + " must be true or false.")
			}
			*dst = f
		}
	}
	return nil
}

// Series is one data series of a chart: its name and values.
type Series struct {
	Name   string
	Values []any
}

// ChartSeries derives the series from the chart's range as Excel does:
// by columns when seriesBy says so, or for Auto when the range has at
// least as many rows as columns; by rows otherwise. A first row (for
// columns) holding text names the series, and a first column holding
// text is the categories; otherwise series are named Series1, Series2, ….
func (b *Book) ChartSeries(c *Chart) []Series {
	sh := b.SheetByID(c.SourceSheetID)
	if sh == nil {
		return nil
	}
	a := b.clip(Range{Sheet: sh, Addr: c.Source})
	if a.R1 > a.R2 || a.C1 > a.C2 {
		return nil
	}
	g := b.ValuesGrid(sh, a)
	byCols := c.SeriesBy == "Columns" || (c.SeriesBy != "Rows" && a.rows() >= a.cols())
	if !byCols {
		// Transpose, so that series are columns below.
		t := make([][]any, a.cols())
		for j := range t {
			t[j] = make([]any, a.rows())
			for i := range g {
				t[j][i] = g[i][j]
			}
		}
		g = t
	}
	rows, cols := len(g), len(g[0])
	text := func(v any) bool {
		s, ok := v.(string)
		return ok && s != ""
	}
	header := false
	if rows > 1 {
		for j := min(1, cols-1); j < cols; j++ {
			header = header || text(g[0][j])
		}
	}
	labels := false
	if cols > 1 {
		for i := min(1, rows-1); i < rows; i++ {
			labels = labels || text(g[i][0])
		}
	}
	first, top := 0, 0
	if labels {
		first = 1
	}
	if header {
		top = 1
	}
	var out []Series
	for j := first; j < cols; j++ {
		s := Series{Name: "Series" + strconv.Itoa(j-first+1)}
		if header {
			s.Name = CellText(g[0][j], "")
		}
		for i := top; i < rows; i++ {
			s.Values = append(s.Values, g[i][j])
		}
		out = append(out, s)
	}
	return out
}

// ImageSize is the pixels of a chart image: the picture's size, and the
// size of the chart drawn in its middle (smaller only for FitAndCenter).
type ImageSize struct{ W, H, ChartW, ChartH int }

// ChartImageSize is the size of the chart's image: the chart's own size
// (96 pixels an inch) when neither side is given, the other side kept in
// proportion when one is, and with both the box itself (Fill stretching
// the chart to it, FitAndCenter centring the largest chart in proportion
// that fits) or that largest chart alone (Fit, the default).
func ChartImageSize(c *Chart, w, h int, mode string) (ImageSize, *Error) {
	if w < 0 || h < 0 || w > MaxChartImage || h > MaxChartImage {
		return ImageSize{}, Invalid(fmt.Sprintf("width and height must be 0 to %d pixels.", MaxChartImage))
	}
	cw, ch := max(1, int(math.Round(c.Width*4/3))), max(1, int(math.Round(c.Height*4/3)))
	mode = strings.ToLower(mode)
	switch mode {
	case "", "fit", "fitandcenter", "fill":
	default:
		return ImageSize{}, Invalid("fittingMode must be Fit, FitAndCenter or Fill.")
	}
	var sz ImageSize
	switch {
	case w == 0 && h == 0:
		sz = ImageSize{cw, ch, cw, ch}
	case h == 0:
		h = max(1, w*ch/cw)
		sz = ImageSize{w, h, w, h}
	case w == 0:
		w = max(1, h*cw/ch)
		sz = ImageSize{w, h, w, h}
	case mode == "fill":
		sz = ImageSize{w, h, w, h}
	default:
		fw, fh := w, h
		if w*ch > h*cw {
			fw = max(1, h*cw/ch)
		} else {
			fh = max(1, w*ch/cw)
		}
		sz = ImageSize{fw, fh, fw, fh}
		if mode == "fitandcenter" {
			sz.W, sz.H = w, h
		}
	}
	if sz.W > MaxChartImage || sz.H > MaxChartImage {
		return ImageSize{}, Invalid(fmt.Sprintf("The image would be larger than %d pixels a side.", MaxChartImage))
	}
	return sz, nil
}

// ChartImage renders the chart as a PNG of sz: a white ground with, in
// the chart's place, a column per value of each series in a colour per
// series. Tests need a real, decodable image of the right size, not a
// faithful drawing.
func (b *Book) ChartImage(c *Chart, sz ImageSize) ([]byte, error) {
	pal := color.Palette{color.White, color.Gray{0x40}, color.RGBA{0x44, 0x72, 0xC4, 0xFF},
		color.RGBA{0xED, 0x7D, 0x31, 0xFF}, color.RGBA{0xA5, 0xA5, 0xA5, 0xFF}, color.RGBA{0xFF, 0xC0, 0x00, 0xFF}}
	img := image.NewPaletted(image.Rect(0, 0, sz.W, sz.H), pal)
	x0, y0 := (sz.W-sz.ChartW)/2, (sz.H-sz.ChartH)/2
	w, h := sz.ChartW, sz.ChartH
	series := b.ChartSeries(c)
	maxV, n := 0.0, 0
	for _, s := range series {
		n = max(n, len(s.Values))
		for _, v := range s.Values {
			if f, ok := v.(float64); ok {
				maxV = max(maxV, f)
			}
		}
	}
	base := h - 1 - h/10
	for x := 0; x < w; x++ {
		img.SetColorIndex(x0+x, y0+base, 1)
	}
	if maxV > 0 && n > 0 {
		slot := float64(w) / float64(n*(len(series)+1))
		for i := 0; i < n; i++ {
			for k, s := range series {
				if i >= len(s.Values) {
					continue
				}
				f, _ := s.Values[i].(float64)
				left := int(float64(i*(len(series)+1)+k) * slot)
				right := max(left+1, int(float64(i*(len(series)+1)+k+1)*slot))
				top := base - int(float64(base)*0.9*max(f, 0)/maxV)
				for y := top; y < base; y++ {
					for x := left; x < right && x < w; x++ {
						img.SetColorIndex(x0+x, y0+y, uint8(2+k%4))
					}
				}
			}
		}
	}
	var out bytes.Buffer
	if err := png.Encode(&out, img); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
