package compat_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/cache"
	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"
	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
	o365 "github.com/go-o365/o365"
	"github.com/go-o365/o365/graphtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

const (
	msal    = "MSAL Go"
	ours    = "o365 (WithTokenSource over MSAL)"
	appID   = "11111111-2222-3333-4444-555555555555"
	cliID   = "99999999-8888-7777-6666-555555555555"
	secret  = "s3cret-value"
	graphDf = "https://graph.microsoft.com/.default"
)

// recorder is the http.Client MSAL gets: srv.Client, logging every URL
// MSAL asks for, so the tests see its discovery requests.
type recorder struct {
	c    *http.Client
	mu   sync.Mutex
	urls []string
}

func (r *recorder) Do(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.urls = append(r.urls, req.Method+" "+req.URL.String())
	r.mu.Unlock()
	return r.c.Do(req)
}

func (r *recorder) CloseIdleConnections() { r.c.CloseIdleConnections() }

func (r *recorder) saw(sub string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, u := range r.urls {
		if strings.Contains(u, sub) {
			return true
		}
	}
	return false
}

// memCache is MSAL's persistent token cache kept in memory: what a
// desktop app writes to a file, shared here by two public clients.
type memCache struct {
	mu   sync.Mutex
	data []byte
}

func (m *memCache) Replace(_ context.Context, c cache.Unmarshaler, _ cache.ReplaceHints) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.data == nil {
		return nil
	}
	return c.Unmarshal(m.data)
}

func (m *memCache) Export(_ context.Context, c cache.Marshaler, _ cache.ExportHints) error {
	b, err := c.Marshal()
	m.mu.Lock()
	m.data = b
	m.mu.Unlock()
	return err
}

// graphGET calls Graph with a bearer token and returns the status.
func graphGET(t *testing.T, srv *graphtest.Server, path, token string) int {
	t.Helper()
	req, err := http.NewRequest("GET", "https://graph.microsoft.com/v1.0"+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

func selfSigned(t *testing.T) (*x509.Certificate, *rsa.PrivateKey) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "daemon"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return cert, key
}

func TestMSALConfidential(t *testing.T) {
	te := newTenant(t)
	srv := te.srv
	ctx := context.Background()
	cert, key := selfSigned(t)
	srv.AddApp(graphtest.App{ClientID: appID, ClientSecret: secret, Certificate: cert})

	op(t, msal, "confidential client, secret, authority login.microsoftonline.com", func(t *testing.T) {
		rec := &recorder{c: srv.Client()}
		cred, err := confidential.NewCredFromSecret(secret)
		require.NoError(t, err)
		app, err := confidential.New("https://login.microsoftonline.com/"+srv.TenantID(), appID, cred,
			confidential.WithHTTPClient(rec))
		require.NoError(t, err)
		res, err := app.AcquireTokenByCredential(ctx, []string{graphDf})
		require.NoError(t, err)
		assert.True(t, rec.saw("/"+srv.TenantID()+"/v2.0/.well-known/openid-configuration"), "OpenID discovery")
		assert.Equal(t, http.StatusOK, graphGET(t, srv, "/users", res.AccessToken), "Graph accepts MSAL's app token")
		again, err := app.AcquireTokenByCredential(ctx, []string{graphDf})
		require.NoError(t, err)
		assert.Equal(t, res.AccessToken, again.AccessToken, "the second answer came from MSAL's cache")
		assert.Equal(t, 1, srv.TokenRequests("client_credentials"))
	})
	op(t, msal, "confidential client, certificate, graphtest's authority with instance discovery", func(t *testing.T) {
		rec := &recorder{c: srv.Client()}
		cred, err := confidential.NewCredFromCert([]*x509.Certificate{cert}, key)
		require.NoError(t, err)
		app, err := confidential.New(srv.LoginURL()+"/"+srv.TenantID(), appID, cred, confidential.WithHTTPClient(rec))
		require.NoError(t, err)
		res, err := app.AcquireTokenByCredential(ctx, []string{graphDf})
		require.NoError(t, err)
		assert.True(t, rec.saw("https://login.microsoftonline.com/common/discovery/instance?"), "instance discovery ran")
		assert.Equal(t, http.StatusOK, graphGET(t, srv, "/users", res.AccessToken))
	})
	op(t, msal, "wrong secret is refused with AADSTS7000215", func(t *testing.T) {
		cred, err := confidential.NewCredFromSecret("wrong")
		require.NoError(t, err)
		app, err := confidential.New("https://login.microsoftonline.com/"+srv.TenantID(), appID, cred,
			confidential.WithHTTPClient(srv.Client()))
		require.NoError(t, err)
		_, err = app.AcquireTokenByCredential(ctx, []string{graphDf})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "AADSTS7000215")
	})
}

func TestMSALPublic(t *testing.T) {
	te := newTenant(t)
	srv := te.srv
	ctx := context.Background()
	srv.AddApp(graphtest.App{ClientID: cliID, Public: true})
	scopes := []string{"User.Read", "Mail.ReadWrite"}
	shared := &memCache{}

	var deviceResult public.AuthResult
	op(t, msal, "public client, device code", func(t *testing.T) {
		app, err := public.New(cliID, public.WithAuthority("https://login.microsoftonline.com/organizations"),
			public.WithHTTPClient(srv.Client()), public.WithCache(shared))
		require.NoError(t, err)
		dc, err := app.AcquireTokenByDeviceCode(ctx, scopes)
		require.NoError(t, err)
		assert.NotEmpty(t, dc.Result.UserCode)
		assert.Contains(t, dc.Result.Message, dc.Result.UserCode)
		res, err := dc.AuthenticationResult(ctx)
		require.NoError(t, err)
		assert.Equal(t, "adele@contoso.com", res.Account.PreferredUsername)
		assert.Equal(t, te.adele.ID+"."+srv.TenantID(), res.Account.HomeAccountID, "from client_info")
		assert.Equal(t, http.StatusOK, graphGET(t, srv, "/me", res.AccessToken), "Graph accepts MSAL's user token")
		deviceResult = res
	})
	op(t, msal, "public client, username/password (user realm discovery)", func(t *testing.T) {
		rec := &recorder{c: srv.Client()}
		app, err := public.New(cliID, public.WithAuthority(srv.LoginURL()+"/"+srv.TenantID()),
			public.WithHTTPClient(rec))
		require.NoError(t, err)
		//lint:ignore SA1019 issue 11 asks for the username/password flow, deprecated or not.
		res, err := app.AcquireTokenByUsernamePassword(ctx, scopes, "adele@contoso.com", "pa55w0rd!")
		require.NoError(t, err)
		assert.True(t, rec.saw("/common/UserRealm/adele@contoso.com"), "user realm discovery")
		assert.Equal(t, http.StatusOK, graphGET(t, srv, "/me", res.AccessToken))
		//lint:ignore SA1019 as above.
		_, err = app.AcquireTokenByUsernamePassword(ctx, scopes, "adele@contoso.com", "nope")
		require.Error(t, err)
		assert.Contains(t, err.Error(), "invalid_grant")
	})
	op(t, msal, "silent refresh from MSAL's cache", func(t *testing.T) {
		require.NotEmpty(t, deviceResult.AccessToken)
		// A second process reads the cache the first one wrote.
		app, err := public.New(cliID, public.WithAuthority("https://login.microsoftonline.com/organizations"),
			public.WithHTTPClient(srv.Client()), public.WithCache(shared))
		require.NoError(t, err)
		accounts, err := app.Accounts(ctx)
		require.NoError(t, err)
		require.Len(t, accounts, 1)
		cached, err := app.AcquireTokenSilent(ctx, scopes, public.WithSilentAccount(accounts[0]))
		require.NoError(t, err)
		assert.Equal(t, deviceResult.AccessToken, cached.AccessToken, "still fresh: from the cache")
		assert.Equal(t, 0, srv.TokenRequests("refresh_token"))
		// A scope not yet in the cache comes from the refresh token; a
		// token with less than five minutes left is refreshed silently.
		srv.SetTokenLifetime(4 * time.Minute)
		defer srv.SetTokenLifetime(time.Hour)
		short, err := app.AcquireTokenSilent(ctx, []string{"Contacts.Read"}, public.WithSilentAccount(accounts[0]))
		require.NoError(t, err)
		assert.Equal(t, 1, srv.TokenRequests("refresh_token"))
		refreshed, err := app.AcquireTokenSilent(ctx, []string{"Contacts.Read"}, public.WithSilentAccount(accounts[0]))
		require.NoError(t, err)
		assert.NotEqual(t, short.AccessToken, refreshed.AccessToken)
		assert.Equal(t, 2, srv.TokenRequests("refresh_token"), "the short-lived token was refreshed")
		assert.Equal(t, http.StatusOK, graphGET(t, srv, "/me/contacts", refreshed.AccessToken))
	})

	op(t, ours, "Account over MSAL's cache: me, mail", func(t *testing.T) {
		require.NotEmpty(t, deviceResult.AccessToken)
		app, err := public.New(cliID, public.WithAuthority("https://login.microsoftonline.com/organizations"),
			public.WithHTTPClient(srv.Client()), public.WithCache(shared))
		require.NoError(t, err)
		accounts, err := app.Accounts(ctx)
		require.NoError(t, err)
		require.Len(t, accounts, 1)
		src := &msalSource{app: app, account: accounts[0], scopes: scopes}
		_, err = srv.AddMessage("adele@contoso.com", "inbox", graphtest.MailMessage{Subject: "from megan", From: "megan@contoso.com"})
		require.NoError(t, err)
		acct := o365.NewAccount(o365.Credentials{ClientID: cliID},
			o365.WithTokenSource(oauth2.ReuseTokenSource(nil, src)),
			o365.WithCloud(o365.Cloud{Login: "https://login.microsoftonline.com", Graph: "https://graph.microsoft.com"}),
			o365.WithHTTPClient(srv.Client()))
		me, err := acct.CurrentUser(ctx)
		require.NoError(t, err)
		assert.Equal(t, "adele@contoso.com", me.UserPrincipalName)
		var subjects []string
		for m, err := range acct.Mailbox().Inbox().Messages(ctx) {
			require.NoError(t, err)
			subjects = append(subjects, m.Subject)
		}
		assert.Equal(t, []string{"from megan"}, subjects)
		assert.GreaterOrEqual(t, src.calls, 1, "tokens came from MSAL")
	})
}

// msalSource is an oauth2.TokenSource over MSAL's silent acquisition:
// how an application that signs in with MSAL hands its tokens to o365.
type msalSource struct {
	app     public.Client
	account public.Account
	scopes  []string
	calls   int
}

func (s *msalSource) Token() (*oauth2.Token, error) {
	s.calls++
	res, err := s.app.AcquireTokenSilent(context.Background(), s.scopes, public.WithSilentAccount(s.account))
	if err != nil {
		return nil, err
	}
	return &oauth2.Token{AccessToken: res.AccessToken, TokenType: "Bearer", Expiry: res.ExpiresOn}, nil
}
