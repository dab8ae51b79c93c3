package demo

import (
	"context"
	"io"
	"log"
	"os"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/token"
)

// Main is an example's main: it runs realTenant when O365_CLIENT_ID is
// set and offline otherwise, writing to standard output, and ends the
// program on an error. An example that only runs offline passes a nil
// realTenant.
func Main(offline, realTenant func(ctx context.Context, w io.Writer) error) {
	run := offline
	if realTenant != nil && os.Getenv("O365_CLIENT_ID") != "" {
		run = realTenant
	}
	if err := run(context.Background(), os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// Start starts the emulator, fills it with seed (one of the Seed
// functions, or nil), says so on w (Banner), and returns it with an
// account asking for scopes that Users[0] has signed in to through the
// console flow. The caller closes the server.
func Start(ctx context.Context, w io.Writer, seed func(*graphtest.Server) error, scopes ...string) (*graphtest.Server, *o365.Account, error) {
	srv := Emulator()
	if seed != nil {
		if err := seed(srv); err != nil {
			srv.Close()
			return nil, nil, err
		}
	}
	Banner(w, srv)
	account := o365.NewAccount(Credentials, append(Options(srv, nil), o365.WithScopes(scopes...))...)
	if err := SignIn(ctx, account); err != nil {
		srv.Close()
		return nil, nil, err
	}
	return srv, account, nil
}

// RealTenant returns an account asking for scopes of the app that
// O365_CLIENT_ID and O365_CLIENT_SECRET name (no secret: a public client)
// in the tenant O365_TENANT (default "common"), with its tokens in
// o365_token.json. It signs in through the console unless a token is
// stored already.
func RealTenant(ctx context.Context, scopes ...string) (*o365.Account, error) {
	flow := o365.AuthorizationFlow
	secret := os.Getenv("O365_CLIENT_SECRET")
	if secret == "" {
		flow = o365.PublicFlow
	}
	tenant := os.Getenv("O365_TENANT")
	if tenant == "" {
		tenant = "common"
	}
	account := o365.NewAccount(o365.Credentials{ClientID: os.Getenv("O365_CLIENT_ID"), ClientSecret: secret},
		o365.WithTenant(tenant),
		o365.WithAuthFlow(flow),
		o365.WithScopes(scopes...),
		o365.WithTokenBackend(token.NewFileBackend(o365.DefaultTokenFile)))
	if !account.IsAuthenticated() {
		if _, err := account.Authenticate(ctx); err != nil {
			return nil, err
		}
	}
	return account, nil
}
