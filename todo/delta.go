package todo

import (
	"context"
	"fmt"
	"iter"

	"github.com/go-o365/o365/api"
)

// TaskDelta starts tracking changes of the list's tasks; see Delta.
// deltaLink is where an earlier round ended (Delta.DeltaLink), or "" to
// start with every task in the list.
func (l *List) TaskDelta(deltaLink string) *Delta {
	return &Delta{list: l, DeltaLink: deltaLink}
}

// Delta tracks changes of a list's tasks across rounds: the first round
// yields every task, each later one only those created, changed or
// deleted since (deleted ones have Removed set and only their ID).
//
//	d := list.TaskDelta(saved)
//	for t, err := range d.Changes(ctx) { … }
//	saved = d.DeltaLink // keep for the next round
type Delta struct {
	list *List
	// DeltaLink is the @odata.deltaLink that ended the last complete
	// round; the next round starts there. Persist it to resume later.
	DeltaLink string
}

// Changes runs one round. The DeltaLink advances only when the round is
// read to its end; a round stopped early is repeated in full by the next
// call. A delta link Graph no longer knows gives an error matching
// api.ErrSyncStateNotFound: set DeltaLink to "" and start over.
// BatchSize is sent as Prefer: odata.maxpagesize; a Query ($select) is
// sent with the first round only, as the links carry it on.
func (d *Delta) Changes(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Task, error] {
	if err := d.list.check(); err != nil {
		return fail[*Task](err)
	}
	start := d.DeltaLink
	if start == "" {
		start = d.list.BuildURL(listPath(d.list.ID) + "/tasks/delta")
	}
	cfg := api.NewListConfig(opts...)
	if cfg.BatchSize > 0 {
		opts = append(opts, api.Header("Prefer", fmt.Sprintf("odata.maxpagesize=%d", cfg.BatchSize)), api.BatchSize(0))
	}
	if d.DeltaLink != "" {
		opts = append(opts, api.Query(nil))
	}
	return listTasks(ctx, d.list.Component, d.list.ID, start, &d.DeltaLink, opts)
}
