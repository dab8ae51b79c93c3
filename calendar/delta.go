package calendar

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-o365/o365/api"
)

// Removed marks an event a delta round reports as gone from the calendar
// view: deleted, or moved (or changed) so that it no longer falls in the
// view's window.
type Removed struct {
	Reason string `json:"reason"`
}

// CalendarViewDelta starts tracking changes of what the default calendar
// holds between start and end (Graph's calendarView/delta); see Delta.
// deltaLink is where an earlier round ended (Delta.DeltaLink), or "" to
// start with every event in the window. A delta link carries its window,
// so start and end matter only when deltaLink is "".
func (s *Schedule) CalendarViewDelta(start, end time.Time, deltaLink string) *Delta {
	return &Delta{parent: s.Component, loc: s.Location, path: "/calendarView/delta", start: start, end: end, DeltaLink: deltaLink}
}

// CalendarViewDelta starts tracking changes of what this calendar holds
// between start and end; see Schedule.CalendarViewDelta.
func (c *Calendar) CalendarViewDelta(start, end time.Time, deltaLink string) *Delta {
	return &Delta{parent: c.Component, loc: c.loc, path: calendarPath(c.ID) + "/calendarView/delta",
		start: start, end: end, DeltaLink: deltaLink, unsaved: c.ID == ""}
}

// Delta tracks changes of a calendar view across rounds: the first round
// yields every single event, occurrence and exception in the window, each
// later one only those created, changed or removed since (removed ones
// have Removed set and only their ID). Times are in the Schedule's
// Location, as for CalendarView.
//
//	d := sched.CalendarViewDelta(monday, monday.AddDate(0, 0, 7), saved)
//	for ev, err := range d.Changes(ctx) { … }
//	saved = d.DeltaLink // keep for the next round
type Delta struct {
	parent     api.Component
	loc        *time.Location
	path       string // of the first round, under the main resource
	start, end time.Time
	unsaved    bool // made from a Calendar without an id
	// DeltaLink is the @odata.deltaLink that ended the last complete
	// round; the next round starts there. Persist it to resume later.
	DeltaLink string
}

// Changes runs one round. The DeltaLink advances only when the round is
// read to its end; a round stopped early (or cut by Limit) is repeated in
// full by the next call. A delta link Graph no longer knows gives an
// error matching api.ErrSyncStateNotFound: set DeltaLink to "" and start
// over. BatchSize is sent as Prefer: odata.maxpagesize, beside the
// outlook.timezone preference. Graph takes no $select, $filter, $orderby
// or $search here, so a Query is refused before any request.
//
// Graph reports under Removed both events deleted from the window and
// events outside it that changed; filter them by ID against what you
// hold.
func (d *Delta) Changes(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Event, error] {
	if d.unsaved {
		return failed[*Event](ErrNotSaved)
	}
	if d.parent.Con() == nil || d.parent.Protocol() == nil {
		return failed[*Event](errors.New("calendar: CalendarViewDelta: the schedule has no connection (make it with New, NewFrom or account.Schedule)"))
	}
	cfg := api.NewListConfig(opts...)
	if cfg.Query != nil {
		return failed[*Event](errors.New("calendar: CalendarViewDelta: Graph's event delta takes no query ($select, $filter, $orderby, $search)"))
	}
	start := d.DeltaLink
	if start == "" {
		if err := checkSpan("calendar view delta", d.start, d.end); err != nil {
			return failed[*Event](err)
		}
		u, err := api.AddParams(d.parent.BuildURL(d.path), api.Params{
			"startDateTime": d.start.Format(time.RFC3339Nano),
			"endDateTime":   d.end.Format(time.RFC3339Nano),
		})
		if err != nil {
			return failed[*Event](err)
		}
		start = u
	} else if u, err := url.Parse(start); err != nil || !u.IsAbs() {
		return failed[*Event](fmt.Errorf("calendar: CalendarViewDelta: the delta link %q is not an absolute URL", start))
	}
	var prefer []string
	if p := preferZone(d.loc); p != "" {
		prefer = append(prefer, p)
	}
	if cfg.BatchSize > 0 {
		prefer = append(prefer, fmt.Sprintf("odata.maxpagesize=%d", cfg.BatchSize))
	}
	// The links carry the round's parameters; $top is not one Graph takes
	// here, so Limit is counted below rather than sent.
	opts = append(slices.Clip(opts), api.BatchSize(0), api.Limit(0))
	if len(prefer) > 0 {
		opts = append(opts, api.Header("Prefer", strings.Join(prefer, ", ")))
	}
	return func(yield func(*Event, error) bool) {
		pager := api.NewPager[*eventWire](d.parent.Con(), start, opts...)
		n := 0
		for w, err := range pager.All(ctx) {
			var ev *Event
			if err == nil {
				ev, err = w.event()
			}
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(ev.bind(d.parent, d.loc), nil) {
				return
			}
			if n++; cfg.Limit > 0 && n >= cfg.Limit {
				return
			}
		}
		if pager.DeltaLink() != "" {
			d.DeltaLink = pager.DeltaLink()
		}
	}
}
