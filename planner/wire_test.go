package planner_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/internal/wiretest"
	"github.com/go-o365/o365/planner"
	"github.com/go-o365/o365/token"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

func loadExamples(t testing.TB) map[string]wiretest.Example {
	return wiretest.Load(t, "testdata/planner.json")
}

// Every documented response decodes into the package's types and encodes
// again without losing a property.
func TestExamplesRoundTrip(t *testing.T) {
	plan := wiretest.RoundTrip[planner.Plan]()
	plans := wiretest.RoundTrip[api.Page[planner.Plan]]()
	bucket := wiretest.RoundTrip[planner.Bucket]()
	buckets := wiretest.RoundTrip[api.Page[planner.Bucket]]()
	task := wiretest.RoundTrip[planner.Task]()
	tasks := wiretest.RoundTrip[api.Page[planner.Task]]()
	details := wiretest.RoundTrip[planner.TaskDetails]()
	wiretest.CheckResponses(t, loadExamples(t), map[string]wiretest.Check{
		"planner-post-plans#1":       plan,
		"plannerplan-get#1":          plan,
		"plannerplan-update#1":       plan,
		"plannergroup-list-plans#1":  plans,
		"planneruser-list-plans#1":   plans,
		"plannerplan-list-buckets#1": buckets,
		"planner-post-buckets#1":     bucket,
		"plannerbucket-update#1":     bucket,
		"plannerplan-list-tasks#1":   tasks,
		"plannerbucket-list-tasks#1": tasks,
		"planneruser-list-tasks#1":   tasks,
		"planner-post-tasks#1":       task,
		"plannertask-get#1":          task,
		// The example's one assignedDateTime without a zone (Graph
		// sends UTC with Z) is read as UTC.
		"plannertask-update#1": func(t *testing.T, body []byte) {
			task(t, []byte(strings.Replace(string(body), `"2017-04-24T22:40:44.5665917"`, `"2017-04-24T22:40:44.5665917Z"`, 1)))
		},
		"plannertaskdetails-get#1":    details,
		"plannertaskdetails-update#1": details,
	})
}

// captured is one request the fake Graph received.
type captured struct {
	method, path, ifMatch, prefer string
	body                          map[string]any
}

// fakeGraph is a Graph that records requests and answers each with the
// JSON of answer (or 204 for a nil one).
func fakeGraph(t *testing.T, answer func(r *http.Request) (int, any)) (*o365.Account, func() []captured) {
	t.Helper()
	var (
		mu  sync.Mutex
		got []captured
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := captured{method: r.Method, path: r.URL.Path, ifMatch: r.Header.Get("If-Match"), prefer: r.Header.Get("Prefer")}
		if data, _ := io.ReadAll(r.Body); len(data) > 0 {
			require.NoError(t, json.Unmarshal(data, &c.body))
		}
		mu.Lock()
		got = append(got, c)
		mu.Unlock()
		status, v := answer(r)
		if v == nil {
			w.WriteHeader(status)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(v)
	}))
	t.Cleanup(srv.Close)
	acct := o365.NewAccount(o365.Credentials{ClientID: "wire-test"},
		o365.WithCloud(o365.Cloud{Login: srv.URL, Graph: srv.URL}),
		o365.WithTokenBackend(token.NewMemoryBackend()),
		o365.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "fake-token"})),
		o365.WithRetries(0))
	return acct, func() []captured {
		mu.Lock()
		defer mu.Unlock()
		return append([]captured(nil), got...)
	}
}

// normalized drops the optional '#' of @odata.type values, which Planner
// takes with or without (its own examples use both), so bodies compare
// by meaning.
func normalized(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, val := range x {
			if s, ok := val.(string); ok && k == "@odata.type" {
				val = strings.TrimPrefix(s, "#")
			}
			out[k] = normalized(val)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = normalized(val)
		}
		return out
	}
	return v
}

// asMap decodes an example's body, with its one assignedDateTime without
// a zone read as UTC (Graph sends UTC with Z).
func asMap(t *testing.T, raw json.RawMessage) map[string]any {
	t.Helper()
	var m map[string]any
	fixed := strings.Replace(string(raw), `"2017-04-24T22:40:44.5665917"`, `"2017-04-24T22:40:44.5665917Z"`, 1)
	require.NoError(t, json.Unmarshal([]byte(fixed), &m))
	return m
}

// The package sends what Microsoft's request examples send, with the
// headers Planner requires.
func TestRequestsMatchExamples(t *testing.T) {
	ctx := context.Background()
	ex := loadExamples(t)
	const etag = `W/"JzEtVGFzayAgQEBAQEBAQEBAQEBAQEBAWCc="`
	// Each step answers GETs with before until a PATCH or POST has been
	// seen, then everything with the example's response: the examples'
	// responses carry no etag, so Save reads the item again after PATCH.
	var (
		id      string
		before  string
		changed bool
	)
	acct, requests := fakeGraph(t, func(r *http.Request) (int, any) {
		if r.Method == http.MethodGet && !changed {
			var v map[string]any
			require.NoError(t, json.Unmarshal([]byte(before), &v))
			return http.StatusOK, v
		}
		changed = true
		e := ex[id]
		if r.Method == http.MethodGet {
			return http.StatusOK, asMap(t, e.ResponseBody)
		}
		if !e.HasResponse() {
			return e.Status, nil
		}
		return e.Status, asMap(t, e.ResponseBody)
	})
	step := func(example, state string) int {
		id, before, changed = example, state, false
		return len(requests())
	}
	// sent is the one PATCH or POST sent since mark, checked against the
	// example's method, path and body.
	sent := func(mark int, path string) captured {
		t.Helper()
		var writes []captured
		for _, c := range requests()[mark:] {
			if c.method != http.MethodGet {
				writes = append(writes, c)
			}
		}
		require.Len(t, writes, 1, id)
		c, e := writes[0], ex[id]
		assert.Equal(t, e.Method, c.method, id)
		assert.Equal(t, path, c.path, id)
		assert.Equal(t, normalized(asMap(t, e.RequestBody)), normalized(c.body), id)
		if c.method == http.MethodPatch {
			assert.Equal(t, etag, c.ifMatch, id)
			assert.Equal(t, "return=representation", c.prefer, id)
		}
		return c
	}
	pl := acct.Planner()

	mark := step("planner-post-plans#1", "")
	plan, err := pl.CreatePlan(ctx, &planner.Plan{Title: "title-value",
		Container: &planner.PlanContainer{URL: "https://graph.microsoft.com/beta/groups/ebf3b108-5234-4e22-b93d-656d7dae5874"}})
	require.NoError(t, err)
	sent(mark, "/v1.0/planner/plans")
	assert.Equal(t, "ebf3b108-5234-4e22-b93d-656d7dae5874", plan.GroupID())

	mark = step("plannerplan-update#1", `{"id":"xqQg5FS2LkCp935s-FIFm2QAFkHM","@odata.etag":`+strconvQuote(etag)+`,"title":"Old title"}`)
	plan, err = pl.Plan(ctx, "xqQg5FS2LkCp935s-FIFm2QAFkHM")
	require.NoError(t, err)
	plan.Title = "title-value"
	require.NoError(t, plan.Save(ctx))
	sent(mark, "/v1.0/planner/plans/xqQg5FS2LkCp935s-FIFm2QAFkHM")
	assert.Equal(t, "ebf3b108-5234-4e22-b93d-656d7dae5874", plan.Owner, "the plan holds Graph's answer")

	mark = step("planner-post-buckets#1", "")
	hint, err := planner.OrderHintBetween("", "")
	require.NoError(t, err)
	b, err := pl.CreateBucket(ctx, &planner.Bucket{Name: "Advertising", PlanID: "xqQg5FS2LkCp935s-FIFm2QAFkHM", OrderHint: hint})
	require.NoError(t, err)
	sent(mark, "/v1.0/planner/buckets")
	assert.Equal(t, "85752723360752+", b.OrderHint)

	mark = step("plannerbucket-update#1", "")
	b.ETag = etag
	b.Name = "Development"
	require.NoError(t, b.Save(ctx))
	sent(mark, "/v1.0/planner/buckets/hsOf2dhOJkqyYYZEtdzDe2QAIUCR")

	mark = step("planner-post-tasks#1", "")
	draft := &planner.Task{PlanID: "xqQg5FS2LkCp935s-FIFm2QAFkHM", BucketID: "hsOf2dhOJkqyYYZEtdzDe2QAIUCR", Title: "Update client list"}
	draft.Assign("fbab97d0-4932-4511-b675-204639209557")
	task, err := pl.CreateTask(ctx, draft)
	require.NoError(t, err)
	sent(mark, "/v1.0/planner/tasks")
	assert.Equal(t, "RWk1", task.Assignments["fbab97d0-4932-4511-b675-204639209557"].OrderHint)

	// Assign a user between two assignees, and relabel.
	mark = step("plannertask-update#1", `{"id":"01gzSlKkIUSUl6DF_EilrmQAKDhh","@odata.etag":`+strconvQuote(etag)+`,"title":"t",
		"appliedCategories":{"category4":true}}`)
	task, err = pl.Task(ctx, "01gzSlKkIUSUl6DF_EilrmQAKDhh")
	require.NoError(t, err)
	task.Assign("fbab97d0-4932-4511-b675-204639209557")
	a := task.Assignments["fbab97d0-4932-4511-b675-204639209557"]
	a.OrderHint, err = planner.OrderHintBetween("N9917", "U2883")
	require.NoError(t, err)
	task.Assignments["fbab97d0-4932-4511-b675-204639209557"] = a
	task.AppliedCategories["category3"] = true
	delete(task.AppliedCategories, "category4")
	require.NoError(t, task.Save(ctx))
	sent(mark, "/v1.0/planner/tasks/01gzSlKkIUSUl6DF_EilrmQAKDhh")
	assert.Len(t, task.Assignments, 3, "the task holds Graph's answer")

	mark = step("plannertaskdetails-update#1", detailsBefore)
	d, err := pl.TaskDetails(ctx, "gcrYAaAkgU2EQUvpkNNXLGQAGTtu")
	require.NoError(t, err)
	d.PreviewType = planner.PreviewNone
	require.NoError(t, d.AddReference("http://developer.microsoft.com", "Documentation", "Other"))
	ref := d.References["http://developer.microsoft.com"]
	ref.PreviewPriority = " !"
	d.References["http://developer.microsoft.com"] = ref
	ge := d.References["https://developer.microsoft.com/en-us/graph/graph-explorer"]
	ge.PreviewPriority = "  !!"
	d.References["https://developer.microsoft.com/en-us/graph/graph-explorer"] = ge
	delete(d.References, "http://www.bing.com")
	item := d.Checklist["95e27074-6c4a-447a-aa24-9d718a0b86fa"]
	item.Title, item.IsChecked = "Update task details", true
	d.Checklist["95e27074-6c4a-447a-aa24-9d718a0b86fa"] = item
	require.NoError(t, d.Check("d280ed1a-9f6b-4f9c-a962-fb4d00dc50ff", true))
	delete(d.Checklist, "a93c93c5-10a6-4167-9551-8bafa09967a7")
	require.NoError(t, d.Save(ctx))
	sent(mark, "/v1.0/planner/tasks/gcrYAaAkgU2EQUvpkNNXLGQAGTtu/details")
	assert.Equal(t, "Documentation", d.References["http://developer.microsoft.com"].Alias)

	// Deleting sends the etag.
	mark = step("plannerplan-delete#1", "")
	plan.ETag = etag
	require.NoError(t, plan.Delete(ctx))
	del := requests()[mark]
	assert.Equal(t, http.MethodDelete, del.method)
	assert.Equal(t, etag, del.ifMatch)
}

// detailsBefore is a state of task details from which Microsoft's update
// example is the change.
const detailsBefore = `{"id":"gcrYAaAkgU2EQUvpkNNXLGQAGTtu","@odata.etag":"W/\"JzEtVGFzayAgQEBAQEBAQEBAQEBAQEBAWCc=\"","previewType":"automatic",
 "references":{"https%3A//developer%2Emicrosoft%2Ecom/en-us/graph/graph-explorer":{"alias":"Graph Explorer","type":"Other","previewPriority":"8599273"},
   "http%3A//www%2Ebing%2Ecom":{"alias":"Bing","type":"Other","previewPriority":"9"}},
 "checklist":{"95e27074-6c4a-447a-aa24-9d718a0b86fa":{"title":"Update details","isChecked":false,"orderHint":"8"},
   "d280ed1a-9f6b-4f9c-a962-fb4d00dc50ff":{"title":"Try reading task details","isChecked":false,"orderHint":"a"},
   "a93c93c5-10a6-4167-9551-8bafa09967a7":{"title":"Old","isChecked":false,"orderHint":"b"}}}`

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// graphtest answers with the properties of Microsoft's examples.
func TestEmulatorShapes(t *testing.T) {
	ctx := context.Background()
	ex := loadExamples(t)
	tn := newTenant(t)
	acct := tn.signIn(t, adele)
	pl := acct.Planner()
	plan, err := pl.CreatePlan(ctx, &planner.Plan{Title: "Shapes", Container: planner.GroupContainer(tn.groupID)})
	require.NoError(t, err)
	b, err := plan.CreateBucket(ctx, "To do", "")
	require.NoError(t, err)
	draft := &planner.Task{Title: "Shapes", Priority: planner.PriorityLow}
	draft.Assign(tn.alex.ID)
	task, err := b.CreateTask(ctx, draft)
	require.NoError(t, err)
	d, err := task.Details(ctx)
	require.NoError(t, err)
	d.Description = "x"
	d.AddChecklistItem("one")
	require.NoError(t, d.AddReference("https://contoso.com/a.docx", "Doc", "Word"))
	require.NoError(t, d.Save(ctx))

	base := tn.srv.GraphURL() + "/v1.0"
	con := acct.Connection()
	for exampleID, path := range map[string]string{
		"plannerplan-get#1":          "/planner/plans/" + plan.ID,
		"plannergroup-list-plans#1":  "/groups/" + tn.groupID + "/planner/plans",
		"plannerplan-list-buckets#1": "/planner/plans/" + plan.ID + "/buckets",
		"plannerplan-list-tasks#1":   "/planner/plans/" + plan.ID + "/tasks",
		"plannerbucket-list-tasks#1": "/planner/buckets/" + b.ID + "/tasks",
		"plannertask-get#1":          "/planner/tasks/" + task.ID,
		"plannertaskdetails-get#1":   "/planner/tasks/" + task.ID + "/details",
	} {
		got := wiretest.Get(ctx, t, con, base+path)
		// Keys of open types (user ids, GUIDs, URLs) differ by nature.
		missing := wiretest.MissingKeys(normalizedKeys(ex[exampleID].ResponseBody), normalizedKeys(got))
		assert.Empty(t, missing, exampleID)
	}
}

// normalizedKeys renames the members of open types (assignments,
// checklist, references) to "*", so documents compare by shape.
func normalizedKeys(raw []byte) []byte {
	var v any
	json.Unmarshal(raw, &v)
	var walk func(v any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			out := map[string]any{}
			for k, val := range x {
				if k == "assignments" || k == "checklist" || k == "references" {
					if m, ok := val.(map[string]any); ok {
						star := map[string]any{}
						for _, member := range m {
							for mk, mv := range member.(map[string]any) {
								star[mk] = mv
							}
						}
						out[k] = map[string]any{"*": walk(star)}
						continue
					}
				}
				out[k] = walk(val)
			}
			return out
		case []any:
			out := make([]any, len(x))
			for i, val := range x {
				out[i] = walk(val)
			}
			return out
		}
		return v
	}
	b, _ := json.Marshal(walk(v))
	return b
}
