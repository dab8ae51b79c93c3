package graphtest_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// todoTask makes a task in Adele's default list and returns the path of
// the task.
func todoTask(t *testing.T, f *fixture, tok string) string {
	t.Helper()
	lists := graphDo(t, f.srv, tok, "GET", "/v1.0/me/todo/lists", nil)
	lid := url.PathEscape(lists.body["value"].([]any)[0].(map[string]any)["id"].(string))
	task := graphDo(t, f.srv, tok, "POST", "/v1.0/me/todo/lists/"+lid+"/tasks", map[string]any{"title": "Expenses"})
	requireStatus(t, task, http.StatusCreated)
	return "/v1.0/me/todo/lists/" + lid + "/tasks/" + url.PathEscape(task.body["id"].(string))
}

// A small attachment goes in one POST, as Microsoft's example sends it;
// list, get, $value and delete answer as Microsoft's examples do, and
// hasAttachments follows.
func TestTodoAttachmentsMatchMicrosoftExamples(t *testing.T) {
	f := newFixture(t)
	tok := todoToken(t, f.srv, f.adele.UserPrincipalName)
	task := todoTask(t, f, tok)

	req, want := personalExample(t, "todo.json", "todotask-post-attachments#1")
	// The example's contentBytes ("a0b1c76de9f7=") is a placeholder, not
	// base64; Graph reads Edm.Binary strictly.
	bad := graphDo(t, f.srv, tok, "POST", task+"/attachments", req)
	if bad.StatusCode != http.StatusBadRequest || bad.errorCode() != "RequestBodyRead" {
		t.Errorf("placeholder contentBytes: %d %s", bad.StatusCode, bad.errorCode())
	}
	content := []byte("GIF89a, not really")
	req["contentBytes"] = base64.StdEncoding.EncodeToString(content)
	added := graphDo(t, f.srv, tok, "POST", task+"/attachments", req)
	requireStatus(t, added, http.StatusCreated)
	hasExampleKeys(t, "todotask-post-attachments#1", want, added.body)
	if added.body["size"] != float64(len(content)) || added.body["contentType"] != "image/gif" || added.body["name"] != "smile" {
		t.Errorf("added %v", added.body)
	}
	if _, ok := added.body["contentBytes"]; ok {
		t.Errorf("the answer to POST carries the content: %v", added.body)
	}
	aid := url.PathEscape(added.body["id"].(string))
	if got := graphDo(t, f.srv, tok, "GET", task, nil); got.body["hasAttachments"] != true {
		t.Errorf("hasAttachments after adding: %v", got.body["hasAttachments"])
	}

	_, want = personalExample(t, "todo.json", "todotask-list-attachments#1")
	list := graphDo(t, f.srv, tok, "GET", task+"/attachments", nil)
	requireStatus(t, list, http.StatusOK)
	hasExampleKeys(t, "todotask-list-attachments#1", want, list.body)
	if v := list.body["value"].([]any); len(v) != 1 || v[0].(map[string]any)["contentBytes"] != nil {
		t.Errorf("list %v, want the one attachment without contentBytes", v)
	}

	_, want = personalExample(t, "todo.json", "taskfileattachment-get#1")
	got := graphDo(t, f.srv, tok, "GET", task+"/attachments/"+aid, nil)
	requireStatus(t, got, http.StatusOK)
	// Microsoft's example wraps the attachment in "value"; Graph answers
	// an entity as itself, as every other get does.
	hasExampleKeys(t, "taskfileattachment-get#1", want["value"].(map[string]any), got.body)
	if got.body["contentBytes"] != req["contentBytes"] {
		t.Errorf("contentBytes %v, want %v", got.body["contentBytes"], req["contentBytes"])
	}

	raw := graphDo(t, f.srv, tok, "GET", task+"/attachments/"+aid+"/$value", nil)
	requireStatus(t, raw, http.StatusOK)
	if ct := raw.Header.Get("Content-Type"); ct != "image/gif" {
		t.Errorf("$value Content-Type %q", ct)
	}

	requireStatus(t, graphDo(t, f.srv, tok, "DELETE", task+"/attachments/"+aid, nil), http.StatusNoContent)
	requireStatus(t, graphDo(t, f.srv, tok, "GET", task+"/attachments/"+aid, nil), http.StatusNotFound)
	if got := graphDo(t, f.srv, tok, "GET", task, nil); got.body["hasAttachments"] != false {
		t.Errorf("hasAttachments after deleting the last: %v", got.body["hasAttachments"])
	}

	// 3 MiB and more is refused: it goes through an upload session.
	big := map[string]any{"@odata.type": "#microsoft.graph.taskFileAttachment", "name": "big.bin",
		"contentBytes": base64.StdEncoding.EncodeToString(make([]byte, 3<<20))}
	if r := graphDo(t, f.srv, tok, "POST", task+"/attachments", big); r.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("3 MiB inline: %d %v", r.StatusCode, r.body)
	}
	for _, body := range []map[string]any{
		{"@odata.type": "#microsoft.graph.fileAttachment", "name": "a", "contentBytes": ""},
		{"name": "a", "contentBytes": "", "colour": "red"},
		{"name": "", "contentBytes": "AAAA"},
		{"name": "a"},
	} {
		if r := graphDo(t, f.srv, tok, "POST", task+"/attachments", body); r.StatusCode != http.StatusBadRequest {
			t.Errorf("POST %v: %d", body, r.StatusCode)
		}
	}
	read := todoToken(t, f.srv, f.adele.UserPrincipalName, "Tasks.Read")
	requireStatus(t, graphDo(t, f.srv, read, "POST", task+"/attachments", req), http.StatusForbidden)
}

// A large file goes through an upload session whose URL is a Graph
// resource: chunks go to {uploadUrl}/content with the owner's token, the
// last one is answered 201 with the attachment's Location.
func TestTodoUploadSession(t *testing.T) {
	f := newFixture(t)
	tok := todoToken(t, f.srv, f.adele.UserPrincipalName)
	task := todoTask(t, f, tok)
	data := bytes.Repeat([]byte("0123456789abcdef"), 300_000) // 4.8 MB
	size := len(data)

	req, want := personalExample(t, "todo.json", "taskfileattachment-createuploadsession#1")
	req["attachmentInfo"].(map[string]any)["size"] = size
	created := graphDo(t, f.srv, tok, "POST", task+"/attachments/createUploadSession", req)
	requireStatus(t, created, http.StatusOK)
	hasExampleKeys(t, "taskfileattachment-createuploadsession#1", want, created.body)
	upload := created.body["uploadUrl"].(string)
	if !strings.HasPrefix(upload, f.srv.GraphURL()+"/v1.0/users/"+f.adele.ID+"/todo/lists/") || !strings.Contains(upload, "/attachmentSessions/") {
		t.Fatalf("uploadUrl %s, want a Graph URL of the task's attachmentSessions", upload)
	}
	path := strings.TrimPrefix(upload, f.srv.GraphURL())
	put := func(token string, from, to int) graphResponse {
		return graphDo(t, f.srv, token, "PUT", path+"/content", data[from:to],
			"Content-Type", "application/octet-stream", "Content-Range", fmt.Sprintf("bytes %d-%d/%d", from, to-1, size))
	}

	// Without the token, or with another user's, the session is not reached.
	if r := put("", 0, 1000); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("PUT without a token: %d", r.StatusCode)
	}
	alex := todoToken(t, f.srv, alexUPN)
	if r := put(alex, 0, 1000); r.StatusCode != http.StatusForbidden && r.StatusCode != http.StatusNotFound {
		t.Errorf("PUT with Alex's token: %d", r.StatusCode)
	}
	if r := put(tok, 0, 4<<20+1); r.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a chunk over 4 MiB: %d", r.StatusCode)
	}

	first := put(tok, 0, 2<<20)
	requireStatus(t, first, http.StatusOK)
	if r := first.body["NextExpectedRanges"].([]any); len(r) != 1 || r[0] != fmt.Sprint(2<<20) {
		t.Errorf("after the first chunk: %v", first.body)
	}
	if r := put(tok, 1<<20, 3<<20); r.StatusCode != http.StatusRequestedRangeNotSatisfiable {
		t.Errorf("an overlapping chunk: %d", r.StatusCode)
	}
	status := graphDo(t, f.srv, tok, "GET", path, nil)
	requireStatus(t, status, http.StatusOK)
	if r := status.body["nextExpectedRanges"].([]any); r[0] != fmt.Sprint(2<<20) {
		t.Errorf("session status %v", status.body)
	}
	last := put(tok, 2<<20, size)
	requireStatus(t, last, http.StatusCreated)
	loc := last.Header.Get("Location")
	i := strings.LastIndex(loc, "/Attachments/")
	if i < 0 {
		t.Fatalf("Location %q", loc)
	}
	aid := loc[i+len("/Attachments/"):]
	raw, err := http.NewRequest("GET", f.srv.GraphURL()+task+"/attachments/"+aid+"/$value", nil)
	if err != nil {
		t.Fatal(err)
	}
	raw.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(raw)
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	got.ReadFrom(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(got.Bytes(), data) {
		t.Errorf("$value holds %d bytes, not the %d uploaded", got.Len(), size)
	}
	meta := graphDo(t, f.srv, tok, "GET", task+"/attachments/"+aid+"?$select=name,size", nil)
	if meta.body["name"] != "flower" || meta.body["size"] != float64(size) {
		t.Errorf("attachment %v", meta.body)
	}
	if _, ok := meta.body["contentBytes"]; ok {
		t.Error("$select=name,size answered contentBytes too")
	}
	// The session is gone once finished; a cancelled one too.
	requireStatus(t, graphDo(t, f.srv, tok, "GET", path, nil), http.StatusNotFound)
	again := graphDo(t, f.srv, tok, "POST", task+"/attachments/createUploadSession", req)
	p2 := strings.TrimPrefix(again.body["uploadUrl"].(string), f.srv.GraphURL())
	requireStatus(t, graphDo(t, f.srv, tok, "DELETE", p2, nil), http.StatusNoContent)
	requireStatus(t, graphDo(t, f.srv, tok, "GET", p2, nil), http.StatusNotFound)

	for _, info := range []map[string]any{
		{"attachmentType": "item", "name": "a", "size": 10},
		{"attachmentType": "file", "name": "", "size": 10},
		{"attachmentType": "file", "name": "a", "size": 0},
		{"attachmentType": "file", "name": "a", "size": 25<<20 + 1},
	} {
		r := graphDo(t, f.srv, tok, "POST", task+"/attachments/createUploadSession", map[string]any{"attachmentInfo": info})
		if r.StatusCode != http.StatusBadRequest {
			t.Errorf("session for %v: %d", info, r.StatusCode)
		}
	}
	app, err := f.srv.AppToken(daemonID)
	if err != nil {
		t.Fatal(err)
	}
	appTask := strings.Replace(task, "/me/", "/users/"+f.adele.ID+"/", 1)
	if r := graphDo(t, f.srv, app, "POST", appTask+"/attachments/createUploadSession", req); r.StatusCode != http.StatusForbidden {
		t.Errorf("app-only session: %d, want 403 (delegated only)", r.StatusCode)
	}
}
