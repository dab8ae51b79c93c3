package api_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-o365/o365/api"
)

const service = "https://graph.example/v1.0"

func testParent(con api.Requester) api.Parent {
	return api.ParentOf(con, fakeProtocol{service: service, resource: "me"})
}

func TestParentOf(t *testing.T) {
	con := &testRequester{client: http.DefaultClient}
	proto := fakeProtocol{service: service, resource: "users/shared@example.com"}
	p := api.ParentOf(con, proto)
	assert.Same(t, con, p.Con())
	assert.Equal(t, proto, p.Protocol())
	assert.Equal(t, "users/shared@example.com", p.MainResource(), "the protocol's default resource")
}

func TestComponentURLs(t *testing.T) {
	c := api.New(testParent(nil), map[string]string{
		"folders":  "/mailFolders",
		"relative": "messages",
	})
	assert.Equal(t, "me", c.MainResource())

	tests := []struct{ endpoint, url, base string }{
		{endpoint: "/mailFolders", url: service + "/me/mailFolders", base: service + "/mailFolders"},
		{endpoint: "mailFolders", url: service + "/me/mailFolders", base: service + "/mailFolders"},
		{endpoint: "/mailFolders/inbox/messages", url: service + "/me/mailFolders/inbox/messages", base: service + "/mailFolders/inbox/messages"},
		{endpoint: "", url: service + "/me", base: service},
		{endpoint: "https://graph.example/beta/me/insights", url: "https://graph.example/beta/me/insights", base: "https://graph.example/beta/me/insights"},
		{endpoint: "http://127.0.0.1:8080/v1.0/users?$skiptoken=x", url: "http://127.0.0.1:8080/v1.0/users?$skiptoken=x", base: "http://127.0.0.1:8080/v1.0/users?$skiptoken=x"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.url, c.BuildURL(tt.endpoint), "BuildURL(%q)", tt.endpoint)
		assert.Equal(t, tt.base, c.BuildBaseURL(tt.endpoint), "BuildBaseURL(%q)", tt.endpoint)
	}

	assert.Equal(t, "/mailFolders", c.Endpoint("folders"))
	assert.Equal(t, service+"/me/messages", c.BuildURL(c.Endpoint("relative")))
	assert.Empty(t, c.Endpoint("missing"))

	var none api.Component
	assert.Empty(t, none.Endpoint("anything"), "a nil endpoint table is empty, not a panic")
}

func TestNewForResource(t *testing.T) {
	parent := testParent(nil)
	tests := []struct{ resource, want string }{
		{resource: "", want: "me"},
		{resource: "me", want: "me"},
		{resource: "shared@example.com", want: "users/shared@example.com"},
		{resource: "users/0b1c2d3e", want: "users/0b1c2d3e"},
		{resource: "groups/02bd9fd6", want: "groups/02bd9fd6"},
		{resource: "sites/root", want: "sites/root"},
	}
	for _, tt := range tests {
		c := api.NewForResource(parent, tt.resource, map[string]string{"events": "/events"})
		assert.Equal(t, tt.want, c.MainResource(), "resource %q", tt.resource)
		assert.Equal(t, service+"/"+tt.want+"/events", c.BuildURL(c.Endpoint("events")), "resource %q", tt.resource)
	}
}

func TestComponentAsParent(t *testing.T) {
	con := &testRequester{client: http.DefaultClient}
	mailbox := api.NewForResource(testParent(con), "shared@example.com", nil)
	folder := api.New(&mailbox, map[string]string{"messages": "/mailFolders/inbox/messages"})
	assert.Same(t, con, folder.Con(), "the requester is inherited")
	assert.Equal(t, mailbox.Protocol(), folder.Protocol())
	assert.Equal(t, "users/shared@example.com", folder.MainResource(), "the resource is inherited")
	assert.Equal(t, service+"/users/shared@example.com/mailFolders/inbox/messages", folder.BuildURL(folder.Endpoint("messages")))
}

// apiServer answers every request with one status and body and records it.
func apiServer(t *testing.T, status int, body string) (*httptest.Server, *recorder) {
	t.Helper()
	rec := &recorder{}
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, _ := io.ReadAll(r.Body)
		rec.add(r, string(data))
		if status == http.StatusNoContent {
			w.WriteHeader(status)
			return
		}
		writeJSON(w, status, body)
	}))
	return srv, rec
}

func componentFor(srv *httptest.Server) api.Component {
	return api.New(api.ParentOf(newTestRequester(srv), fakeProtocol{service: srv.URL + "/v1.0", resource: "me"}), nil)
}

type event struct {
	ID      string `json:"id,omitempty"`
	Subject string `json:"subject,omitempty"`
}

func TestComponentVerbs(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name       string
		status     int
		call       func(c *api.Component, url string, out any) error
		wantMethod string
		wantBody   string
		wantQuery  string
	}{
		{
			name: "GetJSON", status: http.StatusOK, wantMethod: http.MethodGet, wantQuery: "%24select=subject",
			call: func(c *api.Component, url string, out any) error {
				return c.GetJSON(ctx, url, api.Params{"$select": "subject"}, out)
			},
		},
		{
			name: "PostJSON", status: http.StatusCreated, wantMethod: http.MethodPost, wantBody: `{"subject":"Plan"}`,
			call: func(c *api.Component, url string, out any) error {
				return c.PostJSON(ctx, url, event{Subject: "Plan"}, out)
			},
		},
		{
			name: "PatchJSON", status: http.StatusOK, wantMethod: http.MethodPatch, wantBody: `{"subject":"Plan"}`,
			call: func(c *api.Component, url string, out any) error {
				return c.PatchJSON(ctx, url, event{Subject: "Plan"}, out)
			},
		},
		{
			name: "PutJSON", status: http.StatusOK, wantMethod: http.MethodPut, wantBody: `{"subject":"Plan"}`,
			call: func(c *api.Component, url string, out any) error {
				return c.PutJSON(ctx, url, event{Subject: "Plan"}, out)
			},
		},
		{
			name: "DoJSON", status: http.StatusOK, wantMethod: http.MethodPost, wantBody: `{"subject":"Plan"}`,
			call: func(c *api.Component, url string, out any) error {
				req, err := api.NewRequest(ctx, http.MethodPost, url, nil, event{Subject: "Plan"})
				if err != nil {
					return err
				}
				req.Header.Set("Prefer", `outlook.timezone="UTC"`)
				return c.DoJSON(req, out)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, rec := apiServer(t, tt.status, `{"id":"AAMkAGI1","subject":"Plan"}`)
			c := componentFor(srv)

			var got event
			require.NoError(t, tt.call(&c, c.BuildURL("/events/AAMkAGI1"), &got))
			assert.Equal(t, event{ID: "AAMkAGI1", Subject: "Plan"}, got)

			require.NoError(t, tt.call(&c, c.BuildURL("/events/AAMkAGI1"), nil), "a nil out discards the answer")

			reqs := rec.all()
			require.Len(t, reqs, 2)
			for _, r := range reqs {
				assert.Equal(t, tt.wantMethod, r.Method)
				assert.Equal(t, "/v1.0/me/events/AAMkAGI1", r.Path)
				assert.Equal(t, tt.wantQuery, r.RawQuery)
				if tt.wantBody != "" {
					assert.JSONEq(t, tt.wantBody, r.Body)
					assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
				} else {
					assert.Empty(t, r.Body)
				}
			}
			if tt.name == "DoJSON" {
				assert.Equal(t, `outlook.timezone="UTC"`, reqs[0].Header.Get("Prefer"), "the caller's headers are sent")
			}
		})
	}
}

func TestComponentDelete(t *testing.T) {
	srv, rec := apiServer(t, http.StatusNoContent, "")
	c := componentFor(srv)
	require.NoError(t, c.Delete(context.Background(), c.BuildURL("/events/AAMkAGI1")))
	reqs := rec.all()
	require.Len(t, reqs, 1)
	assert.Equal(t, http.MethodDelete, reqs[0].Method)
	assert.Equal(t, "/v1.0/me/events/AAMkAGI1", reqs[0].Path)
}

func TestComponentNoContent(t *testing.T) {
	srv, _ := apiServer(t, http.StatusNoContent, "")
	c := componentFor(srv)
	got := event{Subject: "unchanged"}
	require.NoError(t, c.PatchJSON(context.Background(), c.BuildURL("/events/1"), event{Subject: "x"}, &got), "204 is success even when out is set")
	assert.Equal(t, event{Subject: "unchanged"}, got, "a 204 leaves out alone")

	require.NoError(t, c.PostJSON(context.Background(), c.BuildURL("/messages/1/send"), nil, &got))
}

func TestComponentGraphError(t *testing.T) {
	srv, _ := apiServer(t, http.StatusNotFound, `{"error":{"code":"ErrorItemNotFound","message":"The specified object was not found in the store.","innerError":{"request-id":"b1f0a6c2"}}}`)
	c := componentFor(srv)
	var out event
	err := c.GetJSON(context.Background(), c.BuildURL("/events/missing"), api.Params{"$select": "subject"}, &out)
	require.Error(t, err)
	assert.ErrorIs(t, err, api.ErrNotFound)
	var ge *api.GraphError
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, "ErrorItemNotFound", ge.Code)
	assert.Equal(t, "b1f0a6c2", ge.RequestID)
	assert.Equal(t, http.MethodGet, ge.Method)
	assert.Equal(t, srv.URL+"/v1.0/me/events/missing", ge.URL)
	assert.NotContains(t, err.Error(), "select")

	for _, call := range []func() error{
		func() error { return c.PostJSON(context.Background(), c.BuildURL("/events"), event{}, nil) },
		func() error { return c.PatchJSON(context.Background(), c.BuildURL("/events/1"), event{}, nil) },
		func() error { return c.PutJSON(context.Background(), c.BuildURL("/events/1"), event{}, nil) },
		func() error { return c.Delete(context.Background(), c.BuildURL("/events/1")) },
	} {
		assert.ErrorIs(t, call(), api.ErrNotFound)
	}
}

func TestComponentBadSuccessBodies(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string
	}{
		{name: "truncated", body: `{"id":"AAMkAGI1","subject":"Pla`, want: []string{"truncated", "GET", "/v1.0/me/events/1 response"}},
		{name: "empty", body: ``, want: []string{"empty"}},
		{name: "malformed", body: `{"id": AAMkAGI1}`, want: []string{"decoding", "invalid character 'A'"}},
		{name: "HTML", body: `<html><body>Please sign in</body></html>`, want: []string{"decoding", "invalid character '<'"}},
		{name: "wrong type", body: `{"id": 42}`, want: []string{"decoding", "cannot unmarshal number"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := apiServer(t, http.StatusOK, tt.body)
			c := componentFor(srv)
			var out event
			err := c.GetJSON(context.Background(), c.BuildURL("/events/1"), api.Params{"sig": "SECRET"}, &out)
			require.Error(t, err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.NotContains(t, err.Error(), "SECRET", "the query stays out of the message")
		})
	}
}

func TestDecodeResponse(t *testing.T) {
	newResp := func(status int, body string, req *http.Request) (*http.Response, *closeRecorder) {
		b := &closeRecorder{Reader: strings.NewReader(body)}
		return &http.Response{StatusCode: status, Header: http.Header{}, Body: b, Request: req}, b
	}

	resp, body := newResp(http.StatusOK, `{"id":"1","subject":"s"}`, nil)
	var out event
	require.NoError(t, api.DecodeResponse(resp, &out))
	assert.Equal(t, event{ID: "1", Subject: "s"}, out)
	assert.True(t, body.closed)

	resp, body = newResp(http.StatusOK, `{"id":"1","subj`, nil)
	err := api.DecodeResponse(resp, &out)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "truncated")
	assert.Contains(t, err.Error(), "decoding response", "without a request, the document is called the response")
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.True(t, body.closed)

	resp, body = newResp(http.StatusOK, `ignored`, nil)
	require.NoError(t, api.DecodeResponse(resp, nil), "nil out discards")
	assert.True(t, body.closed)

	resp, body = newResp(http.StatusNoContent, ``, nil)
	require.NoError(t, api.DecodeResponse(resp, &out))
	assert.True(t, body.closed)

	req, err := http.NewRequest(http.MethodPut, "https://up.example/up/123?tempauth=SECRET", nil)
	require.NoError(t, err)
	resp, _ = newResp(http.StatusOK, `{"nextExpectedRanges":`, req)
	err = api.DecodeResponse(resp, &out)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "PUT https://up.example/up/123 response")
	assert.NotContains(t, err.Error(), "SECRET")
}

func TestDecode(t *testing.T) {
	var v map[string]int
	require.NoError(t, api.Decode(strings.NewReader(`{"a":1}`), &v, "thing"))
	assert.Equal(t, map[string]int{"a": 1}, v)

	err := api.Decode(strings.NewReader(``), &v, "token response")
	require.Error(t, err)
	assert.Equal(t, "o365: decoding token response: body is empty: unexpected EOF", err.Error())
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)

	err = api.Decode(strings.NewReader(`{"a":`), &v, "users page")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "o365: decoding users page: body is truncated")

	err = api.Decode(strings.NewReader(`{"a":"x"}`), &v, "users page")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "o365: decoding users page: ")
	assert.NotContains(t, err.Error(), "truncated")
}

func TestMarshalUnmarshal(t *testing.T) {
	data, err := api.Marshal(event{ID: "1", Subject: "<b>&</b>"})
	require.NoError(t, err)
	var back event
	require.NoError(t, api.Unmarshal(data, &back))
	assert.Equal(t, event{ID: "1", Subject: "<b>&</b>"}, back)
	assert.Error(t, api.Unmarshal([]byte(`{"id":`), &back))
}
