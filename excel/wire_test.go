package excel_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/excel"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/internal/wiretest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stripped passes a body on to check with the properties named by paths
// ("valueTypes", "value[].values") removed, and every @odata.*
// annotation too: the library keeps no OData metadata. Microsoft's
// reference pages fill some properties with a placeholder string
// ("valueTypes-value") where Graph sends a two-dimensional array; those
// are the paths given.
func stripped(check wiretest.Check, paths ...string) wiretest.Check {
	return func(t *testing.T, body []byte) {
		t.Helper()
		var v any
		require.NoError(t, json.Unmarshal(body, &v))
		v = dropOData(v)
		for _, p := range paths {
			drop(v, strings.Split(p, "."))
		}
		out, err := json.Marshal(v)
		require.NoError(t, err)
		check(t, out)
	}
}

func dropOData(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if strings.HasPrefix(k, "@odata.") {
				delete(x, k)
			} else {
				x[k] = dropOData(e)
			}
		}
	case []any:
		for i := range x {
			x[i] = dropOData(x[i])
		}
	}
	return v
}

func drop(v any, path []string) {
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	key, each := strings.CutSuffix(path[0], "[]")
	if len(path) == 1 {
		delete(m, key)
		return
	}
	if each {
		list, _ := m[key].([]any)
		for _, e := range list {
			drop(e, path[1:])
		}
		return
	}
	drop(m[key], path[1:])
}

// TestExamplesRoundTrip decodes every response example of Microsoft's
// Excel pages (testdata/examples.json) into the library's types and
// encodes it back, losing nothing the types model.
func TestExamplesRoundTrip(t *testing.T) {
	ex := wiretest.Load(t, "testdata/examples.json")
	session := wiretest.RoundTrip[excel.SessionInfo]()
	op := wiretest.RoundTrip[excel.Operation]()
	sheet := stripped(wiretest.RoundTrip[excel.Worksheet]())
	sheets := stripped(wiretest.RoundTrip[api.Page[excel.Worksheet]]())
	rng := stripped(wiretest.RoundTrip[excel.RangeData]())
	placeholderRange := stripped(wiretest.RoundTrip[excel.RangeData](), "valueTypes")
	table := stripped(wiretest.RoundTrip[excel.Table]())
	format := wiretest.RoundTrip[excel.RangeFormat]()
	font := wiretest.RoundTrip[excel.RangeFont]()
	fill := wiretest.RoundTrip[excel.RangeFill]()
	cases := map[string]wiretest.Check{
		"workbook-createsession#1":  session,
		"workbook-createsession#2":  session,
		"workbook-best-practice#1":  op,
		"workbook-best-practice#2":  op,
		"workbook-best-practice#3":  op,
		"workbook-best-practice#4":  session,
		"workbook-best-practice#5":  wiretest.RoundTrip[excel.TableRow](),
		"workbook-best-practice#6":  wiretest.RoundTrip[excel.FunctionResult](),
		"worksheet-list#1":          sheets,
		"worksheetcollection-add#1": sheet,
		"worksheet-update#1":        sheet,
		"range-get#1":               placeholderRange,
		"range-update#1":            placeholderRange,
		"worksheet-usedrange#1":     rng,
		"worksheet-usedrange#2":     rng,
		"table-list#1":              stripped(wiretest.RoundTrip[api.Page[excel.Table]]()),
		"tablecollection-add#1":     table,
		"tablerowcollection-add#1":  stripped(wiretest.RoundTrip[excel.TableRow](), "values"),
		"table-list-rows#1":         stripped(wiretest.RoundTrip[api.Page[excel.TableRow]](), "value[].values"),
		"nameditem-list#1":          stripped(wiretest.RoundTrip[api.Page[excel.NamedItem]]()),
		"rangeformat-update#1":      format,
		"rangeformat-update#2":      font,
		"rangeformat-update#3":      fill,
		"rangeformat-update#4":      format,
		"rangeformat-update#5":      font,
		"rangeformat-update#8":      font,
		"rangefont-update#1":        font,
		"excel#2":                   sheets,
		"excel#3":                   sheet,
		"excel#5":                   sheet,
		"excel#11":                  table,
		"excel#12":                  stripped(wiretest.RoundTrip[api.Page[excel.TableRow]]()),
		"excel#13":                  stripped(wiretest.RoundTrip[api.Page[excel.TableColumn]]()),
		"excel#14":                  stripped(wiretest.RoundTrip[excel.TableRow]()),
		"excel#15":                  stripped(wiretest.RoundTrip[excel.TableColumn]()),
		"excel#19":                  rng,
		"excel#20":                  rng,
		"excel#21":                  stripped(wiretest.RoundTrip[api.Page[excel.NamedItem]]()),
		"excel-functions#1":         stripped(wiretest.RoundTrip[excel.FunctionResult]()),
		"chartcollection-add#1":     wiretest.RoundTrip[excel.Chart](),
		"worksheet-list-charts#1":   wiretest.RoundTrip[api.Page[excel.Chart]](),
		"chart-update#1":            wiretest.RoundTrip[excel.Chart](),
		// The page's value is a placeholder, not base64: TestChartImageOfTheDocs
		// checks Image refuses it.
		"chart-image#1": func(t *testing.T, b []byte) {
			var img struct{ Value string }
			require.NoError(t, json.Unmarshal(b, &img))
			assert.NotEmpty(t, img.Value)
		},
		"excel#26": func(t *testing.T, b []byte) {
			ge := api.ParseError(400, nil, b)
			assert.Equal(t, "ItemAlreadyExists", ge.Code)
			assert.Equal(t, "214ca7ea-9ea4-442e-9c67-71fdda0a559c", ge.RequestID)
		},
	}
	wiretest.CheckResponses(t, ex, cases)
}

// TestRequestExamplesRoundTrip does the same for the request bodies the
// library sends: the shapes Microsoft documents decode into the
// library's request types and encode back whole.
func TestRequestExamplesRoundTrip(t *testing.T) {
	ex := wiretest.Load(t, "testdata/examples.json")
	for id, check := range map[string]wiretest.Check{
		"range-update#1":           wiretest.RoundTrip[excel.RangeUpdate](),
		"excel#20":                 wiretest.RoundTrip[excel.RangeUpdate](),
		"rangeformat-update#1":     wiretest.RoundTrip[excel.RangeFormat](),
		"rangeformat-update#2":     wiretest.RoundTrip[excel.RangeFont](),
		"rangefont-update#1":       wiretest.RoundTrip[excel.RangeFont](),
		"rangefill-update#1":       wiretest.RoundTrip[excel.RangeFill](),
		"workbook-createsession#2": wiretest.RoundTrip[excel.SessionInfo](),
		"tablesort-apply#1": stripped(wiretest.RoundTrip[struct {
			Fields    []excel.SortField `json:"fields"`
			MatchCase bool              `json:"matchCase"`
		}](), "method"),
		// The page writes {} for operator (a string) and values (an array).
		"filter-apply#1": stripped(wiretest.RoundTrip[struct {
			Criteria excel.FilterCriteria `json:"criteria"`
		}](), "criteria.operator", "criteria.values"),
	} {
		t.Run(id, func(t *testing.T) { check(t, ex[id].RequestBody) })
	}
}

// TestRequestsMatchTheDocs compares the bodies the library sends with
// Microsoft's request examples: every documented property the call
// uses is there, spelled the same.
func TestRequestsMatchTheDocs(t *testing.T) {
	ex := wiretest.Load(t, "testdata/examples.json")
	e := newEnv(t)
	wb, _ := e.open("Wire.xlsx")
	assert.Empty(t, wiretest.MissingKeys(ex["workbook-createsession#2"].RequestBody, e.wire.LastBody(t, "/createSession")))
	createReq := e.wire.Since(0)
	for _, s := range createReq {
		if strings.HasSuffix(s.URL, "/createSession") {
			assert.Equal(t, "respond-async", s.Header.Get("Prefer"))
		}
	}

	_, err := wb.AddWorksheet(e.ctx, "Data")
	require.NoError(t, err)
	assert.Empty(t, wiretest.MissingKeys(ex["worksheetcollection-add#1"].RequestBody, e.wire.LastBody(t, "/worksheets/add")))

	_, err = e.rng(wb, "Sheet1!A1:D5").SetValues(e.ctx, [][]any{{"a", "b", "c", "d"}, {1, 2, 3, 4}, {1, 2, 3, 4}, {1, 2, 3, 4}, {1, 2, 3, 4}})
	require.NoError(t, err)
	tbl, err := wb.AddTable(e.ctx, "Sheet1!A1:D5", true)
	require.NoError(t, err)
	assert.JSONEq(t, string(ex["tablecollection-add#1"].RequestBody), string(e.wire.LastBody(t, "/tables/add")))

	_, err = tbl.AddRowsAt(e.ctx, 3, [][]any{{1, 2, 3, 4}, {4, 5, 6, 7}})
	require.NoError(t, err)
	assert.Empty(t, wiretest.MissingKeys(ex["tablerowcollection-add#1"].RequestBody, e.wire.LastBody(t, "/rows/add")))

	require.NoError(t, tbl.Sort(e.ctx, true, excel.SortField{Key: 1, Ascending: true}))
	assert.Empty(t, wiretest.MissingKeys(ex["tablesort-apply#1"].RequestBody, e.wire.LastBody(t, "/sort/apply"),
		"method", "fields[].sortOn", "fields[].color", "fields[].dataOption", "fields[].icon", "fields[].icon.set", "fields[].icon.index"))

	require.NoError(t, tbl.ApplyFilter(e.ctx, "b", excel.FilterCriteria{FilterOn: "Custom", Criterion1: ">1", Criterion2: "<4", Operator: "And"}))
	assert.Empty(t, wiretest.MissingKeys(ex["filter-apply#1"].RequestBody, e.wire.LastBody(t, "/filter/apply"),
		"criteria.color", "criteria.icon", "criteria.icon.set", "criteria.icon.index", "criteria.dynamicCriteria", "criteria.values"))

	r := e.rng(wb, "Sheet1!A1:B2")
	require.NoError(t, r.Clear(e.ctx, excel.ClearFormats))
	assert.Empty(t, wiretest.MissingKeys(ex["range-clear#1"].RequestBody, e.wire.LastBody(t, "/clear")))
	_, err = r.SetFormat(e.ctx, excel.RangeFormat{ColumnWidth: excel.Ptr(135.0), VerticalAlignment: "Top", RowHeight: excel.Ptr(49.0), WrapText: excel.Ptr(false)})
	require.NoError(t, err)
	assert.JSONEq(t, string(ex["rangeformat-update#1"].RequestBody), string(e.wire.LastBody(t, "/format")))
	_, err = r.Update(e.ctx, excel.RangeUpdate{Values: [][]any{{"Hello", "100"}, {"1/1/2016", nil}}, Formulas: [][]any{{nil, nil}, {nil, "=B1*2"}}, NumberFormat: [][]any{{nil, nil}, {"m-ddd", nil}}})
	require.NoError(t, err)
	assert.JSONEq(t, string(ex["range-update#1"].RequestBody), string(e.wire.LastBody(t, "range(address=")))
	res, err := wb.Function(e.ctx, "pmt", map[string]any{"rate": 4.5, "nper": 12, "pv": -1250})
	require.NoError(t, err)
	assert.JSONEq(t, string(ex["excel-functions#1"].RequestBody), string(e.wire.LastBody(t, "/functions/pmt")))
	assert.InDelta(t, 5625.00000734125, res.Value, 1e-9, "graphtest computes Microsoft's example")
}

// TestEmulatorAnswersLikeTheDocs reads from graphtest what Microsoft's
// examples show and checks the emulator sends every documented property.
func TestEmulatorAnswersLikeTheDocs(t *testing.T) {
	ex := wiretest.Load(t, "testdata/examples.json")
	e := newEnv(t)
	wb, _ := e.open("Docs.xlsx")
	con := e.account.Connection()
	get := func(rest string) []byte { return wiretest.Get(e.ctx, t, con, wb.URL()+rest) }
	_, err := e.rng(wb, "Sheet1!A1:C3").SetValues(e.ctx, [][]any{{"Date", "High", "Low"}, {42019, 53, 34}, {42020, 45, 39}})
	require.NoError(t, err)
	_, err = wb.AddTable(e.ctx, "Sheet1!A1:C3", true)
	require.NoError(t, err)
	_, err = wb.AddName(e.ctx, "data", "=Sheet1!$A$1:$C$3", "")
	require.NoError(t, err)

	for _, c := range []struct {
		example, rest string
		allowed       []string
	}{
		{"excel#2", "/worksheets", nil},
		{"excel#19", "/worksheets('Sheet1')/Range(address='A1:B2')", nil},
		{"excel#11", "/tables('1')", nil},
		{"excel#12", "/Tables('1')/Rows", nil},
		{"excel#13", "/Tables('1')/Columns", nil},
		{"excel#21", "/names", nil},
		{"rangeformat-update#1", "/worksheets/Sheet1/range(address='$A$1')/format", nil},
		{"rangeformat-update#2", "/worksheets/Sheet1/range(address='$A$1')/format/font", nil},
		{"rangeformat-update#3", "/worksheets/Sheet1/range(address='$A$1')/format/fill", nil},
	} {
		got := get(c.rest)
		assert.Empty(t, wiretest.MissingKeys(ex[c.example].ResponseBody, got, c.allowed...), "%s vs GET %s: %s", c.example, c.rest, got)
	}
	// The function result, and createSession's.
	resp, err := con.Post(e.ctx, wb.URL()+"/functions/pmt", map[string]any{"rate": 4.5, "nper": 12, "pv": -1250})
	require.NoError(t, err)
	var fr map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&fr))
	resp.Body.Close()
	body, _ := json.Marshal(fr)
	assert.Empty(t, wiretest.MissingKeys(ex["excel-functions#1"].ResponseBody, body))
	resp, err = con.Post(e.ctx, wb.URL()+"/createSession", map[string]any{"persistChanges": true})
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	var si map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&si))
	resp.Body.Close()
	body, _ = json.Marshal(si)
	assert.Empty(t, wiretest.MissingKeys(ex["workbook-createsession#2"].ResponseBody, body))
}

// answering answers the requests whose URL contains part with body,
// sending the rest on.
type answering struct {
	part string
	body []byte
	next http.RoundTripper
}

func (a answering) RoundTrip(r *http.Request) (*http.Response, error) {
	if !strings.Contains(r.URL.Path, a.part) {
		return a.next.RoundTrip(r)
	}
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(a.body)), Request: r}, nil
}

// TestFailedSessionOperation meets Microsoft's failed-operation example
// while opening a workbook: the error carries its codes.
func TestFailedSessionOperation(t *testing.T) {
	ex := wiretest.Load(t, "testdata/examples.json")
	e := newEnv(t)
	it := e.upload("Fails.xlsx")
	acct := o365test.SignIn(t, e.srv, adele, password, o365.WithScopes("excel", "onedrive"),
		o365.WithHTTPClient(&http.Client{Transport: answering{"/workbook/operations/", ex["workbook-best-practice#3"].ResponseBody, http.DefaultTransport}}))
	d, err := acct.Storage().DefaultDrive(e.ctx)
	require.NoError(t, err)
	item, err := d.Item(e.ctx, it.ID)
	require.NoError(t, err)
	_, err = excel.Open(e.ctx, item)
	require.Error(t, err)
	assert.ErrorContains(t, err, "the operation failed: internalServerError")
	assert.ErrorContains(t, err, "GenericFileOpenError The workbook cannot be opened.")
}
