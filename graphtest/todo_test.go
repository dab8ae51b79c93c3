package graphtest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/wiretest"
)

// personalExample returns the request and response bodies of example id
// in testdata/todo/file (Microsoft's To Do, categories and mailbox
// settings examples; see testdata/todo/README.md).
func personalExample(t *testing.T, file, id string) (req, resp map[string]any) {
	t.Helper()
	raw, err := os.ReadFile("testdata/todo/" + file)
	if err != nil {
		t.Fatal(err)
	}
	var list []struct {
		ID           string         `json:"id"`
		RequestBody  map[string]any `json:"request_body"`
		ResponseBody map[string]any `json:"response_body"`
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		t.Fatal(err)
	}
	for _, e := range list {
		if e.ID == id {
			return e.RequestBody, e.ResponseBody
		}
	}
	t.Fatalf("no example %s in %s", id, file)
	return nil, nil
}

// hasExampleKeys fails t when got lacks a property Microsoft's example
// body has (allowed aside).
func hasExampleKeys(t *testing.T, id string, want, got map[string]any, allowed ...string) {
	t.Helper()
	w, _ := json.Marshal(want)
	g, _ := json.Marshal(got)
	if missing := wiretest.MissingKeys(w, g, allowed...); len(missing) > 0 {
		t.Errorf("%s: the emulator's answer lacks %v\n%s", id, missing, g)
	}
}

func todoToken(t *testing.T, srv *graphtest.Server, upn string, scopes ...string) string {
	t.Helper()
	if len(scopes) == 0 {
		scopes = []string{"Tasks.ReadWrite"}
	}
	tok, err := srv.UserToken(upn, scopes...)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// Microsoft's request bodies are taken, and the answers have the
// properties of Microsoft's answers.
func TestTodoMatchesMicrosoftExamples(t *testing.T) {
	f := newFixture(t)
	tok := todoToken(t, f.srv, f.adele.UserPrincipalName)

	lists := graphDo(t, f.srv, tok, "GET", "/v1.0/me/todo/lists", nil)
	requireStatus(t, lists, http.StatusOK)
	value := lists.body["value"].([]any)
	if len(value) != 1 || value[0].(map[string]any)["wellknownListName"] != "defaultList" || value[0].(map[string]any)["displayName"] != "Tasks" {
		t.Fatalf("a new user has the default list alone: %v", value)
	}
	_, want := personalExample(t, "todo.json", "todo-list-lists#1")
	hasExampleKeys(t, "todo-list-lists#1", want, lists.body, "value[].@odata.type")

	req, want := personalExample(t, "todo.json", "todo-post-lists#1")
	created := graphDo(t, f.srv, tok, "POST", "/v1.0/me/todo/lists", req)
	requireStatus(t, created, http.StatusCreated)
	hasExampleKeys(t, "todo-post-lists#1", want, created.body, "@odata.type")
	if created.body["wellknownListName"] != "none" || created.body["displayName"] != "Travel items" {
		t.Errorf("created list %v", created.body)
	}
	lid := url.PathEscape(created.body["id"].(string))

	req, want = personalExample(t, "todo.json", "todotasklist-post-tasks#1")
	task := graphDo(t, f.srv, tok, "POST", "/v1.0/me/todo/lists/"+lid+"/tasks", req)
	requireStatus(t, task, http.StatusCreated)
	hasExampleKeys(t, "todotasklist-post-tasks#1", want, task.body)
	tid := url.PathEscape(task.body["id"].(string))
	for k, v := range map[string]any{"importance": "normal", "status": "notStarted", "isReminderOn": false, "title": "A new task"} {
		if task.body[k] != v {
			t.Errorf("%s = %v, want %v", k, task.body[k], v)
		}
	}

	req, want = personalExample(t, "todo.json", "todotask-update#1")
	upd := graphDo(t, f.srv, tok, "PATCH", "/v1.0/me/todo/lists/"+lid+"/tasks/"+tid, req)
	requireStatus(t, upd, http.StatusOK)
	hasExampleKeys(t, "todotask-update#1", want, upd.body)
	due := upd.body["dueDateTime"].(map[string]any)
	if due["dateTime"] != "2020-07-25T20:00:00.0000000" || due["timeZone"] != "UTC" {
		t.Errorf("16:00 Eastern is 20:00 UTC in July: %v", due)
	}

	_, want = personalExample(t, "todo.json", "todotask-get#1")
	got := graphDo(t, f.srv, tok, "GET", "/v1.0/me/todo/lists/"+lid+"/tasks/"+tid, nil)
	requireStatus(t, got, http.StatusOK)
	hasExampleKeys(t, "todotask-get#1", want, got.body)

	_, want = personalExample(t, "todo.json", "todotasklist-list-tasks#1")
	all := graphDo(t, f.srv, tok, "GET", "/v1.0/me/todo/lists/"+lid+"/tasks?$expand=linkedResources", nil)
	requireStatus(t, all, http.StatusOK)
	hasExampleKeys(t, "todotasklist-list-tasks#1", want, all.body, "value[].linkedResources[].externalId")

	req, want = personalExample(t, "todo.json", "todotask-post-checklistitems#1")
	item := graphDo(t, f.srv, tok, "POST", "/v1.0/me/todo/lists/"+lid+"/tasks/"+tid+"/checklistItems", req)
	requireStatus(t, item, http.StatusCreated)
	hasExampleKeys(t, "todotask-post-checklistitems#1", want, item.body)
	iid := url.PathEscape(item.body["id"].(string))
	req, want = personalExample(t, "todo.json", "checklistitem-update#1")
	item = graphDo(t, f.srv, tok, "PATCH", "/v1.0/me/todo/lists/"+lid+"/tasks/"+tid+"/checklistItems/"+iid, req)
	requireStatus(t, item, http.StatusOK)
	hasExampleKeys(t, "checklistitem-update#1", want, item.body)
	if item.body["displayName"] != "buy cake" {
		t.Errorf("renamed item %v", item.body)
	}
	item = graphDo(t, f.srv, tok, "PATCH", "/v1.0/me/todo/lists/"+lid+"/tasks/"+tid+"/checklistItems/"+iid, map[string]any{"isChecked": true})
	if item.body["isChecked"] != true || item.body["checkedDateTime"] == nil {
		t.Errorf("checking sets checkedDateTime: %v", item.body)
	}

	req, want = personalExample(t, "todo.json", "todotask-post-linkedresources#1")
	link := graphDo(t, f.srv, tok, "POST", "/v1.0/me/todo/lists/"+lid+"/tasks/"+tid+"/linkedResources", req)
	requireStatus(t, link, http.StatusCreated)
	hasExampleKeys(t, "todotask-post-linkedresources#1", want, link.body, "@odata.type")
	links := graphDo(t, f.srv, tok, "GET", "/v1.0/me/todo/lists/"+lid+"/tasks/"+tid+"/linkedResources", nil)
	if n := len(links.body["value"].([]any)); n != 2 {
		t.Errorf("%d linked resources, want the one made with the task and the one added", n)
	}

	// Completing sets completedDateTime; reopening clears it.
	done := graphDo(t, f.srv, tok, "PATCH", "/v1.0/me/todo/lists/"+lid+"/tasks/"+tid, map[string]any{"status": "Completed"})
	requireStatus(t, done, http.StatusOK)
	if done.body["status"] != "completed" || done.body["completedDateTime"] == nil {
		t.Errorf("completed task %v", done.body)
	}
	open := graphDo(t, f.srv, tok, "PATCH", "/v1.0/me/todo/lists/"+lid+"/tasks/"+tid, map[string]any{"status": "notStarted"})
	if _, ok := open.body["completedDateTime"]; ok {
		t.Errorf("reopened task keeps completedDateTime: %v", open.body)
	}
}

func TestTodoDeltaRounds(t *testing.T) {
	f := newFixture(t)
	tok := todoToken(t, f.srv, f.adele.UserPrincipalName)
	lists := graphDo(t, f.srv, tok, "GET", "/v1.0/me/todo/lists?$filter=wellknownListName%20eq%20'defaultList'", nil)
	lid := url.PathEscape(lists.body["value"].([]any)[0].(map[string]any)["id"].(string))
	base := "/v1.0/me/todo/lists/" + lid + "/tasks"
	var ids []string
	for _, title := range []string{"a", "b", "c"} {
		r := graphDo(t, f.srv, tok, "POST", base, map[string]any{"title": title})
		requireStatus(t, r, http.StatusCreated)
		ids = append(ids, r.body["id"].(string))
	}

	// Round one, two to a page: a nextLink, then a deltaLink.
	r := graphDo(t, f.srv, tok, "GET", base+"/delta", nil, "Prefer", "odata.maxpagesize=2")
	requireStatus(t, r, http.StatusOK)
	if r.Header.Get("Preference-Applied") != "odata.maxpagesize=2" || len(r.body["value"].([]any)) != 2 {
		t.Fatalf("first page %v", r.body)
	}
	next := r.body["@odata.nextLink"].(string)
	r = graphDo(t, f.srv, tok, "GET", strings.TrimPrefix(next, f.srv.GraphURL()), nil, "Prefer", "odata.maxpagesize=2")
	if len(r.body["value"].([]any)) != 1 || r.body["@odata.deltaLink"] == nil {
		t.Fatalf("last page %v", r.body)
	}
	_, want := personalExample(t, "todo.json", "todotask-delta#1")
	hasExampleKeys(t, "todotask-delta#1", want, r.body)
	delta := strings.TrimPrefix(r.body["@odata.deltaLink"].(string), f.srv.GraphURL())

	// Round two: a change and a removal.
	graphDo(t, f.srv, tok, "PATCH", base+"/"+url.PathEscape(ids[0]), map[string]any{"title": "a2"})
	requireStatus(t, graphDo(t, f.srv, tok, "DELETE", base+"/"+url.PathEscape(ids[1]), nil), http.StatusNoContent)
	r = graphDo(t, f.srv, tok, "GET", delta, nil)
	requireStatus(t, r, http.StatusOK)
	value := r.body["value"].([]any)
	if len(value) != 2 {
		t.Fatalf("round two %v", value)
	}
	if c := value[0].(map[string]any); c["id"] != ids[0] || c["title"] != "a2" {
		t.Errorf("change %v", c)
	}
	if rm := value[1].(map[string]any); rm["id"] != ids[1] || rm["@removed"].(map[string]any)["reason"] != "deleted" {
		t.Errorf("removal %v", rm)
	}

	f.srv.ExpireTodoDeltaTokens()
	r = graphDo(t, f.srv, tok, "GET", delta, nil)
	if r.StatusCode != http.StatusGone || r.errorCode() != "SyncStateNotFound" {
		t.Errorf("expired link: %d %v", r.StatusCode, r.body)
	}
}

func TestTodoBodiesAndAccess(t *testing.T) {
	f := newFixture(t)
	tok := todoToken(t, f.srv, f.adele.UserPrincipalName)
	lists := graphDo(t, f.srv, tok, "GET", "/v1.0/me/todo/lists", nil)
	def := lists.body["value"].([]any)[0].(map[string]any)["id"].(string)
	base := "/v1.0/me/todo/lists/" + url.PathEscape(def)

	for _, c := range []struct {
		body map[string]any
		code string
	}{
		{map[string]any{"title": "x", "colour": "red"}, "RequestBodyRead"},
		{map[string]any{"title": 5}, "RequestBodyRead"},
		{map[string]any{"importance": "urgent"}, "RequestBodyRead"},
		{map[string]any{"dueDateTime": map[string]any{"dateTime": "2020-07-25T16:00:00", "timeZone": "Mars/Olympus"}}, "InvalidTimeZone"},
		{map[string]any{"dueDateTime": "tomorrow"}, "RequestBodyRead"},
		{map[string]any{"recurrence": map[string]any{"pattern": map[string]any{"type": "daily", "interval": 1}, "range": map[string]any{"type": "noEnd", "startDate": "2020-01-01"}}}, "invalidRequest"},
	} {
		r := graphDo(t, f.srv, tok, "POST", base+"/tasks", c.body)
		if r.StatusCode != http.StatusBadRequest || r.errorCode() != c.code {
			t.Errorf("POST %v: %d %s, want 400 %s", c.body, r.StatusCode, r.errorCode(), c.code)
		}
	}
	for _, m := range []string{"PATCH", "DELETE"} {
		r := graphDo(t, f.srv, tok, m, base, map[string]any{"displayName": "Mine"})
		if r.StatusCode != http.StatusBadRequest {
			t.Errorf("%s of the default list: %d", m, r.StatusCode)
		}
	}
	r := graphDo(t, f.srv, tok, "GET", "/v1.0/me/todo/lists/AAMkADIyAAAhrbPWAAA=", nil)
	if r.StatusCode != http.StatusNotFound || r.errorCode() != "ErrorItemNotFound" {
		t.Errorf("unknown list: %d %s", r.StatusCode, r.errorCode())
	}

	read := todoToken(t, f.srv, f.adele.UserPrincipalName, "Tasks.Read")
	requireStatus(t, graphDo(t, f.srv, read, "GET", base+"/tasks", nil), http.StatusOK)
	requireStatus(t, graphDo(t, f.srv, read, "POST", base+"/tasks", map[string]any{"title": "x"}), http.StatusForbidden)
	none := todoToken(t, f.srv, f.adele.UserPrincipalName, "User.Read")
	requireStatus(t, graphDo(t, f.srv, none, "GET", base+"/tasks", nil), http.StatusForbidden)
	alex := todoToken(t, f.srv, alexUPN, "Tasks.ReadWrite")
	requireStatus(t, graphDo(t, f.srv, alex, "GET", "/v1.0/users/"+f.adele.ID+"/todo/lists", nil), http.StatusForbidden)

	app, err := f.srv.AppToken(daemonID)
	if err != nil {
		t.Fatal(err)
	}
	requireStatus(t, graphDo(t, f.srv, app, "GET", "/v1.0/me/todo/lists", nil), http.StatusBadRequest)
	r = graphDo(t, f.srv, app, "GET", "/v1.0/users/"+f.adele.UserPrincipalName+"/todo/lists/"+url.PathEscape(def)+"/tasks", nil)
	requireStatus(t, r, http.StatusOK)
}

// A client that reached a TLS server as graph.microsoft.com gets delta
// links to that host, as Graph answers, so Microsoft's SDKs (which send
// their token only to Graph's hosts) can follow them.
func TestTodoDeltaLinkNamesTheHostAsked(t *testing.T) {
	f := newWireFix(t, graphtest.WithTLS())
	f.token = todoToken(t, f.srv, "adele@contoso.com")
	list := f.json("POST", "https://graph.microsoft.com/v1.0/me/todo/lists", strings.NewReader(`{"displayName":"Trips"}`),
		"Content-Type", "application/json")
	delta := "https://graph.microsoft.com/v1.0/me/todo/lists/" + url.PathEscape(list["id"].(string)) + "/tasks/delta"
	link, _ := f.json("GET", delta, nil)["@odata.deltaLink"].(string)
	if !strings.HasPrefix(link, delta+"?") {
		t.Fatalf("delta link %q, want it under %s", link, delta)
	}
	f.json("POST", strings.TrimSuffix(delta, "/delta"), strings.NewReader(`{"title":"Pack"}`), "Content-Type", "application/json")
	if got := f.json("GET", link, nil)["value"].([]any); len(got) != 1 {
		t.Errorf("the delta link reports the new task: %v", got)
	}
}
