package o365

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/token"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// expired is an expiry in the past, which makes x/oauth2 refresh at once.
var expired = time.Unix(1, 0)

// AuthState is what the authorization-code flow must remember between
// AuthorizationURL and RequestToken: a web app keeps it in the user's
// session. It holds the PKCE verifier, so treat it as a secret; it
// marshals to JSON for storage.
type AuthState struct {
	State       string `json:"state"`
	Verifier    string `json:"code_verifier"`
	RedirectURI string `json:"redirect_uri"`
}

// String keeps the verifier out of logs.
func (s *AuthState) String() string {
	return fmt.Sprintf("AuthState{State: %q, RedirectURI: %q, Verifier: (redacted)}", s.State, s.RedirectURI)
}

// nativeClientPath is the identity platform's redirect page for apps
// without a web server of their own; the browser shows the code in its
// address bar.
const nativeClientPath = "/common/oauth2/nativeclient"

func (s *shared) redirectURI() string {
	if s.cfg.redirectURI != "" {
		return s.cfg.redirectURI
	}
	return s.cfg.cloud.Login + nativeClientPath
}

// oauthConfig describes the app and the tenant's endpoints to x/oauth2.
func (s *shared) oauthConfig(redirectURI string) *oauth2.Config {
	base := s.cfg.cloud.Login + "/" + url.PathEscape(s.cfg.tenant) + "/oauth2/v2.0/"
	secret := s.creds.ClientSecret
	if s.cfg.flow == PublicFlow {
		secret = ""
	}
	return &oauth2.Config{
		ClientID:     s.creds.ClientID,
		ClientSecret: secret,
		Endpoint: oauth2.Endpoint{
			AuthURL:       base + "authorize",
			TokenURL:      base + "token",
			DeviceAuthURL: base + "devicecode",
			AuthStyle:     oauth2.AuthStyleInParams,
		},
		RedirectURL: redirectURI,
		Scopes:      s.delegatedScopes(),
	}
}

// delegatedScopes adds offline_access (for a refresh token) and the
// OpenID scopes (for an ID token naming the user) to the requested ones.
func (s *shared) delegatedScopes() []string {
	return ScopesFor(append(append([]string{}, s.cfg.scopes...), "offline_access", "openid", "profile")...)
}

// oauthContext makes x/oauth2 use the connection's HTTP client (proxy,
// timeouts) for the identity platform.
func (s *shared) oauthContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, s.client)
}

// Authenticate runs the configured flow and stores the new token under
// the signed-in user's name, who becomes the current user. It returns
// that name. It is needed only when the backend holds no token for the
// user yet.
//
// AuthorizationFlow and PublicFlow print the consent URL and read the
// redirected URL pasted back (WithConsoleIO), or wait on a loopback
// listener (WithLocalRedirect). DeviceCodeFlow prints the code to enter.
// PasswordFlow uses WithPassword. CredentialsFlow acquires an app-only
// token, stored under the client id.
func (c *Connection) Authenticate(ctx context.Context) (string, error) {
	if c.cfg.err != nil {
		return "", c.cfg.err
	}
	if c.cfg.tokenSource != nil {
		return "", errors.New("o365: Authenticate: tokens come from WithTokenSource; there is no flow to run")
	}
	switch c.cfg.flow {
	case CredentialsFlow:
		t, err := c.appToken(ctx)
		if err != nil {
			return "", err
		}
		return c.keep(ctx, c.creds.ClientID, t)
	case DeviceCodeFlow:
		return c.deviceFlow(ctx)
	case PasswordFlow:
		return c.passwordFlow(ctx)
	}
	if c.cfg.localRedirect {
		return c.loopbackFlow(ctx)
	}
	return c.consoleFlow(ctx)
}

// AuthorizationURL starts the authorization-code flow of a web app: it
// returns the URL to send the user to and the state to keep until the
// browser comes back to redirectURI ("" means the configured one). PKCE
// is always used.
func (c *Connection) AuthorizationURL(ctx context.Context, redirectURI string) (string, *AuthState, error) {
	if c.cfg.err != nil {
		return "", nil, c.cfg.err
	}
	if redirectURI == "" {
		redirectURI = c.redirectURI()
	}
	st := &AuthState{State: randomString(24), Verifier: oauth2.GenerateVerifier(), RedirectURI: redirectURI}
	authURL := c.oauthConfig(redirectURI).AuthCodeURL(st.State, oauth2.S256ChallengeOption(st.Verifier))
	return authURL, st, nil
}

// RequestToken completes the authorization-code flow: it checks the
// state of the URL the browser was redirected to, exchanges its code, and
// stores the token under the signed-in user, who becomes current. It
// returns that user's name.
func (c *Connection) RequestToken(ctx context.Context, redirectedURL string, st *AuthState) (string, error) {
	if c.cfg.err != nil {
		return "", c.cfg.err
	}
	if st == nil {
		return "", errors.New("o365: RequestToken: nil AuthState; keep the one AuthorizationURL returned")
	}
	code, err := ParseRedirect(redirectedURL, st.State)
	if err != nil {
		return "", err
	}
	ot, err := c.oauthConfig(st.RedirectURI).Exchange(c.oauthContext(ctx), code, oauth2.VerifierOption(st.Verifier))
	if err != nil {
		return "", fmt.Errorf("o365: exchanging authorization code: %w", describeOAuthError(err))
	}
	return c.keepDelegated(ctx, ot)
}

// ParseRedirect reads the authorization code from the URL the browser
// was redirected to, after checking that its state is wantState. The code
// may be in the query or, with response_mode=fragment, in the fragment.
// An error answer (error=access_denied, …) is returned as an *AuthError.
func ParseRedirect(redirected, wantState string) (string, error) {
	raw := strings.TrimSpace(redirected)
	if raw == "" {
		return "", fmt.Errorf("%w: nothing was pasted", ErrNoAuthorizationCode)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("%w: the pasted text is not a URL", ErrNoAuthorizationCode)
	}
	values := u.Query()
	if values.Get("code") == "" && values.Get("error") == "" && u.Fragment != "" {
		if fv, err := url.ParseQuery(u.Fragment); err == nil {
			values = fv
		}
	}
	if e := values.Get("error"); e != "" {
		return "", &AuthError{Code: e, Description: values.Get("error_description")}
	}
	if values.Get("state") != wantState {
		return "", ErrStateMismatch
	}
	code := values.Get("code")
	if code == "" {
		return "", fmt.Errorf("%w: copy the whole address the browser was sent to, including ?code=…", ErrNoAuthorizationCode)
	}
	return code, nil
}

// consoleFlow prints the consent URL and reads the redirected URL back.
func (c *Connection) consoleFlow(ctx context.Context) (string, error) {
	authURL, st, err := c.AuthorizationURL(ctx, "")
	if err != nil {
		return "", err
	}
	fmt.Fprintf(c.cfg.out, "Visit the following URL to give consent, then paste the URL you were redirected to:\n%s\n", authURL)
	line, err := c.readLine(ctx)
	if err != nil {
		return "", err
	}
	return c.RequestToken(ctx, line, st)
}

// readLine reads one line of console input, giving up when ctx ends.
func (c *Connection) readLine(ctx context.Context) (string, error) {
	type result struct {
		line string
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		c.inMu.Lock()
		defer c.inMu.Unlock()
		line, err := c.in.ReadString('\n')
		if err != nil && line == "" {
			ch <- result{err: fmt.Errorf("o365: reading the pasted URL: %w", err)}
			return
		}
		ch <- result{line: line}
	}()
	select {
	case r := <-ch:
		return r.line, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// loopbackFlow receives the redirect on a local listener (RFC 8252 §7.3).
func (c *Connection) loopbackFlow(ctx context.Context) (string, error) {
	port, path := 0, "/"
	if u, err := url.Parse(c.cfg.redirectURI); err == nil && u.Scheme == "http" && isLoopback(u.Hostname()) {
		port, _ = strconv.Atoi(u.Port())
		if u.Path != "" {
			path = u.Path
		}
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return "", fmt.Errorf("o365: starting the loopback redirect listener: %w", err)
	}
	defer ln.Close()
	redirect := fmt.Sprintf("http://localhost:%d%s", ln.Addr().(*net.TCPAddr).Port, path)
	authURL, st, err := c.AuthorizationURL(ctx, redirect)
	if err != nil {
		return "", err
	}
	got := make(chan string, 1)
	srv := &http.Server{
		ReadHeaderTimeout: 10 * time.Second,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != path {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, "<!doctype html><title>Signed in</title><p>Authentication is complete. You can close this window.</p>")
			select {
			case got <- "http://localhost" + r.URL.RequestURI():
			default:
			}
		}),
	}
	go srv.Serve(ln) //nolint:errcheck // Serve returns when Close runs below.
	defer srv.Close()
	fmt.Fprintf(c.cfg.out, "Open the following URL in a browser to sign in:\n%s\n", authURL)
	select {
	case redirected := <-got:
		return c.RequestToken(ctx, redirected, st)
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (c *Connection) deviceFlow(ctx context.Context) (string, error) {
	cfg := c.oauthConfig("")
	octx := c.oauthContext(ctx)
	da, err := cfg.DeviceAuth(octx)
	if err != nil {
		return "", fmt.Errorf("o365: starting device code flow: %w", describeOAuthError(err))
	}
	fmt.Fprintf(c.cfg.out, "To sign in, open %s in a browser and enter the code %s\n", da.VerificationURI, da.UserCode)
	ot, err := cfg.DeviceAccessToken(octx, da)
	if err != nil {
		return "", fmt.Errorf("o365: device code flow: %w", describeOAuthError(err))
	}
	return c.keepDelegated(ctx, ot)
}

func (c *Connection) passwordFlow(ctx context.Context) (string, error) {
	if c.cfg.username == "" {
		return "", errors.New("o365: PasswordFlow needs WithPassword(username, password)")
	}
	ot, err := c.oauthConfig("").PasswordCredentialsToken(c.oauthContext(ctx), c.cfg.username, c.cfg.password)
	if err != nil {
		return "", fmt.Errorf("o365: password flow: %w", describeOAuthError(err))
	}
	return c.keepDelegated(ctx, ot)
}

// appToken acquires an app-only token with the client-credentials grant,
// always asking for {graph}/.default rather than any cached scope list
// (python-o365 issue 1195).
func (s *shared) appToken(ctx context.Context) (*token.Token, error) {
	cc := &clientcredentials.Config{
		ClientID:     s.creds.ClientID,
		ClientSecret: s.creds.ClientSecret,
		TokenURL:     s.oauthConfig("").Endpoint.TokenURL,
		Scopes:       []string{s.cfg.cloud.Graph + "/.default"},
		AuthStyle:    oauth2.AuthStyleInParams,
	}
	if s.creds.ClientSecret == "" {
		assertion, err := clientAssertion(s.creds, cc.TokenURL)
		if err != nil {
			return nil, err
		}
		cc.EndpointParams = url.Values{
			"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
			"client_assertion":      {assertion},
		}
	}
	ot, err := cc.Token(s.oauthContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("o365: client credentials flow: %w", describeOAuthError(err))
	}
	t := token.FromOAuth2(ot)
	t.AppOnly = true
	return t, nil
}

// clientAssertion signs the JWT that proves the app holds its
// certificate's key (Microsoft identity platform "certificate
// credentials": RS256, x5t header with the certificate's SHA-1
// thumbprint, aud = token endpoint, short lifetime).
func clientAssertion(creds Credentials, tokenURL string) (string, error) {
	if creds.Certificate == nil || creds.PrivateKey == nil {
		return "", errors.New("o365: client credentials flow needs a ClientSecret, or a Certificate with its PrivateKey")
	}
	if _, ok := creds.PrivateKey.Public().(*rsa.PublicKey); !ok {
		return "", errors.New("o365: the certificate's private key must be RSA: the identity platform accepts RS256 assertions")
	}
	thumb := sha1.Sum(creds.Certificate.Raw)
	thumb256 := sha256.Sum256(creds.Certificate.Raw)
	header, _ := json.Marshal(map[string]string{
		"alg": "RS256", "typ": "JWT",
		"x5t":      base64.RawURLEncoding.EncodeToString(thumb[:]),
		"x5t#S256": base64.RawURLEncoding.EncodeToString(thumb256[:]),
	})
	now := time.Now()
	claims, _ := json.Marshal(map[string]any{
		"aud": tokenURL, "iss": creds.ClientID, "sub": creds.ClientID,
		"jti": randomString(16), "iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(),
	})
	signing := base64.RawURLEncoding.EncodeToString(header) + "." + base64.RawURLEncoding.EncodeToString(claims)
	digest := sha256.Sum256([]byte(signing))
	sig, err := creds.PrivateKey.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil {
		return "", fmt.Errorf("o365: signing client assertion: %w", err)
	}
	return signing + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// keepDelegated names the user of a delegated token and keeps the token.
func (c *Connection) keepDelegated(ctx context.Context, ot *oauth2.Token) (string, error) {
	t := token.FromOAuth2(ot)
	user := usernameFromIDToken(t.IDToken)
	if user == "" {
		var err error
		if user, err = c.lookupUsername(ctx, t.AccessToken); err != nil {
			return "", err
		}
	}
	return c.keep(ctx, user, t)
}

// keep saves t as user's token and makes user current.
func (c *Connection) keep(ctx context.Context, user string, t *token.Token) (string, error) {
	if err := c.cfg.backend.Put(ctx, user, t); err != nil {
		return "", fmt.Errorf("o365: saving token of %q: %w", user, err)
	}
	c.source(user).store(t)
	if c.pinned == "" {
		c.setCurrent(user)
	}
	return user, nil
}

// usernameFromIDToken reads preferred_username from an ID token. The
// signature is not checked: the token came straight from the token
// endpoint, which OpenID Connect Core §3.1.3.7 allows to be trusted
// through the transport instead.
func usernameFromIDToken(idToken string) string {
	parts := strings.Split(idToken, ".")
	if len(parts) != 3 {
		return ""
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return ""
	}
	var claims struct {
		PreferredUsername string `json:"preferred_username"`
		UPN               string `json:"upn"`
		Email             string `json:"email"`
	}
	if json.Unmarshal(payload, &claims) != nil {
		return ""
	}
	return firstNonEmpty(claims.PreferredUsername, claims.UPN, claims.Email)
}

// lookupUsername asks Graph who the token belongs to (GET /me), for
// tokens without an ID token.
func (c *Connection) lookupUsername(ctx context.Context, accessToken string) (string, error) {
	req, err := api.NewRequest(ctx, http.MethodGet, c.cfg.cloud.Graph+"/"+DefaultAPIVersion+"/me", api.Params{"$select": "userPrincipalName,mail"}, nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	resp, err := c.client.Do(req)
	if err != nil {
		return "", fmt.Errorf("o365: asking Graph for the signed-in user: %w", unwrapURLError(err))
	}
	if resp.StatusCode != http.StatusOK {
		return "", api.ErrorFromResponse(resp)
	}
	var me struct {
		UserPrincipalName string `json:"userPrincipalName"`
		Mail              string `json:"mail"`
	}
	if err := api.DecodeResponse(resp, &me); err != nil {
		return "", err
	}
	if user := firstNonEmpty(me.UserPrincipalName, me.Mail); user != "" {
		return user, nil
	}
	return "", errors.New("o365: Graph's /me answer names no user")
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
