package contacts_test

import (
	"testing"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/o365test"
)

const (
	clientID     = o365test.ClientID
	clientSecret = o365test.ClientSecret
	adele        = "AdeleV@contoso.onmicrosoft.com"
	alex         = "AlexW@contoso.onmicrosoft.com"
	megan        = "MeganB@contoso.onmicrosoft.com"
	password     = "pass-word"
)

// emulator starts graphtest with one app and three users.
func emulator(t testing.TB) *graphtest.Server {
	t.Helper()
	return o365test.NewServer(t,
		graphtest.User{UserPrincipalName: adele, DisplayName: "Adele Vance", GivenName: "Adele", Surname: "Vance",
			Mail: adele, JobTitle: "Retail Manager", OfficeLocation: "18/2111", Password: password},
		graphtest.User{UserPrincipalName: alex, DisplayName: "Alex Wilber", GivenName: "Alex", Surname: "Wilber",
			Mail: alex, JobTitle: "Marketing Assistant", Password: password},
		graphtest.User{UserPrincipalName: megan, DisplayName: "Megan Bowen", GivenName: "Megan", Surname: "Bowen",
			Mail: megan, JobTitle: "Marketing Manager", Password: password})
}

// signIn returns an account signed in as upn with scopes (short names).
func signIn(t testing.TB, srv *graphtest.Server, upn string, scopes ...string) *o365.Account {
	t.Helper()
	return o365test.SignIn(t, srv, upn, password, o365.WithScopes(scopes...))
}
