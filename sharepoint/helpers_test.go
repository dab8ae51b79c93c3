package sharepoint_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/sharepoint"
	"github.com/go-o365/o365/token"
)

const (
	clientID = "sharepoint-tests"
	secret   = "sharepoint-tests-secret"
	adele    = "AdeleV@contoso.onmicrosoft.com"
	password = "pw-123"
)

// env is an emulator with a marketing site and its subsite, and Adele
// signed in through the password flow.
type env struct {
	t         testing.TB
	ctx       context.Context
	srv       *graphtest.Server
	wire      *wire
	acct      *o365.Account
	sp        *sharepoint.Sharepoint
	marketing graphtest.Site
	campaigns graphtest.Site
}

func newEnv(t testing.TB) *env {
	t.Helper()
	srv := graphtest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddApp(graphtest.App{ClientID: clientID, ClientSecret: secret})
	srv.AddUser(graphtest.User{UserPrincipalName: adele, DisplayName: "Adele Vance", Password: password})
	e := &env{t: t, ctx: context.Background(), srv: srv, wire: &wire{}}
	e.marketing = srv.AddSite(graphtest.Site{Path: "/sites/marketing", DisplayName: "Marketing", Description: "Campaigns, brand and events"})
	e.campaigns = srv.AddSite(graphtest.Site{Path: "campaigns", DisplayName: "Campaigns 2026", ParentID: e.marketing.ID})
	e.acct = o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: secret},
		o365.WithCloud(o365.Cloud{Login: srv.LoginURL(), Graph: srv.GraphURL()}),
		o365.WithTokenBackend(token.NewMemoryBackend()),
		o365.WithAuthFlow(o365.PasswordFlow), o365.WithPassword(adele, password),
		o365.WithScopes("sharepoint_dl"),
		o365.WithRetryBackoff(time.Millisecond, 5*time.Millisecond),
		o365.WithHTTPClient(&http.Client{Transport: e.wire}))
	if _, err := e.acct.Authenticate(e.ctx); err != nil {
		t.Fatal(err)
	}
	e.sp = e.acct.Sharepoint()
	return e
}

func (e *env) site(id string) *sharepoint.Site {
	e.t.Helper()
	s, err := e.sp.Site(e.ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

func collect[T any](t testing.TB, seq func(func(T, error) bool)) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		if err != nil {
			t.Fatalf("listing: %v", err)
		}
		out = append(out, v)
	}
	return out
}

// wire records the requests the library sends, JSON bodies included.
type wire struct {
	mu   sync.Mutex
	sent []sent
}

type sent struct {
	method, url string
	header      http.Header
	body        string
}

func (w *wire) RoundTrip(r *http.Request) (*http.Response, error) {
	s := sent{method: r.Method, url: r.URL.String(), header: r.Header.Clone()}
	if r.Body != nil && strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		data, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(data))
		s.body = string(data)
	}
	w.mu.Lock()
	w.sent = append(w.sent, s)
	w.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

func (w *wire) mark() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.sent)
}

func (w *wire) since(mark int) []sent {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]sent(nil), w.sent[mark:]...)
}
