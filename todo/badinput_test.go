package todo_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/calendar"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/todo"
	"github.com/go-o365/o365/token"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

// fakeGraph returns an account whose Graph is handler, with a fixed
// token, and a count of the requests handler saw.
func fakeGraph(t testing.TB, handler http.HandlerFunc) (*o365.Account, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		handler(w, r)
	}))
	t.Cleanup(srv.Close)
	return o365.NewAccount(o365.Credentials{ClientID: o365test.ClientID},
		o365.WithCloud(o365.Cloud{Login: srv.URL, Graph: srv.URL}),
		o365.WithTokenBackend(token.NewMemoryBackend()),
		o365.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "fake-token"})),
		o365.WithRetries(0),
	), &n
}

func answer(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(body))
	}
}

// Bad answers from the server are errors naming what was wrong.
func TestBadResponses(t *testing.T) {
	ctx := context.Background()
	list := &todo.List{ID: "L1"}
	for name, c := range map[string]struct{ body, want string }{
		"unknown zone":   {`{"value":[{"id":"t","dueDateTime":{"dateTime":"2020-08-25T04:00:00","timeZone":"Mars/Olympus"}}]}`, "dueDateTime"},
		"bad dateTime":   {`{"value":[{"id":"t","reminderDateTime":{"dateTime":"25/08/2020","timeZone":"UTC"}}]}`, `"25/08/2020"`},
		"empty dateTime": {`{"value":[{"id":"t","startDateTime":{"dateTime":"","timeZone":"UTC"}}]}`, "dateTime is empty"},
		"truncated":      {`{"value":[{"id":"t","title":"a`, "reading page"},
		"html":           {`<html><body>Service unavailable</body></html>`, "reading page"},
	} {
		t.Run(name, func(t *testing.T) {
			acct, _ := fakeGraph(t, answer(c.body))
			l := *list
			l.Component = acct.Tasks().Component
			var err error
			for _, e := range l.Tasks(ctx) {
				err = e
			}
			require.Error(t, err)
			assert.ErrorContains(t, err, c.want)
		})
	}
	var zoneErr error
	acct, _ := fakeGraph(t, answer(`{"id":"t","dueDateTime":{"dateTime":"2020-08-25T04:00:00","timeZone":"Mars/Olympus"}}`))
	l := *list
	l.Component = acct.Tasks().Component
	_, zoneErr = l.Task(ctx, "t")
	require.ErrorIs(t, zoneErr, calendar.ErrUnknownTimeZone)
}

// Input Graph would refuse is refused before any request.
func TestBadInputBeforeRequest(t *testing.T) {
	ctx := context.Background()
	acct, requests := fakeGraph(t, answer(`{}`))
	td := acct.Tasks()
	list := &todo.List{Component: td.Component, ID: "L1"}

	with := func(f func(*todo.Task)) *todo.Task {
		t := list.NewTask("x")
		f(t)
		return t
	}
	cases := map[string]func() error{
		"recurrence without due": func() error {
			return with(func(t *todo.Task) {
				t.Recurrence = &calendar.Recurrence{Pattern: calendar.Pattern{Type: calendar.Daily, Interval: 1}, Range: calendar.Range{Type: calendar.NoEnd}}
			}).Save(ctx)
		},
		"invalid recurrence": func() error {
			return with(func(t *todo.Task) {
				t.DueDateTime = time.Now()
				t.Recurrence = &calendar.Recurrence{Pattern: calendar.Pattern{Type: calendar.Weekly, Interval: 1}, Range: calendar.Range{Type: calendar.NoEnd}}
			}).Save(ctx)
		},
		"reminder without time": func() error { return with(func(t *todo.Task) { t.IsReminderOn = true }).Save(ctx) },
		"nameless checklist item": func() error {
			return with(func(t *todo.Task) { t.ChecklistItems = []*todo.ChecklistItem{{}} }).Save(ctx)
		},
		"empty list name":   func() error { _, err := td.CreateList(ctx, ""); return err },
		"empty list id":     func() error { _, err := td.List(ctx, ""); return err },
		"empty task id":     func() error { _, err := list.Task(ctx, ""); return err },
		"nil task":          func() error { _, err := list.CreateTask(ctx, nil); return err },
		"empty rename":      func() error { return list.Rename(ctx, "") },
		"unsaved task":      func() error { return list.NewTask("x").Complete(ctx) },
		"unsaved delete":    func() error { return list.NewTask("x").Delete(ctx) },
		"unbound task":      func() error { return (&todo.Task{Title: "x"}).Save(ctx) },
		"taskless new task": func() error { return (&todo.Task{Component: td.Component, Title: "x"}).Save(ctx) },
		"empty checklist":   func() error { _, err := (&todo.Task{}).AddChecklistItem(ctx, ""); return err },
		"link without app": func() error {
			_, err := (&todo.Task{}).AddLinkedResource(ctx, todo.LinkedResource{DisplayName: "x"})
			return err
		},
		"link without a name": func() error {
			_, err := (&todo.Task{}).AddLinkedResource(ctx, todo.LinkedResource{ApplicationName: "x"})
			return err
		},
		"hand-made ToDo lists": func() error {
			for _, err := range new(todo.ToDo).Lists(ctx) {
				return err
			}
			return nil
		},
		"hand-made ToDo default": func() error { _, err := new(todo.ToDo).DefaultList(ctx); return err },
		"hand-made ToDo list":    func() error { _, err := new(todo.ToDo).List(ctx, "L1"); return err },
		"hand-made ToDo create":  func() error { _, err := new(todo.ToDo).CreateList(ctx, "x"); return err },
		"hand-made ToDo by name": func() error { _, err := new(todo.ToDo).ListByName(ctx, "x"); return err },
		"unbound item":           func() error { return (&todo.ChecklistItem{ID: "x"}).Check(ctx) },
		"unbound link":           func() error { return (&todo.LinkedResource{ID: "x"}).Delete(ctx) },
	}
	for name, f := range cases {
		assert.Error(t, f(), name)
	}
	assert.Zero(t, requests.Load(), "no request was sent")
	var saved error = list.NewTask("x").Complete(ctx)
	assert.ErrorIs(t, saved, todo.ErrNotSaved)
	_, err := td.List(ctx, "")
	assert.ErrorContains(t, err, "empty id")
	_, err = new(todo.ToDo).DefaultList(ctx)
	assert.ErrorContains(t, err, "the ToDo has no connection")
}
