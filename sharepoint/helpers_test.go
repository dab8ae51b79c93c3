package sharepoint_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/internal/wiretest"
	"github.com/go-o365/o365/sharepoint"
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
	wire      *wiretest.Recorder
	acct      *o365.Account
	sp        *sharepoint.Sharepoint
	marketing graphtest.Site
	campaigns graphtest.Site
}

func newEnv(t testing.TB) *env {
	t.Helper()
	srv := o365test.NewServer(t, graphtest.User{UserPrincipalName: adele, DisplayName: "Adele Vance", Password: password})
	e := &env{t: t, ctx: context.Background(), srv: srv, wire: &wiretest.Recorder{}}
	e.marketing = srv.AddSite(graphtest.Site{Path: "/sites/marketing", DisplayName: "Marketing", Description: "Campaigns, brand and events"})
	e.campaigns = srv.AddSite(graphtest.Site{Path: "campaigns", DisplayName: "Campaigns 2026", ParentID: e.marketing.ID})
	e.acct = o365test.SignIn(t, srv, adele, password,
		o365.WithScopes("sharepoint_dl"), o365.WithHTTPClient(&http.Client{Transport: e.wire}))
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
