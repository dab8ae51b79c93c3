package graphtest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-o365/o365/graphtest/internal/eventinput"
	"github.com/go-o365/o365/internal/recurrence"
)

// calEvent is a single event or a series master in one user's calendar.
type calEvent struct {
	id, calendarID string
	owner          string // user id
	// props are the writable properties as Graph answers them. Values are
	// replaced, never changed in place, so a shallow copy taken under the
	// lock can be encoded after it is released.
	props             map[string]any
	created, modified time.Time
	changeKey         string
	iCalUID           string
	organizer         person
	isOrganizer       bool
	response          string // responseStatus of the calendar's owner
	responded         time.Time
	cancelled         bool
	// link is, for an attendee's copy of a meeting, the id of the
	// organizer's event.
	link        string
	attachments []*eventinput.Attachment
	// Series only: occurrences deleted, and occurrences changed (their
	// changed properties), by date.
	removed    map[recurrence.Date]bool
	exceptions map[recurrence.Date]map[string]any

	// Parsed from props by setProps.
	start, end time.Time // in the event's own zone
	allDay     bool
	series     *recurrence.Series
}

// writeRequestError answers err: an *eventinput.RequestError as it says,
// an eventinput.BodyError as 400 RequestBodyRead.
func writeRequestError(w http.ResponseWriter, err error) {
	if re, ok := err.(*eventinput.RequestError); ok {
		writeGraphError(w, re.Status, re.Code, re.Message)
		return
	}
	writeGraphError(w, http.StatusBadRequest, "RequestBodyRead", err.Error())
}

// setProps checks props as a whole (times present and in order, a valid
// recurrence) and makes them the event's.
func (ev *calEvent) setProps(p map[string]any) error {
	c, err := eventinput.Check(p)
	if err != nil {
		return err
	}
	ev.props, ev.start, ev.end, ev.allDay, ev.series = p, c.Start, c.End, c.AllDay, c.Series
	return nil
}

func (ev *calEvent) touch(now time.Time) {
	ev.modified = now
	ev.changeKey = newChangeKey()
}

// newEvent creates an event in cal from checked values, with b's owner as
// organizer, and invites its attendees. st.mu must be held.
func (st *calendarStore) newEvent(b *calendarBook, cal *calendarFolder, values map[string]any, now time.Time, people map[string]person) (*calEvent, error) {
	ev := &calEvent{
		id: newCalendarItemID(), calendarID: cal.id, owner: b.owner.id, created: now, organizer: b.owner, isOrganizer: true,
		response: "organizer", iCalUID: "040000008200E00074C5B7101A82E008" + calendarHex(40),
	}
	if err := ev.setProps(eventinput.NewProps(values)); err != nil {
		return nil, err
	}
	ev.touch(now)
	b.events = append(b.events, ev)
	st.syncCopies(ev, nil, now, people)
	return ev, nil
}

// ---- instances ----

// instance is an event as calendarView and getSchedule see it: a single
// event, a series master, or one occurrence or exception of a series.
type instance struct {
	ev            *calEvent
	id            string
	kind          string          // singleInstance, seriesMaster, occurrence, exception
	start, end    time.Time       // in the event's zone
	date          recurrence.Date // occurrences: their date in the series
	originalStart time.Time
	over          map[string]any // exceptions: the properties changed
}

// span is when the instance takes place, seen from loc: an all-day
// instance covers its days in loc.
func (in instance) span(loc *time.Location) (time.Time, time.Time) {
	if in.ev.allDay {
		return recurrence.DateOf(in.start).At(time.Time{}, loc), recurrence.DateOf(in.end).At(time.Time{}, loc)
	}
	return in.start, in.end
}

func (in instance) overlaps(from, to time.Time, loc *time.Location) bool {
	s, e := in.span(loc)
	if s.Equal(e) {
		return !s.Before(from) && s.Before(to)
	}
	return s.Before(to) && e.After(from)
}

func (ev *calEvent) master() instance {
	kind := "singleInstance"
	if ev.series != nil {
		kind = "seriesMaster"
	}
	return instance{ev: ev, id: ev.id, kind: kind, start: ev.start, end: ev.end}
}

const occurrenceSep = "."

// occurrences yields the occurrences and exceptions of a series that
// overlap [from, to) seen from loc, or the event itself when it is single
// and overlaps.
func (ev *calEvent) occurrences(from, to time.Time, loc *time.Location, yield func(instance) bool) {
	if ev.series == nil {
		if in := ev.master(); in.overlaps(from, to, loc) {
			yield(in)
		}
		return
	}
	for os, oe := range ev.series.Occurrences(ev.start, ev.end) {
		in := ev.occurrence(os, oe)
		if s, _ := in.span(loc); !s.Before(to) {
			return
		}
		if ev.removed[in.date] {
			continue
		}
		if over := ev.exceptions[in.date]; over != nil {
			in = ev.exception(in, over)
		}
		if in.overlaps(from, to, loc) && !yield(in) {
			return
		}
	}
}

func (ev *calEvent) occurrence(os, oe time.Time) instance {
	d := recurrence.DateOf(os)
	return instance{ev: ev, id: ev.id + occurrenceSep + fmt.Sprintf("%04d%02d%02d", d.Year, d.Month, d.Day),
		kind: "occurrence", start: os, end: oe, date: d, originalStart: os}
}

// exception applies the changed properties of an occurrence.
func (ev *calEvent) exception(in instance, over map[string]any) instance {
	in.kind, in.over = "exception", over
	if v, ok := over["start"]; ok {
		in.start, _, _ = eventinput.ParseDateTime(v)
	}
	if v, ok := over["end"]; ok {
		in.end, _, _ = eventinput.ParseDateTime(v)
	}
	return in
}

// findInstance looks up an event id, or an occurrence id
// "{series id}.{yyyymmdd}" of a date the series has. st.mu must be held.
func (b *calendarBook) findInstance(id string) (instance, bool) {
	master, date, isOcc := strings.Cut(id, occurrenceSep)
	i := slices.IndexFunc(b.events, func(e *calEvent) bool { return e.id == master })
	if i < 0 {
		return instance{}, false
	}
	ev := b.events[i]
	if !isOcc {
		return ev.master(), true
	}
	day, err := time.Parse("20060102", date)
	if err != nil || ev.series == nil {
		return instance{}, false
	}
	want := recurrence.DateOf(day)
	for os, oe := range ev.series.Occurrences(ev.start, ev.end) {
		in := ev.occurrence(os, oe)
		switch c := in.date.Compare(want); {
		case c < 0:
			continue
		case c > 0 || ev.removed[want]:
			return instance{}, false
		}
		if over := ev.exceptions[want]; over != nil {
			in = ev.exception(in, over)
		}
		return in, true
	}
	return instance{}, false
}

// ---- rendering ----

// json is the instance as Graph answers it, its times in view.
func (in instance) json(view viewZone) map[string]any {
	ev := in.ev
	m := maps.Clone(ev.props)
	maps.Copy(m, in.over)
	startZone, _ := mapOf(ev.props["start"])["timeZone"].(string)
	endZone, _ := mapOf(ev.props["end"])["timeZone"].(string)
	var join any
	if ev.props["isOnlineMeeting"] == true {
		code, _ := strconv.ParseUint(ev.iCalUID[len(ev.iCalUID)-7:], 16, 64)
		join = map[string]any{
			"joinUrl":      "https://teams.microsoft.com/l/meetup-join/19%3ameeting_" + ev.iCalUID[len(ev.iCalUID)-16:] + "%40thread.v2/0",
			"conferenceId": strconv.FormatUint(code, 10),
			"tollNumber":   "+1 425 555 0123",
		}
	}
	var master any
	if in.kind == "occurrence" || in.kind == "exception" {
		master = ev.id
		m["recurrence"] = nil
		m["originalStart"] = in.originalStart.UTC().Format(time.RFC3339)
	}
	start, end := in.span(view.loc)
	maps.Copy(m, map[string]any{
		"@odata.etag":           `W/"` + ev.changeKey + `"`,
		"id":                    in.id,
		"createdDateTime":       ev.created.UTC().Format(eventinput.DateTimeLayout + "Z"),
		"lastModifiedDateTime":  ev.modified.UTC().Format(eventinput.DateTimeLayout + "Z"),
		"changeKey":             ev.changeKey,
		"iCalUId":               ev.iCalUID,
		"originalStartTimeZone": startZone,
		"originalEndTimeZone":   endZone,
		"hasAttachments":        len(ev.attachments) > 0,
		"bodyPreview":           preview(mapOf(m["body"])),
		"isCancelled":           ev.cancelled,
		"isDraft":               false,
		"isOrganizer":           ev.isOrganizer,
		"seriesMasterId":        master,
		"type":                  in.kind,
		"webLink":               "https://outlook.office365.com/owa/?itemid=" + url.QueryEscape(in.id) + "&exvsurl=1&path=/calendar/item",
		"onlineMeetingUrl":      nil,
		"onlineMeeting":         join,
		"responseStatus":        map[string]any{"response": ev.response, "time": responseTime(ev.responded)},
		"organizer":             map[string]any{"emailAddress": ev.organizer.emailAddress()},
		"start":                 map[string]any{"dateTime": start.In(view.loc).Format(eventinput.DateTimeLayout), "timeZone": view.name},
		"end":                   map[string]any{"dateTime": end.In(view.loc).Format(eventinput.DateTimeLayout), "timeZone": view.name},
	})
	return m
}

func responseTime(t time.Time) string {
	if t.IsZero() {
		return "0001-01-01T00:00:00Z"
	}
	return t.UTC().Format(time.RFC3339Nano)
}

var tags = regexp.MustCompile(`(?s)<head.*?</head>|<[^>]*>`)

// preview is Graph's bodyPreview: the body's text, tags removed, spaces
// collapsed, cut at 255 characters.
func preview(body map[string]any) string {
	s, _ := body["content"].(string)
	if body["contentType"] == "html" {
		s = tags.ReplaceAllString(s, " ")
	}
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > 255 {
		s = string([]rune(s)[:255])
	}
	return s
}

// ---- handlers ----

// selectLocations makes $select=location select locations too: Outlook
// answers both (see Microsoft's example of listing events with $select).
func selectLocations(r *http.Request) *http.Request {
	q := r.URL.Query()
	fields := strings.Split(q.Get("$select"), ",")
	if !slices.Contains(fields, "location") || slices.Contains(fields, "locations") {
		return r
	}
	q.Set("$select", strings.Join(append(fields, "locations"), ","))
	r2 := r.Clone(r.Context())
	r2.URL.RawQuery = q.Encode()
	return r2
}

func (s *Server) listEvents(w http.ResponseWriter, r *http.Request) {
	req, ok := s.calendarTarget(w, r, false)
	if !ok {
		return
	}
	st := s.calendar
	st.mu.Lock()
	b := st.book(req.owner)
	cal := b.calendarOf(r)
	var items []map[string]any
	if cal != nil {
		for _, ev := range b.events {
			if ev.calendarID == cal.id {
				items = append(items, ev.master().json(req.view))
			}
		}
	}
	st.mu.Unlock()
	if cal == nil {
		itemNotFound(w)
		return
	}
	s.serveCollection(w, selectLocations(r), items, calendarCollection(userContext(req.owner.id, "/events")))
}

// windowParam reads one bound of a calendar view: an ISO 8601 date-time,
// in UTC when it has no offset.
func windowParam(q url.Values, name string) (time.Time, bool, error) {
	var v string
	found := false
	for k, vs := range q {
		if strings.EqualFold(k, name) && len(vs) > 0 {
			v, found = vs[0], true
		}
	}
	if !found {
		return time.Time{}, false, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, true, nil
	}
	t, err := time.Parse("2006-01-02T15:04:05.999999999", v)
	if err != nil {
		return time.Time{}, true, eventinput.Bad("ErrorInvalidParameter", "The value '"+v+"' of parameter '"+name+"' is invalid.")
	}
	return t, true, nil
}

// window reads the startDateTime and endDateTime a view needs.
func window(r *http.Request) (time.Time, time.Time, error) {
	q := r.URL.Query()
	from, ok1, err := windowParam(q, "startDateTime")
	if err != nil {
		return from, from, err
	}
	to, ok2, err := windowParam(q, "endDateTime")
	if err != nil {
		return from, to, err
	}
	if !ok1 || !ok2 {
		return from, to, eventinput.Bad("ErrorInvalidParameter",
			"This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.")
	}
	return from, to, nil
}

// instancesJSON sorts list by start, as Outlook answers, and renders it
// in view. st.mu must be held.
func instancesJSON(list []instance, view viewZone) []map[string]any {
	slices.SortStableFunc(list, func(a, b instance) int {
		as, _ := a.span(view.loc)
		bs, _ := b.span(view.loc)
		return cmp.Or(as.Compare(bs), strings.Compare(a.id, b.id))
	})
	items := make([]map[string]any, len(list))
	for i, in := range list {
		items[i] = in.json(view)
	}
	return items
}

// calendarWindow resolves a read of calendars over the window r names,
// answering the error itself when either fails.
func (s *Server) calendarWindow(w http.ResponseWriter, r *http.Request) (req calendarRequest, from, to time.Time, ok bool) {
	if req, ok = s.calendarTarget(w, r, false); !ok {
		return req, from, to, false
	}
	from, to, err := window(r)
	if err != nil {
		writeRequestError(w, err)
		return req, from, to, false
	}
	return req, from, to, true
}

func (s *Server) calendarView(w http.ResponseWriter, r *http.Request) {
	req, from, to, ok := s.calendarWindow(w, r)
	if !ok {
		return
	}
	st := s.calendar
	st.mu.Lock()
	b := st.book(req.owner)
	cal := b.calendarOf(r)
	var list []instance
	if cal != nil {
		for _, ev := range b.events {
			if ev.calendarID == cal.id {
				ev.occurrences(from, to, req.view.loc, func(in instance) bool {
					list = append(list, in)
					return true
				})
			}
		}
	}
	items := instancesJSON(list, req.view)
	st.mu.Unlock()
	if cal == nil {
		itemNotFound(w)
		return
	}
	s.serveCollection(w, selectLocations(r), items, calendarCollection(userContext(req.owner.id, "/calendarView")))
}

func (s *Server) listInstances(w http.ResponseWriter, r *http.Request) {
	req, from, to, ok := s.calendarWindow(w, r)
	if !ok {
		return
	}
	st := s.calendar
	st.mu.Lock()
	in, found := st.book(req.owner).findInstance(r.PathValue("eid"))
	var items []map[string]any
	if found && in.kind == "seriesMaster" {
		var list []instance
		in.ev.occurrences(from, to, req.view.loc, func(o instance) bool {
			list = append(list, o)
			return true
		})
		items = instancesJSON(list, req.view)
	}
	st.mu.Unlock()
	if !found {
		itemNotFound(w)
		return
	}
	if items == nil {
		items = []map[string]any{}
	}
	s.serveCollection(w, selectLocations(r), items, calendarCollection(userContext(req.owner.id, "/events('"+in.ev.id+"')/instances")))
}

// instanceOf finds the event or occurrence r names by {eid}, which must
// be in the calendar r names, when it names one. st.mu must be held.
func (b *calendarBook) instanceOf(r *http.Request) (instance, bool) {
	in, found := b.findInstance(r.PathValue("eid"))
	if !found || r.PathValue("calid") == "" && !strings.Contains(r.URL.Path, "/calendar/") {
		return in, found
	}
	cal := b.calendarOf(r)
	return in, cal != nil && in.ev.calendarID == cal.id
}

func (s *Server) getEvent(w http.ResponseWriter, r *http.Request) {
	req, ok := s.calendarTarget(w, r, false)
	if !ok {
		return
	}
	st := s.calendar
	st.mu.Lock()
	b := st.book(req.owner)
	in, found := b.instanceOf(r)
	var item map[string]any
	if found {
		item = in.json(req.view)
	}
	st.mu.Unlock()
	if !found {
		itemNotFound(w)
		return
	}
	s.serveEntity(w, selectLocations(r), item, userContext(req.owner.id, "/events"))
}

// eventInput resolves a request that changes events and reads the event
// in its body, answering the error itself when either fails.
func (s *Server) eventInput(w http.ResponseWriter, r *http.Request) (calendarRequest, map[string]any, bool) {
	req, body, ok := s.calendarWrite(w, r)
	if !ok {
		return req, nil, false
	}
	values, err := eventinput.Values(body)
	if err != nil {
		writeRequestError(w, err)
		return req, nil, false
	}
	return req, values, true
}

func (s *Server) createEvent(w http.ResponseWriter, r *http.Request) {
	req, values, ok := s.eventInput(w, r)
	if !ok {
		return
	}
	var err error
	st := s.calendar
	b, people := s.lockBook(req.owner)
	cal := b.calendarOf(r)
	var item map[string]any
	var ev *calEvent
	if cal != nil {
		if ev, err = st.newEvent(b, cal, values, req.now, people); err == nil {
			item = ev.master().json(req.view)
		}
	}
	st.mu.Unlock()
	switch {
	case cal == nil:
		itemNotFound(w)
	case err != nil:
		writeRequestError(w, err)
	default:
		s.publishEvent(ev, "created")
		s.writeEntity(w, http.StatusCreated, item, userContext(req.owner.id, "/events"))
	}
}

func (s *Server) updateEvent(w http.ResponseWriter, r *http.Request) {
	req, values, ok := s.eventInput(w, r)
	if !ok {
		return
	}
	var err error
	st := s.calendar
	b, people := s.lockBook(req.owner)
	in, found := b.instanceOf(r)
	var item map[string]any
	if found {
		if in, err = st.updateInstance(in, values, req.now, people); err == nil {
			item = in.json(req.view)
		}
	}
	st.mu.Unlock()
	switch {
	case !found:
		itemNotFound(w)
	case err != nil:
		writeRequestError(w, err)
	default:
		s.publishEvent(in.ev, "updated")
		s.serveEntity(w, selectLocations(r), item, userContext(req.owner.id, "/events"))
	}
}

// updateInstance applies values to an event, or makes an occurrence an
// exception with them. st.mu must be held.
func (st *calendarStore) updateInstance(in instance, values map[string]any, now time.Time, people map[string]person) (instance, error) {
	ev := in.ev
	if in.kind == "occurrence" || in.kind == "exception" {
		if _, ok := values["recurrence"]; ok {
			return in, eventinput.Bad("ErrorInvalidRequest", "Your request can't be completed. An occurrence of a series cannot have a recurrence.")
		}
		over := maps.Clone(in.over)
		if over == nil {
			over = map[string]any{}
		}
		maps.Copy(over, values)
		probe := &calEvent{}
		p := maps.Clone(ev.props)
		p["recurrence"] = nil
		p["start"] = map[string]any{"dateTime": in.start.Format(eventinput.DateTimeLayout), "timeZone": mapOf(ev.props["start"])["timeZone"]}
		p["end"] = map[string]any{"dateTime": in.end.Format(eventinput.DateTimeLayout), "timeZone": mapOf(ev.props["end"])["timeZone"]}
		maps.Copy(p, over)
		if err := probe.setProps(p); err != nil {
			return in, err
		}
		if ev.exceptions == nil {
			ev.exceptions = map[recurrence.Date]map[string]any{}
		}
		ev.exceptions[in.date] = over
		ev.touch(now)
		st.syncCopies(ev, nil, now, people)
		return ev.exception(in, over), nil
	}
	p := maps.Clone(ev.props)
	maps.Copy(p, values)
	if a, ok := values["attendees"]; ok {
		p["attendees"] = keepResponses(a.([]any), ev.props["attendees"].([]any))
	}
	before := ev.props
	if err := ev.setProps(p); err != nil {
		return in, err
	}
	if ev.series == nil {
		ev.removed, ev.exceptions = nil, nil
	}
	ev.touch(now)
	st.syncCopies(ev, before, now, people)
	return ev.master(), nil
}

// keepResponses carries the answers of attendees still invited over to a
// new attendee list.
func keepResponses(now, before []any) []any {
	out := make([]any, len(now))
	for i, a := range now {
		m := maps.Clone(mapOf(a))
		for _, b := range before {
			if sameAddress(mapOf(b), m) {
				m["status"] = mapOf(b)["status"]
			}
		}
		out[i] = m
	}
	return out
}

func addressOf(attendee map[string]any) string {
	s, _ := mapOf(attendee["emailAddress"])["address"].(string)
	return s
}

func sameAddress(a, b map[string]any) bool { return strings.EqualFold(addressOf(a), addressOf(b)) }

func (s *Server) deleteEvent(w http.ResponseWriter, r *http.Request) {
	req, ok := s.calendarTarget(w, r, true)
	if !ok {
		return
	}
	st := s.calendar
	b, people := s.lockBook(req.owner)
	in, found := b.instanceOf(r)
	if found {
		st.deleteInstance(b, in, req.now, people)
	}
	st.mu.Unlock()
	if !found {
		itemNotFound(w)
		return
	}
	change := "deleted"
	if in.kind == "occurrence" || in.kind == "exception" {
		change = "updated" // the series lost an occurrence
	}
	s.publishEvent(in.ev, change)
	w.WriteHeader(http.StatusNoContent)
}

// deleteInstance deletes an event, or one occurrence of a series. st.mu
// must be held.
func (st *calendarStore) deleteInstance(b *calendarBook, in instance, now time.Time, people map[string]person) {
	ev := in.ev
	if in.kind == "occurrence" || in.kind == "exception" {
		if ev.removed == nil {
			ev.removed = map[recurrence.Date]bool{}
		}
		ev.removed[in.date] = true
		delete(ev.exceptions, in.date)
		ev.touch(now)
		st.syncCopies(ev, nil, now, people)
		return
	}
	st.removeEvent(b, ev, now, people)
}

// removeEvent takes an event out of b; a meeting its organizer removes is
// cancelled for the attendees. st.mu must be held.
func (st *calendarStore) removeEvent(b *calendarBook, ev *calEvent, now time.Time, people map[string]person) {
	b.events = slices.DeleteFunc(b.events, func(x *calEvent) bool { return x == ev })
	if ev.isOrganizer {
		for _, c := range st.copiesOf(ev.id) {
			c.cancel(now)
		}
	}
}

// ---- attachments ----

// lockEvent takes the store's lock and finds the event r names (an
// occurrence's attachments are its series'); on success the lock is held.
func (s *Server) lockEvent(w http.ResponseWriter, r *http.Request, req calendarRequest) (*calEvent, bool) {
	s.calendar.mu.Lock()
	in, found := s.calendar.book(req.owner).findInstance(r.PathValue("eid"))
	if !found {
		s.calendar.mu.Unlock()
		itemNotFound(w)
		return nil, false
	}
	return in.ev, true
}

func (s *Server) attachmentsContext(owner, eventID string) string {
	return userContext(owner, "/events('"+eventID+"')/attachments")
}

func (s *Server) listEventAttachments(w http.ResponseWriter, r *http.Request) {
	req, ok := s.calendarTarget(w, r, false)
	if !ok {
		return
	}
	ev, ok := s.lockEvent(w, r, req)
	if !ok {
		return
	}
	items := make([]map[string]any, 0, len(ev.attachments))
	for _, a := range ev.attachments {
		items = append(items, a.JSON())
	}
	s.calendar.mu.Unlock()
	s.serveCollection(w, r, items, calendarCollection(s.attachmentsContext(req.owner.id, ev.id)))
}

func (s *Server) getEventAttachment(w http.ResponseWriter, r *http.Request) {
	req, ok := s.calendarTarget(w, r, false)
	if !ok {
		return
	}
	ev, ok := s.lockEvent(w, r, req)
	if !ok {
		return
	}
	var item map[string]any
	for _, a := range ev.attachments {
		if a.ID == r.PathValue("aid") {
			item = a.JSON()
		}
	}
	s.calendar.mu.Unlock()
	if item == nil {
		itemNotFound(w)
		return
	}
	s.serveEntity(w, r, item, s.attachmentsContext(req.owner.id, ev.id))
}

func (s *Server) deleteEventAttachment(w http.ResponseWriter, r *http.Request) {
	req, ok := s.calendarTarget(w, r, true)
	if !ok {
		return
	}
	ev, ok := s.lockEvent(w, r, req)
	if !ok {
		return
	}
	n := len(ev.attachments)
	ev.attachments = slices.DeleteFunc(slices.Clone(ev.attachments), func(a *eventinput.Attachment) bool { return a.ID == r.PathValue("aid") })
	found := len(ev.attachments) < n
	if found {
		ev.touch(req.now)
	}
	s.calendar.mu.Unlock()
	if !found {
		itemNotFound(w)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) addEventAttachment(w http.ResponseWriter, r *http.Request) {
	req, body, ok := s.calendarWrite(w, r)
	if !ok {
		return
	}
	a, err := eventinput.ReadAttachment(body)
	if err != nil {
		writeRequestError(w, err)
		return
	}
	ev, ok := s.lockEvent(w, r, req)
	if !ok {
		return
	}
	a.ID, a.Modified = newCalendarItemID(), req.now
	ev.attachments = append(slices.Clone(ev.attachments), a)
	ev.touch(req.now)
	item := a.JSON()
	s.calendar.mu.Unlock()
	s.writeEntity(w, http.StatusCreated, item, s.attachmentsContext(req.owner.id, ev.id))
}

// viaJSON round-trips v through JSON, so a map built in Go has the types
// a request body decodes to ([]any, float64).
func viaJSON(v map[string]any) (map[string]any, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	err = json.Unmarshal(raw, &out)
	return out, err
}

func mapOf(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}
