package graphtest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// teamsServer is a server with app "app", Adele (owner) and Alex in a
// team, and Megan outside it.
func teamsServer(t *testing.T) (s *Server, teamID, general string) {
	t.Helper()
	s = NewServer()
	t.Cleanup(s.Close)
	s.AddApp(App{ClientID: "app", ClientSecret: "secret"})
	for _, u := range []string{"adele", "alex", "megan"} {
		s.AddUser(User{UserPrincipalName: u + "@contoso.com", DisplayName: strings.ToUpper(u[:1]) + u[1:]})
	}
	g, err := s.AddGroup(Group{DisplayName: "Mark 8", GroupTypes: []string{"Unified"},
		Members: []string{"adele@contoso.com", "alex@contoso.com"}, Owners: []string{"adele@contoso.com"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddTeam(g.ID); err != nil {
		t.Fatal(err)
	}
	general, err = s.ChannelID(g.ID, "general")
	if err != nil {
		t.Fatal(err)
	}
	return s, g.ID, general
}

var everyTeamsScope = []string{"Team.ReadBasic.All", "Channel.ReadBasic.All", "Channel.Create", "ChannelMessage.Read.All",
	"ChannelMessage.Send", "Chat.Read", "Chat.Create", "ChatMessage.Send", "Presence.Read.All"}

func TestEmulatorRefusesWhatGraphRefuses(t *testing.T) {
	s, team, general := teamsServer(t)
	msgs := "/teams/" + team + "/channels/" + url.PathEscape(general) + "/messages"
	for name, c := range map[string]struct {
		upn, method, path, body string
		want                    int
	}{
		"mention without its tag": {"adele@contoso.com", "POST", msgs,
			`{"body":{"contentType":"html","content":"hi"},"mentions":[{"id":0,"mentionText":"Alex","mentioned":{"user":{"id":"x"}}}]}`, 400},
		"mention in a text body": {"adele@contoso.com", "POST", msgs,
			`{"body":{"content":"<at id=\"0\">Alex</at>"},"mentions":[{"id":0}]}`, 400},
		"empty body":        {"adele@contoso.com", "POST", msgs, `{"body":{"content":" "}}`, 400},
		"unknown type":      {"adele@contoso.com", "POST", msgs, `{"body":{"contentType":"markdown","content":"*hi*"}}`, 400},
		"not json":          {"adele@contoso.com", "POST", msgs, `{"body":`, 400},
		"non-member posts":  {"megan@contoso.com", "POST", msgs, `{"body":{"content":"hi"}}`, 403},
		"app posts":         {"", "POST", msgs, `{"body":{"content":"hi"}}`, 403},
		"bad channel name":  {"adele@contoso.com", "POST", "/teams/" + team + "/channels", `{"displayName":"a/b"}`, 400},
		"unknown team":      {"adele@contoso.com", "GET", "/teams/" + newGUID(), "", 404},
		"unknown channel":   {"adele@contoso.com", "GET", "/teams/" + team + "/channels/19:nope@thread.tacv2", "", 404},
		"channel by name":   {"adele@contoso.com", "GET", "/teams/" + team + "/channels/General", "", 404},
		"someone's joined":  {"adele@contoso.com", "GET", "/users/alex@contoso.com/joinedTeams", "", 403},
		"presences by upn":  {"adele@contoso.com", "POST", "/communications/getPresencesByUserId", `{"ids":["alex@contoso.com"]}`, 400},
		"no presence ids":   {"adele@contoso.com", "POST", "/communications/getPresencesByUserId", `{"ids":[]}`, 400},
		"chat without me":   {"megan@contoso.com", "POST", "/chats", `{"chatType":"oneOnOne","members":[{"user@odata.bind":"https://graph.microsoft.com/v1.0/users('adele@contoso.com')"},{"user@odata.bind":"https://graph.microsoft.com/v1.0/users('alex@contoso.com')"}]}`, 400},
		"chat member bound": {"megan@contoso.com", "POST", "/chats", `{"chatType":"group","members":[{"userId":"x"}]}`, 400},
		"oneOnOne of three": {"megan@contoso.com", "POST", "/chats", `{"chatType":"oneOnOne","members":[{"user@odata.bind":"https://graph.microsoft.com/v1.0/users('adele@contoso.com')"},{"user@odata.bind":"https://graph.microsoft.com/v1.0/users('alex@contoso.com')"},{"user@odata.bind":"https://graph.microsoft.com/v1.0/users('megan@contoso.com')"}]}`, 400},
	} {
		status, body := graphCall(t, s, c.upn, everyTeamsScope, c.method, c.path, c.body)
		if status != c.want {
			t.Errorf("%s: %d %v, want %d", name, status, body, c.want)
		}
	}
	// The app reads any team's channels (Graph's application permissions).
	if status, body := graphCall(t, s, "", nil, "GET", "/teams/"+team+"/channels", ""); status != 200 || len(body["value"].([]any)) != 1 {
		t.Errorf("app lists channels: %d %v", status, body)
	}
}

func TestChannelDeltaFilterAndPaging(t *testing.T) {
	s, team, general := teamsServer(t)
	msgs := "/teams/" + team + "/channels/" + url.PathEscape(general) + "/messages"
	clock := &fakeClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	s.now = clock.now
	for _, text := range []string{"one", "two", "three"} {
		if status, body := graphCall(t, s, "alex@contoso.com", everyTeamsScope, "POST", msgs, `{"body":{"content":"`+text+`"}}`); status != 201 {
			t.Fatalf("post: %d %v", status, body)
		}
		clock.advance(time.Hour)
	}
	// $filter on lastModifiedDateTime, the one Graph allows here.
	status, body := graphCall(t, s, "adele@contoso.com", everyTeamsScope, "GET",
		msgs+"/delta?$filter="+url.QueryEscape("lastModifiedDateTime gt 2026-03-01T09:30:00Z"), "")
	if status != 200 {
		t.Fatalf("delta: %d %v", status, body)
	}
	var got []string
	for _, v := range body["value"].([]any) {
		got = append(got, v.(map[string]any)["body"].(map[string]any)["content"].(string))
	}
	if strings.Join(got, ",") != "two,three" || body["@odata.deltaLink"] == nil {
		t.Errorf("filtered delta: %v %v", got, body["@odata.deltaLink"])
	}
	// Paging with $top: a next link, then the delta link on the last page.
	_, first := graphCall(t, s, "adele@contoso.com", everyTeamsScope, "GET", msgs+"/delta?$top=2", "")
	next, _ := first["@odata.nextLink"].(string)
	if len(first["value"].([]any)) != 2 || next == "" || first["@odata.deltaLink"] != nil {
		t.Fatalf("first page: %v", first)
	}
	_, last := graphCall(t, s, "adele@contoso.com", everyTeamsScope, "GET", strings.TrimPrefix(next, s.GraphURL()+"/v1.0"), "")
	if len(last["value"].([]any)) != 1 || last["@odata.deltaLink"] == nil {
		t.Errorf("last page: %v", last)
	}
	if status, _ := graphCall(t, s, "adele@contoso.com", everyTeamsScope, "GET", msgs+"/delta?$top=51", ""); status != 400 {
		t.Errorf("$top over 50: %d", status)
	}
}

// A client that reached a TLS server as graph.microsoft.com gets delta
// links to that host, as Graph answers, so Microsoft's SDKs (which send
// their token only to Graph's hosts) can follow them.
func TestChannelDeltaLinkNamesTheHostAsked(t *testing.T) {
	s := NewServer(WithTLS())
	t.Cleanup(s.Close)
	s.AddUser(User{UserPrincipalName: "adele@contoso.com", DisplayName: "Adele"})
	g, err := s.AddGroup(Group{DisplayName: "Mark 8", GroupTypes: []string{"Unified"}, Members: []string{"adele@contoso.com"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddTeam(g.ID); err != nil {
		t.Fatal(err)
	}
	general, err := s.ChannelID(g.ID, "general")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.UserToken("adele@contoso.com", everyTeamsScope...)
	if err != nil {
		t.Fatal(err)
	}
	get := func(u string) map[string]any {
		t.Helper()
		resp, err := s.Client().Do(mustGet(t, u, tok))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d %v %v", u, resp.StatusCode, err, m)
		}
		return m
	}
	delta := "https://graph.microsoft.com/v1.0/teams/" + g.ID + "/channels/" + url.PathEscape(general) + "/messages/delta"
	link, _ := get(delta)["@odata.deltaLink"].(string)
	if !strings.HasPrefix(link, delta+"?") {
		t.Fatalf("delta link %q, want it under %s", link, delta)
	}
	if got := get(link)["value"].([]any); len(got) != 0 {
		t.Errorf("nothing changed since: %v", got)
	}
}

func mustGet(t *testing.T, u, token string) *http.Request {
	t.Helper()
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	return req
}
