package calendar_test

import (
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/calendar"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// starts formats the start of each event as the test writes them.
func starts(events []*calendar.Event, layout string) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.Start.Format(layout)
	}
	return out
}

// The second Tuesday of every month, ten times, from January 2025: the
// dates were checked by hand against a printed 2025 calendar.
func TestSecondTuesdayOfEveryMonth(t *testing.T) {
	srv := emulator(t)
	ny := zone(t, "America/New_York")
	s := schedule(t, srv, adele, ny)

	ev := s.NewEvent()
	ev.Subject = "Patch Tuesday"
	ev.Start = time.Date(2025, 1, 14, 13, 0, 0, 0, ny)
	ev.End = ev.Start.Add(30 * time.Minute)
	ev.Recurrence = &calendar.Recurrence{
		Pattern: calendar.Pattern{Type: calendar.RelativeMonthly, Interval: 1,
			DaysOfWeek: []calendar.DayOfWeek{calendar.Tuesday}, Index: calendar.Second},
		Range: calendar.Range{Type: calendar.Numbered, NumberOfOccurrences: 10},
	}
	require.NoError(t, ev.Save(ctx))
	assert.Equal(t, calendar.SeriesMaster, ev.Type)
	assert.Equal(t, calendar.Date{Year: 2025, Month: 1, Day: 14}, ev.Recurrence.Range.StartDate, "filled from the start")
	assert.Equal(t, "Eastern Standard Time", ev.Recurrence.Range.RecurrenceTimeZone)

	want := []string{"2025-01-14", "2025-02-11", "2025-03-11", "2025-04-08", "2025-05-13",
		"2025-06-10", "2025-07-08", "2025-08-12", "2025-09-09", "2025-10-14"}

	view := o365test.Collect(t, s.CalendarView(ctx, time.Date(2025, 1, 1, 0, 0, 0, 0, ny), time.Date(2026, 1, 1, 0, 0, 0, 0, ny)))
	assert.Equal(t, want, starts(view, "2006-01-02"))
	for _, o := range view {
		assert.Equal(t, calendar.Occurrence, o.Type)
		assert.Equal(t, ev.ID, o.SeriesMasterID)
		assert.Equal(t, "Patch Tuesday", o.Subject)
		assert.Equal(t, "13:00", o.Start.Format("15:04"), "wall-clock time kept, EST and EDT alike")
		assert.Equal(t, 30*time.Minute, o.End.Sub(o.Start))
		assert.Nil(t, o.Recurrence)
	}

	// The local expansion agrees with the server's.
	occ, err := ev.Occurrences()
	require.NoError(t, err)
	var local []string
	for slot := range occ {
		local = append(local, slot.Start.Format("2006-01-02"))
	}
	assert.Equal(t, want, local)

	// Instances of the series in a window.
	inst := o365test.Collect(t, ev.Instances(ctx, time.Date(2025, 3, 1, 0, 0, 0, 0, ny), time.Date(2025, 6, 1, 0, 0, 0, 0, ny)))
	assert.Equal(t, []string{"2025-03-11", "2025-04-08", "2025-05-13"}, starts(inst, "2006-01-02"))

	// An occurrence can be read, moved (it becomes an exception) and
	// deleted by its id.
	april, err := s.Event(ctx, inst[1].ID)
	require.NoError(t, err)
	assert.Equal(t, calendar.Occurrence, april.Type)
	april.Subject = "Patch Tuesday (late)"
	april.Start = april.Start.Add(2 * time.Hour)
	april.End = april.End.Add(2 * time.Hour)
	require.NoError(t, april.Save(ctx))
	assert.Equal(t, calendar.Exception, april.Type)
	require.NoError(t, inst[2].Delete(ctx))

	view = o365test.Collect(t, s.CalendarView(ctx, time.Date(2025, 3, 1, 0, 0, 0, 0, ny), time.Date(2025, 6, 1, 0, 0, 0, 0, ny)))
	require.Len(t, view, 2)
	assert.Equal(t, []string{"2025-03-11 13:00", "2025-04-08 15:00"}, starts(view, "2006-01-02 15:04"))
	assert.Equal(t, calendar.Exception, view[1].Type)
	assert.Equal(t, "Patch Tuesday (late)", view[1].Subject)
	_, err = s.Event(ctx, inst[2].ID)
	assert.ErrorIs(t, err, api.ErrNotFound, "a deleted occurrence is gone")
}

// A weekly meeting at 09:00 in Berlin stays at 09:00 Berlin time when
// Europe changes to summer time (2025-03-30), so in UTC it moves from
// 08:00 to 07:00, and a viewer in New York (who changed three weeks
// earlier) sees it move twice.
func TestDSTKeepsTheEventsWallClock(t *testing.T) {
	srv := emulator(t)
	berlin := zone(t, "Europe/Berlin")
	s := schedule(t, srv, adele, berlin)
	ev := s.NewEvent()
	ev.Subject = "Jour fixe"
	ev.Start = time.Date(2025, 3, 3, 9, 0, 0, 0, berlin)
	ev.End = ev.Start.Add(time.Hour)
	ev.Recurrence = &calendar.Recurrence{
		Pattern: calendar.Pattern{Type: calendar.Weekly, Interval: 1, DaysOfWeek: []calendar.DayOfWeek{calendar.Monday}},
		Range:   calendar.Range{Type: calendar.EndDate, EndDate: calendar.Date{Year: 2025, Month: 4, Day: 7}},
	}
	require.NoError(t, ev.Save(ctx))

	from, to := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	view := o365test.Collect(t, s.CalendarView(ctx, from, to))
	assert.Equal(t, []string{"03-03 09:00", "03-10 09:00", "03-17 09:00", "03-24 09:00", "03-31 09:00", "04-07 09:00"},
		starts(view, "01-02 15:04"), "Berlin wall clock")

	s.Location = time.UTC
	view = o365test.Collect(t, s.CalendarView(ctx, from, to))
	assert.Equal(t, []string{"03-03 08:00", "03-10 08:00", "03-17 08:00", "03-24 08:00", "03-31 07:00", "04-07 07:00"},
		starts(view, "01-02 15:04"), "UTC")

	s.Location = zone(t, "America/New_York")
	view = o365test.Collect(t, s.CalendarView(ctx, from, to))
	assert.Equal(t, []string{"03-03 03:00", "03-10 04:00", "03-17 04:00", "03-24 04:00", "03-31 03:00", "04-07 03:00"},
		starts(view, "01-02 15:04"), "New York")
}

func TestEveryPatternThroughTheServer(t *testing.T) {
	srv := emulator(t)
	s := schedule(t, srv, adele, time.UTC)
	for _, c := range []struct {
		name    string
		first   time.Time
		pattern calendar.Pattern
		rng     calendar.Range
		want    []string
	}{
		{"daily every other day", time.Date(2025, 2, 26, 8, 0, 0, 0, time.UTC),
			calendar.Pattern{Type: calendar.Daily, Interval: 2},
			calendar.Range{Type: calendar.Numbered, NumberOfOccurrences: 4},
			[]string{"2025-02-26", "2025-02-28", "2025-03-02", "2025-03-04"}},
		{"weekly on Tuesday and Thursday", time.Date(2025, 9, 2, 8, 0, 0, 0, time.UTC),
			calendar.Pattern{Type: calendar.Weekly, Interval: 1, DaysOfWeek: []calendar.DayOfWeek{calendar.Tuesday, calendar.Thursday}},
			calendar.Range{Type: calendar.EndDate, EndDate: calendar.Date{Year: 2025, Month: 9, Day: 11}},
			[]string{"2025-09-02", "2025-09-04", "2025-09-09", "2025-09-11"}},
		{"absolute monthly on the 31st", time.Date(2025, 1, 31, 8, 0, 0, 0, time.UTC),
			calendar.Pattern{Type: calendar.AbsoluteMonthly, Interval: 1, DayOfMonth: 31},
			calendar.Range{Type: calendar.Numbered, NumberOfOccurrences: 3},
			[]string{"2025-01-31", "2025-02-28", "2025-03-31"}},
		{"absolute yearly on 29 February", time.Date(2024, 2, 29, 8, 0, 0, 0, time.UTC),
			calendar.Pattern{Type: calendar.AbsoluteYearly, Interval: 1, Month: 2, DayOfMonth: 29},
			calendar.Range{Type: calendar.Numbered, NumberOfOccurrences: 3},
			[]string{"2024-02-29", "2025-02-28", "2026-02-28"}},
		{"relative yearly: last Monday of May", time.Date(2025, 5, 26, 8, 0, 0, 0, time.UTC),
			calendar.Pattern{Type: calendar.RelativeYearly, Interval: 1, Month: 5, DaysOfWeek: []calendar.DayOfWeek{calendar.Monday}, Index: calendar.Last},
			calendar.Range{Type: calendar.NoEnd},
			[]string{"2025-05-26", "2026-05-25", "2027-05-31"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cal, err := s.NewCalendar(ctx, c.name)
			require.NoError(t, err)
			ev := cal.NewEvent()
			ev.Subject = c.name
			ev.Start, ev.End = c.first, c.first.Add(time.Hour)
			ev.Recurrence = &calendar.Recurrence{Pattern: c.pattern, Range: c.rng}
			require.NoError(t, ev.Save(ctx))
			view := o365test.Collect(t, cal.CalendarView(ctx, c.first.AddDate(0, -1, 0), c.first.AddDate(2, 6, 0)))
			assert.Equal(t, c.want, starts(view, "2006-01-02"))
		})
	}
}

// Ten years of a daily series is 3653 occurrences over 4 pages of 1000.
func TestTenYearsOfADailySeries(t *testing.T) {
	srv := emulator(t)
	s := schedule(t, srv, adele, time.UTC)
	seedDaily(t, s)
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	view := o365test.Collect(t, s.CalendarView(ctx, from, from.AddDate(10, 0, 0), o365.BatchSize(1000)))
	require.Len(t, view, 3652)
	assert.Equal(t, "2025-01-01 07:30", view[0].Start.Format("2006-01-02 15:04"))
	assert.Equal(t, "2034-12-31 07:30", view[len(view)-1].Start.Format("2006-01-02 15:04"))
}

// seedDaily creates a daily stand-up with no end, from 2025-01-01.
func seedDaily(t testing.TB, s *calendar.Schedule) *calendar.Event {
	t.Helper()
	ev := s.NewEvent()
	ev.Subject = "Stand-up"
	ev.Start = time.Date(2025, 1, 1, 7, 30, 0, 0, time.UTC)
	ev.End = ev.Start.Add(15 * time.Minute)
	ev.Attendees = []calendar.Attendee{{Type: calendar.Required, EmailAddress: calendar.EmailAddress{Address: "someone@example.com"}}}
	ev.Recurrence = &calendar.Recurrence{
		Pattern: calendar.Pattern{Type: calendar.Daily, Interval: 1},
		Range:   calendar.Range{Type: calendar.NoEnd},
	}
	require.NoError(t, ev.Save(ctx))
	return ev
}
