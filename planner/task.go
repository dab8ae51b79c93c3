package planner

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/go-o365/o365/api"
)

// Priorities Planner sets for its four labels; 0 and 1 read as urgent,
// 2-4 important, 5-7 medium, 8-10 low.
const (
	PriorityUrgent    = 1
	PriorityImportant = 3
	PriorityMedium    = 5
	PriorityLow       = 9
)

// assignmentType is the @odata.type Planner requires on every assignment
// it is sent.
const assignmentType = "#microsoft.graph.plannerAssignment"

// Assignment is one user's assignment to a task (plannerAssignment).
// OrderHint orders the task in that user's column of the "assigned to"
// board; Assign sets the first-place hint.
type Assignment struct {
	ODataType        string       `json:"@odata.type,omitempty"`
	AssignedBy       *IdentitySet `json:"assignedBy,omitempty"`
	AssignedDateTime time.Time    `json:"assignedDateTime,omitzero"`
	OrderHint        string       `json:"orderHint,omitempty"`
}

// Task is a Planner task (plannerTask). Set its fields (or use Assign and
// Unassign) and call Save: only what changed since the task was read is
// sent, under its etag.
type Task struct {
	api.Component `json:"-"`

	ETag     string `json:"@odata.etag,omitempty"`
	ID       string `json:"id,omitempty"`
	PlanID   string `json:"planId,omitempty"`
	BucketID string `json:"bucketId,omitempty"`
	Title    string `json:"title,omitempty"`
	// OrderHint orders the task in its plan's list and bucket; set a
	// value made with OrderHintBetween to move it.
	OrderHint string `json:"orderHint,omitempty"`
	// AssigneePriority orders the task in its assignees' lists.
	AssigneePriority string `json:"assigneePriority,omitempty"`
	// PercentComplete 100 completes the task: Graph then sets
	// CompletedDateTime and CompletedBy.
	PercentComplete int `json:"percentComplete,omitempty"`
	// Priority is 0 (most urgent) to 10; see PriorityUrgent and the
	// others. A new task with 0 gets Graph's default, medium.
	Priority             int          `json:"priority,omitempty"`
	StartDateTime        time.Time    `json:"startDateTime,omitzero"`
	DueDateTime          time.Time    `json:"dueDateTime,omitzero"`
	CompletedDateTime    time.Time    `json:"completedDateTime,omitzero"`
	CompletedBy          *IdentitySet `json:"completedBy,omitempty"`
	CreatedDateTime      time.Time    `json:"createdDateTime,omitzero"`
	CreatedBy            *IdentitySet `json:"createdBy,omitempty"`
	ConversationThreadID string       `json:"conversationThreadId,omitempty"`
	// AppliedCategories are the labels on the task, "category1" to
	// "category25", set to true.
	AppliedCategories map[string]bool `json:"appliedCategories,omitempty"`
	// Assignments are keyed by user id.
	Assignments map[string]Assignment `json:"assignments,omitempty"`

	// Read-only summaries of the task's details.
	HasDescription           bool   `json:"hasDescription,omitempty"`
	PreviewType              string `json:"previewType,omitempty"`
	ReferenceCount           int    `json:"referenceCount,omitempty"`
	ChecklistItemCount       int    `json:"checklistItemCount,omitempty"`
	ActiveChecklistItemCount int    `json:"activeChecklistItemCount,omitempty"`

	saved *Task // the state last read or saved; nil until then
}

func (t *Task) bind(c api.Component) *Task {
	t.Component = c
	s := *t
	s.saved = nil
	s.AppliedCategories = maps.Clone(t.AppliedCategories)
	s.Assignments = maps.Clone(t.Assignments)
	t.saved = &s
	return t
}

func (t *Task) etag() string { return t.ETag }

// Completed reports whether the task is done (PercentComplete 100).
func (t *Task) Completed() bool { return t.PercentComplete >= 100 }

// AssignedTo reports whether the user with id userID is assigned.
func (t *Task) AssignedTo(userID string) bool {
	_, ok := t.Assignments[userID]
	return ok
}

// Assign assigns the task to the users with the given ids (user ids, not
// principal names); users already assigned keep their assignment. Save
// (or CreateTask) sends each new one as Planner wants it:
// {"@odata.type": "#microsoft.graph.plannerAssignment", "orderHint": " !"}.
func (t *Task) Assign(userIDs ...string) {
	if t.Assignments == nil {
		t.Assignments = map[string]Assignment{}
	}
	for _, id := range userIDs {
		if _, ok := t.Assignments[id]; !ok && id != "" {
			t.Assignments[id] = Assignment{ODataType: assignmentType, OrderHint: firstHint}
		}
	}
}

// Unassign removes the users' assignments; Save sends each as the user
// id set to null, Planner's way of removing one.
func (t *Task) Unassign(userIDs ...string) {
	for _, id := range userIDs {
		delete(t.Assignments, id)
	}
}

// Assignees returns the ids of the assigned users, sorted.
func (t *Task) Assignees() []string {
	return slices.Sorted(maps.Keys(t.Assignments))
}

// Changes returns the properties Save would send, by JSON name: those
// changed since the task was read. A cleared date is null, a removed
// assignment is its user id set to null, a removed category is false. An
// order hint that changed must come from OrderHintBetween: one that does
// not is an error matching ErrMalformedOrderHint.
func (t *Task) Changes() (map[string]any, error) {
	old := t.saved
	if old == nil {
		old = &Task{}
	}
	what := fmt.Sprintf("task %q", t.Title)
	body := map[string]any{}
	if t.Title != old.Title {
		if t.Title == "" {
			return nil, fmt.Errorf("planner: %s: empty title", what)
		}
		body["title"] = t.Title
	}
	if t.BucketID != old.BucketID {
		body["bucketId"] = nullable(t.BucketID)
	}
	if t.PercentComplete != old.PercentComplete {
		if t.PercentComplete < 0 || t.PercentComplete > 100 {
			return nil, fmt.Errorf("planner: %s: percentComplete %d is not 0 to 100", what, t.PercentComplete)
		}
		body["percentComplete"] = t.PercentComplete
	}
	if t.Priority != old.Priority {
		if t.Priority < 0 || t.Priority > 10 {
			return nil, fmt.Errorf("planner: %s: priority %d is not 0 to 10", what, t.Priority)
		}
		body["priority"] = t.Priority
	}
	if !t.StartDateTime.Equal(old.StartDateTime) {
		body["startDateTime"] = timeOrNull(t.StartDateTime)
	}
	if !t.DueDateTime.Equal(old.DueDateTime) {
		body["dueDateTime"] = timeOrNull(t.DueDateTime)
	}
	if t.ConversationThreadID != old.ConversationThreadID {
		body["conversationThreadId"] = nullable(t.ConversationThreadID)
	}
	for prop, pair := range map[string][2]string{
		"orderHint":        {t.OrderHint, old.OrderHint},
		"assigneePriority": {t.AssigneePriority, old.AssigneePriority},
	} {
		if pair[0] != pair[1] {
			if err := checkHint(what, prop, pair[0]); err != nil {
				return nil, err
			}
			body[prop] = pair[0]
		}
	}
	cats := map[string]any{}
	for c, on := range t.AppliedCategories {
		if on != old.AppliedCategories[c] {
			cats[c] = on
		}
	}
	for c, on := range old.AppliedCategories {
		if _, still := t.AppliedCategories[c]; !still && on {
			cats[c] = false
		}
	}
	if len(cats) > 0 {
		body["appliedCategories"] = cats
	}
	assigned := map[string]any{}
	for uid, a := range t.Assignments {
		prev, had := old.Assignments[uid]
		if had && prev.OrderHint == a.OrderHint {
			continue
		}
		hint := a.OrderHint
		if hint == "" {
			hint = firstHint
		}
		if err := checkHint(what, "assignment orderHint of "+uid, hint); err != nil {
			return nil, err
		}
		assigned[uid] = map[string]any{"@odata.type": assignmentType, "orderHint": hint}
	}
	nullRemoved(assigned, t.Assignments, old.Assignments, asIs)
	if len(assigned) > 0 {
		body["assignments"] = assigned
	}
	return body, nil
}

// nullRemoved sets to null in changes the key (as key writes it) of every
// member of old that cur no longer has: Planner's way of removing a member
// of an open type (an assignment, a checklist item, a reference).
func nullRemoved[M ~map[string]V, V any](changes map[string]any, cur, old M, key func(string) string) {
	for k := range old {
		if _, still := cur[k]; !still {
			changes[key(k)] = nil
		}
	}
}

func asIs(key string) string { return key }

// createBody is what CreateTask sends: the plan, and every property set.
func (t *Task) createBody() (map[string]any, error) {
	c := *t
	c.saved = nil
	body, err := c.Changes()
	if err != nil {
		return nil, err
	}
	body["planId"] = t.PlanID
	// Only values: a new task has nothing to clear.
	for k, v := range body {
		if v == nil {
			delete(body, k)
		}
	}
	return body, nil
}

// Save sends what changed (Changes) under the task's etag, asking for the
// updated task back. On success the task holds Graph's state, new etag
// included. On failure it is left as it was, changes and all: a task
// changed by someone else since it was read gives an error matching
// api.ErrPreconditionFailed, and nothing is changed in Graph; read it
// again (Planner.Task) and reapply the change.
func (t *Task) Save(ctx context.Context) error {
	if err := exists(&t.Component, t.ID, "task"); err != nil {
		return err
	}
	body, err := t.Changes()
	if err != nil || len(body) == 0 {
		return err
	}
	return save(ctx, t.Component, taskPath(t.ID), t.ETag, body, t)
}

// Delete deletes the task.
func (t *Task) Delete(ctx context.Context) error {
	if err := exists(&t.Component, t.ID, "task"); err != nil {
		return err
	}
	return del(ctx, t.Component, t.BuildBaseURL(taskPath(t.ID)), t.ETag)
}

// Details gets the task's details: description, checklist and
// references.
func (t *Task) Details(ctx context.Context) (*TaskDetails, error) {
	if err := exists(&t.Component, t.ID, "task"); err != nil {
		return nil, err
	}
	return (&Planner{Component: t.Component}).TaskDetails(ctx, t.ID)
}

// nullable is s for a JSON body, or null for "" (which clears the
// property in Graph).
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
