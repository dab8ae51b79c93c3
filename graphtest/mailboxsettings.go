package graphtest

// Mailbox settings at /v1.0/me/mailboxSettings and
// /v1.0/users/{id}/mailboxSettings, and each setting on its own at
// /mailboxSettings/{name} (automaticRepliesSetting, workingHours,
// timeZone, …).
//
// Rules the emulator follows, as Graph does:
//
//   - A mailbox starts with automatic replies disabled (audience all,
//     empty messages, a schedule of the next day), time zone UTC,
//     language en-US, Outlook's US date and time formats, working hours
//     Monday to Friday 08:00-17:00 Pacific Standard Time, its Archive
//     folder as archiveFolder, userPurpose user and
//     delegateMeetingMessageDeliveryOptions sendToDelegateOnly.
//   - PATCH merges: a setting's members not named keep their values, and
//     the answer holds the settings the request named, whole. Enums are
//     read without regard to case and answered in Graph's spelling;
//     userPurpose is read-only and language.displayName follows the
//     locale.
//   - Refusals, from the update page: an unknown property or a wrongly
//     typed value is 400 RequestBodyRead; a malformed startTime or endTime
//     is RequestBodyRead ("Cannot convert the literal …"); a start not
//     before the end is ErrorInvalidTimeSettings; an unknown day is
//     InvalidArguments; an unknown zone is InvalidTimeZone. A scheduled
//     automatic reply whose end is not after its start is 400
//     ErrorInvalidScheduledOofDuration.
//   - GET of one string setting answers {"value": …}; of an object
//     setting, the object.

import (
	"maps"
	"net/http"
	"strings"
	"time"

	"github.com/go-o365/o365/internal/tz"
)

// localeNames are the display names of the locales the emulator knows;
// another locale shows its tag as its name.
var localeNames = map[string]string{
	"en-us": "English (United States)", "en-gb": "English (United Kingdom)", "de-de": "German (Germany)",
	"fr-fr": "French (France)", "es-es": "Spanish (Spain)", "it-it": "Italian (Italy)",
	"nl-nl": "Dutch (Netherlands)", "ja-jp": "Japanese (Japan)", "pt-br": "Portuguese (Brazil)",
}

func (s *Server) mailboxSettingsRoutes() []route {
	var rs []route
	for _, p := range []string{"/v1.0/me/mailboxSettings", "/v1.0/users/{uid}/mailboxSettings"} {
		rs = append(rs,
			route{"GET " + p, s.getMailboxSettings},
			route{"PATCH " + p, s.updateMailboxSettings},
			route{"GET " + p + "/{setting}", s.getMailboxSettings})
	}
	return rs
}

// settingsOf returns user's settings, made on first use; d.mu is held.
// archive is the id of the user's Archive folder.
func (d *personalData) settingsOf(user string, now time.Time, archive func() string) map[string]any {
	st := d.settings[user]
	if st == nil {
		start := now.UTC().Truncate(time.Hour).Add(time.Hour)
		st = map[string]any{
			"archiveFolder": archive(),
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
		d.settings[user] = st
	}
	return st
}

// archiveFolderOf is the id of owner's Archive mail folder.
func (s *Server) archiveFolderOf(owner string) string {
	s.mu.Lock()
	u := s.userLocked(owner)
	s.mu.Unlock()
	if u == nil {
		return ""
	}
	s.mail.mu.Lock()
	defer s.mail.mu.Unlock()
	return s.mail.box(mailUserOf(u)).wellKnown["archive"]
}

// settingsSnapshot returns a deep enough copy of owner's settings to
// encode outside the lock.
func (s *Server) settingsSnapshot(owner string, now time.Time, fn func(st map[string]any)) map[string]any {
	archive := s.archiveFolderOf(owner)
	d := s.personalData()
	d.mu.Lock()
	defer d.mu.Unlock()
	st := d.settingsOf(owner, now, func() string { return archive })
	if fn != nil {
		fn(st)
	}
	return cloneJSON(st).(map[string]any)
}

// cloneJSON copies a decoded JSON value.
func cloneJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = cloneJSON(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = cloneJSON(e)
		}
		return out
	}
	return v
}

func (s *Server) getMailboxSettings(w http.ResponseWriter, r *http.Request) {
	req, ok := s.personalTarget(w, r, false, settingsScopes)
	if !ok {
		return
	}
	st := s.settingsSnapshot(req.owner, req.now, nil)
	ctx := s.metadataURL(userContext(req.owner, "/mailboxSettings"), nil)
	name := r.PathValue("setting")
	if name == "" {
		st["@odata.context"] = ctx
		writeGraphJSON(w, http.StatusOK, st)
		return
	}
	for k, v := range st {
		if !strings.EqualFold(k, name) {
			continue
		}
		out, isObject := v.(map[string]any)
		if !isObject {
			out = map[string]any{"value": v}
		}
		out["@odata.context"] = ctx + "/" + k
		writeGraphJSON(w, http.StatusOK, out)
		return
	}
	writeGraphError(w, http.StatusBadRequest, "BadRequest", "Resource not found for the segment '"+name+"'.")
}

// settingsError is a refused PATCH: status 400 with code and message.
type settingsError struct{ code, msg string }

func (s *Server) updateMailboxSettings(w http.ResponseWriter, r *http.Request) {
	req, ok := s.personalTarget(w, r, true, settingsScopes)
	if !ok {
		return
	}
	body, ok := readJSONObject(w, r, maxTodoRequest)
	if !ok {
		return
	}
	var bad *settingsError
	var named []string
	out := s.settingsSnapshot(req.owner, req.now, func(st map[string]any) {
		next := cloneJSON(st).(map[string]any)
		for k, v := range body {
			if bad = applySetting(next, k, v); bad != nil {
				return
			}
			if k != "@odata.context" && k != "userPurpose" {
				named = append(named, k)
			}
		}
		if ar, ok := next["automaticRepliesSetting"].(map[string]any); ok {
			bad = checkSchedule(ar)
		}
		if bad == nil {
			maps.Copy(st, next)
		}
	})
	if bad != nil {
		writeGraphError(w, http.StatusBadRequest, bad.code, bad.msg)
		return
	}
	answer := map[string]any{"@odata.context": s.metadataURL(userContext(req.owner, "/mailboxSettings"), nil)}
	for _, k := range named {
		answer[k] = out[k]
	}
	writeGraphJSON(w, http.StatusOK, answer)
}

func readErr(msg string) *settingsError { return &settingsError{"RequestBodyRead", msg} }

// applySetting merges one PATCH member into st.
func applySetting(st map[string]any, k string, v any) *settingsError {
	switch k {
	case "@odata.context", "userPurpose":
		return nil
	case "archiveFolder", "dateFormat", "timeFormat":
		s, ok := v.(string)
		if !ok {
			return readErr(wrongType(k, "Edm.String"))
		}
		st[k] = s
	case "timeZone":
		s, ok := v.(string)
		if !ok {
			return readErr(wrongType(k, "Edm.String"))
		}
		if _, err := tz.Load(s); err != nil {
			return &settingsError{"InvalidTimeZone", "Time Zone settings provided are invalid."}
		}
		st[k] = s
	case "delegateMeetingMessageDeliveryOptions":
		s, ok := graphEnum(v, "sendToDelegateAndInformationToPrincipal", "sendToDelegateAndPrincipal", "sendToDelegateOnly")
		if !ok {
			return readErr(notFoundValue(s))
		}
		st[k] = s
	case "language":
		m, ok := v.(map[string]any)
		if !ok {
			return readErr(wrongType(k, "microsoft.graph.localeInfo"))
		}
		for lk, lv := range m {
			switch lk {
			case "locale":
				loc, ok := lv.(string)
				if !ok || loc == "" {
					return readErr(wrongType("locale", "Edm.String"))
				}
				name := localeNames[strings.ToLower(loc)]
				if name == "" {
					name = loc
				}
				st[k] = map[string]any{"locale": loc, "displayName": name}
			case "displayName", "@odata.type":
			default:
				return readErr(unknownProperty(lk, "microsoft.graph.localeInfo"))
			}
		}
	case "workingHours":
		m, ok := v.(map[string]any)
		if !ok {
			return readErr(wrongType(k, "microsoft.graph.workingHours"))
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
			return &settingsError{"ErrorInvalidTimeSettings", "Start Time should occur before End Time."}
		}
		st[k] = next
	case "automaticRepliesSetting":
		m, ok := v.(map[string]any)
		if !ok {
			return readErr(wrongType(k, "microsoft.graph.automaticRepliesSetting"))
		}
		cur, _ := st[k].(map[string]any)
		next := maps.Clone(cur)
		for ak, av := range m {
			switch ak {
			case "@odata.type":
			case "status":
				s, ok := graphEnum(av, "disabled", "alwaysEnabled", "scheduled")
				if !ok {
					return readErr(notFoundValue(s))
				}
				next[ak] = s
			case "externalAudience":
				s, ok := graphEnum(av, "none", "contactsOnly", "all")
				if !ok {
					return readErr(notFoundValue(s))
				}
				next[ak] = s
			case "internalReplyMessage", "externalReplyMessage":
				s, ok := av.(string)
				if !ok {
					return readErr(wrongType(ak, "Edm.String"))
				}
				next[ak] = s
			case "scheduledStartDateTime", "scheduledEndDateTime":
				dt, bad := settingsDateTime(ak, av)
				if bad != nil {
					return bad
				}
				next[ak] = dt
			default:
				return readErr(unknownProperty(ak, "microsoft.graph.automaticRepliesSetting"))
			}
		}
		st[k] = next
	default:
		return readErr(unknownProperty(k, "microsoft.graph.mailboxSettings"))
	}
	return nil
}

func applyWorkingHours(h map[string]any, k string, v any) *settingsError {
	switch k {
	case "@odata.type":
	case "daysOfWeek":
		arr, ok := v.([]any)
		if !ok {
			return readErr(wrongType(k, "Collection(microsoft.graph.dayOfWeek)"))
		}
		days := []any{}
		for _, d := range arr {
			day, ok := graphEnum(d, "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
			if !ok {
				return &settingsError{"InvalidArguments", notFoundValue(day)}
			}
			days = append(days, day)
		}
		h[k] = days
	case "startTime", "endTime":
		s, ok := v.(string)
		if !ok {
			return readErr(wrongType(k, "Edm.TimeOfDay"))
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
			return readErr(wrongType(k, "microsoft.graph.timeZoneBase"))
		}
		name, _ := m["name"].(string)
		custom, _ := m["@odata.type"].(string)
		if !strings.EqualFold(custom, "#microsoft.graph.customTimeZone") {
			if _, err := tz.Load(name); err != nil {
				return &settingsError{"InvalidTimeZone", "Time Zone settings provided are invalid."}
			}
			h[k] = map[string]any{"name": name}
			return nil
		}
		if _, ok := m["bias"].(float64); !ok {
			return &settingsError{"InvalidTimeZone", "Time Zone settings provided are invalid."}
		}
		out := cloneJSON(m).(map[string]any)
		for _, off := range []string{"standardOffset", "daylightOffset"} {
			o, ok := out[off].(map[string]any)
			if !ok {
				continue
			}
			if d, ok := o["dayOfWeek"]; ok {
				day, ok := graphEnum(d, "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
				if !ok {
					return &settingsError{"InvalidArguments", notFoundValue(day)}
				}
				o["dayOfWeek"] = day
			}
		}
		h[k] = out
	default:
		return readErr(unknownProperty(k, "microsoft.graph.workingHours"))
	}
	return nil
}

// settingsDateTime checks a dateTimeTimeZone of the automatic replies
// setting; it keeps the zone it was given.
func settingsDateTime(name string, v any) (map[string]any, *settingsError) {
	m, ok := v.(map[string]any)
	dt, ok1 := m["dateTime"].(string)
	zone, ok2 := m["timeZone"].(string)
	if !ok || !ok1 || !ok2 {
		return nil, readErr(wrongType(name, "microsoft.graph.dateTimeTimeZone"))
	}
	loc, err := tz.Load(zone)
	if err != nil {
		return nil, &settingsError{"InvalidTimeZone", "Time Zone settings provided are invalid."}
	}
	t, err := time.ParseInLocation("2006-01-02T15:04:05.9999999", dt, loc)
	if err != nil {
		return nil, readErr("Cannot convert the literal '" + dt + "' to the expected type 'Edm.DateTime'.")
	}
	return map[string]any{"dateTime": t.Format("2006-01-02T15:04:05.0000000"), "timeZone": zone}, nil
}

// checkSchedule refuses a scheduled reply whose end is not after its start.
func checkSchedule(ar map[string]any) *settingsError {
	if ar["status"] != "scheduled" {
		return nil
	}
	start, ok1 := settingsInstant(ar["scheduledStartDateTime"])
	end, ok2 := settingsInstant(ar["scheduledEndDateTime"])
	if !ok1 || !ok2 || !end.After(start) {
		return &settingsError{"ErrorInvalidScheduledOofDuration", "The scheduled end time of automatic replies must be after their start time."}
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
