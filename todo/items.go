package todo

import (
	"context"
	"errors"
	"iter"
	"net/url"
	"time"

	"github.com/go-o365/o365/api"
)

// ChecklistItem is a step of a task (Graph's checklistItem): a name and
// whether it is checked off.
type ChecklistItem struct {
	api.Component `json:"-"`

	ID              string    `json:"id,omitempty"`
	DisplayName     string    `json:"displayName,omitempty"`
	IsChecked       bool      `json:"isChecked"`
	CreatedDateTime time.Time `json:"createdDateTime,omitzero"`
	// CheckedDateTime is when the item was checked off; zero while it is not.
	CheckedDateTime time.Time `json:"checkedDateTime,omitzero"`

	taskPath string
}

// Checklist iterates over the task's checklist items, as Graph has them
// now (ChecklistItems holds those read with the task).
func (t *Task) Checklist(ctx context.Context, opts ...api.ListOption) iter.Seq2[*ChecklistItem, error] {
	if err := t.exists(); err != nil {
		return fail[*ChecklistItem](err)
	}
	tp := taskPath(t.listID, t.ID)
	return func(yield func(*ChecklistItem, error) bool) {
		for c, err := range api.List[*ChecklistItem](ctx, t.Con(), t.BuildURL(tp+"/checklistItems"), opts...) {
			if err != nil {
				yield(nil, err)
				return
			}
			c.Component, c.taskPath = t.Component, tp
			if !yield(c, nil) {
				return
			}
		}
	}
}

// AddChecklistItem adds an unchecked item named name to the task's
// checklist.
func (t *Task) AddChecklistItem(ctx context.Context, name string) (*ChecklistItem, error) {
	if name == "" {
		return nil, errors.New("todo: AddChecklistItem: empty name")
	}
	if err := t.exists(); err != nil {
		return nil, err
	}
	tp := taskPath(t.listID, t.ID)
	c := new(ChecklistItem)
	if err := t.PostJSON(ctx, t.BuildURL(tp+"/checklistItems"), map[string]string{"displayName": name}, c); err != nil {
		return nil, err
	}
	c.Component, c.taskPath = t.Component, tp
	t.ChecklistItems = append(t.ChecklistItems, c)
	return c, nil
}

// Check checks the item off; Graph sets CheckedDateTime.
func (c *ChecklistItem) Check(ctx context.Context) error {
	return c.update(ctx, map[string]any{"isChecked": true})
}

// Uncheck clears the item's check.
func (c *ChecklistItem) Uncheck(ctx context.Context) error {
	return c.update(ctx, map[string]any{"isChecked": false})
}

// Rename changes the item's display name.
func (c *ChecklistItem) Rename(ctx context.Context, name string) error {
	if name == "" {
		return errors.New("todo: Rename: empty name")
	}
	return c.update(ctx, map[string]any{"displayName": name})
}

func (c *ChecklistItem) update(ctx context.Context, body map[string]any) error {
	if err := c.exists(); err != nil {
		return err
	}
	fresh := new(ChecklistItem)
	if err := c.PatchJSON(ctx, c.BuildURL(c.path()), body, fresh); err != nil {
		return err
	}
	fresh.Component, fresh.taskPath = c.Component, c.taskPath
	*c = *fresh
	return nil
}

// Delete removes the item from the checklist.
func (c *ChecklistItem) Delete(ctx context.Context) error {
	if err := c.exists(); err != nil {
		return err
	}
	return c.Component.Delete(ctx, c.BuildURL(c.path()))
}

func (c *ChecklistItem) path() string {
	return c.taskPath + "/checklistItems/" + url.PathEscape(c.ID)
}

func (c *ChecklistItem) exists() error {
	if c.Con() == nil || c.taskPath == "" {
		return errUnbound
	}
	if c.ID == "" {
		return ErrNotSaved
	}
	return nil
}

// LinkedResource links a task to the item in another app it came from or
// is about (Graph's linkedResource): a message, a document, a ticket.
type LinkedResource struct {
	api.Component `json:"-"`

	ID              string `json:"id,omitempty"`
	WebURL          string `json:"webUrl,omitempty"`
	ApplicationName string `json:"applicationName,omitempty"`
	DisplayName     string `json:"displayName,omitempty"`
	// ExternalID is the item's id in the other app.
	ExternalID string `json:"externalId,omitempty"`
	ODataType  string `json:"@odata.type,omitempty"`

	taskPath string
}

// Links iterates over the task's linked resources as Graph
// has them now.
func (t *Task) Links(ctx context.Context, opts ...api.ListOption) iter.Seq2[*LinkedResource, error] {
	if err := t.exists(); err != nil {
		return fail[*LinkedResource](err)
	}
	tp := taskPath(t.listID, t.ID)
	return func(yield func(*LinkedResource, error) bool) {
		for r, err := range api.List[*LinkedResource](ctx, t.Con(), t.BuildURL(tp+"/linkedResources"), opts...) {
			if err != nil {
				yield(nil, err)
				return
			}
			r.Component, r.taskPath = t.Component, tp
			if !yield(r, nil) {
				return
			}
		}
	}
}

// AddLinkedResource links the task to r. Graph needs an application
// name and a display name or web URL.
func (t *Task) AddLinkedResource(ctx context.Context, r LinkedResource) (*LinkedResource, error) {
	if r.ApplicationName == "" {
		return nil, errors.New("todo: AddLinkedResource: empty ApplicationName")
	}
	if r.DisplayName == "" && r.WebURL == "" {
		return nil, errors.New("todo: AddLinkedResource: needs a DisplayName or a WebURL")
	}
	if err := t.exists(); err != nil {
		return nil, err
	}
	tp := taskPath(t.listID, t.ID)
	r.ID, r.ODataType = "", ""
	out := new(LinkedResource)
	if err := t.PostJSON(ctx, t.BuildURL(tp+"/linkedResources"), &r, out); err != nil {
		return nil, err
	}
	out.Component, out.taskPath = t.Component, tp
	t.LinkedResources = append(t.LinkedResources, out)
	return out, nil
}

// Delete removes the link (the linked item itself is untouched).
func (r *LinkedResource) Delete(ctx context.Context) error {
	if r.Con() == nil || r.taskPath == "" {
		return errUnbound
	}
	if r.ID == "" {
		return ErrNotSaved
	}
	return r.Component.Delete(ctx, r.BuildURL(r.taskPath+"/linkedResources/"+url.PathEscape(r.ID)))
}
