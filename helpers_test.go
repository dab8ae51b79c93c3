package o365_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
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

// browser plays the user at the console: it reads the consent URL the
// flow prints, "opens" it (the emulator consents as its signed-in user
// and redirects), and pastes the redirected URL back.
type browser struct {
	t      testing.TB
	srv    *graphtest.Server
	in     *io.PipeReader
	inW    *io.PipeWriter
	out    *io.PipeWriter
	lines  chan string
	mangle func(string) string // changes the pasted URL, for bad-input tests
}

func newBrowser(t testing.TB, srv *graphtest.Server) *browser {
	in, inW := io.Pipe()
	outR, out := io.Pipe()
	b := &browser{t: t, srv: srv, in: in, inW: inW, out: out, lines: make(chan string, 16)}
	go func() {
		sc := bufio.NewScanner(outR)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if !strings.HasPrefix(line, "http") {
				continue
			}
			redirected, err := followOnce(line)
			if err != nil {
				b.lines <- "error: " + err.Error()
				continue
			}
			if b.mangle != nil {
				redirected = b.mangle(redirected)
			}
			b.lines <- redirected
			_, _ = io.WriteString(inW, redirected+"\n")
		}
	}()
	t.Cleanup(func() { inW.Close(); out.Close() })
	return b
}

// option wires the browser to a connection's console.
func (b *browser) option() o365.Option { return o365.WithConsoleIO(b.in, b.out) }

// followOnce GETs url and returns where it redirects to.
func followOnce(url string) (string, error) {
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if loc := resp.Header.Get("Location"); loc != "" {
		return loc, nil
	}
	body, _ := io.ReadAll(resp.Body)
	return "", &httpStatusError{resp.StatusCode, string(body)}
}

type httpStatusError struct {
	status int
	body   string
}

func (e *httpStatusError) Error() string { return http.StatusText(e.status) + ": " + e.body }

// signIn authenticates upn through the console flow and returns the account.
func signIn(t testing.TB, srv *graphtest.Server, acct *o365.Account, upn string) {
	t.Helper()
	srv.SignIn(upn)
	ok, err := acct.Authenticate(context.Background())
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, upn, acct.Username())
}

// newConsoleAccount builds an account whose console is driven by a browser.
func newConsoleAccount(t testing.TB, srv *graphtest.Server, backend token.Backend, extra ...o365.Option) *o365.Account {
	b := newBrowser(t, srv)
	opts := append(baseOptions(srv, backend), b.option())
	return o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: clientSecret}, append(opts, extra...)...)
}
