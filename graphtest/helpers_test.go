package graphtest_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/go-o365/o365/graphtest"
	"golang.org/x/oauth2"
)

const (
	webClientID = "6731de76-14a6-49ae-97bc-6eba6914391e"
	webSecret   = "web-secret"
	webRedirect = "https://app.example/callback"
	cliClientID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
	cliRedirect = "http://localhost/callback"
	daemonID    = "0e3a5b52-8a1c-4b52-9d6e-4b7f1a2c3d4e"
	daemonKey   = "daemon-secret"
	alexUPN     = "AlexW@contoso.onmicrosoft.com"
	alexPass    = "alex-password"
)

type fixture struct {
	srv   *graphtest.Server
	adele graphtest.User // the user of Microsoft's user-get example
	alex  graphtest.User
}

// newFixture starts a server with a confidential web app, a public CLI app,
// a daemon app, and two users, Adele signed in.
func newFixture(t *testing.T, opts ...graphtest.Option) *fixture {
	t.Helper()
	srv := graphtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	srv.AddApp(graphtest.App{ClientID: webClientID, ClientSecret: webSecret, RedirectURIs: []string{webRedirect}})
	srv.AddApp(graphtest.App{ClientID: cliClientID, Public: true, RedirectURIs: []string{cliRedirect}})
	srv.AddApp(graphtest.App{ClientID: daemonID, ClientSecret: daemonKey})
	f := &fixture{srv: srv}
	f.adele = srv.AddUser(exampleUser(t))
	f.alex = srv.AddUser(graphtest.User{UserPrincipalName: alexUPN, DisplayName: "Alex Wilber", Password: alexPass})
	srv.SignIn(f.adele.UserPrincipalName)
	return f
}

// exampleUser is the user of Microsoft's user-get example, with its id.
func exampleUser(t *testing.T) graphtest.User {
	b := exampleBody(t, "users.json", "user-get#1")
	str := func(k string) string { v, _ := b[k].(string); return v }
	u := graphtest.User{
		ID:                str("id"),
		UserPrincipalName: str("userPrincipalName"),
		DisplayName:       str("displayName"),
		GivenName:         str("givenName"),
		Surname:           str("surname"),
		Mail:              str("mail"),
		JobTitle:          str("jobTitle"),
		MobilePhone:       str("mobilePhone"),
		OfficeLocation:    str("officeLocation"),
		PreferredLanguage: str("preferredLanguage"),
		Password:          "adele-password",
	}
	phones, _ := b["businessPhones"].([]any)
	for _, p := range phones {
		u.BusinessPhones = append(u.BusinessPhones, p.(string))
	}
	return u
}

// exampleBody returns the response body of example id in testdata/file.
func exampleBody(t *testing.T, file, id string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Examples []struct {
			ID           string         `json:"id"`
			ResponseBody map[string]any `json:"response_body"`
		} `json:"examples"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for _, e := range doc.Examples {
		if e.ID == id {
			return e.ResponseBody
		}
	}
	t.Fatalf("no example %s in %s", id, file)
	return nil
}

func (f *fixture) endpoint() oauth2.Endpoint {
	base := f.srv.LoginURL() + "/contoso.onmicrosoft.com/oauth2/v2.0/"
	return oauth2.Endpoint{
		AuthURL:       base + "authorize",
		TokenURL:      base + "token",
		DeviceAuthURL: base + "devicecode",
		AuthStyle:     oauth2.AuthStyleInParams,
	}
}

func (f *fixture) webConfig(scopes ...string) *oauth2.Config {
	return &oauth2.Config{ClientID: webClientID, ClientSecret: webSecret, Endpoint: f.endpoint(), RedirectURL: webRedirect, Scopes: scopes}
}

// authorize visits authURL as a browser would, and returns where the
// identity platform redirected it.
func (f *fixture) authorize(t *testing.T, authURL string) *url.URL {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("authorize: status %d, want 302: %s", resp.StatusCode, b)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// graphResponse is a Graph answer with its decoded JSON body.
type graphResponse struct {
	*http.Response
	body map[string]any
}

// errorCode and errorMessage read a Graph error body.
func (r graphResponse) errorCode() string    { return r.errorField("code") }
func (r graphResponse) errorMessage() string { return r.errorField("message") }
func (r graphResponse) errorField(k string) string {
	e, _ := r.body["error"].(map[string]any)
	s, _ := e[k].(string)
	return s
}

// get sends a Graph GET with token to path (relative to GraphURL, or an
// absolute URL such as a nextLink) and decodes the JSON answer.
func get(t *testing.T, srv *graphtest.Server, token, path string, header ...string) graphResponse {
	t.Helper()
	u := path
	if !strings.HasPrefix(path, "http") {
		u = srv.GraphURL() + path
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("GET %s: status %d, body is not JSON: %v", path, resp.StatusCode, err)
	}
	return graphResponse{resp, body}
}

// retrieveError asserts err is an OAuth error answer with the given
// status and error code, and returns its description.
func retrieveError(t *testing.T, err error, status int, code string) string {
	t.Helper()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		t.Fatalf("error %v is not an *oauth2.RetrieveError", err)
	}
	if re.Response.StatusCode != status || re.ErrorCode != code {
		t.Fatalf("got %d %q (%s), want %d %q", re.Response.StatusCode, re.ErrorCode, re.ErrorDescription, status, code)
	}
	return re.ErrorDescription
}

func postForm(t *testing.T, u string, form url.Values) (int, map[string]any) {
	t.Helper()
	resp, err := http.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}
