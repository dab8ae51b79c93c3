package api_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-o365/o365/api"
)

// docFixture is an error body from Microsoft's documentation (see
// testdata/README.md) with the status and headers shown beside it.
type docFixture struct {
	file   string
	status int
	header http.Header
}

var docFixtures = []docFixture{
	// The generic body is shown without a status; 400 stands in.
	{file: "generic-innerError-requestId.json", status: http.StatusBadRequest},
	{file: "generic-innerError-request-id.json", status: http.StatusBadRequest},
	{file: "throttling-429.json", status: http.StatusTooManyRequests, header: http.Header{
		"Content-Type": {"application/json"},
		"Retry-After":  {"2.128"},
	}},
	{file: "mime-invalid-base64-400.json", status: http.StatusBadRequest, header: http.Header{
		"Content-Type": {"application/json"},
	}},
	{file: "upload-name-conflict-409.json", status: http.StatusConflict, header: http.Header{
		"Content-Type": {"application/json"},
	}},
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "errors", name))
	require.NoError(t, err)
	return data
}

func TestParseErrorDocumentedBodies(t *testing.T) {
	t.Run("generic body, innerError.requestId", func(t *testing.T) {
		e := api.ParseError(http.StatusBadRequest, nil, readTestdata(t, "generic-innerError-requestId.json"))
		assert.Equal(t, &api.GraphError{
			StatusCode: http.StatusBadRequest,
			Code:       "invalidRange",
			Message:    "Uploaded fragment overlaps with existing data.",
			RequestID:  "request-id",
			Date:       "date-time",
		}, e)
		assert.Equal(t, "o365: 400 Bad Request: invalidRange: Uploaded fragment overlaps with existing data. (request-id request-id)", e.Error())
	})
	t.Run("generic body, innerError.request-id", func(t *testing.T) {
		e := api.ParseError(http.StatusBadRequest, nil, readTestdata(t, "generic-innerError-request-id.json"))
		assert.Equal(t, &api.GraphError{
			StatusCode: http.StatusBadRequest,
			Code:       "invalidRange",
			Message:    "Uploaded fragment overlaps with existing data.",
			RequestID:  "request-id",
			Date:       "date-time",
		}, e)
	})
	t.Run("throttling 429 with fractional Retry-After", func(t *testing.T) {
		f := docFixtures[2]
		e := api.ParseError(f.status, f.header, readTestdata(t, f.file))
		assert.Equal(t, &api.GraphError{
			StatusCode: http.StatusTooManyRequests,
			Code:       "TooManyRequests",
			Message:    "Please retry again later.",
			InnerCode:  "429",
			RequestID:  "94fb3b52-452a-4535-a601-69e0a90e3aa2",
			Date:       "2020-08-18T12:51:51",
			RetryAfter: 2128 * time.Millisecond,
		}, e)
		assert.ErrorIs(t, e, api.ErrThrottled)
		assert.Contains(t, e.Error(), "429 Too Many Requests")
		assert.Contains(t, e.Error(), "94fb3b52-452a-4535-a601-69e0a90e3aa2")
	})
	t.Run("body without innerError", func(t *testing.T) {
		f := docFixtures[3]
		e := api.ParseError(f.status, f.header, readTestdata(t, f.file))
		assert.Equal(t, &api.GraphError{
			StatusCode: http.StatusBadRequest,
			Code:       "ErrorMimeContentInvalidBase64String",
			Message:    "Invalid base64 string for MIME content.",
		}, e)
		assert.ErrorIs(t, e, api.ErrBadRequest)
	})
	t.Run("documented body that is not strict JSON", func(t *testing.T) {
		// As published, the upload-conflict example has a trailing comma.
		f := docFixtures[4]
		e := api.ParseError(f.status, f.header, readTestdata(t, f.file))
		assert.Equal(t, http.StatusConflict, e.StatusCode)
		assert.Empty(t, e.Code, "nothing is guessed out of a body that does not parse")
		assert.Contains(t, e.Message, "malformed JSON")
		assert.Contains(t, e.Message, "upload_name_conflict", "the message quotes the body")
		assert.ErrorIs(t, e, api.ErrConflict)
	})
}

func TestParseErrorLowercaseInnererror(t *testing.T) {
	// Graph also spells the inner object "innererror" (not in the docs'
	// examples, seen on the wire).
	e := api.ParseError(http.StatusNotFound, nil, []byte(`{"error":{"code":"itemNotFound","message":"Item not found","innererror":{"code":"objectNotFound","date":"2024-01-02T03:04:05","request-id":"rid-1","client-request-id":"crid-1"}}}`))
	assert.Equal(t, &api.GraphError{
		StatusCode:      http.StatusNotFound,
		Code:            "itemNotFound",
		Message:         "Item not found",
		InnerCode:       "objectNotFound",
		RequestID:       "rid-1",
		ClientRequestID: "crid-1",
		Date:            "2024-01-02T03:04:05",
	}, e)
}

func TestParseErrorRequestID(t *testing.T) {
	header := http.Header{}
	header.Set("request-id", "from-header")
	header.Set("client-request-id", "client-from-header")

	t.Run("from the header when the body has none", func(t *testing.T) {
		e := api.ParseError(http.StatusNotFound, header, []byte(`{"error":{"code":"itemNotFound","message":"gone"}}`))
		assert.Equal(t, "from-header", e.RequestID)
		assert.Equal(t, "client-from-header", e.ClientRequestID)
		assert.Contains(t, e.Error(), "(request-id from-header)")
	})
	t.Run("from the header when the body is not JSON", func(t *testing.T) {
		e := api.ParseError(http.StatusBadGateway, header, []byte(`<html>Bad Gateway</html>`))
		assert.Equal(t, "from-header", e.RequestID)
	})
	t.Run("from the body", func(t *testing.T) {
		e := api.ParseError(http.StatusNotFound, nil, []byte(`{"error":{"code":"itemNotFound","message":"gone","innerError":{"request-id":"from-body","client-request-id":"client-from-body"}}}`))
		assert.Equal(t, "from-body", e.RequestID)
		assert.Equal(t, "client-from-body", e.ClientRequestID)
	})
	t.Run("the body's camel-case spelling", func(t *testing.T) {
		e := api.ParseError(http.StatusNotFound, nil, []byte(`{"error":{"code":"itemNotFound","message":"gone","innerError":{"requestId":"camel"}}}`))
		assert.Equal(t, "camel", e.RequestID)
	})
	t.Run("body and header both present", func(t *testing.T) {
		e := api.ParseError(http.StatusNotFound, header, []byte(`{"error":{"code":"itemNotFound","message":"gone","innerError":{"request-id":"from-body"}}}`))
		assert.Equal(t, "from-body", e.RequestID, "the body names the request Graph logged")
		assert.Equal(t, "client-from-header", e.ClientRequestID, "kept from the header when the body has none")
	})
}

func TestGraphErrorIsSentinels(t *testing.T) {
	sentinels := map[int]error{
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
	statuses := []int{400, 401, 403, 404, 409, 410, 412, 429, 500, 502, 503, 504}
	for _, status := range statuses {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			e := api.ParseError(status, nil, []byte(`{"error":{"code":"someCode","message":"m"}}`))
			// Wrapped, as components do when they add context.
			err := fmt.Errorf("listing users: %w", e)
			for s, sentinel := range sentinels {
				if s == status {
					assert.ErrorIs(t, err, sentinel)
				} else {
					assert.NotErrorIs(t, err, sentinel, "status %d must not match %v", status, sentinel)
				}
			}
			if status != http.StatusGone {
				assert.NotErrorIs(t, err, api.ErrSyncStateNotFound)
			}
			assert.NotErrorIs(t, err, io.EOF, "unrelated errors never match")
			var ge *api.GraphError
			require.ErrorAs(t, err, &ge)
			assert.Same(t, e, ge)
		})
	}
}

func TestErrSyncStateNotFound(t *testing.T) {
	for _, code := range []string{"syncStateNotFound", "resyncRequired", "SyncStateNotFound"} {
		t.Run(code, func(t *testing.T) {
			e := api.ParseError(http.StatusGone, nil, []byte(`{"error":{"code":"`+code+`","message":"The sync state generation is not found."}}`))
			assert.ErrorIs(t, e, api.ErrSyncStateNotFound)
			assert.ErrorIs(t, e, api.ErrGone, "still a 410")
			assert.NotErrorIs(t, e, api.ErrNotFound)
			assert.NotErrorIs(t, fmt.Errorf("delta: %w", e), api.ErrBadRequest)
			assert.ErrorIs(t, fmt.Errorf("delta: %w", e), api.ErrSyncStateNotFound)
		})
	}
	other := api.ParseError(http.StatusNotFound, nil, []byte(`{"error":{"code":"itemNotFound","message":"x"}}`))
	assert.NotErrorIs(t, other, api.ErrSyncStateNotFound)
	assert.NotErrorIs(t, errors.New("o365: delta sync state expired"), api.ErrSyncStateNotFound, "matched by identity, not by text")
}

func TestParseErrorBadBodies(t *testing.T) {
	html := "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><h1>Bad Gateway</h1><p>The proxy server received an invalid response.</p></body></html>"
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		want        []string
	}{
		{name: "HTML page from a proxy", status: 502, contentType: "text/html; charset=utf-8", body: html,
			want: []string{"text/html", "not JSON", "502 Bad Gateway"}},
		{name: "HTML page without content type", status: 502, body: html,
			want: []string{"HTML", "not JSON", "Bad Gateway"}},
		{name: "HTML page labelled as JSON", status: 500, contentType: "application/json", body: html,
			want: []string{"HTML", "not JSON"}},
		{name: "truncated JSON", status: 500, contentType: "application/json", body: `{"error":{"code":"generalException","message":"An unexpected err`,
			want: []string{"truncated", `{"error":{"code":"generalException"`}},
		{name: "JSON cut after a key", status: 500, body: `{"error"`,
			want: []string{"truncated"}},
		{name: "empty body", status: 503, body: ``,
			want: []string{"empty error body"}},
		{name: "whitespace body", status: 503, body: " \r\n\t",
			want: []string{"empty error body"}},
		{name: "plain text", status: 503, contentType: "text/plain", body: "Service Unavailable",
			want: []string{"text/plain", "not JSON", "Service Unavailable"}},
		{name: "plain text without content type", status: 503, body: "upstream connect error or disconnect/reset before headers",
			want: []string{"malformed JSON", "upstream connect error"}},
		{name: "JSON without error", status: 500, contentType: "application/json", body: `{"message":"Internal Server Error","status":500}`,
			want: []string{`no "error" object`, "Internal Server Error"}},
		{name: "JSON null", status: 500, body: `null`,
			want: []string{`no "error" object`}},
		{name: "JSON with a null error", status: 500, body: `{"error":null}`,
			want: []string{`no "error" object`}},
		{name: "JSON array", status: 500, body: `[{"code":"x"}]`,
			want: []string{"not Graph's error document", `[{"code":"x"}]`}},
		{name: "error of the wrong type", status: 500, body: `{"error":42}`,
			want: []string{`"error"`, "42"}},
		{name: "trailing comma", status: 409, body: `{"error":{"code":"nameAlreadyExists","message":"x",}}`,
			want: []string{"malformed JSON", "nameAlreadyExists"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := http.Header{}
			if tt.contentType != "" {
				header.Set("Content-Type", tt.contentType)
			}
			e := api.ParseError(tt.status, header, []byte(tt.body))
			require.NotNil(t, e)
			assert.Equal(t, tt.status, e.StatusCode)
			assert.Empty(t, e.Code)
			for _, w := range tt.want {
				assert.Contains(t, e.Message, w)
				assert.Contains(t, e.Error(), w)
			}
			assert.NotContains(t, e.Error(), "\n", "one line")
			assert.NotContains(t, e.Error(), "struct {", "no Go type names leak into the message")
			assert.True(t, utf8.ValidString(e.Error()))
		})
	}
}

func TestParseErrorOAuthBody(t *testing.T) {
	// The identity platform answers with OAuth error documents.
	header := http.Header{}
	header.Set("Content-Type", "application/json; charset=utf-8")
	body := `{"error":"invalid_grant","error_description":"AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.","error_codes":[70008],"timestamp":"2024-05-01 10:00:00Z","trace_id":"0b4f7a5e-0000-4b8d-9d0e-4a3c2b1a0000","correlation_id":"5e6f7a8b-1111-4c2d-8e9f-0a1b2c3d4e5f"}`
	e := api.ParseError(http.StatusBadRequest, header, []byte(body))
	assert.Equal(t, "invalid_grant", e.Code)
	assert.Equal(t, "AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.", e.Message)
	assert.Equal(t, "5e6f7a8b-1111-4c2d-8e9f-0a1b2c3d4e5f", e.RequestID, "the correlation id is what support asks for")
	assert.ErrorIs(t, e, api.ErrBadRequest)
	assert.NotContains(t, e.Error(), "malformed")
}

func TestParseErrorMemberOfWrongType(t *testing.T) {
	// A member of an unexpected type does not throw away the rest.
	e := api.ParseError(http.StatusNotFound, nil, []byte(`{"error":{"code":"itemNotFound","message":"Item not found","innerError":{"date":20240102,"request-id":"rid-2"}}}`))
	assert.Equal(t, "itemNotFound", e.Code)
	assert.Equal(t, "Item not found", e.Message)
	assert.Equal(t, "rid-2", e.RequestID)

	e = api.ParseError(http.StatusNotFound, nil, []byte(`{"error":{"code":404,"message":"Item not found"}}`))
	assert.Empty(t, e.Code)
	assert.Equal(t, "Item not found", e.Message)
}

func TestParseErrorLongBodySnippet(t *testing.T) {
	long := "<html><body>" + strings.Repeat("é proxy says no ", 200) + "</body></html>"
	e := api.ParseError(http.StatusBadGateway, nil, []byte(long))
	assert.Less(t, len(e.Message), 300, "a long body is shortened")
	assert.True(t, strings.HasSuffix(e.Message, "…"), "and says so")
	assert.True(t, utf8.ValidString(e.Message), "without cutting a character in half")
}

func TestParseErrorInvalidUTF8Body(t *testing.T) {
	for _, body := range [][]byte{
		{0xff, 0xfe, 'o', 'o', 'p', 's'},
		append([]byte("<html>"), append([]byte{0xc3}, []byte(strings.Repeat("x", 300))...)...),
	} {
		e := api.ParseError(http.StatusInternalServerError, nil, body)
		assert.True(t, utf8.ValidString(e.Error()), "message %q", e.Error())
		assert.NotEmpty(t, e.Message)
	}
	// A bad byte early in a long body must not swallow the rest of the
	// snippet.
	e := api.ParseError(http.StatusInternalServerError, nil, append([]byte("<p>\xff"), []byte(strings.Repeat("visible ", 50))...))
	assert.Contains(t, e.Message, "visible")
}

func TestParseErrorRetryAfterHeader(t *testing.T) {
	h := http.Header{}
	h.Set("Retry-After", "30")
	e := api.ParseError(http.StatusServiceUnavailable, h, []byte(`{"error":{"code":"serviceNotAvailable","message":"x"}}`))
	assert.Equal(t, 30*time.Second, e.RetryAfter)

	h.Set("Retry-After", "soon")
	e = api.ParseError(http.StatusServiceUnavailable, h, nil)
	assert.Zero(t, e.RetryAfter, "an unreadable Retry-After is ignored")

	e = api.ParseError(http.StatusServiceUnavailable, nil, nil)
	assert.Zero(t, e.RetryAfter)
}

func TestGraphErrorMessageWithoutDetails(t *testing.T) {
	assert.Equal(t, "o365: 404 Not Found", (&api.GraphError{StatusCode: 404}).Error())
	assert.Equal(t, "o365: DELETE https://graph.example/v1.0/me/events/1: 412 Precondition Failed: preconditionFailed",
		(&api.GraphError{StatusCode: 412, Code: "preconditionFailed", Method: "DELETE", URL: "https://graph.example/v1.0/me/events/1"}).Error())
}

// closeRecorder is a response body that reports whether it was closed.
type closeRecorder struct {
	io.Reader
	closed bool
}

func (c *closeRecorder) Close() error { c.closed = true; return nil }

func TestErrorFromResponse(t *testing.T) {
	req, err := http.NewRequest(http.MethodPut, "https://sn3302.up.1drv.com/up/fe6987415ace7X4e1eF866337?tempauth=eyJ0eXAiOiJKV1QiSECRET&x=1", nil)
	require.NoError(t, err)
	body := &closeRecorder{Reader: strings.NewReader(string(readTestdata(t, "throttling-429.json")))}
	resp := &http.Response{
		StatusCode: http.StatusTooManyRequests,
		Header:     http.Header{"Retry-After": {"2.128"}, "Content-Type": {"application/json"}},
		Body:       body,
		Request:    req,
	}
	err = api.ErrorFromResponse(resp)
	require.Error(t, err)
	assert.True(t, body.closed, "the body is closed")

	var ge *api.GraphError
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, http.MethodPut, ge.Method)
	assert.Equal(t, "https://sn3302.up.1drv.com/up/fe6987415ace7X4e1eF866337", ge.URL)
	assert.Equal(t, "TooManyRequests", ge.Code)
	assert.Equal(t, 2128*time.Millisecond, ge.RetryAfter)
	assert.ErrorIs(t, err, api.ErrThrottled)
	msg := err.Error()
	assert.Contains(t, msg, "PUT https://sn3302.up.1drv.com/up/fe6987415ace7X4e1eF866337: 429")
	assert.NotContains(t, msg, "tempauth")
	assert.NotContains(t, msg, "SECRET")
	assert.NotContains(t, msg, "?")
}

func TestErrorFromResponseOverHTTP(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("request-id", "5d0e7c3e-hdr")
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>")
	}))
	resp, err := srv.Client().Get(srv.URL + "/v1.0/me/drive/root/children?$skiptoken=SECRET")
	require.NoError(t, err)
	err = api.ErrorFromResponse(resp)
	var ge *api.GraphError
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, http.StatusBadGateway, ge.StatusCode)
	assert.Equal(t, "5d0e7c3e-hdr", ge.RequestID)
	assert.Equal(t, srv.URL+"/v1.0/me/drive/root/children", ge.URL)
	assert.Contains(t, err.Error(), "text/html")
	assert.Contains(t, err.Error(), "nginx")
	assert.NotContains(t, err.Error(), "SECRET")
}

// failingReader returns some data, then an error.
type failingReader struct {
	data []byte
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) > 0 {
		n := copy(p, f.data)
		f.data = f.data[n:]
		return n, nil
	}
	return 0, f.err
}

func TestErrorFromResponseBodyReadFails(t *testing.T) {
	reset := errors.New("connection reset by peer")
	for _, prefix := range []string{"", `{"error":{"code":"gener`} {
		resp := &http.Response{
			StatusCode: http.StatusInternalServerError,
			Header:     http.Header{},
			Body:       io.NopCloser(&failingReader{data: []byte(prefix), err: reset}),
		}
		err := api.ErrorFromResponse(resp)
		var ge *api.GraphError
		require.ErrorAs(t, err, &ge)
		assert.Equal(t, http.StatusInternalServerError, ge.StatusCode)
		assert.Contains(t, ge.Message, "could not be read", "prefix %q", prefix)
		assert.Contains(t, ge.Message, "connection reset by peer", "prefix %q", prefix)
	}

	// A complete Graph error followed by a read error keeps Graph's words.
	resp := &http.Response{
		StatusCode: http.StatusNotFound,
		Header:     http.Header{},
		Body:       io.NopCloser(&failingReader{data: []byte(`{"error":{"code":"itemNotFound","message":"The resource could not be found."}}`), err: reset}),
	}
	var ge *api.GraphError
	require.ErrorAs(t, api.ErrorFromResponse(resp), &ge)
	assert.Equal(t, "itemNotFound", ge.Code)
	assert.Equal(t, "The resource could not be found.", ge.Message)
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestErrorFromResponseBoundsTheBody(t *testing.T) {
	counter := &countingReader{r: io.MultiReader(strings.NewReader("<html>"), strings.NewReader(strings.Repeat("a", 10<<20)))}
	body := &closeRecorder{Reader: counter}
	err := api.ErrorFromResponse(&http.Response{StatusCode: 500, Header: http.Header{}, Body: body})
	var ge *api.GraphError
	require.ErrorAs(t, err, &ge)
	assert.LessOrEqual(t, counter.n, 1<<20, "a 10 MiB error body is not read whole")
	assert.Less(t, len(ge.Message), 1000, "nor copied whole into the message")
	assert.True(t, body.closed)
}
