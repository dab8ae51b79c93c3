package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/examples/webapp/app"
	"github.com/go-o365/o365/graphtest"
)

var (
	adele = users[0].UserPrincipalName
	alex  = users[1].UserPrincipalName
	megan = users[2].UserPrincipalName
)

// clock is a settable time for the app.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// fixture is the example as main runs it offline, on a test server.
type fixture struct {
	srv     *graphtest.Server
	account *o365.Account
	ts      *httptest.Server
	clock   *clock
}

func newFixture(t *testing.T, overTLS bool) *fixture {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	scheme := "http://"
	if overTLS {
		scheme = "https://"
	}
	base := scheme + ts.Listener.Addr().String()
	clk := &clock{t: time.Now()}
	srv, account := offline(base, clk.now())
	t.Cleanup(srv.Close)
	web, err := app.New(account, app.Config{BaseURL: base, Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = web
	if overTLS {
		ts.StartTLS()
	} else {
		ts.Start()
	}
	t.Cleanup(ts.Close)
	return &fixture{srv: srv, account: account, ts: ts, clock: clk}
}

// browser is an HTTP client with its own cookies that stops at every
// redirect, so the tests see each step.
type browser struct {
	t *testing.T
	f *fixture
	c *http.Client
}

func (f *fixture) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	c := *f.ts.Client() // a copy: the server's client is shared
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &browser{t: t, f: f, c: &c}
}

// page is an answer as the browser got it.
type page struct {
	status   int
	location string
	cookies  []*http.Cookie
	body     string
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, location: resp.Header.Get("Location"), cookies: resp.Cookies(), body: string(body)}
}

func (b *browser) get(rawURL string) page {
	b.t.Helper()
	if strings.HasPrefix(rawURL, "/") {
		rawURL = b.f.ts.URL + rawURL
	}
	req, _ := http.NewRequest(http.MethodGet, rawURL, nil)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.f.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// startSignIn clicks "Sign in" and returns the identity platform's URL.
func (b *browser) startSignIn() string {
	b.t.Helper()
	p := b.get("/signin")
	if p.status != http.StatusFound || !strings.HasPrefix(p.location, b.f.srv.LoginURL()) {
		b.t.Fatalf("/signin: %d to %q, want a redirect to the identity platform", p.status, p.location)
	}
	return p.location
}

// consent answers the emulator's sign-in page as user and returns the URL
// it sends the browser back to.
func (b *browser) consent(authURL, user, button string) string {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, authURL, strings.NewReader(url.Values{"account": {user}, "consent": {button}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	p := b.do(req)
	if p.status != http.StatusFound || !strings.HasPrefix(p.location, b.f.ts.URL+app.CallbackPath) {
		b.t.Fatalf("sign-in page: %d to %q, want a redirect to the app", p.status, p.location)
	}
	return p.location
}

// signIn signs user in and returns the callback URL it went through and
// the callback's answer.
func (b *browser) signIn(user string) (string, page) {
	b.t.Helper()
	callback := b.consent(b.startSignIn(), user, "accept")
	p := b.get(callback)
	if p.status != http.StatusSeeOther || p.location != "/inbox" {
		b.t.Fatalf("callback: %d to %q, want 303 to /inbox: %s", p.status, p.location, p.body)
	}
	return callback, p
}

// csrf reads the form token of a page.
func csrf(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no csrf field in:\n%s", body)
	}
	return m[1]
}

// refused checks that p is the readable error page titled title.
func refused(t *testing.T, p page, title, text string) {
	t.Helper()
	if p.status != http.StatusBadRequest {
		t.Errorf("status %d, want 400", p.status)
	}
	if !strings.Contains(p.body, "<h1>"+title+"</h1>") || !strings.Contains(p.body, text) {
		t.Errorf("want the page %q saying %q, got:\n%s", title, text, p.body)
	}
}

func sessionCookie(t *testing.T, p page) *http.Cookie {
	t.Helper()
	for _, c := range p.cookies {
		if c.Name == app.CookieName {
			return c
		}
	}
	t.Fatalf("no %s cookie set", app.CookieName)
	return nil
}

func TestSignInShowsOwnInboxAndEvents(t *testing.T) {
	f := newFixture(t, false)
	b := f.browser(t)
	if p := b.get("/inbox"); p.status != http.StatusSeeOther || p.location != "/" {
		t.Fatalf("/inbox before sign-in: %d to %q, want the start page", p.status, p.location)
	}
	if p := b.get("/"); !strings.Contains(p.body, `id="signin" href="/signin"`) {
		t.Fatalf("the start page has no sign-in button:\n%s", p.body)
	}
	start := b.get("/signin")
	authURL, _ := url.Parse(start.location)
	q := authURL.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("state") == "" || q.Get("prompt") != "select_account" {
		t.Errorf("the authorization request lacks PKCE, state or prompt: %s", authURL)
	}
	before := sessionCookie(t, start)

	_, cb := b.signIn(adele)
	after := sessionCookie(t, cb)
	if !after.HttpOnly || after.SameSite != http.SameSiteLaxMode || after.Secure || after.Path != "/" {
		t.Errorf("session cookie: HttpOnly %v, SameSite %v, Secure %v, Path %q; want HttpOnly, Lax, not Secure over HTTP, /",
			after.HttpOnly, after.SameSite, after.Secure, after.Path)
	}
	if after.Value == before.Value {
		t.Error("the session id did not change at sign-in (session fixation)")
	}

	inbox := b.get("/inbox")
	for _, s := range seeded[adele].inbox {
		if !strings.Contains(inbox.body, s) {
			t.Errorf("Adele's inbox lacks %q", s)
		}
	}
	for _, s := range append(seeded[alex].inbox, seeded[megan].inbox...) {
		if strings.Contains(inbox.body, s) {
			t.Errorf("Adele's inbox shows another user's %q", s)
		}
	}
	if !strings.Contains(inbox.body, `id="current-user">`+adele) || strings.Contains(inbox.body, `id="switcher"`) {
		t.Errorf("the header should name Adele, with no switcher for one user:\n%s", inbox.body)
	}
	events := b.get("/events")
	if i, j := strings.Index(events.body, "Store walkthrough"), strings.Index(events.body, "Retail planning"); i < 0 || j < i {
		t.Errorf("Adele's events should list the walkthrough, then the planning:\n%s", events.body)
	}
	if strings.Contains(events.body, "Marketing sync") {
		t.Error("Adele's events show Alex's")
	}
	if users, _ := f.account.Usernames(); !slices.Equal(users, []string{adele}) {
		t.Errorf("token backend holds %v, want Adele", users)
	}
}

func TestSecureCookieOverTLS(t *testing.T) {
	f := newFixture(t, true)
	b := f.browser(t)
	c := sessionCookie(t, b.get("/signin"))
	if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
		t.Fatalf("over TLS: Secure %v, HttpOnly %v, SameSite %v; want all set", c.Secure, c.HttpOnly, c.SameSite)
	}
	_, cb := b.signIn(alex)
	if c := sessionCookie(t, cb); !c.Secure {
		t.Fatal("the signed-in session's cookie is not Secure over TLS")
	}
	if p := b.get("/inbox"); !strings.Contains(p.body, seeded[alex].inbox[0]) {
		t.Fatalf("Alex's inbox over TLS:\n%s", p.body)
	}
}

func TestTwoBrowsersSeeOnlyTheirOwn(t *testing.T) {
	f := newFixture(t, false)
	a, b := f.browser(t), f.browser(t)
	a.signIn(adele)
	b.signIn(alex)
	pa, pb := a.get("/inbox"), b.get("/inbox")
	if !strings.Contains(pa.body, seeded[adele].inbox[0]) || strings.Contains(pa.body, seeded[alex].inbox[0]) {
		t.Errorf("browser A should see Adele's inbox only:\n%s", pa.body)
	}
	if !strings.Contains(pb.body, seeded[alex].inbox[0]) || strings.Contains(pb.body, seeded[adele].inbox[0]) {
		t.Errorf("browser B should see Alex's inbox only:\n%s", pb.body)
	}
	if users, _ := f.account.Usernames(); !slices.Equal(users, []string{adele, alex}) {
		t.Errorf("the one account's backend holds %v, want both users", users)
	}
}

func TestSwitchAndSignOut(t *testing.T) {
	f := newFixture(t, false)
	a, other := f.browser(t), f.browser(t)
	other.signIn(alex)
	a.signIn(adele)
	a.signIn(megan)
	inbox := a.get("/inbox")
	if !strings.Contains(inbox.body, `id="current-user">`+megan) || !strings.Contains(inbox.body, seeded[megan].inbox[0]) {
		t.Fatalf("after the second sign-in Megan should be current:\n%s", inbox.body)
	}
	token := csrf(t, inbox.body)

	// Forms need the session's token, and only its own users.
	refused(t, a.post("/switch", url.Values{"user": {adele}}), "Form refused", "token is missing or wrong")
	refused(t, other.post("/switch", url.Values{"user": {adele}, "csrf": {token}}), "Form refused", "token is missing or wrong")
	refused(t, a.post("/switch", url.Values{"user": {alex}, "csrf": {token}}), "Unknown account", "not signed in to this browser")
	refused(t, a.post("/signout", url.Values{"user": {alex}, "csrf": {token}}), "Unknown account", "not signed in to this browser")

	p := a.post("/switch", url.Values{"user": {adele}, "csrf": {token}, "back": {"/events"}})
	if p.status != http.StatusSeeOther || p.location != "/events" {
		t.Fatalf("switch: %d to %q", p.status, p.location)
	}
	inbox = a.get("/inbox")
	if !strings.Contains(inbox.body, `id="current-user">`+adele) || !strings.Contains(inbox.body, seeded[adele].inbox[0]) || strings.Contains(inbox.body, seeded[megan].inbox[0]) {
		t.Fatalf("after switching to Adele:\n%s", inbox.body)
	}

	// Sign Megan out though Adele is current: her token leaves the backend.
	if p := a.post("/signout", url.Values{"user": {megan}, "csrf": {token}}); p.status != http.StatusSeeOther {
		t.Fatalf("sign-out: %d %s", p.status, p.body)
	}
	if users, _ := f.account.Usernames(); !slices.Equal(users, []string{alex, adele}) {
		t.Errorf("after Megan's sign-out the backend holds %v", users)
	}
	if _, err := f.account.As(megan); err == nil {
		t.Error("the account still serves Megan after her sign-out")
	}
	inbox = a.get("/inbox")
	if !strings.Contains(inbox.body, `id="current-user">`+adele) || strings.Contains(inbox.body, megan) {
		t.Errorf("Adele stays signed in, and Megan leaves the switcher:\n%s", inbox.body)
	}
	// Signing the current user out leaves the browser signed out.
	a.post("/signout", url.Values{"csrf": {token}})
	if p := a.get("/inbox"); p.status != http.StatusSeeOther || p.location != "/" {
		t.Errorf("/inbox after the last sign-out: %d to %q", p.status, p.location)
	}
	if p := other.get("/inbox"); !strings.Contains(p.body, seeded[alex].inbox[0]) {
		t.Error("another browser's user was signed out too")
	}
}

func TestSignOutEndsTheUserInEveryBrowser(t *testing.T) {
	f := newFixture(t, false)
	a, b := f.browser(t), f.browser(t)
	a.signIn(alex)
	b.signIn(alex)
	a.post("/signout", url.Values{"csrf": {csrf(t, a.get("/inbox").body)}})
	if p := b.get("/inbox"); p.status != http.StatusSeeOther || p.location != "/" {
		t.Fatalf("the other browser still sees Alex's inbox after his token was deleted: %d %q", p.status, p.location)
	}
}

func TestTamperedStateRefused(t *testing.T) {
	f := newFixture(t, false)
	b := f.browser(t)
	callback := b.consent(b.startSignIn(), adele, "accept")
	u, _ := url.Parse(callback)
	q := u.Query()
	q.Set("state", q.Get("state")+"x")
	u.RawQuery = q.Encode()
	refused(t, b.get(u.String()), "Sign-in refused", "its state was changed")
	u.RawQuery = url.Values{"code": {q.Get("code")}}.Encode()
	refused(t, b.get(u.String()), "Sign-in refused", "its state was changed")
	if n := f.srv.TokenRequests(graphtest.GrantAuthorizationCode); n != 0 {
		t.Errorf("a code with a bad state was exchanged (%d token requests)", n)
	}
}

func TestCallbackReplayRefused(t *testing.T) {
	f := newFixture(t, false)
	b := f.browser(t)
	callback, _ := b.signIn(adele)
	refused(t, b.get(callback), "Sign-in refused", "already used")
}

func TestReplayedCodeRefusedByIdentityPlatform(t *testing.T) {
	f := newFixture(t, false)
	b := f.browser(t)
	callback, _ := b.signIn(adele)
	code := mustQuery(t, callback).Get("code")
	// A fresh sign-in of the same browser carrying the old code: the state
	// is good, but the code was redeemed (and its PKCE verifier differs).
	state := mustQuery(t, b.startSignIn()).Get("state")
	p := b.get(f.ts.URL + app.CallbackPath + "?" + url.Values{"code": {code}, "state": {state}}.Encode())
	refused(t, p, "Sign-in refused", "The identity platform refused the sign-in.")
	if !strings.Contains(p.body, "AADSTS54005") {
		t.Errorf("the page should carry the identity platform's reason (AADSTS54005):\n%s", p.body)
	}
}

func TestCallbackInAnotherBrowserRefused(t *testing.T) {
	f := newFixture(t, false)
	victim, attacker := f.browser(t), f.browser(t)
	attacker.get("/signin") // the attacker has a session of their own
	callback := victim.consent(victim.startSignIn(), adele, "accept")
	refused(t, attacker.get(callback), "Sign-in refused", "started in another browser")
	// The attempt used the state up: the real browser must start again.
	refused(t, victim.get(callback), "Sign-in refused", "already used")
	if users, _ := f.account.Usernames(); len(users) != 0 {
		t.Errorf("a token was stored: %v", users)
	}
}

func TestSignInExpires(t *testing.T) {
	f := newFixture(t, false)
	b := f.browser(t)
	callback := b.consent(b.startSignIn(), adele, "accept")
	f.clock.advance(app.SignInTimeout + time.Second)
	refused(t, b.get(callback), "Sign-in expired", "more than 10 minutes ago")
}

func TestCancelledSignIn(t *testing.T) {
	f := newFixture(t, false)
	b := f.browser(t)
	callback := b.consent(b.startSignIn(), adele, "cancel")
	refused(t, b.get(callback), "Sign-in cancelled", "access_denied")
}

func TestPendingSignInsAreCapped(t *testing.T) {
	f := newFixture(t, false)
	b := f.browser(t)
	first := b.consent(b.startSignIn(), adele, "accept")
	for range 5 {
		b.startSignIn()
	}
	refused(t, b.get(first), "Sign-in refused", "already used")
}

func TestNewRejectsBadBaseURL(t *testing.T) {
	for _, base := range []string{"", "localhost:8080", "ftp://x", "http://x/app"} {
		if _, err := app.New(nil, app.Config{BaseURL: base}); err == nil || !strings.Contains(err.Error(), "BaseURL") {
			t.Errorf("BaseURL %q: %v", base, err)
		}
	}
}

func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, "localhost:0", out) }()
	deadline := time.Now().Add(10 * time.Second)
	var base string
	for base == "" && time.Now().Before(deadline) {
		if m := regexp.MustCompile(`Open (http://\S+)/ in a browser`).FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	if base == "" {
		t.Fatalf("run printed no URL:\n%s", out)
	}
	resp, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "Sign in with Microsoft") || !strings.Contains(out.String(), "password adele-demo") {
		t.Errorf("start page or banner:\n%s\n%s", body, out)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func mustQuery(t *testing.T, rawURL string) url.Values {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestConcurrentUsersStayApart(t *testing.T) {
	f := newFixture(t, false)
	a, b := f.browser(t), f.browser(t)
	a.signIn(adele)
	b.signIn(alex)
	var wg sync.WaitGroup
	errs := make(chan string, 40)
	for i := range 20 {
		br, own, other := a, adele, alex
		if i%2 == 1 {
			br, own, other = b, alex, adele
		}
		wg.Go(func() {
			resp, err := br.c.Get(f.ts.URL + "/inbox")
			if err != nil {
				errs <- err.Error()
				return
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if !strings.Contains(string(body), seeded[own].inbox[0]) || strings.Contains(string(body), seeded[other].inbox[0]) {
				errs <- own + " saw the wrong inbox"
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestAbandonedSignInsAreForgotten(t *testing.T) {
	f := newFixture(t, false)
	idle, active := f.browser(t), f.browser(t)
	first := sessionCookie(t, idle.get("/signin"))
	callback := idle.consent(mustLocation(t, idle.get("/signin")), adele, "accept")
	f.clock.advance(app.SignInTimeout + time.Minute)
	active.get("/signin") // any sign-in sweeps
	// The abandoned session and its sign-ins are gone: the old callback is
	// unknown, and the browser gets a new session.
	refused(t, idle.get(callback), "Sign-in refused", "already used")
	if again := sessionCookie(t, idle.get("/signin")); again.Value == first.Value {
		t.Error("a session nobody signed in to outlived its sign-ins")
	}
}

func mustLocation(t *testing.T, p page) string {
	t.Helper()
	if p.location == "" {
		t.Fatalf("no redirect: %d %s", p.status, p.body)
	}
	return p.location
}
