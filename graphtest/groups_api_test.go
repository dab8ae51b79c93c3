package graphtest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/go-o365/o365/graphtest"
)

// groupCall sends a Graph request with token and a JSON body (none when
// empty) and decodes the JSON answer, if any.
func groupCall(t *testing.T, srv *graphtest.Server, token, method, path, body string) graphResponse {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, srv.GraphURL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return graphResponse{resp, out}
}

func TestGroupsAPI(t *testing.T) {
	f := newFixture(t)
	golf, err := f.srv.AddGroup(graphtest.Group{DisplayName: "Golf Assist", MailNickname: "golfassist", Mail: "golfassist@contoso.com",
		MailEnabled: true, GroupTypes: []string{"Unified"}, Visibility: "Private", Owners: []string{f.adele.ID}})
	if err != nil {
		t.Fatal(err)
	}
	inner, err := f.srv.AddGroup(graphtest.Group{DisplayName: "Inner", MailNickname: "inner", SecurityEnabled: true})
	if err != nil {
		t.Fatal(err)
	}
	reader, _ := f.srv.UserToken(f.adele.UserPrincipalName, "Group.Read.All")
	writer, _ := f.srv.UserToken(f.adele.UserPrincipalName, "Group.ReadWrite.All")
	alexWriter, _ := f.srv.UserToken(f.alex.UserPrincipalName, "Group.ReadWrite.All")
	plain, _ := f.srv.UserToken(f.adele.UserPrincipalName, "User.Read")

	// The directory's query rules.
	for _, tc := range []struct {
		path, header string
		status       int
	}{
		{"/v1.0/groups?$search=%22displayName:golf%22", "", http.StatusBadRequest},
		{"/v1.0/groups?$search=%22displayName:golf%22", "eventual", http.StatusOK},
		{"/v1.0/groups?$count=true", "", http.StatusBadRequest},
		{"/v1.0/groups?$count=true", "eventual", http.StatusOK},
		{"/v1.0/groups?$skip=1", "eventual", http.StatusBadRequest},
		{"/v1.0/groups?$filter=groupTypes/any(t:t%20eq%20'Unified')", "", http.StatusOK},
	} {
		var r graphResponse
		if tc.header != "" {
			r = get(t, f.srv, reader, tc.path, "ConsistencyLevel", tc.header)
		} else {
			r = get(t, f.srv, reader, tc.path)
		}
		if r.StatusCode != tc.status {
			t.Errorf("GET %s (ConsistencyLevel %q): %d %v, want %d", tc.path, tc.header, r.StatusCode, r.body, tc.status)
		}
	}
	if r := get(t, f.srv, plain, "/v1.0/groups"); r.StatusCode != http.StatusForbidden || r.errorCode() != "Authorization_RequestDenied" {
		t.Errorf("without a group scope: %d %s", r.StatusCode, r.errorCode())
	}

	// PATCH changes writable properties and refuses others.
	if r := groupCall(t, f.srv, reader, http.MethodPatch, "/v1.0/groups/"+golf.ID, `{"description":"x"}`); r.StatusCode != http.StatusForbidden {
		t.Errorf("PATCH with Group.Read.All: %d", r.StatusCode)
	}
	if r := groupCall(t, f.srv, writer, http.MethodPatch, "/v1.0/groups/"+golf.ID, `{"description":"Tee times","displayName":"Golf"}`); r.StatusCode != http.StatusNoContent {
		t.Errorf("PATCH: %d %v", r.StatusCode, r.body)
	}
	if r := get(t, f.srv, reader, "/v1.0/groups/"+golf.ID+"?$select=displayName,description"); r.body["displayName"] != "Golf" || r.body["description"] != "Tee times" || r.body["mail"] != nil {
		t.Errorf("after PATCH: %v", r.body)
	}
	if r := groupCall(t, f.srv, writer, http.MethodPatch, "/v1.0/groups/"+golf.ID, `{"mail":"x@contoso.com"}`); r.StatusCode != http.StatusBadRequest {
		t.Errorf("PATCH of mail: %d", r.StatusCode)
	}

	// Creating needs the four required properties.
	if r := groupCall(t, f.srv, writer, http.MethodPost, "/v1.0/groups", `{"displayName":"X","mailEnabled":true,"securityEnabled":false}`); r.StatusCode != http.StatusBadRequest ||
		!strings.Contains(r.errorMessage(), "mailNickname") {
		t.Errorf("create without mailNickname: %d %s", r.StatusCode, r.errorMessage())
	}
	r := groupCall(t, f.srv, writer, http.MethodPost, "/v1.0/groups", `{"displayName":"Sec","mailEnabled":false,"mailNickname":"sec","securityEnabled":true,
		"members@odata.bind":["`+f.srv.GraphURL()+`/v1.0/groups/`+inner.ID+`"]}`)
	if r.StatusCode != http.StatusCreated || r.body["mail"] != nil || r.body["securityEnabled"] != true {
		t.Fatalf("create a security group: %d %v", r.StatusCode, r.body)
	}
	sec := r.body["id"].(string)
	if got := memberOfNames(t, get(t, f.srv, reader, "/v1.0/groups/"+inner.ID+"/memberOf")); len(got) != 1 || got[0] != "Sec" {
		t.Errorf("Inner's memberOf = %v", got)
	}
	// A security group has no drive or conversations; a Microsoft 365 one has both.
	if r := get(t, f.srv, writer, "/v1.0/groups/"+sec+"/conversations"); r.StatusCode != http.StatusNotFound {
		t.Errorf("a security group's conversations: %d", r.StatusCode)
	}
	if r := get(t, f.srv, writer, "/v1.0/groups/"+golf.ID+"/drive"); r.StatusCode != http.StatusOK || r.body["driveType"] != "documentLibrary" {
		t.Errorf("a Microsoft 365 group's drive: %d %v", r.StatusCode, r.body)
	}

	// A private group's conversations and calendar are its members' only.
	if r := get(t, f.srv, alexWriter, "/v1.0/groups/"+golf.ID+"/events"); r.StatusCode != http.StatusForbidden {
		t.Errorf("a non-member reads a private group's events: %d", r.StatusCode)
	}
	if r := groupCall(t, f.srv, writer, http.MethodPost, "/v1.0/groups/"+golf.ID+"/members/$ref",
		`{"@odata.id":"`+f.srv.GraphURL()+`/v1.0/directoryObjects/`+f.alex.ID+`"}`); r.StatusCode != http.StatusNoContent {
		t.Fatalf("add Alex: %d %v", r.StatusCode, r.body)
	}
	if r := get(t, f.srv, alexWriter, "/v1.0/groups/"+golf.ID+"/events"); r.StatusCode != http.StatusOK {
		t.Errorf("a member reads a private group's events: %d %v", r.StatusCode, r.body)
	}
	r = groupCall(t, f.srv, writer, http.MethodPost, "/v1.0/groups/"+golf.ID+"/members/$ref",
		`{"@odata.id":"`+f.srv.GraphURL()+`/v1.0/directoryObjects/`+f.alex.ID+`"}`)
	if r.StatusCode != http.StatusBadRequest || r.errorCode() != "Request_BadRequest" ||
		r.errorMessage() != "One or more added object references already exist for the following modified properties: 'members'." {
		t.Errorf("adding a member twice: %d %s %s", r.StatusCode, r.errorCode(), r.errorMessage())
	}

	// A new thread (POST /threads) starts a conversation.
	r = groupCall(t, f.srv, writer, http.MethodPost, "/v1.0/groups/"+golf.ID+"/threads",
		`{"topic":"Tees","posts":[{"body":{"contentType":"text","content":"Who is in?"}}]}`)
	if r.StatusCode != http.StatusCreated || r.body["topic"] != "Tees" {
		t.Fatalf("new thread: %d %v", r.StatusCode, r.body)
	}
	if r := get(t, f.srv, writer, "/v1.0/groups/"+golf.ID+"/conversations"); len(r.body["value"].([]any)) != 1 {
		t.Errorf("conversations after a new thread: %v", r.body)
	}

	// Deleting a group removes it from the groups it was a member of.
	if r := groupCall(t, f.srv, writer, http.MethodDelete, "/v1.0/groups/"+inner.ID, ""); r.StatusCode != http.StatusNoContent {
		t.Fatalf("delete: %d", r.StatusCode)
	}
	if r := get(t, f.srv, reader, "/v1.0/groups/"+sec+"/members"); len(r.body["value"].([]any)) != 0 {
		t.Errorf("members after deleting the member group: %v", r.body)
	}
	if r := get(t, f.srv, reader, "/v1.0/groups/"+inner.ID); r.StatusCode != http.StatusNotFound || r.errorCode() != "Request_ResourceNotFound" {
		t.Errorf("a deleted group: %d %s", r.StatusCode, r.errorCode())
	}
}

func TestGroupSeeding(t *testing.T) {
	f := newFixture(t)
	g, err := f.srv.AddGroup(graphtest.Group{DisplayName: "Retail", MailNickname: "retail", Mail: "retail@contoso.com",
		MailEnabled: true, GroupTypes: []string{"Unified"}, Owners: []string{f.adele.ID}})
	if err != nil {
		t.Fatal(err)
	}
	cid, tid, err := f.srv.AddConversation("retail@contoso.com", f.alex.UserPrincipalName, "Q3 numbers", "<p>Up <b>4%</b></p>")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.AddGroupEvent(g.ID, map[string]any{"subject": "Review",
		"start": map[string]any{"dateTime": "2026-03-03T10:00:00", "timeZone": "UTC"},
		"end":   map[string]any{"dateTime": "2026-03-03T11:00:00", "timeZone": "UTC"}}); err != nil {
		t.Fatal(err)
	}
	tok, _ := f.srv.UserToken(f.adele.UserPrincipalName, "Group.Read.All")
	c := get(t, f.srv, tok, "/v1.0/groups/"+g.ID+"/conversations/"+cid)
	if c.body["topic"] != "Q3 numbers" || c.body["preview"] != "Up 4%" {
		t.Errorf("seeded conversation: %v", c.body)
	}
	posts := get(t, f.srv, tok, "/v1.0/groups/"+g.ID+"/conversations/"+cid+"/threads/"+tid+"/posts").body["value"].([]any)
	if len(posts) != 1 || posts[0].(map[string]any)["sender"].(map[string]any)["emailAddress"].(map[string]any)["name"] != f.alex.DisplayName {
		t.Errorf("seeded posts: %v", posts)
	}
	events := get(t, f.srv, tok, "/v1.0/groups/"+g.ID+"/calendar/events").body["value"].([]any)
	if len(events) != 1 || events[0].(map[string]any)["subject"] != "Review" {
		t.Errorf("seeded events: %v", events)
	}
	app, _ := f.srv.AppToken(daemonID)
	if r := get(t, f.srv, app, "/v1.0/groups/"+g.ID+"/events"); r.StatusCode != http.StatusForbidden {
		t.Errorf("an app reads a group calendar: %d", r.StatusCode)
	}
	if _, _, err := f.srv.AddConversation("nope@contoso.com", f.alex.UserPrincipalName, "x", "y"); err == nil {
		t.Error("AddConversation in an unknown group succeeded")
	}
	if _, err := f.srv.AddGroupEvent("nope", map[string]any{"subject": "x"}); err == nil {
		t.Error("AddGroupEvent in an unknown group succeeded")
	}
}
