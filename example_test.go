package o365_test

import (
	"context"
	"fmt"
	"log"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/token"
)

// An account signs two users in through the console flow and switches
// between them. graphtest stands in for Microsoft and for the person at
// the browser.
func ExampleAccount_SetUsername() {
	srv := graphtest.NewServer()
	defer srv.Close()
	srv.AddApp(graphtest.App{ClientID: "app", ClientSecret: "secret",
		RedirectURIs: []string{srv.LoginURL() + "/common/oauth2/nativeclient"}})
	srv.AddUser(graphtest.User{UserPrincipalName: "adele@contoso.com", DisplayName: "Adele Vance"})
	srv.AddUser(graphtest.User{UserPrincipalName: "alex@contoso.com", DisplayName: "Alex Wilber"})

	in, out := srv.Console(nil)
	defer out.Close()
	account := o365.NewAccount(o365.Credentials{ClientID: "app", ClientSecret: "secret"},
		o365.WithCloud(o365.Cloud{Login: srv.LoginURL(), Graph: srv.GraphURL()}),
		o365.WithTokenBackend(token.NewMemoryBackend()),
		o365.WithScopes("basic"),
		o365.WithConsoleIO(in, out))

	ctx := context.Background()
	for _, upn := range []string{"adele@contoso.com", "alex@contoso.com"} {
		srv.SignIn(upn)
		if _, err := account.Authenticate(ctx); err != nil {
			log.Fatal(err)
		}
	}
	for _, upn := range []string{"adele@contoso.com", "alex@contoso.com"} {
		if err := account.SetUsername(upn); err != nil {
			log.Fatal(err)
		}
		me, err := account.CurrentUser(ctx)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(me.DisplayName)
	}
	// Output:
	// Adele Vance
	// Alex Wilber
}

func ExampleScopesFor() {
	fmt.Println(o365.ScopesFor("message_all", "basic", "Files.Read"))
	// Output: [Mail.ReadWrite Mail.Send User.Read Files.Read]
}

func ExampleParseRedirect() {
	code, err := o365.ParseRedirect("https://login.microsoftonline.com/common/oauth2/nativeclient?code=0.AXkA&state=s1", "s1")
	fmt.Println(code, err)
	_, err = o365.ParseRedirect("https://outlook.office.com/owa/?realm=contoso.com", "s1")
	fmt.Println(err)
	// Output:
	// 0.AXkA <nil>
	// o365: state in the redirected URL does not match
}
