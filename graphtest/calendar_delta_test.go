package graphtest_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/go-o365/o365/graphtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	deltaAdele = "adele@contoso.com"
	deltaAlex  = "alex@contoso.com"
	deltaMegan = "megan@contoso.com"
)

// deltaServer starts graphtest with three users who have mail addresses,
// and returns a calendar-and-mail token for each, by address.
func deltaServer(t *testing.T) (*graphtest.Server, map[string]string) {
	t.Helper()
	srv := graphtest.NewServer()
	t.Cleanup(srv.Close)
	toks := map[string]string{}
	for _, u := range []graphtest.User{
		{UserPrincipalName: deltaAdele, DisplayName: "Adele Vance", Mail: deltaAdele},
		{UserPrincipalName: deltaAlex, DisplayName: "Alex Wilber", Mail: deltaAlex},
		{UserPrincipalName: deltaMegan, DisplayName: "Megan Bowen", Mail: deltaMegan},
	} {
		srv.AddUser(u)
		toks[u.UserPrincipalName] = calendarToken(t, srv, u.UserPrincipalName, "Calendars.ReadWrite", "Mail.Read")
	}
	return srv, toks
}

func addEvent(t *testing.T, srv *graphtest.Server, user string, ev map[string]any) string {
	t.Helper()
	id, err := srv.AddEvent(user, "", ev)
	require.NoError(t, err)
	return id
}

// deltaRound follows a delta round from link to its end and returns the
// items and the delta link.
func deltaRound(t *testing.T, srv *graphtest.Server, tok, link string, header ...string) ([]map[string]any, string) {
	t.Helper()
	var items []map[string]any
	for pages := 0; ; pages++ {
		require.Less(t, pages, 50, "the round does not end")
		r := get(t, srv, tok, link, header...)
		require.Equal(t, http.StatusOK, r.StatusCode, "%s: %s", link, r.errorMessage())
		for _, v := range r.body["value"].([]any) {
			items = append(items, v.(map[string]any))
		}
		if next, ok := r.body["@odata.nextLink"].(string); ok {
			u, err := url.Parse(next)
			require.NoError(t, err)
			assert.True(t, u.Query().Has("$skiptoken"), next)
			assert.False(t, u.Query().Has("startDateTime"), "the token carries the window: %s", next)
			link = next
			continue
		}
		delta, _ := r.body["@odata.deltaLink"].(string)
		require.Contains(t, delta, "$deltatoken=", "a round ends with a delta link")
		return items, delta
	}
}

func subjects(items []map[string]any) []string {
	var out []string
	for _, it := range items {
		if it["@removed"] == nil {
			out = append(out, it["subject"].(string))
		}
	}
	return out
}

// removedIDs are the ids of the items under @removed, sorted; each must
// say the reason Graph gives.
func removedIDs(t *testing.T, items []map[string]any) []string {
	t.Helper()
	var out []string
	for _, it := range items {
		if it["@removed"] != nil {
			assert.Equal(t, map[string]any{"reason": "deleted"}, it["@removed"])
			out = append(out, it["id"].(string))
		}
	}
	slices.Sort(out)
	return out
}

// The first round of calendarView/delta is the view (series expanded,
// by start, times in the preferred zone), paged by odata.maxpagesize;
// the next round from the delta link is what changed: changed events and
// the occurrences of a changed series, new events, and under @removed
// deleted events and occurrences and events changed outside the window.
func TestCalendarViewDeltaRounds(t *testing.T) {
	srv, toks := deltaServer(t)
	tok := toks[deltaAdele]
	one := addEvent(t, srv, deltaAdele, map[string]any{"subject": "One", "start": dtz("2025-03-03T10:00:00"), "end": dtz("2025-03-03T11:00:00")})
	two := addEvent(t, srv, deltaAdele, map[string]any{"subject": "Two", "start": dtz("2025-03-05T10:00:00"), "end": dtz("2025-03-05T11:00:00")})
	far := addEvent(t, srv, deltaAdele, map[string]any{"subject": "Far", "start": dtz("2025-04-01T10:00:00"), "end": dtz("2025-04-01T11:00:00")})
	standup := addEvent(t, srv, deltaAdele, map[string]any{"subject": "Standup",
		"start": dtz("2025-03-04T09:00:00"), "end": dtz("2025-03-04T09:15:00"),
		"recurrence": map[string]any{"pattern": map[string]any{"type": "daily", "interval": 1},
			"range": map[string]any{"type": "numbered", "numberOfOccurrences": 3, "startDate": "2025-03-04"}}})

	prefer := []string{"Prefer", `odata.maxpagesize=2, outlook.timezone="Pacific Standard Time"`}
	first := "/v1.0/me/calendarView/delta()?startDateTime=2025-03-03T00:00:00Z&endDateTime=2025-03-10T00:00:00Z"
	r := get(t, srv, tok, first, prefer...)
	assert.ElementsMatch(t, []string{"odata.maxpagesize=2", `outlook.timezone="Pacific Standard Time"`}, r.Header.Values("Preference-Applied"))
	items, link := deltaRound(t, srv, tok, first, prefer...)
	assert.Equal(t, []string{"One", "Standup", "Standup", "Two", "Standup"}, subjects(items), "the view, by start")
	assert.Equal(t, "#microsoft.graph.event", items[0]["@odata.type"])
	assert.Equal(t, map[string]any{"dateTime": "2025-03-03T02:00:00.0000000", "timeZone": "Pacific Standard Time"}, items[0]["start"])
	assert.Equal(t, "occurrence", items[1]["type"])
	assert.Equal(t, standup, items[1]["seriesMasterId"])
	assert.Empty(t, removedIDs(t, items))

	again, link2 := deltaRound(t, srv, tok, link)
	assert.Empty(t, again, "nothing changed")

	patch := calendarSend(t, srv, tok, "PATCH", "/v1.0/me/events/"+one, map[string]any{"subject": "One (moved)"})
	require.Equal(t, http.StatusOK, patch.StatusCode)
	require.Equal(t, http.StatusNoContent, calendarSend(t, srv, tok, "DELETE", "/v1.0/me/events/"+two, nil).StatusCode)
	require.Equal(t, http.StatusNoContent, calendarSend(t, srv, tok, "DELETE", "/v1.0/me/events/"+standup+".20250305", nil).StatusCode)
	require.Equal(t, http.StatusOK, calendarSend(t, srv, tok, "PATCH", "/v1.0/me/events/"+far, map[string]any{"subject": "Far (changed)"}).StatusCode)
	three := addEvent(t, srv, deltaAdele, map[string]any{"subject": "Three", "start": dtz("2025-03-07T10:00:00"), "end": dtz("2025-03-07T11:00:00")})

	changes, _ := deltaRound(t, srv, tok, link2, prefer...)
	want := []string{far, standup + ".20250305", two}
	slices.Sort(want)
	assert.Equal(t, want, removedIDs(t, changes),
		"deleted ones, and one changed outside the window")
	assert.ElementsMatch(t, []string{"One (moved)", "Standup", "Standup", "Three"}, subjects(changes))
	for _, c := range changes {
		if c["subject"] == "Three" {
			assert.Equal(t, three, c["id"])
		}
	}
	resumed, _ := deltaRound(t, srv, tok, link2)
	assert.Equal(t, len(changes), len(resumed), "a delta link can be followed again")

	// A window that ends before it starts, no window, $select: refused.
	r = get(t, srv, tok, "/v1.0/me/calendarView/delta")
	assert.Equal(t, http.StatusBadRequest, r.StatusCode)
	assert.Equal(t, "ErrorInvalidParameter", r.errorCode())
	r = get(t, srv, tok, "/v1.0/me/calendarView/delta?startDateTime=2025-03-03T00:00:00Z&endDateTime=2025-03-10T00:00:00Z&$select=subject")
	assert.Equal(t, http.StatusBadRequest, r.StatusCode)
	assert.Contains(t, r.errorMessage(), "$select")
	r = get(t, srv, tok, "/v1.0/me/calendarView/delta?startDateTime=2025-03-10T00:00:00Z&endDateTime=2025-03-03T00:00:00Z")
	assert.Equal(t, http.StatusBadRequest, r.StatusCode)
	assert.Contains(t, r.errorMessage(), "EndDateTime")

	// Tokens the emulator never issued, or no longer has, are gone.
	u, err := url.Parse(link2)
	require.NoError(t, err)
	for _, bad := range []string{"$deltatoken=garbage", "$skiptoken=garbage", "$deltatoken=" + strings.Repeat("A", 40)} {
		r = get(t, srv, tok, u.Path+"?"+bad)
		assert.Equal(t, http.StatusGone, r.StatusCode, bad)
		assert.Equal(t, "SyncStateNotFound", r.errorCode(), bad)
	}
	r = get(t, srv, toks[deltaAlex], "/v1.0/me/calendarView/delta?"+u.RawQuery)
	assert.Equal(t, http.StatusGone, r.StatusCode, "another user's token")
	srv.ExpireCalendarDeltaTokens()
	r = get(t, srv, tok, link2)
	assert.Equal(t, http.StatusGone, r.StatusCode, "expired")
}

// A calendar's own view delta sees only that calendar; /users/{id} works
// as /me does.
func TestCalendarViewDeltaOfACalendar(t *testing.T) {
	srv, toks := deltaServer(t)
	tok := toks[deltaAdele]
	cal := calendarSend(t, srv, tok, "POST", "/v1.0/me/calendars", map[string]any{"name": "Projects"})
	require.Equal(t, http.StatusCreated, cal.StatusCode)
	calID := cal.body["id"].(string)
	_, err := srv.AddEvent(deltaAdele, calID, map[string]any{"subject": "Kick-off", "start": dtz("2025-03-03T10:00:00"), "end": dtz("2025-03-03T11:00:00")})
	require.NoError(t, err)
	addEvent(t, srv, deltaAdele, map[string]any{"subject": "Default", "start": dtz("2025-03-03T12:00:00"), "end": dtz("2025-03-03T13:00:00")})

	q := "?startDateTime=2025-03-03T00:00:00Z&endDateTime=2025-03-04T00:00:00Z"
	items, _ := deltaRound(t, srv, tok, "/v1.0/me/calendars/"+calID+"/calendarView/delta"+q)
	assert.Equal(t, []string{"Kick-off"}, subjects(items))
	items, _ = deltaRound(t, srv, tok, "/v1.0/users/"+deltaAdele+"/calendarView/delta"+q)
	assert.Equal(t, []string{"Default"}, subjects(items))
	r := get(t, srv, tok, "/v1.0/me/calendars/nope/calendarView/delta"+q)
	assert.Equal(t, http.StatusNotFound, r.StatusCode)

	// A round's next link is good for its own view only.
	addEvent(t, srv, deltaAdele, map[string]any{"subject": "Default 2", "start": dtz("2025-03-03T14:00:00"), "end": dtz("2025-03-03T15:00:00")})
	r = get(t, srv, tok, "/v1.0/me/calendarView/delta"+q, "Prefer", "odata.maxpagesize=1")
	next, ok := r.body["@odata.nextLink"].(string)
	require.True(t, ok, "two events in pages of one")
	u, err := url.Parse(next)
	require.NoError(t, err)
	r = get(t, srv, tok, "/v1.0/me/calendars/"+calID+"/calendarView/delta?"+u.RawQuery)
	assert.Equal(t, http.StatusGone, r.StatusCode)
	assert.Equal(t, "SyncStateNotFound", r.errorCode())
}

func inbox(t *testing.T, srv *graphtest.Server, tok string) []map[string]any {
	t.Helper()
	r := get(t, srv, tok, "/v1.0/me/mailFolders/inbox/messages")
	require.Equal(t, http.StatusOK, r.StatusCode, r.errorMessage())
	var out []map[string]any
	for _, v := range r.body["value"].([]any) {
		out = append(out, v.(map[string]any))
	}
	return out
}

func attendeeTypes(ev map[string]any) map[string]string {
	out := map[string]string{}
	for _, a := range ev["attendees"].([]any) {
		m := a.(map[string]any)
		out[m["emailAddress"].(map[string]any)["address"].(string)] = m["type"].(string)
	}
	return out
}

// An attendee forwards a meeting: the recipient gets the meeting request
// in their Inbox and the meeting in their calendar, the organizer a
// notification and the recipient as an optional attendee.
func TestForwardEvent(t *testing.T) {
	srv, toks := deltaServer(t)
	meeting := addEvent(t, srv, deltaAdele, map[string]any{"subject": "Review",
		"body":  map[string]any{"contentType": "text", "content": "Bring numbers"},
		"start": dtz("2025-03-03T10:00:00"), "end": dtz("2025-03-03T11:00:00"),
		"attendees": []any{map[string]any{"type": "required", "emailAddress": map[string]any{"address": deltaAlex}}}})
	events := get(t, srv, toks[deltaAlex], "/v1.0/me/events").body["value"].([]any)
	require.Len(t, events, 1)
	copyID := events[0].(map[string]any)["id"].(string)

	// Graph's own example writes the parameters capitalised
	// (event-forward.md).
	r := calendarSend(t, srv, toks[deltaAlex], "POST", "/v1.0/me/events/"+copyID+"/forward", map[string]any{
		"ToRecipients": []any{
			map[string]any{"EmailAddress": map[string]any{"Address": deltaMegan, "Name": "Megan Bowen"}},
			map[string]any{"EmailAddress": map[string]any{"Address": "guest@fabrikam.com"}},
		},
		"Comment": "Megan, <you> should come.",
	})
	require.Equal(t, http.StatusAccepted, r.StatusCode, r.errorMessage())

	mail := inbox(t, srv, toks[deltaMegan])
	require.Len(t, mail, 1)
	req := mail[0]
	assert.Equal(t, "FW: Review", req["subject"])
	assert.Equal(t, "#microsoft.graph.eventMessageRequest", req["@odata.type"])
	assert.Equal(t, "meetingRequest", req["meetingMessageType"])
	assert.Equal(t, deltaAlex, req["from"].(map[string]any)["emailAddress"].(map[string]any)["address"])
	assert.Equal(t, false, req["isRead"])
	body := req["body"].(map[string]any)["content"].(string)
	assert.Contains(t, body, "Megan, &lt;you&gt; should come.")
	assert.Contains(t, body, "Bring numbers")
	assert.Equal(t, map[string]any{"dateTime": "2025-03-03T10:00:00.0000000", "timeZone": "UTC"}, req["startDateTime"])

	notes := inbox(t, srv, toks[deltaAdele])
	require.Len(t, notes, 1)
	assert.Equal(t, "Meeting Forward Notification: Review", notes[0]["subject"])

	org := get(t, srv, toks[deltaAdele], "/v1.0/me/events/"+meeting).body
	assert.Equal(t, map[string]string{deltaAlex: "required", deltaMegan: "optional", "guest@fabrikam.com": "optional"}, attendeeTypes(org))
	megans := get(t, srv, toks[deltaMegan], "/v1.0/me/events").body["value"].([]any)
	require.Len(t, megans, 1, "the meeting is in the recipient's calendar")
	assert.Equal(t, "Review", megans[0].(map[string]any)["subject"])

	// The organizer forwards too (through /users/{id}): nobody is added
	// twice, and no notification goes to the organizer.
	r = calendarSend(t, srv, toks[deltaAdele], "POST", "/v1.0/users/"+deltaAdele+"/events/"+meeting+"/forward", map[string]any{
		"toRecipients": []any{map[string]any{"emailAddress": map[string]any{"address": deltaMegan}}}})
	require.Equal(t, http.StatusAccepted, r.StatusCode, r.errorMessage())
	assert.Len(t, inbox(t, srv, toks[deltaMegan]), 2)
	assert.Len(t, inbox(t, srv, toks[deltaAdele]), 1)
	org = get(t, srv, toks[deltaAdele], "/v1.0/me/events/"+meeting).body
	assert.Len(t, attendeeTypes(org), 3)

	for name, body := range map[string]map[string]any{
		"no recipients":   {"comment": "hi"},
		"empty list":      {"toRecipients": []any{}},
		"a bad address":   {"toRecipients": []any{map[string]any{"emailAddress": map[string]any{"address": "megan at contoso"}}}},
		"no address":      {"toRecipients": []any{map[string]any{"emailAddress": map[string]any{"name": "Megan"}}}},
		"a named address": {"toRecipients": []any{map[string]any{"emailAddress": map[string]any{"address": "Megan <megan@contoso.com>"}}}},
	} {
		r := calendarSend(t, srv, toks[deltaAdele], "POST", "/v1.0/me/events/"+meeting+"/forward", body)
		assert.Equal(t, http.StatusBadRequest, r.StatusCode, name)
		assert.Equal(t, "ErrorInvalidRecipients", r.errorCode(), name)
		assert.Contains(t, r.errorMessage(), "recipient", name)
	}
	r = calendarSend(t, srv, toks[deltaAdele], "POST", "/v1.0/me/events/"+meeting+"/forward", map[string]any{
		"comment": 7, "toRecipients": []any{map[string]any{"emailAddress": map[string]any{"address": deltaMegan}}}})
	assert.Equal(t, http.StatusBadRequest, r.StatusCode)
	assert.Equal(t, "RequestBodyRead", r.errorCode())
	r = calendarSend(t, srv, toks[deltaAdele], "POST", "/v1.0/me/events/AAMkAnothere/forward", map[string]any{
		"toRecipients": []any{map[string]any{"emailAddress": map[string]any{"address": deltaMegan}}}})
	assert.Equal(t, http.StatusNotFound, r.StatusCode)
	assert.Len(t, inbox(t, srv, toks[deltaMegan]), 2, "refused forwards send nothing")
}
