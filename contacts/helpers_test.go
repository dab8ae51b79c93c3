package contacts_test

import (
	"context"
	"iter"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/token"
	"github.com/stretchr/testify/require"
)

const (
	clientID     = "7e1b2c3d-0000-4a4a-9b9b-contacts0001"
	clientSecret = "contacts-test-secret"
	adele        = "AdeleV@contoso.onmicrosoft.com"
	alex         = "AlexW@contoso.onmicrosoft.com"
	megan        = "MeganB@contoso.onmicrosoft.com"
	password     = "pass-word"
)

// emulator starts graphtest with one app and three users.
func emulator(t testing.TB) *graphtest.Server {
	t.Helper()
	srv := graphtest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddApp(graphtest.App{ClientID: clientID, ClientSecret: clientSecret})
	srv.AddUser(graphtest.User{UserPrincipalName: adele, DisplayName: "Adele Vance", GivenName: "Adele", Surname: "Vance",
		Mail: adele, JobTitle: "Retail Manager", OfficeLocation: "18/2111", Password: password})
	srv.AddUser(graphtest.User{UserPrincipalName: alex, DisplayName: "Alex Wilber", GivenName: "Alex", Surname: "Wilber",
		Mail: alex, JobTitle: "Marketing Assistant", Password: password})
	srv.AddUser(graphtest.User{UserPrincipalName: megan, DisplayName: "Megan Bowen", GivenName: "Megan", Surname: "Bowen",
		Mail: megan, JobTitle: "Marketing Manager", Password: password})
	return srv
}

// signIn returns an account signed in as upn with scopes (short names).
func signIn(t testing.TB, srv *graphtest.Server, upn string, scopes ...string) *o365.Account {
	t.Helper()
	acct := o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: clientSecret},
		o365.WithCloud(o365.Cloud{Login: srv.LoginURL(), Graph: srv.GraphURL()}),
		o365.WithTokenBackend(token.NewMemoryBackend()),
		o365.WithScopes(scopes...),
		o365.WithAuthFlow(o365.PasswordFlow),
		o365.WithPassword(upn, password),
		o365.WithRetryBackoff(time.Millisecond, 5*time.Millisecond),
	)
	ok, err := acct.Authenticate(context.Background())
	require.NoError(t, err)
	require.True(t, ok)
	return acct
}

// collect drains an iterator, failing the test on an error.
func collect[T any](t testing.TB, seq iter.Seq2[T, error]) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		require.NoError(t, err)
		out = append(out, v)
	}
	return out
}
