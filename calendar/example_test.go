package calendar_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/calendar"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/token"
)

// exampleAccount signs Adele and then Alex in to a fresh emulator (Adele
// is current); stop closes the emulator.
func exampleAccount() (account *o365.Account, stop func()) {
	srv := graphtest.NewServer()
	srv.AddApp(graphtest.App{ClientID: clientID, ClientSecret: clientSecret})
	backend := token.NewMemoryBackend()
	for _, u := range []graphtest.User{
		{UserPrincipalName: alex, DisplayName: "Alex Wilber", Mail: alex, Password: password},
		{UserPrincipalName: adele, DisplayName: "Adele Vance", Mail: adele, Password: password},
	} {
		srv.AddUser(u)
		account = o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: clientSecret},
			o365.WithCloud(o365.Cloud{Login: srv.LoginURL(), Graph: srv.GraphURL()}),
			o365.WithTokenBackend(backend),
			o365.WithScopes("calendar"),
			o365.WithAuthFlow(o365.PasswordFlow), o365.WithPassword(u.UserPrincipalName, password))
		if _, err := account.Authenticate(context.Background()); err != nil {
			log.Fatal(err)
		}
	}
	return account, srv.Close
}

func ExampleSchedule_NewEvent() {
	account, stop := exampleAccount()
	defer stop()
	ctx := context.Background()
	paris, _ := calendar.LoadLocation("Romance Standard Time") // Windows or IANA names

	sched := account.Schedule()
	sched.Location = paris // times come back in Paris time
	ev := sched.NewEvent()
	ev.Subject = "Weekly sync"
	ev.Start = time.Date(2025, 3, 17, 10, 0, 0, 0, paris)
	ev.End = ev.Start.Add(30 * time.Minute)
	ev.Attendees = []calendar.Attendee{{Type: calendar.Required,
		EmailAddress: calendar.EmailAddress{Name: "Alex Wilber", Address: "AlexW@contoso.onmicrosoft.com"}}}
	ev.Recurrence = &calendar.Recurrence{
		Pattern: calendar.Pattern{Type: calendar.Weekly, Interval: 1, DaysOfWeek: []calendar.DayOfWeek{calendar.Monday}},
		Range:   calendar.Range{Type: calendar.Numbered, NumberOfOccurrences: 4},
	}
	if err := ev.Save(ctx); err != nil {
		log.Fatal(err)
	}
	fmt.Println(ev.Type, ev.Recurrence.Range.StartDate, ev.OriginalStartTimeZone)

	// Europe moves to summer time on 30 March; the meeting stays at 10:00.
	for o, err := range sched.CalendarView(ctx, ev.Start, ev.Start.AddDate(0, 1, 0)) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(o.Start.Format("Mon 02 Jan 15:04 MST"), o.Start.UTC().Format("15:04Z"))
	}
	// Output:
	// seriesMaster 2025-03-17 Romance Standard Time
	// Mon 17 Mar 10:00 CET 09:00Z
	// Mon 24 Mar 10:00 CET 09:00Z
	// Mon 31 Mar 10:00 CEST 08:00Z
	// Mon 07 Apr 10:00 CEST 08:00Z
}

func ExampleEvent_Accept() {
	account, stop := exampleAccount()
	defer stop()
	ctx := context.Background()
	sched := account.Schedule()
	sched.Location = time.UTC

	meeting := sched.NewEvent()
	meeting.Subject = "Budget"
	meeting.Start = time.Date(2025, 5, 6, 14, 0, 0, 0, time.UTC)
	meeting.End = meeting.Start.Add(time.Hour)
	meeting.Attendees = []calendar.Attendee{{Type: calendar.Required, EmailAddress: calendar.EmailAddress{Address: "AlexW@contoso.onmicrosoft.com"}}}
	if err := meeting.Save(ctx); err != nil {
		log.Fatal(err)
	}

	// Alex accepts the invitation in his calendar.
	if err := account.SetUsername("AlexW@contoso.onmicrosoft.com"); err != nil {
		log.Fatal(err)
	}
	for inv, err := range sched.Events(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("Alex:", inv.Subject, inv.ResponseStatus.Response)
		if err := inv.Accept(ctx, "See you there", true); err != nil {
			log.Fatal(err)
		}
	}

	// Adele sees his answer.
	if err := account.SetUsername("AdeleV@contoso.onmicrosoft.com"); err != nil {
		log.Fatal(err)
	}
	meeting, err := sched.Event(ctx, meeting.ID)
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range meeting.Attendees {
		fmt.Println("Adele:", a.EmailAddress.Address, a.Status.Response)
	}
	// Output:
	// Alex: Budget notResponded
	// Adele: AlexW@contoso.onmicrosoft.com accepted
}

func ExampleEvent_Occurrences() {
	ny, _ := time.LoadLocation("America/New_York")
	ev := &calendar.Event{
		Start: time.Date(2025, 1, 14, 13, 0, 0, 0, ny),
		End:   time.Date(2025, 1, 14, 13, 30, 0, 0, ny),
		Recurrence: &calendar.Recurrence{
			Pattern: calendar.Pattern{Type: calendar.RelativeMonthly, Interval: 1,
				DaysOfWeek: []calendar.DayOfWeek{calendar.Tuesday}, Index: calendar.Second},
			Range: calendar.Range{Type: calendar.Numbered, NumberOfOccurrences: 4},
		},
	}
	slots, err := ev.Occurrences() // computed locally, no request
	if err != nil {
		log.Fatal(err)
	}
	for slot := range slots {
		fmt.Println(slot.Start.Format("Mon 2006-01-02 15:04 MST"))
	}
	// Output:
	// Tue 2025-01-14 13:00 EST
	// Tue 2025-02-11 13:00 EST
	// Tue 2025-03-11 13:00 EDT
	// Tue 2025-04-08 13:00 EDT
}

func ExampleSchedule_GetAvailability() {
	account, stop := exampleAccount()
	defer stop()
	ctx := context.Background()
	sched := account.Schedule()
	sched.Location = time.UTC
	day := time.Date(2025, 5, 6, 9, 0, 0, 0, time.UTC)

	ev := sched.NewEvent()
	ev.Subject, ev.Start, ev.End = "Focus time", day.Add(2*time.Hour), day.Add(3*time.Hour)
	if err := ev.Save(ctx); err != nil {
		log.Fatal(err)
	}
	info, err := sched.GetAvailability(ctx, []string{"AdeleV@contoso.onmicrosoft.com"}, day, day.Add(4*time.Hour), time.Hour)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range info {
		fmt.Println(s.ScheduleID, s.AvailabilityView) // one digit an hour: 0 free, 2 busy
		for _, it := range s.ScheduleItems {
			fmt.Println(it.Status, it.Subject, it.Start.Format("15:04"), it.End.Format("15:04"))
		}
	}
	// Output:
	// AdeleV@contoso.onmicrosoft.com 0020
	// busy Focus time 11:00 12:00
}

func ExampleLoadLocation() {
	loc, err := calendar.LoadLocation("Pacific Standard Time")
	fmt.Println(loc, err)
	name, _ := calendar.ZoneName(loc)
	fmt.Println(name)
	_, err = calendar.LoadLocation("Atlantis Standard Time")
	fmt.Println(err)
	// Output:
	// America/Los_Angeles <nil>
	// Pacific Standard Time
	// calendar: unknown time zone "Atlantis Standard Time" (neither a Windows zone name nor an IANA zone in the time-zone database)
}
