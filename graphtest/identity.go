package graphtest

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-o365/o365/graphtest/internal/jwt"
)

// The grant_type values of the token endpoint.
const (
	GrantAuthorizationCode = "authorization_code"
	GrantRefreshToken      = "refresh_token"
	GrantClientCredentials = "client_credentials"
	GrantPassword          = "password"
	GrantDeviceCode        = "urn:ietf:params:oauth:grant-type:device_code"
)

const (
	graphDefaultScope   = "https://graph.microsoft.com/.default"
	assertionType       = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	authCodeLifetime    = 10 * time.Minute
	deviceCodeLifetime  = 15 * time.Minute
	idTokenLifetime     = time.Hour
	assertionClockSkew  = 5 * time.Minute
	devicePollInterval  = 1 // seconds: the shortest a client will honour
	identityContentType = "application/json; charset=utf-8"
)

// principal is who a token speaks for: a user signed in to an app
// (delegated), or the app itself (app-only, upn empty).
type principal struct {
	userID, upn string
	clientID    string
}

func (p principal) appOnly() bool { return p.upn == "" }

// name is what the request log records as the caller.
func (p principal) name() string {
	if p.appOnly() {
		return p.clientID
	}
	return p.upn
}

func (p principal) matches(name string) bool { return strings.EqualFold(p.name(), name) }

type accessToken struct {
	who     principal
	scopes  []string
	expires time.Time
	revoked bool
}

type refreshToken struct {
	who     principal
	scopes  []string
	used    bool // rotated: a newer refresh token replaced it
	revoked bool
}

type authCode struct {
	who         principal
	redirectURI string
	challenge   string
	method      string
	scopes      []string
	nonce       string
	expires     time.Time
	redeemed    bool
}

type deviceAuth struct {
	userCode string
	clientID string
	scopes   []string
	expires  time.Time
	approver *User // nil while pending
}

// oauthError is an error answer of the identity platform. Its description
// starts with the AADSTS code Entra ID would give.
type oauthError struct {
	status int
	code   string
	desc   string
}

func invalidGrant(desc string) *oauthError {
	return &oauthError{http.StatusBadRequest, "invalid_grant", desc}
}

func invalidRequest(desc string) *oauthError {
	return &oauthError{http.StatusBadRequest, "invalid_request", desc}
}

func invalidClient(desc string) *oauthError {
	return &oauthError{http.StatusUnauthorized, "invalid_client", desc}
}

func missingParam(name string) *oauthError {
	return invalidRequest("AADSTS900144: The request body must contain the following parameter: '" + name + "'.")
}

var aadstsCode = regexp.MustCompile(`^AADSTS(\d+):`)

func (s *Server) writeOAuthError(w http.ResponseWriter, e *oauthError) {
	codes := []int{}
	if m := aadstsCode.FindStringSubmatch(e.desc); m != nil {
		n, _ := strconv.Atoi(m[1])
		codes = append(codes, n)
	}
	trace, corr := newGUID(), newGUID()
	now := time.Now().UTC()
	body := map[string]any{
		"error": e.code,
		"error_description": e.desc + "\r\nTrace ID: " + trace + "\r\nCorrelation ID: " + corr +
			"\r\nTimestamp: " + now.Format("2006-01-02 15:04:05Z"),
		"error_codes":    codes,
		"timestamp":      now.Format("2006-01-02 15:04:05Z"),
		"trace_id":       trace,
		"correlation_id": corr,
	}
	if len(codes) > 0 {
		body["error_uri"] = s.LoginURL() + "/error?code=" + strconv.Itoa(codes[0])
	}
	writeIdentityJSON(w, e.status, body)
}

func writeIdentityJSON(w http.ResponseWriter, status int, v any) {
	// Token answers must not be cached (RFC 6749 section 5.1).
	w.Header().Set("Cache-Control", "no-store, no-cache")
	w.Header().Set("Pragma", "no-cache")
	w.Header().Set("x-ms-request-id", newGUID())
	writeJSON(w, status, identityContentType, v)
}

func (s *Server) identityMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{tenant}/oauth2/v2.0/authorize", s.authorize)
	mux.HandleFunc("POST /{tenant}/oauth2/v2.0/authorize", s.authorizeSubmit)
	mux.HandleFunc("POST /{tenant}/oauth2/v2.0/token", s.token)
	mux.HandleFunc("POST /{tenant}/oauth2/v2.0/devicecode", s.deviceCode)
	mux.HandleFunc("GET /{tenant}/oauth2/deviceauth", s.deviceLoginPage)
	mux.HandleFunc("GET /{tenant}/oauth2/nativeclient", nativeClientPage)
	mux.HandleFunc("GET /{tenant}/v2.0/.well-known/openid-configuration", s.openIDConfiguration)
	mux.HandleFunc("GET /{tenant}/discovery/v2.0/keys", s.keys)
	s.discoveryRoutes(mux) // identity_discovery.go
	return mux
}

func (s *Server) tenantBase(r *http.Request) string {
	return s.loginBase(r) + "/" + url.PathEscape(r.PathValue("tenant"))
}

func (s *Server) issuer() string { return s.LoginURL() + "/" + s.tenantID + "/v2.0" }

func (s *Server) openIDConfiguration(w http.ResponseWriter, r *http.Request) {
	base := s.tenantBase(r)
	issuer := s.loginBase(r) + "/" + s.tenantID + "/v2.0"
	switch strings.ToLower(r.PathValue("tenant")) {
	case "common", "organizations", "consumers":
		// Entra ID answers the multi-tenant authorities with a placeholder
		// issuer; clients substitute the tid claim of each token.
		issuer = s.loginBase(r) + "/{tenantid}/v2.0"
	}
	writeIdentityJSON(w, http.StatusOK, map[string]any{
		"issuer":                                issuer,
		"authorization_endpoint":                base + "/oauth2/v2.0/authorize",
		"token_endpoint":                        base + "/oauth2/v2.0/token",
		"device_authorization_endpoint":         base + "/oauth2/v2.0/devicecode",
		"jwks_uri":                              base + "/discovery/v2.0/keys",
		"response_types_supported":              []string{"code"},
		"response_modes_supported":              []string{"query"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		"claims_supported":                      []string{"sub", "iss", "aud", "exp", "iat", "nbf", "name", "oid", "tid", "preferred_username", "nonce", "ver"},
		"code_challenge_methods_supported":      []string{"S256", "plain"},
	})
}

func (s *Server) keys(w http.ResponseWriter, r *http.Request) {
	writeIdentityJSON(w, http.StatusOK, s.key.JWKS())
}

// authRequest is a validated request to the authorization endpoint.
type authRequest struct {
	app         *App
	redirectURI string
	state       string
	challenge   string
	method      string
	scopes      []string
	nonce       string
}

// fail sends the browser back to the app with an error answer.
func (a *authRequest) fail(w http.ResponseWriter, r *http.Request, code, desc string) {
	v := url.Values{"error": {code}, "error_description": {desc}}
	if a.state != "" {
		v.Set("state", a.state)
	}
	http.Redirect(w, r, withQuery(a.redirectURI, v), http.StatusFound)
}

// authorize answers the authorization endpoint. By default it signs in
// and consents at once, as the login_hint user when known, else the
// signed-in user. With WithSignInPage, or when the app asks for
// prompt=login, select_account or consent, it answers the sign-in page
// instead, which posts the user's choice back (authorizeSubmit).
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	req, ok := s.authRequestLocked(w, r, q)
	if !ok {
		return
	}
	if s.signInPage || interactivePrompt(q.Get("prompt")) {
		s.signInPageLocked(w, r, req, q.Get("login_hint"), "")
		return
	}
	user := s.userLocked(q.Get("login_hint"))
	if user == nil {
		user = s.userLocked(s.signedIn)
	}
	if user == nil {
		req.fail(w, r, "login_required", "AADSTS50058: A silent sign-in request was sent but no user is signed in.")
		return
	}
	s.issueCodeLocked(w, r, req, user)
}

// authRequestLocked validates the query of an authorization request. When
// it is not valid, it has answered: with an error page when the app or its
// redirect URI is unknown (the browser cannot be trusted back to it), else
// with an error redirect to the app.
func (s *Server) authRequestLocked(w http.ResponseWriter, r *http.Request, q url.Values) (*authRequest, bool) {
	app := s.apps[q.Get("client_id")]
	if app == nil {
		errorPage(w, fmt.Sprintf("AADSTS700016: Application with identifier '%s' was not found in the directory '%s'.", q.Get("client_id"), s.tenantID))
		return nil, false
	}
	redirectURI := q.Get("redirect_uri")
	if redirectURI == "" && len(app.RedirectURIs) == 1 {
		redirectURI = app.RedirectURIs[0]
	}
	if !redirectAllowed(app, redirectURI) {
		errorPage(w, fmt.Sprintf("AADSTS50011: The redirect URI '%s' specified in the request does not match the redirect URIs configured for the application '%s'.", redirectURI, app.ClientID))
		return nil, false
	}
	req := &authRequest{app: app, redirectURI: redirectURI, state: q.Get("state"), nonce: q.Get("nonce")}
	if rt := q.Get("response_type"); rt != "code" {
		req.fail(w, r, "unsupported_response_type", "AADSTS700054: response_type '"+rt+"' is not enabled for the application.")
		return nil, false
	}
	req.scopes = strings.Fields(q.Get("scope"))
	if len(req.scopes) == 0 {
		req.fail(w, r, "invalid_request", "AADSTS900144: The request body must contain the following parameter: 'scope'.")
		return nil, false
	}
	req.challenge, req.method = q.Get("code_challenge"), q.Get("code_challenge_method")
	if req.challenge != "" && req.method == "" {
		req.method = "plain" // RFC 7636 section 4.3
	}
	if req.method != "" && req.method != "S256" && req.method != "plain" {
		req.fail(w, r, "invalid_request", "AADSTS501491: Invalid size of Code_Challenge parameter or unsupported code_challenge_method '"+req.method+"'.")
		return nil, false
	}
	return req, true
}

// issueCodeLocked sends the browser back to the app with a new
// authorization code for user.
func (s *Server) issueCodeLocked(w http.ResponseWriter, r *http.Request, req *authRequest, user *User) {
	code := randomToken()
	s.codes[code] = &authCode{
		who:         principal{userID: user.ID, upn: user.UserPrincipalName, clientID: req.app.ClientID},
		redirectURI: req.redirectURI,
		challenge:   req.challenge,
		method:      req.method,
		scopes:      req.scopes,
		nonce:       req.nonce,
		expires:     s.now().Add(authCodeLifetime),
	}
	v := url.Values{"code": {code}, "session_state": {newGUID()}}
	if req.state != "" {
		v.Set("state", req.state)
	}
	http.Redirect(w, r, withQuery(req.redirectURI, v), http.StatusFound)
}

// redirectAllowed reports whether uri is registered for app. Like Entra ID,
// it ignores the port of http loopback URIs, so native apps can listen on
// any free port.
func redirectAllowed(app *App, uri string) bool {
	if uri == "" {
		return false
	}
	if slices.Contains(app.RedirectURIs, uri) {
		return true
	}
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "http" || !isLoopback(u.Hostname()) {
		return false
	}
	for _, reg := range app.RedirectURIs {
		ru, err := url.Parse(reg)
		if err == nil && ru.Scheme == "http" && ru.Hostname() == u.Hostname() && ru.Path == u.Path {
			return true
		}
	}
	return false
}

func isLoopback(host string) bool { return host == "localhost" || host == "127.0.0.1" || host == "::1" }

// withQuery adds v to the query of base.
func withQuery(base string, v url.Values) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	q := u.Query()
	for k, vs := range v {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// nativeClientPage is the landing page of the native-client redirect URI
// (…/common/oauth2/nativeclient): blank, as in Entra ID, since the code is
// read from the address bar.
func nativeClientPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintln(w, "<!DOCTYPE html><html><head><title>Sign in</title></head><body></body></html>")
}

func errorPage(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	fmt.Fprintf(w, "<!DOCTYPE html><html><head><title>Sign in to your account</title></head><body><p>%s</p></body></html>\n",
		htmlEscaper.Replace(msg))
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;")

// token answers the token endpoint.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	resp, oerr := s.grant(r)
	if oerr != nil {
		s.writeOAuthError(w, oerr)
		return
	}
	if r.PostForm.Get("client_info") != "1" {
		delete(resp, "client_info")
	}
	writeIdentityJSON(w, http.StatusOK, resp)
}

func (s *Server) grant(r *http.Request) (map[string]any, *oauthError) {
	if err := r.ParseForm(); err != nil {
		return nil, invalidRequest("AADSTS900144: The request body must be form-encoded: " + err.Error())
	}
	f := r.PostForm
	grantType := f.Get("grant_type")
	if grantType == "" {
		return nil, missingParam("grant_type")
	}
	tokenURL := s.loginBase(r) + r.URL.Path
	s.mu.Lock()
	defer s.mu.Unlock()
	app, oerr := s.clientLocked(r, f, tokenURL)
	if oerr != nil {
		return nil, oerr
	}
	var resp map[string]any
	switch grantType {
	case GrantAuthorizationCode:
		resp, oerr = s.redeemCodeLocked(app, f)
	case GrantRefreshToken:
		resp, oerr = s.redeemRefreshLocked(app, f)
	case GrantClientCredentials:
		resp, oerr = s.clientCredentialsLocked(app, f)
	case GrantPassword:
		resp, oerr = s.passwordLocked(app, f)
	case GrantDeviceCode, "device_code":
		// MSAL libraries send the short form, which Entra ID accepts.
		grantType = GrantDeviceCode
		resp, oerr = s.redeemDeviceLocked(app, f)
	default:
		return nil, &oauthError{http.StatusBadRequest, "unsupported_grant_type",
			"AADSTS70003: The app requested an unsupported grant type '" + grantType + "'."}
	}
	if oerr != nil {
		return nil, oerr
	}
	s.grants[grantType]++
	return resp, nil
}

// clientLocked identifies and authenticates the client of a token request:
// the id from the form or HTTP Basic, and for confidential apps a secret
// (form or Basic) or a client assertion.
func (s *Server) clientLocked(r *http.Request, f url.Values, tokenURL string) (*App, *oauthError) {
	id, secret, basic := r.BasicAuth()
	if basic {
		// RFC 6749 section 2.3.1: Basic credentials are form-encoded first.
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	}
	if v := f.Get("client_id"); v != "" {
		if basic && v != id {
			return nil, invalidRequest("AADSTS90101: The client_id in the form does not match the client_id of the Authorization header.")
		}
		id = v
	}
	if secret == "" {
		secret = f.Get("client_secret")
	}
	if id == "" {
		return nil, missingParam("client_id")
	}
	app := s.apps[id]
	if app == nil {
		return nil, &oauthError{http.StatusBadRequest, "unauthorized_client",
			fmt.Sprintf("AADSTS700016: Application with identifier '%s' was not found in the directory '%s'.", id, s.tenantID)}
	}
	assertion := f.Get("client_assertion")
	switch {
	case app.Public && (secret != "" || assertion != ""):
		return nil, invalidClient("AADSTS700025: Client is public so neither 'client_assertion' nor 'client_secret' should be presented.")
	case app.Public:
		return app, nil
	case assertion != "":
		return app, s.checkAssertion(app, f, tokenURL)
	case secret == "":
		return nil, invalidClient("AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
	case app.ClientSecret == "" || subtle.ConstantTimeCompare([]byte(secret), []byte(app.ClientSecret)) != 1:
		return nil, invalidClient("AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '" + app.ClientID + "'.")
	}
	return app, nil
}

// checkAssertion verifies a client assertion: an RS256 JWT signed by the
// app's certificate key, for this token endpoint, issued by the app, unexpired.
func (s *Server) checkAssertion(app *App, f url.Values, tokenURL string) *oauthError {
	if t := f.Get("client_assertion_type"); t != assertionType {
		return invalidRequest("AADSTS700023: Client assertion type '" + t + "' is not supported; use '" + assertionType + "'.")
	}
	if app.Certificate == nil {
		return invalidClient("AADSTS700027: Client assertion failed signature validation: no certificate is registered for the app '" + app.ClientID + "'.")
	}
	pub, ok := jwt.PublicKey(app.Certificate)
	if !ok {
		return invalidClient("AADSTS700027: Client assertion failed signature validation: the app's certificate has no RSA key.")
	}
	claims, err := jwt.Verify(f.Get("client_assertion"), pub)
	if err != nil {
		return invalidClient("AADSTS700027: Client assertion failed signature validation: " + err.Error() + ".")
	}
	now := s.now()
	exp, _ := claims["exp"].(float64)
	nbf, hasNBF := claims["nbf"].(float64)
	switch {
	case claims["aud"] != tokenURL:
		return invalidClient(fmt.Sprintf("AADSTS700021: Client assertion audience claim does not match Realm issuer. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials . Provided value: '%v', expected '%s'.", claims["aud"], tokenURL))
	case claims["iss"] != app.ClientID || claims["sub"] != app.ClientID:
		return invalidClient("AADSTS700023: Client assertion issuer and subject must both be the client id '" + app.ClientID + "'.")
	case exp == 0 || now.After(time.Unix(int64(exp), 0).Add(assertionClockSkew)):
		return invalidClient("AADSTS700024: Client assertion is not within its valid time range.")
	case hasNBF && now.Add(assertionClockSkew).Before(time.Unix(int64(nbf), 0)):
		return invalidClient("AADSTS700024: Client assertion is not within its valid time range.")
	}
	return nil
}

func (s *Server) redeemCodeLocked(app *App, f url.Values) (map[string]any, *oauthError) {
	code := f.Get("code")
	if code == "" {
		return nil, missingParam("code")
	}
	c := s.codes[code]
	switch {
	case c == nil || c.who.clientID != app.ClientID:
		return nil, invalidGrant("AADSTS70000: The provided value for the 'code' parameter is not valid.")
	case c.redeemed:
		return nil, invalidGrant("AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.")
	case s.now().After(c.expires):
		return nil, invalidGrant("AADSTS70008: The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.")
	case f.Get("redirect_uri") != c.redirectURI:
		return nil, invalidGrant("AADSTS500112: The reply address '" + f.Get("redirect_uri") + "' does not match the reply address '" + c.redirectURI + "' provided when requesting Authorization code.")
	}
	if c.challenge != "" {
		verifier := f.Get("code_verifier")
		if verifier == "" {
			return nil, missingParam("code_verifier")
		}
		if !pkceMatches(c.method, c.challenge, verifier) {
			return nil, invalidGrant("AADSTS50148: The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.")
		}
	}
	c.redeemed = true
	u := s.userLocked(c.who.userID)
	if u == nil {
		return nil, invalidGrant("AADSTS50034: The user account does not exist in the directory.")
	}
	return s.tokenResponseLocked(c.who, u, c.scopes, slices.Contains(c.scopes, "offline_access"), c.nonce), nil
}

func pkceMatches(method, challenge, verifier string) bool {
	if method == "S256" {
		sum := sha256.Sum256([]byte(verifier))
		verifier = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return subtle.ConstantTimeCompare([]byte(verifier), []byte(challenge)) == 1
}

// redeemRefreshLocked rotates a refresh token: the answer carries a new
// one, and the presented one can never be redeemed again.
func (s *Server) redeemRefreshLocked(app *App, f url.Values) (map[string]any, *oauthError) {
	raw := f.Get("refresh_token")
	if raw == "" {
		return nil, missingParam("refresh_token")
	}
	rt := s.refresh[raw]
	switch {
	case rt == nil || rt.who.clientID != app.ClientID:
		return nil, invalidGrant("AADSTS9002313: Invalid request. Request is malformed or invalid: the refresh token is not valid.")
	case rt.revoked:
		return nil, invalidGrant("AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.")
	case rt.used:
		return nil, invalidGrant("AADSTS70000: The provided refresh token was already redeemed. Refresh tokens rotate: use the one from the latest token answer.")
	}
	u := s.userLocked(rt.who.userID)
	if u == nil {
		return nil, invalidGrant("AADSTS50034: The user account does not exist in the directory.")
	}
	rt.used = true
	scopes := rt.scopes
	if v := strings.Fields(f.Get("scope")); len(v) > 0 {
		scopes = v
	}
	return s.tokenResponseLocked(rt.who, u, scopes, true, ""), nil
}

func (s *Server) clientCredentialsLocked(app *App, f url.Values) (map[string]any, *oauthError) {
	if app.Public {
		return nil, invalidClient("AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
	}
	// Entra ID ignores the OpenID Connect scopes MSAL adds to every
	// request (openid profile offline_access); the resource's /.default
	// must be the one scope left.
	var left []string
	for _, sc := range strings.Fields(f.Get("scope")) {
		if !slices.Contains([]string{"openid", "profile", "offline_access", "email"}, sc) {
			left = append(left, sc)
		}
	}
	scope := strings.Join(left, " ")
	if f.Get("scope") == "" {
		return nil, missingParam("scope")
	}
	if strings.Contains(scope, " ") || !strings.HasSuffix(scope, "/.default") {
		return nil, &oauthError{http.StatusBadRequest, "invalid_scope",
			"AADSTS1002012: The provided value for scope " + scope + " is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."}
	}
	return s.tokenResponseLocked(principal{clientID: app.ClientID}, nil, []string{scope}, false, ""), nil
}

func (s *Server) passwordLocked(app *App, f url.Values) (map[string]any, *oauthError) {
	name := f.Get("username")
	if name == "" {
		return nil, missingParam("username")
	}
	u := s.userLocked(name)
	if u == nil {
		return nil, invalidGrant("AADSTS50034: The user account {EUII Hidden} does not exist in the " + s.tenantID + " directory. To sign into this application, the account must be added to the directory.")
	}
	pw := f.Get("password")
	if u.Password == "" || subtle.ConstantTimeCompare([]byte(pw), []byte(u.Password)) != 1 {
		return nil, invalidGrant("AADSTS50126: Error validating credentials due to invalid username or password.")
	}
	scopes := strings.Fields(f.Get("scope"))
	who := principal{userID: u.ID, upn: u.UserPrincipalName, clientID: app.ClientID}
	return s.tokenResponseLocked(who, u, scopes, slices.Contains(scopes, "offline_access"), ""), nil
}

// tokenResponseLocked issues the tokens of a successful grant. user is nil
// for app-only grants. A refresh token is issued when refresh is set, an id
// token when openid was asked for.
func (s *Server) tokenResponseLocked(who principal, user *User, scopes []string, refresh bool, nonce string) map[string]any {
	granted := slices.DeleteFunc(slices.Clone(scopes), func(sc string) bool { return sc == "offline_access" })
	lifetime := int(s.tokenLifetime / time.Second)
	resp := map[string]any{
		"token_type":     "Bearer",
		"scope":          strings.Join(granted, " "),
		"expires_in":     lifetime,
		"ext_expires_in": lifetime,
		"access_token":   s.issueAccessLocked(who, granted),
	}
	if user == nil {
		return resp
	}
	if refresh {
		rt := randomToken()
		s.refresh[rt] = &refreshToken{who: who, scopes: slices.Clone(scopes)}
		resp["refresh_token"] = rt
	}
	if slices.Contains(scopes, "openid") {
		resp["id_token"] = s.idToken(who, user, nonce)
	}
	// MSAL keys its account cache by client_info; token drops it unless
	// the client asked (client_info=1), as Entra ID does.
	resp["client_info"] = b64([]byte(`{"uid":"` + user.ID + `","utid":"` + s.tenantID + `"}`))
	return resp
}

func (s *Server) issueAccessLocked(who principal, scopes []string) string {
	t := randomToken()
	s.access[t] = &accessToken{who: who, scopes: slices.Clone(scopes), expires: s.now().Add(s.tokenLifetime)}
	return t
}

func (s *Server) idToken(who principal, u *User, nonce string) string {
	now := s.now()
	// sub is pairwise in Entra ID: stable for a user and app, different
	// across apps.
	sum := sha256.Sum256([]byte(u.ID + "\x00" + who.clientID))
	claims := map[string]any{
		"ver":                "2.0",
		"iss":                s.issuer(),
		"aud":                who.clientID,
		"sub":                base64.RawURLEncoding.EncodeToString(sum[:]),
		"oid":                u.ID,
		"tid":                s.tenantID,
		"name":               u.DisplayName,
		"preferred_username": u.UserPrincipalName,
		"iat":                now.Unix(),
		"nbf":                now.Unix(),
		"exp":                now.Add(idTokenLifetime).Unix(),
	}
	if nonce != "" {
		claims["nonce"] = nonce
	}
	return s.key.Sign(claims)
}
