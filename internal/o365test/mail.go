package o365test

import (
	"net/http"
	"testing"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/graphtest"
)

// The mail tenant that the mailbox and message tests share: two people
// and a shared mailbox.
const (
	Adele = "AdeleV@contoso.onmicrosoft.com"
	Alex  = "AlexW@contoso.onmicrosoft.com"
	Sales = "sales@contoso.onmicrosoft.com"
)

// MailPasswords are the mail tenant's passwords, by user.
var MailPasswords = map[string]string{Adele: "adele-pass", Alex: "alex-pass", Sales: "sales-pass"}

// MailScopes are the scopes MailSignIn asks for when given none.
var MailScopes = []string{"basic", "message_all", "message_all_shared"}

// MailTenant is the mail tenant with Adele and Alex signed in.
type MailTenant struct {
	Srv         *graphtest.Server
	Adele, Alex *o365.Account
}

// NewMailTenant starts the mail tenant and signs Adele and Alex in.
func NewMailTenant(t testing.TB) *MailTenant {
	t.Helper()
	srv := NewServer(t,
		graphtest.User{UserPrincipalName: Adele, DisplayName: "Adele Vance", Mail: Adele, Password: MailPasswords[Adele]},
		graphtest.User{UserPrincipalName: Alex, DisplayName: "Alex Wilber", Mail: Alex, Password: MailPasswords[Alex]},
		graphtest.User{UserPrincipalName: Sales, DisplayName: "Sales", Mail: Sales, Password: MailPasswords[Sales]})
	return &MailTenant{Srv: srv, Adele: MailSignIn(t, srv, Adele), Alex: MailSignIn(t, srv, Alex)}
}

// MailSignIn signs upn of the mail tenant in to srv with scopes
// (MailScopes when none).
func MailSignIn(t testing.TB, srv *graphtest.Server, upn string, scopes ...string) *o365.Account {
	t.Helper()
	if scopes == nil {
		scopes = MailScopes
	}
	return SignIn(t, srv, upn, MailPasswords[upn], o365.WithScopes(scopes...))
}

// MailSignInRecorded is MailSignIn with the account's Graph traffic
// recorded; the sign-in itself is not on the Wire.
func MailSignInRecorded(t testing.TB, srv *graphtest.Server, upn string) (*o365.Account, *Wire) {
	t.Helper()
	w := NewWire()
	acct := SignIn(t, srv, upn, MailPasswords[upn], o365.WithScopes(MailScopes...), o365.WithHTTPClient(&http.Client{Transport: w}))
	w.Take()
	return acct, w
}
