package calendar_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/calendar"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/query"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCalendars(t *testing.T) {
	srv := emulator(t)
	s := schedule(t, srv, adele, time.UTC)

	def, err := s.DefaultCalendar(ctx)
	require.NoError(t, err)
	assert.Equal(t, "Calendar", def.Name)
	assert.True(t, def.IsDefaultCalendar)
	assert.False(t, def.IsRemovable)
	require.NotNil(t, def.Owner)
	assert.Equal(t, adele, def.Owner.Address)

	work, err := s.NewCalendar(ctx, "Work")
	require.NoError(t, err)
	assert.NotEmpty(t, work.ID)
	assert.False(t, work.IsDefaultCalendar)
	_, err = s.NewCalendar(ctx, "work")
	assert.ErrorIs(t, err, api.ErrConflict, "names are unique, without regard to case")

	byName, err := s.CalendarByName(ctx, "Work")
	require.NoError(t, err)
	assert.Equal(t, work.ID, byName.ID)
	byID, err := s.Calendar(ctx, work.ID)
	require.NoError(t, err)
	assert.Equal(t, "Work", byID.Name)
	_, err = s.CalendarByName(ctx, "Nope")
	assert.ErrorIs(t, err, api.ErrNotFound)
	assert.ErrorContains(t, err, `"Nope"`)

	// Rename: only the name goes out.
	work.Name = "Projects"
	work.Color = calendar.ColorLightBlue
	require.NoError(t, work.Save(ctx))
	assert.Equal(t, "Projects", work.Name)
	assert.Equal(t, calendar.ColorLightBlue, work.Color)
	before := len(srv.Requests())
	require.NoError(t, work.Save(ctx), "nothing changed")
	assert.Len(t, srv.Requests(), before, "a Save without changes makes no request")

	names := []string{}
	for _, c := range o365test.Collect(t, s.Calendars(ctx)) {
		names = append(names, c.Name)
	}
	assert.Equal(t, []string{"Calendar", "Projects"}, names)

	require.NoError(t, work.Delete(ctx))
	_, err = s.Calendar(ctx, work.ID)
	assert.ErrorIs(t, err, api.ErrNotFound)
	err = def.Delete(ctx)
	var ge *api.GraphError
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, "ErrorDeleteDistinguishedFolder", ge.Code)
}

func TestEventLifecycle(t *testing.T) {
	srv := emulator(t)
	berlin := zone(t, "Europe/Berlin")
	s := schedule(t, srv, adele, berlin)

	ev := s.NewEvent()
	ev.Subject = "Quarterly review"
	ev.Body = &calendar.ItemBody{ContentType: calendar.HTML, Content: "<p>Bring <b>numbers</b></p>"}
	ev.Start = time.Date(2025, 3, 14, 10, 0, 0, 0, berlin)
	ev.End = ev.Start.Add(90 * time.Minute)
	ev.Location = &calendar.Location{DisplayName: "Room 42"}
	ev.Categories = []string{"Red category"}
	ev.Importance = calendar.ImportanceHigh
	ev.Sensitivity = calendar.SensitivityPrivate
	ev.ShowAs = calendar.OutOfOffice
	ev.IsOnlineMeeting = true
	ev.OnlineMeetingProvider = calendar.TeamsForBusiness
	ev.ReminderMinutesBeforeStart = 30
	require.NoError(t, ev.Save(ctx))

	assert.NotEmpty(t, ev.ID)
	assert.Equal(t, calendar.SingleInstance, ev.Type)
	assert.True(t, ev.IsOrganizer)
	assert.Equal(t, "W. Europe Standard Time", ev.OriginalStartTimeZone, "sent by its Windows name")
	assert.Equal(t, "Bring numbers", ev.BodyPreview)
	assert.True(t, ev.Start.Equal(time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)))
	assert.Equal(t, berlin, ev.Start.Location(), "times come in the schedule's location")
	assert.Equal(t, "Room 42", ev.Location.DisplayName)
	assert.Equal(t, []string{"Red category"}, ev.Categories)
	assert.Equal(t, calendar.ImportanceHigh, ev.Importance)
	assert.Equal(t, calendar.SensitivityPrivate, ev.Sensitivity)
	assert.Equal(t, calendar.OutOfOffice, ev.ShowAs)
	assert.Equal(t, 30, ev.ReminderMinutesBeforeStart)
	assert.True(t, ev.IsReminderOn)
	require.NotNil(t, ev.OnlineMeeting)
	assert.NotEmpty(t, ev.OnlineMeeting.JoinURL)
	require.NotNil(t, ev.Organizer)
	assert.Equal(t, adele, ev.Organizer.EmailAddress.Address)
	assert.NotEmpty(t, ev.WebLink)
	assert.NotEmpty(t, ev.ICalUID)
	require.NotNil(t, ev.ResponseStatus)
	assert.Equal(t, calendar.ResponseOrganizer, ev.ResponseStatus.Response)

	got, err := s.Event(ctx, ev.ID)
	require.NoError(t, err)
	assert.Equal(t, ev.Subject, got.Subject)
	assert.True(t, got.Start.Equal(ev.Start))
	assert.Equal(t, "Room 42", got.Location.DisplayName)
	last := srv.Requests()[len(srv.Requests())-1]
	assert.Equal(t, `outlook.timezone="W. Europe Standard Time"`, last.Header.Get("Prefer"))

	// Update: only what changed is sent.
	got.Subject = "Quarterly review (moved)"
	got.Start = got.Start.Add(time.Hour)
	got.End = got.End.Add(time.Hour)
	changes, err := got.Changes()
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"subject", "start", "end"}, keys(changes))
	require.NoError(t, got.Save(ctx))
	assert.Equal(t, "Quarterly review (moved)", got.Subject)
	assert.Equal(t, 11, got.Start.Hour())
	assert.Equal(t, "Room 42", got.Location.DisplayName, "untouched fields stay")

	// Clearing a field sends Graph's way of clearing it.
	got.Categories = nil
	got.IsOnlineMeeting = false
	changes, err = got.Changes()
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"categories": []any{}, "isOnlineMeeting": false}, changes)
	require.NoError(t, got.Save(ctx))
	assert.Empty(t, got.Categories)

	list := o365test.Collect(t, s.Events(ctx))
	require.Len(t, list, 1)
	assert.Equal(t, ev.ID, list[0].ID)

	require.NoError(t, got.Delete(ctx))
	_, err = s.Event(ctx, ev.ID)
	assert.ErrorIs(t, err, api.ErrNotFound)
	assert.Empty(t, o365test.Collect(t, s.Events(ctx)))
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestEventsPerCalendarAndQueries(t *testing.T) {
	srv := emulator(t)
	s := schedule(t, srv, adele, time.UTC)
	cal, err := s.NewCalendar(ctx, "Team")
	require.NoError(t, err)
	day := time.Date(2025, 5, 5, 9, 0, 0, 0, time.UTC)
	for i, subject := range []string{"alpha", "bravo", "charlie", "delta", "echo"} {
		ev := cal.NewEvent()
		ev.Subject = subject
		ev.Start = day.Add(time.Duration(i) * 24 * time.Hour)
		ev.End = ev.Start.Add(time.Hour)
		require.NoError(t, ev.Save(ctx))
	}
	home := s.NewEvent()
	home.Subject = "in the default calendar"
	home.Start, home.End = day, day.Add(time.Hour)
	require.NoError(t, home.Save(ctx))

	assert.Len(t, o365test.Collect(t, cal.Events(ctx)), 5)
	assert.Len(t, o365test.Collect(t, s.Events(ctx)), 1, "/events is the default calendar")

	// Paging, limits and queries reach the server as Graph expects.
	got := o365test.Collect(t, cal.Events(ctx, o365.BatchSize(2), o365.Limit(3)))
	assert.Len(t, got, 3)
	q := query.New().Where(query.StartsWith("subject", "c")).Select("subject")
	got = o365test.Collect(t, cal.Events(ctx, o365.Query(q)))
	require.Len(t, got, 1)
	assert.Equal(t, "charlie", got[0].Subject)

	q = query.New().OrderBy("subject", query.Desc)
	got = o365test.Collect(t, cal.CalendarView(ctx, day, day.Add(3*24*time.Hour), o365.Query(q)))
	var subjects []string
	for _, e := range got {
		subjects = append(subjects, e.Subject)
	}
	assert.Equal(t, []string{"charlie", "bravo", "alpha"}, subjects)
}

func TestAllDayEventsKeepTheirDates(t *testing.T) {
	srv := emulator(t)
	tokyo := zone(t, "Asia/Tokyo")
	s := schedule(t, srv, adele, tokyo)
	ev := s.NewEvent()
	ev.Subject = "Holiday"
	ev.IsAllDay = true
	ev.Start = time.Date(2025, 7, 14, 0, 0, 0, 0, tokyo)
	ev.End = time.Date(2025, 7, 16, 0, 0, 0, 0, tokyo)
	require.NoError(t, ev.Save(ctx))

	// Read from New York, fourteen hours behind: the dates stay.
	ny := zone(t, "America/New_York")
	s.Location = ny
	got, err := s.Event(ctx, ev.ID)
	require.NoError(t, err)
	assert.True(t, got.IsAllDay)
	assert.Equal(t, time.Date(2025, 7, 14, 0, 0, 0, 0, ny), got.Start)
	assert.Equal(t, time.Date(2025, 7, 16, 0, 0, 0, 0, ny), got.End)

	view := o365test.Collect(t, s.CalendarView(ctx, time.Date(2025, 7, 15, 0, 0, 0, 0, ny), time.Date(2025, 7, 15, 23, 0, 0, 0, ny)))
	require.Len(t, view, 1)
	assert.Equal(t, "Holiday", view[0].Subject)
}

func TestSharedAndAppOnlySchedules(t *testing.T) {
	srv := emulator(t)
	megans := schedule(t, srv, megan, time.UTC)
	ev := megans.NewEvent()
	ev.Subject = "Megan's dentist"
	ev.Start = time.Date(2025, 6, 2, 15, 0, 0, 0, time.UTC)
	ev.End = ev.Start.Add(time.Hour)
	require.NoError(t, ev.Save(ctx))

	acct := signIn(t, srv, []string{adele}, "calendar", "calendar_shared")
	other := acct.Schedule(megan)
	_, err := other.Event(ctx, ev.ID)
	assert.ErrorIs(t, err, api.ErrForbidden, "not shared yet")

	require.NoError(t, srv.ShareCalendar(megan, adele, false))
	got, err := other.Event(ctx, ev.ID)
	require.NoError(t, err)
	assert.Equal(t, "Megan's dentist", got.Subject)
	got.Subject = "changed"
	assert.ErrorIs(t, got.Save(ctx), api.ErrForbidden, "read-only share")

	// Without the calendar scope nothing is readable, as in Graph.
	noScope := signIn(t, srv, []string{adele}, "basic").Schedule()
	_, err = noScope.DefaultCalendar(ctx)
	assert.ErrorIs(t, err, api.ErrForbidden)

	// An app-only token reaches any user.
	app := o365test.SignInApp(t, srv, o365.WithTenant("contoso"))
	events := o365test.Collect(t, app.Schedule(megan).Events(ctx))
	require.Len(t, events, 1)
	assert.Equal(t, "Megan's dentist", events[0].Subject)
}

func TestPreferredZoneOnTheWire(t *testing.T) {
	// Wire details with a plain httptest server: the Prefer header on
	// every page, the window parameters, and the body of a create.
	var seen []*http.Request
	var bodies []string
	srv := newWireServer(t, func(w http.ResponseWriter, r *http.Request, body string) {
		seen = append(seen, r)
		bodies = append(bodies, body)
		switch {
		case strings.HasSuffix(r.URL.Path, "/calendarView") && r.URL.Query().Get("$skiptoken") == "":
			w.Write([]byte(`{"value":[{"id":"1","subject":"a","start":{"dateTime":"2025-01-01T09:00:00.0000000","timeZone":"Pacific Standard Time"},"end":{"dateTime":"2025-01-01T10:00:00.0000000","timeZone":"Pacific Standard Time"}}],"@odata.nextLink":"` + "http://" + r.Host + r.URL.Path + `?$skiptoken=x"}`))
		case strings.HasSuffix(r.URL.Path, "/calendarView"):
			w.Write([]byte(`{"value":[{"id":"2","subject":"b","isAllDay":true,"start":{"dateTime":"2025-01-02T00:00:00.0000000","timeZone":"UTC"},"end":{"dateTime":"2025-01-03T00:00:00.0000000","timeZone":"UTC"}}]}`))
		default:
			w.WriteHeader(http.StatusCreated)
			w.Write([]byte(`{"id":"new","start":{"dateTime":"2025-01-06T09:00:00.0000000","timeZone":"Pacific Standard Time"},"end":{"dateTime":"2025-01-06T10:00:00.0000000","timeZone":"Pacific Standard Time"}}`))
		}
	})
	la := zone(t, "America/Los_Angeles")
	s := calendar.New(srv.con, srv.protocol)
	s.Location = la
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, la)
	got := o365test.Collect(t, s.CalendarView(ctx, from, from.Add(48*time.Hour)))
	require.Len(t, got, 2)
	for _, r := range seen {
		assert.Equal(t, `outlook.timezone="Pacific Standard Time"`, r.Header.Get("Prefer"), r.URL.String())
	}
	assert.Equal(t, "2025-01-01T00:00:00-08:00", seen[0].URL.Query().Get("startDateTime"))
	assert.Equal(t, "2025-01-03T00:00:00-08:00", seen[0].URL.Query().Get("endDateTime"))
	assert.Equal(t, time.Date(2025, 1, 1, 9, 0, 0, 0, la), got[0].Start)
	assert.Equal(t, time.Date(2025, 1, 2, 0, 0, 0, 0, la), got[1].Start, "an all-day date sent in UTC stays the same date")

	ev := s.NewEvent()
	ev.Subject = "Standup"
	ev.Start = time.Date(2025, 1, 6, 9, 0, 0, 0, la)
	ev.End = ev.Start.Add(time.Hour)
	ev.Recurrence = &calendar.Recurrence{
		Pattern: calendar.Pattern{Type: calendar.Weekly, Interval: 1, DaysOfWeek: []calendar.DayOfWeek{calendar.Monday}},
		Range:   calendar.Range{Type: calendar.NoEnd},
	}
	require.NoError(t, ev.Save(ctx))
	body := bodies[len(bodies)-1]
	for _, want := range []string{
		`"start":{"dateTime":"2025-01-06T09:00:00.0000000","timeZone":"Pacific Standard Time"}`,
		`"subject":"Standup"`,
		`"startDate":"2025-01-06"`,
		`"isReminderOn":true`,
		`"reminderMinutesBeforeStart":15`,
	} {
		assert.Contains(t, body, want)
	}
	for _, absent := range []string{`"id"`, `"isOrganizer"`, `"responseStatus"`, `"organizer"`, `"webLink"`} {
		assert.NotContains(t, body, absent, "read-only properties are not sent")
	}
}

func TestNotSaved(t *testing.T) {
	ev := &calendar.Event{}
	assert.ErrorIs(t, ev.Delete(ctx), calendar.ErrNotSaved)
	assert.ErrorIs(t, ev.Accept(ctx, "", true), calendar.ErrNotSaved)
	assert.ErrorContains(t, ev.Save(ctx), "no connection")
	for _, err := range ev.Attachments(ctx) {
		assert.ErrorIs(t, err, calendar.ErrNotSaved)
	}
	c := &calendar.Calendar{}
	assert.ErrorIs(t, c.Save(ctx), calendar.ErrNotSaved)
	_, err := (&calendar.Schedule{}).Event(ctx, "")
	assert.ErrorContains(t, err, "empty id")
	assert.False(t, errors.Is(err, api.ErrNotFound))
}

func TestOrderByStart(t *testing.T) {
	srv := emulator(t)
	s := schedule(t, srv, adele, time.UTC)
	for i, h := range []int{12, 9, 15} {
		ev := s.NewEvent()
		ev.Subject = "Review " + string(rune('a'+i))
		ev.Start = time.Date(2025, 1, 1, h, 0, 0, 0, time.UTC)
		ev.End = ev.Start.Add(time.Hour)
		require.NoError(t, ev.Save(ctx))
	}
	q := query.New().Where(query.StartsWith("subject", "Review")).OrderBy("start/dateTime", query.Asc).Select("subject", "start", "end")
	got := o365test.Collect(t, s.Events(ctx, o365.Query(q), o365.Limit(20), o365.BatchSize(2)))
	assert.Equal(t, []string{"09:00", "12:00", "15:00"}, starts(got, "15:04"))
	assert.Equal(t, "Review b", got[0].Subject)
}
