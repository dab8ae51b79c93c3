package graphtest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/oauth2"
)

// workbookClient is a raw HTTP client of the workbook API, as another
// language's SDK would be.
type workbookClient struct {
	t     *testing.T
	f     *fixture
	token string
}

func newWorkbookClient(t *testing.T) *workbookClient {
	f := newFixture(t)
	conf := &oauth2.Config{ClientID: cliClientID, Endpoint: f.endpoint(), Scopes: []string{"Files.ReadWrite"}}
	tok, err := conf.PasswordCredentialsToken(t.Context(), alexUPN, alexPass)
	if err != nil {
		t.Fatal(err)
	}
	return &workbookClient{t: t, f: f, token: tok.AccessToken}
}

func (c *workbookClient) do(method, path string, body any, header ...string) (int, map[string]any, http.Header) {
	c.t.Helper()
	var rd *bytes.Reader
	if s, ok := body.(string); ok {
		rd = bytes.NewReader([]byte(s))
	} else {
		data, _ := json.Marshal(body)
		rd = bytes.NewReader(data)
	}
	req, _ := http.NewRequestWithContext(c.t.Context(), method, c.f.srv.GraphURL()+path, rd)
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out, resp.Header
}

// TestWorkbookAddressingForms drives a workbook with the URL forms of
// Microsoft's pages: by path, with function-call keys, mixed case,
// rows/$/ItemAt.
func TestWorkbookAddressingForms(t *testing.T) {
	c := newWorkbookClient(t)
	if st, _, _ := c.do(http.MethodPut, "/v1.0/me/drive/root:/Book%201.xlsx:/content", "any bytes"); st != http.StatusCreated {
		t.Fatalf("upload: %d", st)
	}
	wb := "/v1.0/me/drive/root:/Book%201.xlsx:/workbook"
	st, body, _ := c.do(http.MethodGet, wb+"/Worksheets", nil)
	if st != 200 || len(body["value"].([]any)) != 1 {
		t.Fatalf("worksheets: %d %v", st, body)
	}
	st, body, _ = c.do(http.MethodPatch, wb+"/Worksheets('Sheet1')/Range(address='A1:B3')",
		map[string]any{"values": [][]any{{"Fruit", "Qty"}, {"pear", "4"}, {"fig", 7}}})
	if st != 200 || body["address"] != "Sheet1!A1:B3" {
		t.Fatalf("range update: %d %v", st, body)
	}
	st, body, _ = c.do(http.MethodPost, wb+"/tables/add", map[string]any{"address": "Sheet1!A1:B3", "hasHeaders": true})
	if st != http.StatusCreated || body["name"] != "Table1" {
		t.Fatalf("tables/add: %d %v", st, body)
	}
	st, body, _ = c.do(http.MethodGet, wb+"/Tables('Table1')/Rows/$/ItemAt(index=1)", nil)
	if st != 200 || body["index"] != 1.0 {
		t.Fatalf("itemAt: %d %v", st, body)
	}
	if got := body["values"].([]any)[0].([]any); got[0] != "fig" || got[1] != 7.0 {
		t.Errorf("row 1 is %v", got)
	}
	st, body, _ = c.do(http.MethodGet, wb+"/worksheets/Sheet1/usedRange(valuesOnly=true)", nil)
	if st != 200 || body["address"] != "Sheet1!A1:B3" {
		t.Errorf("usedRange: %d %v", st, body)
	}
	st, body, _ = c.do(http.MethodGet, wb+"/worksheets/Sheet1/range(address='Nope')", nil)
	if st != 400 || body["error"].(map[string]any)["code"] != "invalidArgument" {
		t.Errorf("a bad address: %d %v", st, body)
	}
	st, body, _ = c.do(http.MethodPatch, wb+"/worksheets/Sheet1/range(address='A1:B2')", map[string]any{"values": [][]any{{1}}})
	if st != 400 {
		t.Errorf("a grid of the wrong shape: %d %v", st, body)
	}
}

// TestWorkbookSessionLifecycle creates a session the long-running way,
// uses it, and meets Graph's answer once it lapses.
func TestWorkbookSessionLifecycle(t *testing.T) {
	c := newWorkbookClient(t)
	// A folder named like the segment, to show the monitor URL keeps the
	// addressing of the request.
	c.do(http.MethodPut, "/v1.0/me/drive/root:/workbook/S.xlsx:/content", "x")
	wb := "/v1.0/me/drive/root:/workbook/S.xlsx:/workbook"
	st, _, h := c.do(http.MethodPost, wb+"/createSession", map[string]any{"persistChanges": false}, "Prefer", "respond-async")
	loc := h.Get("Location")
	if st != http.StatusAccepted || !strings.HasPrefix(loc, c.f.srv.GraphURL()+wb+"/operations/") {
		t.Fatalf("createSession: %d %q", st, loc)
	}
	path := strings.TrimPrefix(loc, c.f.srv.GraphURL())
	if _, op, _ := c.do(http.MethodGet, path, nil); op["status"] != "running" {
		t.Fatalf("first poll: %v", op)
	}
	_, op, _ := c.do(http.MethodGet, path, nil)
	if op["status"] != "succeeded" {
		t.Fatalf("second poll: %v", op)
	}
	_, info, _ := c.do(http.MethodGet, strings.TrimPrefix(op["resourceLocation"].(string), c.f.srv.GraphURL()), nil)
	id, _ := info["id"].(string)
	if id == "" || info["persistChanges"] != false {
		t.Fatalf("session info: %v", info)
	}
	if st, _, _ := c.do(http.MethodPost, wb+"/refreshSession", nil, "workbook-session-id", id); st != http.StatusNoContent {
		t.Errorf("refreshSession: %d", st)
	}
	if st, _, _ := c.do(http.MethodPost, wb+"/refreshSession", nil); st != http.StatusBadRequest {
		t.Errorf("refreshSession without a session: %d", st)
	}
	c.f.srv.ExpireWorkbookSessions()
	st, body, _ := c.do(http.MethodGet, wb+"/worksheets", nil, "workbook-session-id", id)
	e, _ := body["error"].(map[string]any)
	inner, _ := e["innerError"].(map[string]any)
	if st != http.StatusNotFound || inner["code"] != "invalidSessionReCreatable" {
		t.Errorf("a lapsed session: %d %v", st, body)
	}
}
