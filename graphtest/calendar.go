package graphtest

// Outlook calendars: each user's calendars, their events (single events,
// recurring series with their occurrences and exceptions, meetings with
// attendees), event attachments, free/busy (getSchedule) and meeting-time
// suggestions (findMeetingTimes), served at /v1.0/me/… and
// /v1.0/users/{id or userPrincipalName}/….
//
// Rules the emulator follows, as Graph does:
//
//   - Every user has a default calendar named "Calendar"; /calendar,
//     /events and /calendarView are about it, /calendars/{id}/… about any.
//     Calendar names are unique (409 ErrorFolderExists); the default
//     calendar cannot be deleted.
//   - Times: an event keeps the zone it was created in (Windows or IANA
//     name). Answers give start and end in the zone of the request's
//     Prefer: outlook.timezone="…" header (echoed in Preference-Applied),
//     else in UTC. All-day events are dates: they show as midnight to
//     midnight in whatever zone is asked for. An unknown zone is refused
//     with 400 TimeZoneNotSupportedException.
//   - Recurrence: a series master is expanded by calendarView and
//     /events/{id}/instances into occurrences (type occurrence, with
//     seriesMasterId) with the rules of internal/recurrence: daily, weekly,
//     absolute and relative monthly and yearly; endDate, numbered and
//     noEnd ranges; each occurrence at the master's wall-clock time in the
//     master's zone, across daylight-saving changes. An occurrence's id is
//     "{master id}.{yyyymmdd}"; a PATCH of an occurrence makes it an
//     exception, a DELETE removes it from the series. A recurrence missing
//     what its pattern needs is refused with 400
//     ErrorCalendarInvalidRecurrence; an end before the start with 400
//     ErrorCalendarEndDateIsEarlierThanStartDate.
//   - Meetings: an event created with attendees who are users of the
//     emulator is copied into each one's default calendar (isOrganizer
//     false, responseStatus notResponded, shown as tentative). Accept,
//     tentativelyAccept and decline set the attendee's responseStatus and,
//     with sendResponse (the default), the status in the organizer's
//     attendee list; a declined meeting leaves the attendee's calendar.
//     The organizer's changes to subject, body, times, places, recurrence
//     and attendees reach every copy; added attendees are invited, removed
//     ones get the meeting cancelled. Cancel (organizer only) and delete
//     by the organizer cancel the meeting: copies stay, isCancelled, with
//     "Canceled: " before their subject.
//   - Forward (organizer or attendee) delivers the meeting request to the
//     recipients' Inboxes and adds them to the organizer's event as
//     optional attendees, which invites them; an attendee's forward also
//     notifies the organizer (calendar_forward.go).
//   - calendarView/delta pages the view, then reports what changed in it
//     and, under @removed, what left it (calendar_delta.go).
//   - getSchedule reads the default calendars of users of the emulator:
//     every event not shown as free, expanded and clipped to the window,
//     and the availabilityView digits (free 0, tentative 1, busy 2, oof 3,
//     workingElsewhere 4; the busiest wins). Private events show no
//     subject or location to others. Working hours are Monday to Friday
//     08:00–17:00 UTC unless SetWorkingHours says otherwise.
//   - findMeetingTimes tries every half hour of the requested time slots
//     (or the next two days) that lies in the organizer's working hours
//     ("work", the default), between 08:00 and 22:00 every day
//     ("personal"), or anywhere ("unrestricted"). A time is suggested when
//     the organizer is not busy or away (unless optional) and its
//     confidence, the share of attendees available (free or working
//     elsewhere count whole, tentative and unknown half), reaches
//     minimumAttendeePercentage (default 50). Suggestions come by
//     confidence, then the organizer's availability, then time; at most
//     maxCandidates (default 5).
//   - Bodies are checked against the event type: an unknown property or a
//     value of the wrong type is refused with 400 RequestBodyRead;
//     read-only properties are ignored.
//   - Scopes: a delegated caller needs Calendars.Read (Calendars.ReadWrite
//     to write) for their own calendars; another user's need that user to
//     have shared them (Server.ShareCalendar) and Calendars.Read.Shared
//     (Calendars.ReadWrite.Shared to write). getSchedule and
//     findMeetingTimes need any calendar scope. App-only callers reach
//     every user's calendars. Refusals are 403 ErrorAccessDenied.

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // events name zones; the emulator must know them on any machine

	"github.com/go-o365/o365/graphtest/internal/eventinput"
	"github.com/go-o365/o365/internal/tz"
)

// calendarStore holds every user's calendars and events.
type calendarStore struct {
	mu     sync.Mutex
	books  map[string]*calendarBook // by user id
	shares map[[2]string]bool       // {owner id, delegate id}: write allowed
	hours  map[string]WorkingHours  // by user id
	deltas calendarDeltas           // calendar view sync states (calendar_delta.go)
}

func newCalendarStore() *calendarStore {
	return &calendarStore{
		books:  map[string]*calendarBook{},
		shares: map[[2]string]bool{},
		hours:  map[string]WorkingHours{},
	}
}

// calendarBook is one user's calendars and events.
type calendarBook struct {
	owner     person
	calendars []*calendarFolder // [0] is the default calendar
	events    []*calEvent       // in creation order
}

type calendarFolder struct {
	id, name, color, hexColor, changeKey string
}

// person is a user as calendars name them: address is their mail, or
// their user principal name when they have none.
type person struct {
	id, name, address, upn string
}

// has reports whether addr is one of p's addresses.
func (p person) has(addr string) bool {
	return strings.EqualFold(addr, p.address) || strings.EqualFold(addr, p.upn)
}

func (p person) emailAddress() map[string]any {
	return map[string]any{"name": p.name, "address": p.address}
}

// book returns the calendars of p, creating them on first use. st.mu must
// be held.
func (st *calendarStore) book(p person) *calendarBook {
	b := st.books[p.id]
	if b == nil {
		b = &calendarBook{owner: p, calendars: []*calendarFolder{
			{id: newCalendarItemID(), name: "Calendar", color: "auto", changeKey: newChangeKey()},
		}}
		st.books[p.id] = b
	}
	return b
}

func (b *calendarBook) calendar(id string) *calendarFolder {
	for _, c := range b.calendars {
		if c.id == id {
			return c
		}
	}
	return nil
}

func newChangeKey() string { return calendarHex(20) }

// WorkingHours is when a user works, as getSchedule reports it and
// findMeetingTimes honours it.
type WorkingHours struct {
	Days       []time.Weekday
	Start, End time.Duration  // since midnight
	Location   *time.Location // nil means UTC
}

var defaultWorkingHours = WorkingHours{
	Days:  []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
	Start: 8 * time.Hour,
	End:   17 * time.Hour,
}

func (wh WorkingHours) loc() *time.Location {
	if wh.Location == nil {
		return time.UTC
	}
	return wh.Location
}

// SetWorkingHours sets when user (id or user principal name) works; by
// default it is Monday to Friday, 08:00 to 17:00 UTC.
func (s *Server) SetWorkingHours(user string, wh WorkingHours) error {
	if wh.Start < 0 || wh.End > 24*time.Hour || wh.End <= wh.Start {
		return fmt.Errorf("graphtest: SetWorkingHours: %v to %v is not a span within a day", wh.Start, wh.End)
	}
	ids, err := s.userIDs(user)
	if err != nil {
		return err
	}
	wh.Days = slices.Clone(wh.Days)
	s.calendar.mu.Lock()
	defer s.calendar.mu.Unlock()
	s.calendar.hours[ids[0]] = wh
	return nil
}

// ShareCalendar lets delegate read owner's calendars (and write them, when
// write is true), as when owner shares their calendar in Outlook. The
// delegate's token also needs Calendars.Read.Shared (or
// Calendars.ReadWrite.Shared). Users are named by id or user principal
// name.
func (s *Server) ShareCalendar(owner, delegate string, write bool) error {
	ids, err := s.userIDs(owner, delegate)
	if err != nil {
		return err
	}
	s.calendar.mu.Lock()
	defer s.calendar.mu.Unlock()
	s.calendar.shares[[2]string{ids[0], ids[1]}] = write
	return nil
}

// ---- routes ----

func (s *Server) calendarRoutes() []route {
	var rs []route
	// Every route exists for the signed-in user and for a named user.
	add := func(method, path string, h http.HandlerFunc) {
		rs = append(rs,
			route{method + " /v1.0/me" + path, h},
			route{method + " /v1.0/users/{uid}" + path, h})
	}
	add("GET", "/calendars", s.listCalendars)
	add("POST", "/calendars", s.createCalendar)
	add("GET", "/calendar", s.getCalendar)
	add("PATCH", "/calendar", s.updateCalendar)
	add("DELETE", "/calendar", s.deleteCalendar)
	add("GET", "/calendars/{calid}", s.getCalendar)
	add("PATCH", "/calendars/{calid}", s.updateCalendar)
	add("DELETE", "/calendars/{calid}", s.deleteCalendar)
	for _, prefix := range []string{"", "/calendar", "/calendars/{calid}"} {
		add("GET", prefix+"/events", s.listEvents)
		add("POST", prefix+"/events", s.createEvent)
		add("GET", prefix+"/calendarView", s.calendarView)
		add("GET", prefix+"/calendarView/delta", s.calendarViewDelta)
		add("POST", prefix+"/events/{eid}/forward", s.forwardEvent)
		add("GET", prefix+"/events/{eid}", s.getEvent)
		add("PATCH", prefix+"/events/{eid}", s.updateEvent)
		add("DELETE", prefix+"/events/{eid}", s.deleteEvent)
	}
	add("GET", "/events/{eid}/instances", s.listInstances)
	add("POST", "/events/{eid}/accept", s.respondToEvent)
	add("POST", "/events/{eid}/tentativelyAccept", s.respondToEvent)
	add("POST", "/events/{eid}/decline", s.respondToEvent)
	add("POST", "/events/{eid}/cancel", s.cancelEvent)
	add("GET", "/events/{eid}/attachments", s.listEventAttachments)
	add("POST", "/events/{eid}/attachments", s.addEventAttachment)
	add("GET", "/events/{eid}/attachments/{aid}", s.getEventAttachment)
	add("DELETE", "/events/{eid}/attachments/{aid}", s.deleteEventAttachment)
	add("POST", "/calendar/getSchedule", s.getSchedule)
	add("POST", "/findMeetingTimes", s.findMeetingTimes)
	return rs
}

// calendarRequest is a calendar request resolved to its owner.
type calendarRequest struct {
	owner  person
	caller string // the caller's user id; "" for app-only callers
	now    time.Time
	view   viewZone // the zone times are answered in
}

// calendarScopes are the delegated scopes of calendars, one's own and shared.
var calendarScopes = areaScopes{
	read:        []string{"Calendars.Read", "Calendars.ReadWrite"},
	write:       []string{"Calendars.ReadWrite"},
	readShared:  []string{"Calendars.Read.Shared", "Calendars.ReadWrite.Shared"},
	writeShared: []string{"Calendars.ReadWrite.Shared"},
}

// anyCalendarScope is what free/busy requests take.
var anyCalendarScope = []string{"Calendars.ReadBasic", "Calendars.Read", "Calendars.ReadWrite", "Calendars.Read.Shared", "Calendars.ReadWrite.Shared"}

// maxCalendarRequest is the largest JSON body the calendar routes read.
const maxCalendarRequest = 8 << 20

// calendarTarget resolves whose calendars r is about and checks the caller
// may read them (or write them, for write), answering the error itself
// when not.
func (s *Server) calendarTarget(w http.ResponseWriter, r *http.Request, write bool) (calendarRequest, bool) {
	if r.PathValue("gid") != "" {
		return s.groupCalendarTarget(w, r, write)
	}
	t, ok := s.resolveShared(w, r, write, calendarScopes, &s.calendar.mu, s.calendar.shares)
	if !ok {
		return calendarRequest{}, false
	}
	return calendarRequest{owner: t.owner, caller: t.caller.userID, now: t.now, view: preferredZone(w, r)}, true
}

// calendarWrite resolves a request that changes calendars and reads its
// JSON body, answering the error itself when either fails.
func (s *Server) calendarWrite(w http.ResponseWriter, r *http.Request) (calendarRequest, map[string]any, bool) {
	req, ok := s.calendarTarget(w, r, true)
	if !ok {
		return req, nil, false
	}
	body, ok := readJSONObject(w, r, maxCalendarRequest)
	return req, body, ok
}

func personOf(u *User) person {
	addr := u.Mail
	if addr == "" {
		addr = u.UserPrincipalName
	}
	return person{id: u.ID, name: u.DisplayName, address: addr, upn: u.UserPrincipalName}
}

// people resolves email addresses (compared without regard to case) to
// users of the emulator, by mail or user principal name.
func (s *Server) people() map[string]person {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := make(map[string]person, 2*len(s.users))
	for _, u := range s.users {
		p := personOf(u)
		for _, a := range []string{u.Mail, u.UserPrincipalName} {
			if a != "" {
				m[strings.ToLower(a)] = p
			}
		}
	}
	return m
}

// viewZone is the zone of Prefer: outlook.timezone, or UTC.
type viewZone struct {
	name string
	loc  *time.Location
}

var utcView = viewZone{name: "UTC", loc: time.UTC}

// preferredZone reads Prefer: outlook.timezone="…" and, when the zone is
// known, says so in Preference-Applied. An unknown zone is ignored, as
// Graph ignores preferences it cannot apply.
func preferredZone(w http.ResponseWriter, r *http.Request) viewZone {
	for _, h := range r.Header.Values("Prefer") {
		for _, pref := range strings.Split(h, ",") {
			k, v, ok := strings.Cut(strings.TrimSpace(pref), "=")
			if !ok || !strings.EqualFold(strings.TrimSpace(k), "outlook.timezone") {
				continue
			}
			name := strings.Trim(strings.TrimSpace(v), `"`)
			loc, err := tz.Load(name)
			if err != nil {
				return utcView
			}
			w.Header().Add("Preference-Applied", `outlook.timezone="`+name+`"`)
			return viewZone{name: name, loc: loc}
		}
	}
	return utcView
}

// ---- calendars ----

func calendarJSON(b *calendarBook, c *calendarFolder) map[string]any {
	isDefault := c == b.calendars[0]
	return map[string]any{
		"@odata.etag":                   `W/"` + c.changeKey + `"`,
		"id":                            c.id,
		"name":                          c.name,
		"color":                         c.color,
		"hexColor":                      c.hexColor,
		"isDefaultCalendar":             isDefault,
		"changeKey":                     c.changeKey,
		"canShare":                      true,
		"canViewPrivateItems":           true,
		"canEdit":                       true,
		"allowedOnlineMeetingProviders": []any{"teamsForBusiness"},
		"defaultOnlineMeetingProvider":  "teamsForBusiness",
		"isTallyingResponses":           true,
		"isRemovable":                   !isDefault,
		"owner":                         b.owner.emailAddress(),
	}
}

// calendarOf is the calendar r names: /calendars/{calid}, or the default
// calendar. st.mu must be held.
func (b *calendarBook) calendarOf(r *http.Request) *calendarFolder {
	if id := r.PathValue("calid"); id != "" {
		return b.calendar(id)
	}
	return b.calendars[0]
}

func (s *Server) listCalendars(w http.ResponseWriter, r *http.Request) {
	req, ok := s.calendarTarget(w, r, false)
	if !ok {
		return
	}
	st := s.calendar
	st.mu.Lock()
	b := st.book(req.owner)
	items := make([]map[string]any, 0, len(b.calendars))
	for _, c := range b.calendars {
		items = append(items, calendarJSON(b, c))
	}
	st.mu.Unlock()
	s.serveCollection(w, r, items, calendarCollection(userContext(req.owner.id, "/calendars")))
}

func (s *Server) getCalendar(w http.ResponseWriter, r *http.Request) {
	req, ok := s.calendarTarget(w, r, false)
	if !ok {
		return
	}
	st := s.calendar
	st.mu.Lock()
	b := st.book(req.owner)
	var item map[string]any
	if c := b.calendarOf(r); c != nil {
		item = calendarJSON(b, c)
	}
	st.mu.Unlock()
	if item == nil {
		itemNotFound(w)
		return
	}
	s.serveEntity(w, r, item, userContext(req.owner.id, "/calendars"))
}

// calendarFields are the writable properties of a calendar; nil is unset.
type calendarFields struct {
	name, color, hexColor *string
}

// apply sets the fields that are set on c.
func (f calendarFields) apply(c *calendarFolder) {
	if f.name != nil {
		c.name = *f.name
	}
	if f.color != nil {
		c.color = *f.color
	}
	if f.hexColor != nil {
		c.hexColor = *f.hexColor
	}
}

// calendarInput resolves a request that changes calendars and reads the
// calendar in its body, which must have a name when create; it answers
// the error itself when any of that fails.
func (s *Server) calendarInput(w http.ResponseWriter, r *http.Request, create bool) (calendarRequest, calendarFields, bool) {
	req, body, ok := s.calendarWrite(w, r)
	if !ok {
		return req, calendarFields{}, false
	}
	in, err := calendarValues(body)
	if err == nil && (create && in.name == nil || in.name != nil && *in.name == "") {
		err = eventinput.BodyError("The calendar needs a name.")
	}
	if err != nil {
		writeGraphError(w, http.StatusBadRequest, "RequestBodyRead", err.Error())
		return req, in, false
	}
	return req, in, true
}

// calendarValues reads the writable properties of a calendar body.
func calendarValues(body map[string]any) (f calendarFields, err error) {
	for k, v := range body {
		if strings.Contains(k, "@") {
			continue
		}
		var dst **string
		switch k {
		case "name":
			dst = &f.name
		case "color":
			dst = &f.color
		case "hexColor":
			dst = &f.hexColor
		case "id", "changeKey", "isDefaultCalendar", "canShare", "canViewPrivateItems", "canEdit",
			"allowedOnlineMeetingProviders", "defaultOnlineMeetingProvider", "isTallyingResponses",
			"isRemovable", "owner":
			continue
		default:
			return f, eventinput.UnknownProperty(k, "microsoft.graph.calendar")
		}
		s, ok := v.(string)
		if !ok {
			return f, eventinput.WrongType(k, "Edm.String")
		}
		*dst = &s
	}
	if f.color != nil && !slices.Contains(calendarColors, *f.color) {
		return f, eventinput.BodyError("Requested value '" + *f.color + "' was not found.")
	}
	return f, nil
}

var calendarColors = []string{"auto", "lightBlue", "lightGreen", "lightOrange", "lightGray", "lightYellow",
	"lightTeal", "lightPink", "lightBrown", "lightRed", "maxColor"}

func (b *calendarBook) nameTaken(name string, except *calendarFolder) bool {
	return slices.ContainsFunc(b.calendars, func(c *calendarFolder) bool {
		return c != except && strings.EqualFold(c.name, name)
	})
}

func (s *Server) createCalendar(w http.ResponseWriter, r *http.Request) {
	req, in, ok := s.calendarInput(w, r, true)
	if !ok {
		return
	}
	st := s.calendar
	st.mu.Lock()
	b := st.book(req.owner)
	var item map[string]any
	if !b.nameTaken(*in.name, nil) {
		c := &calendarFolder{id: newCalendarItemID(), color: "auto", changeKey: newChangeKey()}
		in.apply(c)
		b.calendars = append(b.calendars, c)
		item = calendarJSON(b, c)
	}
	st.mu.Unlock()
	if item == nil {
		folderExists(w)
		return
	}
	s.writeEntity(w, http.StatusCreated, item, userContext(req.owner.id, "/calendars"))
}

func (s *Server) updateCalendar(w http.ResponseWriter, r *http.Request) {
	req, in, ok := s.calendarInput(w, r, false)
	if !ok {
		return
	}
	st := s.calendar
	st.mu.Lock()
	b := st.book(req.owner)
	c := b.calendarOf(r)
	var item map[string]any
	taken := c != nil && in.name != nil && b.nameTaken(*in.name, c)
	if c != nil && !taken {
		in.apply(c)
		c.changeKey = newChangeKey()
		item = calendarJSON(b, c)
	}
	st.mu.Unlock()
	switch {
	case taken:
		folderExists(w)
	case item == nil:
		itemNotFound(w)
	default:
		s.serveEntity(w, r, item, userContext(req.owner.id, "/calendars"))
	}
}

func (s *Server) deleteCalendar(w http.ResponseWriter, r *http.Request) {
	req, ok := s.calendarTarget(w, r, true)
	if !ok {
		return
	}
	st := s.calendar
	b, people := s.lockBook(req.owner)
	c := b.calendarOf(r)
	isDefault := c != nil && c == b.calendars[0]
	if c != nil && !isDefault {
		for _, ev := range slices.Clone(b.events) {
			if ev.calendarID == c.id {
				st.removeEvent(b, ev, req.now, people)
			}
		}
		b.calendars = slices.DeleteFunc(b.calendars, func(x *calendarFolder) bool { return x == c })
	}
	st.mu.Unlock()
	switch {
	case c == nil:
		itemNotFound(w)
	case isDefault:
		writeGraphError(w, http.StatusBadRequest, "ErrorDeleteDistinguishedFolder", "Distinguished folders cannot be deleted.")
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// ---- seeding ----

// AddEvent creates an event in the default calendar of user (id or user
// principal name), or in the calendar with id calendarID when it is not
// empty, and returns its id. event is shaped like the body of Graph's
// POST /events, e.g. {"subject": "Review", "start": {"dateTime":
// "2025-03-03T10:00:00", "timeZone": "W. Europe Standard Time"}, "end":
// {…}}, and is checked as Graph checks that body. Attendees who are users
// of the emulator are invited, as by a POST.
func (s *Server) AddEvent(user, calendarID string, event map[string]any) (string, error) {
	body, err := viaJSON(event)
	if err != nil {
		return "", fmt.Errorf("graphtest: AddEvent: %w", err)
	}
	ids, err := s.userIDs(user)
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	owner := personOf(s.userLocked(ids[0]))
	now := s.now()
	s.mu.Unlock()
	values, err := eventinput.Values(body)
	if err != nil {
		return "", fmt.Errorf("graphtest: AddEvent: %w", err)
	}
	people := s.people()
	ev, err := s.addEvent(owner, calendarID, values, now, people)
	if err != nil {
		return "", fmt.Errorf("graphtest: AddEvent: %w", err)
	}
	s.publishEvent(ev, "created")
	return ev.id, nil
}

func (s *Server) addEvent(owner person, calendarID string, values map[string]any, now time.Time, people map[string]person) (*calEvent, error) {
	st := s.calendar
	st.mu.Lock()
	defer st.mu.Unlock()
	b := st.book(owner)
	cal := b.calendars[0]
	if calendarID != "" {
		if cal = b.calendar(calendarID); cal == nil {
			return nil, fmt.Errorf("user %q has no calendar %q", owner.upn, calendarID)
		}
	}
	return st.newEvent(b, cal, values, now, people)
}

// lockBook reads the directory (under s.mu) that changes of meetings
// need, then takes the calendar store's lock and returns owner's
// calendars; the caller unlocks s.calendar.mu.
func (s *Server) lockBook(owner person) (*calendarBook, map[string]person) {
	people := s.people()
	s.calendar.mu.Lock()
	return s.calendar.book(owner), people
}

// publishEvent notifies subscriptions of a change of an organizer's (or
// single user's) event. Attendees' copies are not announced. Call it
// without holding the store's lock.
func (s *Server) publishEvent(ev *calEvent, changeType string) {
	s.PublishChange(ev.owner, "calendars/"+ev.calendarID+"/events", changeType, ev.id)
}

// ---- helpers ----

// newCalendarItemID makes an id shaped like Exchange's: URL-safe base64
// with padding, starting "AAMkA". Occurrence ids add ".yyyymmdd", which
// the alphabet never holds.
func newCalendarItemID() string {
	b := make([]byte, 46)
	rand.Read(b)
	copy(b, "\x00\x03\x24\x00")
	return base64.URLEncoding.EncodeToString(b)
}

func calendarHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return strings.ToUpper(hex.EncodeToString(b))
}

// calendarCollection pages as Outlook collections do: 10 items unless
// $top asks for up to 1000.
func calendarCollection(entitySet string) collection {
	return collection{entitySet: entitySet, pageSize: 10, maxTop: 1000, errorCode: "BadRequest"}
}
