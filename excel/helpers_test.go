package excel_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/drive"
	"github.com/go-o365/o365/excel"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/internal/wiretest"
)

const (
	adele    = "AdeleV@contoso.onmicrosoft.com"
	password = "pw-excel"
)

// env is an emulator with one user signed in with the excel and
// onedrive scopes, and what the library sent.
type env struct {
	t       testing.TB
	ctx     context.Context
	srv     *graphtest.Server
	wire    *wiretest.Recorder
	account *o365.Account
	root    *drive.DriveItem
}

func newEnv(t testing.TB, scopes ...string) *env {
	t.Helper()
	srv := o365test.NewServer(t, graphtest.User{UserPrincipalName: adele, DisplayName: "Adele Vance", Mail: adele, Password: password})
	if len(scopes) == 0 {
		scopes = []string{"excel", "onedrive"}
	}
	e := &env{t: t, ctx: context.Background(), srv: srv, wire: &wiretest.Recorder{}}
	e.account = o365test.SignIn(t, srv, adele, password, o365.WithScopes(scopes...), o365.WithHTTPClient(&http.Client{Transport: e.wire}))
	d, err := e.account.Storage().DefaultDrive(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if e.root, err = d.Root(e.ctx); err != nil {
		t.Fatal(err)
	}
	return e
}

// upload stores a new .xlsx file (any bytes) and returns its item.
func (e *env) upload(name string) *drive.DriveItem {
	e.t.Helper()
	data := []byte("PK\x03\x04 not really a zip")
	it, err := e.root.Upload(e.ctx, name, bytes.NewReader(data), int64(len(data)), nil)
	if err != nil {
		e.t.Fatalf("uploading %s: %v", name, err)
	}
	return it
}

// open uploads name and opens it.
func (e *env) open(name string, opts ...excel.Option) (*excel.Workbook, *drive.DriveItem) {
	e.t.Helper()
	it := e.upload(name)
	wb, err := excel.Open(e.ctx, it, opts...)
	if err != nil {
		e.t.Fatalf("opening %s: %v", name, err)
	}
	e.t.Cleanup(func() { wb.Close(context.Background()) })
	return wb, it
}

func (e *env) rng(wb *excel.Workbook, address string) *excel.Range {
	e.t.Helper()
	r, err := wb.Range(address)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

func collect[T any](t testing.TB, seq func(func(T, error) bool)) []T {
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

// countMethod is how many of sent used method.
func countMethod(sent []wiretest.Sent, method string) int {
	n := 0
	for _, s := range sent {
		if s.Method == method {
			n++
		}
	}
	return n
}
