package calendar_test

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/calendar"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/query"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// deltaWeek is the window the delta tests track: the week of 3 March 2025.
var deltaWeek = [2]time.Time{time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC), time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)}

// addEvents seeds adele's default calendar with events of the given
// subjects, one a day from 3 March at 10:00 UTC, and returns their ids.
func addEvents(t *testing.T, srv *graphtest.Server, subjects ...string) []string {
	t.Helper()
	var ids []string
	for i, s := range subjects {
		day := deltaWeek[0].AddDate(0, 0, i).Add(10 * time.Hour)
		id, err := srv.AddEvent(adele, "", map[string]any{"subject": s,
			"start": map[string]any{"dateTime": day.Format("2006-01-02T15:04:05"), "timeZone": "UTC"},
			"end":   map[string]any{"dateTime": day.Add(time.Hour).Format("2006-01-02T15:04:05"), "timeZone": "UTC"}})
		require.NoError(t, err)
		ids = append(ids, id)
	}
	return ids
}

// recorded returns adele's schedule, showing times in loc, with its Graph
// requests recorded.
func recorded(t *testing.T, srv *graphtest.Server, loc *time.Location, scopes ...string) (*calendar.Schedule, *o365test.Wire) {
	t.Helper()
	if len(scopes) == 0 {
		scopes = []string{"calendar"}
	}
	w := o365test.NewWire()
	acct := o365test.SignIn(t, srv, adele, password, o365.WithScopes(scopes...), o365.WithHTTPClient(&http.Client{Transport: w}))
	w.Take()
	s := acct.Schedule()
	s.Location = loc
	return s, w
}

// roundOf splits a round into the subjects of what changed and the ids of
// what was removed.
func roundOf(t *testing.T, d *calendar.Delta, opts ...api.ListOption) (changed []string, removed []string) {
	t.Helper()
	for ev, err := range d.Changes(ctx, opts...) {
		require.NoError(t, err)
		if ev.Removed != nil {
			assert.Equal(t, "deleted", ev.Removed.Reason)
			assert.True(t, ev.Start.IsZero(), "a removed event has only its id")
			removed = append(removed, ev.ID)
			continue
		}
		changed = append(changed, ev.Subject)
	}
	slices.Sort(removed)
	return changed, removed
}

// A first round yields the view over pages of BatchSize, times in the
// schedule's Location; later rounds yield a change and a deletion; a
// persisted delta link resumes in a new Delta; an expired one is
// api.ErrSyncStateNotFound.
func TestCalendarViewDelta(t *testing.T) {
	srv := emulator(t)
	ids := addEvents(t, srv, "Mon", "Tue", "Wed", "Thu", "Fri")
	berlin := zone(t, "Europe/Berlin")
	s, wire := recorded(t, srv, berlin)

	d := s.CalendarViewDelta(deltaWeek[0], deltaWeek[1], "")
	var first []*calendar.Event
	for ev, err := range d.Changes(ctx, o365.BatchSize(2)) {
		require.NoError(t, err)
		first = append(first, ev)
	}
	require.Len(t, first, 5)
	assert.Equal(t, "Mon", first[0].Subject)
	assert.Equal(t, berlin, first[0].Start.Location())
	assert.Equal(t, 11, first[0].Start.Hour(), "10:00 UTC is 11:00 in Berlin")
	sent := wire.Take()
	require.Len(t, sent, 3, "five events in pages of two")
	for _, r := range sent {
		assert.Equal(t, `outlook.timezone="W. Europe Standard Time", odata.maxpagesize=2`, r.Header.Get("Prefer"))
		assert.NotContains(t, r.Query, "top", "delta takes no $top")
	}
	q, err := url.ParseQuery(sent[0].Query)
	require.NoError(t, err)
	assert.Equal(t, "2025-03-03T00:00:00Z", q.Get("startDateTime"))
	assert.Equal(t, "2025-03-10T00:00:00Z", q.Get("endDateTime"))
	assert.True(t, strings.HasSuffix(sent[0].Path, "/me/calendarView/delta"), sent[0].Path)
	require.Contains(t, d.DeltaLink, "$deltatoken=")
	saved := d.DeltaLink

	// A change and a deletion.
	tue, err := s.Event(ctx, ids[1])
	require.NoError(t, err)
	tue.Subject = "Tue (moved)"
	tue.Start, tue.End = tue.Start.Add(time.Hour), tue.End.Add(time.Hour)
	require.NoError(t, tue.Save(ctx))
	wed, err := s.Event(ctx, ids[2])
	require.NoError(t, err)
	require.NoError(t, wed.Delete(ctx))

	changed, removed := roundOf(t, d)
	assert.Equal(t, []string{"Tue (moved)"}, changed)
	assert.Equal(t, []string{ids[2]}, removed)
	assert.NotEqual(t, saved, d.DeltaLink, "the round advanced the link")
	changed, removed = roundOf(t, d)
	assert.Empty(t, changed, "nothing since")
	assert.Empty(t, removed)

	// The link persisted before the changes resumes in a fresh Delta (in
	// another process, say): it sees the same changes.
	changed, removed = roundOf(t, s.CalendarViewDelta(time.Time{}, time.Time{}, saved))
	assert.Equal(t, []string{"Tue (moved)"}, changed)
	assert.Equal(t, []string{ids[2]}, removed)

	srv.ExpireCalendarDeltaTokens()
	expired := s.CalendarViewDelta(time.Time{}, time.Time{}, saved)
	for _, err := range expired.Changes(ctx) {
		require.ErrorIs(t, err, api.ErrSyncStateNotFound)
	}
	assert.Equal(t, saved, expired.DeltaLink, "a failed round leaves the link")
}

// Limit stops the round early, and a round stopped early does not
// advance the link: the next call repeats it in full.
func TestCalendarViewDeltaLimit(t *testing.T) {
	srv := emulator(t)
	addEvents(t, srv, "Mon", "Tue", "Wed")
	s, wire := recorded(t, srv, time.UTC)
	d := s.CalendarViewDelta(deltaWeek[0], deltaWeek[1], "")

	changed, _ := roundOf(t, d, o365.Limit(2), o365.BatchSize(1))
	assert.Equal(t, []string{"Mon", "Tue"}, changed)
	assert.Len(t, wire.Take(), 2, "no page beyond the limit is fetched")
	assert.Empty(t, d.DeltaLink, "a round cut short leaves the link")

	for range d.Changes(ctx) {
		break // the caller stops: no link either
	}
	assert.Empty(t, d.DeltaLink)

	changed, _ = roundOf(t, d)
	assert.Equal(t, []string{"Mon", "Tue", "Wed"}, changed, "the round starts over")
	require.NotEmpty(t, d.DeltaLink)
	link := d.DeltaLink
	addEvents(t, srv, "Mon again")
	changed, _ = roundOf(t, d, o365.Limit(5))
	assert.Equal(t, []string{"Mon again"}, changed)
	assert.NotEqual(t, link, d.DeltaLink, "a round read to its end within the limit advances")
}

// A calendar's own delta tracks that calendar alone.
func TestCalendarDeltaOfACalendar(t *testing.T) {
	srv := emulator(t)
	addEvents(t, srv, "Default")
	s := schedule(t, srv, adele, time.UTC)
	cal, err := s.NewCalendar(ctx, "Projects")
	require.NoError(t, err)
	ev := cal.NewEvent()
	ev.Subject = "Kick-off"
	ev.Start = deltaWeek[0].Add(9 * time.Hour)
	ev.End = ev.Start.Add(time.Hour)
	require.NoError(t, ev.Save(ctx))

	changed, _ := roundOf(t, cal.CalendarViewDelta(deltaWeek[0], deltaWeek[1], ""))
	assert.Equal(t, []string{"Kick-off"}, changed)
	changed, _ = roundOf(t, s.CalendarViewDelta(deltaWeek[0], deltaWeek[1], ""))
	assert.Equal(t, []string{"Default"}, changed)
}

// What Graph's delta cannot take, or what is not a delta link, is refused
// before any request, saying what is wrong.
func TestCalendarViewDeltaBadInput(t *testing.T) {
	srv := emulator(t)
	s, wire := recorded(t, srv, time.UTC)
	for name, c := range map[string]struct {
		d    *calendar.Delta
		opts []api.ListOption
		want string
	}{
		"a query":             {s.CalendarViewDelta(deltaWeek[0], deltaWeek[1], ""), []api.ListOption{o365.Query(query.New().Select("subject"))}, "takes no query"},
		"no window":           {s.CalendarViewDelta(time.Time{}, time.Time{}, ""), nil, "needs both a start and an end"},
		"a reversed span":     {s.CalendarViewDelta(deltaWeek[1], deltaWeek[0], ""), nil, "before it starts"},
		"a relative link":     {s.CalendarViewDelta(time.Time{}, time.Time{}, "/me/calendarView/delta?$deltatoken=x"), nil, "not an absolute URL"},
		"an unsaved calendar": {(&calendar.Calendar{}).CalendarViewDelta(deltaWeek[0], deltaWeek[1], ""), nil, "not saved"},
		"no connection":       {(&calendar.Schedule{}).CalendarViewDelta(deltaWeek[0], deltaWeek[1], ""), nil, "no connection"},
	} {
		var errs []error
		for ev, err := range c.d.Changes(ctx, c.opts...) {
			assert.Nil(t, ev, name)
			errs = append(errs, err)
		}
		require.Len(t, errs, 1, name)
		assert.ErrorContains(t, errs[0], c.want, name)
	}
	assert.Empty(t, wire.Take(), "nothing was sent")
}

// An attendee forwards a meeting: the recipient finds the meeting request
// in their Inbox, and the organizer's event lists them.
func TestForward(t *testing.T) {
	srv := emulator(t)
	acct := signIn(t, srv, []string{megan, alex, adele}, "calendar", "mailbox")
	s := acct.Schedule()
	s.Location = time.UTC
	meeting := newMeeting(t, s, deltaWeek[0].Add(14*time.Hour), alex)

	require.NoError(t, acct.SetUsername(alex))
	inv := only(t, o365test.Collect(t, s.Events(ctx)))
	require.NoError(t, inv.Forward(ctx, "Megan should hear this", calendar.EmailAddress{Name: "Megan Bowen", Address: megan}))

	require.NoError(t, acct.SetUsername(megan))
	mail := o365test.Collect(t, acct.Mailbox().Inbox().Messages(ctx))
	require.Len(t, mail, 1)
	assert.Equal(t, "FW: Design review", mail[0].Subject)
	assert.Contains(t, mail[0].Body.Content, "Megan should hear this")
	assert.Equal(t, alex, mail[0].From.EmailAddress.Address)

	require.NoError(t, acct.SetUsername(adele))
	meeting, err := s.Event(ctx, meeting.ID)
	require.NoError(t, err)
	types := map[string]calendar.AttendeeType{}
	for _, a := range meeting.Attendees {
		types[a.EmailAddress.Address] = a.Type
	}
	assert.Equal(t, map[string]calendar.AttendeeType{alex: calendar.Required, megan: calendar.Optional}, types)
}

// Forward refuses no recipients and addresses that are not name@domain
// before any request; an event never saved is ErrNotSaved.
func TestForwardBadInput(t *testing.T) {
	srv := emulator(t)
	s, wire := recorded(t, srv, time.UTC)
	ev := newMeeting(t, s, deltaWeek[0].Add(9*time.Hour))
	wire.Take()
	for name, c := range map[string]struct {
		to   []calendar.EmailAddress
		want string
	}{
		"no recipients":    {nil, "no recipients"},
		"an empty address": {[]calendar.EmailAddress{{Name: "Megan"}}, `recipient 1: "" is not an email address`},
		"no domain":        {[]calendar.EmailAddress{{Address: megan}, {Address: "megan"}}, `recipient 2: "megan" is not an email address`},
		"a display name":   {[]calendar.EmailAddress{{Address: "Megan <" + megan + ">"}}, "is not an email address"},
		"spaces":           {[]calendar.EmailAddress{{Address: " " + megan}}, "is not an email address"},
	} {
		err := ev.Forward(ctx, "hi", c.to...)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), c.want, name)
	}
	assert.Empty(t, wire.Take(), "nothing was sent")
	assert.ErrorIs(t, s.NewEvent().Forward(ctx, "", calendar.EmailAddress{Address: megan}), calendar.ErrNotSaved)
}

// A delta page that cannot be read ends the round with an error naming
// what was wrong, and the link stays where it was; a 410 from any server
// is api.ErrSyncStateNotFound.
func TestCalendarViewDeltaBadPages(t *testing.T) {
	for name, c := range map[string]struct {
		status int
		page   string
		want   string
	}{
		"a malformed start":  {200, `{"value":[{"id":"a","start":{"dateTime":"soon","timeZone":"UTC"},"end":{"dateTime":"2025-03-03T10:00:00","timeZone":"UTC"}}],"@odata.deltaLink":"https://x/next"}`, `dateTime "soon"`},
		"an unknown zone":    {200, `{"value":[{"id":"a","start":{"dateTime":"2025-03-03T10:00:00","timeZone":"Mars Standard Time"}}],"@odata.deltaLink":"https://x/next"}`, "Mars Standard Time"},
		"a truncated page":   {200, `{"value":[{"id":"a"`, "reading page"},
		"an HTML error page": {502, `<html><body>Bad gateway</body></html>`, "502"},
		"gone":               {410, `{"error":{"code":"SyncStateNotFound","message":"The sync state generation is not found or has expired."}}`, "SyncStateNotFound"},
	} {
		ws := newWireServer(t, func(w http.ResponseWriter, r *http.Request, _ string) {
			w.WriteHeader(c.status)
			w.Write([]byte(c.page))
		})
		s := calendar.New(ws.con, ws.protocol)
		s.Location = time.UTC
		d := s.CalendarViewDelta(time.Time{}, time.Time{}, ws.protocol.Host+"/v1.0/me/calendarView/delta?$deltatoken=old")
		var errs []error
		for _, err := range d.Changes(ctx) {
			if err != nil {
				errs = append(errs, err)
			}
		}
		require.Len(t, errs, 1, name)
		assert.ErrorContains(t, errs[0], c.want, name)
		assert.Equal(t, c.status == http.StatusGone, errors.Is(errs[0], api.ErrSyncStateNotFound), name)
		assert.Contains(t, d.DeltaLink, "$deltatoken=old", "%s: the link stays", name)
	}
}
