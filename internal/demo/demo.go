// Package demo sets up the graphtest emulator the way the examples use it
// when they run offline: one app, a few users, a signed-in account.
package demo

import (
	"context"
	"fmt"
	"io"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/token"
)

// Credentials of the emulated app.
var Credentials = o365.Credentials{ClientID: "demo-app", ClientSecret: "demo-secret"}

// Users of the emulated tenant; the first one signs in.
var Users = []graphtest.User{
	{UserPrincipalName: "AdeleV@contoso.onmicrosoft.com", DisplayName: "Adele Vance", GivenName: "Adele", Surname: "Vance", JobTitle: "Retail Manager", OfficeLocation: "18/2111", Password: "adele-demo"},
	{UserPrincipalName: "AlexW@contoso.onmicrosoft.com", DisplayName: "Alex Wilber", GivenName: "Alex", Surname: "Wilber", JobTitle: "Marketing Assistant", OfficeLocation: "131/1104", Password: "alex-demo"},
	{UserPrincipalName: "MeganB@contoso.onmicrosoft.com", DisplayName: "Megan Bowen", GivenName: "Megan", Surname: "Bowen", JobTitle: "Marketing Manager", OfficeLocation: "12/1110", Password: "megan-demo"},
}

// Emulator starts graphtest with the demo app and users, Users[0] signed in.
func Emulator() *graphtest.Server {
	srv := graphtest.NewServer()
	srv.AddApp(graphtest.App{
		ClientID:     Credentials.ClientID,
		ClientSecret: Credentials.ClientSecret,
		RedirectURIs: []string{srv.LoginURL() + "/common/oauth2/nativeclient"},
	})
	for _, u := range Users {
		srv.AddUser(u)
	}
	srv.SignIn(Users[0].UserPrincipalName)
	return srv
}

// Options point a connection at srv, keep tokens in memory and answer the
// console flow as the emulator's signed-in user (echoing to w when not nil).
func Options(srv *graphtest.Server, w io.Writer) []o365.Option {
	in, out := srv.Console(w)
	return []o365.Option{
		o365.WithCloud(o365.Cloud{Login: srv.LoginURL(), Graph: srv.GraphURL()}),
		o365.WithTokenBackend(token.NewMemoryBackend()),
		o365.WithConsoleIO(in, out),
	}
}

// Banner says the example runs offline.
func Banner(w io.Writer, srv *graphtest.Server) {
	fmt.Fprintf(w, "Running offline against the graphtest emulator at %s\n\n", srv.URL)
}

// SignIn authenticates an account through its console flow.
func SignIn(ctx context.Context, a *o365.Account) error {
	_, err := a.Authenticate(ctx)
	return err
}
