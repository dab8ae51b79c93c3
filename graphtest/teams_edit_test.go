package graphtest

import (
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
)

// editScopes are everyTeamsScope with the write scopes editing and
// soft-deleting need.
var editScopes = append([]string{"ChannelMessage.ReadWrite", "Chat.ReadWrite"}, everyTeamsScope...)

// teamsExample is the request body of a Microsoft example in
// testdata/teams/examples.json (see testdata/teams/README.md).
func teamsExample(t *testing.T, id string) string {
	t.Helper()
	raw, err := os.ReadFile("testdata/teams/examples.json")
	if err != nil {
		t.Fatal(err)
	}
	var examples []struct {
		ID          string          `json:"id"`
		RequestBody json.RawMessage `json:"request_body"`
	}
	if err := json.Unmarshal(raw, &examples); err != nil {
		t.Fatal(err)
	}
	for _, e := range examples {
		if e.ID == id {
			return string(e.RequestBody)
		}
	}
	t.Fatalf("no example %s", id)
	return ""
}

// editServer is teamsServer on a fake clock, with a post of Adele's in
// General; it returns the post's path.
func editServer(t *testing.T) (*Server, *fakeClock, string) {
	t.Helper()
	s, team, general := teamsServer(t)
	clock := &fakeClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	s.now = clock.now
	msgs := "/teams/" + team + "/channels/" + url.PathEscape(general) + "/messages"
	status, posted := graphCall(t, s, "adele@contoso.com", editScopes, "POST", msgs, `{"body":{"content":"first draft"}}`)
	if status != 201 {
		t.Fatalf("post: %d %v", status, posted)
	}
	clock.advance(time.Minute)
	return s, clock, msgs + "/" + posted["id"].(string)
}

func TestEditedChannelMessageIsWhatMembersRead(t *testing.T) {
	s, clock, post := editServer(t)
	status, before := graphCall(t, s, "alex@contoso.com", editScopes, "GET", post, "")
	if status != 200 || before["lastEditedDateTime"] != nil {
		t.Fatalf("before the edit: %d %v", status, before)
	}

	// Microsoft's example sends the whole message, from included; the
	// emulator takes the body from it and leaves the sender alone.
	if status, body := graphCall(t, s, "adele@contoso.com", editScopes, "PATCH", post, teamsExample(t, "chatmessage-update#2")); status != 204 {
		t.Fatalf("edit: %d %v", status, body)
	}
	status, got := graphCall(t, s, "alex@contoso.com", editScopes, "GET", post, "")
	if status != 200 {
		t.Fatalf("read: %d %v", status, got)
	}
	edited := clock.now().Format(time.RFC3339Nano)
	if b := got["body"].(map[string]any); b["content"] != "Edit text only" || b["contentType"] != "text" {
		t.Errorf("body after edit: %v", b)
	}
	if got["lastEditedDateTime"] != edited || got["lastModifiedDateTime"] != edited || got["etag"] == before["etag"] {
		t.Errorf("edit times and etag: %v %v %v (was %v)", got["lastEditedDateTime"], got["lastModifiedDateTime"], got["etag"], before["etag"])
	}
	if got["createdDateTime"] != before["createdDateTime"] || got["from"].(map[string]any)["user"].(map[string]any)["displayName"] != "Adele" {
		t.Errorf("edit changed the sender or creation: %v %v", got["createdDateTime"], got["from"])
	}

	// Microsoft's mentions example: an HTML body and the mentions its
	// <at> tags name, a bot's among them.
	if status, body := graphCall(t, s, "adele@contoso.com", editScopes, "PATCH", post, teamsExample(t, "chatmessage-update#3")); status != 204 {
		t.Fatalf("edit with mentions: %d %v", status, body)
	}
	_, got = graphCall(t, s, "alex@contoso.com", editScopes, "GET", post, "")
	if ms := got["mentions"].([]any); len(ms) != 2 || got["body"].(map[string]any)["contentType"] != "html" {
		t.Errorf("mentions after edit: %v %v", ms, got["body"])
	}

	// What an update leaves out stays: importance alone keeps the body.
	if status, body := graphCall(t, s, "adele@contoso.com", editScopes, "PATCH", post, `{"importance":"high"}`); status != 204 {
		t.Fatalf("importance: %d %v", status, body)
	}
	_, got = graphCall(t, s, "alex@contoso.com", editScopes, "GET", post, "")
	if got["importance"] != "high" || len(got["mentions"].([]any)) != 2 {
		t.Errorf("importance update: %v, mentions %v", got["importance"], got["mentions"])
	}
}

func TestOnlyTheSenderChangesAMessage(t *testing.T) {
	s, _, post := editServer(t)
	for name, c := range map[string]struct {
		upn, method, path, body string
		scopes                  []string
		want                    int
	}{
		"another member edits":        {"alex@contoso.com", "PATCH", post, `{"body":{"content":"mine now"}}`, editScopes, 403},
		"another member deletes":      {"alex@contoso.com", "POST", post + "/softDelete", "", editScopes, 403},
		"a non-member edits":          {"megan@contoso.com", "PATCH", post, `{"body":{"content":"hi"}}`, editScopes, 403},
		"the app edits":               {"", "PATCH", post, `{"body":{"content":"hi"}}`, nil, 403},
		"the app deletes":             {"", "POST", post + "/softDelete", "", nil, 403},
		"send scope edits":            {"adele@contoso.com", "PATCH", post, `{"body":{"content":"hi"}}`, everyTeamsScope, 403},
		"send scope deletes":          {"adele@contoso.com", "POST", post + "/softDelete", "", everyTeamsScope, 403},
		"empty body":                  {"adele@contoso.com", "PATCH", post, `{"body":{"content":" "}}`, editScopes, 400},
		"mention without its tag":     {"adele@contoso.com", "PATCH", post, `{"body":{"contentType":"html","content":"hi"},"mentions":[{"id":0}]}`, editScopes, 400},
		"policyViolation, delegated":  {"adele@contoso.com", "PATCH", post, `{"policyViolation":{"dlpAction":"BlockAccess"}}`, editScopes, 403},
		"unknown message":             {"adele@contoso.com", "PATCH", post + "0", `{"body":{"content":"hi"}}`, editScopes, 404},
		"unknown reply":               {"adele@contoso.com", "POST", post + "/replies/42/softDelete", "", editScopes, 404},
		"not json":                    {"adele@contoso.com", "PATCH", post, `{"body":`, editScopes, 400},
		"delete through another user": {"adele@contoso.com", "POST", "/users/alex@contoso.com/chats/19:x@thread.v2/messages/1/softDelete", "", editScopes, 403},
	} {
		if status, body := graphCall(t, s, c.upn, c.scopes, c.method, c.path, c.body); status != c.want {
			t.Errorf("%s: %d %v, want %d", name, status, body, c.want)
		}
	}
	// Nothing refused changed the message.
	_, got := graphCall(t, s, "alex@contoso.com", editScopes, "GET", post, "")
	if got["body"].(map[string]any)["content"] != "first draft" || got["deletedDateTime"] != nil || got["lastEditedDateTime"] != nil {
		t.Errorf("after refusals: %v", got)
	}
}

func TestSoftDeletedChannelMessageAndReply(t *testing.T) {
	s, clock, post := editServer(t)
	msgs := post[:strings.LastIndex(post, "/")]
	status, reply := graphCall(t, s, "alex@contoso.com", editScopes, "POST", post+"/replies", `{"body":{"content":"agreed"}}`)
	if status != 201 {
		t.Fatalf("reply: %d %v", status, reply)
	}
	replyPath := post + "/replies/" + reply["id"].(string)
	_, start := graphCall(t, s, "adele@contoso.com", editScopes, "GET", msgs+"/delta", "")
	deltaLink := start["@odata.deltaLink"].(string)

	clock.advance(time.Minute)
	if status, body := graphCall(t, s, "adele@contoso.com", editScopes, "POST", post+"/softDelete", ""); status != 204 {
		t.Fatalf("softDelete: %d %v", status, body)
	}
	deleted := clock.now().Format(time.RFC3339Nano)
	_, got := graphCall(t, s, "alex@contoso.com", editScopes, "GET", post, "")
	if got["deletedDateTime"] != deleted || got["body"].(map[string]any)["content"] != "" {
		t.Errorf("deleted post as read: %v %v", got["deletedDateTime"], got["body"])
	}
	// Lists keep a deleted message, marked.
	_, list := graphCall(t, s, "alex@contoso.com", editScopes, "GET", msgs, "")
	if v := list["value"].([]any); len(v) != 1 || v[0].(map[string]any)["deletedDateTime"] != deleted {
		t.Errorf("list after delete: %v", v)
	}
	// The round after it reports the deletion.
	_, changes := graphCall(t, s, "adele@contoso.com", editScopes, "GET", trimGraph(s, deltaLink), "")
	if v := changes["value"].([]any); len(v) != 1 || v[0].(map[string]any)["deletedDateTime"] != deleted {
		t.Errorf("delta after delete: %v", v)
	}
	if status, _ := graphCall(t, s, "adele@contoso.com", editScopes, "PATCH", post, `{"body":{"content":"edit a deleted one"}}`); status != 400 {
		t.Errorf("editing a deleted message: %d, want 400", status)
	}
	if status, _ := graphCall(t, s, "alex@contoso.com", editScopes, "POST", post+"/undoSoftDelete", ""); status != 403 {
		t.Errorf("another member undoes: %d, want 403", status)
	}
	// Deleting twice changes nothing.
	clock.advance(time.Minute)
	if status, _ := graphCall(t, s, "adele@contoso.com", editScopes, "POST", post+"/softDelete", ""); status != 204 {
		t.Errorf("second softDelete: %d", status)
	}
	if _, again := graphCall(t, s, "alex@contoso.com", editScopes, "GET", post, ""); again["deletedDateTime"] != deleted {
		t.Errorf("second softDelete moved the deletion: %v", again["deletedDateTime"])
	}

	if status, body := graphCall(t, s, "adele@contoso.com", editScopes, "POST", post+"/undoSoftDelete", ""); status != 204 {
		t.Fatalf("undoSoftDelete: %d %v", status, body)
	}
	_, got = graphCall(t, s, "alex@contoso.com", editScopes, "GET", post, "")
	if got["deletedDateTime"] != nil || got["body"].(map[string]any)["content"] != "first draft" {
		t.Errorf("restored post: %v %v", got["deletedDateTime"], got["body"])
	}

	// A reply: its sender deletes and edits it, through the replies path.
	if status, _ := graphCall(t, s, "adele@contoso.com", editScopes, "POST", replyPath+"/softDelete", ""); status != 403 {
		t.Errorf("post's author deletes a reply: %d, want 403", status)
	}
	if status, body := graphCall(t, s, "alex@contoso.com", editScopes, "PATCH", replyPath, `{"body":{"content":"agreed, with changes"}}`); status != 204 {
		t.Fatalf("edit reply: %d %v", status, body)
	}
	if status, body := graphCall(t, s, "alex@contoso.com", editScopes, "POST", replyPath+"/softDelete", ""); status != 204 {
		t.Fatalf("delete reply: %d %v", status, body)
	}
	_, r := graphCall(t, s, "adele@contoso.com", editScopes, "GET", replyPath, "")
	if r["deletedDateTime"] == nil || r["lastEditedDateTime"] == nil || r["body"].(map[string]any)["content"] != "" {
		t.Errorf("deleted reply: %v", r)
	}
	if status, _ := graphCall(t, s, "alex@contoso.com", editScopes, "POST", replyPath+"/undoSoftDelete", ""); status != 204 {
		t.Errorf("undo reply: %d", status)
	}
	if _, r = graphCall(t, s, "adele@contoso.com", editScopes, "GET", replyPath, ""); r["body"].(map[string]any)["content"] != "agreed, with changes" {
		t.Errorf("restored reply: %v", r["body"])
	}
}

func TestChatMessageEditAndSoftDelete(t *testing.T) {
	s, _, _ := teamsServer(t)
	chat, err := s.AddChat("oneOnOne", "", "adele@contoso.com", "alex@contoso.com")
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.AddChatMessage(chat, "adele@contoso.com", "lunch?")
	if err != nil {
		t.Fatal(err)
	}
	msg := "/chats/" + url.PathEscape(chat) + "/messages/" + id
	if status, _ := graphCall(t, s, "alex@contoso.com", editScopes, "PATCH", msg, `{"body":{"content":"no"}}`); status != 403 {
		t.Errorf("the other member edits: %d, want 403", status)
	}
	if status, _ := graphCall(t, s, "adele@contoso.com", everyTeamsScope, "PATCH", msg, `{"body":{"content":"no"}}`); status != 403 {
		t.Errorf("edit without Chat.ReadWrite: %d, want 403", status)
	}
	if status, body := graphCall(t, s, "adele@contoso.com", editScopes, "PATCH", msg, `{"body":{"content":"lunch at 1?"}}`); status != 204 {
		t.Fatalf("edit: %d %v", status, body)
	}
	if _, got := graphCall(t, s, "alex@contoso.com", editScopes, "GET", msg, ""); got["body"].(map[string]any)["content"] != "lunch at 1?" || got["lastEditedDateTime"] == nil {
		t.Errorf("edited chat message: %v", got)
	}
	// Microsoft's pages delete through the user: /users/{id}/chats/….
	if status, body := graphCall(t, s, "adele@contoso.com", editScopes, "POST", "/users/adele@contoso.com"+msg+"/softDelete", ""); status != 204 {
		t.Fatalf("softDelete: %d %v", status, body)
	}
	_, list := graphCall(t, s, "alex@contoso.com", editScopes, "GET", "/chats/"+url.PathEscape(chat)+"/messages", "")
	if v := list["value"].([]any); len(v) != 1 || v[0].(map[string]any)["deletedDateTime"] == nil || v[0].(map[string]any)["body"].(map[string]any)["content"] != "" {
		t.Errorf("deleted chat message in the list: %v", v)
	}
	if status, body := graphCall(t, s, "adele@contoso.com", editScopes, "POST", "/me"+msg+"/undoSoftDelete", ""); status != 204 {
		t.Fatalf("undoSoftDelete: %d %v", status, body)
	}
	if _, got := graphCall(t, s, "alex@contoso.com", editScopes, "GET", msg, ""); got["deletedDateTime"] != nil || got["body"].(map[string]any)["content"] != "lunch at 1?" {
		t.Errorf("restored chat message: %v", got)
	}
}

// trimGraph is a link the server made, as a path graphCall takes.
func trimGraph(s *Server, link string) string {
	return link[len(s.GraphURL()+"/v1.0"):]
}
