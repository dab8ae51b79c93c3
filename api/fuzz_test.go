package api_test

import (
	"bytes"
	"errors"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/go-o365/o365/api"
)

// querySecret stands for a credential in an upload URL's query string.
const querySecret = "tempauthQ7VZ"

var statusSentinels = map[int]error{
	http.StatusBadRequest:         api.ErrBadRequest,
	http.StatusUnauthorized:       api.ErrUnauthorized,
	http.StatusForbidden:          api.ErrForbidden,
	http.StatusNotFound:           api.ErrNotFound,
	http.StatusConflict:           api.ErrConflict,
	http.StatusGone:               api.ErrGone,
	http.StatusPreconditionFailed: api.ErrPreconditionFailed,
	http.StatusTooManyRequests:    api.ErrThrottled,
	http.StatusServiceUnavailable: api.ErrServiceUnavailable,
}

func FuzzParseError(f *testing.F) {
	entries, err := os.ReadDir(filepath.Join("testdata", "errors"))
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join("testdata", "errors", e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(429, "application/json", data)
		f.Add(400, "", data)
		// Every prefix boundary is a plausible truncation.
		f.Add(503, "application/json", data[:len(data)/2])
	}
	for _, s := range []struct {
		status int
		ct     string
		body   string
	}{
		{502, "text/html", "<html><body>Bad Gateway</body></html>"},
		{503, "text/plain; charset=utf-8", "Service Unavailable"},
		{500, "", ""},
		{500, "application/json", `{"message":"no error member"}`},
		{400, "application/json", `{"error":"invalid_grant","error_description":"AADSTS70008: expired","correlation_id":"c"}`},
		{410, "application/json", `{"error":{"code":"syncStateNotFound","message":"x"}}`},
		{500, "application/json", `{"error":42}`},
		{500, "application/json", `[1,2,3]`},
		{500, "bogus/;;", "\xff\xfe\x00"},
		{0, "", "null"},
		{-1, "", `{"error":{"code":"x","innerError":{"request-id":7}}}`},
	} {
		f.Add(s.status, s.ct, []byte(s.body))
	}

	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		header := http.Header{}
		header.Set("Content-Type", contentType)
		header.Set("Retry-After", "2.128")
		e := api.ParseError(status, header, body)
		if e == nil {
			t.Fatal("ParseError returned nil")
		}
		if e.StatusCode != status {
			t.Fatalf("StatusCode = %d, want %d", e.StatusCode, status)
		}
		if e.RetryAfter != 2128*time.Millisecond {
			t.Fatalf("RetryAfter = %v, want 2.128s", e.RetryAfter)
		}
		msg := e.Error()
		if !strings.HasPrefix(msg, "o365: ") {
			t.Fatalf("Error() = %q lacks the o365 prefix", msg)
		}
		if !utf8.ValidString(msg) {
			t.Fatalf("Error() is not valid UTF-8: %q", msg)
		}
		if len(bytes.TrimSpace(body)) > 0 && e.Code == "" && e.Message == "" && !bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")) {
			t.Fatalf("a body that is not a JSON object gave no explanation: %q", body)
		}
		if sentinel, ok := statusSentinels[status]; ok && !errors.Is(e, sentinel) {
			t.Fatalf("status %d does not match %v", status, sentinel)
		}
		var ge *api.GraphError
		if !errors.As(error(e), &ge) || ge != e {
			t.Fatal("errors.As does not find the *GraphError")
		}

		// The same answer through ErrorFromResponse never shows the
		// request's query string.
		req, err := http.NewRequest(http.MethodPut, "https://up.example/up/abc?tempauth="+querySecret, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp := &http.Response{StatusCode: status, Header: header, Body: io.NopCloser(bytes.NewReader(body)), Request: req}
		err = api.ErrorFromResponse(resp)
		if !errors.As(err, &ge) || ge.StatusCode != status {
			t.Fatalf("ErrorFromResponse gave %v", err)
		}
		if !bytes.Contains(body, []byte(querySecret)) && strings.Contains(err.Error(), querySecret) {
			t.Fatalf("the request's query leaked into %q", err.Error())
		}
	})
}

func FuzzParseRetryAfter(f *testing.F) {
	now := time.Date(2024, time.March, 5, 10, 0, 0, 0, time.UTC)
	for _, v := range []string{
		"", "0", "2.128", "120", " 7 ", "-5", "-0", "1e300", "1e400", "NaN", "Inf", "-Inf",
		"2147483648", "99999999999999999999", "0x1p4", "soon",
		now.Add(90 * time.Second).Format(http.TimeFormat),
		now.Add(-time.Hour).Format(http.TimeFormat),
		"Fri, 31 Dec 9999 23:59:59 GMT",
		"Mon, 01 Jan 0001 00:00:00 GMT",
		now.Format(time.RFC850),
		now.Format(time.ANSIC),
	} {
		f.Add(v, now.Unix())
	}
	f.Add("Wed, 21 Oct 2015 07:28:00 GMT", int64(math.MinInt64))
	f.Add("Wed, 21 Oct 2015 07:28:00 GMT", int64(math.MaxInt64))

	f.Fuzz(func(t *testing.T, v string, nowUnix int64) {
		d, ok := api.ParseRetryAfter(v, time.Unix(nowUnix, 0))
		if d < 0 {
			t.Fatalf("ParseRetryAfter(%q) = %v, negative", v, d)
		}
		if !ok && d != 0 {
			t.Fatalf("ParseRetryAfter(%q) = %v with ok=false", v, d)
		}
		if secs, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && ok {
			if d > (1<<31)*time.Second {
				t.Fatalf("ParseRetryAfter(%q) = %v beyond the bound", v, d)
			}
			if secs < 0 || math.IsNaN(secs) {
				t.Fatalf("ParseRetryAfter(%q) accepted %v", v, secs)
			}
		}
	})
}

func FuzzParamsEncode(f *testing.F) {
	f.Add("$filter", "subject eq 'a b' and x+y", "$top", "10")
	f.Add("k;=&", "v;#?%", "", "")
	f.Add("\xff", "\x00 \t+", "é", "ü")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		p := api.Params{k1: v1, k2: v2}
		enc := p.Encode()
		if strings.ContainsAny(enc, " +") {
			t.Fatalf("Encode() = %q holds a raw space or '+'", enc)
		}
		back, err := url.ParseQuery(enc)
		if err != nil {
			t.Fatalf("Encode() = %q does not parse: %v", enc, err)
		}
		if len(back) != len(p) {
			t.Fatalf("Encode() = %q gives %d keys, want %d", enc, len(back), len(p))
		}
		for k, v := range p {
			if got := back[k]; len(got) != 1 || got[0] != v {
				t.Fatalf("Encode() = %q: key %q gives %q, want %q", enc, k, got, v)
			}
		}
	})
}

// pageRequester answers every request with the same body, limited to
// limit bytes for the decoder (as a Connection's bodies are), and counts
// the requests.
type pageRequester struct {
	testRequester
	body  string
	limit int64
	calls int
}

type limitedBody struct {
	io.ReadCloser
	limit int64
}

func (b limitedBody) MaxResponseSize() int64 { return b.limit }

func (r *pageRequester) Do(req *http.Request) (*http.Response, error) {
	r.calls++
	return &http.Response{StatusCode: http.StatusOK, Request: req, Header: http.Header{},
		Body: limitedBody{io.NopCloser(strings.NewReader(r.body)), r.limit}}, nil
}

// FuzzPage feeds arbitrary bodies to the page decoder as every page of a
// collection: iteration always ends, after at most two requests (a body
// that links on links to itself the second time), with at most one
// error, yielded last; a body past the size limit is never decoded whole.
func FuzzPage(f *testing.F) {
	f.Add(`{"value":[{"id":"1"},{"id":"2"}]}`)
	f.Add(`{"value":[{"id":"1"}],"@odata.nextLink":"https://graph.microsoft.com/v1.0/users?$skiptoken=x"}`)
	f.Add(`{"value":[],"@odata.nextLink":"https://graph.microsoft.com/v1.0/users"}`)
	f.Add(`{"value":[],"@odata.deltaLink":"https://graph.microsoft.com/v1.0/users/delta?$deltatoken=y","@odata.count":3}`)
	f.Add(`{"value":[{"id":1}]}`)
	f.Add(`{"value":{"id":"1"}}`)
	f.Add(`{"value":[` + strings.Repeat(`{"id":"padding"},`, 300) + `{"id":"last"}]}`)
	f.Add(`{"value":[{"id":"1"}`)
	f.Add(`<html>200 but not JSON</html>`)
	f.Add(``)
	f.Fuzz(func(t *testing.T, body string) {
		con := &pageRequester{body: body, limit: 4096}
		errs := 0
		for _, err := range api.List[struct {
			ID string `json:"id"`
		}](t.Context(), con, "https://graph.microsoft.com/v1.0/users") {
			if errs > 0 {
				t.Fatal("iteration went on after an error")
			}
			if err != nil {
				errs++
			}
		}
		if con.calls > 2 {
			t.Fatalf("%d requests for a body that can link to itself only", con.calls)
		}
		if len(strings.TrimRight(body, " \t\r\n")) > 4096 && errs == 0 {
			t.Fatalf("a %d-byte body decoded under a 4096-byte limit", len(body))
		}
	})
}
