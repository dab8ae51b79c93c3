package groups_test

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"testing"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/groups"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/internal/wiretest"
	msg "github.com/go-o365/o365/message"
)

const (
	adele    = "AdeleV@contoso.onmicrosoft.com"
	alex     = "AlexW@contoso.onmicrosoft.com"
	megan    = "MeganB@contoso.onmicrosoft.com"
	password = "groups-pw"
)

// env is an emulated tenant with three users and four groups: Golf
// Assist (Microsoft 365, public; Adele owns it, Alex and the Golf Pros
// group are members), Golf Pros (security; Megan is a member), HR
// Taskforce (Microsoft 365, private; Megan owns it and is its only
// member) and Library (Microsoft 365, public, no members).
type env struct {
	t    testing.TB
	ctx  context.Context
	srv  *graphtest.Server
	wire *wiretest.Recorder
	ids  map[string]string // user principal name or group name -> id

	golf, pros, hr, library graphtest.Group
}

func newEnv(t testing.TB, opts ...graphtest.Option) *env {
	t.Helper()
	srv := graphtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	srv.AddApp(graphtest.App{ClientID: o365test.ClientID, ClientSecret: o365test.ClientSecret})
	e := &env{t: t, ctx: context.Background(), srv: srv, wire: &wiretest.Recorder{}, ids: map[string]string{}}
	for _, u := range []graphtest.User{
		{UserPrincipalName: adele, DisplayName: "Adele Vance", Mail: adele, JobTitle: "Retail Manager", Password: password},
		{UserPrincipalName: alex, DisplayName: "Alex Wilber", Mail: alex, Password: password},
		{UserPrincipalName: megan, DisplayName: "Megan Bowen", Mail: megan, Password: password},
	} {
		e.ids[u.UserPrincipalName] = srv.AddUser(u).ID
	}
	add := func(g graphtest.Group) graphtest.Group {
		t.Helper()
		out, err := srv.AddGroup(g)
		if err != nil {
			t.Fatal(err)
		}
		e.ids[g.DisplayName] = out.ID
		return out
	}
	e.pros = add(graphtest.Group{DisplayName: "Golf Pros", MailNickname: "golfpros", SecurityEnabled: true,
		Description: "Coaches", Members: []string{megan}})
	e.golf = add(graphtest.Group{DisplayName: "Golf Assist", Description: "Self help community for golf",
		Mail: "golfassist@contoso.onmicrosoft.com", MailNickname: "golfassist", MailEnabled: true,
		GroupTypes: []string{"Unified"}, Visibility: "Public", Owners: []string{adele}, Members: []string{alex, e.pros.ID}})
	e.hr = add(graphtest.Group{DisplayName: "HR Taskforce", Description: "Welcome to the HR Taskforce team.",
		Mail: "hrtaskforce@contoso.onmicrosoft.com", MailNickname: "hrtaskforce", MailEnabled: true,
		GroupTypes: []string{"Unified"}, Visibility: "Private", Owners: []string{megan}, Members: []string{megan}})
	e.library = add(graphtest.Group{DisplayName: "Library", Description: "Books and more",
		Mail: "library@contoso.onmicrosoft.com", MailNickname: "library", MailEnabled: true,
		GroupTypes: []string{"Unified"}, Visibility: "Public", Owners: []string{adele}})
	return e
}

// account signs upn in with scopes (short names), recording its requests.
func (e *env) account(upn string, scopes ...string) *o365.Account {
	e.t.Helper()
	return o365test.SignIn(e.t, e.srv, upn, password, o365.WithScopes(scopes...),
		o365.WithHTTPClient(&http.Client{Transport: e.wire}))
}

// app is the app-only account of the tenant's app.
func (e *env) app() *o365.Account {
	e.t.Helper()
	return o365test.SignInApp(e.t, e.srv)
}

// group gets the group with id through gs, failing the test on an error.
func (e *env) group(gs *groups.Groups, id string) *groups.Group {
	e.t.Helper()
	g, err := gs.Group(e.ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return g
}

func collect[T any](t testing.TB, seq iter.Seq2[T, error]) []T {
	t.Helper()
	return o365test.Collect(t, seq)
}

// collectErr drains seq and returns the error that ended it.
func collectErr[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

func names(gs []*groups.Group) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.DisplayName)
	}
	return out
}

func objectNames(os []*groups.DirectoryObject) []string {
	var out []string
	for _, o := range os {
		out = append(out, o.DisplayName)
	}
	return out
}

// graphError unwraps err to the Graph error it carries, or nil.
func graphError(err error) *o365.GraphError {
	var ge *o365.GraphError
	if errors.As(err, &ge) {
		return ge
	}
	return nil
}

var adeleAddress = msg.EmailAddress{Name: "Adele Vance", Address: adele}
