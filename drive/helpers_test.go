package drive_test

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/drive"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/token"
)

const (
	clientID = "drive-tests"
	secret   = "drive-tests-secret"
	adele    = "AdeleV@contoso.onmicrosoft.com"
	alex     = "AlexW@contoso.onmicrosoft.com"
	password = "pw-123"
)

// env is an emulator with two users, each signed in to an account of
// their own through the password flow.
type env struct {
	t        testing.TB
	ctx      context.Context
	srv      *graphtest.Server
	wire     *wire
	accounts map[string]*o365.Account
}

func newEnv(t testing.TB) *env {
	t.Helper()
	srv := graphtest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddApp(graphtest.App{ClientID: clientID, ClientSecret: secret})
	for _, u := range []graphtest.User{
		{UserPrincipalName: adele, DisplayName: "Adele Vance", Mail: adele, Password: password},
		{UserPrincipalName: alex, DisplayName: "Alex Wilber", Mail: alex, Password: password},
	} {
		srv.AddUser(u)
	}
	e := &env{t: t, ctx: context.Background(), srv: srv, wire: &wire{}, accounts: map[string]*o365.Account{}}
	for _, upn := range []string{adele, alex} {
		e.accounts[upn] = e.signIn(upn)
	}
	return e
}

// signIn makes a new account for upn, as another process would.
func (e *env) signIn(upn string) *o365.Account {
	e.t.Helper()
	acct := o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: secret},
		o365.WithCloud(o365.Cloud{Login: e.srv.LoginURL(), Graph: e.srv.GraphURL()}),
		o365.WithTokenBackend(token.NewMemoryBackend()),
		o365.WithAuthFlow(o365.PasswordFlow), o365.WithPassword(upn, password),
		o365.WithScopes("onedrive", "sharepoint_dl"),
		o365.WithRetryBackoff(time.Millisecond, 5*time.Millisecond),
		o365.WithHTTPClient(&http.Client{Transport: e.wire}))
	if _, err := acct.Authenticate(e.ctx); err != nil {
		e.t.Fatalf("signing in %s: %v", upn, err)
	}
	return acct
}

func (e *env) drive(upn string) *drive.Drive {
	e.t.Helper()
	d, err := e.accounts[upn].Storage().DefaultDrive(e.ctx)
	if err != nil {
		e.t.Fatalf("default drive of %s: %v", upn, err)
	}
	return d
}

func (e *env) root(upn string) *drive.DriveItem {
	e.t.Helper()
	r, err := e.drive(upn).Root(e.ctx)
	if err != nil {
		e.t.Fatalf("root of %s: %v", upn, err)
	}
	return r
}

// upload writes data to name in folder with default options.
func (e *env) upload(folder *drive.DriveItem, name string, data []byte) *drive.DriveItem {
	e.t.Helper()
	it, err := folder.Upload(e.ctx, name, bytes.NewReader(data), int64(len(data)), nil)
	if err != nil {
		e.t.Fatalf("uploading %s: %v", name, err)
	}
	return it
}

func (e *env) folder(parent *drive.DriveItem, name string) *drive.DriveItem {
	e.t.Helper()
	f, err := parent.CreateFolder(e.ctx, name, "")
	if err != nil {
		e.t.Fatalf("creating folder %s: %v", name, err)
	}
	return f
}

func (e *env) download(it *drive.DriveItem, opts *drive.DownloadOptions) []byte {
	e.t.Helper()
	var buf bytes.Buffer
	if _, err := it.Download(e.ctx, &buf, opts); err != nil {
		e.t.Fatalf("downloading %s: %v", it.Name, err)
	}
	return buf.Bytes()
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

func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed+1))
	b := make([]byte, n)
	for i := 0; i+8 <= n; i += 8 {
		v := r.Uint64()
		for j := 0; j < 8; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	for i := n - n%8; i < n; i++ {
		b[i] = byte(r.Uint32())
	}
	return b
}

// wire is the test's view of the HTTP traffic: it records every request
// the library sends (bodies of JSON requests included) and lets a test
// act when a request goes out.
type wire struct {
	mu     sync.Mutex
	sent   []sent
	onSend func(r *http.Request)
}

type sent struct {
	method, url string
	header      http.Header
	body        string // JSON bodies only
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
	hook := w.onSend
	w.mu.Unlock()
	if hook != nil {
		hook(r)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// mark returns the number of requests so far, for since.
func (w *wire) mark() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.sent)
}

// since returns the requests sent after mark.
func (w *wire) since(mark int) []sent {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]sent(nil), w.sent[mark:]...)
}

func (w *wire) hook(f func(r *http.Request)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.onSend = f
}

func tokenBackend() token.Backend { return token.NewMemoryBackend() }
