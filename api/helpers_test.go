package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/go-o365/o365/api"
)

// testRequester implements api.Requester over a plain http.Client, the way
// *o365.Connection does minus tokens and retries: requests are built with
// api.NewRequest and any non-2xx answer becomes api.ErrorFromResponse.
type testRequester struct {
	client *http.Client
}

func newTestRequester(srv *httptest.Server) *testRequester {
	return &testRequester{client: srv.Client()}
}

func (r *testRequester) Do(req *http.Request) (*http.Response, error) {
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, api.ErrorFromResponse(resp)
	}
	return resp, nil
}

func (r *testRequester) send(ctx context.Context, method, rawURL string, params api.Params, body any) (*http.Response, error) {
	req, err := api.NewRequest(ctx, method, rawURL, params, body)
	if err != nil {
		return nil, err
	}
	return r.Do(req)
}

func (r *testRequester) Get(ctx context.Context, rawURL string, params api.Params) (*http.Response, error) {
	return r.send(ctx, http.MethodGet, rawURL, params, nil)
}

func (r *testRequester) Post(ctx context.Context, rawURL string, body any) (*http.Response, error) {
	return r.send(ctx, http.MethodPost, rawURL, nil, body)
}

func (r *testRequester) Patch(ctx context.Context, rawURL string, body any) (*http.Response, error) {
	return r.send(ctx, http.MethodPatch, rawURL, nil, body)
}

func (r *testRequester) Put(ctx context.Context, rawURL string, body any) (*http.Response, error) {
	return r.send(ctx, http.MethodPut, rawURL, nil, body)
}

func (r *testRequester) Delete(ctx context.Context, rawURL string) (*http.Response, error) {
	return r.send(ctx, http.MethodDelete, rawURL, nil, nil)
}

var _ api.Requester = (*testRequester)(nil)

// fakeProtocol resolves resources the way MSGraphProtocol documents it:
// "me" stays, a path with a slash is kept, anything else is a user.
type fakeProtocol struct {
	service  string
	resource string
}

func (p fakeProtocol) ServiceURL() string      { return p.service }
func (p fakeProtocol) DefaultResource() string { return p.resource }
func (p fakeProtocol) ResourcePath(r string) string {
	switch {
	case r == "me", strings.Contains(r, "/"):
		return r
	default:
		return "users/" + url.PathEscape(r)
	}
}
func (p fakeProtocol) ScopesFor(names ...string) []string { return names }

var _ api.Protocol = fakeProtocol{}

// recorded is what a test server saw of one request.
type recorded struct {
	Method   string
	Path     string
	RawQuery string
	Header   http.Header
	Body     string
}

// recorder keeps the requests a test server received, safely for the
// server's goroutines.
type recorder struct {
	mu   sync.Mutex
	reqs []recorded
}

func (rc *recorder) add(r *http.Request, body string) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.reqs = append(rc.reqs, recorded{
		Method:   r.Method,
		Path:     r.URL.Path,
		RawQuery: r.URL.RawQuery,
		Header:   r.Header.Clone(),
		Body:     body,
	})
}

func (rc *recorder) all() []recorded {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]recorded(nil), rc.reqs...)
}

func (rc *recorder) count() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.reqs)
}

// newServer starts an httptest server closed at the end of the test.
func newServer(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// writeJSON answers with status and a JSON body.
func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}
