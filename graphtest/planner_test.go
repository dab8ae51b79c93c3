package graphtest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/go-o365/o365/graphtest"
)

// plannerFixture is a Microsoft 365 group with Adele as member and a plan
// in it; Alex is not a member.
type plannerFixture struct {
	*fixture
	groupID, planID   string
	adeleTok, alexTok string
}

func newPlannerFixture(t *testing.T) *plannerFixture {
	t.Helper()
	f := &plannerFixture{fixture: newFixture(t)}
	g, err := f.srv.AddGroup(graphtest.Group{DisplayName: "Launch", MailNickname: "launch", Mail: "launch@contoso.com",
		MailEnabled: true, GroupTypes: []string{"Unified"}, Members: []string{f.adele.ID}})
	if err != nil {
		t.Fatal(err)
	}
	f.groupID = g.ID
	if f.planID, err = f.srv.AddPlan("launch@contoso.com", "Launch plan"); err != nil {
		t.Fatal(err)
	}
	if f.adeleTok, err = f.srv.UserToken(f.adele.UserPrincipalName, "Tasks.ReadWrite"); err != nil {
		t.Fatal(err)
	}
	if f.alexTok, err = f.srv.UserToken(f.alex.UserPrincipalName, "Tasks.ReadWrite"); err != nil {
		t.Fatal(err)
	}
	return f
}

// send makes a Graph request with a JSON body and headers (name, value
// pairs), decoding any JSON answer.
func send(t *testing.T, srv *graphtest.Server, token, method, path string, body any, header ...string) graphResponse {
	t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, srv.GraphURL()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if resp.StatusCode != http.StatusNoContent {
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			t.Fatalf("%s %s: status %d, body is not JSON: %v", method, path, resp.StatusCode, err)
		}
	}
	return graphResponse{resp, out}
}

func wantStatus(t *testing.T, r graphResponse, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("status %d, want %d: %v", r.StatusCode, status, r.body)
	}
}

func (f *plannerFixture) newTask(t *testing.T, title string, extra map[string]any) map[string]any {
	t.Helper()
	body := map[string]any{"planId": f.planID, "title": title}
	for k, v := range extra {
		body[k] = v
	}
	r := send(t, f.srv, f.adeleTok, "POST", "/v1.0/planner/tasks", body)
	wantStatus(t, r, http.StatusCreated)
	return r.body
}

func TestPlannerIfMatchAndPrefer(t *testing.T) {
	f := newPlannerFixture(t)
	task := f.newTask(t, "Draft", nil)
	id, etag := task["id"].(string), task["@odata.etag"].(string)
	if !strings.HasPrefix(etag, `W/"`) || len(id) != 28 {
		t.Fatalf("etag %q, id %q: want W/\"…\" and a 28-character id", etag, id)
	}
	path := "/v1.0/planner/tasks/" + id

	r := send(t, f.srv, f.adeleTok, "PATCH", path, map[string]any{"title": "x"})
	wantStatus(t, r, http.StatusBadRequest)
	if r.errorMessage() != "The If-Match header must be specified for this kind of request." {
		t.Errorf("missing If-Match: %q", r.errorMessage())
	}
	wantStatus(t, send(t, f.srv, f.adeleTok, "PATCH", path, map[string]any{"title": "x"}, "If-Match", "nonsense"), http.StatusBadRequest)
	wantStatus(t, send(t, f.srv, f.adeleTok, "DELETE", path, nil), http.StatusBadRequest)

	// Without Prefer: 204 and a new etag.
	wantStatus(t, send(t, f.srv, f.adeleTok, "PATCH", path, map[string]any{"title": "Draft 2"}, "If-Match", etag), http.StatusNoContent)
	got := get(t, f.srv, f.adeleTok, path)
	if got.body["title"] != "Draft 2" || got.body["@odata.etag"] == etag || got.Header.Get("ETag") != got.body["@odata.etag"] {
		t.Fatalf("after PATCH: %v (ETag header %q), want the new title and a new etag", got.body, got.Header.Get("ETag"))
	}
	// The old etag is stale now: 412, and nothing changes.
	stale := send(t, f.srv, f.adeleTok, "PATCH", path, map[string]any{"title": "Lost"}, "If-Match", etag)
	wantStatus(t, stale, http.StatusPreconditionFailed)
	wantStatus(t, send(t, f.srv, f.adeleTok, "DELETE", path, nil, "If-Match", etag), http.StatusPreconditionFailed)
	if again := get(t, f.srv, f.adeleTok, path); again.body["title"] != "Draft 2" || again.body["@odata.etag"] != got.body["@odata.etag"] {
		t.Fatalf("a stale PATCH changed the task: %v", again.body)
	}

	// With Prefer: 200, the item, and percentComplete 100 completes it.
	etag2 := got.body["@odata.etag"].(string)
	rep := send(t, f.srv, f.adeleTok, "PATCH", path, map[string]any{"percentComplete": 100}, "If-Match", etag2, "Prefer", "return=representation")
	wantStatus(t, rep, http.StatusOK)
	if rep.Header.Get("Preference-Applied") != "return=representation" || rep.body["@odata.etag"] == etag2 {
		t.Errorf("Prefer answer: header %q, etag %v", rep.Header.Get("Preference-Applied"), rep.body["@odata.etag"])
	}
	by, _ := rep.body["completedBy"].(map[string]any)
	user, _ := by["user"].(map[string]any)
	if rep.body["completedDateTime"] == nil || user["id"] != f.adele.ID {
		t.Errorf("completed task: completedDateTime %v, completedBy %v", rep.body["completedDateTime"], rep.body["completedBy"])
	}
	back := send(t, f.srv, f.adeleTok, "PATCH", path, map[string]any{"percentComplete": 50}, "If-Match", rep.body["@odata.etag"].(string), "Prefer", "return=representation")
	wantStatus(t, back, http.StatusOK)
	if back.body["completedDateTime"] != nil || back.body["completedBy"] != nil {
		t.Errorf("reopened task still completed: %v", back.body)
	}
	wantStatus(t, send(t, f.srv, f.adeleTok, "DELETE", path, nil, "If-Match", back.body["@odata.etag"].(string)), http.StatusNoContent)
	wantStatus(t, get(t, f.srv, f.adeleTok, path), http.StatusNotFound)
}

func TestPlannerAccess(t *testing.T) {
	f := newPlannerFixture(t)
	planPath := "/v1.0/planner/plans/" + f.planID
	wantStatus(t, get(t, f.srv, f.adeleTok, planPath), http.StatusOK)
	// Alex is not a member of the plan's group.
	wantStatus(t, get(t, f.srv, f.alexTok, planPath), http.StatusForbidden)
	wantStatus(t, get(t, f.srv, f.alexTok, "/v1.0/groups/"+f.groupID+"/planner/plans"), http.StatusForbidden)
	wantStatus(t, send(t, f.srv, f.alexTok, "POST", "/v1.0/planner/plans",
		map[string]any{"title": "Mine", "container": map[string]any{"containerId": f.groupID, "type": "group"}}), http.StatusForbidden)
	wantStatus(t, send(t, f.srv, f.alexTok, "POST", "/v1.0/planner/tasks", map[string]any{"planId": f.planID, "title": "x"}), http.StatusForbidden)
	if r := get(t, f.srv, f.alexTok, "/v1.0/me/planner/plans"); len(r.body["value"].([]any)) != 0 {
		t.Errorf("Alex's plans: %v, want none", r.body["value"])
	}
	// Reading takes a Planner scope; writing a write scope.
	readOnly, _ := f.srv.UserToken(f.adele.UserPrincipalName, "Tasks.Read")
	wantStatus(t, get(t, f.srv, readOnly, planPath), http.StatusOK)
	wantStatus(t, send(t, f.srv, readOnly, "POST", "/v1.0/planner/tasks", map[string]any{"planId": f.planID, "title": "x"}), http.StatusForbidden)
	wantStatus(t, get(t, f.srv, userToken(t, f.srv, f.adele.UserPrincipalName), planPath), http.StatusForbidden)
	// Membership makes the difference.
	if err := f.srv.AddGroupMember(f.groupID, f.alex.UserPrincipalName); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, get(t, f.srv, f.alexTok, planPath), http.StatusOK)
	wantStatus(t, get(t, f.srv, f.adeleTok, "/v1.0/planner/plans/NoSuchPlanAAAAAAAAAAAAAAAAA"), http.StatusNotFound)
}

func TestPlannerAssignedTasksAndHints(t *testing.T) {
	f := newPlannerFixture(t)
	assign := map[string]any{f.adele.ID: map[string]any{"@odata.type": "#microsoft.graph.plannerAssignment", "orderHint": " !"}}
	f.newTask(t, "Mine", map[string]any{"assignments": assign})
	f.newTask(t, "Nobody's", nil)
	r := get(t, f.srv, f.adeleTok, "/v1.0/me/planner/tasks")
	vals := r.body["value"].([]any)
	if len(vals) != 1 || vals[0].(map[string]any)["title"] != "Mine" {
		t.Fatalf("/me/planner/tasks = %v, want only Mine", vals)
	}
	wantStatus(t, get(t, f.srv, f.adeleTok, "/v1.0/users/"+f.alex.ID+"/planner/tasks"), http.StatusForbidden)

	// An assignment needs its @odata.type and an input order hint.
	bad := map[string]any{f.adele.ID: map[string]any{"orderHint": " !"}}
	wantStatus(t, send(t, f.srv, f.adeleTok, "POST", "/v1.0/planner/tasks", map[string]any{"planId": f.planID, "title": "x", "assignments": bad}), http.StatusBadRequest)
	wantStatus(t, send(t, f.srv, f.adeleTok, "POST", "/v1.0/planner/tasks", map[string]any{"planId": f.planID, "title": "x", "orderHint": "ABC"}), http.StatusBadRequest)

	// Buckets placed with composed hints come back in the asked order.
	mk := func(name, hint string) string {
		r := send(t, f.srv, f.adeleTok, "POST", "/v1.0/planner/buckets", map[string]any{"name": name, "planId": f.planID, "orderHint": hint})
		wantStatus(t, r, http.StatusCreated)
		h := r.body["orderHint"].(string)
		if strings.ContainsAny(h, " !") || h == "" {
			t.Fatalf("bucket %s hint %q: want a service value", name, h)
		}
		return h
	}
	b := mk("B", " !")
	a := mk("A", " "+b+"!")
	d := mk("D", b+" !")
	c := mk("C", b+" "+d+"!")
	hints := []string{a, b, c, d}
	for i := 1; i < len(hints); i++ {
		if hints[i-1] >= hints[i] {
			t.Errorf("hints %q are not in the order asked for (A, B, C, D)", hints)
		}
	}
}

func TestPlannerDetailsValidation(t *testing.T) {
	f := newPlannerFixture(t)
	task := f.newTask(t, "Details", nil)
	path := "/v1.0/planner/tasks/" + task["id"].(string) + "/details"
	d := get(t, f.srv, f.adeleTok, path)
	wantStatus(t, d, http.StatusOK)
	etag := d.body["@odata.etag"].(string)
	ref := map[string]any{"@odata.type": "microsoft.graph.plannerExternalReference", "alias": "Docs"}
	for name, body := range map[string]map[string]any{
		"unencoded key":      {"references": map[string]any{"https://contoso.com/a.docx": ref}},
		"not http":           {"references": map[string]any{"ftp%3A//contoso%2Ecom": ref}},
		"reference untyped":  {"references": map[string]any{"https%3A//contoso%2Ecom": map[string]any{"alias": "x"}}},
		"checklist untyped":  {"checklist": map[string]any{"a": map[string]any{"title": "x"}}},
		"checklist no title": {"checklist": map[string]any{"a": map[string]any{"@odata.type": "#microsoft.graph.plannerChecklistItem"}}},
		"bad preview type":   {"previewType": "everything"},
		"read-only property": {"id": "x"},
		"hint not composed":  {"checklist": map[string]any{"a": map[string]any{"@odata.type": "microsoft.graph.plannerChecklistItem", "title": "x", "orderHint": "abc"}}},
	} {
		r := send(t, f.srv, f.adeleTok, "PATCH", path, body, "If-Match", etag)
		if r.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", name, r.StatusCode)
		}
	}
	// None of those changed anything: the etag still works.
	good := map[string]any{
		"description": "d",
		"references":  map[string]any{"https%3A//contoso%2Ecom/a%2Edocx": ref},
		"checklist":   map[string]any{"a": map[string]any{"@odata.type": "microsoft.graph.plannerChecklistItem", "title": "x"}},
	}
	r := send(t, f.srv, f.adeleTok, "PATCH", path, good, "If-Match", etag, "Prefer", "return=representation")
	wantStatus(t, r, http.StatusOK)
	refs := r.body["references"].(map[string]any)
	if _, ok := refs["https%3A//contoso%2Ecom/a%2Edocx"]; !ok || r.body["description"] != "d" {
		t.Errorf("details after PATCH: %v", r.body)
	}
	got := get(t, f.srv, f.adeleTok, "/v1.0/planner/tasks/"+task["id"].(string))
	if got.body["hasDescription"] != true || got.body["checklistItemCount"] != float64(1) || got.body["referenceCount"] != float64(1) ||
		got.body["@odata.etag"] != task["@odata.etag"] {
		t.Errorf("task after its details changed: %v (its etag must not change)", got.body)
	}
}

func TestPlannerAppOnly(t *testing.T) {
	f := newPlannerFixture(t)
	tok, err := f.srv.AppToken(daemonID)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, get(t, f.srv, tok, "/v1.0/planner/plans/"+f.planID), http.StatusOK)
	wantStatus(t, get(t, f.srv, tok, "/v1.0/me/planner/plans"), http.StatusBadRequest)
	r := get(t, f.srv, tok, "/v1.0/users/"+f.adele.ID+"/planner/plans")
	wantStatus(t, r, http.StatusOK)
	if len(r.body["value"].([]any)) != 1 {
		t.Errorf("Adele's plans, read by an app: %v", r.body["value"])
	}
}
