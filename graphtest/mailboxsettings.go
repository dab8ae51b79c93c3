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

	"github.com/go-o365/o365/graphtest/internal/personalinput"
)

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
		st = personalinput.DefaultSettings(archive(), now)
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
	return personalinput.CloneJSON(st).(map[string]any)
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

func (s *Server) updateMailboxSettings(w http.ResponseWriter, r *http.Request) {
	req, ok := s.personalTarget(w, r, true, settingsScopes)
	if !ok {
		return
	}
	body, ok := readJSONObject(w, r, maxTodoRequest)
	if !ok {
		return
	}
	var bad *personalinput.SettingsError
	var named []string
	out := s.settingsSnapshot(req.owner, req.now, func(st map[string]any) {
		next := personalinput.CloneJSON(st).(map[string]any)
		for k, v := range body {
			if bad = personalinput.ApplySetting(next, k, v); bad != nil {
				return
			}
			if k != "@odata.context" && k != "userPurpose" {
				named = append(named, k)
			}
		}
		if ar, ok := next["automaticRepliesSetting"].(map[string]any); ok {
			bad = personalinput.CheckSchedule(ar)
		}
		if bad == nil {
			maps.Copy(st, next)
		}
	})
	if bad != nil {
		writeGraphError(w, http.StatusBadRequest, bad.Code, bad.Message)
		return
	}
	answer := map[string]any{"@odata.context": s.metadataURL(userContext(req.owner, "/mailboxSettings"), nil)}
	for _, k := range named {
		answer[k] = out[k]
	}
	writeGraphJSON(w, http.StatusOK, answer)
}
