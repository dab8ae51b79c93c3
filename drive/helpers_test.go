package drive_test

import (
	"bytes"
	"context"
	"math/rand/v2"
	"net/http"
	"testing"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/drive"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/internal/wiretest"
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
	wire     *wiretest.Recorder
	accounts map[string]*o365.Account
}

func newEnv(t testing.TB) *env {
	t.Helper()
	srv := o365test.NewServer(t,
		graphtest.User{UserPrincipalName: adele, DisplayName: "Adele Vance", Mail: adele, Password: password},
		graphtest.User{UserPrincipalName: alex, DisplayName: "Alex Wilber", Mail: alex, Password: password})
	e := &env{t: t, ctx: context.Background(), srv: srv, wire: &wiretest.Recorder{}, accounts: map[string]*o365.Account{}}
	for _, upn := range []string{adele, alex} {
		e.accounts[upn] = e.signIn(upn)
	}
	return e
}

// signIn makes a new account for upn, as another process would.
func (e *env) signIn(upn string) *o365.Account {
	e.t.Helper()
	return o365test.SignIn(e.t, e.srv, upn, password,
		o365.WithScopes("onedrive", "sharepoint_dl"), o365.WithHTTPClient(&http.Client{Transport: e.wire}))
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
