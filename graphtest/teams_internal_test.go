package graphtest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// presenceCall calls the presence API of s as upn of app "app", with a
// token issued at the server's current time.
func presenceCall(t *testing.T, s *Server, upn, method, path, body string) (int, map[string]any) {
	t.Helper()
	return graphCall(t, s, upn, []string{"Presence.Read.All", "Presence.ReadWrite"}, method, path, body)
}

// graphCall calls Graph on s as upn of app "app" (the app itself for an
// empty upn) with a token granting scopes.
func graphCall(t *testing.T, s *Server, upn string, scopes []string, method, path, body string) (int, map[string]any) {
	t.Helper()
	s.mu.Lock()
	who := principal{clientID: "app"}
	if upn != "" {
		u := s.userLocked(upn)
		who.userID, who.upn = u.ID, u.UserPrincipalName
	}
	tok := s.issueAccessLocked(who, scopes)
	s.mu.Unlock()
	req, err := http.NewRequest(method, s.GraphURL()+"/v1.0"+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestPresenceExpiresWithTheServerClock(t *testing.T) {
	s, clock := newClockServer(t)
	s.AddUser(User{UserPrincipalName: "alex@contoso.com"})
	const adele = "adele@contoso.com"
	read := func() string {
		t.Helper()
		status, body := presenceCall(t, s, "alex@contoso.com", "GET", "/users/"+adele+"/presence", "")
		if status != http.StatusOK {
			t.Fatalf("reading presence: %d %v", status, body)
		}
		return body["availability"].(string) + "/" + body["activity"].(string)
	}
	set := func(action, body string) int {
		t.Helper()
		status, _ := presenceCall(t, s, adele, "POST", "/me/presence/"+action, body)
		return status
	}

	if got := set("setPresence", `{"sessionId":"app","availability":"Busy","activity":"InACall","expirationDuration":"PT10M"}`); got != 200 {
		t.Fatalf("setPresence: %d", got)
	}
	if got := read(); got != "Busy/InACall" {
		t.Errorf("after setPresence: %s", got)
	}
	clock.advance(11 * time.Minute)
	if got := read(); got != "Offline/Offline" {
		t.Errorf("after the session expired: %s", got)
	}

	// Without an expiration a session lasts Graph's default 5 minutes.
	set("setPresence", `{"sessionId":"app","availability":"Available","activity":"Available"}`)
	clock.advance(4 * time.Minute)
	if got := read(); got != "Available/Available" {
		t.Errorf("within the default expiration: %s", got)
	}
	clock.advance(2 * time.Minute)
	if got := read(); got != "Offline/Offline" {
		t.Errorf("past the default expiration: %s", got)
	}

	// An Available session not set again fades: AvailableInactive after
	// 5 minutes, Away after 10 (presence-setpresence.md); setting it
	// again starts over.
	set("setPresence", `{"sessionId":"app","availability":"Available","activity":"Available","expirationDuration":"PT1H"}`)
	for _, step := range []struct {
		after time.Duration
		want  string
	}{
		{4 * time.Minute, "Available/Available"},
		{time.Minute, "Available/AvailableInactive"},
		{4 * time.Minute, "Available/AvailableInactive"},
		{time.Minute, "Away/Away"},
	} {
		clock.advance(step.after)
		if got := read(); got != step.want {
			t.Errorf("an idle Available session after another %v: %s, want %s", step.after, got, step.want)
		}
	}
	set("setPresence", `{"sessionId":"app","availability":"Available","activity":"Available","expirationDuration":"PT1H"}`)
	if got := read(); got != "Available/Available" {
		t.Errorf("set again: %s", got)
	}
	// Busy does not fade.
	set("setPresence", `{"sessionId":"app","availability":"Busy","activity":"InACall","expirationDuration":"PT1H"}`)
	clock.advance(30 * time.Minute)
	if got := read(); got != "Busy/InACall" {
		t.Errorf("Busy after 30 minutes: %s", got)
	}

	// The preferred presence wins while it lasts, then the session shows.
	set("setPresence", `{"sessionId":"app","availability":"Busy","activity":"InACall","expirationDuration":"PT4H"}`)
	set("setUserPreferredPresence", `{"availability":"DoNotDisturb","activity":"DoNotDisturb","expirationDuration":"PT1H"}`)
	if got := read(); got != "DoNotDisturb/DoNotDisturb" {
		t.Errorf("with a preferred presence: %s", got)
	}
	clock.advance(61 * time.Minute)
	if got := read(); got != "Busy/InACall" {
		t.Errorf("after the preferred presence expired: %s", got)
	}

	// What Graph refuses.
	for body, want := range map[string]int{
		`{"sessionId":"app","availability":"Available","activity":"Available","expirationDuration":"PT4H1M"}`: 400,
		`{"sessionId":"app","availability":"Available","activity":"Available","expirationDuration":"PT4M"}`:   400,
		`{"sessionId":"app","availability":"Busy","activity":"Busy"}`:                                         400,
		`{"sessionId":"another-app","availability":"Away","activity":"Away"}`:                                 400,
		`{"sessionId":"app","availability":"Away","activity":"Away","expirationDuration":"soon"}`:             400,
	} {
		if got := set("setPresence", body); got != want {
			t.Errorf("setPresence %s: %d, want %d", body, got, want)
		}
	}
	if got := set("setUserPreferredPresence", `{"availability":"Busy","activity":"InACall"}`); got != 400 {
		t.Errorf("preferred Busy/InACall: %d", got)
	}
	status, _ := presenceCall(t, s, "alex@contoso.com", "POST", "/users/"+adele+"/presence/setPresence",
		`{"sessionId":"app","availability":"Away","activity":"Away"}`)
	if status != http.StatusForbidden {
		t.Errorf("setting another user's presence: %d", status)
	}
}

func TestPresenceAggregatesSessions(t *testing.T) {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	st := &teamsStore{presence: map[string]*userPresence{"u": {sessions: map[string]presenceState{
		"a": {"Away", "Away", now.Add(time.Hour), now},
		"b": {"Busy", "InAConferenceCall", now.Add(time.Hour), now},
		"c": {"Available", "Available", now.Add(time.Hour), now},
		"d": {"DoNotDisturb", "Presenting", now.Add(-time.Second), now}, // expired
	}}}}
	if av, ac := st.presenceLocked("u", now); av != "Busy" || ac != "InAConferenceCall" {
		t.Errorf("aggregate: %s/%s, want Busy beating Available and Away, the expired DoNotDisturb ignored", av, ac)
	}
	if av, _ := st.presenceLocked("nobody", now); av != "Offline" {
		t.Errorf("a user without sessions: %s", av)
	}
}
