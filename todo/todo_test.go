package todo_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/calendar"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/query"
	"github.com/go-o365/o365/todo"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLists(t *testing.T) {
	ctx := context.Background()
	srv := emulator(t)
	td := signIn(t, srv, adele, "tasks_all").Tasks()

	lists := o365test.Collect(t, td.Lists(ctx))
	require.Len(t, lists, 1, "every user starts with the default list")
	def, err := td.DefaultList(ctx)
	require.NoError(t, err)
	assert.Equal(t, "Tasks", def.DisplayName)
	assert.True(t, def.IsDefault())
	assert.True(t, def.IsOwner)
	assert.Equal(t, lists[0].ID, def.ID)

	travel, err := td.CreateList(ctx, "Travel items")
	require.NoError(t, err)
	assert.NotEmpty(t, travel.ID)
	assert.Equal(t, todo.NoWellknownName, travel.WellknownListName)
	assert.False(t, travel.IsDefault())

	got, err := td.List(ctx, travel.ID)
	require.NoError(t, err)
	assert.Equal(t, "Travel items", got.DisplayName)
	byName, err := td.ListByName(ctx, "travel ITEMS")
	require.NoError(t, err)
	assert.Equal(t, travel.ID, byName.ID)

	require.NoError(t, travel.Rename(ctx, "Trips"))
	assert.Equal(t, "Trips", travel.DisplayName)
	_, err = td.ListByName(ctx, "Travel items")
	require.ErrorIs(t, err, api.ErrNotFound)
	byName, err = td.ListByName(ctx, "Trips")
	require.NoError(t, err)
	assert.Equal(t, travel.ID, byName.ID)

	// The default list stays.
	require.Error(t, def.Rename(ctx, "Mine"))
	require.Error(t, def.Delete(ctx))

	require.NoError(t, travel.Delete(ctx))
	_, err = td.List(ctx, travel.ID)
	require.ErrorIs(t, err, api.ErrNotFound)
	assert.Len(t, o365test.Collect(t, td.Lists(ctx)), 1)
}

func TestUnknownListIsNotFound(t *testing.T) {
	ctx := context.Background()
	srv := emulator(t)
	td := signIn(t, srv, adele, "tasks_all").Tasks()
	_, err := td.List(ctx, "AAMkADIyAAAhrbPWAAA=")
	require.ErrorIs(t, err, api.ErrNotFound)
	var ge *api.GraphError
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, "ErrorItemNotFound", ge.Code)
	_, err = td.ListByName(ctx, "nope")
	require.ErrorIs(t, err, api.ErrNotFound)
}

func TestTaskLifecycle(t *testing.T) {
	ctx := context.Background()
	srv := emulator(t)
	td := signIn(t, srv, adele, "tasks_all").Tasks()
	list, err := td.DefaultList(ctx)
	require.NoError(t, err)

	berlin, err := calendar.LoadLocation("W. Europe Standard Time")
	require.NoError(t, err)
	due := time.Date(2025, 3, 14, 17, 0, 0, 0, berlin)
	start := time.Date(2025, 3, 10, 9, 0, 0, 0, berlin)
	remind := time.Date(2025, 3, 14, 9, 30, 0, 0, berlin)

	task := list.NewTask("File the expense report")
	task.Body = &todo.ItemBody{Content: "<p>Q1 receipts</p>", ContentType: todo.HTML}
	task.Importance = todo.High
	task.Status = todo.InProgress
	task.Categories = []string{"Red category"}
	task.DueDateTime, task.StartDateTime = due, start
	task.IsReminderOn, task.ReminderDateTime = true, remind
	task.Recurrence = &calendar.Recurrence{
		Pattern: calendar.Pattern{Type: calendar.Weekly, Interval: 1, DaysOfWeek: []calendar.DayOfWeek{calendar.Friday}},
		Range:   calendar.Range{Type: calendar.NoEnd},
	}
	task.ChecklistItems = []*todo.ChecklistItem{{DisplayName: "Scan receipts"}}
	require.NoError(t, task.Save(ctx))
	require.NotEmpty(t, task.ID)
	assert.Equal(t, list.ID, task.ListID())
	assert.False(t, task.CreatedDateTime.IsZero())
	assert.NotEmpty(t, task.ETag)
	require.Len(t, task.ChecklistItems, 1, "created with the task")
	assert.NotEmpty(t, task.ChecklistItems[0].ID)

	got, err := list.Task(ctx, task.ID)
	require.NoError(t, err)
	assert.Equal(t, "File the expense report", got.Title)
	assert.Equal(t, todo.High, got.Importance)
	assert.Equal(t, todo.InProgress, got.Status)
	assert.Equal(t, []string{"Red category"}, got.Categories)
	assert.Equal(t, "<p>Q1 receipts</p>", got.Body.Content)
	assert.Equal(t, todo.HTML, got.Body.ContentType)
	assert.True(t, got.DueDateTime.Equal(due), "due %v, want %v", got.DueDateTime, due)
	assert.True(t, got.StartDateTime.Equal(start))
	assert.True(t, got.ReminderDateTime.Equal(remind))
	assert.True(t, got.IsReminderOn)
	require.NotNil(t, got.Recurrence)
	assert.Equal(t, calendar.Weekly, got.Recurrence.Pattern.Type)
	assert.Equal(t, calendar.DateOf(due), got.Recurrence.Range.StartDate, "Save fills the range start with the due date")
	assert.True(t, got.CompletedDateTime.IsZero())

	// Update: only what changed goes out, and clearing works.
	got.Title = "File the Q1 expense report"
	got.Categories = nil
	got.StartDateTime = time.Time{}
	changes, err := got.Changes()
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"title": "File the Q1 expense report", "categories": []any{}, "startDateTime": nil}, changes)
	require.NoError(t, got.Save(ctx))
	again, err := list.Task(ctx, task.ID)
	require.NoError(t, err)
	assert.Equal(t, "File the Q1 expense report", again.Title)
	assert.Empty(t, again.Categories)
	assert.True(t, again.StartDateTime.IsZero())
	assert.True(t, again.DueDateTime.Equal(due), "untouched properties stay")
	changes, err = again.Changes()
	require.NoError(t, err)
	assert.Empty(t, changes)

	// Complete.
	require.NoError(t, again.Complete(ctx))
	assert.True(t, again.IsCompleted())
	assert.False(t, again.CompletedDateTime.IsZero(), "Graph sets completedDateTime")
	require.NoError(t, again.Reopen(ctx))
	assert.Equal(t, todo.NotStarted, again.Status)
	assert.True(t, again.CompletedDateTime.IsZero())

	// Delete.
	require.NoError(t, again.Delete(ctx))
	_, err = list.Task(ctx, task.ID)
	require.ErrorIs(t, err, api.ErrNotFound)
}

func TestTasksQuery(t *testing.T) {
	ctx := context.Background()
	srv := emulator(t)
	td := signIn(t, srv, adele, "tasks_all").Tasks()
	list, err := td.CreateList(ctx, "Chores")
	require.NoError(t, err)
	day := func(d int) time.Time { return time.Date(2025, 5, d, 0, 0, 0, 0, time.UTC) }
	for i, c := range []struct {
		title string
		due   time.Time
		imp   todo.Importance
	}{{"Water plants", day(9), todo.Normal}, {"Pay rent", day(1), todo.High}, {"Clean oven", day(20), todo.Low}, {"Call mum", day(5), todo.High}} {
		tk, err := list.CreateTask(ctx, &todo.Task{Title: c.title, DueDateTime: c.due, Importance: c.imp})
		require.NoError(t, err, i)
		if c.title == "Water plants" {
			require.NoError(t, tk.Complete(ctx))
		}
	}

	titles := func(opts ...api.ListOption) []string {
		var out []string
		for tk, err := range list.Tasks(ctx, opts...) {
			require.NoError(t, err)
			out = append(out, tk.Title)
		}
		return out
	}
	q := query.New().Where(query.Ne("status", "completed")).OrderBy("dueDateTime/dateTime", query.Asc)
	assert.Equal(t, []string{"Pay rent", "Call mum", "Clean oven"}, titles(o365.Query(q)))
	q = query.New().Where(query.Eq("importance", "high")).OrderBy("title", query.Desc)
	assert.Equal(t, []string{"Pay rent", "Call mum"}, titles(o365.Query(q)))
	assert.Len(t, titles(o365.Limit(3), o365.BatchSize(2)), 3, "paging with $top follows nextLink")
	q = query.New().Where(query.StartsWith("title", "it's"))
	assert.Empty(t, titles(o365.Query(q)), "a quote in a filter value is escaped")
}

func TestChecklistAndLinkedResources(t *testing.T) {
	ctx := context.Background()
	srv := emulator(t)
	td := signIn(t, srv, adele, "tasks_all").Tasks()
	list, err := td.DefaultList(ctx)
	require.NoError(t, err)
	task, err := list.CreateTask(ctx, &todo.Task{Title: "Plan the offsite"})
	require.NoError(t, err)

	a, err := task.AddChecklistItem(ctx, "Book the venue")
	require.NoError(t, err)
	b, err := task.AddChecklistItem(ctx, "Order food")
	require.NoError(t, err)
	assert.False(t, a.IsChecked)
	assert.False(t, a.CreatedDateTime.IsZero())

	require.NoError(t, a.Check(ctx))
	assert.True(t, a.IsChecked)
	assert.False(t, a.CheckedDateTime.IsZero())
	require.NoError(t, b.Rename(ctx, "Order lunch"))
	items := o365test.Collect(t, task.Checklist(ctx))
	require.Len(t, items, 2)
	assert.True(t, items[0].IsChecked)
	assert.Equal(t, "Order lunch", items[1].DisplayName)

	require.NoError(t, items[0].Uncheck(ctx))
	assert.False(t, items[0].IsChecked)
	assert.True(t, items[0].CheckedDateTime.IsZero())
	require.NoError(t, items[1].Delete(ctx))
	items = o365test.Collect(t, task.Checklist(ctx))
	require.Len(t, items, 1)
	assert.Equal(t, "Book the venue", items[0].DisplayName)

	link, err := task.AddLinkedResource(ctx, todo.LinkedResource{
		WebURL: "https://contoso.sharepoint.com/offsite.docx", ApplicationName: "Word",
		DisplayName: "Offsite plan", ExternalID: "doc-42"})
	require.NoError(t, err)
	assert.NotEmpty(t, link.ID)
	links := o365test.Collect(t, task.Links(ctx))
	require.Len(t, links, 1)
	assert.Equal(t, "doc-42", links[0].ExternalID)
	assert.Equal(t, "Word", links[0].ApplicationName)

	// $expand brings both with the task.
	q := query.New().Expand("checklistItems").Expand("linkedResources")
	got, err := list.Task(ctx, task.ID, o365.Query(q))
	require.NoError(t, err)
	require.Len(t, got.ChecklistItems, 1)
	require.Len(t, got.LinkedResources, 1)
	require.NoError(t, got.LinkedResources[0].Delete(ctx), "items read with the task are bound to it")
	assert.Empty(t, o365test.Collect(t, task.Links(ctx)))
}

func TestTaskDelta(t *testing.T) {
	ctx := context.Background()
	srv := emulator(t)
	td := signIn(t, srv, adele, "tasks_all").Tasks()
	list, err := td.CreateList(ctx, "Synced")
	require.NoError(t, err)
	var ids []string
	for _, title := range []string{"one", "two", "three", "four", "five"} {
		tk, err := list.CreateTask(ctx, &todo.Task{Title: title})
		require.NoError(t, err)
		ids = append(ids, tk.ID)
	}

	d := list.TaskDelta("")
	first := o365test.Collect(t, d.Changes(ctx, o365.BatchSize(2)))
	require.Len(t, first, 5, "the first round has every task, over three pages")
	require.NotEmpty(t, d.DeltaLink)
	link := d.DeltaLink

	// Nothing changed: an empty round, and a new link.
	assert.Empty(t, o365test.Collect(t, d.Changes(ctx)))

	two, err := list.Task(ctx, ids[1])
	require.NoError(t, err)
	two.Title = "two, renamed"
	require.NoError(t, two.Save(ctx))
	three, err := list.Task(ctx, ids[2])
	require.NoError(t, err)
	require.NoError(t, three.Delete(ctx))
	_, err = list.CreateTask(ctx, &todo.Task{Title: "six"})
	require.NoError(t, err)

	changed := map[string]string{}
	var removed []string
	for tk, err := range d.Changes(ctx) {
		require.NoError(t, err)
		if tk.Removed != nil {
			removed = append(removed, tk.ID)
			continue
		}
		changed[tk.ID] = tk.Title
	}
	assert.Equal(t, []string{ids[2]}, removed)
	assert.Len(t, changed, 2)
	assert.Equal(t, "two, renamed", changed[ids[1]])

	// A persisted link resumes: the older link sees every change since.
	resumed := list.TaskDelta(link)
	assert.Len(t, o365test.Collect(t, resumed.Changes(ctx)), 3)

	srv.ExpireTodoDeltaTokens()
	for _, err := range list.TaskDelta(link).Changes(ctx) {
		require.ErrorIs(t, err, api.ErrSyncStateNotFound)
	}
}

func TestScopes(t *testing.T) {
	ctx := context.Background()
	srv := emulator(t)
	readOnly := signIn(t, srv, adele, "tasks").Tasks()
	list, err := readOnly.DefaultList(ctx)
	require.NoError(t, err, "tasks (Tasks.Read) reads")
	_, err = readOnly.CreateList(ctx, "x")
	require.ErrorIs(t, err, api.ErrForbidden)
	_, err = list.CreateTask(ctx, &todo.Task{Title: "x"})
	require.ErrorIs(t, err, api.ErrForbidden)

	none := signIn(t, srv, adele, "basic").Tasks()
	_, err = none.DefaultList(ctx)
	require.ErrorIs(t, err, api.ErrForbidden)

	// No delegated access to another user's To Do.
	other := signIn(t, srv, alex, "tasks_all").Tasks(adele)
	_, err = other.DefaultList(ctx)
	require.ErrorIs(t, err, api.ErrForbidden)
}

func TestAppOnlyNamesTheUser(t *testing.T) {
	ctx := context.Background()
	srv := emulator(t)
	app := o365test.SignInApp(t, srv)
	_, err := app.Tasks().DefaultList(ctx)
	require.Error(t, err, "an app has no /me")
	td := app.Tasks("users/" + adele)
	list, err := td.DefaultList(ctx)
	require.NoError(t, err)
	tk, err := list.CreateTask(ctx, &todo.Task{Title: "from the app"})
	require.NoError(t, err)

	mine, err := signIn(t, srv, adele, "tasks").Tasks().DefaultList(ctx)
	require.NoError(t, err)
	got, err := mine.Task(ctx, tk.ID)
	require.NoError(t, err)
	assert.Equal(t, "from the app", got.Title)
}

func TestModularConstructors(t *testing.T) {
	ctx := context.Background()
	srv := emulator(t)
	acct := signIn(t, srv, adele, "tasks_all")
	td := todo.New(acct.Connection(), acct.Protocol())
	l, err := td.DefaultList(ctx)
	require.NoError(t, err)
	l2, err := todo.NewFrom(td).DefaultList(ctx)
	require.NoError(t, err)
	assert.Equal(t, l.ID, l2.ID)
	err = new(todo.List).Delete(ctx)
	require.ErrorContains(t, err, "no connection", "a List made by hand cannot act")
	err = (&todo.List{Component: td.Component}).Delete(ctx)
	require.True(t, errors.Is(err, todo.ErrNotSaved))
}
