package graphtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock for the server's expiry checks.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newClockServer(t *testing.T, opts ...Option) (*Server, *fakeClock) {
	clock := &fakeClock{t: time.Now()}
	s := NewServer(opts...)
	t.Cleanup(s.Close)
	s.now = clock.now
	s.AddApp(App{ClientID: "app", Public: true, RedirectURIs: []string{"http://localhost/cb"}})
	s.AddUser(User{UserPrincipalName: "adele@contoso.com", Password: "pw"})
	s.SignIn("adele@contoso.com")
	return s, clock
}

func post(t *testing.T, u string, form url.Values) (int, map[string]any) {
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

func TestAuthorizationCodeExpires(t *testing.T) {
	s, clock := newClockServer(t)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Get(s.LoginURL() + "/common/oauth2/v2.0/authorize?" + url.Values{
		"client_id": {"app"}, "response_type": {"code"}, "redirect_uri": {"http://localhost/cb"}, "scope": {"User.Read"}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	clock.advance(authCodeLifetime + time.Second)
	status, body := post(t, s.LoginURL()+"/common/oauth2/v2.0/token", url.Values{"client_id": {"app"},
		"grant_type": {"authorization_code"}, "code": {loc.Query().Get("code")}, "redirect_uri": {"http://localhost/cb"}})
	if desc, _ := body["error_description"].(string); status != 400 || body["error"] != "invalid_grant" || !strings.HasPrefix(desc, "AADSTS70008:") {
		t.Errorf("expired code: %d %v", status, body)
	}
}

func TestDeviceCodeExpires(t *testing.T) {
	s, clock := newClockServer(t, WithManualDeviceApproval())
	base := s.LoginURL() + "/common/oauth2/v2.0/"
	_, da := post(t, base+"devicecode", url.Values{"client_id": {"app"}, "scope": {"User.Read"}})
	clock.advance(deviceCodeLifetime + time.Second)
	if err := s.ApproveDevice(da["user_code"].(string), "adele@contoso.com"); err != nil {
		t.Fatal(err)
	}
	status, body := post(t, base+"token", url.Values{"client_id": {"app"}, "grant_type": {GrantDeviceCode},
		"device_code": {da["device_code"].(string)}})
	if status != 400 || body["error"] != "expired_token" {
		t.Errorf("expired device code: %d %v", status, body)
	}
}

func TestAccessTokenExpires(t *testing.T) {
	s, clock := newClockServer(t)
	s.SetTokenLifetime(time.Minute)
	_, tok := post(t, s.LoginURL()+"/common/oauth2/v2.0/token", url.Values{"client_id": {"app"},
		"grant_type": {"password"}, "username": {"adele@contoso.com"}, "password": {"pw"}, "scope": {"User.Read"}})
	me := func() int {
		req, _ := http.NewRequest(http.MethodGet, s.GraphURL()+"/v1.0/me", nil)
		req.Header.Set("Authorization", "Bearer "+tok["access_token"].(string))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if st := me(); st != http.StatusOK {
		t.Fatalf("fresh token: %d", st)
	}
	clock.advance(time.Minute + time.Second)
	if st := me(); st != http.StatusUnauthorized {
		t.Errorf("token past its lifetime: %d", st)
	}
}

// TestCollectionSkip pages a collection that allows $skip (users refuse
// it): $skip moves the start, and the nextLink carries on from there.
func TestCollectionSkip(t *testing.T) {
	s := NewServer()
	t.Cleanup(s.Close)
	var items []map[string]any
	for i := range 5 {
		items = append(items, map[string]any{"id": strconv.Itoa(i)})
	}
	c := collection{entitySet: "things", pageSize: 10, maxTop: 10, errorCode: "BadRequest"}
	page := func(target string) (ids []string, next string) {
		r := httptest.NewRequest(http.MethodGet, target, nil)
		w := httptest.NewRecorder()
		s.serveCollection(w, r, items, c)
		var body struct {
			Value    []map[string]any `json:"value"`
			NextLink string           `json:"@odata.nextLink"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || w.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", target, w.Code, w.Body)
		}
		for _, it := range body.Value {
			ids = append(ids, it["id"].(string))
		}
		return ids, body.NextLink
	}
	ids, next := page("/v1.0/things?$skip=1&$top=2")
	if strings.Join(ids, ",") != "1,2" || !strings.Contains(next, "$skiptoken=") || strings.Contains(next, "$skip=") {
		t.Fatalf("first page %v, nextLink %q", ids, next)
	}
	ids, next = page(strings.TrimPrefix(next, s.GraphURL()))
	if strings.Join(ids, ",") != "3,4" || next != "" {
		t.Errorf("second page %v, nextLink %q", ids, next)
	}
}
