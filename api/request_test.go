package api_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-o365/o365/api"
)

// ctxKey marks a context so a test can tell it was attached.
type ctxKey struct{}

func readAll(t *testing.T, r io.Reader) string {
	t.Helper()
	data, err := io.ReadAll(r)
	require.NoError(t, err)
	return string(data)
}

// replay reads the body GetBody produces, as a retry would.
func replay(t *testing.T, req *http.Request) string {
	t.Helper()
	require.NotNil(t, req.GetBody, "the body must be replayable")
	body, err := req.GetBody()
	require.NoError(t, err)
	defer body.Close()
	return readAll(t, body)
}

func TestNewRequestJSONBody(t *testing.T) {
	ctx := context.WithValue(context.Background(), ctxKey{}, "marker")
	body := map[string]any{"subject": "Q3 report <draft> & notes", "isRead": false}
	req, err := api.NewRequest(ctx, http.MethodPost, "https://graph.example/v1.0/me/messages", nil, body)
	require.NoError(t, err)

	assert.Equal(t, http.MethodPost, req.Method)
	assert.Equal(t, "https://graph.example/v1.0/me/messages", req.URL.String())
	assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
	assert.Equal(t, "application/json", req.Header.Get("Accept"))
	assert.Equal(t, "marker", req.Context().Value(ctxKey{}), "the caller's context is attached")

	want, err := api.Marshal(body)
	require.NoError(t, err)
	assert.Equal(t, int64(len(want)), req.ContentLength)
	assert.JSONEq(t, `{"subject":"Q3 report <draft> & notes","isRead":false}`, readAll(t, req.Body))

	// A retry replays the whole body, however often (msgraph-sdk-go #341).
	assert.Equal(t, string(want), replay(t, req))
	assert.Equal(t, string(want), replay(t, req))
}

func TestNewRequestStructBody(t *testing.T) {
	type patch struct {
		DisplayName string `json:"displayName"`
		JobTitle    string `json:"jobTitle,omitempty"`
	}
	req, err := api.NewRequest(context.Background(), http.MethodPatch, "https://graph.example/v1.0/me", nil, patch{DisplayName: "Adele"})
	require.NoError(t, err)
	assert.Equal(t, `{"displayName":"Adele"}`, readAll(t, req.Body))
	assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
}

func TestNewRequestBytesBody(t *testing.T) {
	data := []byte{0x00, 0x01, 0xfe, 0xff, 'x'}
	req, err := api.NewRequest(context.Background(), http.MethodPut, "https://graph.example/v1.0/me/drive/root:/a.bin:/content", nil, data)
	require.NoError(t, err)
	assert.Equal(t, "application/octet-stream", req.Header.Get("Content-Type"))
	assert.Equal(t, int64(len(data)), req.ContentLength)
	assert.Equal(t, string(data), readAll(t, req.Body))
	assert.Equal(t, string(data), replay(t, req))
	assert.Equal(t, string(data), replay(t, req))
}

// onlyReader hides every method but Read, so net/http cannot tell its length
// or rewind it.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

func TestNewRequestReaderBody(t *testing.T) {
	req, err := api.NewRequest(context.Background(), http.MethodPut, "https://graph.example/upload", nil, onlyReader{strings.NewReader("streamed bytes")})
	require.NoError(t, err)
	assert.Equal(t, "application/octet-stream", req.Header.Get("Content-Type"))
	assert.Equal(t, "streamed bytes", readAll(t, req.Body), "streamed as it is")
	assert.Nil(t, req.GetBody, "a plain reader cannot be replayed, and the request says so")

	// A reader that is JSON-encodable data is still streamed, not encoded.
	req, err = api.NewRequest(context.Background(), http.MethodPost, "https://graph.example/upload", nil, strings.NewReader(`{"raw":true}`))
	require.NoError(t, err)
	assert.Equal(t, `{"raw":true}`, readAll(t, req.Body))
	assert.Equal(t, "application/octet-stream", req.Header.Get("Content-Type"))
}

func TestNewRequestNilBody(t *testing.T) {
	req, err := api.NewRequest(context.Background(), http.MethodGet, "https://graph.example/v1.0/me", nil, nil)
	require.NoError(t, err)
	assert.Empty(t, req.Header.Get("Content-Type"), "no body, no Content-Type")
	assert.Equal(t, "application/json", req.Header.Get("Accept"))
	assert.Zero(t, req.ContentLength)
	if req.Body != nil {
		assert.Empty(t, readAll(t, req.Body))
	}
}

func TestNewRequestParams(t *testing.T) {
	req, err := api.NewRequest(context.Background(), http.MethodGet, "https://graph.example/v1.0/me/messages?$select=subject",
		api.Params{"$top": "5", "$filter": "subject eq 'a b'"}, nil)
	require.NoError(t, err)
	assert.Equal(t, "%24filter=subject%20eq%20%27a%20b%27&%24select=subject&%24top=5", req.URL.RawQuery)
	q := req.URL.Query()
	assert.Equal(t, "subject eq 'a b'", q.Get("$filter"))
	assert.Equal(t, "subject", q.Get("$select"))
	assert.Equal(t, "5", q.Get("$top"))
}

func TestNewRequestKeepsURLWithoutParams(t *testing.T) {
	// An opaque link (nextLink, upload URL) goes out exactly as given.
	raw := "https://graph.example/v1.0/users?$skiptoken=X%2BY%2F%3D&$top=2"
	req, err := api.NewRequest(context.Background(), http.MethodGet, raw, nil, nil)
	require.NoError(t, err)
	assert.Equal(t, raw, req.URL.String())
	assert.Equal(t, "$skiptoken=X%2BY%2F%3D&$top=2", req.URL.RawQuery)
}

func TestNewRequestUnencodableBody(t *testing.T) {
	_, err := api.NewRequest(context.Background(), http.MethodPost, "https://up.example/session?tempauth=SECRET", nil, map[string]any{"c": make(chan int)})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "encoding POST https://up.example/session body")
	assert.NotContains(t, err.Error(), "SECRET")
}

func TestNewRequestInvalidURL(t *testing.T) {
	tests := []struct {
		name   string
		url    string
		params api.Params
	}{
		{name: "bad host with params", url: "http://[::1/users?tempauth=SECRET", params: api.Params{"$top": "1"}},
		{name: "bad host without params", url: "http://[::1/users?tempauth=SECRET"},
		{name: "control character with params", url: "https://up.example/session?tempauth=SECRET\n", params: api.Params{"a": "b"}},
		{name: "control character without params", url: "https://up.example/session?tempauth=SECRET\n"},
		{name: "missing scheme", url: "://graph.example/v1.0/me"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := api.NewRequest(context.Background(), http.MethodGet, tt.url, tt.params, nil)
			require.Error(t, err)
			assert.Nil(t, req)
			assert.Contains(t, err.Error(), "invalid URL")
			assert.NotContains(t, err.Error(), "SECRET", "the query of a URL may hold credentials")
		})
	}
}

func TestNewRequestInvalidMethod(t *testing.T) {
	_, err := api.NewRequest(context.Background(), "BAD METHOD", "https://graph.example/v1.0/me", nil, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "BAD METHOD")
}

func TestParamsEncode(t *testing.T) {
	tests := []struct {
		name   string
		params api.Params
		want   string
	}{
		{name: "nil", params: nil, want: ""},
		{name: "empty", params: api.Params{}, want: ""},
		{name: "sorted keys", params: api.Params{"b": "2", "c": "3", "a": "1"}, want: "a=1&b=2&c=3"},
		{name: "space as %20", params: api.Params{"$search": `"display name"`}, want: "%24search=%22display%20name%22"},
		{name: "plus as %2B", params: api.Params{"$filter": "a+b eq 1"}, want: "%24filter=a%2Bb%20eq%201"},
		{name: "separators escaped", params: api.Params{"k&=": "v&w=x#y?z"}, want: "k%26%3D=v%26w%3Dx%23y%3Fz"},
		{name: "non-ASCII", params: api.Params{"q": "café ü"}, want: "q=caf%C3%A9%20%C3%BC"},
		{name: "empty value", params: api.Params{"$count": ""}, want: "%24count="},
		{name: "percent sign", params: api.Params{"q": "100%"}, want: "q=100%25"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.params.Encode())
		})
	}
}

func TestParamsEncodeRoundTrip(t *testing.T) {
	p := api.Params{
		"$filter":        "startswith(displayName,'A & B') and mail ne null",
		"$search":        `"subject:report + summary"`,
		"$orderby":       "receivedDateTime desc",
		"key with space": "value=with=equals",
	}
	parsed, err := url.ParseQuery(p.Encode())
	require.NoError(t, err)
	require.Len(t, parsed, len(p))
	for k, v := range p {
		assert.Equal(t, []string{v}, parsed[k], "key %q", k)
	}
}

func TestAddParams(t *testing.T) {
	t.Run("merges with the existing query", func(t *testing.T) {
		got, err := api.AddParams("https://graph.example/v1.0/me/messages?$select=subject&$top=10", api.Params{"$top": "5", "$orderby": "subject desc"})
		require.NoError(t, err)
		assert.Equal(t, "https://graph.example/v1.0/me/messages?%24orderby=subject%20desc&%24select=subject&%24top=5", got)
		u, err := url.Parse(got)
		require.NoError(t, err)
		assert.Equal(t, "5", u.Query().Get("$top"), "params override the URL's own")
		assert.Equal(t, "subject", u.Query().Get("$select"), "the URL's own are kept")
	})
	t.Run("no query yet", func(t *testing.T) {
		got, err := api.AddParams("https://graph.example/v1.0/users", api.Params{"$top": "1"})
		require.NoError(t, err)
		assert.Equal(t, "https://graph.example/v1.0/users?%24top=1", got)
	})
	t.Run("no params leaves the URL alone", func(t *testing.T) {
		raw := "https://graph.example/v1.0/users?$skiptoken=a%2Bb&x=y+z"
		for _, p := range []api.Params{nil, {}} {
			got, err := api.AddParams(raw, p)
			require.NoError(t, err)
			assert.Equal(t, raw, got)
		}
	})
	t.Run("encoded values survive the merge", func(t *testing.T) {
		got, err := api.AddParams("https://graph.example/v1.0/users?$skiptoken=a%2Bb%2Fc%3D", api.Params{"$top": "2"})
		require.NoError(t, err)
		u, err := url.Parse(got)
		require.NoError(t, err)
		assert.Equal(t, "a+b/c=", u.Query().Get("$skiptoken"))
	})
	t.Run("path and fragment kept", func(t *testing.T) {
		got, err := api.AddParams("https://graph.example/v1.0/users/a%40b.com/messages", api.Params{"$top": "2"})
		require.NoError(t, err)
		assert.Equal(t, "https://graph.example/v1.0/users/a%40b.com/messages?%24top=2", got)
	})
	t.Run("invalid URL", func(t *testing.T) {
		_, err := api.AddParams("http://[::1/x?sig=SECRET", api.Params{"a": "b"})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "invalid URL")
		assert.NotContains(t, err.Error(), "SECRET")
	})
}

func TestRedactURL(t *testing.T) {
	assert.Equal(t, "https://up.example/up/abc", api.RedactURL("https://up.example/up/abc?tempauth=SECRET&x=1"))
	assert.Equal(t, "https://graph.example/v1.0/me", api.RedactURL("https://graph.example/v1.0/me"))
	assert.Equal(t, "https://graph.example/v1.0/me", api.RedactURL("https://graph.example/v1.0/me?"))
	assert.Equal(t, "", api.RedactURL(""))
}
