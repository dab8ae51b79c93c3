// Package eventinput reads the JSON body of an event write the way Graph
// does: every property is checked against Graph's event type, enums are
// matched without regard to case, and each value is normalised to the
// form Graph answers it in, so the server stores what it will send back.
// Attachments sent to an event are read the same way.
// The refusals carry Graph's own codes and texts; which HTTP answer they
// become is the server's business.
package eventinput

import (
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-o365/o365/graphtest/internal/odata"
	"github.com/go-o365/o365/internal/recurrence"
	"github.com/go-o365/o365/internal/tz"
)

// BodyError is a request body Graph refuses as unreadable: the server
// answers it 400 RequestBodyRead with the text as message.
type BodyError string

// Error returns the text Graph answers as the error message.
func (e BodyError) Error() string { return string(e) }

// UnknownProperty is Graph's refusal of a property typ does not declare.
func UnknownProperty(name, typ string) BodyError {
	return BodyError(odata.UnknownProperty(name, typ))
}

// WrongType is Graph's refusal of a value that does not convert to the
// property's declared type edm.
func WrongType(name, edm string) BodyError {
	return BodyError(odata.WrongType(name, edm))
}

// RequestError is a request Graph reads but refuses with its own status
// and code, such as an event that ends before it starts.
type RequestError struct {
	Status        int
	Code, Message string
}

// Error returns Graph's message, so a RequestError reads like any other
// refusal where only the text matters.
func (e *RequestError) Error() string { return e.Message }

// Bad is a RequestError with status 400, the status of nearly every
// refusal of an event's content.
func Bad(code, message string) *RequestError {
	return &RequestError{Status: http.StatusBadRequest, Code: code, Message: message}
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
	return "", BodyError(fmt.Sprintf("Cannot convert the literal '%v' to the expected type 'microsoft.graph.%s'.", v, name))
}

// Values checks body against the event type and returns the
// writable properties it sets, normalised as Graph answers them.
func Values(body map[string]any) (map[string]any, error) {
	out := map[string]any{}
	for name, v := range body {
		if strings.Contains(name, "@") {
			continue // annotations such as @odata.type
		}
		kind, ok := eventProps[name]
		if !ok {
			return nil, UnknownProperty(name, "microsoft.graph.event")
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
			return nil, WrongType(name, map[eventKind]string{evBool: "Edm.Boolean", evInt: "Edm.Int32"}[kind])
		case evStrings, evLocations, evAttendees:
			return []any{}, nil
		}
		return nil, nil
	}
	switch kind {
	case evString:
		if _, ok := v.(string); !ok {
			return nil, WrongType(name, "Edm.String")
		}
		return v, nil
	case evStrings:
		list, ok := v.([]any)
		if !ok || slices.ContainsFunc(list, func(x any) bool { _, s := x.(string); return !s }) {
			return nil, WrongType(name, "Collection(Edm.String)")
		}
		return slices.Clone(list), nil
	case evBool:
		if _, ok := v.(bool); !ok {
			return nil, WrongType(name, "Edm.Boolean")
		}
		return v, nil
	case evInt:
		n, ok := v.(float64)
		if !ok || n != float64(int32(n)) {
			return nil, WrongType(name, "Edm.Int32")
		}
		return n, nil
	case evEnum:
		return enumValue(name, v)
	case evBody:
		m, ok := v.(map[string]any)
		if !ok {
			return nil, WrongType(name, "microsoft.graph.itemBody")
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
					return nil, WrongType("content", "Edm.String")
				}
				out[k] = s
			default:
				return nil, UnknownProperty(k, "microsoft.graph.itemBody")
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
			return nil, WrongType(name, "Collection(microsoft.graph.location)")
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

// DateTimeLayout is how Graph writes dateTime: no offset, seven digits.
const DateTimeLayout = "2006-01-02T15:04:05.0000000"

// ParseDateTime reads a dateTimeTimeZone as a time in its zone.
func ParseDateTime(v any) (time.Time, string, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return time.Time{}, "", WrongType("dateTime", "microsoft.graph.dateTimeTimeZone")
	}
	for k := range m {
		if k != "dateTime" && k != "timeZone" && !strings.Contains(k, "@") {
			return time.Time{}, "", UnknownProperty(k, "microsoft.graph.dateTimeTimeZone")
		}
	}
	zone, _ := m["timeZone"].(string)
	if _, ok := m["timeZone"].(string); !ok && m["timeZone"] != nil {
		return time.Time{}, "", WrongType("timeZone", "Edm.String")
	}
	if zone == "" {
		zone = "UTC"
	}
	loc, err := tz.Load(zone)
	if err != nil {
		return time.Time{}, "", Bad("TimeZoneNotSupportedException",
			"A valid TimeZone value must be specified. The following TimeZone value is not supported: '"+zone+"'.")
	}
	s, _ := m["dateTime"].(string)
	t, err := time.ParseInLocation("2006-01-02T15:04:05.999999999", s, loc)
	if err != nil {
		at, err2 := time.Parse(time.RFC3339Nano, s)
		if err2 != nil {
			return time.Time{}, "", BodyError("Cannot convert the literal '" + s + "' to the expected type 'Edm.DateTime'.")
		}
		t = at.In(loc)
	}
	return t, zone, nil
}

func dateTimeValue(name string, v any) (any, error) {
	t, zone, err := ParseDateTime(v)
	if err != nil {
		return nil, err
	}
	return map[string]any{"dateTime": t.Format(DateTimeLayout), "timeZone": zone}, nil
}

func locationValue(v any) (any, error) {
	if v == nil {
		return emptyLocation(), nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, WrongType("location", "microsoft.graph.location")
	}
	out := map[string]any{}
	for k, x := range m {
		switch k {
		case "displayName", "locationEmailAddress", "locationUri", "uniqueId", "uniqueIdType":
			if _, ok := x.(string); !ok && x != nil {
				return nil, WrongType(k, "Edm.String")
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
				return nil, WrongType(k, "microsoft.graph."+k)
			}
			out[k] = x
		default:
			if !strings.Contains(k, "@") {
				return nil, UnknownProperty(k, "microsoft.graph.location")
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

// NoResponse is Graph's responseStatus of someone who has not answered.
func NoResponse(response string) map[string]any {
	return map[string]any{"response": response, "time": "0001-01-01T00:00:00Z"}
}

func attendeesValue(v any) (any, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, WrongType("attendees", "Collection(microsoft.graph.attendee)")
	}
	out := make([]any, 0, len(list))
	for _, x := range list {
		m, ok := x.(map[string]any)
		if !ok {
			return nil, WrongType("attendees", "microsoft.graph.attendee")
		}
		a := map[string]any{"type": "required", "status": NoResponse("none")}
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
					return nil, WrongType(k, "microsoft.graph.emailAddress")
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
					return nil, UnknownProperty(k, "microsoft.graph.attendee")
				}
			}
		}
		if addr, _ := mapOf(a["emailAddress"])["address"].(string); addr == "" {
			return nil, Bad("ErrorInvalidRecipients", "At least one recipient isn't valid., A recipient must have an email address.")
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
// event (see Check).
func recurrenceValue(v any) (any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, WrongType("recurrence", "microsoft.graph.patternedRecurrence")
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
			return nil, UnknownProperty(k, "microsoft.graph.patternedRecurrence")
		}
		part, ok := x.(map[string]any)
		if !ok {
			return nil, WrongType(k, "microsoft.graph.recurrence"+strings.ToUpper(k[:1])+k[1:])
		}
		for pk, pv := range part {
			if strings.Contains(pk, "@") {
				continue
			}
			old, known := dst[pk]
			if !known {
				return nil, UnknownProperty(pk, "microsoft.graph.recurrence"+strings.ToUpper(k[:1])+k[1:])
			}
			switch old.(type) {
			case float64:
				n, ok := pv.(float64)
				if !ok || n != float64(int32(n)) {
					return nil, WrongType(pk, "Edm.Int32")
				}
			case []any:
				list, ok := pv.([]any)
				if !ok {
					return nil, WrongType(pk, "Collection(microsoft.graph.dayOfWeek)")
				}
				days := make([]any, len(list))
				for i, d := range list {
					s, _ := d.(string)
					wd, ok := recurrence.ParseWeekday(s)
					if !ok {
						return nil, BodyError(fmt.Sprintf("Cannot convert the literal '%v' to the expected type 'microsoft.graph.dayOfWeek'.", d))
					}
					days[i] = strings.ToLower(wd.String())
				}
				pv = days
			default:
				if _, ok := pv.(string); !ok && pv != nil {
					return nil, WrongType(pk, "Edm.String")
				}
				if s, ok := pv.(string); ok && pk == "firstDayOfWeek" {
					wd, ok := recurrence.ParseWeekday(s)
					if !ok {
						return nil, BodyError("Cannot convert the literal '" + s + "' to the expected type 'microsoft.graph.dayOfWeek'.")
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

// NewProps is an event's writable properties as Graph answers them
// right after creation: every one present, with Graph's defaults.
func NewProps(values map[string]any) map[string]any {
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

// Checked is an event's properties read as a whole: its times in its own
// zone, and its series when it recurs.
type Checked struct {
	Start, End time.Time
	AllDay     bool
	Series     *recurrence.Series // nil for a single event
}

// Check checks an event's full properties p as a whole (times present
// and in order, a recurrence that holds together), which no single
// property can show. A recurrence without a recurrenceTimeZone gets the
// start's zone written into p, as Graph answers it.
func Check(p map[string]any) (Checked, error) {
	if p["start"] == nil || p["end"] == nil {
		return Checked{}, Bad("ErrorInvalidRequest", "Your request can't be completed. An event needs a start and an end.")
	}
	start, startZone, err := ParseDateTime(p["start"])
	if err != nil {
		return Checked{}, err
	}
	end, _, err := ParseDateTime(p["end"])
	if err != nil {
		return Checked{}, err
	}
	allDay, _ := p["isAllDay"].(bool)
	if allDay {
		start = recurrence.DateOf(start).At(time.Time{}, start.Location())
		end = recurrence.DateOf(end).At(time.Time{}, end.Location())
	}
	if end.Before(start) {
		return Checked{}, Bad("ErrorCalendarEndDateIsEarlierThanStartDate", "The end date occurs before the start date.")
	}
	var series *recurrence.Series
	if rec := mapOf(p["recurrence"]); rec != nil {
		series, err = recurrence.Compile(rule(rec))
		if err != nil {
			return Checked{}, Bad("ErrorCalendarInvalidRecurrence", "The recurrence pattern is not valid: "+
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
	return Checked{start, end, allDay, series}, nil
}

// ---- attachments ----

// MaxInlineAttachment is the most Graph takes in one attachment request
// (its 4 MB request limit, less the base64 growth).
const MaxInlineAttachment = 3 << 20

// Attachment is an event's file or item attachment as Graph keeps it;
// the server sets ID and Modified when it stores one.
type Attachment struct {
	ID, ODataType, Name, ContentType string
	IsInline                         bool
	ContentID                        any
	Content                          []byte
	Item                             map[string]any
	Modified                         time.Time
}

// JSON is the attachment as Graph answers it: a file attachment with its
// content, which encodes as base64.
func (a *Attachment) JSON() map[string]any {
	m := map[string]any{
		"@odata.type":          a.ODataType,
		"id":                   a.ID,
		"lastModifiedDateTime": a.Modified.UTC().Format(time.RFC3339),
		"name":                 a.Name,
		"contentType":          a.ContentType,
		"size":                 len(a.Content),
		"isInline":             a.IsInline,
	}
	if a.ODataType == "#microsoft.graph.fileAttachment" {
		m["contentId"] = a.ContentID
		m["contentLocation"] = nil
		m["contentBytes"] = a.Content
	}
	if a.ContentType == "" {
		m["contentType"] = nil
	}
	return m
}

// ReadAttachment checks an attachment sent to an event: its @odata.type,
// its properties, its name and its size; a file attachment without a
// contentType gets the one its bytes show.
func ReadAttachment(body map[string]any) (*Attachment, error) {
	a := &Attachment{}
	a.ODataType, _ = body["@odata.type"].(string)
	if !strings.HasPrefix(a.ODataType, "#") && a.ODataType != "" {
		a.ODataType = "#" + a.ODataType
	}
	switch a.ODataType {
	case "#microsoft.graph.fileAttachment", "#microsoft.graph.itemAttachment":
	default:
		return nil, Bad("ErrorInvalidRequest", "Your request can't be completed. The attachment needs an @odata.type of #microsoft.graph.fileAttachment or #microsoft.graph.itemAttachment.")
	}
	for k, v := range body {
		switch k {
		case "@odata.type", "id", "size", "lastModifiedDateTime", "contentLocation":
		case "name", "contentType":
			s, ok := v.(string)
			if !ok && v != nil {
				return nil, WrongType(k, "Edm.String")
			}
			if k == "name" {
				a.Name = s
			} else {
				a.ContentType = s
			}
		case "contentId":
			a.ContentID = v
		case "isInline":
			b, ok := v.(bool)
			if !ok {
				return nil, WrongType(k, "Edm.Boolean")
			}
			a.IsInline = b
		case "contentBytes":
			s, _ := v.(string)
			data, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return nil, Bad("ErrorInvalidRequest", "Your request can't be completed. contentBytes is not valid base64.")
			}
			a.Content = data
		case "item":
			m, ok := v.(map[string]any)
			if !ok {
				return nil, WrongType(k, "microsoft.graph.outlookItem")
			}
			a.Item = m
		default:
			return nil, UnknownProperty(k, strings.TrimPrefix(a.ODataType, "#"))
		}
	}
	switch {
	case a.Name == "":
		return nil, Bad("ErrorInvalidRequest", "Your request can't be completed. The attachment needs a name.")
	case len(a.Content) > MaxInlineAttachment:
		return nil, &RequestError{Status: http.StatusRequestEntityTooLarge, Code: "ErrorRequestEntityTooLarge",
			Message: "The maximum request length supported is 4MB."}
	}
	if a.ODataType == "#microsoft.graph.fileAttachment" && a.ContentType == "" {
		a.ContentType = http.DetectContentType(a.Content)
		if i := strings.IndexByte(a.ContentType, ';'); i >= 0 {
			a.ContentType = a.ContentType[:i]
		}
	}
	return a, nil
}
