package calendar_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
	_ "time/tzdata" // the tests name zones; they must not depend on the machine's database

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/calendar"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/token"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
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
		graphtest.User{UserPrincipalName: adele, DisplayName: "Adele Vance", Mail: adele, Password: password},
		graphtest.User{UserPrincipalName: alex, DisplayName: "Alex Wilber", Mail: alex, Password: password},
		graphtest.User{UserPrincipalName: megan, DisplayName: "Megan Bowen", Mail: megan, Password: password})
}

// signIn returns an account signed in as each of upns in turn (the last
// is current), with scopes (short names; "calendar" when none).
func signIn(t testing.TB, srv *graphtest.Server, upns []string, scopes ...string) *o365.Account {
	t.Helper()
	if len(scopes) == 0 {
		scopes = []string{"calendar"}
	}
	backend := token.NewMemoryBackend()
	var acct *o365.Account
	for _, upn := range upns {
		acct = o365test.SignIn(t, srv, upn, password, o365.WithTokenBackend(backend), o365.WithScopes(scopes...))
	}
	return acct
}

// schedule returns the schedule of an account signed in as upn, showing
// times in loc.
func schedule(t testing.TB, srv *graphtest.Server, upn string, loc *time.Location) *calendar.Schedule {
	t.Helper()
	s := signIn(t, srv, []string{upn}).Schedule()
	s.Location = loc
	return s
}

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

var ctx = context.Background()

// wireServer is a plain httptest server answering as handle says, with a
// connection and protocol pointed at it, for tests of wire details.
type wireServer struct {
	con      *o365.Connection
	protocol *o365.MSGraphProtocol
}

func newWireServer(t testing.TB, handle func(w http.ResponseWriter, r *http.Request, body string)) *wireServer {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		handle(w, r, string(b))
	}))
	t.Cleanup(ts.Close)
	con := o365.NewConnection(o365.Credentials{ClientID: clientID},
		o365.WithCloud(o365.Cloud{Login: ts.URL, Graph: ts.URL}),
		o365.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "tok", Expiry: time.Now().Add(time.Hour)})),
		o365.WithRetries(0))
	return &wireServer{con: con, protocol: &o365.MSGraphProtocol{Host: ts.URL}}
}
