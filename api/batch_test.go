package api_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-o365/o365/api"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// subRequest and subResponse are the parts of a batch document as a test
// server reads and writes them.
type subRequest struct {
	ID        string            `json:"id"`
	Method    string            `json:"method"`
	URL       string            `json:"url"`
	DependsOn []string          `json:"dependsOn,omitempty"`
	Headers   map[string]string `json:"headers,omitempty"`
	Body      json.RawMessage   `json:"body,omitempty"`
}

type subResponse struct {
	ID      string            `json:"id"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    any               `json:"body,omitempty"`
}

// batchServer is a $batch endpoint whose answers a test writes: answer
// gets the number of the POST (0 first) and its requests.
type batchServer struct {
	t      *testing.T
	answer func(n int, reqs []subRequest) []subResponse

	url string // the server's base URL

	mu    sync.Mutex
	posts [][]subRequest
	raw   []string
}

// newBatch starts a batchServer and a Batch on it with no retry waits.
func newBatch(t *testing.T, answer func(n int, reqs []subRequest) []subResponse) (*api.Batch, *batchServer) {
	t.Helper()
	bs := &batchServer{t: t, answer: answer}
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v1.0/$batch" {
			writeJSON(w, http.StatusNotFound, `{"error":{"code":"NotFound","message":"not the batch endpoint"}}`)
			return
		}
		raw, _ := io.ReadAll(r.Body)
		var doc struct {
			Requests []subRequest `json:"requests"`
		}
		if err := json.Unmarshal(raw, &doc); err != nil {
			writeJSON(w, http.StatusBadRequest, `{"error":{"code":"BadRequest","message":"Invalid batch payload format."}}`)
			return
		}
		bs.mu.Lock()
		n := len(bs.posts)
		bs.posts = append(bs.posts, doc.Requests)
		bs.raw = append(bs.raw, string(raw))
		bs.mu.Unlock()
		out, _ := json.Marshal(map[string]any{"responses": bs.answer(n, doc.Requests)})
		writeJSON(w, http.StatusOK, string(out))
	}))
	bs.url = srv.URL
	con := newTestRequester(srv)
	b := api.NewBatch(api.ParentOf(con, fakeProtocol{service: srv.URL + "/v1.0", resource: "me"}))
	b.Backoff = func(int) time.Duration { return 0 }
	return b, bs
}

func (bs *batchServer) requests() [][]subRequest {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	return append([][]subRequest(nil), bs.posts...)
}

// echo answers every request 200 with {"id":…,"url":…}.
func echo(_ int, reqs []subRequest) []subResponse {
	out := make([]subResponse, len(reqs))
	for i, r := range reqs {
		out[i] = subResponse{ID: r.ID, Status: 200, Headers: map[string]string{"Content-Type": "application/json"},
			Body: map[string]any{"id": r.ID, "url": r.URL}}
	}
	return out
}

type echoed struct {
	ID  string `json:"id"`
	URL string `json:"url"`
}

func batchIDs(reqs []subRequest) []string {
	out := make([]string, len(reqs))
	for i, r := range reqs {
		out[i] = r.ID
	}
	return out
}

// batchExample is one entry of testdata/batch/batch.json.
type batchExample struct {
	ID           string          `json:"id"`
	RequestBody  json.RawMessage `json:"request_body"`
	ResponseBody json.RawMessage `json:"response_body"`
}

func loadBatchExample(t *testing.T, id string) batchExample {
	t.Helper()
	raw, err := os.ReadFile("testdata/batch/batch.json")
	require.NoError(t, err)
	var doc struct {
		Examples []batchExample `json:"examples"`
	}
	require.NoError(t, json.Unmarshal(raw, &doc))
	for _, e := range doc.Examples {
		if e.ID == id {
			return e
		}
	}
	t.Fatalf("no example %s", id)
	return batchExample{}
}

// replayExample answers with the example's response body, whatever was asked.
func replayExample(t *testing.T, e batchExample) func(int, []subRequest) []subResponse {
	var doc struct {
		Responses []subResponse `json:"responses"`
	}
	require.NoError(t, json.Unmarshal(e.ResponseBody, &doc))
	return func(int, []subRequest) []subResponse { return doc.Responses }
}

// TestBatchWireFormatMicrosoftExample builds the requests of the first
// example of Microsoft's JSON batching page, checks the document sent is
// the one the page shows, and reads the page's answer: a redirect, an
// error, a collection and a 204, answered out of order.
func TestBatchWireFormatMicrosoftExample(t *testing.T) {
	e := loadBatchExample(t, "json-batching#1")
	b, bs := newBatch(t, replayExample(t, e))

	content, err := b.Add(api.BatchRequest{Method: "GET", URL: "/me/drive/root:/{file}:/content"})
	require.NoError(t, err)
	tasks, err := api.Add[api.Page[json.RawMessage]](b, api.BatchRequest{Method: "GET", URL: "/me/planner/tasks"})
	require.NoError(t, err)
	events, err := b.Add(api.BatchRequest{Method: "GET", URL: "/groups/{id}/events"})
	require.NoError(t, err)
	patch, err := b.Add(api.BatchRequest{Method: "PATCH", URL: "/me", Body: map[string]string{"city": "Redmond"}})
	require.NoError(t, err)

	require.NoError(t, b.Send(t.Context()))
	require.Len(t, bs.raw, 1)
	assert.JSONEq(t, string(e.RequestBody), bs.raw[0])

	assert.NoError(t, content.Err(), "a redirect is not an error")
	assert.Equal(t, 302, content.Status())
	assert.Equal(t, "https://b0mpua-by3301.files.1drv.com/y23vmagahszhxzlcvhasdhasghasodfi", content.Header().Get("Location"))

	page, err := tasks.Result()
	require.NoError(t, err)
	assert.Equal(t, 200, tasks.Status())
	assert.Empty(t, page.Value)

	var ge *api.GraphError
	require.ErrorAs(t, events.Err(), &ge)
	assert.Equal(t, 401, ge.StatusCode)
	assert.Equal(t, "Forbidden", ge.Code)
	assert.Equal(t, "GET", ge.Method)
	assert.True(t, strings.HasSuffix(ge.URL, "/v1.0/groups/{id}/events"), ge.URL)
	assert.ErrorIs(t, events.Err(), api.ErrUnauthorized)

	assert.NoError(t, patch.Err())
	assert.Equal(t, 204, patch.Status())
}

// TestBatchWireFormatContribExample is the newer page's example: DELETE,
// a POST with an empty JSON body, a URL without a leading slash, a
// request header; and answers with headers and errors whose innerError
// carries request ids.
func TestBatchWireFormatContribExample(t *testing.T) {
	e := loadBatchExample(t, "json-batching.contrib#1")
	b, bs := newBatch(t, replayExample(t, e))

	memberOf, err := api.Add[api.Page[map[string]any]](b, api.BatchRequest{URL: "/me/memberOf"})
	require.NoError(t, err)
	tasks, err := b.Add(api.BatchRequest{Method: "GET", URL: "/me/planner/tasks"})
	require.NoError(t, err)
	del, err := b.Add(api.BatchRequest{Method: "DELETE", URL: "/groups/0e226165-c685-41ce-8bfc-df8360ab325d"})
	require.NoError(t, err)
	sso, err := b.Add(api.BatchRequest{Method: "POST", URL: "/users/161ab652-cdbc-490d-82a4-0ada1f0db247/getPasswordSingleSignOnCredentials"})
	require.NoError(t, err)
	users, err := api.Add[api.Page[api.User]](b, api.BatchRequest{
		URL:    "users?$select=id,displayName,userPrincipalName&$filter=city eq null&$count=true",
		Header: http.Header{"Consistencylevel": {"eventual"}},
	})
	require.NoError(t, err)

	require.NoError(t, b.Send(t.Context()))
	// Header names are canonical in Go ("Consistencylevel"); HTTP header
	// names are case-insensitive, so only that spelling differs.
	sent := strings.Replace(bs.raw[0], "Consistencylevel", "ConsistencyLevel", 1)
	assert.JSONEq(t, string(e.RequestBody), sent)

	groups, err := memberOf.Result()
	require.NoError(t, err)
	require.Len(t, groups.Value, 1)
	assert.Equal(t, "User Administrator", groups.Value[0]["displayName"])
	assert.Equal(t, "4.0", memberOf.Header().Get("OData-Version"))

	var ge *api.GraphError
	require.ErrorAs(t, tasks.Err(), &ge)
	assert.Equal(t, 403, ge.StatusCode)
	assert.Equal(t, "You do not have the required permissions to access this item.", ge.Message)
	assert.Equal(t, "93b6f17e-c05d-4f45-ad2a-6665c708d8a0", ge.RequestID)
	assert.Equal(t, "e70c5c1b-8b47-68c0-3171-3d22f5e0bd54", ge.ClientRequestID)

	require.ErrorAs(t, del.Err(), &ge)
	assert.Equal(t, "Authorization_RequestDenied", ge.Code)
	assert.ErrorIs(t, del.Err(), api.ErrForbidden)

	require.ErrorAs(t, sso.Err(), &ge)
	assert.Equal(t, 405, ge.StatusCode)
	assert.Equal(t, "Request_BadRequest", ge.Code)

	page, err := users.Result()
	require.NoError(t, err)
	require.Len(t, page.Value, 1)
	assert.Equal(t, "LynneR@contoso.com", page.Value[0].UserPrincipalName)
	require.NotNil(t, page.Count)
	assert.EqualValues(t, 36, *page.Count)
}

// TestBatchDependsOnMicrosoftExample sends the dependsOn body of
// Microsoft's page: 2 after 1, 4 after 2, 3 on its own.
func TestBatchDependsOnMicrosoftExample(t *testing.T) {
	e := loadBatchExample(t, "json-batching#2")
	b, bs := newBatch(t, echo)
	one, err := b.Add(api.BatchRequest{Method: "GET", URL: "..."})
	require.NoError(t, err)
	two, err := b.Add(api.BatchRequest{Method: "GET", URL: "...", DependsOn: []*api.BatchItem{one}})
	require.NoError(t, err)
	_, err = b.Add(api.BatchRequest{Method: "GET", URL: "..."})
	require.NoError(t, err)
	_, err = b.Add(api.BatchRequest{Method: "GET", URL: "...", DependsOn: []*api.BatchItem{two, two}})
	require.NoError(t, err)
	require.NoError(t, b.Send(t.Context()))
	assert.JSONEq(t, string(e.RequestBody), bs.raw[0])
}

func TestBatchGroupsOfTwenty(t *testing.T) {
	b, bs := newBatch(t, echo)
	var items []*api.Batched[echoed]
	for i := range 45 {
		it, err := api.Add[echoed](b, api.BatchRequest{URL: fmt.Sprintf("/users/u%d", i)})
		require.NoError(t, err)
		items = append(items, it)
	}
	require.NoError(t, b.Send(t.Context()))
	posts := bs.requests()
	require.Len(t, posts, 3)
	assert.Len(t, posts[0], 20)
	assert.Len(t, posts[1], 20)
	assert.Len(t, posts[2], 5)
	for i, it := range items {
		got, err := it.Result()
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprintf("/users/u%d", i), got.URL)
		assert.Equal(t, it.ID(), got.ID)
	}
	// The batch is empty after Send, and usable again.
	require.NoError(t, b.Send(t.Context()))
	assert.Len(t, bs.requests(), 3, "an empty Send posts nothing")
	again, err := api.Add[echoed](b, api.BatchRequest{URL: "/me"})
	require.NoError(t, err)
	require.NoError(t, b.Send(t.Context()))
	got, err := again.Result()
	require.NoError(t, err)
	assert.Equal(t, "46", got.ID, "ids stay unique within a Batch")
}

// TestBatchKeepsChainsTogether: requests linked by dependsOn go in one
// POST, however they interleave with others.
func TestBatchKeepsChainsTogether(t *testing.T) {
	b, bs := newBatch(t, echo)
	var loose []*api.BatchItem
	for range 15 {
		it, err := b.Add(api.BatchRequest{URL: "/me"})
		require.NoError(t, err)
		loose = append(loose, it)
	}
	// A chain of ten, hanging off the first request, with one more
	// independent request in its middle.
	prev := loose[0]
	chain := []*api.BatchItem{prev}
	for i := range 9 {
		if i == 4 {
			_, err := b.Add(api.BatchRequest{URL: "/organization"})
			require.NoError(t, err)
		}
		it, err := b.Add(api.BatchRequest{Method: "PATCH", URL: "/me", Body: map[string]int{"n": i}, DependsOn: []*api.BatchItem{prev}})
		require.NoError(t, err)
		chain = append(chain, it)
		prev = it
	}
	require.NoError(t, b.Send(t.Context()))

	posts := bs.requests()
	require.Len(t, posts, 2)
	assert.Len(t, posts[0], 20)
	assert.Len(t, posts[1], 5)
	where := map[string]int{}
	position := map[string]int{}
	for n, post := range posts {
		for i, r := range post {
			where[r.ID], position[r.ID] = n, i
			for _, d := range r.DependsOn {
				assert.Less(t, position[d], i, "request %s is listed after its dependency %s", r.ID, d)
				assert.Equal(t, n, where[d], "request %s and its dependency %s are in one batch", r.ID, d)
			}
		}
	}
	for _, it := range chain {
		assert.Equal(t, where[chain[0].ID()], where[it.ID()])
		assert.NoError(t, it.Err())
	}
}

func TestBatchInvalidRequests(t *testing.T) {
	b, bs := newBatch(t, echo)
	other, _ := newBatch(t, echo)
	foreign, err := other.Add(api.BatchRequest{URL: "/me"})
	require.NoError(t, err)

	// A chain of 20 fits; a 21st link does not.
	prev, err := b.Add(api.BatchRequest{URL: "/me"})
	require.NoError(t, err)
	for range 19 {
		prev, err = b.Add(api.BatchRequest{URL: "/me", DependsOn: []*api.BatchItem{prev}})
		require.NoError(t, err)
	}
	_, err = b.Add(api.BatchRequest{URL: "/me", DependsOn: []*api.BatchItem{prev}})
	require.ErrorIs(t, err, api.ErrInvalidBatchRequest)
	assert.ErrorContains(t, err, "21 requests linked by dependsOn")
	// Two chains that fit alone may not fit joined.
	a, err := b.Add(api.BatchRequest{URL: "/a"})
	require.NoError(t, err)
	for range 10 {
		a, err = b.Add(api.BatchRequest{URL: "/a", DependsOn: []*api.BatchItem{a}})
		require.NoError(t, err)
	}
	_, err = b.Add(api.BatchRequest{URL: "/me", DependsOn: []*api.BatchItem{a, prev}})
	assert.ErrorContains(t, err, "32 requests linked by dependsOn")

	cases := []struct {
		name string
		req  api.BatchRequest
		want string
	}{
		{"dependency of another batch", api.BatchRequest{URL: "/me", DependsOn: []*api.BatchItem{foreign}}, "belongs to another Batch"},
		{"nil dependency", api.BatchRequest{URL: "/me", DependsOn: []*api.BatchItem{nil}}, "DependsOn[0] is nil"},
		{"foreign host", api.BatchRequest{URL: "https://evil.example/v1.0/me"}, `on https://evil.example, not on the Graph host`},
		{"foreign scheme", api.BatchRequest{URL: "ftp://" + strings.TrimPrefix(bs.url, "http://") + "/v1.0/me"}, "not on the Graph host"},
		{"host without scheme", api.BatchRequest{URL: "//evil.example/v1.0/me"}, "names a host"},
		{"other API version", api.BatchRequest{URL: bs.url + "/beta/me"}, "not under the service root"},
		{"version repeated", api.BatchRequest{URL: "/v1.0/me/messages"}, "repeats the API version v1.0"},
		{"version repeated without slash", api.BatchRequest{URL: "v1.0/me"}, "repeats the API version"},
		{"empty URL", api.BatchRequest{}, "empty"},
		{"method", api.BatchRequest{Method: "HEAD", URL: "/me"}, `method "HEAD" cannot be batched`},
		{"body that does not encode", api.BatchRequest{Method: "POST", URL: "/me/events", Body: make(chan int)}, "encoding the body"},
		{"JSON body with another type", api.BatchRequest{Method: "POST", URL: "/x", Body: map[string]string{}, Header: http.Header{"Content-Type": {"text/plain"}}}, "give a []byte body"},
		{"bytes that are not JSON", api.BatchRequest{Method: "POST", URL: "/x", Body: []byte("{nope"), Header: http.Header{"Content-Type": {"application/json"}}}, "not valid JSON"},
		{"unreadable body", api.BatchRequest{Method: "PUT", URL: "/x", Body: io.MultiReader(strings.NewReader("ab"), errReader{})}, "reading the body: disk on fire"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			it, err := b.Add(tc.req)
			require.ErrorIs(t, err, api.ErrInvalidBatchRequest)
			assert.ErrorContains(t, err, tc.want)
			assert.Nil(t, it)
		})
	}

	// Dependencies must be sent together: one already sent cannot be named.
	sent, err := other.Add(api.BatchRequest{URL: "/me"})
	require.NoError(t, err)
	require.NoError(t, other.Send(t.Context()))
	_, err = other.Add(api.BatchRequest{URL: "/me", DependsOn: []*api.BatchItem{sent}})
	assert.ErrorContains(t, err, "was sent by an earlier Send")

	var zero api.Batch
	_, err = zero.Add(api.BatchRequest{URL: "/me"})
	assert.ErrorContains(t, err, "not made by NewBatch")
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestRelativeURL(t *testing.T) {
	const root = "https://graph.microsoft.com/v1.0"
	for in, want := range map[string]string{
		"/me/messages": "/me/messages",
		"me/messages":  "me/messages",
		root + "/me/messages?$top=5&$filter=a%20eq%201": "/me/messages?$top=5&$filter=a%20eq%201",
		"HTTPS://Graph.Microsoft.com/v1.0/users/x%2Fy":  "/users/x%2Fy",
		root + "/me/drive/root:/a b.txt:/content":       "/me/drive/root:/a%20b.txt:/content",
		"/users?$filter=startswith(mail,'https://x')":   "/users?$filter=startswith(mail,'https://x')",
	} {
		got, err := api.RelativeURL(root, in)
		if assert.NoError(t, err, in) {
			assert.Equal(t, want, got, in)
		}
	}
	_, err := api.RelativeURL(root, root+"x/me")
	assert.ErrorContains(t, err, "not under the service root")
	_, err = api.RelativeURL("not a url", "/me")
	assert.ErrorContains(t, err, "not an absolute URL")
	_, err = api.RelativeURL(root, "https://graph.microsoft.com/v1.0/me?$skiptoken=SECRET")
	require.NoError(t, err)
	_, err = api.RelativeURL(root, "https://evil.example/v1.0/me?sig=SECRET")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "SECRET", "query strings stay out of errors")
}

// TestBatchConvertsComponentURLs: a component's BuildURL gives full URLs,
// which a batch sends relative.
func TestBatchConvertsComponentURLs(t *testing.T) {
	b, bs := newBatch(t, echo)
	c := api.New(api.ParentOf(nil, fakeProtocol{service: bs.url + "/v1.0", resource: "users/adele@contoso.com"}), nil)
	_, err := b.Add(api.BatchRequest{URL: c.BuildURL("/messages?$top=5")})
	require.NoError(t, err)
	require.NoError(t, b.Send(t.Context()))
	assert.Equal(t, "/users/adele@contoso.com/messages?$top=5", bs.requests()[0][0].URL)
}

func TestBatchBodies(t *testing.T) {
	b, bs := newBatch(t, echo)
	b.Header = http.Header{"Prefer": {`IdType="ImmutableId"`}}
	png := []byte{0x89, 'P', 'N', 'G', 0, 1, 2, 255}
	add := func(req api.BatchRequest) {
		_, err := b.Add(req)
		require.NoError(t, err)
	}
	add(api.BatchRequest{Method: "PUT", URL: "/me/photo/$value", Body: png, Header: http.Header{"Content-Type": {"image/png"}}})
	add(api.BatchRequest{Method: "PUT", URL: "/me/drive/root:/a.bin:/content", Body: bytes.NewReader(png)})
	add(api.BatchRequest{Method: "POST", URL: "/me/events", Body: json.RawMessage(`{"subject":"Lunch"}`)})
	add(api.BatchRequest{Method: "POST", URL: "/me/x", Body: []byte(`{"a":1}`), Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}}})
	add(api.BatchRequest{Method: "post", URL: "/me/messages/1/send"})
	add(api.BatchRequest{Method: "DELETE", URL: "/me/messages/1", Header: http.Header{"Prefer": {"return=minimal"}}})
	require.NoError(t, b.Send(t.Context()))

	reqs := bs.requests()[0]
	require.Len(t, reqs, 6)
	b64 := `"` + base64.StdEncoding.EncodeToString(png) + `"`
	assert.JSONEq(t, b64, string(reqs[0].Body))
	assert.Equal(t, "image/png", reqs[0].Headers["Content-Type"])
	assert.JSONEq(t, b64, string(reqs[1].Body))
	assert.Equal(t, "application/octet-stream", reqs[1].Headers["Content-Type"])
	assert.JSONEq(t, `{"subject":"Lunch"}`, string(reqs[2].Body))
	assert.Equal(t, "application/json", reqs[2].Headers["Content-Type"])
	assert.JSONEq(t, `{"a":1}`, string(reqs[3].Body), "JSON bytes with a JSON type are inlined")
	assert.Equal(t, "POST", reqs[4].Method)
	assert.JSONEq(t, `{}`, string(reqs[4].Body), "a POST without a body sends {}")
	assert.Equal(t, "application/json", reqs[4].Headers["Content-Type"])
	assert.Empty(t, reqs[5].Body)
	assert.NotContains(t, reqs[5].Headers, "Content-Type")
	assert.Equal(t, "return=minimal", reqs[5].Headers["Prefer"], "a request's own header wins")
	assert.Equal(t, `IdType="ImmutableId"`, reqs[0].Headers["Prefer"], "the batch's headers reach every request")
	assert.Contains(t, bs.raw[0], `"body":"`+base64.StdEncoding.EncodeToString(png)+`"`)
}

// TestBatchBinaryAnswers: Graph base64-encodes bodies that are not JSON,
// and some JSON ones (uploads).
func TestBatchBinaryAnswers(t *testing.T) {
	photo := []byte{0xff, 0xd8, 0xff, 0xe0, 0, 0x10}
	uploaded := base64.StdEncoding.EncodeToString([]byte(`{"id":"01ABC","name":"a.txt","size":3}`))
	b, _ := newBatch(t, func(_ int, reqs []subRequest) []subResponse {
		return []subResponse{
			{ID: "1", Status: 200, Headers: map[string]string{"Content-Type": "image/jpeg"}, Body: base64.StdEncoding.EncodeToString(photo)},
			{ID: "2", Status: 201, Body: uploaded},
			{ID: "3", Status: 200, Headers: map[string]string{"Content-Type": "text/plain"}, Body: base64.RawURLEncoding.EncodeToString([]byte("hello?>"))},
			{ID: "4", Status: 200, Headers: map[string]string{"Content-Type": "application/json"}, Body: "just a JSON string"},
			{ID: "5", Status: 500, Headers: map[string]string{"Content-Type": "text/html"}, Body: base64.StdEncoding.EncodeToString([]byte("<html>oops</html>"))},
		}
	})
	img, err := api.Add[[]byte](b, api.BatchRequest{URL: "/me/photo/$value"})
	require.NoError(t, err)
	item, err := api.Add[struct {
		ID   string `json:"id"`
		Name string `json:"name"`
		Size int    `json:"size"`
	}](b, api.BatchRequest{Method: "PUT", URL: "/me/drive/root:/a.txt:/content", Body: []byte("abc")})
	require.NoError(t, err)
	text, err := api.Add[string](b, api.BatchRequest{URL: "/x/$value"})
	require.NoError(t, err)
	str, err := api.Add[string](b, api.BatchRequest{URL: "/y"})
	require.NoError(t, err)
	broken, err := b.Add(api.BatchRequest{URL: "/z"})
	require.NoError(t, err)
	require.NoError(t, b.Send(t.Context()))

	got, err := img.Result()
	require.NoError(t, err)
	assert.Equal(t, photo, got)
	it, err := item.Result()
	require.NoError(t, err)
	assert.Equal(t, "01ABC", it.ID)
	assert.Equal(t, 3, it.Size)
	s, err := text.Result()
	require.NoError(t, err)
	assert.Equal(t, "hello?>", s)
	s, err = str.Result()
	require.NoError(t, err)
	assert.Equal(t, "just a JSON string", s)
	var ge *api.GraphError
	require.ErrorAs(t, broken.Err(), &ge)
	assert.Equal(t, 500, ge.StatusCode)
	assert.Contains(t, ge.Message, "error body is text/html, not JSON: <html>oops</html>")
}

// TestBatchRetriesOnlyThrottled: one request of three is throttled; the
// retry batch holds it alone, after its Retry-After.
func TestBatchRetriesOnlyThrottled(t *testing.T) {
	for _, status := range []int{429, 503} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			var waited []time.Duration
			b, bs := newBatch(t, func(n int, reqs []subRequest) []subResponse {
				out := echo(n, reqs)
				if n == 0 {
					out[1] = subResponse{ID: reqs[1].ID, Status: status, Headers: map[string]string{"Retry-After": "0"},
						Body: map[string]any{"error": map[string]any{"code": "TooManyRequests", "message": "Please retry again later."}}}
				}
				return out
			})
			b.Backoff = func(n int) time.Duration { waited = append(waited, time.Duration(n)); return 0 }
			var items []*api.Batched[echoed]
			for _, u := range []string{"/a", "/b", "/c"} {
				it, err := api.Add[echoed](b, api.BatchRequest{URL: u})
				require.NoError(t, err)
				items = append(items, it)
			}
			require.NoError(t, b.Send(t.Context()))
			posts := bs.requests()
			require.Len(t, posts, 2)
			assert.Equal(t, []string{"1", "2", "3"}, batchIDs(posts[0]))
			assert.Equal(t, []string{"2"}, batchIDs(posts[1]), "the retry batch holds the throttled request alone")
			assert.Empty(t, waited, "Retry-After was given, so no backoff")
			for _, it := range items {
				got, err := it.Result()
				require.NoError(t, err)
				assert.Equal(t, it.ID(), got.ID)
				assert.Equal(t, 200, it.Status())
			}
		})
	}
}

// TestBatchRetriesDependents: a request refused with 424 because the one
// it depends on was throttled goes again with it; dependsOn on a request
// that already succeeded is dropped from the retry.
func TestBatchRetriesDependents(t *testing.T) {
	b, bs := newBatch(t, func(n int, reqs []subRequest) []subResponse {
		out := echo(n, reqs)
		if n == 0 {
			// 1 ok; 2 (after 1) throttled; 3 (after 2) refused; 4 ok.
			out[1] = subResponse{ID: "2", Status: 429}
			out[2] = subResponse{ID: "3", Status: 424, Body: map[string]any{"error": map[string]any{"code": "FailedDependency", "message": "Failed dependency."}}}
		}
		return out
	})
	one, _ := b.Add(api.BatchRequest{URL: "/1"})
	two, _ := b.Add(api.BatchRequest{URL: "/2", DependsOn: []*api.BatchItem{one}})
	three, _ := b.Add(api.BatchRequest{URL: "/3", DependsOn: []*api.BatchItem{two}})
	four, _ := b.Add(api.BatchRequest{URL: "/4"})
	require.NoError(t, b.Send(t.Context()))

	posts := bs.requests()
	require.Len(t, posts, 2)
	assert.Equal(t, []string{"2", "3"}, batchIDs(posts[1]))
	assert.Empty(t, posts[1][0].DependsOn, "request 1 is done, so 2 depends on nothing in the retry")
	assert.Equal(t, []string{"2"}, posts[1][1].DependsOn)
	for _, it := range []*api.BatchItem{one, two, three, four} {
		assert.NoError(t, it.Err())
	}
}

func TestBatchRetriesRunOut(t *testing.T) {
	b, bs := newBatch(t, func(n int, reqs []subRequest) []subResponse {
		out := echo(n, reqs)
		for i, r := range reqs {
			if r.URL == "/busy" {
				out[i] = subResponse{ID: r.ID, Status: 429, Headers: map[string]string{"Retry-After": "0"},
					Body: map[string]any{"error": map[string]any{"code": "TooManyRequests", "message": "Please retry again later."}}}
			}
		}
		return out
	})
	b.Retries = 2
	busy, err := b.Add(api.BatchRequest{URL: "/busy"})
	require.NoError(t, err)
	dependent, err := b.Add(api.BatchRequest{URL: "/after", DependsOn: []*api.BatchItem{busy}})
	require.NoError(t, err)
	fine, err := b.Add(api.BatchRequest{URL: "/fine"})
	require.NoError(t, err)
	require.NoError(t, b.Send(t.Context()))

	assert.Len(t, bs.requests(), 3, "one send and two retries")
	require.ErrorIs(t, busy.Err(), api.ErrThrottled)
	var ge *api.GraphError
	require.ErrorAs(t, busy.Err(), &ge)
	assert.Equal(t, "TooManyRequests", ge.Code)
	assert.Equal(t, "0", busy.Header().Get("Retry-After"))
	// The test server answers the dependent 200 though its dependency
	// failed; whatever Graph says is the result.
	assert.NoError(t, dependent.Err())
	assert.NoError(t, fine.Err())
}

// TestBatchBackoffWithoutRetryAfter: with no Retry-After the batch's
// Backoff decides the wait, retry by retry.
func TestBatchBackoffWithoutRetryAfter(t *testing.T) {
	b, _ := newBatch(t, func(n int, reqs []subRequest) []subResponse {
		if n < 2 {
			return []subResponse{{ID: reqs[0].ID, Status: 503}}
		}
		return echo(n, reqs)
	})
	var retries []int
	b.Backoff = func(n int) time.Duration { retries = append(retries, n); return 0 }
	it, err := b.Add(api.BatchRequest{URL: "/me"})
	require.NoError(t, err)
	require.NoError(t, b.Send(t.Context()))
	assert.NoError(t, it.Err())
	assert.Equal(t, []int{0, 1}, retries)
}

func TestBatchMissingAndOddAnswers(t *testing.T) {
	b, _ := newBatch(t, func(_ int, reqs []subRequest) []subResponse {
		return []subResponse{
			{ID: reqs[2].ID, Status: 200, Body: map[string]any{"id": "third"}},
			{ID: "99", Status: 200},
			{ID: reqs[1].ID},
		}
	})
	var items []*api.Batched[echoed]
	for range 3 {
		it, err := api.Add[echoed](b, api.BatchRequest{URL: "/me"})
		require.NoError(t, err)
		items = append(items, it)
	}
	require.NoError(t, b.Send(t.Context()))
	_, err := items[0].Result()
	assert.ErrorContains(t, err, "has no response for request 1 (GET /me)")
	_, err = items[1].Result()
	assert.ErrorContains(t, err, "has no status")
	got, err := items[2].Result()
	require.NoError(t, err)
	assert.Equal(t, "third", got.ID, "answers are matched by id, not position")
}

func TestBatchResultBeforeSend(t *testing.T) {
	b, _ := newBatch(t, echo)
	it, err := api.Add[echoed](b, api.BatchRequest{URL: "/me"})
	require.NoError(t, err)
	_, err = it.Result()
	assert.ErrorIs(t, err, api.ErrBatchNotSent)
	assert.ErrorContains(t, err, "request 1 (GET /me)")
	assert.Equal(t, 0, it.Status())
	assert.Nil(t, it.Header())
}

func TestBatchWrongAnswerType(t *testing.T) {
	b, _ := newBatch(t, echo)
	it, err := api.Add[[]string](b, api.BatchRequest{URL: "/me"})
	require.NoError(t, err)
	require.NoError(t, b.Send(t.Context()))
	_, err = it.Result()
	assert.ErrorContains(t, err, "decoding the batch answer to GET /me")
}

// TestBatchPostFails: when a POST /$batch fails, Send stops and every
// request left unanswered carries that error; those answered keep their
// answers.
func TestBatchPostFails(t *testing.T) {
	fail := errors.New("connection reset")
	con := &scriptedRequester{answers: []func([]subRequest) (string, error){
		func(reqs []subRequest) (string, error) { return answerAll(reqs, 200), nil },
		func([]subRequest) (string, error) { return "", fail },
	}}
	b := api.NewBatch(api.ParentOf(con, fakeProtocol{service: "https://graph.microsoft.com/v1.0", resource: "me"}))
	var items []*api.BatchItem
	for range 45 {
		it, err := b.Add(api.BatchRequest{URL: "/me"})
		require.NoError(t, err)
		items = append(items, it)
	}
	err := b.Send(t.Context())
	require.ErrorIs(t, err, fail)
	assert.Equal(t, 2, con.calls(), "Send stops at the failed POST")
	for i, it := range items {
		if i < 20 {
			assert.NoError(t, it.Err())
		} else {
			assert.ErrorIs(t, it.Err(), fail, "request %s", it.ID())
		}
	}
}

// TestBatchGraphRefusesBatch: a 400 for the whole batch is Send's error.
func TestBatchGraphRefusesBatch(t *testing.T) {
	con := &scriptedRequester{answers: []func([]subRequest) (string, error){
		func([]subRequest) (string, error) {
			return "", api.ParseError(400, nil, []byte(`{"error":{"code":"BadRequest","message":"Invalid batch payload format."}}`))
		},
	}}
	b := api.NewBatch(api.ParentOf(con, fakeProtocol{service: "https://graph.microsoft.com/v1.0"}))
	it, err := b.Add(api.BatchRequest{URL: "/me"})
	require.NoError(t, err)
	err = b.Send(t.Context())
	require.ErrorIs(t, err, api.ErrBadRequest)
	assert.ErrorIs(t, it.Err(), api.ErrBadRequest)
}

// TestBatchContextEndsDuringWait: cancelling during a Retry-After wait
// stops Send; the throttled answer stays the request's result.
func TestBatchContextEndsDuringWait(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	con := &scriptedRequester{answers: []func([]subRequest) (string, error){
		func(reqs []subRequest) (string, error) {
			cancel()
			return `{"responses":[{"id":"1","status":200,"body":{}},{"id":"2","status":429,"headers":{"Retry-After":"60"},"body":{"error":{"code":"TooManyRequests","message":"Please retry again later."}}}]}`, nil
		},
	}}
	b := api.NewBatch(api.ParentOf(con, fakeProtocol{service: "https://graph.microsoft.com/v1.0"}))
	ok, _ := b.Add(api.BatchRequest{URL: "/a"})
	busy, _ := b.Add(api.BatchRequest{URL: "/b"})
	later := make([]*api.BatchItem, 0, 20)
	for range 20 {
		it, _ := b.Add(api.BatchRequest{URL: "/c"})
		later = append(later, it)
	}
	err := b.Send(ctx)
	require.ErrorIs(t, err, context.Canceled)
	assert.NoError(t, ok.Err())
	assert.ErrorIs(t, busy.Err(), api.ErrThrottled)
	var ge *api.GraphError
	require.ErrorAs(t, busy.Err(), &ge)
	assert.Equal(t, time.Minute, ge.RetryAfter)
	for _, it := range later[18:] {
		assert.ErrorIs(t, it.Err(), context.Canceled, "request %s of the second group", it.ID())
	}
}

// TestBatchSettingsFromRequester: a requester offering BatchSettings (as
// *o365.Connection does) gives them to every batch built on it.
func TestBatchSettingsFromRequester(t *testing.T) {
	con := &settingsRequester{settings: api.BatchSettings{Retries: 7, Header: http.Header{"Prefer": {"x"}}}}
	b := api.NewBatch(api.ParentOf(con, fakeProtocol{service: "https://graph.microsoft.com/v1.0"}))
	assert.Equal(t, 7, b.Retries)
	assert.Equal(t, "x", b.Header.Get("Prefer"))
	plain := api.NewBatch(api.ParentOf(&testRequester{}, fakeProtocol{service: "https://graph.microsoft.com/v1.0"}))
	assert.Equal(t, api.DefaultBatchRetries, plain.Retries)
}

type settingsRequester struct {
	testRequester
	settings api.BatchSettings
}

func (r *settingsRequester) BatchSettings() api.BatchSettings { return r.settings }

func TestBatchConcurrentUse(t *testing.T) {
	b, bs := newBatch(t, echo)
	var wg sync.WaitGroup
	items := make([]*api.Batched[echoed], 60)
	for i := range items {
		wg.Go(func() {
			it, err := api.Add[echoed](b, api.BatchRequest{URL: fmt.Sprintf("/users/%d", i)})
			assert.NoError(t, err)
			items[i] = it
		})
	}
	wg.Wait()
	var sends sync.WaitGroup
	for range 3 {
		sends.Go(func() { assert.NoError(t, b.Send(t.Context())) })
	}
	for _, it := range items {
		sends.Go(func() { _ = it.Status(); _ = it.Err() })
	}
	sends.Wait()
	total := 0
	for _, p := range bs.requests() {
		total += len(p)
	}
	assert.Equal(t, 60, total, "each request is sent once, whichever Send takes it")
	for i, it := range items {
		got, err := it.Result()
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprintf("/users/%d", i), got.URL)
	}
}

// scriptedRequester answers each POST /$batch with the next scripted
// function, without a network.
type scriptedRequester struct {
	testRequester
	mu      sync.Mutex
	n       int
	answers []func([]subRequest) (string, error)
}

func (s *scriptedRequester) calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

func (s *scriptedRequester) Post(ctx context.Context, rawURL string, body any) (*http.Response, error) {
	req, err := api.NewRequest(ctx, http.MethodPost, rawURL, nil, body)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Requests []subRequest `json:"requests"`
	}
	raw, _ := io.ReadAll(req.Body)
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	s.mu.Lock()
	answer := s.answers[min(s.n, len(s.answers)-1)]
	s.n++
	s.mu.Unlock()
	out, err := answer(doc.Requests)
	if err != nil {
		return nil, err
	}
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(out)), Request: req}, nil
}

func answerAll(reqs []subRequest, status int) string {
	out := make([]subResponse, len(reqs))
	for i, r := range reqs {
		out[i] = subResponse{ID: r.ID, Status: status}
	}
	raw, _ := json.Marshal(map[string]any{"responses": out})
	return string(raw)
}

// FuzzBatchAnswer feeds arbitrary bodies to Send as Graph's answer: any
// body gives each request a result or an error, never a panic.
func FuzzBatchAnswer(f *testing.F) {
	f.Add(`{"responses":[{"id":"1","status":200,"body":{"id":"x"}},{"id":"2","status":404,"body":{"error":{"code":"NotFound"}}}]}`)
	f.Add(`{"responses":[{"id":"1","status":200,"headers":{"Content-Type":"image/png"},"body":"iVBORw0KGgo="}]}`)
	f.Add(`{"responses":[{"id":"1","status":302,"headers":{"location":"https://x","n":5}}]}`)
	f.Add(`{"responses":[{"id":"2","status":429,"headers":{"Retry-After":"0"}},{"id":"1","status":424,"body":null}]}`)
	f.Add(`{"responses":[{"id":"1","status":"200"}]}`)
	f.Add(`{"responses":{}}`)
	f.Add(`{"responses":[{"id":"1","status":200,"body":"%%%"}]`)
	f.Add(`<html>502</html>`)
	f.Add(``)
	f.Fuzz(func(t *testing.T, body string) {
		con := &scriptedRequester{answers: []func([]subRequest) (string, error){
			func([]subRequest) (string, error) { return body, nil },
			func(reqs []subRequest) (string, error) { return answerAll(reqs, 200), nil },
		}}
		b := api.NewBatch(api.ParentOf(con, fakeProtocol{service: "https://graph.microsoft.com/v1.0"}))
		b.Retries, b.Backoff = 1, func(int) time.Duration { return 0 }
		one, _ := api.Add[map[string]any](b, api.BatchRequest{URL: "/1"})
		two, _ := api.Add[[]byte](b, api.BatchRequest{URL: "/2", DependsOn: []*api.BatchItem{one.BatchItem}})
		err := b.Send(context.Background())
		for _, it := range []*api.BatchItem{one.BatchItem, two.BatchItem} {
			if err != nil && it.Err() == nil {
				t.Fatalf("Send failed (%v) but request %s has no error", err, it.ID())
			}
		}
		_, _ = one.Result()
		_, _ = two.Result()
	})
}

// FuzzRelativeURL: any URL is made relative or refused; a relative result
// never names a host.
func FuzzRelativeURL(f *testing.F) {
	for _, s := range []string{"/me", "me", "https://graph.microsoft.com/v1.0/me?$top=1", "https://evil/v1.0/me", "//evil/me", "/v1.0/me", "HTTP://graph.microsoft.com/v1.0/x", "https://graph.microsoft.com/v1.0", "\x00", "https://graph.microsoft.com:443/v1.0/me"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		rel, err := api.RelativeURL("https://graph.microsoft.com/v1.0", raw)
		if err != nil {
			return
		}
		if strings.HasPrefix(rel, "//") || strings.Contains(strings.SplitN(rel, "?", 2)[0], "://") && !strings.HasPrefix(raw, rel) {
			t.Fatalf("RelativeURL(%q) = %q names a host", raw, rel)
		}
	})
}

// ExampleAdd queues two requests, one depending on the other, and reads
// each answer typed to its request.
func ExampleAdd() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Graph answers in any order; results follow the ids.
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"responses":[
			{"id":"2","status":404,"body":{"error":{"code":"Request_ResourceNotFound","message":"Resource 'nobody' does not exist."}}},
			{"id":"1","status":200,"headers":{"Content-Type":"application/json"},"body":{"id":"87d349ed","displayName":"Megan Bowen"}}]}`)
	}))
	defer srv.Close()
	// In an application the parent is an *o365.Account (Account.Batch)
	// or any component; here a plain requester on the test server.
	b := api.NewBatch(api.ParentOf(&testRequester{client: srv.Client()}, fakeProtocol{service: srv.URL + "/v1.0"}))

	me, _ := api.Add[api.User](b, api.BatchRequest{URL: "/me"})
	nobody, _ := api.Add[api.User](b, api.BatchRequest{URL: "/users/nobody", DependsOn: []*api.BatchItem{me.BatchItem}})
	if err := b.Send(context.Background()); err != nil {
		fmt.Println("batch failed:", err)
		return
	}
	if u, err := me.Result(); err == nil {
		fmt.Println("me:", u.DisplayName)
	}
	if _, err := nobody.Result(); errors.Is(err, api.ErrNotFound) {
		fmt.Println("nobody: not found")
	}
	// Output:
	// me: Megan Bowen
	// nobody: not found
}
