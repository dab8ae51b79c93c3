package graphtest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-o365/o365/graphtest"
)

// calendarSend sends method path with a JSON body and token, and decodes
// the answer (nil for an empty one).
func calendarSend(t *testing.T, srv *graphtest.Server, token, method, path string, body any) graphResponse {
	t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, srv.GraphURL()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return graphResponse{resp, out}
}

func calendarToken(t *testing.T, srv *graphtest.Server, upn string, scopes ...string) string {
	t.Helper()
	if len(scopes) == 0 {
		scopes = []string{"Calendars.ReadWrite"}
	}
	tok, err := srv.UserToken(upn, scopes...)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func dtz(s string) map[string]any { return map[string]any{"dateTime": s, "timeZone": "UTC"} }

func TestCalendarViewNeedsAWindow(t *testing.T) {
	f := newFixture(t)
	tok := calendarToken(t, f.srv, alexUPN)
	r := get(t, f.srv, tok, "/v1.0/me/calendarView")
	if r.StatusCode != 400 || r.errorCode() != "ErrorInvalidParameter" || !strings.Contains(r.errorMessage(), "StartDateTime and EndDateTime") {
		t.Fatalf("no window: %d %s %s", r.StatusCode, r.errorCode(), r.errorMessage())
	}
	r = get(t, f.srv, tok, "/v1.0/me/calendarView?startDateTime=soon&endDateTime=2025-01-01T00:00:00Z")
	if r.StatusCode != 400 || !strings.Contains(r.errorMessage(), "'soon'") {
		t.Fatalf("bad bound: %d %s", r.StatusCode, r.errorMessage())
	}
	// Graph's own examples write the names in lower case.
	r = get(t, f.srv, tok, "/v1.0/me/calendarView?startdatetime=2025-01-01T00:00:00&enddatetime=2025-01-02T00:00:00")
	if r.StatusCode != 200 {
		t.Fatalf("lower-case names: %d %s", r.StatusCode, r.errorMessage())
	}
}

func TestCalendarPagesLikeOutlook(t *testing.T) {
	f := newFixture(t)
	for i := range 25 {
		start := time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)
		if _, err := f.srv.AddEvent(alexUPN, "", map[string]any{"subject": fmt.Sprint(i),
			"start": dtz(start.Format("2006-01-02T15:04:05")), "end": dtz(start.Add(30 * time.Minute).Format("2006-01-02T15:04:05"))}); err != nil {
			t.Fatal(err)
		}
	}
	tok := calendarToken(t, f.srv, alexUPN)
	path := "/v1.0/me/calendarView?startDateTime=2025-01-01T00:00:00Z&endDateTime=2025-01-03T00:00:00Z"
	seen := 0
	for next := path; next != ""; {
		r := get(t, f.srv, tok, next)
		if r.StatusCode != 200 {
			t.Fatalf("%d %s", r.StatusCode, r.errorMessage())
		}
		page, _ := r.body["value"].([]any)
		if len(page) > 10 {
			t.Fatalf("a page of %d, Outlook pages by 10", len(page))
		}
		for _, v := range page {
			if got := v.(map[string]any)["subject"]; got != fmt.Sprint(seen) {
				t.Fatalf("item %d is %v: not in start order", seen, got)
			}
			seen++
		}
		next, _ = r.body["@odata.nextLink"].(string)
	}
	if seen != 25 {
		t.Fatalf("saw %d events", seen)
	}
	if r := get(t, f.srv, tok, path+"&$top=1001"); r.StatusCode != 400 {
		t.Fatalf("$top=1001: %d", r.StatusCode)
	}
}

func TestCalendarAccess(t *testing.T) {
	f := newFixture(t)
	if _, err := f.srv.AddEvent(alexUPN, "", map[string]any{"subject": "x", "start": dtz("2025-01-01T10:00:00"), "end": dtz("2025-01-01T11:00:00")}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, token, path string
		status            int
		code              string
	}{
		{"no calendar scope", calendarToken(t, f.srv, alexUPN, "User.Read"), "/v1.0/me/events", 403, "ErrorAccessDenied"},
		{"someone else's, not shared", calendarToken(t, f.srv, f.adele.UserPrincipalName, "Calendars.Read.Shared"), "/v1.0/users/" + alexUPN + "/events", 403, "ErrorAccessDenied"},
		{"no such user", calendarToken(t, f.srv, alexUPN), "/v1.0/users/nobody@contoso.com/events", 404, "ErrorInvalidUser"},
		{"no such event", calendarToken(t, f.srv, alexUPN), "/v1.0/me/events/AAMkAnone=", 404, "ErrorItemNotFound"},
		{"no such occurrence", calendarToken(t, f.srv, alexUPN), "/v1.0/me/events/AAMkAnone=.20250101", 404, "ErrorItemNotFound"},
	} {
		r := get(t, f.srv, c.token, c.path)
		if r.StatusCode != c.status || r.errorCode() != c.code {
			t.Errorf("%s: %d %s, want %d %s", c.name, r.StatusCode, r.errorCode(), c.status, c.code)
		}
	}
	app, err := f.srv.AppToken(daemonID)
	if err != nil {
		t.Fatal(err)
	}
	if r := get(t, f.srv, app, "/v1.0/me/events"); r.StatusCode != 400 {
		t.Errorf("app-only /me: %d", r.StatusCode)
	}
	r := get(t, f.srv, app, "/v1.0/users/"+alexUPN+"/events")
	if list, _ := r.body["value"].([]any); r.StatusCode != 200 || len(list) != 1 {
		t.Errorf("app-only: %d %v", r.StatusCode, r.body)
	}
	if err := f.srv.ShareCalendar(alexUPN, f.adele.UserPrincipalName, false); err != nil {
		t.Fatal(err)
	}
	reader := calendarToken(t, f.srv, f.adele.UserPrincipalName, "Calendars.Read.Shared")
	if r := get(t, f.srv, reader, "/v1.0/users/"+alexUPN+"/events"); r.StatusCode != 200 {
		t.Errorf("shared: %d", r.StatusCode)
	}
	if r := calendarSend(t, f.srv, reader, "POST", "/v1.0/users/"+alexUPN+"/events", map[string]any{}); r.StatusCode != 403 {
		t.Errorf("write to a read-only share: %d", r.StatusCode)
	}
}

func TestPreferredZone(t *testing.T) {
	f := newFixture(t)
	id, err := f.srv.AddEvent(alexUPN, "", map[string]any{"subject": "x",
		"start": map[string]any{"dateTime": "2025-07-01T10:00:00", "timeZone": "Tokyo Standard Time"},
		"end":   map[string]any{"dateTime": "2025-07-01T11:00:00", "timeZone": "Tokyo Standard Time"}})
	if err != nil {
		t.Fatal(err)
	}
	tok := calendarToken(t, f.srv, alexUPN)
	for _, c := range []struct{ prefer, applied, dateTime, zone string }{
		{"", "", "2025-07-01T01:00:00.0000000", "UTC"},
		{`outlook.timezone="Pacific Standard Time"`, `outlook.timezone="Pacific Standard Time"`, "2025-06-30T18:00:00.0000000", "Pacific Standard Time"},
		{`odata.maxpagesize=5, outlook.timezone="Europe/Paris"`, `outlook.timezone="Europe/Paris"`, "2025-07-01T03:00:00.0000000", "Europe/Paris"},
		{`outlook.timezone="Atlantis"`, "", "2025-07-01T01:00:00.0000000", "UTC"},
	} {
		r := get(t, f.srv, tok, "/v1.0/me/events/"+id, "Prefer", c.prefer)
		start, _ := r.body["start"].(map[string]any)
		if start["dateTime"] != c.dateTime || start["timeZone"] != c.zone || r.Header.Get("Preference-Applied") != c.applied {
			t.Errorf("Prefer %q: start %v, Preference-Applied %q", c.prefer, start, r.Header.Get("Preference-Applied"))
		}
		if r.body["originalStartTimeZone"] != "Tokyo Standard Time" {
			t.Errorf("originalStartTimeZone %v", r.body["originalStartTimeZone"])
		}
	}
}

func TestCalendarHelpersRefuseBadInput(t *testing.T) {
	f := newFixture(t)
	if _, err := f.srv.AddEvent("nobody@contoso.com", "", map[string]any{}); err == nil {
		t.Error("AddEvent for an unknown user")
	}
	if _, err := f.srv.AddEvent(alexUPN, "no-such-calendar", map[string]any{"start": dtz("2025-01-01T10:00:00"), "end": dtz("2025-01-01T11:00:00")}); err == nil {
		t.Error("AddEvent into an unknown calendar")
	}
	if err := f.srv.SetWorkingHours(alexUPN, graphtest.WorkingHours{Start: 17 * time.Hour, End: 8 * time.Hour}); err == nil {
		t.Error("working hours ending before they start")
	}
	if err := f.srv.ShareCalendar(alexUPN, "nobody@contoso.com", true); err == nil {
		t.Error("sharing with an unknown user")
	}
}

// Meetings touch several users' calendars at once; the store must stay
// consistent (and race-free) under concurrent organizers and attendees.
func TestConcurrentMeetings(t *testing.T) {
	f := newFixture(t)
	adele := f.adele.UserPrincipalName
	organizer := calendarToken(t, f.srv, adele)
	attendee := calendarToken(t, f.srv, alexUPN)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			start := time.Date(2025, 2, 3+i, 9, 0, 0, 0, time.UTC)
			r := calendarSend(t, f.srv, organizer, "POST", "/v1.0/me/events", map[string]any{
				"subject": fmt.Sprint("meeting ", i), "start": dtz(start.Format("2006-01-02T15:04:05")),
				"end":       dtz(start.Add(time.Hour).Format("2006-01-02T15:04:05")),
				"attendees": []any{map[string]any{"emailAddress": map[string]any{"address": alexUPN}}},
			})
			if r.StatusCode != 201 {
				t.Errorf("create: %d %s", r.StatusCode, r.errorMessage())
			}
		}()
		go func() {
			defer wg.Done()
			r := get(t, f.srv, attendee, "/v1.0/me/events")
			list, _ := r.body["value"].([]any)
			for _, v := range list {
				id := v.(map[string]any)["id"].(string)
				calendarSend(t, f.srv, attendee, "POST", "/v1.0/me/events/"+id+"/accept", map[string]any{"sendResponse": true})
			}
			get(t, f.srv, attendee, "/v1.0/me/calendarView?startDateTime=2025-02-01T00:00:00Z&endDateTime=2025-03-01T00:00:00Z")
		}()
	}
	wg.Wait()
	r := get(t, f.srv, attendee, "/v1.0/me/events?$top=100")
	if list, _ := r.body["value"].([]any); len(list) != 8 {
		t.Fatalf("Alex has %d invitations, want 8", len(list))
	}
}
