package todo_test

import (
	"testing"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/o365test"
)

const (
	adele    = "AdeleV@contoso.onmicrosoft.com"
	alex     = "AlexW@contoso.onmicrosoft.com"
	password = "pass-word"
)

// emulator starts graphtest with one app and two users.
func emulator(t testing.TB) *graphtest.Server {
	t.Helper()
	return o365test.NewServer(t,
		graphtest.User{UserPrincipalName: adele, DisplayName: "Adele Vance", Mail: adele, Password: password},
		graphtest.User{UserPrincipalName: alex, DisplayName: "Alex Wilber", Mail: alex, Password: password})
}

// signIn returns an account signed in as upn with scopes (short names).
func signIn(t testing.TB, srv *graphtest.Server, upn string, scopes ...string) *o365.Account {
	t.Helper()
	return o365test.SignIn(t, srv, upn, password, o365.WithScopes(scopes...))
}
