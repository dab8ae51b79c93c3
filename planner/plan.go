package planner

import (
	"context"
	"errors"
	"iter"
	"net/url"
	"time"

	"github.com/go-o365/o365/api"
)

// PlanContainer is what holds a plan and decides who may use it: for
// plans this package works with, a Microsoft 365 group.
type PlanContainer struct {
	ODataType   string `json:"@odata.type,omitempty"`
	URL         string `json:"url,omitempty"`         // e.g. https://graph.microsoft.com/v1.0/groups/{id}
	ContainerID string `json:"containerId,omitempty"` // the group's id
	Type        string `json:"type,omitempty"`        // "group"
}

// GroupContainer is the container of a plan in the Microsoft 365 group
// groupID.
func GroupContainer(groupID string) *PlanContainer {
	return &PlanContainer{ContainerID: groupID, Type: "group"}
}

// Plan is a Planner plan (plannerPlan). Change Title and call Save;
// Buckets and Tasks list what it holds.
type Plan struct {
	api.Component `json:"-"`

	ETag            string         `json:"@odata.etag,omitempty"`
	ID              string         `json:"id,omitempty"`
	Title           string         `json:"title,omitempty"`
	Owner           string         `json:"owner,omitempty"` // the group's id (older than Container)
	Container       *PlanContainer `json:"container,omitempty"`
	CreatedBy       *IdentitySet   `json:"createdBy,omitempty"`
	CreatedDateTime time.Time      `json:"createdDateTime,omitzero"`

	savedTitle string
}

func (pl *Plan) bind(c api.Component) *Plan {
	pl.Component = c
	pl.savedTitle = pl.Title
	return pl
}

func (pl *Plan) etag() string { return pl.ETag }

// GroupID is the id of the group the plan belongs to.
func (pl *Plan) GroupID() string {
	if pl.Container != nil && pl.Container.ContainerID != "" {
		return pl.Container.ContainerID
	}
	return pl.Owner
}

// Save sends a changed Title under the plan's etag. On success the plan
// holds Graph's state with its new etag; on failure (an error matching
// api.ErrPreconditionFailed when the plan changed since it was read) it
// is left as it was.
func (pl *Plan) Save(ctx context.Context) error {
	if err := exists(&pl.Component, pl.ID, "plan"); err != nil {
		return err
	}
	if pl.Title == pl.savedTitle {
		return nil
	}
	if pl.Title == "" {
		return errors.New("planner: Plan.Save: empty title")
	}
	return save(ctx, pl.Component, planPath(pl.ID), pl.ETag, map[string]any{"title": pl.Title}, pl)
}

// Delete deletes the plan with its buckets and tasks.
func (pl *Plan) Delete(ctx context.Context) error {
	if err := exists(&pl.Component, pl.ID, "plan"); err != nil {
		return err
	}
	return del(ctx, pl.Component, pl.BuildBaseURL(planPath(pl.ID)), pl.ETag)
}

// Buckets iterates over the plan's buckets, in the order Graph sends
// them; sort by OrderHint (SortBuckets) for the board's order.
func (pl *Plan) Buckets(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Bucket, error] {
	if err := exists(&pl.Component, pl.ID, "plan"); err != nil {
		return fail[*Bucket](err)
	}
	return listBound(ctx, pl.Component, pl.BuildBaseURL(planPath(pl.ID)+"/buckets"), opts, (*Bucket).bind)
}

// Tasks iterates over every task of the plan.
func (pl *Plan) Tasks(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Task, error] {
	if err := exists(&pl.Component, pl.ID, "plan"); err != nil {
		return fail[*Task](err)
	}
	return listBound(ctx, pl.Component, pl.BuildBaseURL(planPath(pl.ID)+"/tasks"), opts, (*Task).bind)
}

// CreateBucket creates a bucket named name in the plan. orderHint places
// it (make one with OrderHintBetween); empty lets Graph choose.
func (pl *Plan) CreateBucket(ctx context.Context, name, orderHint string) (*Bucket, error) {
	if err := exists(&pl.Component, pl.ID, "plan"); err != nil {
		return nil, err
	}
	p := Planner{Component: pl.Component}
	return p.CreateBucket(ctx, &Bucket{Name: name, PlanID: pl.ID, OrderHint: orderHint})
}

// CreateTask creates task in the plan (see Planner.CreateTask).
func (pl *Plan) CreateTask(ctx context.Context, task *Task) (*Task, error) {
	if err := exists(&pl.Component, pl.ID, "plan"); err != nil {
		return nil, err
	}
	if task == nil {
		return nil, errors.New("planner: CreateTask: nil task")
	}
	t := *task
	t.PlanID = pl.ID
	p := Planner{Component: pl.Component}
	return p.CreateTask(ctx, &t)
}

// Bucket is a column of a plan's board (plannerBucket). Change Name or
// OrderHint (with OrderHintBetween) and call Save.
type Bucket struct {
	api.Component `json:"-"`

	ETag      string `json:"@odata.etag,omitempty"`
	ID        string `json:"id,omitempty"`
	Name      string `json:"name,omitempty"`
	PlanID    string `json:"planId,omitempty"`
	OrderHint string `json:"orderHint,omitempty"`

	saved struct{ name, orderHint string }
}

func (b *Bucket) bind(c api.Component) *Bucket {
	b.Component = c
	b.saved.name, b.saved.orderHint = b.Name, b.OrderHint
	return b
}

func (b *Bucket) etag() string { return b.ETag }

// Save sends a changed Name or OrderHint under the bucket's etag. A
// changed OrderHint must come from OrderHintBetween (checked before
// sending). On failure the bucket is left as it was.
func (b *Bucket) Save(ctx context.Context) error {
	if err := exists(&b.Component, b.ID, "bucket"); err != nil {
		return err
	}
	body := map[string]any{}
	if b.Name != b.saved.name {
		if b.Name == "" {
			return errors.New("planner: Bucket.Save: empty name")
		}
		body["name"] = b.Name
	}
	if b.OrderHint != b.saved.orderHint {
		if err := checkHint("bucket "+b.Name, "orderHint", b.OrderHint); err != nil {
			return err
		}
		body["orderHint"] = b.OrderHint
	}
	if len(body) == 0 {
		return nil
	}
	return save(ctx, b.Component, bucketPath(b.ID), b.ETag, body, b)
}

// Delete deletes the bucket, and with it the tasks in it.
func (b *Bucket) Delete(ctx context.Context) error {
	if err := exists(&b.Component, b.ID, "bucket"); err != nil {
		return err
	}
	return del(ctx, b.Component, b.BuildBaseURL(bucketPath(b.ID)), b.ETag)
}

// Tasks iterates over the tasks in the bucket.
func (b *Bucket) Tasks(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Task, error] {
	if err := exists(&b.Component, b.ID, "bucket"); err != nil {
		return fail[*Task](err)
	}
	return listBound(ctx, b.Component, b.BuildBaseURL("/planner/buckets/"+url.PathEscape(b.ID)+"/tasks"), opts, (*Task).bind)
}

// CreateTask creates task in the bucket (see Planner.CreateTask).
func (b *Bucket) CreateTask(ctx context.Context, task *Task) (*Task, error) {
	if err := exists(&b.Component, b.ID, "bucket"); err != nil {
		return nil, err
	}
	if task == nil {
		return nil, errors.New("planner: CreateTask: nil task")
	}
	t := *task
	t.PlanID, t.BucketID = b.PlanID, b.ID
	p := Planner{Component: b.Component}
	return p.CreateTask(ctx, &t)
}
