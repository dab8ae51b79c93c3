package o365_test

import (
	"context"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/token"
	"github.com/stretchr/testify/require"
)

// Test identities. The secrets are distinctive so the secret-leak test
// can look for them in every error and log line.
const (
	clientID     = "11111111-2222-3333-4444-555555555555"
	clientSecret = "s3cr3t-CLIENT-value-zz9"
	adele        = "AdeleV@contoso.onmicrosoft.com"
	alex         = "AlexW@contoso.onmicrosoft.com"
	adelePass    = "adele-PASSWORD-zz9"
)

// emulator starts graphtest with one confidential app and two users.
func emulator(t testing.TB, opts ...graphtest.Option) *graphtest.Server {
	t.Helper()
	srv := graphtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	srv.AddApp(graphtest.App{
		ClientID:     clientID,
		ClientSecret: clientSecret,
		RedirectURIs: []string{srv.LoginURL() + "/common/oauth2/nativeclient", "http://localhost/callback", "http://localhost/"},
	})
	srv.AddUser(graphtest.User{UserPrincipalName: adele, DisplayName: "Adele Vance", GivenName: "Adele", Surname: "Vance", Mail: adele, Password: adelePass, JobTitle: "Retail Manager"})
	srv.AddUser(graphtest.User{UserPrincipalName: alex, DisplayName: "Alex Wilber", GivenName: "Alex", Surname: "Wilber", Mail: alex, Password: "alex-pass"})
	return srv
}

// cloudOf points the library at the emulator.
func cloudOf(srv *graphtest.Server) o365.Cloud {
	return o365.Cloud{Login: srv.LoginURL(), Graph: srv.GraphURL()}
}

// baseOptions are the options every emulator-backed test account uses.
func baseOptions(srv *graphtest.Server, backend token.Backend) []o365.Option {
	return []o365.Option{
		o365.WithCloud(cloudOf(srv)),
		o365.WithTokenBackend(backend),
		o365.WithScopes("basic", "message_all"),
		o365.WithRetryBackoff(time.Millisecond, 5*time.Millisecond),
	}
}

// signIn authenticates upn through the console flow and returns the account.
func signIn(t testing.TB, srv *graphtest.Server, acct *o365.Account, upn string) {
	t.Helper()
	srv.SignIn(upn)
	ok, err := acct.Authenticate(context.Background())
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, upn, acct.Username())
}

// consoleOption wires a connection's console to the emulator's user at
// the browser.
func consoleOption(t testing.TB, srv *graphtest.Server) o365.Option {
	in, out := srv.Console(nil)
	t.Cleanup(func() { out.Close() })
	return o365.WithConsoleIO(in, out)
}

// newConsoleAccount builds an account whose console flow is answered by
// the emulator's user at the browser.
func newConsoleAccount(t testing.TB, srv *graphtest.Server, backend token.Backend, extra ...o365.Option) *o365.Account {
	opts := append(baseOptions(srv, backend), consoleOption(t, srv))
	return o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: clientSecret}, append(opts, extra...)...)
}
