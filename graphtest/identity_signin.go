package graphtest

import (
	"crypto/subtle"
	"html/template"
	"net/http"
	"strings"
)

// WithSignInPage makes the authorization endpoint behave like the real
// sign-in page for a browser: GET answers an HTML page where the user
// picks one of the directory's accounts, or types a username and password,
// and accepts (or cancels) the permissions the app asks for. The page
// posts back to the endpoint, which then redirects to the app with the
// code and state (or with error=access_denied). Without the option the
// page is still shown to requests with prompt=login, prompt=select_account
// or prompt=consent, as Entra ID does; other requests are consented at
// once as the login_hint or signed-in user (see Server.SignIn).
//
// Server.Consent and Server.Console fill the page in as the login_hint or
// signed-in user, so the console flows work either way.
func WithSignInPage() Option { return func(s *Server) { s.signInPage = true } }

// interactivePrompt reports whether the prompt parameter of an
// authorization request asks for the user's interaction.
func interactivePrompt(prompt string) bool {
	switch prompt {
	case "login", "select_account", "consent":
		return true
	}
	return false
}

// The form fields the sign-in page posts. The authorization request's own
// parameters stay in the form's action URL, so they cannot collide.
const (
	signInAccount  = "account" // a user principal name picked from the list
	signInLogin    = "login"   // a typed username
	signInPassword = "passwd"
	signInConsent  = "consent" // "accept" or "cancel"
)

// signInPageData fills signInTemplate.
type signInPageData struct {
	Action   string
	AppID    string
	Scopes   []string
	Accounts []signInAccountRow
	Login    string
	Error    string
}

type signInAccountRow struct {
	UPN, Name string
	Checked   bool
}

var signInTemplate = template.Must(template.New("signin").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to your account</title>
<style>
body{font-family:Segoe UI,Helvetica,Arial,sans-serif;background:#f2f2f2;margin:0}
main{background:#fff;max-width:440px;margin:48px auto;padding:32px 44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:1.5rem;font-weight:600}
fieldset{border:none;padding:0;margin:0 0 16px}
legend{font-weight:600;margin-bottom:8px}
label.account{display:block;padding:8px;border-bottom:1px solid #eee;cursor:pointer}
input[type=text],input[type=password]{display:block;width:100%;box-sizing:border-box;padding:6px;margin:4px 0 10px}
#error{color:#a80000}
button{padding:6px 20px;margin-right:8px}
#accept{background:#0067b8;color:#fff;border:none}
</style></head>
<body><main>
<h1>Sign in</h1>
<p>The application <strong id="app">{{.AppID}}</strong> asks for these permissions:</p>
<ul id="scopes">{{range .Scopes}}<li>{{.}}</li>{{end}}</ul>
{{if .Error}}<p id="error" role="alert">{{.Error}}</p>{{end}}
<form id="signin" method="post" action="{{.Action}}">
<fieldset><legend>Pick an account</legend>
{{range $i, $a := .Accounts}}<label class="account"><input type="radio" name="account" id="account-{{$i}}" value="{{$a.UPN}}"{{if $a.Checked}} checked{{end}}> {{$a.Name}} <small>{{$a.UPN}}</small></label>
{{end}}</fieldset>
<fieldset><legend>Or use another account</legend>
<label for="login">Email, phone, or Skype</label><input type="text" id="login" name="login" value="{{.Login}}" autocomplete="username">
<label for="passwd">Password</label><input type="password" id="passwd" name="passwd" autocomplete="current-password">
</fieldset>
<button type="submit" id="accept" name="consent" value="accept">Accept</button>
<button type="submit" id="cancel" name="consent" value="cancel">Cancel</button>
</form>
</main></body></html>
`))

// signInPageLocked answers the sign-in page of req, with the account
// named by hint (a login_hint, or what was typed) selected, and errMsg
// shown when not empty.
func (s *Server) signInPageLocked(w http.ResponseWriter, r *http.Request, req *authRequest, hint, errMsg string) {
	selected := s.userLocked(hint)
	if selected == nil {
		selected = s.userLocked(s.signedIn)
	}
	data := signInPageData{
		Action: r.URL.Path + "?" + r.URL.RawQuery,
		AppID:  req.app.ClientID,
		Scopes: req.scopes,
		Error:  errMsg,
	}
	if errMsg != "" {
		data.Login = hint
	}
	for _, u := range s.users {
		name := u.DisplayName
		if name == "" {
			name = u.UserPrincipalName
		}
		data.Accounts = append(data.Accounts, signInAccountRow{UPN: u.UserPrincipalName, Name: name, Checked: u == selected})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	// Like Entra ID's, the page must not be framed (clickjacking of consent).
	w.Header().Set("X-Frame-Options", "DENY")
	_ = signInTemplate.Execute(w, data) // a failed write means the browser left
}

// authorizeSubmit receives the sign-in page: the authorization request's
// parameters are in the URL, the user's answer in the form. Cancel sends
// error=access_denied back to the app; a typed username needs the user's
// password; a picked account is taken as already signed in to the browser.
func (s *Server) authorizeSubmit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if err := r.ParseForm(); err != nil {
		errorPage(w, "AADSTS900144: The sign-in form could not be read: "+err.Error())
		return
	}
	f := r.PostForm
	s.mu.Lock()
	defer s.mu.Unlock()
	req, ok := s.authRequestLocked(w, r, q)
	if !ok {
		return
	}
	switch f.Get(signInConsent) {
	case "accept":
	case "cancel":
		req.fail(w, r, "access_denied", "AADSTS65004: User declined to consent to access the app.")
		return
	default:
		s.signInPageLocked(w, r, req, "", "Choose Accept or Cancel.")
		return
	}
	if login := strings.TrimSpace(f.Get(signInLogin)); login != "" {
		u := s.userLocked(login)
		if u == nil || u.Password == "" || subtle.ConstantTimeCompare([]byte(f.Get(signInPassword)), []byte(u.Password)) != 1 {
			s.signInPageLocked(w, r, req, login, "Your account or password is incorrect.")
			return
		}
		s.issueCodeLocked(w, r, req, u)
		return
	}
	u := s.userLocked(f.Get(signInAccount))
	if u == nil {
		s.signInPageLocked(w, r, req, "", "Pick an account, or enter a username and password.")
		return
	}
	s.issueCodeLocked(w, r, req, u)
}
