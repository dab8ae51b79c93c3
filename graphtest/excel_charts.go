package graphtest

// Charts of worksheets (workbookChart) and visible views of ranges
// (workbookRangeView).
//
// A chart lives in its worksheet, in the workbook engine, so sessions
// see charts as they see cells: a non-persistent session's charts are
// its own. Its series are worked out from its source range whenever they
// are read (see workbook.Book.ChartSeries), and its image is a small PNG
// of the size asked for, drawn from those series.

import (
	"encoding/base64"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/go-o365/o365/graphtest/internal/workbook"
)

// sourceRange resolves a chart's sourceData: an address on sh, or on the
// sheet it names.
func (wr *workbookRequest) sourceRange(sh *workbook.Sheet, raw any) (workbook.Range, *workbook.Error) {
	s, _ := raw.(string)
	if m, ok := raw.(map[string]any); ok {
		s, _ = m["address"].(string)
	}
	a, err := workbook.ParseAddress(s)
	if s == "" || err != nil {
		return workbook.Range{}, workbook.Invalid("sourceData must be a range address such as A1:C4.")
	}
	if a.Sheet != "" {
		if sh = wr.book.SheetByName(a.Sheet); sh == nil {
			return workbook.Range{}, workbook.NotFound("worksheet '" + a.Sheet + "'")
		}
	}
	return workbook.Range{Sheet: sh, Addr: a}, nil
}

// serveCharts answers charts, charts/add, charts/{name} and what is
// below a chart: image, setData, setPosition, series, title, legend.
func (wr *workbookRequest) serveCharts(sh *workbook.Sheet, rest []string, key string) {
	w, r, b := wr.w, wr.r, wr.book
	if key == "" && (len(rest) == 0 || strings.EqualFold(rest[0], "add")) {
		switch {
		case len(rest) == 0 && r.Method == http.MethodGet:
			items := make([]map[string]any, 0, len(sh.Charts))
			for _, c := range sh.Charts {
				items = append(items, workbook.ChartJSON(c))
			}
			wr.page(items, "charts")
		case len(rest) == 1 && r.Method == http.MethodPost:
			var body struct {
				Type       string `json:"type"`
				SourceData any    `json:"sourceData"`
				SeriesBy   string `json:"seriesBy"`
			}
			if e := readExcelBody(r, &body); e != nil {
				writeExcelErr(w, e)
				return
			}
			src, e := wr.sourceRange(sh, body.SourceData)
			if e != nil {
				writeExcelErr(w, e)
				return
			}
			c, e := b.AddChart(sh, body.Type, src, body.SeriesBy)
			if e != nil {
				writeExcelErr(w, e)
				return
			}
			// charts/add answers 200 OK, as its v1.0 page says.
			wr.entity(http.StatusOK, workbook.ChartJSON(c), "charts")
		default:
			writeExcelErr(w, xMethod())
		}
		return
	}
	key, rest = keyOf(key, rest)
	c := sh.Chart(key)
	if name, _, args := workbook.ParseSegment(key); c == nil && strings.EqualFold(name, "itemAt") {
		if i, ok := intArg(args, "index"); ok && i >= 0 && i < len(sh.Charts) {
			c = sh.Charts[i]
		}
	}
	if c == nil {
		writeExcelErr(w, workbook.NotFound("chart '"+key+"'"))
		return
	}
	if len(rest) == 0 {
		switch r.Method {
		case http.MethodGet:
		case http.MethodPatch:
			var body map[string]any
			if e := readExcelBody(r, &body); e != nil {
				writeExcelErr(w, e)
				return
			}
			if e := workbook.UpdateChart(sh, c, body); e != nil {
				writeExcelErr(w, e)
				return
			}
		case http.MethodDelete:
			sh.Charts = slices.DeleteFunc(sh.Charts, func(o *workbook.Chart) bool { return o == c })
			w.WriteHeader(http.StatusNoContent)
			return
		default:
			writeExcelErr(w, xMethod())
			return
		}
		wr.entity(http.StatusOK, workbook.ChartJSON(c), "charts")
		return
	}
	name, _, args := workbook.ParseSegment(rest[0])
	switch op := strings.ToLower(name); {
	case op == "image" && len(rest) == 1:
		if r.Method != http.MethodGet {
			writeExcelErr(w, xMethod())
			return
		}
		var dims [2]int
		for i, k := range []string{"width", "height"} {
			if v, ok := args[k]; ok {
				n, err := strconv.Atoi(v)
				if err != nil {
					writeExcelErr(w, workbook.Invalid(k+" must be a whole number of pixels."))
					return
				}
				dims[i] = n
			}
		}
		sz, e := workbook.ChartImageSize(c, dims[0], dims[1], args["fittingmode"])
		if e != nil {
			writeExcelErr(w, e)
			return
		}
		img, err := b.ChartImage(c, sz)
		if err != nil {
			writeExcelErr(w, &workbook.Error{Status: http.StatusInternalServerError, Code: "generalException", Message: err.Error()})
			return
		}
		writeGraphJSON(w, http.StatusOK, map[string]any{
			"@odata.context": wr.base + "/$metadata#Edm.String",
			"value":          base64.StdEncoding.EncodeToString(img),
		})
	case (op == "setdata" || op == "setposition") && len(rest) == 1:
		if r.Method != http.MethodPost {
			writeExcelErr(w, xMethod())
			return
		}
		var body map[string]any
		if e := readExcelBody(r, &body); e != nil {
			writeExcelErr(w, e)
			return
		}
		var e *workbook.Error
		if op == "setdata" {
			var src workbook.Range
			if src, e = wr.sourceRange(sh, body["sourceData"]); e == nil {
				by, _ := body["seriesBy"].(string)
				e = b.SetChartData(c, src, by)
			}
		} else {
			e = setChartPosition(sh, c, body)
		}
		if e != nil {
			writeExcelErr(w, e)
			return
		}
		w.WriteHeader(http.StatusOK)
	case op == "series" && len(rest) == 1:
		if r.Method != http.MethodGet {
			writeExcelErr(w, xMethod())
			return
		}
		items := []map[string]any{}
		for _, s := range b.ChartSeries(c) {
			items = append(items, map[string]any{"name": s.Name})
		}
		wr.page(items, "series")
	case (op == "title" || op == "legend") && len(rest) == 1:
		update, show := workbook.UpdateTitle, workbook.TitleJSON
		if op == "legend" {
			update, show = workbook.UpdateLegend, workbook.LegendJSON
		}
		if wr.getOrPatch(func(body map[string]any) *workbook.Error { return update(c, body) }) {
			writeGraphJSON(w, http.StatusOK, show(c))
		}
	default:
		writeExcelErr(w, xUnknown(rest[len(rest)-1]))
	}
}

// setChartPosition reads setPosition's startCell and optional endCell.
func setChartPosition(sh *workbook.Sheet, c *workbook.Chart, body map[string]any) *workbook.Error {
	cell := func(k string) (*workbook.Addr, *workbook.Error) {
		v, ok := body[k]
		if !ok || v == nil {
			return nil, nil
		}
		s, _ := v.(string)
		a, err := workbook.ParseAddress(s)
		if err != nil || (a.Sheet != "" && !strings.EqualFold(a.Sheet, sh.Name)) {
			return nil, workbook.Invalid(k + " must be a cell of the chart's worksheet, such as D2.")
		}
		return &a, nil
	}
	start, e := cell("startCell")
	if e != nil {
		return e
	}
	if start == nil {
		return workbook.Invalid("startCell is required.")
	}
	end, e := cell("endCell")
	if e != nil {
		return e
	}
	return workbook.SetChartPosition(sh, c, *start, end)
}

// serveVisibleView answers range/visibleView (a workbookRangeView of the
// rows no filter hides) and visibleView/rows (one view per visible row).
func (wr *workbookRequest) serveVisibleView(rg workbook.Range, rows bool) {
	if wr.r.Method != http.MethodGet {
		writeExcelErr(wr.w, xMethod())
		return
	}
	a, visible := wr.book.VisibleRows(rg)
	if !rows {
		out := wr.book.ViewJSON(rg.Sheet, a, visible, 0)
		out["@odata.context"] = wr.base + "/$metadata#workbookRangeView"
		writeGraphJSON(wr.w, http.StatusOK, out)
		return
	}
	items := make([]map[string]any, 0, len(visible))
	for i, r := range visible {
		items = append(items, wr.book.ViewJSON(rg.Sheet, a, []int{r}, i))
	}
	wr.page(items, "workbookRangeView")
}
