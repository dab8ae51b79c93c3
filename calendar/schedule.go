package calendar

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"time"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/internal/tz"
	"github.com/go-o365/o365/query"
)

// Schedule is a user's calendars and events: the default calendar, the
// other calendars, the events in them, and availability.
//
// It works on the main resource of its parent ("me" for the signed-in
// user), or on another user's calendars when made for that user (through
// account.Schedule("user@example.com") or NewFrom(parent, "user@…")),
// which needs the owner to have shared them and the calendar_shared
// scopes, or an app-only token.
type Schedule struct {
	api.Component

	// Location is the zone event times are shown in: Graph is asked for
	// them there (Prefer: outlook.timezone) and every time.Time this
	// package returns is in it. nil means time.Local. Calendars and
	// events take the Location of the Schedule they came from when they
	// are fetched.
	Location *time.Location
}

// New returns the schedule of the protocol's default resource, using con
// for requests: the modular form, without an Account.
func New(con api.Requester, protocol api.Protocol) *Schedule {
	return NewFrom(api.ParentOf(con, protocol))
}

// NewFrom returns the schedule of parent's main resource (an Account,
// another component, or api.ParentOf), or of resource when one is given:
// "me", a user principal name or "users/{id}".
func NewFrom(parent api.Parent, resource ...string) *Schedule {
	var r string
	if len(resource) > 0 {
		r = resource[0]
	}
	return &Schedule{Component: api.NewForResource(parent, r, nil)}
}

// preferZone is the Prefer header asking Graph for times in loc, or ""
// when Graph cannot be told loc's name (times then come in UTC and are
// converted here).
func preferZone(loc *time.Location) string {
	name, ok := tz.GraphName(location(loc))
	if !ok {
		return ""
	}
	return `outlook.timezone="` + name + `"`
}

// do sends a request with the Prefer header for loc and decodes the
// answer into out.
func do(ctx context.Context, c *api.Component, loc *time.Location, method, url string, body, out any) error {
	req, err := api.NewRequest(ctx, method, url, nil, body)
	if err != nil {
		return err
	}
	if p := preferZone(loc); p != "" {
		req.Header.Set("Prefer", p)
	}
	return c.DoJSON(req, out)
}

// Calendars iterates over the user's calendars. Use Limit, BatchSize and
// Query to shape the list.
func (s *Schedule) Calendars(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Calendar, error] {
	return func(yield func(*Calendar, error) bool) {
		for c, err := range api.List[*Calendar](ctx, s.Con(), s.BuildURL("/calendars"), opts...) {
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(c.bind(s.Component, s.Location), nil) {
				return
			}
		}
	}
}

// DefaultCalendar gets the user's default calendar, the one invitations
// arrive in.
func (s *Schedule) DefaultCalendar(ctx context.Context) (*Calendar, error) {
	return s.getCalendar(ctx, "/calendar")
}

// Calendar gets the calendar with the given id.
func (s *Schedule) Calendar(ctx context.Context, id string) (*Calendar, error) {
	if id == "" {
		return nil, errors.New("calendar: Calendar: empty id")
	}
	return s.getCalendar(ctx, calendarPath(id))
}

func (s *Schedule) getCalendar(ctx context.Context, path string) (*Calendar, error) {
	c := new(Calendar)
	if err := s.GetJSON(ctx, s.BuildURL(path), nil, c); err != nil {
		return nil, err
	}
	return c.bind(s.Component, s.Location), nil
}

// CalendarByName returns the calendar with the given name. No such
// calendar gives an error matching api.ErrNotFound.
func (s *Schedule) CalendarByName(ctx context.Context, name string) (*Calendar, error) {
	if name == "" {
		return nil, errors.New("calendar: CalendarByName: empty name")
	}
	q := query.New().Where(query.Eq("name", name))
	for c, err := range s.Calendars(ctx, api.Query(q), api.Limit(1)) {
		return c, err
	}
	return nil, fmt.Errorf("calendar: no calendar named %q: %w", name, api.ErrNotFound)
}

// NewCalendar creates a calendar named name. A calendar of that name
// already there gives an error matching api.ErrConflict.
func (s *Schedule) NewCalendar(ctx context.Context, name string) (*Calendar, error) {
	if name == "" {
		return nil, errors.New("calendar: NewCalendar: empty name")
	}
	c := new(Calendar)
	if err := s.PostJSON(ctx, s.BuildURL("/calendars"), map[string]string{"name": name}, c); err != nil {
		return nil, err
	}
	return c.bind(s.Component, s.Location), nil
}

// Events iterates over the events of the default calendar: single events
// and series masters (a series comes once; CalendarView expands it). Use
// Limit, BatchSize and Query to shape the list.
func (s *Schedule) Events(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Event, error] {
	return listEvents(ctx, s.Component, s.Location, "/events", nil, opts)
}

// CalendarView iterates over what the default calendar holds between
// start and end: single events, and each occurrence of a series in the
// range, ordered by start. Use Limit, BatchSize and Query to shape it.
func (s *Schedule) CalendarView(ctx context.Context, start, end time.Time, opts ...api.ListOption) iter.Seq2[*Event, error] {
	return listEvents(ctx, s.Component, s.Location, "/calendarView", &window{start, end}, opts)
}

// Event gets the event (or occurrence) with the given id, in whichever
// calendar it is.
func (s *Schedule) Event(ctx context.Context, id string) (*Event, error) {
	if id == "" {
		return nil, errors.New("calendar: Event: empty id")
	}
	ev := new(Event)
	if err := do(ctx, &s.Component, s.Location, http.MethodGet, s.BuildURL(eventPath(id)), nil, ev); err != nil {
		return nil, err
	}
	return ev.bind(s.Component, s.Location), nil
}

// NewEvent starts an event in the default calendar; it is created by its
// first Save. It has Graph's defaults for a new event: a reminder 15
// minutes before, responses requested, new time proposals allowed.
func (s *Schedule) NewEvent() *Event {
	return newEvent(s.Component, s.Location, "/events")
}

func newEvent(parent api.Component, loc *time.Location, createPath string) *Event {
	return &Event{
		Component:                  parent,
		loc:                        loc,
		createURL:                  createPath,
		IsReminderOn:               true,
		ReminderMinutesBeforeStart: 15,
		ResponseRequested:          true,
		AllowNewTimeProposals:      true,
	}
}
