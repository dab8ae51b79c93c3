package mailbox_test

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

// The emulated tenant: two people and a shared mailbox.
const (
	clientID = "mail-test-app"
	secret   = "mail-test-secret"
	adele    = "AdeleV@contoso.onmicrosoft.com"
	alex     = "AlexW@contoso.onmicrosoft.com"
	sales    = "sales@contoso.onmicrosoft.com"
)

var passwords = map[string]string{adele: "adele-pass", alex: "alex-pass", sales: "sales-pass"}

type env struct {
	srv         *graphtest.Server
	adele, alex *o365.Account
}

func newEnv(t testing.TB) *env {
	t.Helper()
	srv := graphtest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddApp(graphtest.App{ClientID: clientID, ClientSecret: secret})
	srv.AddUser(graphtest.User{UserPrincipalName: adele, DisplayName: "Adele Vance", Mail: adele, Password: passwords[adele]})
	srv.AddUser(graphtest.User{UserPrincipalName: alex, DisplayName: "Alex Wilber", Mail: alex, Password: passwords[alex]})
	srv.AddUser(graphtest.User{UserPrincipalName: sales, DisplayName: "Sales", Mail: sales, Password: passwords[sales]})
	return &env{srv: srv, adele: signIn(t, srv, adele), alex: signIn(t, srv, alex)}
}

// signIn authenticates upn with the password flow and the mail scopes.
func signIn(t testing.TB, srv *graphtest.Server, upn string, scopes ...string) *o365.Account {
	t.Helper()
	if scopes == nil {
		scopes = []string{"basic", "message_all", "message_all_shared"}
	}
	acct := o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: secret},
		o365.WithCloud(o365.Cloud{Login: srv.LoginURL(), Graph: srv.GraphURL()}),
		o365.WithTokenBackend(token.NewMemoryBackend()),
		o365.WithAuthFlow(o365.PasswordFlow),
		o365.WithPassword(upn, passwords[upn]),
		o365.WithScopes(scopes...),
		o365.WithRetryBackoff(time.Millisecond, 5*time.Millisecond))
	if _, err := acct.Authenticate(context.Background()); err != nil {
		t.Fatalf("signing in %s: %v", upn, err)
	}
	return acct
}

// wire records the requests an account sends, bodies included, for tests
// that check what went over the wire.
type wire struct {
	mu   sync.Mutex
	reqs []sent
	next http.RoundTripper
}

type sent struct {
	method, path, query string
	header              http.Header
	body                []byte
}

func (w *wire) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil && !strings.Contains(r.URL.Path, "/api/v2.0/") {
		body, _ = io.ReadAll(r.Body)
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	w.mu.Lock()
	w.reqs = append(w.reqs, sent{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), body})
	w.mu.Unlock()
	return w.next.RoundTrip(r)
}

// take returns the requests recorded since the last call.
func (w *wire) take() []sent {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.reqs
	w.reqs = nil
	return out
}

// signInRecorded is signIn with the account's Graph traffic recorded.
func signInRecorded(t testing.TB, srv *graphtest.Server, upn string) (*o365.Account, *wire) {
	t.Helper()
	w := &wire{next: http.DefaultTransport}
	acct := o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: secret},
		o365.WithCloud(o365.Cloud{Login: srv.LoginURL(), Graph: srv.GraphURL()}),
		o365.WithTokenBackend(token.NewMemoryBackend()),
		o365.WithAuthFlow(o365.PasswordFlow),
		o365.WithPassword(upn, passwords[upn]),
		o365.WithScopes("basic", "message_all", "message_all_shared"),
		o365.WithHTTPClient(&http.Client{Transport: w}),
		o365.WithRetryBackoff(time.Millisecond, 5*time.Millisecond))
	if _, err := acct.Authenticate(context.Background()); err != nil {
		t.Fatalf("signing in %s: %v", upn, err)
	}
	w.take()
	return acct, w
}

// collect drains a list, failing the test on an error.
func collect[T any](t testing.TB, seq iter.Seq2[T, error]) []T {
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

// firstErr drains a list and returns its error.
func firstErr[T any](seq iter.Seq2[T, error]) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

func newMemory() token.Backend { return token.NewMemoryBackend() }
