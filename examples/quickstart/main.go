// Command quickstart signs two users in through the console flow,
// switches between them, and prints each one's profile.
//
// With no credentials in the environment it runs offline: it starts the
// graphtest emulator in-process and plays the user at the console, opening
// the printed consent URL and pasting the redirected URL back, exactly as
// a person would.
//
// Against a real tenant, set O365_CLIENT_ID, O365_CLIENT_SECRET (omit it
// for a public client) and O365_TENANT. Tokens are kept in
// o365_token.json; run it again to sign in another user.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/demo"
	"github.com/go-o365/o365/token"
)

func main() {
	ctx := context.Background()
	if os.Getenv("O365_CLIENT_ID") != "" {
		if err := realTenant(ctx); err != nil {
			log.Fatal(err)
		}
		return
	}
	if err := offline(ctx, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// offline runs the demo against the emulator, printing to w.
func offline(ctx context.Context, w io.Writer) error {
	srv := graphtest.NewServer()
	defer srv.Close()
	creds := o365.Credentials{ClientID: "quickstart-app", ClientSecret: "quickstart-secret"}
	srv.AddApp(graphtest.App{
		ClientID:     creds.ClientID,
		ClientSecret: creds.ClientSecret,
		RedirectURIs: []string{srv.LoginURL() + "/common/oauth2/nativeclient"},
	})
	users := []graphtest.User{
		{UserPrincipalName: "AdeleV@contoso.onmicrosoft.com", DisplayName: "Adele Vance", JobTitle: "Retail Manager", OfficeLocation: "18/2111"},
		{UserPrincipalName: "AlexW@contoso.onmicrosoft.com", DisplayName: "Alex Wilber", JobTitle: "Marketing Assistant", OfficeLocation: "131/1104"},
	}
	for _, u := range users {
		srv.AddUser(u)
	}
	fmt.Fprintln(w, "No O365_CLIENT_ID set: running against the in-process graphtest emulator at", srv.URL)

	in, out := srv.Console(w)
	defer out.Close()
	account := o365.NewAccount(creds,
		o365.WithCloud(o365.Cloud{Login: srv.LoginURL(), Graph: srv.GraphURL()}),
		o365.WithScopes("basic", "message_all"),
		o365.WithTokenBackend(token.NewMemoryBackend()),
		o365.WithConsoleIO(in, out),
	)

	for _, u := range users {
		srv.SignIn(u.UserPrincipalName) // who is at the browser this time
		if _, err := account.Authenticate(ctx); err != nil {
			return err
		}
		fmt.Fprintf(w, "Signed in as %s\n\n", account.Username())
	}
	return printEveryone(ctx, w, account)
}

// realTenant signs in to the tenant named by O365_CLIENT_ID, O365_TENANT
// and, for a confidential client, O365_CLIENT_SECRET (tokens are kept in
// o365_token.json, so this is needed once per user).
func realTenant(ctx context.Context) error {
	account, err := demo.RealTenant(ctx, "basic")
	if err != nil {
		return err
	}
	return printEveryone(ctx, os.Stdout, account)
}

// printEveryone switches to each stored user in turn and prints who Graph
// says they are.
func printEveryone(ctx context.Context, w io.Writer, account *o365.Account) error {
	names, err := account.Usernames()
	if err != nil {
		return err
	}
	for _, name := range names {
		if err := account.SetUsername(name); err != nil {
			return err
		}
		me, err := account.CurrentUser(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%-32s %-12s %-20s %s\n", me.UserPrincipalName, me.DisplayName, me.JobTitle, me.OfficeLocation)
	}
	return nil
}
