package excel

import (
	"cmp"
	"context"
	"encoding/base64"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// ChartType is the kind of a chart, as Graph's charts/add takes it. The
// constants are the common ones; Excel knows many more (its ChartType
// list: 3-D, cone, pyramid, stock, surface, …), which may be given as
// ChartType("StockHLC").
type ChartType string

// Common chart types.
const (
	ColumnClustered  ChartType = "ColumnClustered"
	ColumnStacked    ChartType = "ColumnStacked"
	ColumnStacked100 ChartType = "ColumnStacked100"
	BarClustered     ChartType = "BarClustered"
	BarStacked       ChartType = "BarStacked"
	BarStacked100    ChartType = "BarStacked100"
	Line             ChartType = "Line"
	LineStacked      ChartType = "LineStacked"
	LineMarkers      ChartType = "LineMarkers"
	Pie              ChartType = "Pie"
	PieExploded      ChartType = "PieExploded"
	Doughnut         ChartType = "Doughnut"
	Area             ChartType = "Area"
	AreaStacked      ChartType = "AreaStacked"
	XYScatter        ChartType = "XYScatter"
	XYScatterLines   ChartType = "XYScatterLines"
	XYScatterSmooth  ChartType = "XYScatterSmooth"
	Radar            ChartType = "Radar"
	Bubble           ChartType = "Bubble"
	Histogram        ChartType = "Histogram"
	Waterfall        ChartType = "Waterfall"
	Treemap          ChartType = "Treemap"
	Sunburst         ChartType = "Sunburst"
	Funnel           ChartType = "Funnel"
	BoxWhisker       ChartType = "Boxwhisker"
	Pareto           ChartType = "Pareto"
)

// SeriesBy says whether a chart's series are the columns or the rows of
// its source range; Auto (or "") lets Excel choose, which makes columns
// of a range at least as tall as it is wide.
type SeriesBy string

// Ways of reading series from the source range.
const (
	SeriesAuto    SeriesBy = "Auto"
	SeriesColumns SeriesBy = "Columns"
	SeriesRows    SeriesBy = "Rows"
)

// FittingMode says how Chart.Image scales a chart into a width and a
// height given together.
type FittingMode string

// Fitting modes of Chart.Image.
const (
	ImageFit          FittingMode = "Fit"          // keep the proportions, fit inside the box
	ImageFitAndCenter FittingMode = "FitAndCenter" // keep the proportions, centred in an image of the box's size
	ImageFill         FittingMode = "Fill"         // stretch to the box
)

// Chart is a chart of a worksheet (workbookChart). Sizes and places are
// in points: Left and Top from the worksheet's top-left corner.
type Chart struct {
	ID     string  `json:"id,omitempty"`
	Name   string  `json:"name,omitempty"`
	Height float64 `json:"height,omitempty"`
	Width  float64 `json:"width,omitempty"`
	Left   float64 `json:"left"`
	Top    float64 `json:"top"`

	wb    *Workbook
	sheet *Worksheet
}

// ChartUpdate is what Chart.Update changes: the fields that are set.
type ChartUpdate struct {
	Name   *string  `json:"name,omitempty"`
	Height *float64 `json:"height,omitempty"`
	Width  *float64 `json:"width,omitempty"`
	Left   *float64 `json:"left,omitempty"`
	Top    *float64 `json:"top,omitempty"`
}

// ChartSeries is a data series of a chart (workbookChartSeries).
type ChartSeries struct {
	Name string `json:"name,omitempty"`
}

// ChartTitle is a chart's title (workbookChartTitle). In an update,
// Visible and Overlay are left alone when nil.
type ChartTitle struct {
	Text    string `json:"text"`
	Visible *bool  `json:"visible,omitempty"`
	Overlay *bool  `json:"overlay,omitempty"`
}

// ChartLegend is a chart's legend (workbookChartLegend). In an update,
// unset fields are left alone.
type ChartLegend struct {
	Position string `json:"position,omitempty"` // Top, Bottom, Left, Right, Corner, Custom
	Visible  *bool  `json:"visible,omitempty"`
	Overlay  *bool  `json:"overlay,omitempty"`
}

// chartImage is the answer of chart image: the picture in base64.
type chartImage struct {
	Value string `json:"value"`
}

// Charts lists the worksheet's charts.
func (s *Worksheet) Charts(ctx context.Context) iter.Seq2[*Chart, error] {
	if err := s.ready("Charts"); err != nil {
		return failed[Chart](err)
	}
	return list(ctx, s.wb, s.path()+"/charts", func(c *Chart) { c.wb, c.sheet = s.wb, s })
}

// Chart fetches a chart of the worksheet by name ("Chart 1") or id.
func (s *Worksheet) Chart(ctx context.Context, nameOrID string) (*Chart, error) {
	if err := s.ready("Chart"); err != nil {
		return nil, err
	}
	if nameOrID == "" {
		return nil, fmt.Errorf("o365: excel: Chart: the name is empty")
	}
	return s.chartCall(ctx, http.MethodGet, s.path()+"/charts/"+pathSeg(nameOrID), nil)
}

func (s *Worksheet) chartCall(ctx context.Context, method, path string, body any) (*Chart, error) {
	c, err := call[Chart](ctx, s.wb, method, path, nil, body)
	if err != nil {
		return nil, err
	}
	c.wb, c.sheet = s.wb, s
	return c, nil
}

// sourceData checks a chart's source address: a range of this worksheet
// ("A1:C4") or of another one it names ("Data!A1:C4"), written back in
// the form Graph reads.
func (s *Worksheet) sourceData(op, address string) (string, error) {
	a, err := ParseAddress(address)
	if err != nil {
		return "", fmt.Errorf("o365: excel: %s: source data: %s", op, inner(err))
	}
	return a.String(), nil
}

// inner is an input error's message without its package prefix, to be
// told inside another one; such errors wrap nothing to match.
func inner(err error) string { return strings.TrimPrefix(err.Error(), "o365: excel: ") }

func checkSeriesBy(op string, by SeriesBy) error {
	switch by {
	case "", SeriesAuto, SeriesColumns, SeriesRows:
		return nil
	}
	return fmt.Errorf("o365: excel: %s: seriesBy is %q; want Auto, Columns or Rows", op, by)
}

// AddChart adds a chart of type typ plotting sourceData, a range address
// of this worksheet ("A1:C4") or of another worksheet it names
// ("Data!A1:C4"); seriesBy says whether series are its columns or rows
// ("" for Auto). A malformed address is an error before any request.
func (s *Worksheet) AddChart(ctx context.Context, typ ChartType, sourceData string, seriesBy SeriesBy) (*Chart, error) {
	if err := s.ready("AddChart"); err != nil {
		return nil, err
	}
	if strings.TrimSpace(string(typ)) == "" {
		return nil, fmt.Errorf("o365: excel: AddChart: the chart type is empty")
	}
	src, err := s.sourceData("AddChart", sourceData)
	if err != nil {
		return nil, err
	}
	if err := checkSeriesBy("AddChart", seriesBy); err != nil {
		return nil, err
	}
	body := map[string]string{"type": string(typ), "sourceData": src, "seriesBy": string(cmp.Or(seriesBy, SeriesAuto))}
	return s.chartCall(ctx, http.MethodPost, s.path()+"/charts/add", body)
}

func (c *Chart) ready(op string) error {
	if c == nil || c.wb == nil || c.sheet == nil {
		return fmt.Errorf("o365: excel: %s: the Chart was not fetched from a worksheet", op)
	}
	if c.Name == "" && c.ID == "" {
		return fmt.Errorf("o365: excel: %s: the Chart has no name", op)
	}
	return nil
}

// path addresses the chart by name, as Graph's pages do, or by id when
// the name is unknown.
func (c *Chart) path() string {
	return c.sheet.path() + "/charts/" + pathSeg(cmp.Or(c.Name, c.ID))
}

// Update changes the fields set in u (name, place, size) and takes the
// chart as Graph answers it. A negative place or a size that is not
// positive is an error before any request.
func (c *Chart) Update(ctx context.Context, u ChartUpdate) error {
	if err := c.ready("Update"); err != nil {
		return err
	}
	if u == (ChartUpdate{}) {
		return fmt.Errorf("o365: excel: Update chart %q: nothing to change", c.Name)
	}
	if u.Name != nil && strings.TrimSpace(*u.Name) == "" {
		return fmt.Errorf("o365: excel: Update chart %q: the new name is empty", c.Name)
	}
	for _, f := range []struct {
		name string
		v    *float64
	}{{"height", u.Height}, {"width", u.Width}, {"left", u.Left}, {"top", u.Top}} {
		if f.v == nil {
			continue
		}
		size := f.name == "height" || f.name == "width"
		if *f.v < 0 || size && *f.v == 0 {
			return fmt.Errorf("o365: excel: Update chart %q: %s is %v points; a place must be 0 or more, a size more than 0", c.Name, f.name, *f.v)
		}
	}
	got, err := call[Chart](ctx, c.wb, http.MethodPatch, c.path(), nil, u)
	if err != nil {
		return err
	}
	c.ID, c.Name, c.Height, c.Width, c.Left, c.Top = cmp.Or(got.ID, c.ID), cmp.Or(got.Name, c.Name), got.Height, got.Width, got.Left, got.Top
	return nil
}

// Delete deletes the chart.
func (c *Chart) Delete(ctx context.Context) error {
	if err := c.ready("Delete"); err != nil {
		return err
	}
	return c.wb.do(ctx, http.MethodDelete, c.path(), nil, nil, nil)
}

// SetData points the chart at another range (an address as AddChart
// takes it); the series are read from it again.
func (c *Chart) SetData(ctx context.Context, sourceData string, seriesBy SeriesBy) error {
	if err := c.ready("SetData"); err != nil {
		return err
	}
	src, err := c.sheet.sourceData("SetData", sourceData)
	if err != nil {
		return err
	}
	if err := checkSeriesBy("SetData", seriesBy); err != nil {
		return err
	}
	body := map[string]string{"sourceData": src, "seriesBy": string(cmp.Or(seriesBy, SeriesAuto))}
	return c.wb.do(ctx, http.MethodPost, c.path()+"/setData", nil, body, nil)
}

// SetPosition moves the chart's top-left corner to the cell startCell
// ("D2") and, unless endCell is "", sizes it to cover through endCell.
// Both are cells of the chart's worksheet, checked before any request.
// Graph answers nothing, so the chart's Left, Top, Width and Height are
// as they were until it is fetched again.
func (c *Chart) SetPosition(ctx context.Context, startCell, endCell string) error {
	if err := c.ready("SetPosition"); err != nil {
		return err
	}
	body := map[string]string{}
	for _, p := range []struct{ key, addr string }{{"startCell", startCell}, {"endCell", endCell}} {
		if p.addr == "" && p.key == "endCell" {
			continue
		}
		r, err := c.sheet.Range(p.addr)
		if err != nil {
			return fmt.Errorf("o365: excel: SetPosition chart %q: %s: %s", c.Name, p.key, inner(err))
		}
		if r.addr.Unbounded() {
			return fmt.Errorf("o365: excel: SetPosition chart %q: %s %q is whole rows or columns; give a cell", c.Name, p.key, p.addr)
		}
		body[p.key] = r.addr.Local()
	}
	return c.wb.do(ctx, http.MethodPost, c.path()+"/setPosition", nil, body, nil)
}

// Image renders the chart as Graph does and returns the picture's bytes
// (a PNG), decoded from the base64 Graph sends. Zero width and height
// ask for the chart's own size; one of them keeps the proportions; with
// both, mode says how the chart fits them ("" is Fit).
func (c *Chart) Image(ctx context.Context, width, height int, mode FittingMode) ([]byte, error) {
	if err := c.ready("Image"); err != nil {
		return nil, err
	}
	if width < 0 || height < 0 {
		return nil, fmt.Errorf("o365: excel: Image of chart %q: width %d and height %d must not be negative", c.Name, width, height)
	}
	switch mode {
	case "", ImageFit, ImageFitAndCenter, ImageFill:
	default:
		return nil, fmt.Errorf("o365: excel: Image of chart %q: fitting mode %q; want Fit, FitAndCenter or Fill", c.Name, mode)
	}
	var args []string
	if width > 0 {
		args = append(args, "width="+strconv.Itoa(width))
	}
	if height > 0 {
		args = append(args, "height="+strconv.Itoa(height))
	}
	if mode != "" {
		args = append(args, "fittingMode='"+url.PathEscape(string(mode))+"'")
	}
	p := c.path() + "/image"
	if len(args) > 0 {
		p += "(" + strings.Join(args, ",") + ")"
	}
	img, err := call[chartImage](ctx, c.wb, http.MethodGet, p, nil, nil)
	if err != nil {
		return nil, err
	}
	data, err := base64.StdEncoding.DecodeString(img.Value)
	if err != nil {
		return nil, fmt.Errorf("o365: excel: Image of chart %q: Graph's answer is not base64: %w", c.Name, err)
	}
	if len(data) == 0 {
		return nil, fmt.Errorf("o365: excel: Image of chart %q: Graph sent no image", c.Name)
	}
	return data, nil
}

// Series lists the chart's data series.
func (c *Chart) Series(ctx context.Context) iter.Seq2[*ChartSeries, error] {
	if err := c.ready("Series"); err != nil {
		return failed[ChartSeries](err)
	}
	return list[ChartSeries](ctx, c.wb, c.path()+"/series", nil)
}

// Title reads the chart's title.
func (c *Chart) Title(ctx context.Context) (*ChartTitle, error) {
	if err := c.ready("Title"); err != nil {
		return nil, err
	}
	return call[ChartTitle](ctx, c.wb, http.MethodGet, c.path()+"/title", nil, nil)
}

// SetTitle sets the title's text and shows it.
func (c *Chart) SetTitle(ctx context.Context, text string) (*ChartTitle, error) {
	if err := c.ready("SetTitle"); err != nil {
		return nil, err
	}
	return call[ChartTitle](ctx, c.wb, http.MethodPatch, c.path()+"/title", nil, ChartTitle{Text: text, Visible: Ptr(true)})
}

// Legend reads the chart's legend.
func (c *Chart) Legend(ctx context.Context) (*ChartLegend, error) {
	if err := c.ready("Legend"); err != nil {
		return nil, err
	}
	return call[ChartLegend](ctx, c.wb, http.MethodGet, c.path()+"/legend", nil, nil)
}

// SetLegend changes the fields set in l.
func (c *Chart) SetLegend(ctx context.Context, l ChartLegend) (*ChartLegend, error) {
	if err := c.ready("SetLegend"); err != nil {
		return nil, err
	}
	if l == (ChartLegend{}) {
		return nil, fmt.Errorf("o365: excel: SetLegend of chart %q: nothing to change", c.Name)
	}
	return call[ChartLegend](ctx, c.wb, http.MethodPatch, c.path()+"/legend", nil, l)
}
