// Package personalinput reads what clients write to a user's personal
// Outlook data other than mail and calendar (To Do tasks with their
// checklist items and linked resources, mailbox settings, and the
// property checks master categories share) the way Graph does: each
// property is checked against its Graph type, enums are matched without
// regard to case and kept in Graph's spelling, and values are normalised
// to the form Graph answers them in. Refusals carry Graph's texts; the
// server decides how to answer them.
package personalinput

import (
	"crypto/rand"
	"encoding/base64"
	"maps"
	"net/http"
	"strings"
	"time"

	"github.com/go-o365/o365/graphtest/internal/odata"
	"github.com/go-o365/o365/internal/tz"
)

// ---- Graph's wording ----

// ETag is a fresh weak etag as Outlook writes them.
func ETag() string {
	b := make([]byte, 16)
	rand.Read(b)
	return `W/"` + base64.StdEncoding.EncodeToString(b) + `"`
}

// Stamp is a DateTimeOffset as Outlook writes them: UTC, seven digits.
func Stamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.0000000Z")
}

// NotFound is Graph's refusal of an enum value it does not know.
func NotFound(v string) string { return "Requested value '" + v + "' was not found." }

// Enum finds v among values without regard to case, as Graph reads
// enums, and returns Graph's spelling.
func Enum(v any, values ...string) (string, bool) {
	s, ok := v.(string)
	if !ok {
		return "", false
	}
	for _, want := range values {
		if strings.EqualFold(s, want) {
			return want, true
		}
	}
	return s, false
}

// CloneJSON copies a decoded JSON value deeply, so a copy taken under a
// lock can be changed or encoded after it is released.
func CloneJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = CloneJSON(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = CloneJSON(e)
		}
		return out
	}
	return v
}

// ---- To Do ----

// SplitSubs takes the sub-resources a new task may carry out of body.
func SplitSubs(body map[string]any) (map[string][]map[string]any, map[string]any) {
	subs := map[string][]map[string]any{}
	rest := maps.Clone(body)
	for _, k := range []string{"checklistItems", "linkedResources"} {
		v, ok := rest[k]
		if !ok {
			continue
		}
		delete(rest, k)
		arr, _ := v.([]any)
		for _, e := range arr {
			if m, ok := e.(map[string]any); ok {
				subs[k] = append(subs[k], m)
			}
		}
	}
	return subs, rest
}

// TaskValues checks body against todoTask and returns the writable
// values it sets, normalised; a refusal comes back as status, code and
// message.
func TaskValues(body map[string]any) (values map[string]any, status int, code, msg string) {
	values = map[string]any{}
	bad := func(m string) (map[string]any, int, string, string) {
		return nil, http.StatusBadRequest, "RequestBodyRead", m
	}
	for k, v := range body {
		switch k {
		case "id", "@odata.etag", "@odata.type", "@odata.context", "createdDateTime", "lastModifiedDateTime",
			"bodyLastModifiedDateTime", "hasAttachments":
		case "title":
			s, ok := v.(string)
			if !ok && v != nil {
				return bad(odata.WrongType(k, "Edm.String"))
			}
			values[k] = s
		case "isReminderOn":
			b, ok := v.(bool)
			if !ok {
				return bad(odata.WrongType(k, "Edm.Boolean"))
			}
			values[k] = b
		case "importance":
			s, ok := Enum(v, "low", "normal", "high")
			if !ok {
				return bad(NotFound(s))
			}
			values[k] = s
		case "status":
			s, ok := Enum(v, "notStarted", "inProgress", "completed", "waitingOnOthers", "deferred")
			if !ok {
				return bad(NotFound(s))
			}
			values[k] = s
		case "categories":
			arr, ok := v.([]any)
			if !ok && v != nil {
				return bad(odata.WrongType(k, "Collection(Edm.String)"))
			}
			out := []any{}
			for _, e := range arr {
				if _, ok := e.(string); !ok {
					return bad(odata.WrongType(k, "Collection(Edm.String)"))
				}
				out = append(out, e)
			}
			values[k] = out
		case "body":
			m, ok := v.(map[string]any)
			if !ok {
				return bad(odata.WrongType(k, "microsoft.graph.itemBody"))
			}
			content, _ := m["content"].(string)
			ct := "text"
			if raw, present := m["contentType"]; present {
				if ct, ok = Enum(raw, "text", "html"); !ok {
					return bad(NotFound(ct))
				}
			}
			values[k] = map[string]any{"content": content, "contentType": ct}
		case "dueDateTime", "startDateTime", "reminderDateTime", "completedDateTime":
			if v == nil {
				values[k] = nil
				continue
			}
			norm, st, c, m := normaliseDateTimeTimeZone(k, v)
			if m != "" {
				return nil, st, c, m
			}
			values[k] = norm
		case "recurrence":
			if v == nil {
				values[k] = nil
				continue
			}
			m, ok := v.(map[string]any)
			if !ok {
				return bad(odata.WrongType(k, "microsoft.graph.patternedRecurrence"))
			}
			if _, ok := m["pattern"].(map[string]any); !ok {
				return nil, http.StatusBadRequest, "invalidRequest", "The recurrence pattern is missing."
			}
			if _, ok := m["range"].(map[string]any); !ok {
				return nil, http.StatusBadRequest, "invalidRequest", "The recurrence range is missing."
			}
			values[k] = m
		default:
			return bad(odata.UnknownProperty(k, "microsoft.graph.todoTask"))
		}
	}
	return values, 0, "", ""
}

// normaliseDateTimeTimeZone checks a dateTimeTimeZone and converts it to
// UTC, as To Do answers its times.
func normaliseDateTimeTimeZone(name string, v any) (map[string]any, int, string, string) {
	m, ok := v.(map[string]any)
	dt, ok1 := m["dateTime"].(string)
	zone, ok2 := m["timeZone"].(string)
	if !ok || !ok1 || !ok2 {
		return nil, http.StatusBadRequest, "RequestBodyRead", odata.WrongType(name, "microsoft.graph.dateTimeTimeZone")
	}
	loc, err := tz.Load(zone)
	if err != nil {
		return nil, http.StatusBadRequest, "InvalidTimeZone", "A valid TimeZone value must be specified. The following TimeZone value is not supported: '" + zone + "'."
	}
	t, err := time.ParseInLocation("2006-01-02T15:04:05.9999999", dt, loc)
	if err != nil {
		return nil, http.StatusBadRequest, "RequestBodyRead", "Cannot convert the literal '" + dt + "' to the expected type 'Edm.DateTime'."
	}
	return map[string]any{"dateTime": t.UTC().Format("2006-01-02T15:04:05.0000000"), "timeZone": "UTC"}, 0, "", ""
}

// ApplyTaskValues writes values into a task's properties, with the
// effects Graph gives them.
func ApplyTaskValues(p map[string]any, values map[string]any, now time.Time) {
	for k, v := range values {
		if v == nil {
			delete(p, k)
			continue
		}
		p[k] = v
	}
	if _, ok := values["body"]; ok {
		p["bodyLastModifiedDateTime"] = Stamp(now)
	}
	if st, ok := values["status"]; ok {
		if st == "completed" {
			if _, set := values["completedDateTime"]; !set || p["completedDateTime"] == nil {
				p["completedDateTime"] = map[string]any{"dateTime": now.UTC().Format("2006-01-02T15:04:05.0000000"), "timeZone": "UTC"}
			}
		} else {
			delete(p, "completedDateTime")
		}
	}
	p["lastModifiedDateTime"] = Stamp(now)
	p["@odata.etag"] = ETag()
}

// ChecklistItem checks body against checklistItem and merges it into
// into, the item as it stands, or into a new item with id when into is
// nil; a non-empty string is Graph's refusal. Checking an item sets or
// clears checkedDateTime, as To Do does.
func ChecklistItem(body, into map[string]any, id string, now time.Time) (map[string]any, string) {
	out := maps.Clone(into)
	if out == nil {
		out = map[string]any{"id": id, "displayName": "", "isChecked": false, "createdDateTime": Stamp(now)}
	}
	for k, v := range body {
		switch k {
		case "id", "@odata.type", "@odata.context":
		case "displayName":
			s, ok := v.(string)
			if !ok {
				return nil, odata.WrongType(k, "Edm.String")
			}
			out[k] = s
		case "isChecked":
			b, ok := v.(bool)
			if !ok {
				return nil, odata.WrongType(k, "Edm.Boolean")
			}
			if b && out["isChecked"] != true {
				out["checkedDateTime"] = Stamp(now)
			} else if !b {
				delete(out, "checkedDateTime")
			}
			out[k] = b
		case "createdDateTime", "checkedDateTime":
			s, ok := v.(string)
			if _, err := time.Parse(time.RFC3339Nano, s); !ok || err != nil {
				return nil, odata.WrongType(k, "Edm.DateTimeOffset")
			}
			out[k] = s
		default:
			return nil, odata.UnknownProperty(k, "microsoft.graph.checklistItem")
		}
	}
	if out["displayName"] == "" {
		return nil, "The displayName of a checklist item is required."
	}
	return out, ""
}

// LinkedResource checks body against linkedResource and merges it into
// into, or into a new resource with id when into is nil; a non-empty
// string is Graph's refusal. A null clears a property.
func LinkedResource(body, into map[string]any, id string) (map[string]any, string) {
	out := maps.Clone(into)
	if out == nil {
		out = map[string]any{"id": id}
	}
	for k, v := range body {
		switch k {
		case "id", "@odata.type", "@odata.context":
		case "webUrl", "applicationName", "displayName", "externalId":
			s, ok := v.(string)
			if !ok && v != nil {
				return nil, odata.WrongType(k, "Edm.String")
			}
			if v == nil {
				delete(out, k)
			} else {
				out[k] = s
			}
		default:
			return nil, odata.UnknownProperty(k, "microsoft.graph.linkedResource")
		}
	}
	return out, ""
}

// ---- mailbox settings ----

// DefaultSettings are a new mailbox's settings, as Graph shows them before
// anyone sets them; archive is the id of the mailbox's Archive folder.
func DefaultSettings(archive string, now time.Time) map[string]any {
	start := now.UTC().Truncate(time.Hour).Add(time.Hour)
	return map[string]any{
		"archiveFolder": archive,
		"timeZone":      "UTC",
		"automaticRepliesSetting": map[string]any{
			"status": "disabled", "externalAudience": "all",
			"scheduledStartDateTime": map[string]any{"dateTime": start.Format("2006-01-02T15:04:05.0000000"), "timeZone": "UTC"},
			"scheduledEndDateTime":   map[string]any{"dateTime": start.Add(24 * time.Hour).Format("2006-01-02T15:04:05.0000000"), "timeZone": "UTC"},
			"internalReplyMessage":   "", "externalReplyMessage": "",
		},
		"dateFormat": "M/d/yyyy", "timeFormat": "h:mm tt",
		"language": map[string]any{"locale": "en-US", "displayName": "English (United States)"},
		"workingHours": map[string]any{
			"daysOfWeek": []any{"monday", "tuesday", "wednesday", "thursday", "friday"},
			"startTime":  "08:00:00.0000000", "endTime": "17:00:00.0000000",
			"timeZone": map[string]any{"name": "Pacific Standard Time"},
		},
		// An enum string in v1.0 (its schema and the resource page);
		// the get page's example still shows beta's {"value": …}.
		"userPurpose":                           "user",
		"delegateMeetingMessageDeliveryOptions": "sendToDelegateOnly",
	}
}

// localeNames are the display names of the locales the emulator knows;
// another locale shows its tag as its name.
var localeNames = map[string]string{
	"en-us": "English (United States)", "en-gb": "English (United Kingdom)", "de-de": "German (Germany)",
	"fr-fr": "French (France)", "es-es": "Spanish (Spain)", "it-it": "Italian (Italy)",
	"nl-nl": "Dutch (Netherlands)", "ja-jp": "Japanese (Japan)", "pt-br": "Portuguese (Brazil)",
}

// SettingsError is a refused mailbox settings PATCH, answered with status
// 400: unlike other bodies, the settings have several codes of their own
// (InvalidTimeZone, ErrorInvalidTimeSettings, …) besides RequestBodyRead.
type SettingsError struct{ Code, Message string }

func readErr(msg string) *SettingsError { return &SettingsError{"RequestBodyRead", msg} }

// ApplySetting merges one PATCH member into st.
func ApplySetting(st map[string]any, k string, v any) *SettingsError {
	switch k {
	case "@odata.context", "userPurpose":
		return nil
	case "archiveFolder", "dateFormat", "timeFormat":
		s, ok := v.(string)
		if !ok {
			return readErr(odata.WrongType(k, "Edm.String"))
		}
		st[k] = s
	case "timeZone":
		s, ok := v.(string)
		if !ok {
			return readErr(odata.WrongType(k, "Edm.String"))
		}
		if _, err := tz.Load(s); err != nil {
			return &SettingsError{"InvalidTimeZone", "Time Zone settings provided are invalid."}
		}
		st[k] = s
	case "delegateMeetingMessageDeliveryOptions":
		s, ok := Enum(v, "sendToDelegateAndInformationToPrincipal", "sendToDelegateAndPrincipal", "sendToDelegateOnly")
		if !ok {
			return readErr(NotFound(s))
		}
		st[k] = s
	case "language":
		m, ok := v.(map[string]any)
		if !ok {
			return readErr(odata.WrongType(k, "microsoft.graph.localeInfo"))
		}
		for lk, lv := range m {
			switch lk {
			case "locale":
				loc, ok := lv.(string)
				if !ok || loc == "" {
					return readErr(odata.WrongType("locale", "Edm.String"))
				}
				name := localeNames[strings.ToLower(loc)]
				if name == "" {
					name = loc
				}
				st[k] = map[string]any{"locale": loc, "displayName": name}
			case "displayName", "@odata.type":
			default:
				return readErr(odata.UnknownProperty(lk, "microsoft.graph.localeInfo"))
			}
		}
	case "workingHours":
		m, ok := v.(map[string]any)
		if !ok {
			return readErr(odata.WrongType(k, "microsoft.graph.workingHours"))
		}
		cur, _ := st[k].(map[string]any)
		next := maps.Clone(cur)
		for wk, wv := range m {
			if bad := applyWorkingHours(next, wk, wv); bad != nil {
				return bad
			}
		}
		start, _ := time.Parse("15:04:05.9999999", next["startTime"].(string))
		end, _ := time.Parse("15:04:05.9999999", next["endTime"].(string))
		if !start.Before(end) {
			return &SettingsError{"ErrorInvalidTimeSettings", "Start Time should occur before End Time."}
		}
		st[k] = next
	case "automaticRepliesSetting":
		m, ok := v.(map[string]any)
		if !ok {
			return readErr(odata.WrongType(k, "microsoft.graph.automaticRepliesSetting"))
		}
		cur, _ := st[k].(map[string]any)
		next := maps.Clone(cur)
		for ak, av := range m {
			switch ak {
			case "@odata.type":
			case "status":
				s, ok := Enum(av, "disabled", "alwaysEnabled", "scheduled")
				if !ok {
					return readErr(NotFound(s))
				}
				next[ak] = s
			case "externalAudience":
				s, ok := Enum(av, "none", "contactsOnly", "all")
				if !ok {
					return readErr(NotFound(s))
				}
				next[ak] = s
			case "internalReplyMessage", "externalReplyMessage":
				s, ok := av.(string)
				if !ok {
					return readErr(odata.WrongType(ak, "Edm.String"))
				}
				next[ak] = s
			case "scheduledStartDateTime", "scheduledEndDateTime":
				dt, bad := settingsDateTime(ak, av)
				if bad != nil {
					return bad
				}
				next[ak] = dt
			default:
				return readErr(odata.UnknownProperty(ak, "microsoft.graph.automaticRepliesSetting"))
			}
		}
		st[k] = next
	default:
		return readErr(odata.UnknownProperty(k, "microsoft.graph.mailboxSettings"))
	}
	return nil
}

func applyWorkingHours(h map[string]any, k string, v any) *SettingsError {
	switch k {
	case "@odata.type":
	case "daysOfWeek":
		arr, ok := v.([]any)
		if !ok {
			return readErr(odata.WrongType(k, "Collection(microsoft.graph.dayOfWeek)"))
		}
		days := []any{}
		for _, d := range arr {
			day, ok := Enum(d, "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
			if !ok {
				return &SettingsError{"InvalidArguments", NotFound(day)}
			}
			days = append(days, day)
		}
		h[k] = days
	case "startTime", "endTime":
		s, ok := v.(string)
		if !ok {
			return readErr(odata.WrongType(k, "Edm.TimeOfDay"))
		}
		t, err := time.Parse("15:04:05.9999999", s)
		if err != nil {
			if t, err = time.Parse("15:04", s); err != nil {
				return readErr("Cannot convert the literal '" + s + "' to the expected type 'Edm.TimeOfDay'.")
			}
		}
		h[k] = t.Format("15:04:05.0000000")
	case "timeZone":
		m, ok := v.(map[string]any)
		if !ok {
			return readErr(odata.WrongType(k, "microsoft.graph.timeZoneBase"))
		}
		name, _ := m["name"].(string)
		custom, _ := m["@odata.type"].(string)
		if !strings.EqualFold(custom, "#microsoft.graph.customTimeZone") {
			if _, err := tz.Load(name); err != nil {
				return &SettingsError{"InvalidTimeZone", "Time Zone settings provided are invalid."}
			}
			h[k] = map[string]any{"name": name}
			return nil
		}
		if _, ok := m["bias"].(float64); !ok {
			return &SettingsError{"InvalidTimeZone", "Time Zone settings provided are invalid."}
		}
		out := CloneJSON(m).(map[string]any)
		for _, off := range []string{"standardOffset", "daylightOffset"} {
			o, ok := out[off].(map[string]any)
			if !ok {
				continue
			}
			if d, ok := o["dayOfWeek"]; ok {
				day, ok := Enum(d, "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
				if !ok {
					return &SettingsError{"InvalidArguments", NotFound(day)}
				}
				o["dayOfWeek"] = day
			}
		}
		h[k] = out
	default:
		return readErr(odata.UnknownProperty(k, "microsoft.graph.workingHours"))
	}
	return nil
}

// settingsDateTime checks a dateTimeTimeZone of the automatic replies
// setting; it keeps the zone it was given.
func settingsDateTime(name string, v any) (map[string]any, *SettingsError) {
	m, ok := v.(map[string]any)
	dt, ok1 := m["dateTime"].(string)
	zone, ok2 := m["timeZone"].(string)
	if !ok || !ok1 || !ok2 {
		return nil, readErr(odata.WrongType(name, "microsoft.graph.dateTimeTimeZone"))
	}
	loc, err := tz.Load(zone)
	if err != nil {
		return nil, &SettingsError{"InvalidTimeZone", "Time Zone settings provided are invalid."}
	}
	t, err := time.ParseInLocation("2006-01-02T15:04:05.9999999", dt, loc)
	if err != nil {
		return nil, readErr("Cannot convert the literal '" + dt + "' to the expected type 'Edm.DateTime'.")
	}
	return map[string]any{"dateTime": t.Format("2006-01-02T15:04:05.0000000"), "timeZone": zone}, nil
}

// CheckSchedule refuses a scheduled reply whose end is not after its start.
func CheckSchedule(ar map[string]any) *SettingsError {
	if ar["status"] != "scheduled" {
		return nil
	}
	start, ok1 := settingsInstant(ar["scheduledStartDateTime"])
	end, ok2 := settingsInstant(ar["scheduledEndDateTime"])
	if !ok1 || !ok2 || !end.After(start) {
		return &SettingsError{"ErrorInvalidScheduledOofDuration", "The scheduled end time of automatic replies must be after their start time."}
	}
	return nil
}

func settingsInstant(v any) (time.Time, bool) {
	m, _ := v.(map[string]any)
	dt, _ := m["dateTime"].(string)
	zone, _ := m["timeZone"].(string)
	loc, err := tz.Load(zone)
	if err != nil {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation("2006-01-02T15:04:05.9999999", dt, loc)
	return t, err == nil
}
