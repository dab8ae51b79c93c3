// Package calendar works with Outlook calendars through Microsoft Graph:
// a user's calendars, their events (single events, recurring series and
// their occurrences), meetings with attendees and their answers, event
// attachments, free/busy schedules and meeting-time suggestions.
//
// Start from a Schedule: account.Schedule() for the signed-in user,
// account.Schedule("user@contoso.com") for another user whose calendars
// are shared with them (or any user, with an app-only token), or
// New(con, protocol) without an Account.
//
//	sched := account.Schedule()
//	sched.Location, _ = time.LoadLocation("Europe/Berlin")
//	ev := sched.NewEvent()
//	ev.Subject = "Weekly sync"
//	ev.Start = time.Date(2025, 3, 17, 10, 0, 0, 0, sched.Location)
//	ev.End = ev.Start.Add(30 * time.Minute)
//	ev.Recurrence = &calendar.Recurrence{
//		Pattern: calendar.Pattern{Type: calendar.Weekly, Interval: 1, DaysOfWeek: []calendar.DayOfWeek{calendar.Monday}},
//		Range:   calendar.Range{Type: calendar.NoEnd},
//	}
//	err := ev.Save(ctx)
//	for o, err := range sched.CalendarView(ctx, monday, monday.AddDate(0, 0, 7)) { … }
//
// # Time zones
//
// Graph writes a time as a dateTimeTimeZone: a wall-clock reading and a
// zone name, which may be a Windows name ("W. Europe Standard Time") or
// an IANA name ("Europe/Berlin"). This package shows every time as a
// time.Time:
//
//   - Reading, Graph is asked for times in the Schedule's Location with
//     the header Prefer: outlook.timezone="…" (by the zone's Windows
//     name), and whatever zone the answer names is converted into
//     Location, so callers see one zone however Graph answers.
//   - Writing, a time is sent in its own zone, by Windows name where
//     there is one. The zone an event is created in is the zone its
//     series keeps its wall-clock time in across daylight-saving changes,
//     so create a 10:00 Berlin meeting with a time in Europe/Berlin, not
//     in UTC. A time whose zone has no name Graph knows (time.FixedZone,
//     or a time.Local whose name cannot be found) is sent in UTC.
//   - All-day events are dates: their Start and End are midnight in
//     Location on the event's days, whichever zone they were created in.
//
// Windows and IANA names convert both ways through a table generated from
// Unicode CLDR's windowsZones.xml (internal/tz; LoadLocation,
// WindowsToIANA, IANAToWindows, ZoneName). An unknown name is an error
// matching ErrUnknownTimeZone that names it.
//
// Locations come from the time-zone database through time.LoadLocation.
// The package does not embed the database (time/tzdata adds about 450 KB
// to every binary, and most systems have one). A program that runs where
// there is none (a scratch container, Windows without Go installed)
// should import _ "time/tzdata" in its main package, or be built with
// -tags timetzdata; without it, zones fail to load with
// ErrUnknownTimeZone. The graphtest emulator embeds it, so tests work
// everywhere.
//
// # Changes
//
// Events and calendars remember their state as last loaded or saved, and
// Save sends only what changed (Changes shows what that is). Save checks
// an event before any request: it needs a start and an end, must not end
// before it starts, an all-day event runs midnight to midnight, and a
// recurrence needs every property its pattern and range type need
// (Recurrence.Validate names the first missing one). A zero
// Range.StartDate is filled from the event's start date.
//
// # Recurrence
//
// CalendarView and Event.Instances return the occurrences Graph expands;
// Event.Occurrences computes them locally, with the same rules the
// graphtest emulator uses (see internal/recurrence): daily, weekly (days
// of week, interval, first day of week), absolute and relative monthly
// and yearly (index first to last), endDate, numbered and noEnd ranges.
//
// # Meetings and availability
//
// Attendees of a saved event are invited; they Accept, TentativelyAccept
// or Decline from their copy, which updates the organizer's attendee list
// when sendResponse is true. The organizer cancels with Cancel (or
// Delete). Forward sends the meeting request on to others, as the
// organizer or an attendee. GetAvailability reads free/busy schedules
// (getSchedule) and FindMeetingTimes suggests times.
//
// # Tracking changes
//
// CalendarViewDelta (of a Schedule or a Calendar) follows a calendar view
// across delta rounds: the first yields the whole view, later ones what
// changed, removed events marked by Removed. Persist Delta.DeltaLink to
// resume in another process; an expired one gives an error matching
// api.ErrSyncStateNotFound.
//
// # Choices
//
// Recurrence dates (Range.StartDate, EndDate) are a Date, not a
// time.Time: they are days, read in the recurrence's zone, and a
// time.Time would invite the question of which zone's midnight. Pages of
// events are decoded into a plain wire struct rather than through Event's
// UnmarshalJSON, which the JSON engine would run as a second pass over
// each event (see BenchmarkDecodeEvents). Attachments are sent inline, so
// up to MaxAttachmentSize; upload sessions for larger ones are not
// offered yet. Delta is the calendar view's (v1.0); the beta's delta of a
// whole calendar, without a window, is not offered. Delta.Changes counts
// Limit itself rather than sending $top, which the delta links do not
// take, and so it can tell a round cut short from one read to its end.
package calendar
