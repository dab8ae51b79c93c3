package graphtest_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/go-o365/o365/graphtest"
	"golang.org/x/oauth2"
)

// noRedirects is a browser that stops at every redirect, so a test sees
// where it would go.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// openPage GETs u and returns the status and HTML body.
func openPage(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := noRedirects.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// submitPage posts the sign-in form for authURL and returns the status,
// the redirect target (nil when none) and the body.
func submitPage(t *testing.T, authURL string, form url.Values) (int, *url.URL, string) {
	t.Helper()
	resp, err := noRedirects.PostForm(authURL, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var loc *url.URL
	if l := resp.Header.Get("Location"); l != "" {
		if loc, err = url.Parse(l); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode, loc, string(b)
}

func TestSignInPageShownWithOption(t *testing.T) {
	f := newFixture(t, graphtest.WithSignInPage())
	conf := f.webConfig("openid", "Mail.Read")
	status, body := openPage(t, conf.AuthCodeURL("st4te"))
	if status != http.StatusOK {
		t.Fatalf("authorize answered %d, want the 200 sign-in page: %s", status, body)
	}
	for _, want := range []string{
		`<form id="signin" method="post"`,
		`value="` + f.adele.UserPrincipalName + `" checked`, // the signed-in user is preselected
		`value="` + alexUPN + `"`,
		"<li>Mail.Read</li>",
		`id="accept"`, `id="cancel"`,
		webClientID,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("sign-in page lacks %q:\n%s", want, body)
		}
	}
}

func TestSignInPageShownForInteractivePrompt(t *testing.T) {
	f := newFixture(t) // no option: immediate consent unless prompt asks
	conf := f.webConfig("User.Read")
	for _, prompt := range []string{"select_account", "login", "consent"} {
		status, body := openPage(t, conf.AuthCodeURL("s", oauth2.SetAuthURLParam("prompt", prompt)))
		if status != http.StatusOK || !strings.Contains(body, `id="signin"`) {
			t.Errorf("prompt=%s: %d, want the sign-in page: %.200s", prompt, status, body)
		}
	}
	if loc := f.authorize(t, conf.AuthCodeURL("s", oauth2.SetAuthURLParam("prompt", "none"))); loc.Query().Get("code") == "" {
		t.Errorf("prompt=none: redirected to %s without a code", loc)
	}
}

func TestSignInPagePickAccount(t *testing.T) {
	f := newFixture(t, graphtest.WithSignInPage())
	conf := f.webConfig("openid", "User.Read")
	verifier := oauth2.GenerateVerifier()
	authURL := conf.AuthCodeURL("st4te", oauth2.S256ChallengeOption(verifier))

	status, loc, body := submitPage(t, authURL, url.Values{"account": {alexUPN}, "consent": {"accept"}})
	if status != http.StatusFound || loc == nil {
		t.Fatalf("accept answered %d, want a redirect: %s", status, body)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != webRedirect || loc.Query().Get("state") != "st4te" {
		t.Fatalf("redirected to %s, want %s with state st4te", loc, webRedirect)
	}
	tok, err := conf.Exchange(t.Context(), loc.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	// The picked account, not the emulator's signed-in Adele, signed in.
	if r := get(t, f.srv, tok.AccessToken, "/v1.0/me"); r.body["userPrincipalName"] != alexUPN {
		t.Fatalf("/me = %v, want %s", r.body["userPrincipalName"], alexUPN)
	}
}

func TestSignInPagePassword(t *testing.T) {
	f := newFixture(t, graphtest.WithSignInPage())
	conf := f.webConfig("User.Read")
	authURL := conf.AuthCodeURL("st4te")

	status, loc, body := submitPage(t, authURL, url.Values{"login": {alexUPN}, "passwd": {"wrong"}, "consent": {"accept"}})
	if status != http.StatusOK || loc != nil {
		t.Fatalf("a wrong password answered %d %v, want the page again", status, loc)
	}
	if !strings.Contains(body, "Your account or password is incorrect.") || !strings.Contains(body, `id="login" name="login" value="`+alexUPN+`"`) {
		t.Errorf("the page again should say why and keep the username:\n%s", body)
	}
	// Adele has no password: typing her name cannot sign her in.
	if status, loc, _ := submitPage(t, authURL, url.Values{"login": {f.adele.UserPrincipalName}, "passwd": {""}, "consent": {"accept"}}); status != http.StatusOK || loc != nil {
		t.Errorf("a user without a password signed in: %d %v", status, loc)
	}

	status, loc, body = submitPage(t, authURL, url.Values{"login": {alexUPN}, "passwd": {alexPass}, "consent": {"accept"}, "account": {f.adele.UserPrincipalName}})
	if status != http.StatusFound || loc == nil || loc.Query().Get("code") == "" {
		t.Fatalf("the right password answered %d %v: %s", status, loc, body)
	}
	tok, err := conf.Exchange(t.Context(), loc.Query().Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	// The typed account wins over the preselected one.
	if r := get(t, f.srv, tok.AccessToken, "/v1.0/me"); r.body["userPrincipalName"] != alexUPN {
		t.Fatalf("/me = %v, want %s", r.body["userPrincipalName"], alexUPN)
	}
}

func TestSignInPageCancel(t *testing.T) {
	f := newFixture(t, graphtest.WithSignInPage())
	status, loc, _ := submitPage(t, f.webConfig("User.Read").AuthCodeURL("st4te"), url.Values{"account": {alexUPN}, "consent": {"cancel"}})
	if status != http.StatusFound || loc == nil {
		t.Fatalf("cancel answered %d, want a redirect", status)
	}
	q := loc.Query()
	if q.Get("error") != "access_denied" || q.Get("state") != "st4te" || q.Get("code") != "" || !strings.HasPrefix(q.Get("error_description"), "AADSTS65004:") {
		t.Fatalf("cancel redirected to %s, want error=access_denied with the state and no code", loc)
	}
}

func TestSignInPageNeedsAChoice(t *testing.T) {
	f := newFixture(t, graphtest.WithSignInPage())
	authURL := f.webConfig("User.Read").AuthCodeURL("s")
	for name, form := range map[string]url.Values{
		"no account":      {"consent": {"accept"}},
		"unknown account": {"account": {"nobody@contoso.com"}, "consent": {"accept"}},
		"no button":       {"account": {alexUPN}},
	} {
		if status, loc, body := submitPage(t, authURL, form); status != http.StatusOK || loc != nil || !strings.Contains(body, `id="error"`) {
			t.Errorf("%s: %d %v, want the page with an error", name, status, loc)
		}
	}
}

func TestSignInPageChecksTheRequest(t *testing.T) {
	f := newFixture(t, graphtest.WithSignInPage())
	// A post aimed at another redirect URI is refused like the GET would be.
	conf := f.webConfig("User.Read")
	conf.RedirectURL = "https://evil.example/callback"
	status, loc, body := submitPage(t, conf.AuthCodeURL("s"), url.Values{"account": {alexUPN}, "consent": {"accept"}})
	if status != http.StatusBadRequest || loc != nil || !strings.Contains(body, "AADSTS50011") {
		t.Fatalf("unregistered redirect: %d %v %s", status, loc, body)
	}
}

func TestSignInPageEscapes(t *testing.T) {
	f := newFixture(t, graphtest.WithSignInPage())
	f.srv.AddUser(graphtest.User{UserPrincipalName: "mallory@contoso.com", DisplayName: `<script>alert("x")</script>`})
	_, body := openPage(t, f.webConfig("<b>Mail.Read</b>").AuthCodeURL("s"))
	if strings.Contains(body, "<script>alert") || strings.Contains(body, "<b>Mail.Read") {
		t.Fatalf("the page does not escape names and scopes:\n%s", body)
	}
}

func TestConsentFillsInTheSignInPage(t *testing.T) {
	f := newFixture(t, graphtest.WithSignInPage())
	conf := f.webConfig("User.Read")
	redirected, err := f.srv.Consent(conf.AuthCodeURL("st4te", oauth2.SetAuthURLParam("login_hint", alexUPN)))
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := url.Parse(redirected)
	tok, err := conf.Exchange(t.Context(), loc.Query().Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	if r := get(t, f.srv, tok.AccessToken, "/v1.0/me"); r.body["userPrincipalName"] != alexUPN {
		t.Fatalf("Consent signed in %v, want the login_hint %s", r.body["userPrincipalName"], alexUPN)
	}

	f.srv.SignIn("")
	if _, err := f.srv.Consent(conf.AuthCodeURL("s")); err == nil || !strings.Contains(err.Error(), "needs an account") {
		t.Fatalf("Consent with nobody to sign in: %v", err)
	}
}
