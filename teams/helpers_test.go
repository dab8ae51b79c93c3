package teams_test

import (
	"context"
	"iter"
	"net/http"
	"testing"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/teams"
	"github.com/stretchr/testify/require"
)

const (
	adeleUPN = "AdeleV@contoso.onmicrosoft.com"
	alexUPN  = "AlexW@contoso.onmicrosoft.com"
	meganUPN = "MeganB@contoso.onmicrosoft.com"
	password = "pass-word"
)

// every scope the package uses, for accounts that should not be stopped
// by a missing one.
var allScopes = []string{"teams_all", "channel_messages_all", "chats_all", "presence_all"}

// env is an emulated tenant with three users and a team: the Mark 8
// Project Team, a Unified group of Adele (owner) and Alex, with a General
// and a Design channel. Megan is in no team.
type env struct {
	t                  *testing.T
	ctx                context.Context
	srv                *graphtest.Server
	adele, alex, megan graphtest.User
	teamID             string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	srv := o365test.NewServer(t)
	e := &env{t: t, ctx: context.Background(), srv: srv}
	e.adele = srv.AddUser(graphtest.User{UserPrincipalName: adeleUPN, DisplayName: "Adele Vance", Mail: adeleUPN, Password: password})
	e.alex = srv.AddUser(graphtest.User{UserPrincipalName: alexUPN, DisplayName: "Alex Wilber", Mail: alexUPN, Password: password})
	e.megan = srv.AddUser(graphtest.User{UserPrincipalName: meganUPN, DisplayName: "Megan Bowen", Mail: meganUPN, Password: password})
	g, err := srv.AddGroup(graphtest.Group{
		DisplayName: "Mark 8 Project Team", Description: "Welcome to the team that we've assembled to create the Mark 8.",
		Mail: "Mark8ProjectTeam@contoso.onmicrosoft.com", MailNickname: "Mark8ProjectTeam", MailEnabled: true,
		GroupTypes: []string{"Unified"}, Visibility: "Public",
		Members: []string{adeleUPN, alexUPN}, Owners: []string{adeleUPN},
	})
	require.NoError(t, err)
	require.NoError(t, srv.AddTeam(g.ID, "Design"))
	e.teamID = g.ID
	return e
}

// signIn returns the Teams of upn, signed in with scopes (short names).
func (e *env) signIn(upn string, scopes ...string) *teams.Teams {
	e.t.Helper()
	return o365test.SignIn(e.t, e.srv, upn, password, o365.WithScopes(scopes...)).Teams()
}

// signInWire is signIn with every request recorded on the returned wire.
func (e *env) signInWire(upn string, scopes ...string) (*teams.Teams, *o365test.Wire) {
	e.t.Helper()
	wire := o365test.NewWire()
	acct := o365test.SignIn(e.t, e.srv, upn, password, o365.WithScopes(scopes...),
		o365.WithHTTPClient(&http.Client{Transport: wire}))
	wire.Take()
	return acct.Teams(), wire
}

// channel returns the team's channel named name, as upn sees it.
func (e *env) channel(tm *teams.Teams, name string) *teams.Channel {
	e.t.Helper()
	id, err := e.srv.ChannelID(e.teamID, name)
	require.NoError(e.t, err)
	return tm.ChannelOf(e.teamID, id)
}

// graphTestApp is the OneNote app of Microsoft's installed-apps example.
var graphTestApp = graphtest.TeamsApp{DisplayName: "OneNote", Version: "1.0.0",
	ShortDescription: "Capture and share ideas, to-do lists and other notes with your team.",
	Description:      "Capture and share ideas, to-do lists and other thoughts with your team. You can also co-author anytime."}

// firstErr is the first error seq yields, nil if it ends without one: a
// check on it fails when the iterator yields nothing, where a loop over
// seq would check nothing.
func firstErr[T any](seq iter.Seq2[T, error]) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}
