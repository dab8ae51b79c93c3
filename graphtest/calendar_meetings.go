package graphtest

import (
	"cmp"
	"maps"
	"math"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-o365/o365/graphtest/internal/eventinput"
	"github.com/go-o365/o365/internal/recurrence"
	"github.com/go-o365/o365/internal/tz"
)

// ---- invitations ----

// sharedProps are what the organizer's changes carry to attendees' copies.
var sharedProps = []string{"subject", "body", "start", "end", "isAllDay", "location", "locations",
	"recurrence", "attendees", "importance", "sensitivity", "isOnlineMeeting", "onlineMeetingProvider",
	"allowNewTimeProposals", "hideAttendees", "responseRequested"}

// copiesOf returns every attendee's copy of the organizer's event id.
// st.mu must be held.
func (st *calendarStore) copiesOf(id string) []*calEvent {
	var out []*calEvent
	for _, b := range st.books {
		for _, ev := range b.events {
			if ev.link == id {
				out = append(out, ev)
			}
		}
	}
	return out
}

// eventByID finds an event in any calendar. st.mu must be held.
func (st *calendarStore) eventByID(id string) *calEvent {
	for _, b := range st.books {
		for _, ev := range b.events {
			if ev.id == id {
				return ev
			}
		}
	}
	return nil
}

// invitees are the users of the emulator an event's attendee list names,
// by user id, leaving out the organizer.
func invitees(ev *calEvent, attendees any, people map[string]person) map[string]person {
	out := map[string]person{}
	list, _ := attendees.([]any)
	for _, a := range list {
		if p, ok := people[strings.ToLower(addressOf(mapOf(a)))]; ok && p.id != ev.organizer.id {
			out[p.id] = p
		}
	}
	return out
}

// syncCopies brings attendees' copies of a meeting in line with the
// organizer's event: attendees added since before (every attendee, when
// before is nil) are invited, removed ones get the meeting cancelled, and
// the rest see the organizer's changes. st.mu must be held.
func (st *calendarStore) syncCopies(ev *calEvent, before map[string]any, now time.Time, people map[string]person) {
	if !ev.isOrganizer || ev.cancelled {
		return
	}
	want := invitees(ev, ev.props["attendees"], people)
	var had map[string]person
	if before != nil {
		had = invitees(ev, before["attendees"], people)
	}
	for _, c := range st.copiesOf(ev.id) {
		if c.cancelled {
			continue
		}
		if _, ok := want[c.owner]; !ok {
			c.cancel(now)
			continue
		}
		delete(want, c.owner)
		c.adopt(ev)
		c.touch(now)
	}
	for id, p := range want {
		if _, invited := had[id]; invited {
			continue // invited before and declined since: no new invitation
		}
		b := st.book(p)
		c := &calEvent{
			id: newCalendarItemID(), calendarID: b.calendars[0].id, owner: p.id, created: now,
			organizer: ev.organizer, response: "notResponded", iCalUID: ev.iCalUID, link: ev.id,
		}
		c.adopt(ev)
		c.touch(now)
		b.events = append(b.events, c)
	}
}

// adopt takes the organizer's version of what a meeting's copy shares.
func (c *calEvent) adopt(org *calEvent) {
	p := maps.Clone(c.props)
	if p == nil {
		p = maps.Clone(org.props)
		p["categories"], p["transactionId"] = []any{}, nil
	}
	for _, k := range sharedProps {
		p[k] = org.props[k]
	}
	p["showAs"] = c.showAs(org)
	if err := c.setProps(p); err != nil {
		panic("graphtest: a meeting copy refused the organizer's valid properties: " + err.Error())
	}
	c.removed = maps.Clone(org.removed)
	c.exceptions = maps.Clone(org.exceptions)
}

// showAs is how an attendee's copy shows: tentative until accepted, then
// as the organizer shows it.
func (c *calEvent) showAs(org *calEvent) any {
	if c.response == "accepted" && org != nil {
		return org.props["showAs"]
	}
	return "tentative"
}

// cancel marks an attendee's copy of a meeting cancelled.
func (c *calEvent) cancel(now time.Time) {
	if c.cancelled {
		return
	}
	c.cancelled = true
	p := maps.Clone(c.props)
	subject, _ := p["subject"].(string)
	p["subject"] = "Canceled: " + subject
	p["showAs"] = "free"
	c.props = p
	c.touch(now)
}

// actionBody reads the body of an event action, whose parameter names
// Graph reads without regard to case; an empty body is no parameters.
func actionBody(w http.ResponseWriter, r *http.Request) (map[string]any, bool) {
	if r.ContentLength == 0 {
		return map[string]any{}, true
	}
	body, ok := readJSONObject(w, r, maxCalendarRequest)
	if !ok {
		return nil, false
	}
	out := make(map[string]any, len(body))
	for k, v := range body {
		out[strings.ToLower(k)] = v
	}
	return out, true
}

// calendarAction resolves the request of an action (accept, cancel,
// getSchedule…) with target and reads its parameters, answering the error
// itself when either fails.
func (s *Server) calendarAction(w http.ResponseWriter, r *http.Request,
	target func(http.ResponseWriter, *http.Request) (calendarRequest, bool)) (calendarRequest, map[string]any, bool) {
	req, ok := target(w, r)
	if !ok {
		return req, nil, false
	}
	body, ok := actionBody(w, r)
	return req, body, ok
}

// calendarWriteTarget resolves a request that changes a calendar.
func (s *Server) calendarWriteTarget(w http.ResponseWriter, r *http.Request) (calendarRequest, bool) {
	return s.calendarTarget(w, r, true)
}

// respondToEvent serves accept, tentativelyAccept and decline.
func (s *Server) respondToEvent(w http.ResponseWriter, r *http.Request) {
	req, body, ok := s.calendarAction(w, r, s.calendarWriteTarget)
	if !ok {
		return
	}
	send := true
	if v, ok := body["sendresponse"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			writeGraphError(w, http.StatusBadRequest, "RequestBodyRead", eventinput.WrongType("SendResponse", "Edm.Boolean").Error())
			return
		}
		send = b
	}
	response := map[string]string{"accept": "accepted", "tentativelyAccept": "tentativelyAccepted", "decline": "declined"}[path.Base(r.URL.Path)]
	st := s.calendar
	b, people := s.lockBook(req.owner)
	in, found := b.findInstance(r.PathValue("eid"))
	organized := found && in.ev.isOrganizer
	if found && !organized {
		st.respond(b, in.ev, response, send, req.now, people)
	}
	st.mu.Unlock()
	switch {
	case !found:
		itemNotFound(w)
	case organized:
		writeGraphError(w, http.StatusBadRequest, "ErrorInvalidRequest", "Your request can't be completed. You can't respond to a meeting you organized.")
	default:
		w.WriteHeader(http.StatusAccepted)
	}
}

// respond records the owner of b's answer to a meeting: on their copy
// (which leaves their calendar when declined) and, when send, in the
// organizer's attendee list. An answer to an occurrence answers the
// series. st.mu must be held.
func (st *calendarStore) respond(b *calendarBook, c *calEvent, response string, send bool, now time.Time, people map[string]person) {
	org := st.eventByID(c.link)
	c.response, c.responded = response, now
	p := maps.Clone(c.props)
	p["showAs"] = c.showAs(org)
	c.props = p
	c.touch(now)
	if response == "declined" {
		b.events = slices.DeleteFunc(b.events, func(x *calEvent) bool { return x == c })
	}
	if !send || org == nil {
		return
	}
	status := map[string]any{"response": response, "time": responseTime(now)}
	list := slices.Clone(org.props["attendees"].([]any))
	for i, a := range list {
		if b.owner.has(addressOf(mapOf(a))) {
			m := maps.Clone(mapOf(a))
			m["status"] = status
			list[i] = m
		}
	}
	op := maps.Clone(org.props)
	op["attendees"] = list
	org.props = op
	org.touch(now)
	st.syncCopies(org, org.props, now, people)
}

func (s *Server) cancelEvent(w http.ResponseWriter, r *http.Request) {
	req, _, ok := s.calendarAction(w, r, s.calendarWriteTarget)
	if !ok {
		return
	}
	st := s.calendar
	b, people := s.lockBook(req.owner)
	in, found := b.findInstance(r.PathValue("eid"))
	organizer := found && in.ev.isOrganizer
	if organizer {
		st.deleteInstance(b, in, req.now, people)
	}
	st.mu.Unlock()
	switch {
	case !found:
		itemNotFound(w)
	case !organizer:
		writeGraphError(w, http.StatusBadRequest, "ErrorInvalidRequest", "Your request can't be completed. You need to be an organizer to cancel a meeting.")
	default:
		w.WriteHeader(http.StatusAccepted)
	}
}

// ---- availability ----

// statusRank orders free/busy statuses from free to busiest; the
// availabilityView digit of each is its Graph code.
var statusRank = map[string]int{"free": 0, "tentative": 1, "workingElsewhere": 2, "busy": 3, "oof": 4}
var statusDigit = map[string]byte{"free": '0', "tentative": '1', "busy": '2', "oof": '3', "workingElsewhere": '4'}

func busier(a, b string) string {
	if statusRank[b] > statusRank[a] {
		return b
	}
	return a
}

// busySpan is one instance that makes its owner other than free.
type busySpan struct {
	in         instance
	start, end time.Time
	status     string
}

// busyTimes lists what makes p other than free in [from, to), seen from
// loc: the instances of their default calendar, not cancelled, not shown
// as free. st.mu must be held.
func (st *calendarStore) busyTimes(p person, from, to time.Time, loc *time.Location) []busySpan {
	b := st.book(p)
	var out []busySpan
	for _, ev := range b.events {
		if ev.calendarID != b.calendars[0].id || ev.cancelled {
			continue
		}
		ev.occurrences(from, to, loc, func(in instance) bool {
			status, _ := ev.props["showAs"].(string)
			if v, ok := in.over["showAs"].(string); ok {
				status = v
			}
			if status != "free" && status != "unknown" {
				s, e := in.span(loc)
				out = append(out, busySpan{in: in, start: s, end: e, status: status})
			}
			return true
		})
	}
	slices.SortStableFunc(out, func(a, b busySpan) int { return a.start.Compare(b.start) })
	return out
}

// statusDuring is the busiest status of spans overlapping [from, to).
func statusDuring(spans []busySpan, from, to time.Time) string {
	status := "free"
	for _, sp := range spans {
		if sp.start.Before(to) && sp.end.After(from) {
			status = busier(status, sp.status)
		}
	}
	return status
}

func (st *calendarStore) workingHours(id string) WorkingHours {
	if wh, ok := st.hours[id]; ok {
		return wh
	}
	return defaultWorkingHours
}

func workingHoursJSON(wh WorkingHours) map[string]any {
	days := make([]any, len(wh.Days))
	for i, d := range wh.Days {
		days[i] = strings.ToLower(d.String())
	}
	name := "UTC"
	if n, ok := tz.GraphName(wh.loc()); ok {
		name = n
	}
	clock := func(d time.Duration) string {
		return time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).Add(d).Format("15:04:05.0000000")
	}
	return map[string]any{"daysOfWeek": days, "startTime": clock(wh.Start), "endTime": clock(wh.End),
		"timeZone": map[string]any{"name": name}}
}

func (s *Server) getSchedule(w http.ResponseWriter, r *http.Request) {
	req, body, ok := s.calendarAction(w, r, s.scheduleTarget)
	if !ok {
		return
	}
	var schedules []string
	list, _ := body["schedules"].([]any)
	for _, v := range list {
		if a, ok := v.(string); ok && a != "" {
			schedules = append(schedules, a)
		}
	}
	from, _, err1 := eventinput.ParseDateTime(body["starttime"])
	to, _, err2 := eventinput.ParseDateTime(body["endtime"])
	interval := 30
	if v, ok := body["availabilityviewinterval"]; ok {
		n, isNum := v.(float64)
		interval = int(n)
		if !isNum || n != float64(interval) || interval < 5 || interval > 1440 {
			interval = -1
		}
	}
	switch {
	case len(schedules) == 0 || len(schedules) != len(list):
		writeGraphError(w, http.StatusBadRequest, "ErrorInvalidParameter", "The parameter 'Schedules' must name at least one email address.")
		return
	case body["starttime"] == nil || body["endtime"] == nil:
		writeGraphError(w, http.StatusBadRequest, "ErrorInvalidParameter", "The parameters 'StartTime' and 'EndTime' are required.")
		return
	case err1 != nil:
		writeRequestError(w, err1)
		return
	case err2 != nil:
		writeRequestError(w, err2)
		return
	case interval < 0:
		writeGraphError(w, http.StatusBadRequest, "ErrorInvalidParameter", "The parameter 'AvailabilityViewInterval' must be a whole number of minutes from 5 to 1440.")
		return
	case !to.After(from):
		writeGraphError(w, http.StatusBadRequest, "ErrorInvalidTimeInterval", "The time interval's end time must be after its start time.")
		return
	}
	step := time.Duration(interval) * time.Minute
	people := s.people()
	st := s.calendar
	st.mu.Lock()
	value := make([]any, 0, len(schedules))
	for _, addr := range schedules {
		p, ok := people[strings.ToLower(addr)]
		if !ok {
			value = append(value, map[string]any{
				"scheduleId": addr, "availabilityView": "", "scheduleItems": []any{},
				"error": map[string]any{"message": "The user or group with address " + addr + " was not found.", "responseCode": "ErrorMailRecipientNotFound"},
			})
			continue
		}
		spans := st.busyTimes(p, from, to, req.view.loc)
		items := make([]any, 0, len(spans))
		for _, sp := range spans {
			private := sp.in.ev.props["sensitivity"] == "private" && p.id != req.caller
			item := map[string]any{
				"isPrivate": private,
				"status":    sp.status,
				"start":     map[string]any{"dateTime": sp.start.In(req.view.loc).Format(eventinput.DateTimeLayout), "timeZone": req.view.name},
				"end":       map[string]any{"dateTime": sp.end.In(req.view.loc).Format(eventinput.DateTimeLayout), "timeZone": req.view.name},
			}
			if !private {
				props := maps.Clone(sp.in.ev.props)
				maps.Copy(props, sp.in.over)
				item["subject"] = props["subject"]
				item["location"] = mapOf(props["location"])["displayName"]
			}
			items = append(items, item)
		}
		var view []byte
		for t := from; t.Before(to); t = t.Add(step) {
			view = append(view, statusDigit[statusDuring(spans, t, t.Add(step))])
		}
		value = append(value, map[string]any{
			"scheduleId":       addr,
			"availabilityView": string(view),
			"scheduleItems":    items,
			"workingHours":     workingHoursJSON(st.workingHours(p.id)),
		})
	}
	st.mu.Unlock()
	writeGraphJSON(w, http.StatusOK, map[string]any{
		"@odata.context": s.GraphURL() + "/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)",
		"value":          value,
	})
}

// scheduleTarget resolves the user whose calendar asks for free/busy
// information, which any calendar scope allows.
func (s *Server) scheduleTarget(w http.ResponseWriter, r *http.Request) (calendarRequest, bool) {
	c := callerOf(r)
	if !c.appOnly() && r.PathValue("uid") == "" && !hasScope(c, anyCalendarScope...) {
		accessDenied(w)
		return calendarRequest{}, false
	}
	return s.calendarTarget(w, r, false)
}

// ---- findMeetingTimes ----

var isoDuration = regexp.MustCompile(`^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$`)

// parseISODuration reads an ISO 8601 duration of days, hours, minutes and
// seconds ("PT1H30M").
func parseISODuration(s string) (time.Duration, bool) {
	m := isoDuration.FindStringSubmatch(s)
	if m == nil || s == "P" || s == "PT" {
		return 0, false
	}
	var d float64
	for i, unit := range []time.Duration{24 * time.Hour, time.Hour, time.Minute, time.Second} {
		if m[i+1] != "" {
			n, _ := strconv.ParseFloat(m[i+1], 64)
			d += n * float64(unit)
		}
	}
	if d > float64(math.MaxInt64) {
		return 0, false
	}
	return time.Duration(d), true
}

// lenient reads a Graph parameter that clients send as JSON or as a
// string ("true", "100"), as Graph itself accepts.
func lenientBool(v any, def bool) (bool, bool) {
	switch v := v.(type) {
	case nil:
		return def, true
	case bool:
		return v, true
	case string:
		b, err := strconv.ParseBool(v)
		return b, err == nil
	}
	return false, false
}

func lenientNumber(v any, def float64) (float64, bool) {
	switch v := v.(type) {
	case nil:
		return def, true
	case float64:
		return v, true
	case string:
		n, err := strconv.ParseFloat(v, 64)
		return n, err == nil
	}
	return 0, false
}

// meetingRequest is a findMeetingTimes body.
type meetingRequest struct {
	attendees     []map[string]any
	domain        string
	slots         [][2]time.Time
	duration      time.Duration
	maxCandidates int
	orgOptional   bool
	reasons       bool
	minPercentage float64
	locations     []any
}

func readMeetingRequest(body map[string]any, now time.Time) (*meetingRequest, error) {
	mr := &meetingRequest{domain: "work", duration: 30 * time.Minute}
	bad := func(name string) error {
		return eventinput.Bad("ErrorInvalidParameter", "The value of parameter '"+name+"' is not valid.")
	}
	if v, ok := body["attendees"]; ok && v != nil {
		list, ok := v.([]any)
		if !ok {
			return nil, bad("Attendees")
		}
		for _, a := range list {
			m := mapOf(a)
			if addressOf(m) == "" {
				return nil, bad("Attendees")
			}
			mr.attendees = append(mr.attendees, m)
		}
	}
	if tc := mapOf(body["timeconstraint"]); tc != nil {
		if d, ok := tc["activityDomain"].(string); ok && d != "" {
			mr.domain = strings.ToLower(d)
		}
		if !slices.Contains([]string{"work", "personal", "unrestricted"}, mr.domain) {
			return nil, bad("ActivityDomain")
		}
		slots, _ := tc["timeSlots"].([]any)
		for _, sl := range slots {
			start, _, err := eventinput.ParseDateTime(mapOf(sl)["start"])
			if err != nil {
				return nil, err
			}
			end, _, err := eventinput.ParseDateTime(mapOf(sl)["end"])
			if err != nil {
				return nil, err
			}
			if !end.After(start) {
				return nil, eventinput.Bad("ErrorInvalidTimeInterval", "The time interval's end time must be after its start time.")
			}
			mr.slots = append(mr.slots, [2]time.Time{start, end})
		}
	}
	if len(mr.slots) == 0 {
		mr.slots = [][2]time.Time{{now, now.Add(48 * time.Hour)}}
	}
	if v, ok := body["meetingduration"]; ok && v != nil {
		s, _ := v.(string)
		d, ok := parseISODuration(s)
		if !ok || d <= 0 {
			return nil, bad("MeetingDuration")
		}
		mr.duration = d
	}
	var ok bool
	var n float64
	if n, ok = lenientNumber(body["maxcandidates"], 5); !ok || n < 1 || n != math.Trunc(n) {
		return nil, bad("MaxCandidates")
	}
	mr.maxCandidates = int(min(n, 1000))
	if mr.orgOptional, ok = lenientBool(body["isorganizeroptional"], false); !ok {
		return nil, bad("IsOrganizerOptional")
	}
	if mr.reasons, ok = lenientBool(body["returnsuggestionreasons"], false); !ok {
		return nil, bad("ReturnSuggestionReasons")
	}
	if mr.minPercentage, ok = lenientNumber(body["minimumattendeepercentage"], 50); !ok || mr.minPercentage < 0 || mr.minPercentage > 100 {
		return nil, bad("MinimumAttendeePercentage")
	}
	if lc := mapOf(body["locationconstraint"]); lc != nil {
		for _, l := range asSlice(lc["locations"]) {
			if name, _ := mapOf(l)["displayName"].(string); name != "" {
				mr.locations = append(mr.locations, map[string]any{"displayName": name})
			}
		}
	}
	return mr, nil
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

// allowed reports whether [t, t+d) is within the activity domain's hours.
func allowed(domain string, wh WorkingHours, t time.Time, d time.Duration) bool {
	switch domain {
	case "unrestricted":
		return true
	case "personal":
		wh = WorkingHours{Days: []time.Weekday{0, 1, 2, 3, 4, 5, 6}, Start: 8 * time.Hour, End: 22 * time.Hour, Location: wh.Location}
	}
	local := t.In(wh.loc())
	if !slices.Contains(wh.Days, local.Weekday()) {
		return false
	}
	midnight := recurrence.DateOf(local).At(time.Time{}, wh.loc())
	since := local.Sub(midnight)
	return since >= wh.Start && since+d <= wh.End
}

// halfHourFrom is the first time at or after t on a half hour of loc's
// wall clock.
func halfHourFrom(t time.Time, loc *time.Location) time.Time {
	local := t.In(loc)
	r := local.Truncate(time.Minute)
	r = r.Add(-time.Duration(r.Minute()%30) * time.Minute)
	for r.Before(t) {
		r = r.Add(30 * time.Minute)
	}
	return r
}

type suggestion struct {
	start      time.Time
	confidence float64
	organizer  string
	attendees  []string
}

var availabilityScore = map[string]float64{"free": 1, "workingElsewhere": 1, "tentative": 0.5, "unknown": 0.5}

func (s *Server) findMeetingTimes(w http.ResponseWriter, r *http.Request) {
	req, body, ok := s.calendarAction(w, r, s.scheduleTarget)
	if !ok {
		return
	}
	mr, err := readMeetingRequest(body, req.now)
	if err != nil {
		writeRequestError(w, err)
		return
	}
	people := s.people()
	st := s.calendar
	st.mu.Lock()
	wh := st.workingHours(req.owner.id)
	first, last := mr.slots[0][0], mr.slots[0][1]
	for _, sl := range mr.slots {
		first, last = minTime(first, sl[0]), maxTime(last, sl[1])
	}
	orgBusy := st.busyTimes(req.owner, first, last, wh.loc())
	attBusy := make([][]busySpan, len(mr.attendees))
	known := make([]bool, len(mr.attendees))
	for i, a := range mr.attendees {
		if p, ok := people[strings.ToLower(addressOf(a))]; ok {
			attBusy[i], known[i] = st.busyTimes(p, first, last, wh.loc()), true
		}
	}
	st.mu.Unlock()

	var found []suggestion
	tried, organizerFree := false, false
	for _, sl := range mr.slots {
		for t := halfHourFrom(sl[0], wh.loc()); !t.Add(mr.duration).After(sl[1]); t = t.Add(30 * time.Minute) {
			if !allowed(mr.domain, wh, t, mr.duration) {
				continue
			}
			tried = true
			end := t.Add(mr.duration)
			org := statusDuring(orgBusy, t, end)
			if !mr.orgOptional && (org == "busy" || org == "oof") {
				continue
			}
			organizerFree = true
			sg := suggestion{start: t, organizer: org, confidence: 100}
			score := 0.0
			for i := range mr.attendees {
				a := "unknown"
				if known[i] {
					a = statusDuring(attBusy[i], t, end)
				}
				sg.attendees = append(sg.attendees, a)
				score += availabilityScore[a]
			}
			if len(mr.attendees) > 0 {
				sg.confidence = math.Round(100 * score / float64(len(mr.attendees)))
			}
			if sg.confidence >= mr.minPercentage {
				found = append(found, sg)
			}
		}
	}
	slices.SortStableFunc(found, func(a, b suggestion) int {
		return cmp.Or(cmp.Compare(b.confidence, a.confidence),
			cmp.Compare(statusRank[a.organizer], statusRank[b.organizer]), a.start.Compare(b.start))
	})
	found = found[:min(len(found), mr.maxCandidates)]

	suggestions := make([]any, 0, len(found))
	for i, sg := range found {
		avail := make([]any, len(mr.attendees))
		for j, a := range mr.attendees {
			avail[j] = map[string]any{
				"availability": sg.attendees[j],
				"attendee":     map[string]any{"type": cmp.Or(a["type"], any("required")), "emailAddress": map[string]any{"address": addressOf(a)}},
			}
		}
		m := map[string]any{
			"confidence":            sg.confidence,
			"order":                 i + 1,
			"organizerAvailability": sg.organizer,
			"attendeeAvailability":  avail,
			"locations":             append([]any{}, mr.locations...),
			"meetingTimeSlot": map[string]any{
				"start": map[string]any{"dateTime": sg.start.In(req.view.loc).Format(eventinput.DateTimeLayout), "timeZone": req.view.name},
				"end":   map[string]any{"dateTime": sg.start.Add(mr.duration).In(req.view.loc).Format(eventinput.DateTimeLayout), "timeZone": req.view.name},
			},
		}
		if mr.reasons {
			m["suggestionReason"] = "Suggested because it is one of the nearest times when all attendees are available."
			if sg.confidence < 100 {
				m["suggestionReason"] = "Suggested because it is one of the nearest times when most attendees are available."
			}
		}
		suggestions = append(suggestions, m)
	}
	reason := ""
	switch {
	case len(found) > 0:
	case !tried:
		reason = "unknown"
	case !organizerFree:
		reason = "organizerUnavailable"
	case slices.Contains(known, false):
		reason = "attendeesUnavailableOrUnknown"
	default:
		reason = "attendeesUnavailable"
	}
	writeGraphJSON(w, http.StatusOK, map[string]any{
		"@odata.context":         s.GraphURL() + "/v1.0/$metadata#microsoft.graph.meetingTimeSuggestionsResult",
		"emptySuggestionsReason": reason,
		"meetingTimeSuggestions": suggestions,
	})
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
