package planner

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"time"

	"github.com/go-o365/o365/api"
)

// Planner is the entry point to Microsoft Planner: the plans of a user or
// of a group, and any plan, bucket or task by id.
//
// Plans, buckets and tasks live under /planner whoever owns them; the
// main resource ("me" by default) only decides whose plans MyPlans and
// whose tasks MyTasks list.
type Planner struct {
	api.Component
}

// New returns a Planner for the protocol's default resource, using con
// for requests: the modular form, without an Account.
func New(con api.Requester, protocol api.Protocol) *Planner {
	return NewFrom(api.ParentOf(con, protocol))
}

// NewFrom returns a Planner for parent's main resource (an Account,
// another component, or api.ParentOf), or for resource when one is given:
// "me", a user principal name or "users/{id}".
func NewFrom(parent api.Parent, resource ...string) *Planner {
	var r string
	if len(resource) > 0 {
		r = resource[0]
	}
	return &Planner{Component: api.NewForResource(parent, r, nil)}
}

// Errors of items that cannot be acted on in Graph yet.
var (
	// ErrNotSaved is returned for a plan, bucket or task that has no id:
	// create it first.
	ErrNotSaved = errors.New("planner: not created yet (no id)")
	// ErrNoETag is returned when an update or delete lacks the item's
	// @odata.etag, which Planner requires (If-Match): get the item from
	// Graph rather than building it.
	ErrNoETag = errors.New("planner: item has no @odata.etag; get it from Graph first")
)

// IdentitySet names who did something: a user, an application or a
// device (Graph's identitySet).
type IdentitySet struct {
	User        *Identity `json:"user,omitempty"`
	Application *Identity `json:"application,omitempty"`
	Device      *Identity `json:"device,omitempty"`
}

// Identity is one member of an IdentitySet.
type Identity struct {
	ID          string `json:"id,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
}

// UserID is the id of the user in the set, or "" when there is none.
func (s *IdentitySet) UserID() string {
	if s == nil || s.User == nil {
		return ""
	}
	return s.User.ID
}

// MyPlans iterates over the plans of the main resource's user: those of
// the groups they belong to (GET /me/planner/plans).
func (p *Planner) MyPlans(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Plan, error] {
	return listBound(ctx, p.Component, p.BuildURL("/planner/plans"), opts, (*Plan).bind)
}

// Plans iterates over the plans of the Microsoft 365 group groupID
// (GET /groups/{id}/planner/plans). The signed-in user must be a member.
func (p *Planner) Plans(ctx context.Context, groupID string, opts ...api.ListOption) iter.Seq2[*Plan, error] {
	if groupID == "" {
		return fail[*Plan](errors.New("planner: Plans: empty group id"))
	}
	return listBound(ctx, p.Component, p.BuildBaseURL("/groups/"+url.PathEscape(groupID)+"/planner/plans"), opts, (*Plan).bind)
}

// Plan gets the plan with the given id. An unknown id gives an error
// matching api.ErrNotFound.
func (p *Planner) Plan(ctx context.Context, id string) (*Plan, error) {
	return get(ctx, p.Component, "Plan", planPath(id), id, (*Plan).bind)
}

// CreatePlan creates plan: its Title, and its Container (GroupContainer,
// or a PlanContainer with the group's URL) or, the older way, its Owner
// group id. The signed-in user must be a member of the group. It returns
// the plan as Graph created it.
func (p *Planner) CreatePlan(ctx context.Context, plan *Plan) (*Plan, error) {
	if plan == nil || plan.Title == "" {
		return nil, errors.New("planner: CreatePlan: the plan needs a title")
	}
	body := map[string]any{"title": plan.Title}
	switch c := plan.Container; {
	case c != nil && (c.URL != "" || c.ContainerID != ""):
		cont := map[string]any{}
		if c.URL != "" {
			cont["url"] = c.URL
		}
		if c.ContainerID != "" {
			cont["containerId"] = c.ContainerID
			cont["type"] = c.Type
			if c.Type == "" {
				cont["type"] = "group"
			}
		}
		body["container"] = cont
	case plan.Owner != "":
		body["owner"] = plan.Owner
	default:
		return nil, errors.New("planner: CreatePlan: the plan needs a container (GroupContainer) or an owner group")
	}
	created := new(Plan)
	if err := p.PostJSON(ctx, p.BuildBaseURL("/planner/plans"), body, created); err != nil {
		return nil, err
	}
	return created.bind(p.Component), nil
}

// Bucket gets the bucket with the given id. An unknown id gives an error
// matching api.ErrNotFound.
func (p *Planner) Bucket(ctx context.Context, id string) (*Bucket, error) {
	return get(ctx, p.Component, "Bucket", bucketPath(id), id, (*Bucket).bind)
}

// CreateBucket creates bucket in its PlanID with its Name and, when set,
// its OrderHint (made with OrderHintBetween).
func (p *Planner) CreateBucket(ctx context.Context, bucket *Bucket) (*Bucket, error) {
	if bucket == nil || bucket.Name == "" || bucket.PlanID == "" {
		return nil, errors.New("planner: CreateBucket: the bucket needs a name and a plan id")
	}
	body := map[string]any{"name": bucket.Name, "planId": bucket.PlanID}
	if bucket.OrderHint != "" {
		if err := checkHint("bucket "+bucket.Name, "orderHint", bucket.OrderHint); err != nil {
			return nil, err
		}
		body["orderHint"] = bucket.OrderHint
	}
	created := new(Bucket)
	if err := p.PostJSON(ctx, p.BuildBaseURL("/planner/buckets"), body, created); err != nil {
		return nil, err
	}
	return created.bind(p.Component), nil
}

// Task gets the task with the given id. An unknown id gives an error
// matching api.ErrNotFound.
func (p *Planner) Task(ctx context.Context, id string) (*Task, error) {
	return get(ctx, p.Component, "Task", taskPath(id), id, (*Task).bind)
}

// MyTasks iterates over the tasks assigned to the main resource's user
// (GET /me/planner/tasks), from every plan.
func (p *Planner) MyTasks(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Task, error] {
	return listBound(ctx, p.Component, p.BuildURL("/planner/tasks"), opts, (*Task).bind)
}

// CreateTask creates task in its PlanID (and BucketID when set) with
// the properties set on it: Title (required), Assignments (see Assign),
// AppliedCategories, dates, PercentComplete, a non-zero Priority, and
// order hints made with OrderHintBetween. It returns the task as Graph
// created it.
func (p *Planner) CreateTask(ctx context.Context, task *Task) (*Task, error) {
	if task == nil || task.Title == "" || task.PlanID == "" {
		return nil, errors.New("planner: CreateTask: the task needs a title and a plan id")
	}
	body, err := task.createBody()
	if err != nil {
		return nil, err
	}
	created := new(Task)
	if err := p.PostJSON(ctx, p.BuildBaseURL("/planner/tasks"), body, created); err != nil {
		return nil, err
	}
	return created.bind(p.Component), nil
}

// TaskDetails gets the details of the task with id taskID: description,
// checklist and references.
func (p *Planner) TaskDetails(ctx context.Context, taskID string) (*TaskDetails, error) {
	return get(ctx, p.Component, "TaskDetails", taskPath(taskID)+"/details", taskID, (*TaskDetails).bind)
}

func planPath(id string) string   { return "/planner/plans/" + url.PathEscape(id) }
func bucketPath(id string) string { return "/planner/buckets/" + url.PathEscape(id) }
func taskPath(id string) string   { return "/planner/tasks/" + url.PathEscape(id) }

// get reads one item at path (under the service root) and binds it.
func get[T any](ctx context.Context, c api.Component, what, path, id string, bind func(*T, api.Component) *T) (*T, error) {
	if id == "" {
		return nil, fmt.Errorf("planner: %s: empty id", what)
	}
	v := new(T)
	if err := c.GetJSON(ctx, c.BuildBaseURL(path), nil, v); err != nil {
		return nil, err
	}
	return bind(v, c), nil
}

// listBound iterates over the collection at u, binding each item to c.
func listBound[T any](ctx context.Context, c api.Component, u string, opts []api.ListOption, bind func(*T, api.Component) *T) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		for v, err := range api.List[*T](ctx, c.Con(), u, opts...) {
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(bind(v, c), nil) {
				return
			}
		}
	}
}

// fail is an iterator that yields err alone.
func fail[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}

// patch sends body with PATCH to u under the item's etag, asking for the
// updated item back (Prefer: return=representation) so its new etag is
// known; a server that answers 204 anyway is asked with a GET. The fresh
// item is decoded into out.
func patch(ctx context.Context, c api.Component, u, etag string, body any, out interface{ etag() string }) error {
	if etag == "" {
		return ErrNoETag
	}
	req, err := api.NewRequest(ctx, http.MethodPatch, u, nil, body)
	if err != nil {
		return err
	}
	req.Header.Set("If-Match", etag)
	req.Header.Set("Prefer", "return=representation")
	if err := c.DoJSON(req, out); err != nil {
		return err
	}
	if out.etag() == "" {
		return c.GetJSON(ctx, u, nil, out)
	}
	return nil
}

// saved is a Plan, Bucket, Task or TaskDetails: it knows its etag and
// binds to a connection, remembering the state it was read in.
type saved[T any] interface {
	*T
	etag() string
	bind(api.Component) *T
}

// save PATCHes body to path (under the service root) with item's etag,
// the end of every Save: on success item becomes Graph's fresh state,
// new etag included; on failure it is left as it was.
func save[T any, P saved[T]](ctx context.Context, c api.Component, path, etag string, body map[string]any, item P) error {
	fresh := P(new(T))
	if err := patch(ctx, c, c.BuildBaseURL(path), etag, body, fresh); err != nil {
		return err
	}
	*item = *fresh.bind(c)
	return nil
}

// del sends DELETE to u under the item's etag.
func del(ctx context.Context, c api.Component, u, etag string) error {
	if etag == "" {
		return ErrNoETag
	}
	req, err := api.NewRequest(ctx, http.MethodDelete, u, nil, nil)
	if err != nil {
		return err
	}
	req.Header.Set("If-Match", etag)
	return c.DoJSON(req, nil)
}

// exists reports an item that cannot be acted on in Graph: unbound, or
// not created yet.
func exists(c *api.Component, id, what string) error {
	if c.Con() == nil {
		return fmt.Errorf("planner: %s has no connection; get it from a Planner", what)
	}
	if id == "" {
		return ErrNotSaved
	}
	return nil
}

// timeOrNull is t for a JSON body, or null for the zero time (which
// clears a date in Graph).
func timeOrNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339Nano)
}
