package calendar_test

import (
	"strings"
	"testing"
	"time"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/calendar"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// statuses maps each attendee's address to their response.
func statuses(ev *calendar.Event) map[string]calendar.ResponseType {
	out := map[string]calendar.ResponseType{}
	for _, a := range ev.Attendees {
		if a.Status != nil {
			out[a.EmailAddress.Address] = a.Status.Response
		}
	}
	return out
}

// only returns the one event of a list, failing otherwise.
func only(t *testing.T, events []*calendar.Event) *calendar.Event {
	t.Helper()
	require.Len(t, events, 1)
	return events[0]
}

func newMeeting(t *testing.T, s *calendar.Schedule, start time.Time, attendees ...string) *calendar.Event {
	t.Helper()
	ev := s.NewEvent()
	ev.Subject = "Design review"
	ev.Start, ev.End = start, start.Add(time.Hour)
	ev.Location = &calendar.Location{DisplayName: "Room 7"}
	for i, a := range attendees {
		typ := calendar.Required
		if i > 0 {
			typ = calendar.Optional
		}
		ev.Attendees = append(ev.Attendees, calendar.Attendee{Type: typ, EmailAddress: calendar.EmailAddress{Address: a}})
	}
	require.NoError(t, ev.Save(ctx))
	return ev
}

// One account holds three users; switching with SetUsername answers the
// invitation as each of them.
func TestInvitationsAndResponses(t *testing.T) {
	srv := emulator(t)
	acct := signIn(t, srv, []string{alex, megan, adele})
	require.Equal(t, adele, acct.Username())
	s := acct.Schedule()
	s.Location = time.UTC
	start := time.Date(2025, 4, 7, 14, 0, 0, 0, time.UTC)
	meeting := newMeeting(t, s, start, alex, megan, "guest@fabrikam.com")

	assert.Equal(t, map[string]calendar.ResponseType{
		alex: calendar.ResponseNone, megan: calendar.ResponseNone, "guest@fabrikam.com": calendar.ResponseNone,
	}, statuses(meeting))

	// Alex finds the invitation in his calendar.
	require.NoError(t, acct.SetUsername(alex))
	inv := only(t, o365test.Collect(t, s.Events(ctx)))
	assert.Equal(t, "Design review", inv.Subject)
	assert.False(t, inv.IsOrganizer)
	assert.Equal(t, meeting.ICalUID, inv.ICalUID)
	assert.Equal(t, adele, inv.Organizer.EmailAddress.Address)
	assert.Equal(t, calendar.ResponseNotResponded, inv.ResponseStatus.Response)
	assert.Equal(t, calendar.Tentative, inv.ShowAs)
	assert.True(t, inv.Start.Equal(start))

	err := inv.Cancel(ctx, "not mine")
	var ge *api.GraphError
	require.ErrorAs(t, err, &ge, "only the organizer cancels")
	assert.Equal(t, "ErrorInvalidRequest", ge.Code)

	require.NoError(t, inv.Accept(ctx, "Count me in", true))
	assert.Equal(t, calendar.ResponseAccepted, inv.ResponseStatus.Response)
	inv, err = s.Event(ctx, inv.ID)
	require.NoError(t, err)
	assert.Equal(t, calendar.ResponseAccepted, inv.ResponseStatus.Response)
	assert.Equal(t, calendar.Busy, inv.ShowAs)

	// Megan accepts tentatively without telling Adele.
	require.NoError(t, acct.SetUsername(megan))
	minv := only(t, o365test.Collect(t, s.Events(ctx)))
	require.NoError(t, minv.TentativelyAccept(ctx, "", false))

	// Adele sees Alex's answer, not Megan's.
	require.NoError(t, acct.SetUsername(adele))
	meeting, err = s.Event(ctx, meeting.ID)
	require.NoError(t, err)
	assert.Equal(t, calendar.ResponseAccepted, statuses(meeting)[alex])
	assert.Equal(t, calendar.ResponseNone, statuses(meeting)[megan])
	for _, a := range meeting.Attendees {
		if a.EmailAddress.Address == alex {
			assert.False(t, a.Status.Time.IsZero(), "the answer is dated")
		}
	}
	err = meeting.Accept(ctx, "", true)
	require.ErrorAs(t, err, &ge, "the organizer does not answer their own meeting")

	// The organizer moves the meeting: every copy follows.
	meeting.Start = meeting.Start.Add(24 * time.Hour)
	meeting.End = meeting.End.Add(24 * time.Hour)
	meeting.Subject = "Design review (Tuesday)"
	require.NoError(t, meeting.Save(ctx))
	require.NoError(t, acct.SetUsername(alex))
	inv = only(t, o365test.Collect(t, s.Events(ctx)))
	assert.Equal(t, "Design review (Tuesday)", inv.Subject)
	assert.True(t, inv.Start.Equal(start.Add(24*time.Hour)))

	// Megan declines after all (and says so): the meeting leaves her
	// calendar, and Adele's list shows it.
	require.NoError(t, acct.SetUsername(megan))
	minv = only(t, o365test.Collect(t, s.Events(ctx)))
	require.NoError(t, minv.Decline(ctx, "Sorry", true))
	assert.Empty(t, o365test.Collect(t, s.Events(ctx)))
	require.NoError(t, acct.SetUsername(adele))
	meeting, err = s.Event(ctx, meeting.ID)
	require.NoError(t, err)
	assert.Equal(t, calendar.ResponseDeclined, statuses(meeting)[megan])

	// Adele cancels: Alex's copy says so, and hers is gone.
	require.NoError(t, meeting.Cancel(ctx, "Postponed"))
	assert.Empty(t, o365test.Collect(t, s.Events(ctx)))
	require.NoError(t, acct.SetUsername(alex))
	inv = only(t, o365test.Collect(t, s.Events(ctx)))
	assert.True(t, inv.IsCancelled)
	assert.True(t, strings.HasPrefix(inv.Subject, "Canceled: "), inv.Subject)
}

func TestAttendeeChangesReachTheirCalendars(t *testing.T) {
	srv := emulator(t)
	acct := signIn(t, srv, []string{alex, megan, adele})
	s := acct.Schedule()
	s.Location = time.UTC
	meeting := newMeeting(t, s, time.Date(2025, 4, 8, 9, 0, 0, 0, time.UTC), alex)

	// Megan is added and Alex removed.
	meeting.Attendees = []calendar.Attendee{{Type: calendar.Required, EmailAddress: calendar.EmailAddress{Address: megan, Name: "Megan Bowen"}}}
	require.NoError(t, meeting.Save(ctx))

	require.NoError(t, acct.SetUsername(megan))
	inv := only(t, o365test.Collect(t, s.Events(ctx)))
	assert.Equal(t, calendar.ResponseNotResponded, inv.ResponseStatus.Response)
	require.NoError(t, acct.SetUsername(alex))
	inv = only(t, o365test.Collect(t, s.Events(ctx)))
	assert.True(t, inv.IsCancelled, "a removed attendee's copy is cancelled")

	// Deleting the meeting cancels it for those still invited.
	require.NoError(t, acct.SetUsername(adele))
	require.NoError(t, meeting.Delete(ctx))
	require.NoError(t, acct.SetUsername(megan))
	inv = only(t, o365test.Collect(t, s.Events(ctx)))
	assert.True(t, inv.IsCancelled)
}

func TestRecurringMeetingInvitation(t *testing.T) {
	srv := emulator(t)
	acct := signIn(t, srv, []string{alex, adele})
	s := acct.Schedule()
	s.Location = zone(t, "Europe/London")
	ev := s.NewEvent()
	ev.Subject = "Weekly sync"
	ev.Start = time.Date(2025, 3, 24, 10, 0, 0, 0, s.Location)
	ev.End = ev.Start.Add(30 * time.Minute)
	ev.Attendees = []calendar.Attendee{{Type: calendar.Required, EmailAddress: calendar.EmailAddress{Address: alex}}}
	ev.Recurrence = &calendar.Recurrence{
		Pattern: calendar.Pattern{Type: calendar.Weekly, Interval: 1, DaysOfWeek: []calendar.DayOfWeek{calendar.Monday}},
		Range:   calendar.Range{Type: calendar.Numbered, NumberOfOccurrences: 3},
	}
	require.NoError(t, ev.Save(ctx))

	require.NoError(t, acct.SetUsername(alex))
	view := o365test.Collect(t, s.CalendarView(ctx, ev.Start.AddDate(0, 0, -1), ev.Start.AddDate(0, 1, 0)))
	assert.Equal(t, []string{"03-24 10:00 GMT", "03-31 10:00 BST", "04-07 10:00 BST"}, starts(view, "01-02 15:04 MST"))
	require.NoError(t, view[1].Accept(ctx, "", true), "answering an occurrence answers the series")

	require.NoError(t, acct.SetUsername(adele))
	ev, err := s.Event(ctx, ev.ID)
	require.NoError(t, err)
	assert.Equal(t, calendar.ResponseAccepted, statuses(ev)[alex])
}

func TestAttachments(t *testing.T) {
	srv := emulator(t)
	s := schedule(t, srv, adele, time.UTC)
	ev := newMeeting(t, s, time.Date(2025, 4, 9, 9, 0, 0, 0, time.UTC))
	assert.False(t, ev.HasAttachments)

	a := &calendar.Attachment{Name: "agenda.txt", ContentBytes: []byte("1. numbers\n2. more numbers\n")}
	require.NoError(t, ev.AddAttachment(ctx, a))
	assert.NotEmpty(t, a.ID)
	assert.Equal(t, "text/plain", a.ContentType)
	assert.EqualValues(t, 27, a.Size)
	assert.True(t, ev.HasAttachments)

	list := o365test.Collect(t, ev.Attachments(ctx))
	require.Len(t, list, 1)
	assert.Equal(t, "agenda.txt", list[0].Name)
	assert.Equal(t, a.ContentBytes, list[0].ContentBytes)
	got, err := ev.Attachment(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, a.ContentBytes, got.ContentBytes)

	ev, err = s.Event(ctx, ev.ID)
	require.NoError(t, err)
	assert.True(t, ev.HasAttachments)

	require.NoError(t, got.Delete(ctx))
	assert.Empty(t, o365test.Collect(t, ev.Attachments(ctx)))
	_, err = ev.Attachment(ctx, a.ID)
	assert.ErrorIs(t, err, api.ErrNotFound)

	big := &calendar.Attachment{Name: "big.bin", ContentBytes: make([]byte, calendar.MaxAttachmentSize+1)}
	before := len(srv.Requests())
	assert.ErrorContains(t, ev.AddAttachment(ctx, big), "big.bin")
	assert.Len(t, srv.Requests(), before, "refused before any request")
	assert.ErrorContains(t, ev.AddAttachment(ctx, &calendar.Attachment{}), "needs a name")
}

func TestAvailability(t *testing.T) {
	srv := emulator(t)
	la := zone(t, "America/Los_Angeles")
	require.NoError(t, srv.SetWorkingHours(megan, workdays(la)))
	acct := signIn(t, srv, []string{megan, adele})
	s := acct.Schedule()
	s.Location = la
	day := func(h, m int) time.Time { return time.Date(2019, 3, 15, h, m, 0, 0, la) }

	// Adele: lunch 12–14, and a private appointment at 16.
	lunch := s.NewEvent()
	lunch.Subject, lunch.Start, lunch.End = "Let's go for lunch", day(12, 0), day(14, 0)
	lunch.Location = &calendar.Location{DisplayName: "Harry's Bar"}
	require.NoError(t, lunch.Save(ctx))
	private := s.NewEvent()
	private.Subject, private.Start, private.End = "Doctor", day(16, 0), day(16, 30)
	private.Sensitivity = calendar.SensitivityPrivate
	require.NoError(t, private.Save(ctx))
	free := s.NewEvent()
	free.Subject, free.Start, free.End, free.ShowAs = "Reminder only", day(9, 0), day(10, 0), calendar.Free
	require.NoError(t, free.Save(ctx))

	// Megan: out of office 08:30–09:30, and invited to Adele's 13:00.
	require.NoError(t, acct.SetUsername(megan))
	oof := s.NewEvent()
	oof.Subject, oof.Start, oof.End, oof.ShowAs = "Dentist", day(8, 30), day(9, 30), calendar.OutOfOffice
	require.NoError(t, oof.Save(ctx))
	require.NoError(t, acct.SetUsername(adele))
	newMeeting(t, s, day(13, 0), megan)

	info, err := s.GetAvailability(ctx, []string{adele, megan, "nobody@contoso.com"}, day(9, 0), day(18, 0), time.Hour)
	require.NoError(t, err)
	require.Len(t, info, 3)

	assert.Equal(t, adele, info[0].ScheduleID)
	assert.Equal(t, "000220020", info[0].AvailabilityView)
	require.Len(t, info[0].ScheduleItems, 3)
	it := info[0].ScheduleItems[0]
	assert.Equal(t, "Let's go for lunch", it.Subject)
	assert.Equal(t, "Harry's Bar", it.Location)
	assert.Equal(t, calendar.Busy, it.Status)
	assert.Equal(t, day(12, 0), it.Start)
	assert.Equal(t, la, it.Start.Location())
	assert.Equal(t, "Doctor", info[0].ScheduleItems[2].Subject, "Adele sees her own private event")

	assert.Equal(t, megan, info[1].ScheduleID)
	assert.Equal(t, "300010000", info[1].AvailabilityView, "out of office, then the invitation shows tentative")
	require.NotNil(t, info[1].WorkingHours)
	assert.Equal(t, "Pacific Standard Time", info[1].WorkingHours.TimeZone.Name)
	assert.Equal(t, "08:00:00.0000000", info[1].WorkingHours.StartTime)

	require.NotNil(t, info[2].Error)
	assert.Empty(t, info[2].AvailabilityView)

	// Others do not see a private event's details.
	require.NoError(t, acct.SetUsername(megan))
	info, err = s.GetAvailability(ctx, []string{adele}, day(15, 0), day(17, 0), 30*time.Minute)
	require.NoError(t, err)
	assert.Equal(t, "0020", info[0].AvailabilityView)
	require.Len(t, info[0].ScheduleItems, 1)
	assert.True(t, info[0].ScheduleItems[0].IsPrivate)
	assert.Empty(t, info[0].ScheduleItems[0].Subject)

	_, err = s.GetAvailability(ctx, []string{adele}, day(15, 0), day(17, 0), 7*time.Second)
	assert.ErrorContains(t, err, "7s")
	_, err = s.GetAvailability(ctx, nil, day(15, 0), day(17, 0), 0)
	assert.ErrorContains(t, err, "no schedules")
}

func workdays(loc *time.Location) graphtest.WorkingHours {
	return graphtest.WorkingHours{
		Days:  []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
		Start: 8 * time.Hour, End: 17 * time.Hour, Location: loc,
	}
}

func TestFindMeetingTimes(t *testing.T) {
	srv := emulator(t)
	la := zone(t, "America/Los_Angeles")
	for _, u := range []string{adele, alex} {
		require.NoError(t, srv.SetWorkingHours(u, workdays(la)))
	}
	acct := signIn(t, srv, []string{alex, adele})
	s := acct.Schedule()
	s.Location = la
	at := func(d, h int) time.Time { return time.Date(2019, 4, 16+d, h, 0, 0, 0, la) }

	// Alex is busy on the 16th and 17th and the morning of the 18th;
	// Adele is away from 15:00 on the 18th.
	require.NoError(t, acct.SetUsername(alex))
	for _, span := range [][2]time.Time{{at(0, 8), at(0, 17)}, {at(1, 8), at(1, 17)}, {at(2, 8), at(2, 11)}} {
		ev := s.NewEvent()
		ev.Subject, ev.Start, ev.End = "Busy", span[0], span[1]
		require.NoError(t, ev.Save(ctx))
	}
	require.NoError(t, acct.SetUsername(adele))
	away := s.NewEvent()
	away.Subject, away.Start, away.End, away.ShowAs = "Away", at(2, 15), at(2, 17), calendar.OutOfOffice
	require.NoError(t, away.Save(ctx))

	res, err := s.FindMeetingTimes(ctx, calendar.MeetingTimeRequest{
		Attendees: []calendar.Attendee{{Type: calendar.Required, EmailAddress: calendar.EmailAddress{Address: alex}}},
		TimeConstraint: &calendar.TimeConstraint{ActivityDomain: "work",
			TimeSlots: []calendar.TimeSlot{{Start: at(0, 9), End: at(2, 17)}}},
		MeetingDuration:           time.Hour,
		MaxCandidates:             3,
		MinimumAttendeePercentage: 100,
		ReturnSuggestionReasons:   true,
	})
	require.NoError(t, err)
	assert.Empty(t, res.EmptySuggestionsReason)
	require.Len(t, res.MeetingTimeSuggestions, 3)
	var got []string
	for _, sg := range res.MeetingTimeSuggestions {
		got = append(got, sg.MeetingTimeSlot.Start.Format("01-02 15:04")+"–"+sg.MeetingTimeSlot.End.Format("15:04"))
		assert.EqualValues(t, 100, sg.Confidence)
		assert.Equal(t, calendar.Free, sg.OrganizerAvailability)
		require.Len(t, sg.AttendeeAvailability, 1)
		assert.Equal(t, calendar.Free, sg.AttendeeAvailability[0].Availability)
		assert.NotEmpty(t, sg.SuggestionReason)
		assert.Equal(t, la, sg.MeetingTimeSlot.Start.Location())
	}
	assert.Equal(t, []string{"04-18 11:00–12:00", "04-18 11:30–12:30", "04-18 12:00–13:00"}, got,
		"the first free hours of both, within working hours")
	assert.Equal(t, 1, res.MeetingTimeSuggestions[0].Order)

	// Nothing fits when Alex is never free.
	res, err = s.FindMeetingTimes(ctx, calendar.MeetingTimeRequest{
		Attendees:                 []calendar.Attendee{{EmailAddress: calendar.EmailAddress{Address: alex}}},
		TimeConstraint:            &calendar.TimeConstraint{TimeSlots: []calendar.TimeSlot{{Start: at(0, 9), End: at(0, 17)}}},
		MinimumAttendeePercentage: 100,
	})
	require.NoError(t, err)
	assert.Empty(t, res.MeetingTimeSuggestions)
	assert.Equal(t, "attendeesUnavailable", res.EmptySuggestionsReason)

	_, err = s.FindMeetingTimes(ctx, calendar.MeetingTimeRequest{
		TimeConstraint: &calendar.TimeConstraint{TimeSlots: []calendar.TimeSlot{{Start: at(1, 9), End: at(0, 9)}}},
	})
	assert.ErrorContains(t, err, "before it starts")
}
