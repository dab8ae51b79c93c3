package graphtest

import (
	"net/http"
	"strings"

	"github.com/go-o365/o365/graphtest/internal/workbook"
)

// serveRange answers a range and what is below it: GET/PATCH the range,
// clear, format, format/font, format/fill, visibleView and its rows.
func (wr *workbookRequest) serveRange(rg workbook.Range, rest []string) {
	w, r, b := wr.w, wr.r, wr.book
	op := ""
	if len(rest) > 0 {
		op, _, _ = workbook.ParseSegment(strings.Join(rest, "/"))
		op = strings.ReplaceAll(strings.ToLower(op), "()", "")
	}
	switch op {
	case "":
		if !wr.getOrPatch(func(body map[string]any) *workbook.Error { return b.WriteGrids(rg, body) }) {
			return
		}
		sel := map[string]bool{}
		for _, f := range strings.Split(r.URL.Query().Get("$select"), ",") {
			if f = strings.TrimSpace(f); f != "" {
				sel[strings.ToLower(f)] = true
			}
		}
		out := b.RangeJSON(rg, sel)
		out["@odata.context"] = wr.base + "/$metadata#workbookRange"
		writeGraphJSON(w, http.StatusOK, out)
	case "clear":
		if r.Method != http.MethodPost {
			writeExcelErr(w, xMethod())
			return
		}
		var body struct {
			ApplyTo string `json:"applyTo"`
		}
		if e := readExcelBody(r, &body); e != nil {
			writeExcelErr(w, e)
			return
		}
		if e := b.ClearRange(rg, body.ApplyTo); e != nil {
			writeExcelErr(w, e)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case "format", "format/font", "format/fill":
		wr.serveFormat(rg, op)
	case "visibleview", "visibleview/rows":
		wr.serveVisibleView(rg, op == "visibleview/rows")
	default:
		writeExcelErr(w, xUnknown(rest[len(rest)-1]))
	}
}

// getOrPatch lets a GET through and applies the body of a PATCH with
// apply, answering a bad body, apply's error or another method itself. It
// reports whether the handler goes on to answer with the item.
func (wr *workbookRequest) getOrPatch(apply func(body map[string]any) *workbook.Error) bool {
	switch wr.r.Method {
	case http.MethodGet:
		return true
	case http.MethodPatch:
		var body map[string]any
		if e := readExcelBody(wr.r, &body); e != nil {
			writeExcelErr(wr.w, e)
			return false
		}
		if e := apply(body); e != nil {
			writeExcelErr(wr.w, e)
			return false
		}
		return true
	}
	writeExcelErr(wr.w, xMethod())
	return false
}

// serveFormat reads or changes a range's format, font or fill.
func (wr *workbookRequest) serveFormat(rg workbook.Range, op string) {
	if wr.getOrPatch(func(body map[string]any) *workbook.Error { return workbook.ApplyFormat(rg, op, body) }) {
		writeGraphJSON(wr.w, http.StatusOK, workbook.FormatJSON(rg.Sheet, rg.Addr, op))
	}
}
