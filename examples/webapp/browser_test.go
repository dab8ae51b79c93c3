package main

import (
	"context"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/go-o365/o365/examples/webapp/app"
	"github.com/go-o365/o365/graphtest"
)

// chromium is Debian's Chromium, which CI installs; elsewhere chromedp
// looks for a Chrome or Chromium of its own finding.
const chromium = "/usr/bin/chromium"

// TestBrowser drives the example in headless Chromium, as people would
// use it: two users sign in from two browsers (separate browser contexts,
// so separate cookie jars), each sees only their own inbox, one browser
// adds a second account and switches between them, signs one out, and a
// tampered state and replayed codes end on readable error pages, and a
// third browser signs in to the app served over TLS. The app
// is served on localhost and the emulated identity platform on 127.0.0.1,
// so the sign-in crosses sites as it does in production and the
// SameSite=Lax session cookie must survive the redirect back.
//
// On failure, a screenshot of each browser is written to
// $O365_SCREENSHOT_DIR (or a new temporary directory), named in the log.
// With O365_SCREENSHOT_DIR set, screenshots of the main steps are written
// too.
func TestBrowser(t *testing.T) {
	began := time.Now()
	ts := httptest.NewUnstartedServer(nil)
	base := "http://localhost:" + portOf(t, ts.Listener.Addr().String())
	srv, account := offline(base, time.Now())
	t.Cleanup(srv.Close)
	web, err := app.New(account, app.Config{BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = web
	ts.Start()
	t.Cleanup(ts.Close)

	shots := newScreenshots(t)
	browser := startChromium(t)
	a := newTab(t, browser, "browser-a", shots)
	b := newTab(t, browser, "browser-b", shots)

	// Browser A: Adele types her name and password.
	a.open(base + "/")
	a.wantText("#signin", "Sign in with Microsoft")
	a.clickTo("#signin", 200)
	if loc := a.location(); !strings.HasPrefix(loc, srv.LoginURL()+"/") {
		t.Fatalf("the sign-in button led to %s, not the identity platform", loc)
	}
	a.wantText("#scopes", "Mail.Read")
	a.shot("signin-page")
	a.typeInto("#login", adele)
	a.typeInto("#passwd", users[0].Password)
	a.clickTo("#accept", 200)
	a.wantLocation(base + "/inbox")
	a.wantText("#current-user", adele)
	a.shot("inbox-adele")

	// Browser B: Alex picks his account from the list.
	b.open(base + "/")
	b.clickTo("#signin", 200)
	b.click(`input[name="account"][value="` + alex + `"]`)
	b.clickTo("#accept", 200)
	b.wantText("#current-user", alex)
	aliceOnly(t, a.text("#messages"), adele)
	aliceOnly(t, b.text("#messages"), alex)
	a.reload()
	aliceOnly(t, a.text("#messages"), adele)

	// The session cookie, as the browser stored it.
	c := a.sessionCookie(base)
	if !c.HTTPOnly || c.SameSite != network.CookieSameSiteLax || c.Secure || !c.Session {
		t.Errorf("session cookie: HttpOnly %v, SameSite %q, Secure %v, session %v; want HttpOnly, Lax, not Secure over HTTP, a session cookie",
			c.HTTPOnly, c.SameSite, c.Secure, c.Session)
	}
	if js := a.eval(`document.cookie`); js != "" {
		t.Errorf("scripts can read cookies %q; the session cookie must be HttpOnly", js)
	}
	if cb := b.sessionCookie(base); cb.Value == c.Value {
		t.Error("the two browsers share a session")
	}

	// Browser A adds Megan, then switches back to Adele.
	a.clickTo("#add-account", 200)
	a.click(`input[name="account"][value="` + megan + `"]`)
	a.clickTo("#accept", 200)
	a.wantText("#current-user", megan)
	aliceOnly(t, a.text("#messages"), megan)
	a.shot("inbox-megan-switcher")
	a.choose("#switch-user", adele)
	a.clickTo("#switch", 200)
	a.wantText("#current-user", adele)
	aliceOnly(t, a.text("#messages"), adele)
	a.clickTo("#nav-events", 200)
	a.wantText("#events", "Store walkthrough")
	if ev := a.text("#events"); strings.Contains(ev, "Trade fair") || strings.Contains(ev, "Marketing sync") {
		t.Errorf("Adele's events show others':\n%s", ev)
	}
	a.shot("events-adele")

	// Browser A signs Megan out: her token leaves the one account.
	a.choose("#switch-user", megan)
	a.clickTo("#switch", 200)
	a.wantText("#current-user", megan)
	a.clickTo("#signout", 200)
	a.wantLocation(base + "/inbox")
	a.wantText("#current-user", adele)
	if got := a.text("header"); strings.Contains(got, megan) {
		t.Errorf("Megan is still offered after her sign-out: %s", got)
	}
	if u, _ := account.Usernames(); !slices.Equal(u, []string{adele, alex}) {
		t.Errorf("after Megan's sign-out the token backend holds %v", u)
	}

	// Browser B: a state changed on the way is refused.
	b.open(base + "/signin")
	tampered := withParam(t, b.location(), "state", "forged-state")
	b.open(tampered)
	b.click(`input[name="account"][value="` + alex + `"]`)
	b.clickTo("#accept", 400)
	b.wantText("h1", "Sign-in refused")
	b.wantText("#error-message", "state was changed")
	b.shot("tampered-state")

	// Browser B: the callback of its sign-in, replayed, is refused...
	first := b.callback(0)
	if st := b.open(first); st != 400 {
		t.Errorf("replayed callback answered %d, want 400", st)
	}
	b.wantText("#error-message", "already used")
	// ...and so is its code under a fresh state: the identity platform
	// redeems a code once.
	b.open(base + "/signin")
	fresh := mustQuery(t, b.location()).Get("state")
	code := mustQuery(t, first).Get("code")
	if st := b.open(base + app.CallbackPath + "?" + url.Values{"code": {code}, "state": {fresh}}.Encode()); st != 400 {
		t.Errorf("replayed code answered %d, want 400", st)
	}
	b.wantText("h1", "Sign-in refused")
	b.wantText("#error-detail", "AADSTS54005")
	b.shot("replayed-code")

	// Alex is still signed in, with his own mail.
	b.open(base + "/inbox")
	b.wantText("#current-user", alex)
	aliceOnly(t, b.text("#messages"), alex)

	// Served over TLS, the same app gives a Secure cookie, which the
	// browser keeps and sends back through the sign-in.
	tlsServer := httptest.NewUnstartedServer(nil)
	tlsBase := "https://localhost:" + portOf(t, tlsServer.Listener.Addr().String())
	tlsWeb, err := app.New(account, app.Config{BaseURL: tlsBase})
	if err != nil {
		t.Fatal(err)
	}
	tlsServer.Config.Handler = tlsWeb
	tlsServer.StartTLS()
	t.Cleanup(tlsServer.Close)
	srv.AddApp(graphtest.App{ClientID: credentials.ClientID, ClientSecret: credentials.ClientSecret,
		RedirectURIs: []string{web.RedirectURI(), tlsWeb.RedirectURI()}})
	c3 := newTab(t, browser, "browser-c", shots)
	c3.open(tlsBase + "/")
	c3.clickTo("#signin", 200)
	c3.click(`input[name="account"][value="` + megan + `"]`)
	c3.clickTo("#accept", 200)
	c3.wantLocation(tlsBase + "/inbox")
	c3.wantText("#current-user", megan)
	if c := c3.sessionCookie(tlsBase); !c.Secure || !c.HTTPOnly || c.SameSite != network.CookieSameSiteLax {
		t.Errorf("session cookie over TLS: Secure %v, HttpOnly %v, SameSite %q; want Secure, HttpOnly, Lax", c.Secure, c.HTTPOnly, c.SameSite)
	}
	t.Logf("browser test took %s", time.Since(began).Round(time.Millisecond))
}

// aliceOnly checks that inbox, the text of an inbox page, lists user's
// seeded messages and nobody else's.
func aliceOnly(t *testing.T, inbox, user string) {
	t.Helper()
	for owner, s := range seeded {
		for _, subject := range s.inbox {
			if got := strings.Contains(inbox, subject); got != (owner == user) {
				t.Errorf("%s's inbox page shows %q: %v (it is %s's)", user, subject, got, owner)
			}
		}
	}
}

func portOf(t *testing.T, addr string) string {
	t.Helper()
	i := strings.LastIndex(addr, ":")
	if i < 0 {
		t.Fatalf("no port in %q", addr)
	}
	return addr[i+1:]
}

func withParam(t *testing.T, rawURL, key, value string) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

// startChromium starts headless Chromium with a fresh profile and returns
// the context of its first tab, which the other tabs derive from.
func startChromium(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		// httptest's TLS certificate is its own; the browser is told to
		// accept it rather than given a CA to trust.
		chromedp.Flag("ignore-certificate-errors", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	if _, err := os.Stat(chromium); err == nil {
		opts = append(opts, chromedp.ExecPath(chromium))
	}
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	if err := chromedp.Do(bctx); err != nil { // starts the browser
		t.Fatalf("starting Chromium (apt-get install chromium): %v", err)
	}
	return bctx
}

// screenshots writes PNGs of the tabs: on failure always, and at the
// main steps when O365_SCREENSHOT_DIR is set.
type screenshots struct {
	t      *testing.T
	dir    string
	always bool
}

func newScreenshots(t *testing.T) *screenshots {
	dir := os.Getenv("O365_SCREENSHOT_DIR")
	return &screenshots{t: t, dir: dir, always: dir != ""}
}

func (s *screenshots) write(ctx context.Context, name string) {
	if s.dir == "" {
		dir, err := os.MkdirTemp("", "webapp-screenshots-")
		if err != nil {
			s.t.Logf("no screenshot directory: %v", err)
			return
		}
		s.dir = dir
	}
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		s.t.Logf("screenshot directory: %v", err)
		return
	}
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.FullScreenshot(100))
	if err != nil {
		s.t.Logf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(s.dir, s.t.Name()+"-"+name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		s.t.Logf("screenshot %s: %v", name, err)
		return
	}
	s.t.Logf("screenshot: %s", path)
}

// tab is one browser: a tab in a browser context of its own.
type tab struct {
	t     *testing.T
	name  string
	ctx   context.Context
	shots *screenshots

	mu        sync.Mutex
	callbacks []string // the app's callback URLs the tab requested
}

func newTab(t *testing.T, browser context.Context, name string, shots *screenshots) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	tb := &tab{t: t, name: name, ctx: ctx, shots: shots}
	// Registered after cancel, so it runs before: the tab is still open.
	t.Cleanup(func() {
		if t.Failed() {
			shots.write(ctx, name+"-failure")
		}
	})
	err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && e.Type == network.ResourceTypeDocument &&
			strings.Contains(e.Request.URL, app.CallbackPath+"?") {
			tb.mu.Lock()
			tb.callbacks = append(tb.callbacks, e.Request.URL)
			tb.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return tb
}

func (b *tab) fatal(what string, err error) {
	b.t.Helper()
	b.t.Fatalf("%s: %s: %v", b.name, what, err)
}

func (b *tab) shot(name string) {
	if b.shots.always {
		b.shots.write(b.ctx, b.name+"-"+name)
	}
}

// open navigates to u and returns the HTTP status of the page.
func (b *tab) open(u string) int64 {
	b.t.Helper()
	resp, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(u))
	if err != nil {
		b.fatal("opening "+u, err)
	}
	return resp.Status
}

func (b *tab) reload() {
	b.t.Helper()
	b.open(b.location())
}

// clickTo clicks what sel finds, waits for the page it leads to, and
// checks that page's status.
func (b *tab) clickTo(sel string, status int64) {
	b.t.Helper()
	resp, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		b.fatal("clicking "+sel, err)
	}
	if resp.Status != status {
		b.t.Fatalf("%s: clicking %s led to %s with status %d, want %d", b.name, sel, resp.URL, resp.Status, status)
	}
}

func (b *tab) click(sel string) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		b.fatal("clicking "+sel, err)
	}
}

func (b *tab) typeInto(sel, text string) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.SendKeys(chromedp.CSS(sel), text)); err != nil {
		b.fatal("typing into "+sel, err)
	}
}

func (b *tab) choose(sel, value string) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.SetValue(chromedp.CSS(sel), value)); err != nil {
		b.fatal("choosing "+value, err)
	}
}

func (b *tab) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.fatal("reading "+sel, err)
	}
	return s
}

func (b *tab) wantText(sel, want string) {
	b.t.Helper()
	if got := b.text(sel); !strings.Contains(got, want) {
		b.t.Fatalf("%s: %s says %q, want %q (page %s)", b.name, sel, got, want, b.location())
	}
}

func (b *tab) location() string {
	b.t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.fatal("reading the location", err)
	}
	return loc
}

func (b *tab) wantLocation(want string) {
	b.t.Helper()
	if got := b.location(); got != want {
		b.t.Fatalf("%s: at %s, want %s", b.name, got, want)
	}
}

func (b *tab) eval(js string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.fatal("evaluating "+js, err)
	}
	return s
}

// callback returns the i-th callback URL the tab went through.
func (b *tab) callback(i int) string {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if i >= len(b.callbacks) {
		b.t.Fatalf("%s: went through %d callbacks, want more than %d", b.name, len(b.callbacks), i)
	}
	return b.callbacks[i]
}

// sessionCookie returns the session cookie the tab's browser context holds
// for base.
func (b *tab) sessionCookie(base string) *network.Cookie {
	b.t.Helper()
	res, err := chromedp.Call(b.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{base + "/"}})
	if err != nil {
		b.fatal("reading cookies", err)
	}
	for _, c := range res.Cookies {
		if c.Name == app.CookieName {
			return c
		}
	}
	b.t.Fatalf("%s: no %s cookie for %s", b.name, app.CookieName, base)
	return nil
}
