// Command webapp is a web app with Microsoft sign-in: a net/http server
// whose users sign in with the authorization-code flow (PKCE), then see
// their inbox and their next events. One o365.Account serves them all; a
// browser that signed in twice switches between its users, and sign-out
// deletes that user's token. The app itself is package app.
//
// With no credentials in the environment it runs offline: the graphtest
// emulator plays the Microsoft identity platform, sign-in page included,
// and Microsoft Graph, with three users who have mail and events. Against
// a real tenant set O365_CLIENT_ID, O365_CLIENT_SECRET and O365_TENANT
// (default "common"), register http://localhost:8080/auth/callback as a
// Web redirect URI of the app, and grant it the delegated permissions
// User.Read, Mail.Read and Calendars.Read.
//
//	go run . [-addr localhost:8080]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/examples/webapp/app"
	"github.com/go-o365/o365/token"
)

// scopes are the delegated permissions the app asks for.
var scopes = []string{"basic", "mailbox", "Calendars.Read"}

func main() {
	addr := flag.String("addr", "localhost:8080", "address to serve the app on")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *addr, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// run serves the app on addr until ctx ends.
func run(ctx context.Context, addr string, w io.Writer) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	base := baseURL(addr, ln.Addr())
	var account *o365.Account
	if os.Getenv("O365_CLIENT_ID") != "" {
		account = realTenant()
		fmt.Fprintf(w, "Signing in at the real tenant: %s must be a Web redirect URI of the app.\n", base+app.CallbackPath)
	} else {
		srv, acct := offline(base, time.Now())
		defer srv.Close()
		account = acct
		fmt.Fprintf(w, "Running offline against the graphtest emulator at %s\nIts users (pick one, or type the name and password):\n", srv.URL)
		for _, u := range users {
			fmt.Fprintf(w, "  %-32s password %s\n", u.UserPrincipalName, u.Password)
		}
	}
	web, err := app.New(account, app.Config{BaseURL: base})
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: web, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		hs.Close()
	}()
	fmt.Fprintf(w, "\nOpen %s/ in a browser (Ctrl-C to stop).\n", base)
	if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// baseURL is the app's address as a browser uses it: the host asked for
// (localhost when none), with the port actually listened on.
func baseURL(addr string, bound net.Addr) string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	_, port, _ := net.SplitHostPort(bound.String())
	return "http://" + net.JoinHostPort(host, port)
}

// realTenant is the account of the app O365_CLIENT_ID names, a
// confidential client of O365_TENANT. Tokens are kept in memory, as the
// sessions are: a restart signs everyone out.
func realTenant() *o365.Account {
	tenant := os.Getenv("O365_TENANT")
	if tenant == "" {
		tenant = "common"
	}
	return o365.NewAccount(
		o365.Credentials{ClientID: os.Getenv("O365_CLIENT_ID"), ClientSecret: os.Getenv("O365_CLIENT_SECRET")},
		o365.WithTenant(tenant),
		o365.WithScopes(scopes...),
		o365.WithTokenBackend(token.NewMemoryBackend()))
}
