package todo

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"
	"reflect"
	"slices"
	"time"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/calendar"
	"github.com/go-o365/o365/internal/dtz"
)

// Importance of a task.
type Importance string

// Importance values.
const (
	Low    Importance = "low"
	Normal Importance = "normal"
	High   Importance = "high"
)

// Status is how far a task has got (Graph's taskStatus).
type Status string

// Status values.
const (
	NotStarted      Status = "notStarted"
	InProgress      Status = "inProgress"
	Completed       Status = "completed"
	WaitingOnOthers Status = "waitingOnOthers"
	Deferred        Status = "deferred"
)

// BodyType is the format of a task's body.
type BodyType string

// BodyType values.
const (
	Text BodyType = "text"
	HTML BodyType = "html"
)

// ItemBody is a task's notes (Graph's itemBody).
type ItemBody struct {
	Content     string   `json:"content"`
	ContentType BodyType `json:"contentType,omitempty"`
}

// Removed marks a task a delta round reports as deleted; such a task
// carries only its ID.
type Removed struct {
	Reason string `json:"reason"`
}

// Task is a To Do task (Graph's todoTask). Its fields are Graph's
// properties with Graph's JSON names; set them and call Save.
//
// The four times (DueDateTime, StartDateTime, ReminderDateTime,
// CompletedDateTime) are time.Time; on the wire they are Graph's
// dateTimeTimeZone, as an event's start and end are in package calendar:
// a time is sent in its own zone (by Windows name where there is one),
// and read in the zone Graph names. The zero time means "not set".
// Recurrence is calendar's Recurrence, Graph's patternedRecurrence; a
// task's recurrence needs a due date.
//
// A Task remembers its state as last loaded or saved, so Save sends only
// the properties that changed since, and a property set back to its zero
// value is cleared in Graph.
type Task struct {
	api.Component `json:"-"`

	// Read-only properties, set by Graph.
	ID                       string    `json:"id,omitempty"`
	ETag                     string    `json:"@odata.etag,omitempty"`
	CreatedDateTime          time.Time `json:"createdDateTime,omitzero"`
	LastModifiedDateTime     time.Time `json:"lastModifiedDateTime,omitzero"`
	BodyLastModifiedDateTime time.Time `json:"bodyLastModifiedDateTime,omitzero"`
	HasAttachments           bool      `json:"hasAttachments,omitempty"`
	// Removed is set on tasks a delta round reports as deleted.
	Removed *Removed `json:"@removed,omitempty"`

	Title        string     `json:"title,omitempty"`
	Body         *ItemBody  `json:"body,omitempty"`
	Importance   Importance `json:"importance,omitempty"`
	Status       Status     `json:"status,omitempty"`
	Categories   []string   `json:"categories,omitempty"`
	IsReminderOn bool       `json:"isReminderOn"`

	DueDateTime       time.Time `json:"dueDateTime,omitzero"`
	StartDateTime     time.Time `json:"startDateTime,omitzero"`
	ReminderDateTime  time.Time `json:"reminderDateTime,omitzero"`
	CompletedDateTime time.Time `json:"completedDateTime,omitzero"`

	Recurrence *calendar.Recurrence `json:"recurrence,omitempty"`

	// ChecklistItems and LinkedResources are filled when the task is
	// read with $expand, and created with the task when set before its
	// first Save; later, change them through the Task's methods.
	ChecklistItems  []*ChecklistItem  `json:"checklistItems,omitempty"`
	LinkedResources []*LinkedResource `json:"linkedResources,omitempty"`

	listID string
	saved  map[string]any // the writable properties as last loaded or saved
}

// readOnly are the task properties Graph sets; Save never sends them.
var readOnly = map[string]bool{
	"id": true, "@odata.etag": true, "createdDateTime": true, "lastModifiedDateTime": true,
	"bodyLastModifiedDateTime": true, "hasAttachments": true, "@removed": true,
	"checklistItems": true, "linkedResources": true, "@odata.context": true,
}

// ListID is the id of the list the task belongs to.
func (t *Task) ListID() string { return t.listID }

// taskFields is Task without its methods, so the JSON methods can encode
// and decode its fields without calling themselves.
type taskFields Task

// taskWire is the wire shape of a task: the four times, which Task holds
// as time.Time, shadow the embedded fields of the same JSON name. Lists
// decode pages into taskWire rather than Task, which saves the JSON
// engine's second pass over each value with its own UnmarshalJSON.
type taskWire struct {
	taskFields
	DueDateTime       *dtz.Wire `json:"dueDateTime,omitempty"`
	StartDateTime     *dtz.Wire `json:"startDateTime,omitempty"`
	ReminderDateTime  *dtz.Wire `json:"reminderDateTime,omitempty"`
	CompletedDateTime *dtz.Wire `json:"completedDateTime,omitempty"`
}

// task converts the wire shape, reading the times in their zones.
func (w *taskWire) task() (*Task, error) {
	t := (*Task)(&w.taskFields)
	var err error
	if t.DueDateTime, err = w.DueDateTime.Time("todo: dueDateTime"); err != nil {
		return nil, err
	}
	if t.StartDateTime, err = w.StartDateTime.Time("todo: startDateTime"); err != nil {
		return nil, err
	}
	if t.ReminderDateTime, err = w.ReminderDateTime.Time("todo: reminderDateTime"); err != nil {
		return nil, err
	}
	if t.CompletedDateTime, err = w.CompletedDateTime.Time("todo: completedDateTime"); err != nil {
		return nil, err
	}
	return t, nil
}

// bind converts the wire shape and attaches the task to parent and its
// list, remembering its state.
func (w *taskWire) bind(parent api.Component, listID string) (*Task, error) {
	t, err := w.task()
	if err != nil {
		return nil, err
	}
	t.Component, t.listID = parent, listID
	for _, c := range t.ChecklistItems {
		c.Component, c.taskPath = parent, taskPath(listID, t.ID)
	}
	for _, r := range t.LinkedResources {
		r.Component, r.taskPath = parent, taskPath(listID, t.ID)
	}
	if t.Removed == nil {
		if err := t.remember(); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// MarshalJSON writes the task as Graph does, its times as
// dateTimeTimeZone objects in their own zones.
func (t Task) MarshalJSON() ([]byte, error) {
	return api.Marshal(taskWire{
		taskFields:        taskFields(t),
		DueDateTime:       dtz.Of(t.DueDateTime),
		StartDateTime:     dtz.Of(t.StartDateTime),
		ReminderDateTime:  dtz.Of(t.ReminderDateTime),
		CompletedDateTime: dtz.Of(t.CompletedDateTime),
	})
}

// UnmarshalJSON reads a task as Graph writes it. A malformed
// dateTimeTimeZone or an unknown zone name is an error naming the
// property.
func (t *Task) UnmarshalJSON(b []byte) error {
	var w taskWire
	if err := api.Unmarshal(b, &w); err != nil {
		return err
	}
	task, err := w.task()
	if err != nil {
		return err
	}
	*t = *task
	return nil
}

// writable is the task's writable properties as JSON values.
func (t *Task) writable() (map[string]any, error) {
	b, err := api.Marshal(t)
	if err != nil {
		return nil, fmt.Errorf("todo: encoding task: %w", err)
	}
	var m map[string]any
	if err := api.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("todo: encoding task: %w", err)
	}
	for k := range readOnly {
		delete(m, k)
	}
	return m, nil
}

func (t *Task) remember() error {
	m, err := t.writable()
	if err != nil {
		return err
	}
	t.saved = m
	return nil
}

// Changes returns the properties Save would send: those that differ from
// the task as last loaded or saved, a cleared one as null (an empty
// list for categories). A task not saved yet sends all it has.
func (t *Task) Changes() (map[string]any, error) {
	cur, err := t.writable()
	if err != nil {
		return nil, err
	}
	if t.ID == "" || t.saved == nil {
		return cur, nil
	}
	out := map[string]any{}
	for k, v := range cur {
		if !reflect.DeepEqual(v, t.saved[k]) {
			out[k] = v
		}
	}
	for k, old := range t.saved {
		if _, ok := cur[k]; ok {
			continue
		}
		switch {
		case k == "isReminderOn":
		case reflect.TypeOf(old) == reflect.TypeOf([]any(nil)):
			out[k] = []any{}
		default:
			out[k] = nil
		}
	}
	return out, nil
}

// Save creates the task in its list (POST) when it has no ID, with any
// ChecklistItems and LinkedResources set on it; otherwise it sends the
// properties changed since the task was loaded or last saved (PATCH), and
// nothing when none changed. Either way the task then holds what Graph
// answered.
func (t *Task) Save(ctx context.Context) error {
	if t.Con() == nil {
		return errUnbound
	}
	if t.listID == "" {
		return errors.New("todo: Save: the task has no list; make it with List.NewTask")
	}
	if err := t.check(); err != nil {
		return err
	}
	w := new(taskWire)
	creating := t.ID == ""
	if creating {
		body, err := t.writable()
		if err != nil {
			return err
		}
		if err := addItems(body, t); err != nil {
			return err
		}
		if err := t.PostJSON(ctx, t.BuildURL(listPath(t.listID)+"/tasks"), body, w); err != nil {
			return err
		}
	} else {
		changes, err := t.Changes()
		if err != nil {
			return err
		}
		if len(changes) == 0 {
			return nil
		}
		if err := t.PatchJSON(ctx, t.BuildURL(taskPath(t.listID, t.ID)), changes, w); err != nil {
			return err
		}
	}
	fresh, err := w.bind(t.Component, t.listID)
	if err != nil {
		return err
	}
	if !creating {
		// A PATCH answers without the sub-resources; those read with the
		// task are still bound to it. A POST's answer is all there is:
		// items given to it and not answered are read with Checklist.
		fresh.ChecklistItems, fresh.LinkedResources = t.ChecklistItems, t.LinkedResources
	}
	*t = *fresh
	return nil
}

// check catches what Graph would refuse before any request: a reminder
// that is on without a time, a recurrence without a due date, an invalid
// recurrence.
func (t *Task) check() error {
	if t.Recurrence != nil {
		if t.DueDateTime.IsZero() {
			return errors.New("todo: a recurring task needs a DueDateTime")
		}
		r := *t.Recurrence
		if r.Range.StartDate.IsZero() {
			r.Range.StartDate = calendar.DateOf(t.DueDateTime)
			t.Recurrence = &r
		}
		if err := r.Validate(); err != nil {
			return fmt.Errorf("todo: recurrence: %w", err)
		}
	}
	if t.IsReminderOn && t.ReminderDateTime.IsZero() {
		return errors.New("todo: IsReminderOn is set without a ReminderDateTime")
	}
	return nil
}

// addItems puts the checklist items and linked resources of a new task
// into its creation body: Graph creates them with the task.
func addItems(body map[string]any, t *Task) error {
	if len(t.ChecklistItems) > 0 {
		items := make([]map[string]any, len(t.ChecklistItems))
		for i, c := range t.ChecklistItems {
			if c.DisplayName == "" {
				return errors.New("todo: a checklist item has no DisplayName")
			}
			items[i] = map[string]any{"displayName": c.DisplayName, "isChecked": c.IsChecked}
		}
		body["checklistItems"] = items
	}
	if len(t.LinkedResources) > 0 {
		body["linkedResources"] = t.LinkedResources
	}
	return nil
}

// Complete marks the task completed; Graph sets CompletedDateTime.
func (t *Task) Complete(ctx context.Context) error {
	return t.setStatus(ctx, Completed)
}

// Reopen marks a completed task as not started again.
func (t *Task) Reopen(ctx context.Context) error {
	return t.setStatus(ctx, NotStarted)
}

func (t *Task) setStatus(ctx context.Context, s Status) error {
	if err := t.exists(); err != nil {
		return err
	}
	w := new(taskWire)
	if err := t.PatchJSON(ctx, t.BuildURL(taskPath(t.listID, t.ID)), map[string]any{"status": s}, w); err != nil {
		return err
	}
	fresh, err := w.bind(t.Component, t.listID)
	if err != nil {
		return err
	}
	fresh.ChecklistItems, fresh.LinkedResources = t.ChecklistItems, t.LinkedResources
	*t = *fresh
	return nil
}

// IsCompleted reports whether the task's status is completed.
func (t *Task) IsCompleted() bool { return t.Status == Completed }

// Delete deletes the task with its checklist items and linked resources.
func (t *Task) Delete(ctx context.Context) error {
	if err := t.exists(); err != nil {
		return err
	}
	return t.Component.Delete(ctx, t.BuildURL(taskPath(t.listID, t.ID)))
}

func (t *Task) exists() error {
	if t.Con() == nil {
		return errUnbound
	}
	if t.ID == "" {
		return ErrNotSaved
	}
	return nil
}

func (t *Task) clone() *Task {
	c := *t
	c.Categories = slices.Clone(t.Categories)
	c.ChecklistItems = slices.Clone(t.ChecklistItems)
	c.LinkedResources = slices.Clone(t.LinkedResources)
	if t.Body != nil {
		b := *t.Body
		c.Body = &b
	}
	if t.Recurrence != nil {
		r := *t.Recurrence
		r.Pattern.DaysOfWeek = slices.Clone(t.Recurrence.Pattern.DaysOfWeek)
		c.Recurrence = &r
	}
	c.saved = maps.Clone(t.saved)
	return &c
}

// listTasks iterates over the tasks at u, bound to parent and listID.
// When deltaLink is not nil it is set to the round's @odata.deltaLink
// once the last page is read.
func listTasks(ctx context.Context, parent api.Component, listID, u string, deltaLink *string, opts []api.ListOption) iter.Seq2[*Task, error] {
	return func(yield func(*Task, error) bool) {
		pager := api.NewPager[*taskWire](parent.Con(), u, opts...)
		for w, err := range pager.All(ctx) {
			if err != nil {
				yield(nil, err)
				return
			}
			t, err := w.bind(parent, listID)
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(t, nil) {
				return
			}
		}
		if deltaLink != nil && pager.DeltaLink() != "" {
			*deltaLink = pager.DeltaLink()
		}
	}
}
