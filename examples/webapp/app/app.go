// Package app is the example's web app: Microsoft sign-in through the
// authorization-code flow with PKCE, server-side sessions, and pages with
// the signed-in user's inbox and next events.
//
// One o365.Account serves every user: its token backend holds a token per
// signed-in user, and each request works through account.As(username) for
// its session's current user. The browser holds only a random session id,
// in an HttpOnly, SameSite=Lax cookie (Secure over TLS). A session may
// hold several users (a browser that signed in twice) and switch between
// them. Sign-out deletes that user's token from the backend.
//
// The sign-in is CSRF-safe: the OAuth state and the PKCE verifier never
// leave the server; each pending sign-in is bound to the session that
// started it, used once, and expires after SignInTimeout. The forms that
// change a session (switch, sign out) carry a per-session token.
package app

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/calendar"
	"github.com/go-o365/o365/message"
	"github.com/go-o365/o365/query"
)

const (
	// CookieName names the session cookie.
	CookieName = "o365_session"
	// CallbackPath is where the identity platform sends the browser back;
	// register BaseURL+CallbackPath as the app's redirect URI.
	CallbackPath = "/auth/callback"
	// SignInTimeout is how long a started sign-in may take: after it the
	// state is forgotten, as the identity platform forgets its code.
	SignInTimeout = 10 * time.Minute
	// SessionTimeout ends a session unused for that long.
	SessionTimeout = 8 * time.Hour
	// maxPending caps the sign-ins one session may have started and not
	// finished, and maxPendingTotal those of all sessions, so a script
	// cannot fill the server's memory.
	maxPending      = 5
	maxPendingTotal = 10000
)

// Config is what the app needs besides the account.
type Config struct {
	// BaseURL is the address the app is served at, such as
	// "http://localhost:8080"; the redirect URI is BaseURL+CallbackPath.
	BaseURL string
	// SecureCookies marks the session cookie Secure even when requests
	// arrive over plain HTTP, for an app behind a proxy that ends TLS.
	// Requests served over TLS get a Secure cookie anyway.
	SecureCookies bool
	// Prompt is the prompt parameter of sign-in requests. The default,
	// "select_account", makes the identity platform ask which account to
	// use, so one browser can add a second user.
	Prompt string
	// Location is the zone event times are shown in (time.Local if nil).
	Location *time.Location
	// Now is the clock, replaced by tests of expiry (time.Now if nil).
	Now func() time.Time
	// Logger receives errors the pages only summarise (slog.Default if nil).
	Logger *slog.Logger
}

// App is the web app, an http.Handler.
type App struct {
	account     *o365.Account
	cfg         Config
	redirectURI string
	mux         *http.ServeMux
	templates   *template.Template

	mu       sync.Mutex
	sessions map[string]*session       // by session id, the cookie's value
	pending  map[string]*pendingSignIn // by OAuth state
	swept    time.Time                 // last removal of expired entries
}

// session is one browser's state on the server.
type session struct {
	id       string
	csrf     string   // the token the session's forms carry
	users    []string // signed in, in the order they signed in
	current  string   // the one the pages show; "" when none
	started  []string // states of its latest sign-ins, oldest first
	lastSeen time.Time
}

// pendingSignIn is a sign-in started and not finished yet.
type pendingSignIn struct {
	auth    *o365.AuthState // state, PKCE verifier, redirect URI
	session string
	expires time.Time
}

// New returns the app for account, whose token backend holds every
// signed-in user.
func New(account *o365.Account, cfg Config) (*App, error) {
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return nil, fmt.Errorf("app: BaseURL %q must be an absolute http(s) URL with no path", cfg.BaseURL)
	}
	cfg.BaseURL = u.Scheme + "://" + u.Host
	if cfg.Prompt == "" {
		cfg.Prompt = "select_account"
	}
	if cfg.Location == nil {
		cfg.Location = time.Local
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	a := &App{
		account:     account,
		cfg:         cfg,
		redirectURI: cfg.BaseURL + CallbackPath,
		sessions:    map[string]*session{},
		pending:     map[string]*pendingSignIn{},
	}
	a.templates = template.Must(templates.Clone()).Funcs(template.FuncMap{
		"when": func(t time.Time) string { return t.In(cfg.Location).Format("Mon Jan 2 15:04") },
	})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", a.home)
	mux.HandleFunc("GET /signin", a.signIn)
	mux.HandleFunc("GET "+CallbackPath, a.callback)
	mux.HandleFunc("GET /inbox", a.inbox)
	mux.HandleFunc("GET /events", a.events)
	mux.HandleFunc("POST /switch", a.switchUser)
	mux.HandleFunc("POST /signout", a.signOut)
	a.mux = mux
	return a, nil
}

// RedirectURI is the URI to register for the app at the identity platform.
func (a *App) RedirectURI() string { return a.redirectURI }

// ServeHTTP serves the app's pages.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	// Pages show mail: never cache them, frame them or leak their URLs.
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	a.mux.ServeHTTP(w, r)
}

// view is a copy of a session for one request, taken under the lock.
type view struct {
	id, csrf, current string
	users             []string
}

// sessionLocked returns the browser's live session, or nil.
func (a *App) sessionLocked(r *http.Request) *session {
	c, err := r.Cookie(CookieName)
	if err != nil {
		return nil
	}
	s := a.sessions[c.Value]
	now := a.cfg.Now()
	if s == nil || now.Sub(s.lastSeen) > SessionTimeout {
		return nil
	}
	s.lastSeen = now
	return s
}

// current returns a copy of the browser's session (ok false when none).
func (a *App) current(r *http.Request) (view, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.sessionLocked(r)
	if s == nil {
		return view{}, false
	}
	return view{id: s.id, csrf: s.csrf, current: s.current, users: slices.Clone(s.users)}, true
}

// setCookie gives the browser its session id.
func (a *App) setCookie(w http.ResponseWriter, r *http.Request, id string) {
	http.SetCookie(w, &http.Cookie{
		Name:     CookieName,
		Value:    id,
		Path:     "/",
		HttpOnly: true,                 // out of reach of scripts
		SameSite: http.SameSiteLaxMode, // sent on the identity platform's redirect back, not on cross-site posts
		Secure:   r.TLS != nil || a.cfg.SecureCookies,
	})
}

// sweepLocked forgets expired sessions and sign-ins, at most once a
// minute. A session nobody signed in to lasts only as long as a sign-in.
func (a *App) sweepLocked(now time.Time) {
	if now.Sub(a.swept) < time.Minute {
		return
	}
	a.swept = now
	for id, s := range a.sessions {
		idle := now.Sub(s.lastSeen)
		if idle > SessionTimeout || len(s.users) == 0 && idle > SignInTimeout {
			delete(a.sessions, id)
		}
	}
	for st, p := range a.pending {
		if now.After(p.expires) {
			delete(a.pending, st)
		}
	}
}

// home shows the sign-in button, or sends a signed-in browser to its inbox.
func (a *App) home(w http.ResponseWriter, r *http.Request) {
	if v, ok := a.current(r); ok && v.current != "" {
		http.Redirect(w, r, "/inbox", http.StatusSeeOther)
		return
	}
	a.render(w, http.StatusOK, "home", page{Title: "Sign in"})
}

// signIn starts a sign-in: it keeps the state and PKCE verifier on the
// server, bound to the browser's session, and sends the browser to the
// identity platform.
func (a *App) signIn(w http.ResponseWriter, r *http.Request) {
	authURL, st, err := a.account.AuthorizationURL(r.Context(), a.redirectURI)
	if err != nil {
		a.fail(w, http.StatusInternalServerError, "Sign-in could not start", "The app could not build the sign-in request.", err)
		return
	}
	if u, err := url.Parse(authURL); err == nil && a.cfg.Prompt != "none" {
		q := u.Query()
		q.Set("prompt", a.cfg.Prompt)
		u.RawQuery = q.Encode()
		authURL = u.String()
	}
	now := a.cfg.Now()
	a.mu.Lock()
	a.sweepLocked(now)
	if len(a.pending) >= maxPendingTotal {
		a.mu.Unlock()
		a.fail(w, http.StatusServiceUnavailable, "Too many sign-ins", "Too many sign-ins are in progress. Try again in a few minutes.", nil)
		return
	}
	s := a.sessionLocked(r)
	if s == nil {
		s = &session{id: randomID(), csrf: randomID(), lastSeen: now}
		a.sessions[s.id] = s
	}
	// Keep the session's latest sign-ins (several tabs may sign in at
	// once); the oldest beyond maxPending is dropped.
	s.started = slices.DeleteFunc(s.started, func(st string) bool { return a.pending[st] == nil })
	if len(s.started) >= maxPending {
		delete(a.pending, s.started[0])
		s.started = s.started[1:]
	}
	s.started = append(s.started, st.State)
	a.pending[st.State] = &pendingSignIn{auth: st, session: s.id, expires: now.Add(SignInTimeout)}
	id := s.id
	a.mu.Unlock()
	a.setCookie(w, r, id)
	http.Redirect(w, r, authURL, http.StatusFound)
}

// callback finishes a sign-in. The state must be one this server handed
// out to this browser's session, less than SignInTimeout ago, and not used
// before; the code is then exchanged with the kept PKCE verifier.
func (a *App) callback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	state := q.Get("state")
	a.mu.Lock()
	p := a.pending[state]
	delete(a.pending, state) // single use, whatever happens next
	s := a.sessionLocked(r)
	sid := ""
	if s != nil {
		sid = s.id
	}
	a.mu.Unlock()
	switch {
	case state == "" || p == nil:
		a.fail(w, http.StatusBadRequest, "Sign-in refused",
			"This sign-in answer is not one the app is waiting for: it was already used, or its state was changed on the way.", nil)
		return
	case a.cfg.Now().After(p.expires):
		a.fail(w, http.StatusBadRequest, "Sign-in expired",
			fmt.Sprintf("This sign-in was started more than %d minutes ago.", int(SignInTimeout/time.Minute)), nil)
		return
	case s == nil || sid != p.session:
		a.fail(w, http.StatusBadRequest, "Sign-in refused",
			"This sign-in was started in another browser, or the browser's session ended meanwhile.", nil)
		return
	}
	if e := q.Get("error"); e != "" {
		a.fail(w, http.StatusBadRequest, "Sign-in cancelled",
			"The identity platform did not sign you in ("+e+"): "+q.Get("error_description"), nil)
		return
	}
	user, err := a.account.Connection().RequestToken(r.Context(), a.cfg.BaseURL+r.URL.RequestURI(), p.auth)
	if err != nil {
		a.fail(w, http.StatusBadRequest, "Sign-in refused", "The identity platform refused the sign-in.", err)
		return
	}
	a.mu.Lock()
	if a.sessions[s.id] != s {
		a.mu.Unlock()
		a.fail(w, http.StatusBadRequest, "Sign-in refused", "The browser's session ended during the sign-in.", nil)
		return
	}
	if !slices.Contains(s.users, user) {
		s.users = append(s.users, user)
	}
	s.current = user
	// A new id for the signed-in session, so an id planted in the browser
	// before the sign-in (session fixation) is worth nothing.
	old := s.id
	delete(a.sessions, old)
	s.id = randomID()
	a.sessions[s.id] = s
	for _, p := range a.pending {
		if p.session == old {
			p.session = s.id
		}
	}
	id := s.id
	a.mu.Unlock()
	a.setCookie(w, r, id)
	http.Redirect(w, r, "/inbox", http.StatusSeeOther)
}

// signedIn returns the session and the account bound to its current user,
// or answers with a redirect to the start page and returns ok false. A
// user whose token is gone (signed out in another browser) leaves the
// session.
func (a *App) signedIn(w http.ResponseWriter, r *http.Request) (view, *o365.Account, bool) {
	v, ok := a.current(r)
	for ok && v.current != "" {
		acct, err := a.account.As(v.current)
		if err == nil {
			return v, acct, true
		}
		if !errors.Is(err, o365.ErrUnknownUser) {
			a.fail(w, http.StatusInternalServerError, "Token store unavailable", "The app could not read your sign-in.", err)
			return v, nil, false
		}
		a.drop(v.id, v.current)
		v, ok = a.current(r)
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return v, nil, false
}

// drop removes user from the session with id; the next user signed in to
// it, if any, becomes current.
func (a *App) drop(id, user string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.sessions[id]
	if s == nil {
		return
	}
	s.users = slices.DeleteFunc(s.users, func(u string) bool { return u == user })
	if s.current == user {
		s.current = ""
		if len(s.users) > 0 {
			s.current = s.users[len(s.users)-1]
		}
	}
}

// inbox lists the current user's newest messages.
func (a *App) inbox(w http.ResponseWriter, r *http.Request) {
	v, acct, ok := a.signedIn(w, r)
	if !ok {
		return
	}
	q := query.New().Select("subject", "from", "receivedDateTime", "isRead", "bodyPreview").
		OrderBy("receivedDateTime", query.Desc)
	var msgs []*message.Message
	for m, err := range acct.Mailbox().Inbox().Messages(r.Context(), o365.Query(q), o365.Limit(25)) {
		if err != nil {
			a.graphFailed(w, err)
			return
		}
		msgs = append(msgs, m)
	}
	a.render(w, http.StatusOK, "inbox", a.pageFor(v, "Inbox", msgs))
}

// events lists the current user's events of the next two weeks.
func (a *App) events(w http.ResponseWriter, r *http.Request) {
	v, acct, ok := a.signedIn(w, r)
	if !ok {
		return
	}
	sched := acct.Schedule()
	sched.Location = a.cfg.Location
	now := a.cfg.Now()
	var evs []*calendar.Event
	for e, err := range sched.CalendarView(r.Context(), now, now.AddDate(0, 0, 14), o365.Limit(50)) {
		if err != nil {
			a.graphFailed(w, err)
			return
		}
		evs = append(evs, e)
	}
	slices.SortFunc(evs, func(x, y *calendar.Event) int {
		return cmp.Or(x.Start.Compare(y.Start), cmp.Compare(x.Subject, y.Subject))
	})
	a.render(w, http.StatusOK, "events", a.pageFor(v, "Next events", evs))
}

// checkForm reads a posted form of the session and checks its token.
func (a *App) checkForm(w http.ResponseWriter, r *http.Request) (view, bool) {
	v, ok := a.current(r)
	if !ok {
		a.fail(w, http.StatusBadRequest, "No session", "This browser is not signed in.", nil)
		return v, false
	}
	if err := r.ParseForm(); err != nil {
		a.fail(w, http.StatusBadRequest, "Bad form", "The form could not be read.", err)
		return v, false
	}
	if subtle.ConstantTimeCompare([]byte(r.PostForm.Get("csrf")), []byte(v.csrf)) != 1 {
		a.fail(w, http.StatusBadRequest, "Form refused", "The form did not come from this app's pages (its token is missing or wrong).", nil)
		return v, false
	}
	return v, true
}

// switchUser makes another user signed in to this browser current.
func (a *App) switchUser(w http.ResponseWriter, r *http.Request) {
	v, ok := a.checkForm(w, r)
	if !ok {
		return
	}
	user := r.PostForm.Get("user")
	a.mu.Lock()
	s := a.sessions[v.id]
	found := s != nil && slices.Contains(s.users, user)
	if found {
		s.current = user
	}
	a.mu.Unlock()
	if !found {
		a.fail(w, http.StatusBadRequest, "Unknown account", "That account is not signed in to this browser.", nil)
		return
	}
	back := r.PostForm.Get("back")
	if back != "/events" {
		back = "/inbox"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// signOut signs a user (the current one unless the form names another
// of the session) out: their token leaves the backend, so no session,
// in any browser, can use it any more.
func (a *App) signOut(w http.ResponseWriter, r *http.Request) {
	v, ok := a.checkForm(w, r)
	if !ok {
		return
	}
	user := cmp.Or(r.PostForm.Get("user"), v.current)
	if !slices.Contains(v.users, user) {
		a.fail(w, http.StatusBadRequest, "Unknown account", "That account is not signed in to this browser.", nil)
		return
	}
	if err := a.account.Connection().Backend().Delete(r.Context(), user); err != nil {
		a.fail(w, http.StatusInternalServerError, "Sign-out failed", "The app could not delete your token.", err)
		return
	}
	a.drop(v.id, user)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// graphFailed answers a failed Graph call.
func (a *App) graphFailed(w http.ResponseWriter, err error) {
	if errors.Is(err, context.Canceled) {
		return // the browser went away
	}
	a.fail(w, http.StatusBadGateway, "Microsoft Graph failed", "Microsoft Graph did not answer as expected. Try again, or sign out and in again.", err)
}

// fail renders a readable error page. err, when not nil, is logged; the
// page shows it only for refusals of the browser's request (4xx), such as
// the identity platform's reason, not for the server's own failures.
func (a *App) fail(w http.ResponseWriter, status int, title, msg string, err error) {
	p := page{Title: title, Message: msg}
	if err != nil {
		a.cfg.Logger.Warn("webapp: "+title, "err", err)
		if status < 500 {
			p.Detail = err.Error()
		}
	}
	a.render(w, status, "error", p)
}

// page fills the templates.
type page struct {
	Title   string
	Message string
	Detail  string
	CSRF    string
	User    string
	Users   []string
	Path    string
	Items   any
}

func (a *App) pageFor(v view, title string, items any) page {
	path := "/inbox"
	if title == "Next events" {
		path = "/events"
	}
	return page{Title: title, CSRF: v.csrf, User: v.current, Users: v.users, Path: path, Items: items}
}

func (a *App) render(w http.ResponseWriter, status int, name string, p page) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := a.templates.ExecuteTemplate(w, name, p); err != nil {
		a.cfg.Logger.Warn("webapp: rendering", "page", name, "err", err)
	}
}

// randomID is an unguessable identifier: 256 random bits.
func randomID() string { return rand.Text() + rand.Text() }

var templates = template.Must(template.New("").Funcs(template.FuncMap{
	"when": func(t time.Time) string { return t.Format("Mon Jan 2 15:04") }, // replaced per App
}).Parse(`
{{define "top"}}<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}} · o365 web app</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#fafafa;color:#222}
header{background:#0f6cbd;color:#fff;padding:10px 24px;display:flex;gap:16px;align-items:center;flex-wrap:wrap}
header a{color:#fff}
header form{display:inline;margin:0}
main{max-width:820px;margin:24px auto;padding:0 24px}
table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:6px 8px;border-bottom:1px solid #ddd}
.unread td{font-weight:600}
.button{display:inline-block;background:#0f6cbd;color:#fff;padding:10px 18px;text-decoration:none;border-radius:4px}
.error{border-left:4px solid #c50f1f;padding:8px 16px;background:#fff}
small{color:#666}
</style></head><body>
<header><strong>o365 web app</strong>
{{if .User}}<nav><a id="nav-inbox" href="/inbox">Inbox</a> · <a id="nav-events" href="/events">Next events</a></nav>
<span>Signed in as <strong id="current-user">{{.User}}</strong></span>
{{if gt (len .Users) 1}}<form method="post" action="/switch" id="switcher"><input type="hidden" name="csrf" value="{{.CSRF}}"><input type="hidden" name="back" value="{{.Path}}">
<select name="user" id="switch-user" aria-label="Switch account">{{range .Users}}<option value="{{.}}"{{if eq . $.User}} selected{{end}}>{{.}}</option>{{end}}</select>
<button type="submit" id="switch">Switch</button></form>{{end}}
<a id="add-account" href="/signin">Add another account</a>
<form method="post" action="/signout"><input type="hidden" name="csrf" value="{{.CSRF}}"><input type="hidden" name="user" value="{{.User}}"><button type="submit" id="signout">Sign out</button></form>
{{end}}</header><main>{{end}}

{{define "bottom"}}</main></body></html>
{{end}}

{{define "home"}}{{template "top" .}}
<h1>Welcome</h1>
<p>Sign in with your Microsoft 365 account to see your inbox and your next events.</p>
<p><a class="button" id="signin" href="/signin">Sign in with Microsoft</a></p>
{{template "bottom" .}}{{end}}

{{define "inbox"}}{{template "top" .}}
<h1>Inbox</h1>
{{with .Items}}<table id="messages"><tr><th>From</th><th>Subject</th><th>Received</th></tr>
{{range .}}<tr class="message{{if not .IsRead}} unread{{end}}"><td>{{.From.EmailAddress.Name}} <small>{{.From.EmailAddress.Address}}</small></td><td class="subject">{{.Subject}}</td><td>{{when .Received}}</td></tr>
{{end}}</table>{{else}}<p id="empty">Your inbox is empty.</p>{{end}}
{{template "bottom" .}}{{end}}

{{define "events"}}{{template "top" .}}
<h1>Next events</h1>
{{with .Items}}<table id="events"><tr><th>When</th><th>Subject</th><th>Where</th></tr>
{{range .}}<tr class="event"><td>{{when .Start}} – {{when .End}}</td><td class="subject">{{.Subject}}</td><td>{{with .Location}}{{.DisplayName}}{{end}}</td></tr>
{{end}}</table>{{else}}<p id="empty">Nothing in the next two weeks.</p>{{end}}
{{template "bottom" .}}{{end}}

{{define "error"}}{{template "top" .}}
<div class="error" id="error"><h1>{{.Title}}</h1><p id="error-message">{{.Message}}</p>{{with .Detail}}<p><small id="error-detail">{{.}}</small></p>{{end}}</div>
<p><a href="/">Back to the start page</a></p>
{{template "bottom" .}}{{end}}
`))
