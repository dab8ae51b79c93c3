package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/query"
)

type item struct {
	ID string `json:"id"`
}

// pagedConfig describes a collection served in pages.
type pagedConfig struct {
	pages [][]string // item ids of each page
	delta bool       // the last page carries an @odata.deltaLink
	count *int64     // @odata.count of the first page
	// override may answer page idx itself; it returns true when it did.
	override func(idx int, w http.ResponseWriter, r *http.Request) bool
}

// pagedServer serves a collection at /v1.0/users the way Graph does: every
// page but the last carries an @odata.nextLink with an opaque $skiptoken,
// and a later page is only served to a request whose raw query is exactly
// that link's, so a client that re-encodes the link gets a 400.
type pagedServer struct {
	*httptest.Server
	rec *recorder
	cfg pagedConfig
}

// skipToken is an opaque token for page i, with escapes that must reach the
// server as they are: %2B ('+'), %2F ('/'), %27 ('\”) and %3D ('=').
func skipToken(i int) string {
	return fmt.Sprintf("RFNwdAIAAQAAAB%%2B%d%%2FX%%27Y%%3D%%3D", i)
}

// nextQuery is the raw query of the link to page i (i ≥ 1).
func nextQuery(i int) string {
	return "$select=id,displayName&$top=2&$skiptoken=" + skipToken(i)
}

const deltaQuery = "$deltatoken=Lzp5a2Vu%2BZGVsdGE%3D"

func newPagedServer(t *testing.T, cfg pagedConfig) *pagedServer {
	t.Helper()
	ps := &pagedServer{rec: &recorder{}, cfg: cfg}
	ps.Server = newServer(t, http.HandlerFunc(ps.serve))
	return ps
}

func (ps *pagedServer) url() string { return ps.URL + "/v1.0/users" }

func (ps *pagedServer) deltaLink() string { return ps.URL + "/v1.0/users/delta?" + deltaQuery }

func (ps *pagedServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	ps.rec.add(r, string(body))
	idx := 0
	if strings.Contains(r.URL.RawQuery, "skiptoken") {
		idx = -1
		for i := 1; i < len(ps.cfg.pages); i++ {
			if r.URL.RawQuery == nextQuery(i) {
				idx = i
			}
		}
		if idx < 0 {
			writeJSON(w, http.StatusBadRequest, `{"error":{"code":"BadRequest","message":"nextLink was not followed verbatim"}}`)
			return
		}
	}
	if ps.cfg.override != nil && ps.cfg.override(idx, w, r) {
		return
	}
	base := "http://" + r.Host + "/v1.0/users"
	value := []item{}
	for _, id := range ps.cfg.pages[idx] {
		value = append(value, item{ID: id})
	}
	page := map[string]any{"value": value}
	if idx+1 < len(ps.cfg.pages) {
		page["@odata.nextLink"] = base + "?" + nextQuery(idx+1)
	} else if ps.cfg.delta {
		page["@odata.deltaLink"] = base + "/delta?" + deltaQuery
	}
	if idx == 0 && ps.cfg.count != nil {
		page["@odata.count"] = *ps.cfg.count
	}
	data, _ := json.Marshal(page)
	writeJSON(w, http.StatusOK, string(data))
}

var threePages = [][]string{{"1", "2"}, {"3", "4"}, {"5"}}

// step is one value an iterator yielded.
type step struct {
	ID  string
	Err error
}

// collect ranges over seq to its end, keeping everything it yields.
func collect(seq iter.Seq2[item, error]) []step {
	var out []step
	for it, err := range seq {
		out = append(out, step{ID: it.ID, Err: err})
	}
	return out
}

func ids(steps []step) []string {
	var out []string
	for _, s := range steps {
		if s.Err == nil {
			out = append(out, s.ID)
		}
	}
	return out
}

func TestListYieldsItemsOfAllPagesInOrder(t *testing.T) {
	ps := newPagedServer(t, pagedConfig{pages: threePages})
	steps := collect(api.List[item](context.Background(), newTestRequester(ps.Server), ps.url()))

	for _, s := range steps {
		require.NoError(t, s.Err)
	}
	assert.Equal(t, []string{"1", "2", "3", "4", "5"}, ids(steps))

	reqs := ps.rec.all()
	require.Len(t, reqs, 3, "one request per page")
	for i, r := range reqs {
		assert.Equal(t, http.MethodGet, r.Method, "request %d", i)
		assert.Equal(t, "/v1.0/users", r.Path, "request %d", i)
		assert.Equal(t, "application/json", r.Header.Get("Accept"), "request %d", i)
	}
	assert.Empty(t, reqs[0].RawQuery, "first page has no options")
}

func TestListFollowsNextLinkVerbatim(t *testing.T) {
	ps := newPagedServer(t, pagedConfig{pages: threePages})
	// Options that shape the first page must not be re-applied to the
	// links Graph hands back: they already carry what Graph wants.
	steps := collect(api.List[item](context.Background(), newTestRequester(ps.Server), ps.url(),
		api.BatchSize(2), api.Param("$select", "id"), api.Header("ConsistencyLevel", "eventual")))
	for _, s := range steps {
		require.NoError(t, s.Err)
	}
	reqs := ps.rec.all()
	require.Len(t, reqs, 3)
	assert.Equal(t, nextQuery(1), reqs[1].RawQuery, "page 2 must be requested with the nextLink's query byte for byte")
	assert.Equal(t, nextQuery(2), reqs[2].RawQuery, "page 3 must be requested with the nextLink's query byte for byte")
	assert.Contains(t, reqs[1].RawQuery, "%2B1%2FX%27Y%3D%3D", "escapes inside the opaque $skiptoken survive")
}

func TestListLimit(t *testing.T) {
	tests := []struct {
		limit     int
		wantIDs   []string
		wantPages int
	}{
		{limit: 1, wantIDs: []string{"1"}, wantPages: 1},
		{limit: 2, wantIDs: []string{"1", "2"}, wantPages: 1}, // page 1 suffices: page 2 is never fetched
		{limit: 3, wantIDs: []string{"1", "2", "3"}, wantPages: 2},
		{limit: 4, wantIDs: []string{"1", "2", "3", "4"}, wantPages: 2},
		{limit: 5, wantIDs: []string{"1", "2", "3", "4", "5"}, wantPages: 3},
		{limit: 100, wantIDs: []string{"1", "2", "3", "4", "5"}, wantPages: 3},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("limit=%d", tt.limit), func(t *testing.T) {
			ps := newPagedServer(t, pagedConfig{pages: threePages})
			steps := collect(api.List[item](context.Background(), newTestRequester(ps.Server), ps.url(), api.Limit(tt.limit)))
			for _, s := range steps {
				require.NoError(t, s.Err)
			}
			assert.Equal(t, tt.wantIDs, ids(steps))
			assert.Equal(t, tt.wantPages, ps.rec.count(), "pages fetched")
		})
	}
}

func TestListTopParameter(t *testing.T) {
	tests := []struct {
		name    string
		opts    []api.ListOption
		wantTop string // "" means no $top at all
		extra   map[string]string
	}{
		{name: "no options lets the server choose", wantTop: ""},
		{name: "BatchSize sets $top", opts: []api.ListOption{api.BatchSize(50)}, wantTop: "50"},
		{name: "small Limit asks for just that many", opts: []api.ListOption{api.Limit(7)}, wantTop: "7"},
		{name: "Limit 998 still fits one page", opts: []api.ListOption{api.Limit(998)}, wantTop: "998"},
		{name: "Limit above a page leaves $top unset", opts: []api.ListOption{api.Limit(5000)}, wantTop: ""},
		{name: "BatchSize wins over Limit", opts: []api.ListOption{api.Limit(25), api.BatchSize(10)}, wantTop: "10"},
		{name: "BatchSize wins whatever the order", opts: []api.ListOption{api.BatchSize(10), api.Limit(25)}, wantTop: "10"},
		{
			name:    "Param is added to the first page",
			opts:    []api.ListOption{api.Param("$select", "id,displayName"), api.Param("$filter", "startswith(displayName,'A b')"), api.BatchSize(3)},
			wantTop: "3",
			extra:   map[string]string{"$select": "id,displayName", "$filter": "startswith(displayName,'A b')"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := newPagedServer(t, pagedConfig{pages: [][]string{{"1"}}})
			for _, s := range collect(api.List[item](context.Background(), newTestRequester(ps.Server), ps.url(), tt.opts...)) {
				require.NoError(t, s.Err)
			}
			reqs := ps.rec.all()
			require.Len(t, reqs, 1)
			q, err := url.ParseQuery(reqs[0].RawQuery)
			require.NoError(t, err)
			if tt.wantTop == "" {
				assert.False(t, q.Has("$top"), "no $top expected, query was %q", reqs[0].RawQuery)
			} else {
				assert.Equal(t, []string{tt.wantTop}, q["$top"], "query was %q", reqs[0].RawQuery)
			}
			for k, v := range tt.extra {
				assert.Equal(t, []string{v}, q[k], "param %s", k)
			}
			assert.NotContains(t, reqs[0].RawQuery, "+", "spaces go as %20, never '+'")
		})
	}
}

func TestListStartURLKeepsItsOwnQuery(t *testing.T) {
	ps := newPagedServer(t, pagedConfig{pages: [][]string{{"1"}}})
	for _, s := range collect(api.List[item](context.Background(), newTestRequester(ps.Server), ps.url()+"?$orderby=displayName", api.BatchSize(5))) {
		require.NoError(t, s.Err)
	}
	q, err := url.ParseQuery(ps.rec.all()[0].RawQuery)
	require.NoError(t, err)
	assert.Equal(t, "displayName", q.Get("$orderby"))
	assert.Equal(t, "5", q.Get("$top"))
}

// Regression for msgraph-sdk-go-core #256: headers such as
// ConsistencyLevel were sent with the first page only.
func TestListSendsHeadersOnEveryPage(t *testing.T) {
	ps := newPagedServer(t, pagedConfig{pages: threePages})
	steps := collect(api.List[item](context.Background(), newTestRequester(ps.Server), ps.url(),
		api.Header("ConsistencyLevel", "eventual"),
		api.Header("Prefer", `outlook.timezone="Pacific Standard Time"`)))
	for _, s := range steps {
		require.NoError(t, s.Err)
	}
	reqs := ps.rec.all()
	require.Len(t, reqs, 3)
	for i, r := range reqs {
		assert.Equal(t, "eventual", r.Header.Get("ConsistencyLevel"), "page %d", i+1)
		assert.Equal(t, `outlook.timezone="Pacific Standard Time"`, r.Header.Get("Prefer"), "page %d", i+1)
	}
}

func TestPagerDeltaLink(t *testing.T) {
	t.Run("exposed after the last page", func(t *testing.T) {
		ps := newPagedServer(t, pagedConfig{pages: threePages, delta: true})
		p := api.NewPager[item](newTestRequester(ps.Server), ps.url())
		assert.Empty(t, p.DeltaLink(), "before iteration")
		var seen []string
		for it, err := range p.All(context.Background()) {
			require.NoError(t, err)
			seen = append(seen, it.ID)
			if it.ID != "5" {
				assert.Empty(t, p.DeltaLink(), "the round is not over at item %s", it.ID)
			}
		}
		assert.Equal(t, []string{"1", "2", "3", "4", "5"}, seen)
		assert.Equal(t, ps.deltaLink(), p.DeltaLink(), "the deltaLink is kept verbatim")
	})
	t.Run("last page without items", func(t *testing.T) {
		// A delta round commonly ends with an empty page holding only
		// the deltaLink.
		ps := newPagedServer(t, pagedConfig{pages: [][]string{{"1", "2"}, {}}, delta: true})
		p := api.NewPager[item](newTestRequester(ps.Server), ps.url())
		assert.Equal(t, []string{"1", "2"}, ids(collect(p.All(context.Background()))))
		assert.Equal(t, ps.deltaLink(), p.DeltaLink())
		assert.Equal(t, 2, ps.rec.count())
	})
	t.Run("not set when iteration stops early", func(t *testing.T) {
		ps := newPagedServer(t, pagedConfig{pages: threePages, delta: true})
		p := api.NewPager[item](newTestRequester(ps.Server), ps.url(), api.Limit(3))
		assert.Len(t, ids(collect(p.All(context.Background()))), 3)
		assert.Empty(t, p.DeltaLink(), "a round cut short has no deltaLink to resume from")
	})
	t.Run("absent in a plain collection", func(t *testing.T) {
		ps := newPagedServer(t, pagedConfig{pages: threePages})
		p := api.NewPager[item](newTestRequester(ps.Server), ps.url())
		assert.Len(t, ids(collect(p.All(context.Background()))), 5)
		assert.Empty(t, p.DeltaLink())
	})
	t.Run("a delta link can start the next round", func(t *testing.T) {
		var rec recorder
		srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec.add(r, "")
			writeJSON(w, http.StatusOK, `{"value":[{"id":"changed"}],"@odata.deltaLink":"http://`+r.Host+`/v1.0/users/delta?$deltatoken=next"}`)
		}))
		link := srv.URL + "/v1.0/users/delta?" + deltaQuery
		p := api.NewPager[item](newTestRequester(srv), link, api.Header("Prefer", "return=minimal"))
		assert.Equal(t, []string{"changed"}, ids(collect(p.All(context.Background()))))
		require.Equal(t, 1, rec.count())
		assert.Equal(t, deltaQuery, rec.all()[0].RawQuery, "a saved deltaLink is requested verbatim")
		assert.Equal(t, srv.URL+"/v1.0/users/delta?$deltatoken=next", p.DeltaLink())
	})
}

func TestPagerCount(t *testing.T) {
	five := int64(5)
	ps := newPagedServer(t, pagedConfig{pages: threePages, count: &five})
	p := api.NewPager[item](newTestRequester(ps.Server), ps.url(), api.Param("$count", "true"))
	assert.Equal(t, int64(-1), p.Count(), "before the first page")
	first := true
	for _, err := range p.All(context.Background()) {
		require.NoError(t, err)
		if first {
			assert.Equal(t, int64(5), p.Count(), "known from the first page on")
			first = false
		}
	}
	assert.Equal(t, int64(5), p.Count())

	ps = newPagedServer(t, pagedConfig{pages: threePages})
	p = api.NewPager[item](newTestRequester(ps.Server), ps.url())
	assert.Len(t, ids(collect(p.All(context.Background()))), 5)
	assert.Equal(t, int64(-1), p.Count(), "no @odata.count sent")

	zero := int64(0)
	ps = newPagedServer(t, pagedConfig{pages: [][]string{{}}, count: &zero})
	p = api.NewPager[item](newTestRequester(ps.Server), ps.url())
	assert.Empty(t, collect(p.All(context.Background())))
	assert.Equal(t, int64(0), p.Count(), "a count of zero is not 'absent'")
}

func TestListErrorOnSecondPage(t *testing.T) {
	ps := newPagedServer(t, pagedConfig{
		pages: threePages,
		override: func(idx int, w http.ResponseWriter, r *http.Request) bool {
			if idx != 1 {
				return false
			}
			w.Header().Set("request-id", "hdr-req-id")
			writeJSON(w, http.StatusServiceUnavailable, `{"error":{"code":"serviceNotAvailable","message":"Try again later."}}`)
			return true
		},
	})
	steps := collect(api.List[item](context.Background(), newTestRequester(ps.Server), ps.url()))

	require.Len(t, steps, 3, "two items, then one error, then nothing")
	assert.Equal(t, step{ID: "1"}, steps[0])
	assert.Equal(t, step{ID: "2"}, steps[1])
	require.Error(t, steps[2].Err)
	assert.Empty(t, steps[2].ID, "the error comes with the zero item")
	assert.Equal(t, 2, ps.rec.count(), "page 3 is never requested")

	var ge *api.GraphError
	require.ErrorAs(t, steps[2].Err, &ge)
	assert.Equal(t, http.StatusServiceUnavailable, ge.StatusCode)
	assert.Equal(t, "serviceNotAvailable", ge.Code)
	assert.Equal(t, "hdr-req-id", ge.RequestID)
	assert.Equal(t, http.MethodGet, ge.Method)
	assert.Equal(t, ps.url(), ge.URL, "the URL is kept without its query")
	assert.ErrorIs(t, steps[2].Err, api.ErrServiceUnavailable)
	assert.NotContains(t, steps[2].Err.Error(), "skiptoken", "the nextLink's query stays out of the message")
}

func TestListMalformedSecondPage(t *testing.T) {
	for _, tt := range []struct {
		name, body, want string
	}{
		{"truncated", `{"value":[{"id":"3"},{"id":`, "truncated"},
		{"empty", ``, "empty"},
		{"not JSON", `<html><body>Sign in to continue</body></html>`, "invalid character '<'"},
		{"wrong shape", `{"value":{"id":"3"}}`, "cannot unmarshal object"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ps := newPagedServer(t, pagedConfig{
				pages: threePages,
				override: func(idx int, w http.ResponseWriter, r *http.Request) bool {
					if idx != 1 {
						return false
					}
					writeJSON(w, http.StatusOK, tt.body)
					return true
				},
			})
			steps := collect(api.List[item](context.Background(), newTestRequester(ps.Server), ps.url()))
			require.Len(t, steps, 3)
			assert.Equal(t, []string{"1", "2"}, ids(steps))
			err := steps[2].Err
			require.Error(t, err)
			assert.Contains(t, err.Error(), "reading page")
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), "skiptoken", "the nextLink's query stays out of the message")
			assert.Equal(t, 2, ps.rec.count())
		})
	}
}

func TestListErrorOnFirstPage(t *testing.T) {
	ps := newPagedServer(t, pagedConfig{
		pages: threePages,
		override: func(idx int, w http.ResponseWriter, r *http.Request) bool {
			writeJSON(w, http.StatusForbidden, `{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}`)
			return true
		},
	})
	steps := collect(api.List[item](context.Background(), newTestRequester(ps.Server), ps.url()))
	require.Len(t, steps, 1)
	assert.ErrorIs(t, steps[0].Err, api.ErrForbidden)
	assert.Contains(t, steps[0].Err.Error(), "Insufficient privileges")
}

func TestListBreakStopsRequests(t *testing.T) {
	for _, stopAt := range []string{"1", "2", "3"} {
		t.Run("break at "+stopAt, func(t *testing.T) {
			ps := newPagedServer(t, pagedConfig{pages: threePages})
			var seen []string
			for it, err := range api.List[item](context.Background(), newTestRequester(ps.Server), ps.url()) {
				require.NoError(t, err)
				seen = append(seen, it.ID)
				if it.ID == stopAt {
					break
				}
			}
			want := map[string]int{"1": 1, "2": 1, "3": 2}[stopAt]
			assert.Equal(t, stopAt, seen[len(seen)-1])
			assert.Equal(t, want, ps.rec.count(), "no page is fetched after the loop ends")
		})
	}
}

func TestListContextCanceledBetweenPages(t *testing.T) {
	ps := newPagedServer(t, pagedConfig{pages: threePages})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var steps []step
	for it, err := range api.List[item](ctx, newTestRequester(ps.Server), ps.url()) {
		steps = append(steps, step{ID: it.ID, Err: err})
		if it.ID == "2" {
			cancel()
		}
	}
	require.Len(t, steps, 3)
	assert.Equal(t, []string{"1", "2"}, ids(steps))
	assert.ErrorIs(t, steps[2].Err, context.Canceled)
	assert.Equal(t, 1, ps.rec.count(), "a canceled context sends no further request")
}

func TestListContextCanceledBeforeStart(t *testing.T) {
	ps := newPagedServer(t, pagedConfig{pages: threePages})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	steps := collect(api.List[item](ctx, newTestRequester(ps.Server), ps.url()))
	require.Len(t, steps, 1)
	assert.ErrorIs(t, steps[0].Err, context.Canceled)
	assert.Equal(t, 0, ps.rec.count())
}

func TestListContextCanceledDuringRequest(t *testing.T) {
	arrived := make(chan struct{})
	release := make(chan struct{})
	var once sync.Once
	ps := newPagedServer(t, pagedConfig{
		pages: threePages,
		override: func(idx int, w http.ResponseWriter, r *http.Request) bool {
			if idx != 1 {
				return false
			}
			once.Do(func() { close(arrived) })
			select {
			case <-r.Context().Done():
			case <-release:
			}
			return true
		},
	})
	// Registered after newPagedServer, so it runs before the server is
	// closed: a handler still waiting would block Close.
	t.Cleanup(func() { close(release) })

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-arrived
		cancel()
	}()
	steps := collect(api.List[item](ctx, newTestRequester(ps.Server), ps.url()))
	require.Len(t, steps, 3)
	assert.Equal(t, []string{"1", "2"}, ids(steps))
	assert.ErrorIs(t, steps[2].Err, context.Canceled)
	assert.Equal(t, 2, ps.rec.count())
}

func TestListEmptyCollection(t *testing.T) {
	ps := newPagedServer(t, pagedConfig{pages: [][]string{{}}})
	assert.Empty(t, collect(api.List[item](context.Background(), newTestRequester(ps.Server), ps.url())))
	assert.Equal(t, 1, ps.rec.count())
}

func TestListInvalidURL(t *testing.T) {
	steps := collect(api.List[item](context.Background(), &testRequester{client: http.DefaultClient}, "http://[::1/users", api.BatchSize(2)))
	require.Len(t, steps, 1)
	require.Error(t, steps[0].Err)
	assert.Contains(t, steps[0].Err.Error(), "invalid URL")
}

func TestListDecodesIntoUserType(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"value":[{"id":"87d349ed","displayName":"Megan Bowen","mail":"MeganB@contoso.com","businessPhones":["+1 412 555 0109"]}]}`)
	}))
	var got []api.User
	for u, err := range api.List[api.User](context.Background(), newTestRequester(srv), srv.URL+"/v1.0/users") {
		require.NoError(t, err)
		got = append(got, u)
	}
	assert.Equal(t, []api.User{{ID: "87d349ed", DisplayName: "Megan Bowen", Mail: "MeganB@contoso.com", BusinessPhones: []string{"+1 412 555 0109"}}}, got)
}

func TestNewListConfig(t *testing.T) {
	cfg := api.NewListConfig(api.Limit(3), nil, api.BatchSize(2), api.Param("$select", "id"),
		api.Header("consistencylevel", "eventual"))
	assert.Equal(t, 3, cfg.Limit)
	assert.Equal(t, 2, cfg.BatchSize)
	assert.Equal(t, api.Params{"$select": "id"}, cfg.Params)
	assert.Equal(t, "eventual", cfg.Header.Get("ConsistencyLevel"))
	assert.Nil(t, cfg.Query)

	zero := api.NewListConfig()
	assert.NotNil(t, zero.Params, "options can be applied to a fresh config")
	assert.NotNil(t, zero.Header)
}

func TestPagerHeaderDoesNotLeakBetweenPagers(t *testing.T) {
	ps := newPagedServer(t, pagedConfig{pages: [][]string{{"1"}}})
	con := newTestRequester(ps.Server)
	collect(api.List[item](context.Background(), con, ps.url(), api.Header("ConsistencyLevel", "eventual")))
	collect(api.List[item](context.Background(), con, ps.url()))
	reqs := ps.rec.all()
	require.Len(t, reqs, 2)
	assert.Equal(t, "eventual", reqs[0].Header.Get("ConsistencyLevel"))
	assert.Empty(t, reqs[1].Header.Get("ConsistencyLevel"))
}

func TestListQueryOption(t *testing.T) {
	// Only the empty query is used here: the query builder has its own
	// tests. What matters is that its parameters reach the first page
	// alongside the pager's own.
	q := query.New()
	want, err := q.Params()
	require.NoError(t, err)

	ps := newPagedServer(t, pagedConfig{pages: [][]string{{"1"}}})
	steps := collect(api.List[item](context.Background(), newTestRequester(ps.Server), ps.url(), api.Query(q), api.BatchSize(3)))
	require.Len(t, steps, 1)
	require.NoError(t, steps[0].Err)
	got, err := url.ParseQuery(ps.rec.all()[0].RawQuery)
	require.NoError(t, err)
	assert.Equal(t, "3", got.Get("$top"))
	for k, v := range want {
		assert.Equal(t, v, got.Get(k), "query param %s", k)
	}
	assert.Len(t, got, len(want)+1)

	assert.Same(t, q, api.NewListConfig(api.Query(q)).Query)
	var c api.Component
	assert.NotNil(t, c.NewQuery())
}
