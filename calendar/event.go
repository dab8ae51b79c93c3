package calendar

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/mail"
	"net/url"
	"reflect"
	"slices"
	"time"

	"github.com/go-o365/o365/api"
)

// Event is an Outlook calendar event: a single event, a series master, or
// one occurrence or exception of a series. Its fields are Graph's event
// properties, with Graph's JSON names; set them and call Save.
//
// Start and End are time.Time. Events read from Graph come in the
// Schedule's Location; an all-day event's Start and End keep their
// calendar days (midnight in that Location) rather than shifting with the
// zone. When saved, Start and End are sent in their own zones (by Windows
// name), so the zone a meeting is created in is the zone its series keeps
// its wall-clock time in.
//
// Get events from a Schedule or a Calendar (Events, CalendarView, Event),
// or start one with NewEvent, which fills Graph's defaults. An Event
// remembers its state as last loaded or saved, so Save sends only the
// fields changed since.
type Event struct {
	api.Component `json:"-"`

	// Read-only properties, set by Graph.
	ID                    string    `json:"id,omitempty"`
	ETag                  string    `json:"@odata.etag,omitempty"`
	CreatedDateTime       time.Time `json:"createdDateTime,omitzero"`
	LastModifiedDateTime  time.Time `json:"lastModifiedDateTime,omitzero"`
	ChangeKey             string    `json:"changeKey,omitempty"`
	ICalUID               string    `json:"iCalUId,omitempty"`
	OriginalStartTimeZone string    `json:"originalStartTimeZone,omitempty"`
	OriginalEndTimeZone   string    `json:"originalEndTimeZone,omitempty"`
	OriginalStart         time.Time `json:"originalStart,omitzero"`
	HasAttachments        bool      `json:"hasAttachments"`
	BodyPreview           string    `json:"bodyPreview,omitempty"`
	IsCancelled           bool      `json:"isCancelled"`
	IsDraft               bool      `json:"isDraft"`
	IsOrganizer           bool      `json:"isOrganizer"`
	// SeriesMasterID is the id of the series an occurrence or exception
	// belongs to.
	SeriesMasterID       string             `json:"seriesMasterId,omitempty"`
	Type                 EventType          `json:"type,omitempty"`
	WebLink              string             `json:"webLink,omitempty"`
	OnlineMeetingURL     string             `json:"onlineMeetingUrl,omitempty"`
	OnlineMeeting        *OnlineMeetingInfo `json:"onlineMeeting,omitempty"`
	ResponseStatus       *ResponseStatus    `json:"responseStatus,omitempty"`
	Organizer            *Recipient         `json:"organizer,omitempty"`
	CancelledOccurrences []string           `json:"cancelledOccurrences,omitempty"`

	Subject  string    `json:"subject,omitempty"`
	Body     *ItemBody `json:"body,omitempty"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	IsAllDay bool      `json:"isAllDay"`
	// Location is the main place; Locations lists every place of an event
	// held in several.
	Location    *Location      `json:"location,omitempty"`
	Locations   []Location     `json:"locations,omitempty"`
	Attendees   []Attendee     `json:"attendees,omitempty"`
	Recurrence  *Recurrence    `json:"recurrence,omitempty"`
	Categories  []string       `json:"categories,omitempty"`
	Importance  Importance     `json:"importance,omitempty"`
	Sensitivity Sensitivity    `json:"sensitivity,omitempty"`
	ShowAs      FreeBusyStatus `json:"showAs,omitempty"`
	// Reminders.
	IsReminderOn               bool `json:"isReminderOn"`
	ReminderMinutesBeforeStart int  `json:"reminderMinutesBeforeStart"`
	// Online meeting: set IsOnlineMeeting (and a provider) for Graph to
	// create one; OnlineMeeting then says how to join.
	IsOnlineMeeting       bool                  `json:"isOnlineMeeting"`
	OnlineMeetingProvider OnlineMeetingProvider `json:"onlineMeetingProvider,omitempty"`
	// Invitations.
	ResponseRequested     bool   `json:"responseRequested"`
	AllowNewTimeProposals bool   `json:"allowNewTimeProposals"`
	HideAttendees         bool   `json:"hideAttendees"`
	TransactionID         string `json:"transactionId,omitempty"`

	// Removed is set on events a delta round reports as gone from its
	// calendar view (see Delta); only ID is meaningful then.
	Removed *Removed `json:"@removed,omitempty"`

	loc       *time.Location // where times are shown; nil for time.Local
	createURL string         // where Save creates a new event
	saved     *Event         // the state last loaded or saved; nil until then
}

// ErrNotSaved is returned by operations that need an event (or calendar
// or attachment) that exists in Graph, when it has no id yet.
var ErrNotSaved = errors.New("calendar: not saved yet (no id)")

// readOnly are the event properties Graph sets; Save never sends them.
var readOnly = map[string]bool{
	"id": true, "@odata.etag": true, "createdDateTime": true, "lastModifiedDateTime": true,
	"changeKey": true, "iCalUId": true, "originalStartTimeZone": true, "originalEndTimeZone": true,
	"originalStart": true, "hasAttachments": true, "bodyPreview": true, "isCancelled": true,
	"isDraft": true, "isOrganizer": true, "seriesMasterId": true, "type": true, "webLink": true,
	"onlineMeetingUrl": true, "onlineMeeting": true, "responseStatus": true, "organizer": true,
	"cancelledOccurrences": true, "@removed": true,
}

// eventFields is Event without its methods, so the JSON methods below can
// encode and decode its fields without calling themselves.
type eventFields Event

// eventWire is the wire shape of an event: start and end, which Event
// holds as time.Time, shadow the embedded fields of the same JSON name.
//
// Lists decode pages into eventWire rather than Event: the JSON engine
// decodes a type with its own UnmarshalJSON in two passes (finding the
// value's end, then decoding it), which on a page of events costs half
// as much again as the decoding itself.
type eventWire struct {
	eventFields
	Start *dateTimeTimeZone `json:"start,omitempty"`
	End   *dateTimeTimeZone `json:"end,omitempty"`
}

// event converts the wire shape, reading start and end in their zones.
func (w *eventWire) event() (*Event, error) {
	e := (*Event)(&w.eventFields)
	var err error
	if e.Start, err = w.Start.timeOf("event start"); err != nil {
		return nil, err
	}
	if e.End, err = w.End.timeOf("event end"); err != nil {
		return nil, err
	}
	return e, nil
}

// MarshalJSON writes the event as Graph does, with start and end as
// dateTimeTimeZone objects in their own zones (see Event).
func (e Event) MarshalJSON() ([]byte, error) {
	start, end := e.Start, e.End
	if e.IsAllDay {
		// All-day times are dates: midnight, in whatever zone they carry.
		start, end = wallMidnight(start), wallMidnight(end)
	}
	return api.Marshal(eventWire{eventFields: eventFields(e), Start: wireOf(start), End: wireOf(end)})
}

// UnmarshalJSON reads an event as Graph writes it. A malformed
// dateTimeTimeZone or an unknown zone name is an error naming it.
func (e *Event) UnmarshalJSON(b []byte) error {
	var w eventWire
	if err := api.Unmarshal(b, &w); err != nil {
		return err
	}
	ev, err := w.event()
	if err != nil {
		return err
	}
	*e = *ev
	return nil
}

// wallMidnight is t's calendar day at midnight in t's zone.
func wallMidnight(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return DateOf(t).In(t.Location())
}

// bind attaches an event decoded from Graph to its parent's connection,
// shows its times in loc, and remembers its state.
func (e *Event) bind(parent api.Component, loc *time.Location) *Event {
	e.Component = parent
	e.loc = loc
	e.Start = inZone(e.Start, e.IsAllDay, location(loc))
	e.End = inZone(e.End, e.IsAllDay, location(loc))
	e.remember()
	return e
}

// remember keeps a deep copy of the event's properties as its saved state.
func (e *Event) remember() {
	s := e.clone()
	s.saved = nil
	e.saved = s
}

func (e *Event) clone() *Event {
	c := *e
	c.Categories = slices.Clone(e.Categories)
	c.Locations = slices.Clone(e.Locations)
	c.Attendees = slices.Clone(e.Attendees)
	c.CancelledOccurrences = slices.Clone(e.CancelledOccurrences)
	c.Recurrence = e.Recurrence.clone()
	c.Body = clonePtr(e.Body)
	c.Location = clonePtr(e.Location)
	if c.Location != nil {
		c.Location.Address = clonePtr(e.Location.Address)
		c.Location.Coordinates = clonePtr(e.Location.Coordinates)
	}
	for i := range c.Locations {
		c.Locations[i].Address = clonePtr(e.Locations[i].Address)
		c.Locations[i].Coordinates = clonePtr(e.Locations[i].Coordinates)
	}
	c.ResponseStatus = clonePtr(e.ResponseStatus)
	c.Organizer = clonePtr(e.Organizer)
	for i := range c.Attendees {
		c.Attendees[i].Status = clonePtr(e.Attendees[i].Status)
		c.Attendees[i].ProposedNewTime = clonePtr(e.Attendees[i].ProposedNewTime)
	}
	return &c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}

// location is loc, or time.Local for nil.
func location(loc *time.Location) *time.Location {
	if loc == nil {
		return time.Local
	}
	return loc
}

// eventPath is the path of the event with the given id, under the main
// resource.
func eventPath(id string) string { return "/events/" + url.PathEscape(id) }

// Changes returns the properties Save would send, by JSON name: for a new
// event every writable property set, for a saved one those changed since
// it was loaded or saved. A property cleared since is sent as Graph clears
// it: null, or an empty list, false or 0 for properties of those types.
func (e *Event) Changes() (map[string]any, error) {
	return changes(e, e.saved, readOnly)
}

// changes diffs the JSON objects of cur and saved (nil for a new item),
// leaving out the properties in skip.
func changes[T any](cur, saved *T, skip map[string]bool) (map[string]any, error) {
	now, err := propertiesOf(cur)
	if err != nil {
		return nil, err
	}
	old := map[string]any{}
	if saved != nil {
		if old, err = propertiesOf(saved); err != nil {
			return nil, err
		}
	}
	diff := map[string]any{}
	for k, v := range now {
		if skip[k] || reflect.DeepEqual(old[k], v) {
			continue
		}
		if _, had := old[k]; !had && saved == nil && isZeroJSON(v) {
			continue // a new item leaves unset properties to Graph's defaults
		}
		diff[k] = v
	}
	for k, v := range old {
		if _, ok := now[k]; !ok && !skip[k] {
			diff[k] = zeroJSON(v)
		}
	}
	return diff, nil
}

// propertiesOf is v's JSON object as a map.
func propertiesOf(v any) (map[string]any, error) {
	b, err := api.Marshal(v)
	if err != nil {
		return nil, err
	}
	m := map[string]any{}
	if err := api.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// zeroJSON is how Graph clears a property that held v.
func zeroJSON(v any) any {
	switch v.(type) {
	case []any:
		return []any{}
	case bool:
		return false
	case float64:
		return 0
	}
	return nil
}

func isZeroJSON(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case []any:
		return len(v) == 0
	}
	return false
}

// checkTimes reports an event without a start or an end, one that ends
// before it starts, and an all-day event whose times are not midnight.
func (e *Event) checkTimes() error {
	switch {
	case e.Start.IsZero() || e.End.IsZero():
		return fmt.Errorf("calendar: event %q needs both a start and an end", e.Subject)
	case e.End.Before(e.Start):
		return fmt.Errorf("calendar: event %q ends (%s) before it starts (%s)", e.Subject,
			e.End.Format(time.RFC3339), e.Start.Format(time.RFC3339))
	case e.IsAllDay && (!isMidnight(e.Start) || !isMidnight(e.End)):
		return fmt.Errorf("calendar: all-day event %q must start and end at midnight (it runs %s to %s)", e.Subject,
			e.Start.Format(time.RFC3339), e.End.Format(time.RFC3339))
	}
	return nil
}

func isMidnight(t time.Time) bool {
	h, m, s := t.Clock()
	return h == 0 && m == 0 && s == 0 && t.Nanosecond() == 0
}

// Save creates the event, or sends the properties changed since it was
// loaded or saved, and then holds what Graph answered. Creating a meeting
// with attendees sends them invitations.
//
// Before any request, Save checks the event: it needs a start and an end,
// must not end before it starts, an all-day event must start and end at
// midnight, and a recurrence must have every property its pattern and
// range need (see Recurrence.Validate). A zero recurrence start date is
// set to the start's date.
func (e *Event) Save(ctx context.Context) error {
	if e.Con() == nil {
		return errors.New("calendar: event has no connection: start it with Schedule.NewEvent or Calendar.NewEvent")
	}
	if e.saved == nil || e.Start != e.saved.Start || e.End != e.saved.End || !reflect.DeepEqual(e.Recurrence, e.saved.Recurrence) {
		if err := e.checkTimes(); err != nil {
			return err
		}
	}
	if e.Recurrence != nil {
		if e.Recurrence.Range.StartDate.IsZero() {
			e.Recurrence.Range.StartDate = DateOf(e.Start)
		}
		if err := e.Recurrence.Validate(); err != nil {
			return err
		}
	}
	body, err := e.Changes()
	if err != nil {
		return err
	}
	fresh := new(Event)
	switch {
	case e.ID == "":
		err = e.send(ctx, "POST", e.BuildURL(e.createURL), body, fresh)
	case len(body) == 0:
		return nil
	default:
		err = e.send(ctx, "PATCH", e.BuildURL(eventPath(e.ID)), body, fresh)
	}
	if err != nil {
		return err
	}
	fresh.createURL = e.createURL
	*e = *fresh.bind(e.Component, e.loc)
	return nil
}

// send makes a request whose answer holds times, asking Graph for them in
// the event's location.
func (e *Event) send(ctx context.Context, method, url string, body, out any) error {
	return do(ctx, &e.Component, e.loc, method, url, body, out)
}

// Delete deletes the event. Deleting a meeting you organize cancels it
// for its attendees; deleting a series master deletes every occurrence.
func (e *Event) Delete(ctx context.Context) error {
	if e.ID == "" {
		return ErrNotSaved
	}
	return e.Component.Delete(ctx, e.BuildURL(eventPath(e.ID)))
}

// Cancel cancels a meeting you organize, sending comment to its
// attendees, and removes it from your calendar. Only the organizer can
// cancel; attendees Decline.
func (e *Event) Cancel(ctx context.Context, comment string) error {
	return e.action(ctx, "cancel", map[string]any{"comment": comment})
}

// Accept accepts an invitation. With sendResponse the organizer is told
// (and their attendee list updated), with comment; without it, only your
// own calendar changes.
func (e *Event) Accept(ctx context.Context, comment string, sendResponse bool) error {
	return e.respond(ctx, "accept", ResponseAccepted, comment, sendResponse)
}

// TentativelyAccept accepts an invitation tentatively; see Accept.
func (e *Event) TentativelyAccept(ctx context.Context, comment string, sendResponse bool) error {
	return e.respond(ctx, "tentativelyAccept", ResponseTentativelyAccepted, comment, sendResponse)
}

// Decline declines an invitation; see Accept. Graph removes a declined
// meeting from your calendar.
func (e *Event) Decline(ctx context.Context, comment string, sendResponse bool) error {
	return e.respond(ctx, "decline", ResponseDeclined, comment, sendResponse)
}

func (e *Event) respond(ctx context.Context, action string, r ResponseType, comment string, sendResponse bool) error {
	if err := e.action(ctx, action, map[string]any{"comment": comment, "sendResponse": sendResponse}); err != nil {
		return err
	}
	// The answer is recorded in the event as Graph now has it; it is not a
	// change for Save to send.
	e.ResponseStatus = &ResponseStatus{Response: r, Time: time.Now().UTC()}
	if e.saved != nil {
		e.saved.ResponseStatus = clonePtr(e.ResponseStatus)
	}
	return nil
}

// Forward forwards the meeting to recipients (at least one), with
// comment, as the organizer or an attendee. Graph sends them the meeting
// request; forwarded from an attendee's Microsoft 365 mailbox, it also
// tells the organizer and adds the recipients to the organizer's copy.
// Recipients are checked before any request: each needs an address of
// the form name@domain.
func (e *Event) Forward(ctx context.Context, comment string, recipients ...EmailAddress) error {
	if len(recipients) == 0 {
		return errors.New("calendar: Forward: no recipients")
	}
	to := make([]Recipient, len(recipients))
	for i, r := range recipients {
		if err := checkAddress(r.Address); err != nil {
			return fmt.Errorf("calendar: Forward: recipient %d: %w", i+1, err)
		}
		to[i] = Recipient{EmailAddress: r}
	}
	return e.action(ctx, "forward", map[string]any{"comment": comment, "toRecipients": to})
}

// checkAddress reports an address that is not a bare name@domain.
func checkAddress(addr string) error {
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Address != addr || a.Name != "" {
		return fmt.Errorf("%q is not an email address", addr)
	}
	return nil
}

func (e *Event) action(ctx context.Context, name string, body map[string]any) error {
	if e.ID == "" {
		return ErrNotSaved
	}
	return e.PostJSON(ctx, e.BuildURL(eventPath(e.ID)+"/"+name), body, nil)
}

// Instances iterates over the occurrences and exceptions of a series
// between start and end, as Graph expands them. Use Limit, BatchSize and
// Query to shape the list.
func (e *Event) Instances(ctx context.Context, start, end time.Time, opts ...api.ListOption) iter.Seq2[*Event, error] {
	if e.ID == "" {
		return failed[*Event](ErrNotSaved)
	}
	return listEvents(ctx, e.Component, e.loc, eventPath(e.ID)+"/instances", &window{start, end}, opts)
}

// window is the time range of a calendar view.
type window struct{ start, end time.Time }

// checkSpan reports a span (what names it) that lacks a start or an end,
// or ends before it starts.
func checkSpan(what string, start, end time.Time) error {
	switch {
	case start.IsZero() || end.IsZero():
		return fmt.Errorf("calendar: %s needs both a start and an end time", what)
	case end.Before(start):
		return fmt.Errorf("calendar: %s ends (%s) before it starts (%s)", what,
			end.Format(time.RFC3339), start.Format(time.RFC3339))
	}
	return nil
}

// listEvents iterates over the events at path (a calendar view when w is
// not nil), bound to parent and shown in loc.
func listEvents(ctx context.Context, parent api.Component, loc *time.Location, path string, w *window, opts []api.ListOption) iter.Seq2[*Event, error] {
	if w != nil {
		if err := checkSpan("calendar view", w.start, w.end); err != nil {
			return failed[*Event](err)
		}
		opts = append(slices.Clip(opts),
			api.Param("startDateTime", w.start.Format(time.RFC3339Nano)),
			api.Param("endDateTime", w.end.Format(time.RFC3339Nano)))
	}
	if p := preferZone(loc); p != "" {
		opts = append(slices.Clip(opts), api.Header("Prefer", p))
	}
	return func(yield func(*Event, error) bool) {
		for w, err := range api.List[*eventWire](ctx, parent.Con(), parent.BuildURL(path), opts...) {
			var ev *Event
			if err == nil {
				ev, err = w.event()
			}
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(ev.bind(parent, loc), nil) {
				return
			}
		}
	}
}

// failed is an iterator that yields err alone.
func failed[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}
