package calendar_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/calendar"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUnknownTimeZoneIsNamed(t *testing.T) {
	_, err := calendar.LoadLocation("Mars Standard Time")
	assert.ErrorIs(t, err, calendar.ErrUnknownTimeZone)
	assert.ErrorContains(t, err, `"Mars Standard Time"`)

	loc, err := calendar.LoadLocation("tokyo standard time")
	require.NoError(t, err)
	assert.Equal(t, "Asia/Tokyo", loc.String())
	name, ok := calendar.ZoneName(loc)
	assert.True(t, ok)
	assert.Equal(t, "Tokyo Standard Time", name)
	_, ok = calendar.ZoneName(time.FixedZone("", 3600))
	assert.False(t, ok)
	iana, ok := calendar.WindowsToIANA("Romance Standard Time")
	assert.True(t, ok)
	assert.Equal(t, "Europe/Paris", iana)
	win, ok := calendar.IANAToWindows("Asia/Kolkata")
	assert.True(t, ok)
	assert.Equal(t, "India Standard Time", win)

	// An event Graph sends in a zone nobody knows.
	var ev calendar.Event
	err = api.Unmarshal([]byte(`{"start":{"dateTime":"2025-01-01T10:00:00","timeZone":"Mars Standard Time"}}`), &ev)
	assert.ErrorIs(t, err, calendar.ErrUnknownTimeZone)
	assert.ErrorContains(t, err, `"Mars Standard Time"`)
	assert.ErrorContains(t, err, "event start")

	// The emulator refuses one as Graph does.
	srv := emulator(t)
	_, err = srv.AddEvent(adele, "", map[string]any{"subject": "x",
		"start": map[string]any{"dateTime": "2025-01-01T10:00:00", "timeZone": "Mars Standard Time"},
		"end":   map[string]any{"dateTime": "2025-01-01T11:00:00", "timeZone": "Mars Standard Time"}})
	assert.ErrorContains(t, err, "The following TimeZone value is not supported: 'Mars Standard Time'")
}

func TestMalformedDateTimeTimeZone(t *testing.T) {
	for name, c := range map[string]struct{ json, want string }{
		"not a date":    {`{"start":{"dateTime":"yesterday","timeZone":"UTC"}}`, `dateTime "yesterday" is not of the form`},
		"empty":         {`{"end":{"dateTime":"","timeZone":"UTC"}}`, "event end: dateTime is empty"},
		"out of range":  {`{"start":{"dateTime":"2025-02-30T10:00:00","timeZone":"UTC"}}`, `"2025-02-30T10:00:00"`},
		"not an object": {`{"start":"2025-01-01T10:00:00Z"}`, "cannot unmarshal"},
		"wrong type":    {`{"start":{"dateTime":20250101,"timeZone":"UTC"}}`, "cannot unmarshal"},
	} {
		var ev calendar.Event
		err := api.Unmarshal([]byte(c.json), &ev)
		assert.ErrorContains(t, err, c.want, name)
	}
	var slot calendar.TimeSlot
	assert.ErrorContains(t, api.Unmarshal([]byte(`{"start":{"dateTime":"2025-01-01 10:00","timeZone":"UTC"}}`), &slot), "timeSlot start")

	// An offset is unambiguous, so it is read rather than refused.
	var ev calendar.Event
	require.NoError(t, api.Unmarshal([]byte(`{"start":{"dateTime":"2025-01-01T10:00:00+02:00","timeZone":"UTC"}}`), &ev))
	assert.Equal(t, time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC), ev.Start)

	// A page with one bad event fails as a whole, naming the problem.
	ws := newWireServer(t, func(w http.ResponseWriter, r *http.Request, _ string) {
		w.Write([]byte(`{"value":[{"id":"1","start":{"dateTime":"soon","timeZone":"UTC"}}]}`))
	})
	s := calendar.New(ws.con, ws.protocol)
	for _, err := range s.Events(ctx) {
		assert.ErrorContains(t, err, `dateTime "soon"`)
	}
}

func TestEndBeforeStart(t *testing.T) {
	srv := emulator(t)
	s := schedule(t, srv, adele, time.UTC)
	ev := s.NewEvent()
	ev.Subject = "Backwards"
	ev.Start = time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC)
	ev.End = ev.Start.Add(-time.Hour)
	before := len(srv.Requests())
	err := ev.Save(ctx)
	assert.ErrorContains(t, err, `"Backwards" ends (2025-01-01T09:00:00Z) before it starts (2025-01-01T10:00:00Z)`)
	ev.End = time.Time{}
	assert.ErrorContains(t, ev.Save(ctx), "needs both a start and an end")
	ev.IsAllDay, ev.End = true, ev.Start.Add(24*time.Hour)
	assert.ErrorContains(t, ev.Save(ctx), "must start and end at midnight")
	for _, err := range s.CalendarView(ctx, ev.Start, ev.Start.Add(-time.Hour)) {
		assert.ErrorContains(t, err, "calendar view ends")
	}
	_, err = s.GetAvailability(ctx, []string{adele}, ev.Start, ev.Start.Add(-time.Hour), 0)
	assert.ErrorContains(t, err, "before it starts")
	assert.Len(t, srv.Requests(), before, "nothing reached the server")

	// The emulator refuses it as Graph does, for clients that do not check.
	_, err = srv.AddEvent(adele, "", map[string]any{"subject": "x",
		"start": map[string]any{"dateTime": "2025-01-01T10:00:00", "timeZone": "UTC"},
		"end":   map[string]any{"dateTime": "2025-01-01T09:00:00", "timeZone": "UTC"}})
	assert.ErrorContains(t, err, "The end date occurs before the start date.")

	// An existing event moved backwards fails too.
	ok := s.NewEvent()
	ok.Start, ok.End = ev.Start, ev.Start.Add(time.Hour)
	require.NoError(t, ok.Save(ctx))
	ok.End = ok.Start.Add(-time.Minute)
	assert.ErrorContains(t, ok.Save(ctx), "before it starts")
}

func TestRecurrenceMissingFields(t *testing.T) {
	srv := emulator(t)
	s := schedule(t, srv, adele, time.UTC)
	start := time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		r    calendar.Recurrence
		want string
	}{
		{calendar.Recurrence{Pattern: calendar.Pattern{Type: calendar.Weekly, Interval: 1}, Range: calendar.Range{Type: calendar.NoEnd}},
			"weekly pattern needs daysOfWeek"},
		{calendar.Recurrence{Pattern: calendar.Pattern{Type: calendar.Daily}, Range: calendar.Range{Type: calendar.NoEnd}},
			"interval from 1 to 1000, got 0"},
		{calendar.Recurrence{Pattern: calendar.Pattern{Interval: 1}, Range: calendar.Range{Type: calendar.NoEnd}},
			"pattern type is missing"},
		{calendar.Recurrence{Pattern: calendar.Pattern{Type: calendar.AbsoluteMonthly, Interval: 1}, Range: calendar.Range{Type: calendar.NoEnd}},
			"absoluteMonthly pattern needs a dayOfMonth"},
		{calendar.Recurrence{Pattern: calendar.Pattern{Type: calendar.RelativeYearly, Interval: 1, DaysOfWeek: []calendar.DayOfWeek{calendar.Friday}}, Range: calendar.Range{Type: calendar.NoEnd}},
			"relativeYearly pattern needs a month"},
		{calendar.Recurrence{Pattern: calendar.Pattern{Type: calendar.Daily, Interval: 1}, Range: calendar.Range{Type: calendar.EndDate}},
			"endDate range needs an endDate"},
		{calendar.Recurrence{Pattern: calendar.Pattern{Type: calendar.Daily, Interval: 1}, Range: calendar.Range{Type: calendar.Numbered}},
			"numbered range needs numberOfOccurrences"},
		{calendar.Recurrence{Pattern: calendar.Pattern{Type: calendar.Daily, Interval: 1}},
			"range type is missing"},
		{calendar.Recurrence{Pattern: calendar.Pattern{Type: calendar.Weekly, Interval: 1, DaysOfWeek: []calendar.DayOfWeek{"Funday"}}, Range: calendar.Range{Type: calendar.NoEnd}},
			`"Funday"`},
	} {
		ev := s.NewEvent()
		ev.Start, ev.End = start, start.Add(time.Hour)
		r := c.r
		ev.Recurrence = &r
		err := ev.Save(ctx)
		assert.ErrorContains(t, err, c.want)
		assert.ErrorContains(t, err, "invalid recurrence")
		assert.ErrorContains(t, ev.Recurrence.Validate(), c.want)
		_, err = ev.Occurrences()
		assert.ErrorContains(t, err, c.want)
	}
	assert.Empty(t, o365test.Collect(t, s.Events(ctx)), "nothing was created")

	// The emulator refuses them too.
	_, err := srv.AddEvent(adele, "", map[string]any{"subject": "x",
		"start":      map[string]any{"dateTime": "2025-01-06T09:00:00", "timeZone": "UTC"},
		"end":        map[string]any{"dateTime": "2025-01-06T10:00:00", "timeZone": "UTC"},
		"recurrence": map[string]any{"pattern": map[string]any{"type": "weekly", "interval": 1}, "range": map[string]any{"type": "noEnd", "startDate": "2025-01-06"}}})
	var ge *api.GraphError
	assert.False(t, errors.As(err, &ge))
	assert.ErrorContains(t, err, "weekly pattern needs daysOfWeek")

	_, err = (&calendar.Event{}).Occurrences()
	assert.ErrorContains(t, err, "does not recur")
}

func TestEmulatorRefusesBadBodies(t *testing.T) {
	srv := emulator(t)
	for _, c := range []struct {
		event map[string]any
		want  string
	}{
		{map[string]any{"subjekt": "x"}, "The property 'subjekt' does not exist on type 'microsoft.graph.event'"},
		{map[string]any{"subject": 7}, "Cannot convert the value of property 'subject' to the expected type 'Edm.String'"},
		{map[string]any{"importance": "urgent"}, "microsoft.graph.importance"},
		{map[string]any{"subject": "no times"}, "An event needs a start and an end"},
		{map[string]any{"start": map[string]any{"dateTime": "tomorrow", "timeZone": "UTC"}}, "Cannot convert the literal 'tomorrow'"},
	} {
		_, err := srv.AddEvent(adele, "", c.event)
		assert.ErrorContains(t, err, c.want)
	}
}
