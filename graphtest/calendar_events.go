package graphtest

import (
	"cmp"
	"encoding/base64"
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

	"github.com/go-o365/o365/internal/recurrence"
	"github.com/go-o365/o365/internal/tz"
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
	attachments []*eventAttachment
	// Series only: occurrences deleted, and occurrences changed (their
	// changed properties), by date.
	removed    map[recurrence.Date]bool
	exceptions map[recurrence.Date]map[string]any

	// Parsed from props by setProps.
	start, end time.Time // in the event's own zone
	allDay     bool
	series     *recurrence.Series
}

// requestError is a request Graph refuses with status, code and message.
type requestError struct {
	status        int
	code, message string
}

func (e *requestError) Error() string { return e.message }

func badEvent(code, message string) *requestError {
	return &requestError{http.StatusBadRequest, code, message}
}

// writeRequestError answers err: a *requestError as it says, a eventBodyError
// as 400 RequestBodyRead.
func writeRequestError(w http.ResponseWriter, err error) {
	if re, ok := err.(*requestError); ok {
		writeGraphError(w, re.status, re.code, re.message)
		return
	}
	writeGraphError(w, http.StatusBadRequest, "RequestBodyRead", err.Error())
}

// ---- the event type ----

type eventKind int

const (
	evString eventKind = iota
	evStrings
	evBool
	evInt
	evEnum
	evBody
	evDateTime
	evLocation
	evLocations
	evAttendees
	evRecurrence
	evReadOnly
)

// eventProps is Graph's event type: every property and its kind.
var eventProps = map[string]eventKind{
	"subject": evString, "transactionId": evString,
	"categories": evStrings,
	"isAllDay":   evBool, "isReminderOn": evBool, "responseRequested": evBool, "isOnlineMeeting": evBool,
	"allowNewTimeProposals": evBool, "hideAttendees": evBool,
	"reminderMinutesBeforeStart": evInt,
	"importance":                 evEnum, "sensitivity": evEnum, "showAs": evEnum, "onlineMeetingProvider": evEnum,
	"body":  evBody,
	"start": evDateTime, "end": evDateTime,
	"location": evLocation, "locations": evLocations,
	"attendees":  evAttendees,
	"recurrence": evRecurrence,
	"id":         evReadOnly, "createdDateTime": evReadOnly, "lastModifiedDateTime": evReadOnly,
	"changeKey": evReadOnly, "iCalUId": evReadOnly, "originalStartTimeZone": evReadOnly,
	"originalEndTimeZone": evReadOnly, "originalStart": evReadOnly, "hasAttachments": evReadOnly,
	"bodyPreview": evReadOnly, "isCancelled": evReadOnly, "isDraft": evReadOnly, "isOrganizer": evReadOnly,
	"seriesMasterId": evReadOnly, "type": evReadOnly, "webLink": evReadOnly, "onlineMeetingUrl": evReadOnly,
	"onlineMeeting": evReadOnly, "responseStatus": evReadOnly, "organizer": evReadOnly,
	"cancelledOccurrences": evReadOnly,
}

var eventEnums = map[string][]string{
	"importance":            {"low", "normal", "high"},
	"sensitivity":           {"normal", "personal", "private", "confidential"},
	"showAs":                {"unknown", "free", "tentative", "busy", "oof", "workingElsewhere"},
	"onlineMeetingProvider": {"unknown", "skypeForBusiness", "skypeForConsumer", "teamsForBusiness"},
	"contentType":           {"text", "html"},
	"type":                  {"required", "optional", "resource"},
	"locationType": {"default", "conferenceRoom", "homeAddress", "businessAddress", "geoCoordinates",
		"streetAddress", "hotel", "restaurant", "localBusiness", "postalAddress"},
}

// enumValue returns the canonical spelling of v among the values of enum
// name, compared without regard to case.
func enumValue(name string, v any) (string, error) {
	s, ok := v.(string)
	if ok {
		for _, e := range eventEnums[name] {
			if strings.EqualFold(e, s) {
				return e, nil
			}
		}
	}
	return "", eventBodyError(fmt.Sprintf("Cannot convert the literal '%v' to the expected type 'microsoft.graph.%s'.", v, name))
}

// eventValues checks body against the event type and returns the
// writable properties it sets, normalised as Graph answers them.
func eventValues(body map[string]any) (map[string]any, error) {
	out := map[string]any{}
	for name, v := range body {
		if strings.Contains(name, "@") {
			continue // annotations such as @odata.type
		}
		kind, ok := eventProps[name]
		if !ok {
			return nil, unknownEventProperty(name, "microsoft.graph.event")
		}
		if kind == evReadOnly {
			continue
		}
		val, err := eventValue(name, kind, v)
		if err != nil {
			return nil, err
		}
		out[name] = val
	}
	return out, nil
}

func eventValue(name string, kind eventKind, v any) (any, error) {
	if v == nil {
		switch kind {
		case evBool, evInt:
			return nil, wrongEventType(name, map[eventKind]string{evBool: "Edm.Boolean", evInt: "Edm.Int32"}[kind])
		case evStrings, evLocations, evAttendees:
			return []any{}, nil
		}
		return nil, nil
	}
	switch kind {
	case evString:
		if _, ok := v.(string); !ok {
			return nil, wrongEventType(name, "Edm.String")
		}
		return v, nil
	case evStrings:
		list, ok := v.([]any)
		if !ok || slices.ContainsFunc(list, func(x any) bool { _, s := x.(string); return !s }) {
			return nil, wrongEventType(name, "Collection(Edm.String)")
		}
		return slices.Clone(list), nil
	case evBool:
		if _, ok := v.(bool); !ok {
			return nil, wrongEventType(name, "Edm.Boolean")
		}
		return v, nil
	case evInt:
		n, ok := v.(float64)
		if !ok || n != float64(int32(n)) {
			return nil, wrongEventType(name, "Edm.Int32")
		}
		return n, nil
	case evEnum:
		return enumValue(name, v)
	case evBody:
		m, ok := v.(map[string]any)
		if !ok {
			return nil, wrongEventType(name, "microsoft.graph.itemBody")
		}
		out := map[string]any{"contentType": "text", "content": ""}
		for k, x := range m {
			switch k {
			case "contentType":
				ct, err := enumValue("contentType", x)
				if err != nil {
					return nil, err
				}
				out[k] = ct
			case "content":
				s, ok := x.(string)
				if !ok && x != nil {
					return nil, wrongEventType("content", "Edm.String")
				}
				out[k] = s
			default:
				return nil, unknownEventProperty(k, "microsoft.graph.itemBody")
			}
		}
		return out, nil
	case evDateTime:
		return dateTimeValue(name, v)
	case evLocation:
		return locationValue(v)
	case evLocations:
		list, ok := v.([]any)
		if !ok {
			return nil, wrongEventType(name, "Collection(microsoft.graph.location)")
		}
		out := make([]any, 0, len(list))
		for _, x := range list {
			l, err := locationValue(x)
			if err != nil {
				return nil, err
			}
			out = append(out, l)
		}
		return out, nil
	case evAttendees:
		return attendeesValue(v)
	case evRecurrence:
		return recurrenceValue(v)
	}
	return nil, fmt.Errorf("graphtest: event property %s has no kind", name)
}

// dateTimeLayout is how Graph writes dateTime: no offset, seven digits.
const dateTimeLayout = "2006-01-02T15:04:05.0000000"

// parseDateTime reads a dateTimeTimeZone as a time in its zone.
func parseDateTime(v any) (time.Time, string, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return time.Time{}, "", wrongEventType("dateTime", "microsoft.graph.dateTimeTimeZone")
	}
	for k := range m {
		if k != "dateTime" && k != "timeZone" && !strings.Contains(k, "@") {
			return time.Time{}, "", unknownEventProperty(k, "microsoft.graph.dateTimeTimeZone")
		}
	}
	zone, _ := m["timeZone"].(string)
	if _, ok := m["timeZone"].(string); !ok && m["timeZone"] != nil {
		return time.Time{}, "", wrongEventType("timeZone", "Edm.String")
	}
	if zone == "" {
		zone = "UTC"
	}
	loc, err := tz.Load(zone)
	if err != nil {
		return time.Time{}, "", badEvent("TimeZoneNotSupportedException",
			"A valid TimeZone value must be specified. The following TimeZone value is not supported: '"+zone+"'.")
	}
	s, _ := m["dateTime"].(string)
	t, err := time.ParseInLocation("2006-01-02T15:04:05.999999999", s, loc)
	if err != nil {
		at, err2 := time.Parse(time.RFC3339Nano, s)
		if err2 != nil {
			return time.Time{}, "", eventBodyError("Cannot convert the literal '" + s + "' to the expected type 'Edm.DateTime'.")
		}
		t = at.In(loc)
	}
	return t, zone, nil
}

func dateTimeValue(name string, v any) (any, error) {
	t, zone, err := parseDateTime(v)
	if err != nil {
		return nil, err
	}
	return map[string]any{"dateTime": t.Format(dateTimeLayout), "timeZone": zone}, nil
}

func locationValue(v any) (any, error) {
	if v == nil {
		return emptyLocation(), nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, wrongEventType("location", "microsoft.graph.location")
	}
	out := map[string]any{}
	for k, x := range m {
		switch k {
		case "displayName", "locationEmailAddress", "locationUri", "uniqueId", "uniqueIdType":
			if _, ok := x.(string); !ok && x != nil {
				return nil, wrongEventType(k, "Edm.String")
			}
			out[k] = x
		case "locationType":
			lt, err := enumValue("locationType", x)
			if err != nil {
				return nil, err
			}
			out[k] = lt
		case "address", "coordinates":
			if _, ok := x.(map[string]any); !ok && x != nil {
				return nil, wrongEventType(k, "microsoft.graph."+k)
			}
			out[k] = x
		default:
			if !strings.Contains(k, "@") {
				return nil, unknownEventProperty(k, "microsoft.graph.location")
			}
		}
	}
	if out["locationType"] == nil {
		out["locationType"] = "default"
	}
	if name, _ := out["displayName"].(string); name != "" {
		if out["uniqueId"] == nil {
			out["uniqueId"] = name
		}
		if out["uniqueIdType"] == nil {
			out["uniqueIdType"] = "private"
		}
	} else if out["uniqueIdType"] == nil {
		out["uniqueIdType"] = "unknown"
	}
	return out, nil
}

func emptyLocation() map[string]any {
	return map[string]any{"displayName": "", "locationType": "default", "uniqueIdType": "unknown",
		"address": map[string]any{}, "coordinates": map[string]any{}}
}

// noResponse is Graph's responseStatus of someone who has not answered.
func noResponse(response string) map[string]any {
	return map[string]any{"response": response, "time": "0001-01-01T00:00:00Z"}
}

func attendeesValue(v any) (any, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, wrongEventType("attendees", "Collection(microsoft.graph.attendee)")
	}
	out := make([]any, 0, len(list))
	for _, x := range list {
		m, ok := x.(map[string]any)
		if !ok {
			return nil, wrongEventType("attendees", "microsoft.graph.attendee")
		}
		a := map[string]any{"type": "required", "status": noResponse("none")}
		for k, y := range m {
			switch k {
			case "type":
				t, err := enumValue("type", y)
				if err != nil {
					return nil, err
				}
				a[k] = t
			case "emailAddress":
				e, ok := y.(map[string]any)
				if !ok {
					return nil, wrongEventType(k, "microsoft.graph.emailAddress")
				}
				addr, _ := e["address"].(string)
				name, _ := e["name"].(string)
				if name == "" {
					name = addr
				}
				a[k] = map[string]any{"name": name, "address": addr}
			case "status", "proposedNewTime":
				// Set by Graph from the attendee's answers.
			default:
				if !strings.Contains(k, "@") {
					return nil, unknownEventProperty(k, "microsoft.graph.attendee")
				}
			}
		}
		if addr, _ := mapOf(a["emailAddress"])["address"].(string); addr == "" {
			return nil, badEvent("ErrorInvalidRecipients", "At least one recipient isn't valid., A recipient must have an email address.")
		}
		out = append(out, a)
	}
	return out, nil
}

func mapOf(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// recurrenceValue normalises a patternedRecurrence to every property
// Graph answers; whether the rule holds together is checked with the
// event (see setProps).
func recurrenceValue(v any) (any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, wrongEventType("recurrence", "microsoft.graph.patternedRecurrence")
	}
	pattern := map[string]any{"type": nil, "interval": 0.0, "month": 0.0, "dayOfMonth": 0.0,
		"daysOfWeek": []any{}, "firstDayOfWeek": "sunday", "index": "first"}
	rng := map[string]any{"type": nil, "startDate": nil, "endDate": "0001-01-01",
		"recurrenceTimeZone": nil, "numberOfOccurrences": 0.0}
	for k, x := range m {
		var dst map[string]any
		switch k {
		case "pattern":
			dst = pattern
		case "range":
			dst = rng
		default:
			if strings.Contains(k, "@") {
				continue
			}
			return nil, unknownEventProperty(k, "microsoft.graph.patternedRecurrence")
		}
		part, ok := x.(map[string]any)
		if !ok {
			return nil, wrongEventType(k, "microsoft.graph.recurrence"+strings.ToUpper(k[:1])+k[1:])
		}
		for pk, pv := range part {
			if strings.Contains(pk, "@") {
				continue
			}
			old, known := dst[pk]
			if !known {
				return nil, unknownEventProperty(pk, "microsoft.graph.recurrence"+strings.ToUpper(k[:1])+k[1:])
			}
			switch old.(type) {
			case float64:
				n, ok := pv.(float64)
				if !ok || n != float64(int32(n)) {
					return nil, wrongEventType(pk, "Edm.Int32")
				}
			case []any:
				list, ok := pv.([]any)
				if !ok {
					return nil, wrongEventType(pk, "Collection(microsoft.graph.dayOfWeek)")
				}
				days := make([]any, len(list))
				for i, d := range list {
					s, _ := d.(string)
					wd, ok := recurrence.ParseWeekday(s)
					if !ok {
						return nil, eventBodyError(fmt.Sprintf("Cannot convert the literal '%v' to the expected type 'microsoft.graph.dayOfWeek'.", d))
					}
					days[i] = strings.ToLower(wd.String())
				}
				pv = days
			default:
				if _, ok := pv.(string); !ok && pv != nil {
					return nil, wrongEventType(pk, "Edm.String")
				}
				if s, ok := pv.(string); ok && pk == "firstDayOfWeek" {
					wd, ok := recurrence.ParseWeekday(s)
					if !ok {
						return nil, eventBodyError("Cannot convert the literal '" + s + "' to the expected type 'microsoft.graph.dayOfWeek'.")
					}
					pv = strings.ToLower(wd.String())
				}
			}
			dst[pk] = pv
		}
	}
	return map[string]any{"pattern": pattern, "range": rng}, nil
}

// rule reads a normalised recurrence.
func rule(rec map[string]any) recurrence.Rule {
	p, rg := mapOf(rec["pattern"]), mapOf(rec["range"])
	str := func(m map[string]any, k string) string { s, _ := m[k].(string); return s }
	num := func(m map[string]any, k string) int { n, _ := m[k].(float64); return int(n) }
	var days []string
	for _, d := range p["daysOfWeek"].([]any) {
		days = append(days, d.(string))
	}
	start, _ := recurrence.ParseDate(str(rg, "startDate"))
	end, _ := recurrence.ParseDate(str(rg, "endDate"))
	return recurrence.Rule{
		Type: str(p, "type"), Interval: num(p, "interval"), DaysOfWeek: days,
		FirstDayOfWeek: str(p, "firstDayOfWeek"), DayOfMonth: num(p, "dayOfMonth"), Month: num(p, "month"),
		Index: str(p, "index"), RangeType: str(rg, "type"), StartDate: start, EndDate: end,
		NumberOfOccurrences: num(rg, "numberOfOccurrences"),
	}
}

// newEventProps is an event's writable properties as Graph answers them
// right after creation: every one present, with Graph's defaults.
func newEventProps(values map[string]any) map[string]any {
	p := map[string]any{
		"subject": "", "body": map[string]any{"contentType": "html", "content": ""},
		"categories": []any{}, "transactionId": nil,
		"importance": "normal", "sensitivity": "normal", "showAs": "busy",
		"isAllDay": false, "isReminderOn": true, "reminderMinutesBeforeStart": 15.0,
		"responseRequested": true, "isOnlineMeeting": false, "onlineMeetingProvider": "unknown",
		"allowNewTimeProposals": true, "hideAttendees": false,
		"location": emptyLocation(), "locations": []any{}, "attendees": []any{}, "recurrence": nil,
		"start": nil, "end": nil,
	}
	maps.Copy(p, values)
	if _, ok := values["locations"]; !ok {
		if name, _ := mapOf(p["location"])["displayName"].(string); name != "" {
			p["locations"] = []any{p["location"]}
		}
	}
	if _, ok := values["location"]; !ok {
		var names []string
		for _, l := range p["locations"].([]any) {
			if n, _ := mapOf(l)["displayName"].(string); n != "" {
				names = append(names, n)
			}
		}
		if len(names) > 0 {
			p["location"], _ = locationValue(map[string]any{"displayName": strings.Join(names, "; ")})
		}
	}
	return p
}

// setProps checks props as a whole (times present and in order, a valid
// recurrence) and makes them the event's.
func (ev *calEvent) setProps(p map[string]any) error {
	if p["start"] == nil || p["end"] == nil {
		return badEvent("ErrorInvalidRequest", "Your request can't be completed. An event needs a start and an end.")
	}
	start, startZone, err := parseDateTime(p["start"])
	if err != nil {
		return err
	}
	end, _, err := parseDateTime(p["end"])
	if err != nil {
		return err
	}
	allDay, _ := p["isAllDay"].(bool)
	if allDay {
		start = recurrence.DateOf(start).At(time.Time{}, start.Location())
		end = recurrence.DateOf(end).At(time.Time{}, end.Location())
	}
	if end.Before(start) {
		return badEvent("ErrorCalendarEndDateIsEarlierThanStartDate", "The end date occurs before the start date.")
	}
	var series *recurrence.Series
	if rec := mapOf(p["recurrence"]); rec != nil {
		series, err = recurrence.Compile(rule(rec))
		if err != nil {
			return badEvent("ErrorCalendarInvalidRecurrence", "The recurrence pattern is not valid: "+
				strings.TrimPrefix(err.Error(), recurrence.ErrInvalid.Error()+": ")+".")
		}
		rng := mapOf(rec["range"])
		if rng["recurrenceTimeZone"] == nil {
			// The zone the pattern is read in: the start's.
			rng = maps.Clone(rng)
			rng["recurrenceTimeZone"] = startZone
			p["recurrence"] = map[string]any{"pattern": rec["pattern"], "range": rng}
		}
	}
	ev.props, ev.start, ev.end, ev.allDay, ev.series = p, start, end, allDay, series
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
	if err := ev.setProps(newEventProps(values)); err != nil {
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
		in.start, _, _ = parseDateTime(v)
	}
	if v, ok := over["end"]; ok {
		in.end, _, _ = parseDateTime(v)
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
		"createdDateTime":       ev.created.UTC().Format(dateTimeLayout + "Z"),
		"lastModifiedDateTime":  ev.modified.UTC().Format(dateTimeLayout + "Z"),
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
		"start":                 map[string]any{"dateTime": start.In(view.loc).Format(dateTimeLayout), "timeZone": view.name},
		"end":                   map[string]any{"dateTime": end.In(view.loc).Format(dateTimeLayout), "timeZone": view.name},
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
		return time.Time{}, true, badEvent("ErrorInvalidParameter", "The value '"+v+"' of parameter '"+name+"' is invalid.")
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
		return from, to, badEvent("ErrorInvalidParameter",
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
	values, err := eventValues(body)
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
			return in, badEvent("ErrorInvalidRequest", "Your request can't be completed. An occurrence of a series cannot have a recurrence.")
		}
		over := maps.Clone(in.over)
		if over == nil {
			over = map[string]any{}
		}
		maps.Copy(over, values)
		probe := &calEvent{}
		p := maps.Clone(ev.props)
		p["recurrence"] = nil
		p["start"] = map[string]any{"dateTime": in.start.Format(dateTimeLayout), "timeZone": mapOf(ev.props["start"])["timeZone"]}
		p["end"] = map[string]any{"dateTime": in.end.Format(dateTimeLayout), "timeZone": mapOf(ev.props["end"])["timeZone"]}
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

type eventAttachment struct {
	id, odataType, name, contentType string
	isInline                         bool
	contentID                        any
	content                          []byte
	item                             map[string]any
	modified                         time.Time
}

func (a *eventAttachment) json() map[string]any {
	m := map[string]any{
		"@odata.type":          a.odataType,
		"id":                   a.id,
		"lastModifiedDateTime": a.modified.UTC().Format(time.RFC3339),
		"name":                 a.name,
		"contentType":          a.contentType,
		"size":                 len(a.content),
		"isInline":             a.isInline,
	}
	if a.odataType == "#microsoft.graph.fileAttachment" {
		m["contentId"] = a.contentID
		m["contentLocation"] = nil
		m["contentBytes"] = a.content
	}
	if a.contentType == "" {
		m["contentType"] = nil
	}
	return m
}

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
		items = append(items, a.json())
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
		if a.id == r.PathValue("aid") {
			item = a.json()
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
	ev.attachments = slices.DeleteFunc(slices.Clone(ev.attachments), func(a *eventAttachment) bool { return a.id == r.PathValue("aid") })
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

// maxInlineAttachment is the most Graph takes in one attachment request
// (its 4 MB request limit, less the base64 growth).
const maxInlineAttachment = 3 << 20

func (s *Server) addEventAttachment(w http.ResponseWriter, r *http.Request) {
	req, body, ok := s.calendarWrite(w, r)
	if !ok {
		return
	}
	a, err := attachmentValue(body)
	if err != nil {
		writeRequestError(w, err)
		return
	}
	ev, ok := s.lockEvent(w, r, req)
	if !ok {
		return
	}
	a.id, a.modified = newCalendarItemID(), req.now
	ev.attachments = append(slices.Clone(ev.attachments), a)
	ev.touch(req.now)
	item := a.json()
	s.calendar.mu.Unlock()
	s.writeEntity(w, http.StatusCreated, item, s.attachmentsContext(req.owner.id, ev.id))
}

func attachmentValue(body map[string]any) (*eventAttachment, error) {
	a := &eventAttachment{}
	a.odataType, _ = body["@odata.type"].(string)
	if !strings.HasPrefix(a.odataType, "#") && a.odataType != "" {
		a.odataType = "#" + a.odataType
	}
	switch a.odataType {
	case "#microsoft.graph.fileAttachment", "#microsoft.graph.itemAttachment":
	default:
		return nil, badEvent("ErrorInvalidRequest", "Your request can't be completed. The attachment needs an @odata.type of #microsoft.graph.fileAttachment or #microsoft.graph.itemAttachment.")
	}
	for k, v := range body {
		switch k {
		case "@odata.type", "id", "size", "lastModifiedDateTime", "contentLocation":
		case "name", "contentType":
			s, ok := v.(string)
			if !ok && v != nil {
				return nil, wrongEventType(k, "Edm.String")
			}
			if k == "name" {
				a.name = s
			} else {
				a.contentType = s
			}
		case "contentId":
			a.contentID = v
		case "isInline":
			b, ok := v.(bool)
			if !ok {
				return nil, wrongEventType(k, "Edm.Boolean")
			}
			a.isInline = b
		case "contentBytes":
			s, _ := v.(string)
			data, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return nil, badEvent("ErrorInvalidRequest", "Your request can't be completed. contentBytes is not valid base64.")
			}
			a.content = data
		case "item":
			m, ok := v.(map[string]any)
			if !ok {
				return nil, wrongEventType(k, "microsoft.graph.outlookItem")
			}
			a.item = m
		default:
			return nil, unknownEventProperty(k, strings.TrimPrefix(a.odataType, "#"))
		}
	}
	switch {
	case a.name == "":
		return nil, badEvent("ErrorInvalidRequest", "Your request can't be completed. The attachment needs a name.")
	case len(a.content) > maxInlineAttachment:
		return nil, &requestError{http.StatusRequestEntityTooLarge, "ErrorRequestEntityTooLarge",
			"The maximum request length supported is 4MB."}
	}
	if a.odataType == "#microsoft.graph.fileAttachment" && a.contentType == "" {
		a.contentType = http.DetectContentType(a.content)
		if i := strings.IndexByte(a.contentType, ';'); i >= 0 {
			a.contentType = a.contentType[:i]
		}
	}
	return a, nil
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
