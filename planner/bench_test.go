package planner_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/planner"
)

const benchTasks = 1000

// tasksPage is one Graph page of n tasks with every property Graph sends
// for a task, two assignees and two labels each, about 1.6 KB a task.
func tasksPage(n int) []byte {
	assignment := func(user, hint string) map[string]any {
		return map[string]any{
			"@odata.type":      "#microsoft.graph.plannerAssignment",
			"assignedDateTime": "2026-03-25T18:38:21.956Z",
			"orderHint":        hint,
			"assignedBy": map[string]any{
				"user":        map[string]any{"id": "6463a5ce-2119-4198-9f2a-628761df4a62", "displayName": nil},
				"application": map[string]any{"id": "95e27074-6c4a-447a-aa24-9d718a0b86fa", "displayName": nil},
			},
		}
	}
	value := make([]map[string]any, n)
	for i := range value {
		value[i] = map[string]any{
			"@odata.etag":              `W/"JzEtVGFzayAgQEBAQEBAQEBAQEBAQEBAWCc="`,
			"id":                       fmt.Sprintf("01gzSlKkIUSUl6DF_Eilrm%06d", i),
			"planId":                   "xqQg5FS2LkCp935s-FIFm2QAFkHM",
			"bucketId":                 "gcrYAaAkgU2EQUvpkNNXLGQAGTtu",
			"title":                    fmt.Sprintf("Task %d: update the client list", i),
			"orderHint":                fmt.Sprintf("85752723360752%d+", i),
			"assigneePriority":         "8586269713608281353",
			"percentComplete":          i % 101,
			"priority":                 i % 11,
			"startDateTime":            "2026-03-01T09:00:00Z",
			"dueDateTime":              "2026-03-31T17:00:00Z",
			"completedDateTime":        nil,
			"completedBy":              nil,
			"createdDateTime":          "2026-02-25T18:36:49.2407981Z",
			"createdBy":                map[string]any{"user": map[string]any{"id": "6463a5ce-2119-4198-9f2a-628761df4a62", "displayName": nil}},
			"hasDescription":           true,
			"previewType":              "automatic",
			"referenceCount":           1,
			"checklistItemCount":       3,
			"activeChecklistItemCount": 2,
			"conversationThreadId":     nil,
			"appliedCategories":        map[string]any{"category1": true, "category4": true},
			"assignments": map[string]any{
				"fbab97d0-4932-4511-b675-204639209557": assignment("fbab97d0-4932-4511-b675-204639209557", "RWk1"),
				"aaa27244-1db4-476a-a5cb-004607466324": assignment("aaa27244-1db4-476a-a5cb-004607466324", "U2883"),
			},
		}
	}
	page, err := api.Marshal(map[string]any{
		"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#planner/plans('xqQg5FS2LkCp935s-FIFm2QAFkHM')/tasks",
		"value":          value,
	})
	if err != nil {
		panic(err)
	}
	return page
}

// BenchmarkDecodeTasksPage decodes a page of 1000 tasks into the
// package's Task: through the library's JSON engine (api.Decode, the
// JSON v2 engine), and through plain encoding/json v1 into the same
// types, the reference.
func BenchmarkDecodeTasksPage(b *testing.B) {
	page := tasksPage(benchTasks)
	b.Run("o365", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		b.ReportAllocs()
		for b.Loop() {
			var p api.Page[*planner.Task]
			if err := api.Decode(bytes.NewReader(page), &p, "tasks page"); err != nil {
				b.Fatal(err)
			}
			if len(p.Value) != benchTasks || len(p.Value[benchTasks-1].Assignments) != 2 {
				b.Fatal(len(p.Value))
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		b.ReportAllocs()
		for b.Loop() {
			var p api.Page[*planner.Task]
			if err := json.NewDecoder(bytes.NewReader(page)).Decode(&p); err != nil {
				b.Fatal(err)
			}
			if len(p.Value) != benchTasks || len(p.Value[benchTasks-1].Assignments) != 2 {
				b.Fatal(len(p.Value))
			}
		}
	})
}

// Both decoders read the page into the same tasks.
func TestBenchPageDecodesAlike(t *testing.T) {
	page := tasksPage(3)
	var a, b api.Page[*planner.Task]
	if err := api.Decode(bytes.NewReader(page), &a, "tasks page"); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(page, &b); err != nil {
		t.Fatal(err)
	}
	x, _ := json.Marshal(a.Value)
	y, _ := json.Marshal(b.Value)
	if !bytes.Equal(x, y) || a.Value[2].Priority != 2 || a.Value[2].Assignments["aaa27244-1db4-476a-a5cb-004607466324"].OrderHint != "U2883" {
		t.Fatalf("decoders disagree:\n%s\n%s", x, y)
	}
}
