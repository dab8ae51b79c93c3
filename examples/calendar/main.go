// Command calendar schedules a weekly meeting and follows it through:
// Adele creates a series on Tuesdays and Thursdays with Alex and Megan
// invited, Alex accepts it (the account switches to him with SetUsername),
// Megan accepts tentatively, Adele sees their answers, lists this week's
// occurrences, asks for a time when everyone is free, and prints everyone's
// free/busy for Tuesday. It cancels the series at the end, and a delta
// round over the week, started before, shows what the cancellation
// removed.
//
// With no credentials in the environment it runs offline against the
// graphtest emulator, with a few events already in the others' calendars.
// Against a real tenant, set O365_CLIENT_ID, O365_CLIENT_SECRET (omit it
// for a public client), O365_TENANT, and O365_ATTENDEES (email addresses,
// comma-separated); the app needs Calendars.ReadWrite. Tokens are kept in
// o365_token.json; an attendee whose token is there too answers the
// invitation, as offline.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/calendar"
	"github.com/go-o365/o365/internal/demo"
)

func main() {
	demo.Main(func(ctx context.Context, w io.Writer) error { return offline(ctx, w, time.Now()) }, realTenant)
}

// offline runs against the emulator, in the week of now.
func offline(ctx context.Context, w io.Writer, now time.Time) error {
	loc, err := calendar.LoadLocation(demo.CalendarZone)
	if err != nil {
		return err
	}
	srv := demo.Emulator()
	defer srv.Close()
	monday := mondayOf(now.In(loc))
	if err := demo.SeedCalendars(srv, monday, loc); err != nil {
		return err
	}
	demo.Banner(w, srv)
	account := o365.NewAccount(demo.Credentials, append(demo.Options(srv, nil), o365.WithScopes("calendar"))...)
	// Every user signs in once, through the console flow; the account
	// keeps their tokens and switches between them.
	for _, u := range []string{demo.Users[1].UserPrincipalName, demo.Users[2].UserPrincipalName, demo.Users[0].UserPrincipalName} {
		srv.SignIn(u)
		if err := demo.SignIn(ctx, account); err != nil {
			return err
		}
	}
	attendees := []string{demo.Users[1].UserPrincipalName, demo.Users[2].UserPrincipalName}
	return run(ctx, w, account, loc, monday, attendees)
}

func realTenant(ctx context.Context, w io.Writer) error {
	account, err := demo.RealTenant(ctx, "calendar")
	if err != nil {
		return err
	}
	var attendees []string
	for _, a := range strings.Split(os.Getenv("O365_ATTENDEES"), ",") {
		if a = strings.TrimSpace(a); a != "" {
			attendees = append(attendees, a)
		}
	}
	return run(ctx, w, account, time.Local, mondayOf(time.Now()), attendees)
}

// mondayOf is midnight at the start of t's week, weeks starting Monday.
func mondayOf(t time.Time) time.Time {
	back := (int(t.Weekday()) + 6) % 7
	y, m, d := t.AddDate(0, 0, -back).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// run is the demo proper, in the week starting monday, with times shown
// in loc.
func run(ctx context.Context, w io.Writer, account *o365.Account, loc *time.Location, monday time.Time, attendees []string) error {
	organizer := account.Username()
	fmt.Fprintf(w, "Signed in as %s\n", organizer)
	sched := account.Schedule()
	sched.Location = loc

	// A weekly meeting on Tuesdays and Thursdays at 10:00, eight times.
	ev := sched.NewEvent()
	ev.Subject = "Weekly sync (o365 demo)"
	ev.Body = &calendar.ItemBody{ContentType: calendar.Text, Content: "Status, blockers, next steps."}
	ev.Start = monday.AddDate(0, 0, 1).Add(10 * time.Hour)
	ev.End = ev.Start.Add(30 * time.Minute)
	ev.Location = &calendar.Location{DisplayName: "Conf Room Rainier"}
	ev.IsOnlineMeeting, ev.OnlineMeetingProvider = true, calendar.TeamsForBusiness
	for i, a := range attendees {
		typ := calendar.Required
		if i > 0 {
			typ = calendar.Optional
		}
		ev.Attendees = append(ev.Attendees, calendar.Attendee{Type: typ, EmailAddress: calendar.EmailAddress{Address: a}})
	}
	ev.Recurrence = &calendar.Recurrence{
		Pattern: calendar.Pattern{Type: calendar.Weekly, Interval: 1,
			DaysOfWeek: []calendar.DayOfWeek{calendar.Tuesday, calendar.Thursday}},
		Range: calendar.Range{Type: calendar.Numbered, NumberOfOccurrences: 8},
	}
	if err := ev.Save(ctx); err != nil {
		return err
	}
	fmt.Fprintf(w, "Created %q: %s, on Tuesdays and Thursdays %s–%s (%s), from %s, %d times\n",
		ev.Subject, ev.Type, ev.Start.Format("15:04"), ev.End.Format("15:04"), ev.OriginalStartTimeZone,
		ev.Recurrence.Range.StartDate, ev.Recurrence.Range.NumberOfOccurrences)

	// Each attendee whose token the account holds answers as themselves.
	known, err := account.Usernames()
	if err != nil {
		return err
	}
	for i, a := range attendees {
		if !contains(known, a) {
			continue
		}
		if err := account.SetUsername(a); err != nil {
			return err
		}
		if err := answer(ctx, w, sched, ev.ICalUID, a, i == 0); err != nil {
			return err
		}
	}
	if err := account.SetUsername(organizer); err != nil {
		return err
	}

	ev, err = sched.Event(ctx, ev.ID)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "Answers the organizer sees:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, a := range ev.Attendees {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", a.EmailAddress.Address, a.Type, a.Status.Response)
	}
	tw.Flush()

	fmt.Fprintf(w, "This week (%s to %s):\n", monday.Format("Mon 02 Jan"), monday.AddDate(0, 0, 6).Format("Mon 02 Jan"))
	for o, err := range sched.CalendarView(ctx, monday, monday.AddDate(0, 0, 7)) {
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %s–%s  %s (%s)\n", o.Start.Format("Mon 02 Jan 15:04"), o.End.Format("15:04"), o.Subject, o.Type)
	}

	// An hour when everyone is free, this Wednesday or Thursday.
	people := []calendar.Attendee{}
	for _, a := range attendees {
		people = append(people, calendar.Attendee{Type: calendar.Required, EmailAddress: calendar.EmailAddress{Address: a}})
	}
	found, err := sched.FindMeetingTimes(ctx, calendar.MeetingTimeRequest{
		Attendees: people,
		TimeConstraint: &calendar.TimeConstraint{ActivityDomain: "work", TimeSlots: []calendar.TimeSlot{
			{Start: monday.AddDate(0, 0, 2), End: monday.AddDate(0, 0, 4)},
		}},
		MeetingDuration: time.Hour, MaxCandidates: 3, MinimumAttendeePercentage: 100,
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "Suggested times for a one-hour meeting of everyone:")
	for _, sg := range found.MeetingTimeSuggestions {
		fmt.Fprintf(w, "  %s–%s  (confidence %.0f%%)\n", sg.MeetingTimeSlot.Start.Format("Mon 02 Jan 15:04"),
			sg.MeetingTimeSlot.End.Format("15:04"), sg.Confidence)
	}
	if len(found.MeetingTimeSuggestions) == 0 {
		fmt.Fprintf(w, "  none (%s)\n", found.EmptySuggestionsReason)
	}

	// Free/busy on Tuesday, by the hour.
	tuesday := monday.AddDate(0, 0, 1)
	info, err := sched.GetAvailability(ctx, append([]string{organizer}, attendees...), tuesday.Add(8*time.Hour), tuesday.Add(17*time.Hour), time.Hour)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Free/busy on %s, 08:00–17:00 (one digit an hour: 0 free, 1 tentative, 2 busy, 3 away, 4 elsewhere):\n", tuesday.Format("Mon 02 Jan"))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, s := range info {
		if s.Error != nil {
			fmt.Fprintf(tw, "  %s\t%s\n", s.ScheduleID, s.Error.Message)
			continue
		}
		var items []string
		for _, it := range s.ScheduleItems {
			items = append(items, fmt.Sprintf("%s %s–%s %s", it.Status, it.Start.Format("15:04"), it.End.Format("15:04"), it.Subject))
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", s.ScheduleID, s.AvailabilityView, strings.Join(items, "; "))
	}
	tw.Flush()

	// Track the week with delta: the first round is the whole view; keep
	// track.DeltaLink, and the next round holds only what changed since.
	track := sched.CalendarViewDelta(monday, monday.AddDate(0, 0, 7), "")
	held := 0
	for _, err := range track.Changes(ctx) {
		if err != nil {
			return err
		}
		held++
	}
	fmt.Fprintf(w, "Tracking this week: the first delta round holds %d events\n", held)

	if err := ev.Cancel(ctx, "That was a demo."); err != nil {
		return err
	}
	fmt.Fprintf(w, "Cancelled %q\n", ev.Subject)

	changed, removed := 0, 0
	for e, err := range track.Changes(ctx) {
		if err != nil {
			return err
		}
		if e.Removed != nil {
			removed++
		} else {
			changed++
		}
	}
	fmt.Fprintf(w, "The next delta round: %d removed, %d changed\n", removed, changed)
	return nil
}

// answer finds the invitation with the given iCalUId in the current
// user's calendar and accepts it (tentatively unless firm).
func answer(ctx context.Context, w io.Writer, sched *calendar.Schedule, iCalUID, who string, firm bool) error {
	for inv, err := range sched.Events(ctx) {
		if err != nil {
			return err
		}
		if inv.ICalUID != iCalUID {
			continue
		}
		fmt.Fprintf(w, "%s has the invitation from %s (%s, shown as %s)\n", who, inv.Organizer.EmailAddress.Address,
			inv.ResponseStatus.Response, inv.ShowAs)
		if firm {
			return inv.Accept(ctx, "Count me in.", true)
		}
		return inv.TentativelyAccept(ctx, "I'll try to make it.", true)
	}
	fmt.Fprintf(w, "%s has no invitation yet\n", who)
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
