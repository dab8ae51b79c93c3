// Package o365test sets up the emulated tenant that the component
// packages' scenario tests share: graphtest with one registered app, and
// accounts signed in to it with the password flow. Each package still
// names its own users, scopes and passwords; only the plumbing is here.
package o365test

import (
	"bytes"
	"context"
	"io"
	"iter"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/token"
)

// The app every emulated tenant registers.
const (
	ClientID     = "5b1c8f2e-7a3d-4c6b-9e0f-1a2b3c4d5e6f"
	ClientSecret = "app-SECRET-zz9"
)

// NewServer starts graphtest with the app and users, and closes it when
// t ends.
func NewServer(t testing.TB, users ...graphtest.User) *graphtest.Server {
	t.Helper()
	srv := graphtest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddApp(graphtest.App{ClientID: ClientID, ClientSecret: ClientSecret})
	for _, u := range users {
		srv.AddUser(u)
	}
	return srv
}

// SignIn returns an account of the app signed in to srv as upn with the
// password flow, failing t if it cannot. Its tokens go to a fresh memory
// backend and retries wait only milliseconds; opts come after those
// defaults, so they may replace them, and name the scopes.
func SignIn(t testing.TB, srv *graphtest.Server, upn, password string, opts ...o365.Option) *o365.Account {
	t.Helper()
	flow := []o365.Option{o365.WithAuthFlow(o365.PasswordFlow), o365.WithPassword(upn, password)}
	return authenticated(t, srv, upn, append(flow, opts...))
}

// SignInApp is SignIn for the app itself, with the client credentials
// flow: an app-only account.
func SignInApp(t testing.TB, srv *graphtest.Server, opts ...o365.Option) *o365.Account {
	t.Helper()
	flow := []o365.Option{o365.WithAuthFlow(o365.CredentialsFlow)}
	return authenticated(t, srv, "the app", append(flow, opts...))
}

func authenticated(t testing.TB, srv *graphtest.Server, who string, opts []o365.Option) *o365.Account {
	t.Helper()
	base := []o365.Option{
		o365.WithCloud(o365.Cloud{Login: srv.LoginURL(), Graph: srv.GraphURL()}),
		o365.WithTokenBackend(token.NewMemoryBackend()),
		o365.WithRetryBackoff(time.Millisecond, 5*time.Millisecond),
	}
	acct := o365.NewAccount(o365.Credentials{ClientID: ClientID, ClientSecret: ClientSecret}, append(base, opts...)...)
	ok, err := acct.Authenticate(context.Background())
	if err != nil {
		t.Fatalf("signing in %s: %v", who, err)
	}
	if !ok {
		t.Fatalf("signing in %s: not authenticated", who)
	}
	return acct
}

// Collect drains a list, failing t on an error.
func Collect[T any](t testing.TB, seq iter.Seq2[T, error]) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// Wire records the requests an account sends, bodies included, for tests
// that check what went over the wire. Use it as the Transport of the
// account's HTTP client.
type Wire struct {
	mu   sync.Mutex
	reqs []Sent
	next http.RoundTripper
}

// Sent is one recorded request.
type Sent struct {
	Method, Path, Query string
	Header              http.Header
	Body                []byte
}

// NewWire returns a Wire sending requests on through http.DefaultTransport.
func NewWire() *Wire { return &Wire{next: http.DefaultTransport} }

// RoundTrip records r and sends it on.
func (w *Wire) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	// Upload chunks to Outlook REST v2.0 stay unread: they can be large,
	// and tests look only at their headers.
	if r.Body != nil && !strings.Contains(r.URL.Path, "/api/v2.0/") {
		body, _ = io.ReadAll(r.Body)
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	w.mu.Lock()
	w.reqs = append(w.reqs, Sent{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), body})
	w.mu.Unlock()
	return w.next.RoundTrip(r)
}

// Take returns the requests recorded since the last call.
func (w *Wire) Take() []Sent {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.reqs
	w.reqs = nil
	return out
}
