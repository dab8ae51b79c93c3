package todo_test

import (
	"testing"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/internal/wiretest"
	"github.com/go-o365/o365/todo"
)

// FuzzDecodeTask feeds task bodies to the decoder: it never panics, and
// what it decodes encodes and decodes again to the same times.
func FuzzDecodeTask(f *testing.F) {
	for _, e := range wiretest.Load(f, "testdata/todo.json") {
		if e.HasResponse() {
			f.Add([]byte(e.ResponseBody))
		}
	}
	f.Add([]byte(`{"dueDateTime":{"dateTime":"2020-08-25T04:00:00","timeZone":"Pacific Standard Time"}}`))
	f.Add([]byte(`{"dueDateTime":{"dateTime":"2020-08-25T04:00:00.123456789","timeZone":"UTC"}}`))
	f.Add([]byte(`{"reminderDateTime":{"dateTime":"x","timeZone":"UTC"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var tk todo.Task
		if err := api.Unmarshal(b, &tk); err != nil {
			return
		}
		again, err := api.Marshal(tk)
		if err != nil {
			t.Fatalf("encoding a decoded task: %v", err)
		}
		var back todo.Task
		if err := api.Unmarshal(again, &back); err != nil {
			t.Fatalf("decoding %s: %v", again, err)
		}
		if !back.DueDateTime.Equal(tk.DueDateTime) || !back.ReminderDateTime.Equal(tk.ReminderDateTime) {
			t.Fatalf("times changed: %v became %v", tk.DueDateTime, back.DueDateTime)
		}
	})
}
