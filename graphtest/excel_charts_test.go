package graphtest_test

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"net/http"
	"testing"
)

// TestWorkbookChartsWire drives the chart routes with the bodies of
// Microsoft's pages (chartcollection-add.md, chart-update.md,
// chart-setposition.md, chart-image.md) and checks the answers' shapes.
func TestWorkbookChartsWire(t *testing.T) {
	c := newWorkbookClient(t)
	if st, _, _ := c.do(http.MethodPut, "/v1.0/me/drive/root:/Charts.xlsx:/content", "any bytes"); st != http.StatusCreated {
		t.Fatalf("upload: %d", st)
	}
	ws := "/v1.0/me/drive/root:/Charts.xlsx:/workbook/worksheets('Sheet1')"
	if st, body, _ := c.do(http.MethodPatch, ws+"/range(address='A1:B3')", map[string]any{"values": [][]any{{"Item", "Qty"}, {"pear", 4}, {"fig", 7}}}); st != 200 {
		t.Fatalf("values: %d %v", st, body)
	}
	// chartcollection-add.md's request, as it is.
	st, body, _ := c.do(http.MethodPost, ws+"/charts/add", map[string]any{"type": "ColumnStacked", "sourceData": "A1:B1", "seriesBy": "Auto"})
	if st != http.StatusOK {
		t.Fatalf("charts/add: %d %v", st, body)
	}
	for _, k := range []string{"id", "name", "height", "width", "top", "left"} {
		if _, ok := body[k]; !ok {
			t.Errorf("charts/add answer lacks %q: %v", k, body)
		}
	}
	if body["name"] != "Chart 1" {
		t.Errorf("name %v, want Chart 1", body["name"])
	}
	st, body, _ = c.do(http.MethodPost, ws+"/charts/add", map[string]any{"type": "pie", "sourceData": "Sheet1!A1:B3"})
	if st != http.StatusOK || body["name"] != "Chart 2" {
		t.Fatalf("second chart: %d %v", st, body)
	}
	st, body, _ = c.do(http.MethodGet, ws+"/charts", nil)
	if list, _ := body["value"].([]any); st != 200 || len(list) != 2 {
		t.Fatalf("list: %d %v", st, body)
	}
	// chart-update.md's request.
	st, body, _ = c.do(http.MethodPatch, ws+"/charts('Chart 2')", map[string]any{"height": 99, "left": 99})
	if st != 200 || body["height"] != 99.0 || body["left"] != 99.0 || body["width"] != 360.0 {
		t.Fatalf("update: %d %v", st, body)
	}
	st, body, _ = c.do(http.MethodGet, ws+"/charts/Chart%202/series", nil)
	if list, _ := body["value"].([]any); st != 200 || len(list) != 1 || list[0].(map[string]any)["name"] != "Qty" {
		t.Fatalf("series: %d %v", st, body)
	}
	st, body, _ = c.do(http.MethodGet, ws+"/charts/Chart%202/title", nil)
	if st != 200 || body["text"] != "Qty" || body["visible"] != true {
		t.Fatalf("a single-series chart is titled with its series: %d %v", st, body)
	}
	if st, body, _ = c.do(http.MethodPost, ws+"/charts/Chart%202/setPosition", map[string]any{"startCell": "C2", "endCell": "D3"}); st != 200 {
		t.Fatalf("setPosition: %d %v", st, body)
	}
	_, body, _ = c.do(http.MethodGet, ws+"/charts/Chart%202", nil)
	if body["left"] != 96.0 || body["top"] != 15.0 || body["width"] != 96.0 || body["height"] != 30.0 {
		t.Errorf("after setPosition C2:D3: %v", body)
	}
	// chart-image.md's URL form.
	st, body, _ = c.do(http.MethodGet, ws+"/charts/Chart%202/image(width=640,height=480,fittingMode='fit')", nil)
	if st != 200 {
		t.Fatalf("image: %d %v", st, body)
	}
	raw, err := base64.StdEncoding.DecodeString(body["value"].(string))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the image is not a PNG: %v", err)
	}
	// 96 × 30 points is 128 × 40 pixels; fitted in 640 × 480, 640 × 200.
	if cfg.Width != 640 || cfg.Height != 200 {
		t.Errorf("image %d×%d, want 640×200", cfg.Width, cfg.Height)
	}

	for _, bad := range []struct {
		method, path string
		body         any
		status       int
	}{
		{http.MethodPost, ws + "/charts/add", map[string]any{"type": "Sparkline", "sourceData": "A1:B3"}, 400},
		{http.MethodPost, ws + "/charts/add", map[string]any{"type": "Pie", "sourceData": "A1:B"}, 400},
		{http.MethodPost, ws + "/charts/add", map[string]any{"type": "Pie", "sourceData": "Nope!A1:B3"}, 404},
		{http.MethodPost, ws + "/charts/add", map[string]any{"type": "Pie", "sourceData": "A1:B3", "seriesBy": "Diagonal"}, 400},
		{http.MethodGet, ws + "/charts/Chart%209", nil, 404},
		{http.MethodPatch, ws + "/charts/Chart%201", map[string]any{"name": "Chart 2"}, 400},
		{http.MethodPatch, ws + "/charts/Chart%201", map[string]any{"width": -5}, 400},
		{http.MethodPatch, ws + "/charts/Chart%201", map[string]any{"type": "Pie"}, 400},
		{http.MethodGet, ws + "/charts/Chart%201/image(width=99999)", nil, 400},
		{http.MethodPost, ws + "/charts/Chart%201/setPosition", map[string]any{"endCell": "B2"}, 400},
		{http.MethodPost, ws + "/charts/Chart%201/setPosition", map[string]any{"startCell": "D4", "endCell": "B2"}, 400},
	} {
		if st, body, _ := c.do(bad.method, bad.path, bad.body); st != bad.status {
			t.Errorf("%s %s %v: %d %v, want %d", bad.method, bad.path, bad.body, st, body, bad.status)
		}
	}
	if st, _, _ := c.do(http.MethodDelete, ws+"/charts/Chart%201", nil); st != http.StatusNoContent {
		t.Fatalf("delete: %d", st)
	}
	_, body, _ = c.do(http.MethodGet, ws+"/charts", nil)
	if list, _ := body["value"].([]any); len(list) != 1 {
		t.Fatalf("after delete: %v", body)
	}
}

// TestWorkbookVisibleViewWire filters a table and reads range/visibleView
// and its rows (range-visibleview.md's workbookRangeView).
func TestWorkbookVisibleViewWire(t *testing.T) {
	c := newWorkbookClient(t)
	if st, _, _ := c.do(http.MethodPut, "/v1.0/me/drive/root:/View.xlsx:/content", "any bytes"); st != http.StatusCreated {
		t.Fatalf("upload: %d", st)
	}
	wb := "/v1.0/me/drive/root:/View.xlsx:/workbook"
	c.do(http.MethodPatch, wb+"/worksheets/Sheet1/range(address='A1:B4')", map[string]any{"values": [][]any{{"Item", "Qty"}, {"pear", 4}, {"fig", 7}, {"kiwi", 2}}})
	if st, body, _ := c.do(http.MethodPost, wb+"/tables/add", map[string]any{"address": "Sheet1!A1:B4", "hasHeaders": true}); st != http.StatusCreated {
		t.Fatalf("table: %d %v", st, body)
	}
	if st, body, _ := c.do(http.MethodPost, wb+"/tables/Table1/columns/Qty/filter/apply", map[string]any{"criteria": map[string]any{"filterOn": "Custom", "criterion1": ">3"}}); st != 200 {
		t.Fatalf("filter: %d %v", st, body)
	}
	st, body, _ := c.do(http.MethodGet, wb+"/tables/Table1/range/visibleView", nil)
	if st != 200 || body["rowCount"] != 3.0 || body["columnCount"] != 2.0 {
		t.Fatalf("visibleView: %d %v", st, body)
	}
	for _, k := range []string{"cellAddresses", "values", "text", "formulas", "formulasLocal", "formulasR1C1", "numberFormat", "valueTypes", "index"} {
		if _, ok := body[k]; !ok {
			t.Errorf("visibleView lacks %q", k)
		}
	}
	vals := body["values"].([]any)
	if vals[1].([]any)[0] != "pear" || vals[2].([]any)[0] != "fig" {
		t.Errorf("visible values %v", vals)
	}
	st, body, _ = c.do(http.MethodGet, wb+"/worksheets/Sheet1/range(address='A2:B4')/visibleView/rows", nil)
	rows, _ := body["value"].([]any)
	if st != 200 || len(rows) != 2 || rows[1].(map[string]any)["index"] != 1.0 {
		t.Fatalf("visibleView/rows: %d %v", st, body)
	}
	if st, body, _ = c.do(http.MethodPost, wb+"/tables/Table1/columns/Qty/filter/apply", map[string]any{"criteria": map[string]any{"filterOn": "Icon"}}); st != http.StatusNotImplemented {
		t.Errorf("an icon filter: %d %v, want 501", st, body)
	}
	c.do(http.MethodPost, wb+"/tables/Table1/columns/Qty/filter/clear", map[string]any{})
	_, body, _ = c.do(http.MethodGet, wb+"/tables/Table1/range/visibleView", nil)
	if body["rowCount"] != 4.0 {
		t.Errorf("after clear: %v", body)
	}
}
