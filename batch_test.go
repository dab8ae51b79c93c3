package o365_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/token"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// batchAccount is Adele's account on a fresh emulator.
func batchAccount(t *testing.T, extra ...o365.Option) (*graphtest.Server, *o365.Account) {
	t.Helper()
	srv := emulator(t)
	acct := newConsoleAccount(t, srv, token.NewMemoryBackend(), extra...)
	signIn(t, srv, acct, adele)
	return srv, acct
}

// batchPosts counts the POST /$batch requests the emulator answered.
func batchPosts(srv *graphtest.Server) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPost && r.Path == "/v1.0/$batch" {
			n++
		}
	}
	return n
}

func TestBatch45RequestsThreeBatches(t *testing.T) {
	srv, acct := batchAccount(t)
	var upns []string
	for i := range 45 {
		u := srv.AddUser(graphtest.User{UserPrincipalName: fmt.Sprintf("user%02d@contoso.com", i), DisplayName: fmt.Sprintf("User %02d", i)})
		upns = append(upns, u.UserPrincipalName)
	}
	before := len(srv.Requests())

	b := acct.Batch()
	var users []*api.Batched[o365.User]
	for _, upn := range upns {
		u, err := api.Add[o365.User](b, o365.BatchRequest{URL: "/users/" + upn})
		require.NoError(t, err)
		users = append(users, u)
	}
	require.NoError(t, b.Send(t.Context()))

	assert.Equal(t, 3, batchPosts(srv))
	assert.Len(t, srv.Requests()[before:], 3, "nothing but the three batches was sent")
	perBatch := map[int]int{}
	for _, r := range srv.BatchRequests() {
		perBatch[r.Batch]++
		assert.Equal(t, adele, r.Caller)
	}
	assert.Equal(t, map[int]int{1: 20, 2: 20, 3: 5}, perBatch)
	for i, u := range users {
		got, err := u.Result()
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprintf("User %02d", i), got.DisplayName)
	}
}

// TestBatchDependsOnOrder: the emulator records the order requests ran
// in; each runs after those it depends on, and a failed dependency fails
// its dependents with 424 without running them.
func TestBatchDependsOnOrder(t *testing.T) {
	srv, acct := batchAccount(t)
	b := acct.Batch()
	add := func(url string, deps ...*api.BatchItem) *api.BatchItem {
		t.Helper()
		it, err := b.Add(o365.BatchRequest{URL: url, DependsOn: deps})
		require.NoError(t, err)
		return it
	}
	me := add("/me")
	alexItem := add("/users/"+alex, me)
	list := add("/users?$top=1", alexItem, me)
	solo := add("/users/" + adele)
	missing := add("/users/nobody@contoso.com")
	afterMissing := add("/me", missing)
	afterThat := add("/me", afterMissing)
	require.NoError(t, b.Send(t.Context()))

	ran := map[string]int{}
	for i, r := range srv.BatchRequests() {
		ran[r.ID] = i
		for _, d := range r.DependsOn {
			pos, ok := ran[d]
			assert.True(t, ok && pos < i, "request %s ran before its dependency %s", r.ID, d)
		}
	}
	assert.Len(t, ran, 7)
	for _, it := range []*api.BatchItem{me, alexItem, list, solo} {
		assert.NoError(t, it.Err())
	}
	assert.ErrorIs(t, missing.Err(), o365.ErrNotFound)
	for _, it := range []*api.BatchItem{afterMissing, afterThat} {
		var ge *o365.GraphError
		require.ErrorAs(t, it.Err(), &ge)
		assert.Equal(t, http.StatusFailedDependency, ge.StatusCode)
		assert.Equal(t, "FailedDependency", ge.Code)
	}
}

// TestBatchThrottledRetriedAlone: one request throttled inside a batch is
// sent again in a batch holding only it; the others are not repeated.
func TestBatchThrottledRetriedAlone(t *testing.T) {
	srv, acct := batchAccount(t)
	srv.ThrottleBatchItems(1, "0")
	b := acct.Batch()
	var items []*api.Batched[o365.User]
	for _, upn := range []string{adele, alex, adele} {
		it, err := api.Add[o365.User](b, o365.BatchRequest{URL: "/users/" + upn})
		require.NoError(t, err)
		items = append(items, it)
	}
	require.NoError(t, b.Send(t.Context()))

	assert.Equal(t, 2, batchPosts(srv))
	var second []string
	statuses := map[string][]int{}
	for _, r := range srv.BatchRequests() {
		statuses[r.ID] = append(statuses[r.ID], r.Status)
		if r.Batch == 2 {
			second = append(second, r.ID)
		}
	}
	assert.Equal(t, []string{items[0].ID()}, second, "the retry batch holds the throttled request alone")
	assert.Equal(t, []int{429, 200}, statuses[items[0].ID()])
	assert.Equal(t, []int{200}, statuses[items[1].ID()])
	for _, it := range items {
		u, err := it.Result()
		require.NoError(t, err)
		assert.NotEmpty(t, u.DisplayName)
	}
}

// TestBatchRetryBudget: a request throttled on every try is retried as
// many times as the connection retries (WithRetries), then fails with its
// 429.
func TestBatchRetryBudget(t *testing.T) {
	srv, acct := batchAccount(t, o365.WithRetries(1))
	srv.ThrottleBatchItems(5, "0")
	b := acct.Batch()
	assert.Equal(t, 1, b.Retries)
	me, err := api.Add[o365.User](b, o365.BatchRequest{URL: "/me"})
	require.NoError(t, err)
	require.NoError(t, b.Send(t.Context()))
	assert.Equal(t, 2, batchPosts(srv))
	_, err = me.Result()
	require.ErrorIs(t, err, o365.ErrThrottled)
	var ge *o365.GraphError
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, "GET", ge.Method)
	assert.Equal(t, srv.GraphURL()+"/v1.0/me", ge.URL)
}

func TestBatchPerRequestErrors(t *testing.T) {
	_, acct := batchAccount(t)
	b := acct.Batch()
	me, err := api.Add[o365.User](b, o365.BatchRequest{URL: "/me"})
	require.NoError(t, err)
	nobody, err := api.Add[o365.User](b, o365.BatchRequest{URL: "/users/nobody@contoso.com"})
	require.NoError(t, err)
	other, err := api.Add[o365.User](b, o365.BatchRequest{URL: "/users/" + alex})
	require.NoError(t, err)
	require.NoError(t, b.Send(t.Context()), "per-request errors are not Send's")

	u, err := me.Result()
	require.NoError(t, err)
	assert.Equal(t, "Adele Vance", u.DisplayName)
	_, err = nobody.Result()
	require.ErrorIs(t, err, o365.ErrNotFound)
	var ge *o365.GraphError
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, "Request_ResourceNotFound", ge.Code)
	assert.NotEmpty(t, ge.RequestID)
	assert.Equal(t, 404, nobody.Status())
	u, err = other.Result()
	require.NoError(t, err)
	assert.Equal(t, "Alex Wilber", u.DisplayName)
}

// TestBatchComponentURLs: requests built by a component (its BuildURL,
// with its main resource) join a batch as they are.
func TestBatchComponentURLs(t *testing.T) {
	srv, acct := batchAccount(t)
	c := api.NewForResource(acct, alex, nil)
	b := acct.Batch()
	it, err := api.Add[o365.User](b, o365.BatchRequest{URL: c.BuildURL("")})
	require.NoError(t, err)
	_, err = b.Add(o365.BatchRequest{URL: "https://graph.example.com/v1.0/me"})
	require.ErrorIs(t, err, api.ErrInvalidBatchRequest)
	assert.ErrorContains(t, err, "not on the Graph host")
	require.NoError(t, b.Send(t.Context()))
	u, err := it.Result()
	require.NoError(t, err)
	assert.Equal(t, alex, u.UserPrincipalName)
	assert.Equal(t, "/users/"+alex, srv.BatchRequests()[0].URL)
}

// TestBatchDefaultHeaders: the connection's default headers reach the
// requests inside a batch.
func TestBatchDefaultHeaders(t *testing.T) {
	srv, acct := batchAccount(t, o365.WithDefaultHeaders(http.Header{"Prefer": {`IdType="ImmutableId"`}}))
	b := acct.Batch()
	_, err := b.Add(o365.BatchRequest{URL: "/me"})
	require.NoError(t, err)
	_, err = b.Add(o365.BatchRequest{URL: "/me", Header: http.Header{"Prefer": {"return=minimal"}}})
	require.NoError(t, err)
	require.NoError(t, b.Send(t.Context()))
	parts := srv.BatchRequests()
	require.Len(t, parts, 2)
	assert.Equal(t, `IdType="ImmutableId"`, parts[0].Header.Get("Prefer"))
	assert.Equal(t, "return=minimal", parts[1].Header.Get("Prefer"))
}

// TestBatchAsUser: a batch of a view made by As runs as that user,
// whatever the account's current user becomes.
func TestBatchAsUser(t *testing.T) {
	srv, acct := batchAccount(t)
	signIn(t, srv, acct, alex)
	view, err := acct.As(adele)
	require.NoError(t, err)
	b := view.Batch()
	me, err := api.Add[o365.User](b, o365.BatchRequest{URL: "/me"})
	require.NoError(t, err)
	require.NoError(t, b.Send(t.Context()))
	u, err := me.Result()
	require.NoError(t, err)
	assert.Equal(t, adele, u.UserPrincipalName)
	callers := []string{}
	for _, r := range srv.BatchRequests() {
		callers = append(callers, r.Caller)
	}
	assert.Equal(t, []string{adele}, callers)
}

// TestBatchWholeBatchThrottled: a 429 for the POST /$batch itself is
// retried by the connection like any request.
func TestBatchWholeBatchThrottled(t *testing.T) {
	srv, acct := batchAccount(t)
	srv.Throttle(1, "0")
	b := acct.Batch()
	me, err := api.Add[o365.User](b, o365.BatchRequest{URL: "/me"})
	require.NoError(t, err)
	require.NoError(t, b.Send(t.Context()))
	assert.NoError(t, me.Err())
	statuses := []int{}
	for _, r := range srv.Requests() {
		if r.Path == "/v1.0/$batch" {
			statuses = append(statuses, r.Status)
		}
	}
	assert.Equal(t, []int{429, 200}, statuses)
}

func TestBatchCancelled(t *testing.T) {
	_, acct := batchAccount(t)
	b := acct.Batch()
	me, err := b.Add(o365.BatchRequest{URL: "/me"})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err = b.Send(ctx)
	require.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, me.Err(), context.Canceled)
	assert.False(t, errors.Is(me.Err(), api.ErrBatchNotSent))
	assert.Equal(t, 0, me.Status())
}

// ExampleAccount_Batch reads two users in one request to Graph.
func ExampleAccount_Batch() {
	srv := graphtest.NewServer()
	defer srv.Close()
	srv.AddApp(graphtest.App{ClientID: "app", ClientSecret: "secret"})
	srv.AddUser(graphtest.User{UserPrincipalName: "adele@contoso.com", DisplayName: "Adele Vance"})
	srv.AddUser(graphtest.User{UserPrincipalName: "alex@contoso.com", DisplayName: "Alex Wilber"})
	account := o365.NewAccount(o365.Credentials{ClientID: "app", ClientSecret: "secret"},
		o365.WithAuthFlow(o365.CredentialsFlow),
		o365.WithCloud(o365.Cloud{Login: srv.LoginURL(), Graph: srv.GraphURL()}),
		o365.WithTokenBackend(token.NewMemoryBackend()))
	ctx := context.Background()

	b := account.Batch()
	adele, _ := api.Add[o365.User](b, o365.BatchRequest{URL: "/users/adele@contoso.com"})
	alex, _ := api.Add[o365.User](b, o365.BatchRequest{URL: "/users/alex@contoso.com"})
	nobody, _ := api.Add[o365.User](b, o365.BatchRequest{URL: "/users/nobody@contoso.com"})
	if err := b.Send(ctx); err != nil {
		fmt.Println("batch failed:", err)
		return
	}
	for _, it := range []*api.Batched[o365.User]{adele, alex, nobody} {
		u, err := it.Result()
		switch {
		case errors.Is(err, o365.ErrNotFound):
			fmt.Println("not found")
		case err != nil:
			fmt.Println("error:", err)
		default:
			fmt.Println(u.DisplayName)
		}
	}
	// Output:
	// Adele Vance
	// Alex Wilber
	// not found
}

// BenchmarkBatchReads reads 100 users one request at a time and in
// batches, through the emulator over loopback, and reports the HTTP
// requests each way takes.
func BenchmarkBatchReads(b *testing.B) {
	srv := emulator(b)
	acct := newConsoleAccount(b, srv, token.NewMemoryBackend())
	signIn(b, srv, acct, adele)
	var urls []string
	for i := range 100 {
		u := srv.AddUser(graphtest.User{UserPrincipalName: fmt.Sprintf("bench%03d@contoso.com", i), DisplayName: "Bench"})
		urls = append(urls, "/users/"+u.ID)
	}
	base := api.New(acct, nil)
	run := func(b *testing.B, read func(ctx context.Context) error) {
		b.ReportAllocs()
		start := len(srv.Requests())
		for b.Loop() {
			if err := read(b.Context()); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(srv.Requests())-start)/float64(b.N), "requests/op")
	}
	b.Run("one-by-one", func(b *testing.B) {
		run(b, func(ctx context.Context) error {
			for _, u := range urls {
				var user o365.User
				if err := base.GetJSON(ctx, base.BuildBaseURL(u), nil, &user); err != nil {
					return err
				}
			}
			return nil
		})
	})
	b.Run("batched", func(b *testing.B) {
		run(b, func(ctx context.Context) error {
			batch := acct.Batch()
			items := make([]*api.Batched[o365.User], len(urls))
			for i, u := range urls {
				var err error
				if items[i], err = api.Add[o365.User](batch, o365.BatchRequest{URL: u}); err != nil {
					return err
				}
			}
			if err := batch.Send(ctx); err != nil {
				return err
			}
			for _, it := range items {
				if _, err := it.Result(); err != nil {
					return err
				}
			}
			return nil
		})
	})
}
