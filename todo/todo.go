package todo

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/url"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/query"
)

// ToDo is a user's Microsoft To Do: their task lists, each holding tasks
// (python-o365's ToDo). Every user has one default list
// (wellknownListName "defaultList", named "Tasks"), which cannot be
// renamed or deleted.
type ToDo struct {
	api.Component
}

// New returns the To Do of the protocol's default resource, using con
// for requests: the modular form, without an Account.
func New(con api.Requester, protocol api.Protocol) *ToDo {
	return NewFrom(api.ParentOf(con, protocol))
}

// NewFrom returns the To Do of parent's main resource (an Account,
// another component, or api.ParentOf), or of resource when one is given:
// "me", a user principal name or "users/{id}". An app-only account has
// no "me" and must name the user.
func NewFrom(parent api.Parent, resource ...string) *ToDo {
	var r string
	if len(resource) > 0 {
		r = resource[0]
	}
	return &ToDo{Component: api.NewForResource(parent, r, nil)}
}

// ErrNotSaved is returned by operations that need a list, task or item
// that exists in Graph, when it has no id yet.
var ErrNotSaved = errors.New("todo: not saved yet (no id)")

// errUnbound is returned by operations on a value made by hand rather
// than read from Graph.
var errUnbound = errors.New("todo: no connection; get lists, tasks and items from a ToDo")

// ready refuses a ToDo made by hand rather than by New, NewFrom or an
// Account: it has no connection to call Graph with.
func (td *ToDo) ready() error {
	if td == nil || td.Con() == nil || td.Protocol() == nil {
		return errors.New("todo: the ToDo has no connection; make it with New or NewFrom, or get it from an Account's Tasks")
	}
	return nil
}

// Lists iterates over the user's task lists, the default list among them.
// Limit, BatchSize and Query ($filter, $orderby, $select) shape the list.
func (td *ToDo) Lists(ctx context.Context, opts ...api.ListOption) iter.Seq2[*List, error] {
	if err := td.ready(); err != nil {
		return fail[*List](err)
	}
	return func(yield func(*List, error) bool) {
		for l, err := range api.List[*List](ctx, td.Con(), td.BuildURL("/todo/lists"), opts...) {
			if err != nil {
				yield(nil, err)
				return
			}
			l.Component = td.Component
			if !yield(l, nil) {
				return
			}
		}
	}
}

// List gets the task list with the given id. An id Graph does not know
// gives an error matching api.ErrNotFound.
func (td *ToDo) List(ctx context.Context, id string) (*List, error) {
	if id == "" {
		return nil, errors.New("todo: List: empty id")
	}
	if err := td.ready(); err != nil {
		return nil, err
	}
	l := new(List)
	if err := td.GetJSON(ctx, td.BuildURL(listPath(id)), nil, l); err != nil {
		return nil, err
	}
	l.Component = td.Component
	return l, nil
}

// ListByName returns the task list with the given display name (compared
// as Graph compares, without regard to case). No such list gives an error
// matching api.ErrNotFound.
func (td *ToDo) ListByName(ctx context.Context, name string) (*List, error) {
	if name == "" {
		return nil, errors.New("todo: ListByName: empty name")
	}
	return td.firstList(ctx, query.Eq("displayName", name), fmt.Sprintf("named %q", name))
}

// DefaultList returns the user's default list ("Tasks"), where tasks go
// that are made without naming a list (python-o365's get_default_folder).
//
// It looks through the lists rather than asking Graph to filter them:
// users have few lists, and filtering on wellknownListName is not
// something Graph documents.
func (td *ToDo) DefaultList(ctx context.Context) (*List, error) {
	for l, err := range td.Lists(ctx) {
		if err != nil {
			return nil, err
		}
		if l.IsDefault() {
			return l, nil
		}
	}
	return nil, fmt.Errorf("todo: no task list marked defaultList: %w", api.ErrNotFound)
}

func (td *ToDo) firstList(ctx context.Context, f query.Filter, what string) (*List, error) {
	q := query.New().Where(f)
	for l, err := range td.Lists(ctx, api.Query(q), api.Limit(1)) {
		return l, err
	}
	return nil, fmt.Errorf("todo: no task list %s: %w", what, api.ErrNotFound)
}

// CreateList creates a task list.
func (td *ToDo) CreateList(ctx context.Context, name string) (*List, error) {
	if name == "" {
		return nil, errors.New("todo: CreateList: empty name")
	}
	if err := td.ready(); err != nil {
		return nil, err
	}
	l := new(List)
	if err := td.PostJSON(ctx, td.BuildURL("/todo/lists"), map[string]string{"displayName": name}, l); err != nil {
		return nil, err
	}
	l.Component = td.Component
	return l, nil
}

// WellknownListName tells the default list from the others.
type WellknownListName string

// WellknownListName values.
const (
	NoWellknownName WellknownListName = "none"
	DefaultListName WellknownListName = "defaultList"
	// FlaggedEmails is the list To Do fills with flagged messages.
	FlaggedEmails WellknownListName = "flaggedEmails"
	// UnknownFutureValue is Graph's marker for values newer than v1.0.
	UnknownFutureValue WellknownListName = "unknownFutureValue"
)

// List is a To Do task list (Graph's todoTaskList).
type List struct {
	api.Component `json:"-"`

	ID          string `json:"id,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
	// IsOwner is true when the signed-in user owns the list; IsShared
	// when it is shared with others.
	IsOwner           bool              `json:"isOwner"`
	IsShared          bool              `json:"isShared"`
	WellknownListName WellknownListName `json:"wellknownListName,omitempty"`
	ODataType         string            `json:"@odata.type,omitempty"`
}

// IsDefault reports whether l is the user's default list.
func (l *List) IsDefault() bool { return l.WellknownListName == DefaultListName }

// Rename changes the list's display name. The default list cannot be
// renamed (Graph answers 400).
func (l *List) Rename(ctx context.Context, name string) error {
	if name == "" {
		return errors.New("todo: Rename: empty name")
	}
	if err := l.check(); err != nil {
		return err
	}
	fresh := new(List)
	if err := l.PatchJSON(ctx, l.BuildURL(listPath(l.ID)), map[string]string{"displayName": name}, fresh); err != nil {
		return err
	}
	fresh.Component = l.Component
	*l = *fresh
	return nil
}

// Delete deletes the list with its tasks. The default list cannot be
// deleted.
func (l *List) Delete(ctx context.Context) error {
	if err := l.check(); err != nil {
		return err
	}
	return l.Component.Delete(ctx, l.BuildURL(listPath(l.ID)))
}

// Tasks iterates over the list's tasks. Limit, BatchSize and Query shape
// the list: for example the open tasks, soonest due first:
//
//	q := query.New().Where(query.Ne("status", "completed")).OrderBy("dueDateTime/dateTime", query.Asc)
//	for t, err := range list.Tasks(ctx, o365.Query(q)) { … }
func (l *List) Tasks(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Task, error] {
	if err := l.check(); err != nil {
		return fail[*Task](err)
	}
	return listTasks(ctx, l.Component, l.ID, l.BuildURL(listPath(l.ID)+"/tasks"), nil, opts)
}

// Task gets the task of this list with the given id. Query options
// ($select, $expand=checklistItems,linkedResources) apply.
func (l *List) Task(ctx context.Context, id string, opts ...api.ListOption) (*Task, error) {
	if id == "" {
		return nil, errors.New("todo: Task: empty id")
	}
	if err := l.check(); err != nil {
		return nil, err
	}
	cfg := api.NewListConfig(opts...)
	params := api.Params{}
	if cfg.Query != nil {
		qp, err := cfg.Query.Params()
		if err != nil {
			return nil, err
		}
		for k, v := range qp {
			params[k] = v
		}
	}
	for k, v := range cfg.Params {
		params[k] = v
	}
	w := new(taskWire)
	if err := l.GetJSON(ctx, l.BuildURL(taskPath(l.ID, id)), params, w); err != nil {
		return nil, err
	}
	return w.bind(l.Component, l.ID)
}

// NewTask starts a task in this list with the given title; set its other
// fields and call Save to create it.
func (l *List) NewTask(title string) *Task {
	return &Task{Component: l.Component, Title: title, listID: l.ID}
}

// CreateTask creates t in this list and returns it as Graph made it. It
// is NewTask and Save in one call, for a task built as a literal.
func (l *List) CreateTask(ctx context.Context, t *Task) (*Task, error) {
	if t == nil {
		return nil, errors.New("todo: CreateTask: nil task")
	}
	if err := l.check(); err != nil {
		return nil, err
	}
	c := t.clone()
	c.Component, c.listID, c.ID, c.saved = l.Component, l.ID, "", nil
	if err := c.Save(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

func (l *List) check() error {
	if l.Con() == nil {
		return errUnbound
	}
	if l.ID == "" {
		return ErrNotSaved
	}
	return nil
}

func listPath(id string) string { return "/todo/lists/" + url.PathEscape(id) }

func taskPath(listID, id string) string {
	return listPath(listID) + "/tasks/" + url.PathEscape(id)
}

// fail is an iterator that yields err alone.
func fail[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}
