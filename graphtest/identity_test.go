package graphtest_test

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-o365/o365/graphtest"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

func TestAuthorizationCodeWithPKCE(t *testing.T) {
	f := newFixture(t)
	conf := f.webConfig("openid", "offline_access", "User.Read")
	verifier := oauth2.GenerateVerifier()
	loc := f.authorize(t, conf.AuthCodeURL("st4te", oauth2.S256ChallengeOption(verifier)))

	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != webRedirect {
		t.Fatalf("redirected to %s, want %s", got, webRedirect)
	}
	if loc.Query().Get("state") != "st4te" {
		t.Fatalf("state = %q, want st4te", loc.Query().Get("state"))
	}
	code := loc.Query().Get("code")
	if code == "" {
		t.Fatalf("no code in %s", loc)
	}

	tok, err := conf.Exchange(t.Context(), code, oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	if tok.RefreshToken == "" {
		t.Error("no refresh token though offline_access was asked for")
	}
	if tok.Extra("id_token") == nil {
		t.Error("no id_token though openid was asked for")
	}
	if got := tok.Extra("scope"); got != "openid User.Read" {
		t.Errorf("scope = %q, want the granted scopes without offline_access", got)
	}
	if got := tok.Extra("ext_expires_in"); got != 3600.0 {
		t.Errorf("ext_expires_in = %v, want 3600", got)
	}
	if r := get(t, f.srv, tok.AccessToken, "/v1.0/me"); r.StatusCode != http.StatusOK || r.body["userPrincipalName"] != f.adele.UserPrincipalName {
		t.Fatalf("/me with the new token: %d %v", r.StatusCode, r.body)
	}
	if n := f.srv.TokenRequests(graphtest.GrantAuthorizationCode); n != 1 {
		t.Errorf("TokenRequests(authorization_code) = %d, want 1", n)
	}

	// A code is single-use.
	_, err = conf.Exchange(t.Context(), code, oauth2.VerifierOption(verifier))
	if desc := retrieveError(t, err, http.StatusBadRequest, "invalid_grant"); !strings.HasPrefix(desc, "AADSTS54005:") {
		t.Errorf("reused code: %s", desc)
	}
	if n := f.srv.TokenRequests(graphtest.GrantAuthorizationCode); n != 1 {
		t.Errorf("a failed exchange was counted: %d", n)
	}
}

func TestAuthorizationCodeRejectsWrongVerifier(t *testing.T) {
	f := newFixture(t)
	conf := f.webConfig("User.Read")
	verifier := oauth2.GenerateVerifier()
	code := f.authorize(t, conf.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier))).Query().Get("code")

	_, err := conf.Exchange(t.Context(), code, oauth2.VerifierOption(oauth2.GenerateVerifier()))
	if desc := retrieveError(t, err, http.StatusBadRequest, "invalid_grant"); !strings.HasPrefix(desc, "AADSTS50148:") {
		t.Errorf("mismatched verifier: %s", desc)
	}
	_, err = conf.Exchange(t.Context(), code)
	retrieveError(t, err, http.StatusBadRequest, "invalid_request")

	// The rightful client can still redeem it.
	if _, err := conf.Exchange(t.Context(), code, oauth2.VerifierOption(verifier)); err != nil {
		t.Fatal(err)
	}
}

func TestAuthorizationCodePlainChallenge(t *testing.T) {
	f := newFixture(t)
	conf := f.webConfig("User.Read")
	code := f.authorize(t, conf.AuthCodeURL("s",
		oauth2.SetAuthURLParam("code_challenge", "plain-verifier-0123456789-0123456789-0123456789"))).Query().Get("code")
	if _, err := conf.Exchange(t.Context(), code, oauth2.VerifierOption("wrong-verifier-0123456789-0123456789-0123456789")); err == nil {
		t.Fatal("wrong plain verifier accepted")
	}
	if _, err := conf.Exchange(t.Context(), code, oauth2.VerifierOption("plain-verifier-0123456789-0123456789-0123456789")); err != nil {
		t.Fatal(err)
	}
}

func TestAuthorizationCodeBoundToRedirectAndClient(t *testing.T) {
	f := newFixture(t)
	conf := f.webConfig("User.Read")
	code := f.authorize(t, conf.AuthCodeURL("s")).Query().Get("code")

	other := *conf
	other.RedirectURL = "https://app.example/other"
	_, err := other.Exchange(t.Context(), code)
	if desc := retrieveError(t, err, http.StatusBadRequest, "invalid_grant"); !strings.HasPrefix(desc, "AADSTS500112:") {
		t.Errorf("other redirect_uri: %s", desc)
	}

	wrongSecret := *conf
	wrongSecret.ClientSecret = "guess"
	_, err = wrongSecret.Exchange(t.Context(), code)
	if desc := retrieveError(t, err, http.StatusUnauthorized, "invalid_client"); strings.Contains(desc, "guess") {
		t.Errorf("the error repeats the secret: %s", desc)
	}

	public := &oauth2.Config{ClientID: cliClientID, Endpoint: f.endpoint(), RedirectURL: webRedirect}
	_, err = public.Exchange(t.Context(), code)
	retrieveError(t, err, http.StatusBadRequest, "invalid_grant")

	if _, err := conf.Exchange(t.Context(), code); err != nil {
		t.Fatal(err)
	}
}

func TestAuthorizeErrors(t *testing.T) {
	f := newFixture(t)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	// An unregistered redirect URI gets an error page, never a redirect.
	conf := f.webConfig("User.Read")
	conf.RedirectURL = "https://evil.example/callback"
	resp, err := noRedirect.Get(conf.AuthCodeURL("s"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
		t.Errorf("unregistered redirect_uri: %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}

	// Without a signed-in user the redirect carries login_required.
	f.srv.SignIn("")
	loc := f.authorize(t, f.webConfig("User.Read").AuthCodeURL("s1"))
	q := loc.Query()
	if q.Get("error") != "login_required" || q.Get("state") != "s1" || q.Get("code") != "" || q.Get("error_description") == "" {
		t.Errorf("no signed-in user: %s", loc)
	}

	// A known login_hint signs in as that user.
	conf = f.webConfig("User.Read")
	code := f.authorize(t, conf.AuthCodeURL("s", oauth2.SetAuthURLParam("login_hint", alexUPN))).Query().Get("code")
	tok, err := conf.Exchange(t.Context(), code)
	if err != nil {
		t.Fatal(err)
	}
	if r := get(t, f.srv, tok.AccessToken, "/v1.0/me"); r.body["userPrincipalName"] != alexUPN {
		t.Errorf("login_hint %s: /me is %v", alexUPN, r.body["userPrincipalName"])
	}
}

func TestPublicClientLoopbackAnyPort(t *testing.T) {
	f := newFixture(t)
	conf := &oauth2.Config{ClientID: cliClientID, Endpoint: f.endpoint(), RedirectURL: "http://localhost:53117/callback",
		Scopes: []string{"User.Read", "offline_access"}}
	verifier := oauth2.GenerateVerifier()
	loc := f.authorize(t, conf.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier)))
	if loc.Host != "localhost:53117" {
		t.Fatalf("redirected to %s", loc)
	}
	tok, err := conf.Exchange(t.Context(), loc.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	if tok.RefreshToken == "" {
		t.Error("no refresh token")
	}

	// A public client presenting a secret is refused.
	withSecret := *conf
	withSecret.ClientSecret = "x"
	_, err = withSecret.PasswordCredentialsToken(t.Context(), alexUPN, alexPass)
	retrieveError(t, err, http.StatusUnauthorized, "invalid_client")
}

func TestRefreshTokenRotation(t *testing.T) {
	f := newFixture(t)
	conf := &oauth2.Config{ClientID: cliClientID, Endpoint: f.endpoint(), Scopes: []string{"User.Read", "offline_access"}}
	first, err := conf.PasswordCredentialsToken(t.Context(), alexUPN, alexPass)
	if err != nil {
		t.Fatal(err)
	}
	refresh := func(rt string) (*oauth2.Token, error) {
		return conf.TokenSource(t.Context(), &oauth2.Token{RefreshToken: rt}).Token()
	}
	second, err := refresh(first.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if second.RefreshToken == "" || second.RefreshToken == first.RefreshToken {
		t.Fatalf("refresh did not rotate the refresh token: %q", second.RefreshToken)
	}
	if second.AccessToken == first.AccessToken {
		t.Fatal("refresh returned the same access token")
	}
	_, err = refresh(first.RefreshToken)
	retrieveError(t, err, http.StatusBadRequest, "invalid_grant")

	third, err := refresh(second.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if n := f.srv.TokenRequests(graphtest.GrantRefreshToken); n != 2 {
		t.Errorf("TokenRequests(refresh_token) = %d, want 2", n)
	}

	f.srv.RevokeRefreshTokens(alexUPN)
	_, err = refresh(third.RefreshToken)
	if desc := retrieveError(t, err, http.StatusBadRequest, "invalid_grant"); !strings.HasPrefix(desc, "AADSTS50173:") {
		t.Errorf("revoked: %s", desc)
	}
	// Revoking sessions leaves issued access tokens usable.
	if r := get(t, f.srv, third.AccessToken, "/v1.0/me"); r.StatusCode != http.StatusOK {
		t.Errorf("access token after revoking refresh tokens: %d", r.StatusCode)
	}
}

func TestRefreshTokenBoundToClient(t *testing.T) {
	f := newFixture(t)
	conf := &oauth2.Config{ClientID: cliClientID, Endpoint: f.endpoint(), Scopes: []string{"User.Read", "offline_access"}}
	tok, err := conf.PasswordCredentialsToken(t.Context(), alexUPN, alexPass)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.webConfig().TokenSource(t.Context(), &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	retrieveError(t, err, http.StatusBadRequest, "invalid_grant")
}

func TestPasswordGrant(t *testing.T) {
	f := newFixture(t)
	conf := &oauth2.Config{ClientID: cliClientID, Endpoint: f.endpoint(), Scopes: []string{"User.Read"}}
	tok, err := conf.PasswordCredentialsToken(t.Context(), alexUPN, alexPass)
	if err != nil {
		t.Fatal(err)
	}
	if tok.RefreshToken != "" || tok.Extra("id_token") != nil {
		t.Error("refresh or id token issued without offline_access or openid")
	}
	if r := get(t, f.srv, tok.AccessToken, "/v1.0/me"); r.body["displayName"] != "Alex Wilber" {
		t.Errorf("/me = %v", r.body)
	}

	_, err = conf.PasswordCredentialsToken(t.Context(), alexUPN, "wrong")
	if desc := retrieveError(t, err, http.StatusBadRequest, "invalid_grant"); !strings.HasPrefix(desc, "AADSTS50126:") {
		t.Errorf("wrong password: %s", desc)
	}
	_, err = conf.PasswordCredentialsToken(t.Context(), "nobody@contoso.onmicrosoft.com", "x")
	retrieveError(t, err, http.StatusBadRequest, "invalid_grant")

	// A confidential client must authenticate.
	web := f.webConfig("User.Read")
	web.ClientSecret = ""
	_, err = web.PasswordCredentialsToken(t.Context(), alexUPN, alexPass)
	retrieveError(t, err, http.StatusUnauthorized, "invalid_client")

	if n := f.srv.TokenRequests(graphtest.GrantPassword); n != 1 {
		t.Errorf("TokenRequests(password) = %d, want 1", n)
	}
}

func TestClientCredentialsWithSecret(t *testing.T) {
	f := newFixture(t)
	conf := &clientcredentials.Config{ClientID: daemonID, ClientSecret: daemonKey, TokenURL: f.endpoint().TokenURL,
		Scopes: []string{"https://graph.microsoft.com/.default"}, AuthStyle: oauth2.AuthStyleInHeader}
	tok, err := conf.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if tok.RefreshToken != "" {
		t.Error("client credentials issued a refresh token")
	}
	if got := tok.Extra("scope"); got != "https://graph.microsoft.com/.default" {
		t.Errorf("scope = %v", got)
	}
	if n := f.srv.TokenRequests(graphtest.GrantClientCredentials); n != 1 {
		t.Errorf("TokenRequests(client_credentials) = %d, want 1", n)
	}

	bad := *conf
	bad.Scopes = []string{"User.Read"}
	_, err = bad.Token(t.Context())
	if desc := retrieveError(t, err, http.StatusBadRequest, "invalid_scope"); !strings.HasPrefix(desc, "AADSTS1002012:") {
		t.Errorf("scope without /.default: %s", desc)
	}

	bad = *conf
	bad.ClientSecret = "wrong"
	_, err = bad.Token(t.Context())
	retrieveError(t, err, http.StatusUnauthorized, "invalid_client")

	bad = *conf
	bad.ClientID = "00000000-0000-0000-0000-000000000000"
	_, err = bad.Token(t.Context())
	retrieveError(t, err, http.StatusBadRequest, "unauthorized_client")

	// A public client has nothing to prove its identity with.
	_, err = (&clientcredentials.Config{ClientID: cliClientID, TokenURL: conf.TokenURL, Scopes: conf.Scopes,
		AuthStyle: oauth2.AuthStyleInParams}).Token(t.Context())
	retrieveError(t, err, http.StatusUnauthorized, "invalid_client")
}

func TestClientCredentialsWithCertificate(t *testing.T) {
	f := newFixture(t)
	cert, key, err := graphtest.NewCertificate("daemon")
	if err != nil {
		t.Fatal(err)
	}
	const certApp = "9f1e7c4a-1111-2222-3333-444455556666"
	f.srv.AddApp(graphtest.App{ClientID: certApp, Certificate: cert})
	tokenURL := f.endpoint().TokenURL
	withAssertion := func(assertion string) *clientcredentials.Config {
		return &clientcredentials.Config{ClientID: certApp, TokenURL: tokenURL, AuthStyle: oauth2.AuthStyleInParams,
			Scopes: []string{"https://graph.microsoft.com/.default"},
			EndpointParams: url.Values{
				"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
				"client_assertion":      {assertion},
			}}
	}

	tok, err := withAssertion(graphtest.ClientAssertion(key, cert, certApp, tokenURL)).Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if r := get(t, f.srv, tok.AccessToken, "/v1.0/users"); r.StatusCode != http.StatusOK {
		t.Errorf("/users with the app token: %d %v", r.StatusCode, r.body)
	}

	otherCert, otherKey, err := graphtest.NewCertificate("intruder")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	claims := func(aud, iss string, exp time.Time) map[string]any {
		return map[string]any{"aud": aud, "iss": iss, "sub": iss, "jti": "1", "nbf": now.Unix(), "exp": exp.Unix()}
	}
	header := map[string]any{"typ": "JWT"}
	for name, assertion := range map[string]string{
		"signed by another key": graphtest.ClientAssertion(otherKey, otherCert, certApp, tokenURL),
		"for another audience":  graphtest.SignJWT(key, header, claims("https://login.example/token", certApp, now.Add(time.Hour))),
		"issued by another app": graphtest.SignJWT(key, header, claims(tokenURL, daemonID, now.Add(time.Hour))),
		"expired":               graphtest.SignJWT(key, header, claims(tokenURL, certApp, now.Add(-time.Hour))),
		"not a JWT":             "garbage",
	} {
		_, err := withAssertion(assertion).Token(t.Context())
		var re *oauth2.RetrieveError
		if !errors.As(err, &re) || re.Response.StatusCode != http.StatusUnauthorized || re.ErrorCode != "invalid_client" {
			t.Errorf("assertion %s: got %v, want 401 invalid_client", name, err)
		}
	}
}

func TestDeviceCodeAutoApprovedBySignedInUser(t *testing.T) {
	f := newFixture(t)
	conf := &oauth2.Config{ClientID: cliClientID, Endpoint: f.endpoint(), Scopes: []string{"User.Read", "offline_access"}}
	da, err := conf.DeviceAuth(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if da.UserCode == "" || da.VerificationURI == "" || da.Interval != 1 || da.Expiry.IsZero() {
		t.Fatalf("device auth response: %+v", da)
	}
	// The bound only turns a regression (endless authorization_pending)
	// into a failure instead of a hang until the code expires.
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	tok, err := conf.DeviceAccessToken(ctx, da)
	if err != nil {
		t.Fatal(err)
	}
	if tok.RefreshToken == "" {
		t.Error("no refresh token")
	}
	if r := get(t, f.srv, tok.AccessToken, "/v1.0/me"); r.body["id"] != f.adele.ID {
		t.Errorf("/me = %v, want the signed-in user", r.body)
	}
	if n := f.srv.TokenRequests(graphtest.GrantDeviceCode); n != 1 {
		t.Errorf("TokenRequests(device_code) = %d, want 1", n)
	}
}

func TestDeviceCodeManualApproval(t *testing.T) {
	f := newFixture(t, graphtest.WithManualDeviceApproval())
	base := f.srv.LoginURL() + "/organizations/oauth2/v2.0/"
	status, da := postForm(t, base+"devicecode", url.Values{"client_id": {cliClientID}, "scope": {"openid User.Read"}})
	if status != http.StatusOK {
		t.Fatalf("devicecode: %d %v", status, da)
	}
	for _, k := range []string{"device_code", "user_code", "verification_uri", "message"} {
		if s, _ := da[k].(string); s == "" {
			t.Errorf("devicecode answer lacks %s: %v", k, da)
		}
	}
	if !strings.Contains(da["message"].(string), da["user_code"].(string)) {
		t.Errorf("message does not name the user code: %v", da["message"])
	}
	poll := url.Values{"client_id": {cliClientID}, "grant_type": {graphtest.GrantDeviceCode}, "device_code": {da["device_code"].(string)}}

	status, body := postForm(t, base+"token", poll)
	if status != http.StatusBadRequest || body["error"] != "authorization_pending" {
		t.Fatalf("poll before approval: %d %v", status, body)
	}
	if err := f.srv.ApproveDevice("NOSUCHCODE", alexUPN); err == nil {
		t.Error("approving an unknown code succeeded")
	}
	if err := f.srv.ApproveDevice(da["user_code"].(string), alexUPN); err != nil {
		t.Fatal(err)
	}
	status, body = postForm(t, base+"token", poll)
	if status != http.StatusOK || body["access_token"] == nil || body["id_token"] == nil {
		t.Fatalf("poll after approval: %d %v", status, body)
	}
	if _, ok := body["refresh_token"]; ok {
		t.Error("refresh token without offline_access")
	}
	// A device code is redeemed once.
	status, body = postForm(t, base+"token", poll)
	if status != http.StatusBadRequest || body["error"] != "invalid_grant" {
		t.Errorf("second redemption: %d %v", status, body)
	}
}

func TestOAuthErrorFormat(t *testing.T) {
	f := newFixture(t)
	status, body := postForm(t, f.endpoint().TokenURL, url.Values{
		"client_id": {cliClientID}, "grant_type": {"refresh_token"}, "refresh_token": {"bogus"}})
	if status != http.StatusBadRequest || body["error"] != "invalid_grant" {
		t.Fatalf("got %d %v", status, body)
	}
	desc, _ := body["error_description"].(string)
	codes, _ := body["error_codes"].([]any)
	if len(codes) != 1 || !strings.HasPrefix(desc, fmt.Sprintf("AADSTS%.0f:", codes[0])) {
		t.Errorf("error_description %q does not start with error_codes %v", desc, codes)
	}
	for _, k := range []string{"timestamp", "trace_id", "correlation_id"} {
		if s, _ := body[k].(string); s == "" {
			t.Errorf("no %s in %v", k, body)
		}
	}
	status, body = postForm(t, f.endpoint().TokenURL, url.Values{"client_id": {cliClientID}, "grant_type": {"magic"}})
	if status != http.StatusBadRequest || body["error"] != "unsupported_grant_type" {
		t.Errorf("unknown grant type: %d %v", status, body)
	}
}

// TestIDTokenVerifiesWithJWKS checks the id token as an OpenID Connect
// client would: keys from the discovery document, then signature and claims.
func TestIDTokenVerifiesWithJWKS(t *testing.T) {
	f := newFixture(t)
	conf := f.webConfig("openid", "profile", "User.Read")
	code := f.authorize(t, conf.AuthCodeURL("s", oauth2.SetAuthURLParam("nonce", "n0nce"))).Query().Get("code")
	tok, err := conf.Exchange(t.Context(), code)
	if err != nil {
		t.Fatal(err)
	}
	idToken, _ := tok.Extra("id_token").(string)

	var disc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	getJSON(t, f.srv.LoginURL()+"/"+f.srv.TenantID()+"/v2.0/.well-known/openid-configuration", &disc)
	var jwks struct {
		Keys []struct{ Kid, Kty, N, E string }
	}
	getJSON(t, disc.JWKSURI, &jwks)

	parts := strings.Split(idToken, ".")
	if len(parts) != 3 {
		t.Fatalf("id_token %q is not a JWS", idToken)
	}
	var header struct{ Alg, Kid string }
	decodePart(t, parts[0], &header)
	if header.Alg != "RS256" {
		t.Fatalf("alg %s", header.Alg)
	}
	var pub *rsa.PublicKey
	for _, k := range jwks.Keys {
		if k.Kid == header.Kid && k.Kty == "RSA" {
			n, _ := base64.RawURLEncoding.DecodeString(k.N)
			e, _ := base64.RawURLEncoding.DecodeString(k.E)
			pub = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
		}
	}
	if pub == nil {
		t.Fatalf("kid %s not in the JWKS", header.Kid)
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
		t.Fatalf("id_token signature: %v", err)
	}
	tampered := sha256.Sum256([]byte(parts[0] + "." + parts[1] + "x"))
	if rsa.VerifyPKCS1v15(pub, crypto.SHA256, tampered[:], sig) == nil {
		t.Fatal("signature verifies any content")
	}

	var claims map[string]any
	decodePart(t, parts[1], &claims)
	want := map[string]any{
		"iss":                disc.Issuer,
		"aud":                webClientID,
		"tid":                f.srv.TenantID(),
		"oid":                f.adele.ID,
		"name":               f.adele.DisplayName,
		"preferred_username": f.adele.UserPrincipalName,
		"nonce":              "n0nce",
	}
	for k, v := range want {
		if claims[k] != v {
			t.Errorf("claim %s = %v, want %v", k, claims[k], v)
		}
	}
	if disc.Issuer != f.srv.LoginURL()+"/"+f.srv.TenantID()+"/v2.0" {
		t.Errorf("issuer %s", disc.Issuer)
	}
	exp, _ := claims["exp"].(float64)
	iat, _ := claims["iat"].(float64)
	if sub, _ := claims["sub"].(string); sub == "" || exp <= iat || claims["nbf"] == nil {
		t.Errorf("sub/iat/nbf/exp: %v", claims)
	}
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", u, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

func decodePart(t *testing.T, part string, v any) {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(part)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

func TestDiscovery(t *testing.T) {
	srv := graphtest.NewServer(graphtest.WithTenantID("7f0e1c2d-aaaa-bbbb-cccc-0123456789ab"))
	defer srv.Close()
	if srv.TenantID() != "7f0e1c2d-aaaa-bbbb-cccc-0123456789ab" {
		t.Errorf("TenantID() = %s", srv.TenantID())
	}
	var disc map[string]any
	getJSON(t, srv.LoginURL()+"/common/v2.0/.well-known/openid-configuration", &disc)
	want := map[string]any{
		"issuer":                        srv.LoginURL() + "/{tenantid}/v2.0",
		"token_endpoint":                srv.LoginURL() + "/common/oauth2/v2.0/token",
		"authorization_endpoint":        srv.LoginURL() + "/common/oauth2/v2.0/authorize",
		"device_authorization_endpoint": srv.LoginURL() + "/common/oauth2/v2.0/devicecode",
		"jwks_uri":                      srv.LoginURL() + "/common/discovery/v2.0/keys",
	}
	for k, v := range want {
		if disc[k] != v {
			t.Errorf("%s = %v, want %v", k, disc[k], v)
		}
	}
	getJSON(t, srv.LoginURL()+"/7f0e1c2d-aaaa-bbbb-cccc-0123456789ab/v2.0/.well-known/openid-configuration", &disc)
	if want := srv.LoginURL() + "/7f0e1c2d-aaaa-bbbb-cccc-0123456789ab/v2.0"; disc["issuer"] != want {
		t.Errorf("tenant issuer = %v, want %s", disc["issuer"], want)
	}
}
