package graphtest_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestWorkbookRowsRespondAsync: with Prefer: respond-async, row add and
// row delete answer 202 and an operation; the table changes only when
// the operation succeeds, and the add's result reads the rows added.
func TestWorkbookRowsRespondAsync(t *testing.T) {
	c := newWorkbookClient(t)
	c.f.srv.SetWorkbookOperationPolls(2)
	if st, _, _ := c.do(http.MethodPut, "/v1.0/me/drive/root:/Rows.xlsx:/content", "x"); st != http.StatusCreated {
		t.Fatalf("upload: %d", st)
	}
	wb := "/v1.0/me/drive/root:/Rows.xlsx:/workbook"
	c.do(http.MethodPatch, wb+"/worksheets('Sheet1')/range(address='A1:B2')", map[string]any{"values": [][]any{{"Fruit", "Qty"}, {"pear", 4}}})
	if st, body, _ := c.do(http.MethodPost, wb+"/tables/add", map[string]any{"address": "Sheet1!A1:B2", "hasHeaders": true}); st != http.StatusCreated {
		t.Fatalf("tables/add: %d %v", st, body)
	}
	rel := func(loc string) string { return strings.TrimPrefix(loc, c.f.srv.GraphURL()) }
	rowCount := func() int {
		_, body, _ := c.do(http.MethodGet, wb+"/tables/Table1/rows", nil)
		return len(body["value"].([]any))
	}
	async := []string{"Prefer", "respond-async"}

	st, _, h := c.do(http.MethodPost, wb+"/tables/Table1/rows/add", map[string]any{"values": [][]any{{"fig", 7}, {"kiwi", 9}}}, async...)
	if st != http.StatusAccepted || !strings.Contains(h.Get("Location"), "/workbook/operations/") {
		t.Fatalf("add: %d %q", st, h.Get("Location"))
	}
	op := rel(h.Get("Location"))
	for range 2 {
		if st, body, _ := c.do(http.MethodGet, op, nil); st != 200 || body["status"] != "running" {
			t.Fatalf("poll: %d %v", st, body)
		}
		if n := rowCount(); n != 1 {
			t.Fatalf("rows while running: %d, want 1", n)
		}
	}
	st, body, _ := c.do(http.MethodGet, op, nil)
	loc, _ := body["resourceLocation"].(string)
	if st != 200 || body["status"] != "succeeded" || !strings.Contains(loc, "/tableRowOperationResult(key='") {
		t.Fatalf("poll: %d %v", st, body)
	}
	if n := rowCount(); n != 3 {
		t.Fatalf("rows after: %d, want 3", n)
	}
	st, body, _ = c.do(http.MethodGet, rel(loc), nil)
	vals, _ := body["values"].([]any)
	if st != 200 || body["index"] != 1.0 || len(vals) != 2 || vals[1].([]any)[0] != "kiwi" {
		t.Fatalf("result: %d %v", st, body)
	}

	// Another item does not know the operation.
	c.do(http.MethodPut, "/v1.0/me/drive/root:/Other.xlsx:/content", "x")
	other := strings.Replace(op, "Rows.xlsx", "Other.xlsx", 1)
	if st, body, _ := c.do(http.MethodGet, other, nil); st != http.StatusNotFound {
		t.Fatalf("other item's operation: %d %v", st, body)
	}
	if st, _, _ := c.do(http.MethodGet, strings.Replace(rel(loc), "Rows.xlsx", "Other.xlsx", 1), nil); st != http.StatusNotFound {
		t.Fatalf("other item's result: %d", st)
	}

	c.f.srv.SetWorkbookOperationPolls(1)
	st, _, h = c.do(http.MethodDelete, wb+"/tables/Table1/rows/itemAt(index=0)", nil, async...)
	if st != http.StatusAccepted {
		t.Fatalf("delete: %d", st)
	}
	op = rel(h.Get("Location"))
	if _, body, _ := c.do(http.MethodGet, op, nil); body["status"] != "running" || rowCount() != 3 {
		t.Fatalf("delete poll: %v rows %d", body, rowCount())
	}
	st, body, _ = c.do(http.MethodGet, op, nil)
	if _, has := body["resourceLocation"]; st != 200 || body["status"] != "succeeded" || has {
		t.Fatalf("delete done: %d %v", st, body)
	}
	_, body, _ = c.do(http.MethodGet, wb+"/tables/Table1/rows/itemAt(index=0)", nil)
	if rowCount() != 2 || body["values"].([]any)[0].([]any)[0] != "fig" {
		t.Fatalf("after delete: %v", body)
	}
}
