package o365_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/token"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConsoleFlowAuthenticatesAndStoresToken(t *testing.T) {
	srv := emulator(t)
	backend := token.NewMemoryBackend()
	acct := newConsoleAccount(t, srv, backend)
	require.False(t, acct.IsAuthenticated())

	signIn(t, srv, acct, adele)

	assert.True(t, acct.IsAuthenticated())
	stored, err := backend.Get(context.Background(), adele)
	require.NoError(t, err)
	assert.NotEmpty(t, stored.RefreshToken, "offline_access must be requested so a refresh token is issued")
	assert.NotEmpty(t, stored.IDToken)
	assert.Subset(t, stored.Scopes, []string{"User.Read", "Mail.ReadWrite", "Mail.Send"})

	me, err := acct.CurrentUser(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "Adele Vance", me.DisplayName)
	assert.Equal(t, adele, me.UserPrincipalName)
	assert.Equal(t, 1, srv.TokenRequests("authorization_code"))
}

func TestAuthorizationURLAsksForPKCEAndOfflineAccess(t *testing.T) {
	srv := emulator(t)
	acct := o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: clientSecret},
		baseOptions(srv, token.NewMemoryBackend())...)
	raw, st, err := acct.AuthorizationURL(context.Background(), "http://localhost/callback")
	require.NoError(t, err)
	u, err := url.Parse(raw)
	require.NoError(t, err)
	q := u.Query()
	assert.Equal(t, srv.LoginURL()+"/common/oauth2/v2.0/authorize", u.Scheme+"://"+u.Host+u.Path)
	assert.Equal(t, "S256", q.Get("code_challenge_method"))
	assert.NotEmpty(t, q.Get("code_challenge"))
	assert.NotContains(t, raw, st.Verifier, "the verifier must never leave the client")
	assert.Equal(t, st.State, q.Get("state"))
	assert.Equal(t, "http://localhost/callback", q.Get("redirect_uri"))
	scopes := strings.Fields(q.Get("scope"))
	assert.Subset(t, scopes, []string{"User.Read", "Mail.ReadWrite", "Mail.Send", "offline_access", "openid", "profile"})
}

func TestWebFlowInTwoHalves(t *testing.T) {
	srv := emulator(t)
	srv.SignIn(alex)
	acct := o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: clientSecret},
		baseOptions(srv, token.NewMemoryBackend())...)
	authURL, st, err := acct.AuthorizationURL(context.Background(), "http://localhost/callback")
	require.NoError(t, err)
	redirected, err := srv.Consent(authURL)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(redirected, "http://localhost/callback?"), redirected)

	require.NoError(t, acct.RequestToken(context.Background(), redirected, st))
	assert.Equal(t, alex, acct.Username())

	// The code is single-use: replaying the same redirect fails cleanly.
	err = acct.RequestToken(context.Background(), redirected, st)
	var ae *o365.AuthError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "invalid_grant", ae.Code)
}

func TestRedirectedURLProblemsAreClearErrors(t *testing.T) {
	srv := emulator(t)
	acct := o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: clientSecret},
		baseOptions(srv, token.NewMemoryBackend())...)
	_, st, err := acct.AuthorizationURL(context.Background(), "")
	require.NoError(t, err)

	cases := []struct {
		name, pasted string
		want         error
		text         string
	}{
		{"empty", "  \n", o365.ErrNoAuthorizationCode, "nothing was pasted"},
		{"no code", "https://login.microsoftonline.com/common/oauth2/nativeclient?state=" + st.State, o365.ErrNoAuthorizationCode, "?code="},
		{"new outlook realm page", "https://outlook.office.com/owa/?realm=contoso.com", o365.ErrStateMismatch, "state"},
		{"state mismatch", "https://x/cb?code=abc&state=forged", o365.ErrStateMismatch, "does not match"},
		{"not a url", "%zz://", o365.ErrNoAuthorizationCode, "not a URL"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := acct.RequestToken(context.Background(), tc.pasted, st)
			require.ErrorIs(t, err, tc.want)
			assert.Contains(t, err.Error(), tc.text)
		})
	}

	err = acct.RequestToken(context.Background(), "https://x/cb?error=access_denied&error_description=The+user+declined&state="+st.State, st)
	var ae *o365.AuthError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "access_denied", ae.Code)
	assert.Contains(t, err.Error(), "The user declined")
	assert.Equal(t, 0, srv.TokenRequests("authorization_code"), "no exchange may happen for a bad redirect")
}

func TestParseRedirectReadsFragment(t *testing.T) {
	code, err := o365.ParseRedirect("http://localhost/cb#code=xyz&state=s1", "s1")
	require.NoError(t, err)
	assert.Equal(t, "xyz", code)
}

func TestPublicClientFlowUsesPKCEWithoutSecret(t *testing.T) {
	srv := emulator(t)
	srv.AddApp(graphtest.App{ClientID: "public-app", Public: true, RedirectURIs: []string{srv.LoginURL() + "/common/oauth2/nativeclient"}})
	opts := append(baseOptions(srv, token.NewMemoryBackend()), consoleOption(t, srv), o365.WithAuthFlow(o365.PublicFlow))
	acct := o365.NewAccount(o365.Credentials{ClientID: "public-app"}, opts...)
	signIn(t, srv, acct, alex)
	me, err := acct.CurrentUser(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "Alex Wilber", me.DisplayName)
}

func TestLoopbackRedirectFlow(t *testing.T) {
	srv := emulator(t)
	srv.SignIn(adele)
	outR, out := io.Pipe()
	t.Cleanup(func() { out.Close() })
	acct := o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: clientSecret},
		append(baseOptions(srv, token.NewMemoryBackend()), o365.WithLocalRedirect(), o365.WithConsoleIO(strings.NewReader(""), out))...)

	// The "browser" follows every redirect, ending at the loopback listener.
	go func() {
		sc := bufio.NewScanner(outR)
		for sc.Scan() {
			if line := strings.TrimSpace(sc.Text()); strings.HasPrefix(line, "http") {
				resp, err := http.Get(line)
				if err == nil {
					resp.Body.Close()
				}
			}
		}
	}()
	ok, err := acct.Authenticate(context.Background())
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, adele, acct.Username())
}

func TestClientCredentialsFlowIsAppOnlyAndReacquires(t *testing.T) {
	srv := emulator(t)
	backend := token.NewMemoryBackend()
	acct := o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: clientSecret},
		append(baseOptions(srv, backend), o365.WithAuthFlow(o365.CredentialsFlow), o365.WithTenant("contoso"),
			o365.WithMainResource(adele))...)

	// No Authenticate call: app-only tokens need nobody to sign in.
	me, err := acct.CurrentUser(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "Adele Vance", me.DisplayName)
	assert.Equal(t, clientID, acct.Username())
	stored, err := backend.Get(context.Background(), clientID)
	require.NoError(t, err)
	assert.True(t, stored.AppOnly)
	assert.Empty(t, stored.RefreshToken)

	srv.ExpireAccessTokens()
	_, err = acct.CurrentUser(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 2, srv.TokenRequests("client_credentials"), "an expired app-only token is re-acquired")
}

func TestClientCredentialsWithCertificate(t *testing.T) {
	srv := emulator(t)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "o365 test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	srv.AddApp(graphtest.App{ClientID: "cert-app", Certificate: cert})

	acct := o365.NewAccount(o365.Credentials{ClientID: "cert-app", Certificate: cert, PrivateKey: key},
		append(baseOptions(srv, token.NewMemoryBackend()), o365.WithAuthFlow(o365.CredentialsFlow), o365.WithTenant("contoso"))...)
	user, err := acct.Connection().Authenticate(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "cert-app", user)
	assert.Equal(t, 1, srv.TokenRequests("client_credentials"))

	// A different key is refused by the identity platform.
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	bad := o365.NewAccount(o365.Credentials{ClientID: "cert-app", Certificate: cert, PrivateKey: other},
		append(baseOptions(srv, token.NewMemoryBackend()), o365.WithAuthFlow(o365.CredentialsFlow), o365.WithTenant("contoso"))...)
	_, err = bad.Connection().Authenticate(context.Background())
	var ae *o365.AuthError
	require.ErrorAs(t, err, &ae)
}

func TestDeviceCodeFlow(t *testing.T) {
	srv := emulator(t)
	srv.SignIn(alex)
	var out strings.Builder
	acct := o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: clientSecret},
		append(baseOptions(srv, token.NewMemoryBackend()), o365.WithAuthFlow(o365.DeviceCodeFlow),
			o365.WithConsoleIO(strings.NewReader(""), &out))...)
	ok, err := acct.Authenticate(context.Background())
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, alex, acct.Username())
	assert.Contains(t, out.String(), "enter the code")
	assert.Equal(t, 1, srv.TokenRequests("urn:ietf:params:oauth:grant-type:device_code"))
}

func TestPasswordFlow(t *testing.T) {
	srv := emulator(t)
	acct := o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: clientSecret},
		append(baseOptions(srv, token.NewMemoryBackend()), o365.WithAuthFlow(o365.PasswordFlow), o365.WithPassword(adele, adelePass))...)
	ok, err := acct.Authenticate(context.Background())
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, adele, acct.Username())

	wrong := o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: clientSecret},
		append(baseOptions(srv, token.NewMemoryBackend()), o365.WithAuthFlow(o365.PasswordFlow), o365.WithPassword(adele, "nope"))...)
	_, err = wrong.Authenticate(context.Background())
	var ae *o365.AuthError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "invalid_grant", ae.Code)
	assert.NotContains(t, err.Error(), "nope")
}

// A token response without an ID token: the username comes from GET /me.
func TestUsernameFallsBackToMe(t *testing.T) {
	var graph *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("POST /common/oauth2/v2.0/token", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"token_type":"Bearer","access_token":"at-1","refresh_token":"rt-1","expires_in":3600}`)
	})
	mux.HandleFunc("GET /v1.0/me", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer at-1" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"1","userPrincipalName":"meuser@contoso.com"}`)
	})
	graph = httptest.NewServer(mux)
	defer graph.Close()

	acct := o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: clientSecret},
		o365.WithCloud(o365.Cloud{Login: graph.URL, Graph: graph.URL}), o365.WithTokenBackend(token.NewMemoryBackend()))
	_, st, err := acct.AuthorizationURL(context.Background(), "http://localhost/cb")
	require.NoError(t, err)
	require.NoError(t, acct.RequestToken(context.Background(), "http://localhost/cb?code=c1&state="+st.State, st))
	assert.Equal(t, "meuser@contoso.com", acct.Username())
}

func TestAuthenticateWithTokenSourceIsAnError(t *testing.T) {
	acct := o365.NewAccount(o365.Credentials{ClientID: clientID}, o365.WithTokenSource(staticSource("x")), o365.WithTokenBackend(token.NewMemoryBackend()))
	_, err := acct.Authenticate(context.Background())
	require.Error(t, err)
	assert.True(t, acct.IsAuthenticated())
	assert.False(t, errors.Is(err, o365.ErrNotAuthenticated))
}
