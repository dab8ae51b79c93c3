package todo_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/calendar"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/internal/wiretest"
	"github.com/go-o365/o365/todo"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExamplesRoundTrip decodes every To Do example response of
// Microsoft's documentation into the package's types and encodes it
// back, losing nothing the types model.
func TestExamplesRoundTrip(t *testing.T) {
	ex := wiretest.Load(t, "testdata/todo.json")
	task := wiretest.RoundTrip[todo.Task]("@odata.context")
	tasks := wiretest.RoundTrip[api.Page[*todo.Task]]()
	wiretest.CheckResponses(t, ex, map[string]wiretest.Check{
		"todo-list-lists#1":               wiretest.RoundTrip[api.Page[*todo.List]](),
		"todo-post-lists#1":               wiretest.RoundTrip[todo.List](),
		"todotasklist-list-tasks#1":       tasks,
		"todotasklist-post-tasks#1":       task,
		"todotask-get#1":                  task,
		"todotask-update#1":               task,
		"todotask-delta#1":                tasks,
		"todotask-post-checklistitems#1":  wiretest.RoundTrip[todo.ChecklistItem]("@odata.context"),
		"checklistitem-update#1":          wiretest.RoundTrip[todo.ChecklistItem]("@odata.context"),
		"todotask-post-linkedresources#1": wiretest.RoundTrip[todo.LinkedResource](),
		"todotask-post-attachments#1":     wiretest.RoundTrip[todo.Attachment](),
		"todotask-list-attachments#1":     wiretest.RoundTrip[api.Page[*todo.Attachment]](),
		// The page wraps the attachment in "value"; Graph answers an
		// entity as itself.
		"taskfileattachment-get#1": func(t *testing.T, body []byte) {
			var wrapped struct{ Value json.RawMessage }
			require.NoError(t, json.Unmarshal(body, &wrapped))
			wiretest.RoundTrip[todo.Attachment]()(t, wrapped.Value)
		},
		"taskfileattachment-createuploadsession#1": wiretest.RoundTrip[api.UploadSession]("@odata.context"),
	})
}

// The documented task decodes to the values it shows, its due time in
// the zone it names.
func TestExampleValues(t *testing.T) {
	ex := wiretest.Load(t, "testdata/todo.json")
	var tk todo.Task
	require.NoError(t, api.Unmarshal(ex["todotask-get#1"].ResponseBody, &tk))
	assert.Equal(t, "Shop for dinner", tk.Title)
	assert.Equal(t, todo.Low, tk.Importance)
	assert.Equal(t, todo.NotStarted, tk.Status)
	assert.Equal(t, []string{"Important", "Urgent"}, tk.Categories)
	assert.True(t, tk.DueDateTime.Equal(time.Date(2020, 8, 25, 4, 0, 0, 0, time.UTC)))
	assert.Equal(t, "UTC", tk.DueDateTime.Location().String())

	var page api.Page[*todo.Task]
	require.NoError(t, api.Unmarshal(ex["todotask-delta#1"].ResponseBody, &page))
	assert.Contains(t, page.DeltaLink, "$deltatoken=")

	var att struct {
		Value todo.Attachment `json:"value"`
	}
	require.NoError(t, api.Unmarshal(ex["taskfileattachment-get#1"].ResponseBody, &att))
	assert.Equal(t, "Q1 Planning.docx", att.Value.Name)
	assert.Equal(t, int64(29068), att.Value.Size)
	assert.Equal(t, []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x0e\x00\x00\x00\x00"), att.Value.ContentBytes, "base64 decoded: a .docx is a zip")
	assert.True(t, att.Value.LastModifiedDateTime.Equal(time.Date(2021, 4, 2, 3, 41, 29, 0, time.UTC)))

	var lists api.Page[*todo.List]
	require.NoError(t, api.Unmarshal(ex["todo-list-lists#1"].ResponseBody, &lists))
	assert.True(t, lists.Value[0].IsDefault())
	assert.False(t, lists.Value[1].IsDefault())
}

// The library's requests carry the properties of Microsoft's request
// examples, by the same names, and graphtest takes Microsoft's bodies.
func TestRequestsMatchExamples(t *testing.T) {
	ctx := context.Background()
	ex := wiretest.Load(t, "testdata/todo.json")
	srv := emulator(t)
	w := o365test.NewWire()
	acct := o365test.SignIn(t, srv, adele, password, o365.WithScopes("tasks_all"), o365.WithHTTPClient(&http.Client{Transport: w}))
	td := acct.Tasks()

	last := func(method, suffix string) []byte {
		t.Helper()
		for _, s := range w.Take() {
			if s.Method == method && strings.HasSuffix(s.Path, suffix) {
				return s.Body
			}
		}
		t.Fatalf("no %s …%s sent", method, suffix)
		return nil
	}
	same := func(id string, sent []byte) {
		t.Helper()
		assert.Empty(t, wiretest.MissingKeys(ex[id].RequestBody, sent), id)
		assert.Empty(t, wiretest.MissingKeys(sent, ex[id].RequestBody), id)
	}

	w.Take()
	list, err := td.CreateList(ctx, "Travel items")
	require.NoError(t, err)
	same("todo-post-lists#1", last("POST", "/todo/lists"))

	task, err := list.CreateTask(ctx, &todo.Task{Title: "A new task", LinkedResources: []*todo.LinkedResource{
		{WebURL: "http://microsoft.com", ApplicationName: "Microsoft", DisplayName: "Microsoft"}}})
	require.NoError(t, err)
	sent := last("POST", "/tasks")
	var body map[string]any
	require.NoError(t, json.Unmarshal(sent, &body))
	assert.Equal(t, "A new task", body["title"])
	assert.Empty(t, wiretest.MissingKeys(ex["todotasklist-post-tasks#1"].RequestBody, sent))
	require.Len(t, task.LinkedResources, 1)
	assert.NotEmpty(t, task.LinkedResources[0].ID)

	eastern, err := calendar.LoadLocation("Eastern Standard Time")
	require.NoError(t, err)
	task.DueDateTime = time.Date(2020, 7, 25, 16, 0, 0, 0, eastern)
	require.NoError(t, task.Save(ctx))
	sent = last("PATCH", "/tasks/"+task.ID)
	same("todotask-update#1", sent)
	require.NoError(t, json.Unmarshal(sent, &body))
	assert.Equal(t, map[string]any{"dateTime": "2020-07-25T16:00:00.0000000", "timeZone": "Eastern Standard Time"}, body["dueDateTime"])

	item, err := task.AddChecklistItem(ctx, "Final sign-off from the team")
	require.NoError(t, err)
	same("todotask-post-checklistitems#1", last("POST", "/checklistItems"))
	require.NoError(t, item.Rename(ctx, "buy cake"))
	same("checklistitem-update#1", last("PATCH", "/checklistItems/"+item.ID))

	_, err = task.AddLinkedResource(ctx, todo.LinkedResource{WebURL: "https://microsoft.com", ApplicationName: "Microsoft",
		DisplayName: "Microsoft", ExternalID: "dk9cddce2-dce2-f9dd-e2dc-cdf9e2dccdf9"})
	require.NoError(t, err)
	same("todotask-post-linkedresources#1", last("POST", "/linkedResources"))

	// Microsoft's example's contentBytes is a placeholder, not base64: the
	// library sends real content under the same names (and the size,
	// which the page lists as a property of the body).
	_, err = task.Attach(ctx, todo.File{Content: strings.NewReader("smile"), Name: "smile", ContentType: "image/gif"})
	require.NoError(t, err)
	sent = last("POST", "/attachments")
	assert.Empty(t, wiretest.MissingKeys(ex["todotask-post-attachments#1"].RequestBody, sent))
	require.NoError(t, json.Unmarshal(sent, &body))
	assert.Equal(t, "#microsoft.graph.taskFileAttachment", body["@odata.type"])
	assert.Equal(t, "c21pbGU=", body["contentBytes"])

	_, err = task.Attach(ctx, todo.File{Content: strings.NewReader(strings.Repeat("x", todo.LargeAttachmentSize)), Name: "flower"})
	require.NoError(t, err)
	sent = last("POST", "/attachments/createUploadSession")
	assert.Empty(t, wiretest.MissingKeys(ex["taskfileattachment-createuploadsession#1"].RequestBody, sent))
}
