package o365_test

// Servers that are broken or hostile: they ask for waits of decades, link
// pages in a circle, send bodies without end, or hand out links that
// would take the token somewhere it must not go. Each test would hang,
// loop or leak without the bound it checks; the guard turns a hang into a
// failure instead of a stuck test run.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/drive"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// returnsPromptly runs call and fails the test if it has not returned
// within a generous bound: the calls here must not sleep on a server's
// word, and without the fix they would park for years.
func returnsPromptly(t *testing.T, call func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- call() }()
	select {
	case err := <-done:
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("the call is still waiting on the server's word")
		return nil
	}
}

// throttledFor answers every request 429 (or status) asking for a wait
// of retryAfter.
func throttledFor(status int, retryAfter string) func(int, http.ResponseWriter, *http.Request) {
	return func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", retryAfter)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, `{"error":{"code":"TooManyRequests","message":"Please retry again later."}}`)
	}
}

func TestRetryAfterOfDecadesIsNotSlept(t *testing.T) {
	g := newGraphStub(t, throttledFor(http.StatusTooManyRequests, "999999999"))
	con := stubConnection(g.Server)
	err := returnsPromptly(t, func() error {
		_, err := con.Get(context.Background(), g.URL+"/v1.0/me", nil)
		return err
	})
	require.ErrorIs(t, err, o365.ErrThrottled)
	var ge *o365.GraphError
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, 999999999*time.Second, ge.RetryAfter, "the caller learns how long the server asked for")
	assert.Equal(t, "TooManyRequests", ge.Code, "Graph's own answer is kept")
	assert.Contains(t, ge.Error(), "WithMaxRetryWait")
	assert.Len(t, g.got(), 1, "no retry was sent")
}

func TestMaxRetryWaitIsConfigurable(t *testing.T) {
	// Two seconds is under the default bound, over this one.
	g := newGraphStub(t, throttledFor(http.StatusServiceUnavailable, "2"))
	con := stubConnection(g.Server, o365.WithMaxRetryWait(time.Second))
	err := returnsPromptly(t, func() error {
		_, err := con.Get(context.Background(), g.URL+"/v1.0/me", nil)
		return err
	})
	require.ErrorIs(t, err, o365.ErrThrottled, "a refused wait is a throttle whatever the status")
	require.ErrorIs(t, err, o365.ErrServiceUnavailable)
	var ge *o365.GraphError
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, 2*time.Second, ge.RetryAfter)
	assert.Len(t, g.got(), 1)

	// A wait within the bound is slept and retried as before.
	g = newGraphStub(t, throttleThenOK(func() string { return "0.01" }, 1))
	con = stubConnection(g.Server, o365.WithMaxRetryWait(time.Second))
	resp, err := con.Get(context.Background(), g.URL+"/v1.0/me", nil)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Len(t, g.got(), 2)

	bad := stubConnection(g.Server, o365.WithMaxRetryWait(-time.Second))
	_, err = bad.Get(context.Background(), g.URL+"/v1.0/me", nil)
	assert.ErrorContains(t, err, "WithMaxRetryWait")
}

func TestWaitPastTheDeadlineIsNotSlept(t *testing.T) {
	g := newGraphStub(t, throttledFor(http.StatusTooManyRequests, "60"))
	con := stubConnection(g.Server)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute/2)
	defer cancel()
	err := returnsPromptly(t, func() error {
		_, err := con.Get(ctx, g.URL+"/v1.0/me", nil)
		return err
	})
	require.ErrorIs(t, err, o365.ErrThrottled)
	assert.ErrorContains(t, err, "past the context's deadline")
	assert.NoError(t, ctx.Err(), "the call returned before the deadline")
}

func TestBatchRefusesLongWait(t *testing.T) {
	srv, acct := batchAccount(t)
	srv.ThrottleBatchItems(1, "999999999") // the first request inside the next batch
	b := acct.Batch()
	me, err := b.Add(o365.BatchRequest{URL: "/me"})
	require.NoError(t, err)
	other, err := b.Add(o365.BatchRequest{URL: "/users/" + adele})
	require.NoError(t, err)
	err = returnsPromptly(t, func() error { return b.Send(context.Background()) })
	require.NoError(t, err, "the batch itself was answered")
	require.ErrorIs(t, me.Err(), o365.ErrThrottled)
	var ge *o365.GraphError
	require.ErrorAs(t, me.Err(), &ge)
	assert.Equal(t, 999999999*time.Second, ge.RetryAfter)
	assert.NoError(t, other.Err())
	assert.Equal(t, 1, batchPosts(srv), "nothing was retried")
}

// pagesStub serves a collection whose pages link as next says: page n's
// nextLink is next(n), or none when next returns "".
func pagesStub(t *testing.T, items int, next func(n int) string) (*graphStub, *atomic.Int32) {
	var served atomic.Int32
	var g *graphStub
	g = newGraphStub(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		n := int(served.Add(1))
		value := make([]string, items)
		for i := range value {
			value[i] = fmt.Sprintf(`{"id":"%d-%d"}`, n, i)
		}
		body := `{"value":[` + strings.Join(value, ",") + `]`
		if link := next(n); link != "" {
			body += `,"@odata.nextLink":"` + g.URL + link + `"`
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body+"}")
	})
	return g, &served
}

func TestNextLinkBackToAReadPageEndsPaging(t *testing.T) {
	// Page 1 links to page 2, which links back to page 1.
	g, served := pagesStub(t, 2, func(n int) string { return fmt.Sprintf("/v1.0/users?page=%d", n%2+1) })
	con := stubConnection(g.Server)
	var got int
	err := returnsPromptly(t, func() error {
		for _, err := range api.List[o365.User](context.Background(), con, g.URL+"/v1.0/users?page=1") {
			if err != nil {
				return err
			}
			got++
		}
		return nil
	})
	require.ErrorIs(t, err, api.ErrPagingLoop)
	assert.ErrorContains(t, err, "repeats a page already read")
	assert.Equal(t, 4, got, "both pages' items came through once")
	assert.EqualValues(t, 2, served.Load(), "the repeated page was not fetched again")
}

func TestEndlessEmptyPagesEndPaging(t *testing.T) {
	g, served := pagesStub(t, 0, func(n int) string { return fmt.Sprintf("/v1.0/users?page=%d", n+1) })
	con := stubConnection(g.Server)
	err := returnsPromptly(t, func() error {
		for _, err := range api.List[o365.User](context.Background(), con, g.URL+"/v1.0/users?page=1") {
			if err != nil {
				return err
			}
		}
		return nil
	})
	require.ErrorIs(t, err, api.ErrPagingLoop)
	assert.ErrorContains(t, err, "empty pages in a row")
	assert.EqualValues(t, api.MaxEmptyPages+1, served.Load())

	// Empty pages between full ones are Graph's right, and are followed.
	g, _ = pagesStub(t, 0, func(n int) string {
		if n < 3 {
			return fmt.Sprintf("/v1.0/users?page=%d", n+1)
		}
		return ""
	})
	con = stubConnection(g.Server)
	for _, err := range api.List[o365.User](context.Background(), con, g.URL+"/v1.0/users?page=1") {
		require.NoError(t, err)
	}
}

func TestTokenOnlyForTheGraphSchemeAndHost(t *testing.T) {
	g := newGraphStub(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"x"}`)
	})
	// Graph is configured as https on the stub's host and port, so the
	// stub's own http:// URL is the Graph host over another scheme.
	u, err := url.Parse(g.URL)
	require.NoError(t, err)
	con := stubConnection(g.Server, o365.WithCloud(o365.Cloud{Login: g.URL, Graph: "https://" + u.Host}))
	resp, err := con.Get(context.Background(), g.URL+"/v1.0/me", nil)
	require.NoError(t, err)
	resp.Body.Close()
	require.Len(t, g.got(), 1)
	assert.Empty(t, g.got()[0].auth, "an http:// link on the Graph host got the token")

	// The same link with the scheme Graph is configured with does get it.
	plain := stubConnection(g.Server)
	resp, err = plain.Get(context.Background(), g.URL+"/v1.0/me", nil)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, "Bearer tok-STATIC-zz9", g.got()[1].auth)
}

// endless writes a JSON document that never ends: the opening of a
// collection, then items until the client goes away.
func endless(_ int, w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{"value":[`)
	item := strings.Repeat(`{"id":"x","displayName":"padding padding padding"},`, 100)
	for r.Context().Err() == nil {
		if _, err := io.WriteString(w, item); err != nil {
			return
		}
	}
}

func TestEndlessBodyIsCut(t *testing.T) {
	g := newGraphStub(t, endless)
	con := stubConnection(g.Server, o365.WithMaxResponseSize(1<<20))
	err := returnsPromptly(t, func() error {
		for _, err := range api.List[o365.User](context.Background(), con, g.URL+"/v1.0/users") {
			if err != nil {
				return err
			}
		}
		return nil
	})
	require.ErrorIs(t, err, api.ErrResponseTooLarge)
	assert.ErrorContains(t, err, "1048576 bytes")

	// The same through the component helpers and $batch, which share the
	// decoder.
	c := api.New(o365.ParentOf(con, &o365.MSGraphProtocol{Host: g.URL}), nil)
	var out map[string]any
	err = returnsPromptly(t, func() error { return c.GetJSON(context.Background(), g.URL+"/v1.0/me", nil, &out) })
	require.ErrorIs(t, err, api.ErrResponseTooLarge)
	b := api.NewBatch(o365.ParentOf(con, &o365.MSGraphProtocol{Host: g.URL}))
	_, err = b.Add(o365.BatchRequest{URL: "/me"})
	require.NoError(t, err)
	err = returnsPromptly(t, func() error { return b.Send(context.Background()) })
	require.ErrorIs(t, err, api.ErrResponseTooLarge)

	bad := stubConnection(g.Server, o365.WithMaxResponseSize(0))
	_, err = bad.Get(context.Background(), g.URL+"/v1.0/me", nil)
	assert.ErrorContains(t, err, "WithMaxResponseSize")
}

func TestBodyAtTheLimitIsRead(t *testing.T) {
	body := `{"id":"` + strings.Repeat("a", 1000) + `"}`
	g := newGraphStub(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body)
	})
	c := api.New(o365.ParentOf(stubConnection(g.Server, o365.WithMaxResponseSize(int64(len(body)))), &o365.MSGraphProtocol{Host: g.URL}), nil)
	var out struct {
		ID string `json:"id"`
	}
	require.NoError(t, c.GetJSON(context.Background(), g.URL+"/v1.0/me", nil, &out))
	assert.Len(t, out.ID, 1000)

	c = api.New(o365.ParentOf(stubConnection(g.Server, o365.WithMaxResponseSize(int64(len(body))-1)), &o365.MSGraphProtocol{Host: g.URL}), nil)
	assert.ErrorIs(t, c.GetJSON(context.Background(), g.URL+"/v1.0/me", nil, &out), api.ErrResponseTooLarge)
}

func TestUploadSessionRefusesLongWait(t *testing.T) {
	g := newGraphStub(t, throttledFor(http.StatusServiceUnavailable, "999999999"))
	con := stubConnection(g.Server)
	up := api.Uploader{Con: con}
	err := returnsPromptly(t, func() error {
		_, err := up.Upload(context.Background(), &api.UploadSession{UploadURL: g.URL + "/upload/session-1"},
			strings.NewReader("hello"), 5)
		return err
	})
	require.ErrorIs(t, err, o365.ErrThrottled)
	var ue *api.UploadError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, int64(0), ue.Start)
	var ge *o365.GraphError
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, 999999999*time.Second, ge.RetryAfter)
	assert.Len(t, g.got(), 1, "the session was not asked again, nor the chunk resent")
}

func TestCopyMonitorRefusesLongWait(t *testing.T) {
	g := newGraphStub(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodPost: // the copy
			w.Header().Set("Location", "http://"+r.Host+"/monitor/1")
			w.WriteHeader(http.StatusAccepted)
		case strings.HasPrefix(r.URL.Path, "/monitor/"):
			w.Header().Set("Retry-After", "999999999")
			w.WriteHeader(http.StatusAccepted)
			io.WriteString(w, `{"status":"inProgress","percentageComplete":1}`)
		case strings.HasSuffix(r.URL.Path, "/drive"):
			io.WriteString(w, `{"id":"d1","driveType":"business"}`)
		default: // the item to copy
			io.WriteString(w, `{"id":"item-1","name":"a.txt","parentReference":{"driveId":"d1","id":"root"},"file":{}}`)
		}
	})
	con := stubConnection(g.Server)
	d, err := drive.New(con, &o365.MSGraphProtocol{Host: g.URL}).DefaultDrive(t.Context())
	require.NoError(t, err)
	item, err := d.Item(t.Context(), "item-1")
	require.NoError(t, err)
	err = returnsPromptly(t, func() error {
		_, err := item.Copy(context.Background(), nil, "b.txt")
		return err
	})
	require.ErrorIs(t, err, o365.ErrThrottled)
	var ge *o365.GraphError
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, 999999999*time.Second, ge.RetryAfter)
	assert.ErrorContains(t, err, "inProgress")
	assert.False(t, errors.Is(err, context.DeadlineExceeded))
}
