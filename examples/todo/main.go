// Command todo works with Microsoft To Do: it finds the default list,
// creates a list for a trip with tasks that have due dates, a reminder
// and checklists, attaches a file to one, tags one with an Outlook
// category, lists the open
// tasks soonest due first, ticks checklist items off, completes a task,
// follows the list's changes with a delta round, and schedules an
// automatic reply (out of office) for the days of the trip. It removes
// what it created, and puts the automatic reply back as it was, at the end.
//
// With no credentials in the environment it runs offline against the
// graphtest emulator. Against a real tenant, set O365_CLIENT_ID,
// O365_CLIENT_SECRET (omit it for a public client) and O365_TENANT; the
// app needs Tasks.ReadWrite and MailboxSettings.ReadWrite (for the
// category and the automatic reply). Tokens are kept in o365_token.json.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/calendar"
	"github.com/go-o365/o365/categories"
	"github.com/go-o365/o365/internal/demo"
	"github.com/go-o365/o365/mailbox"
	"github.com/go-o365/o365/query"
	"github.com/go-o365/o365/todo"
)

// scopes the example needs: read the profile, write To Do, write the
// master category list and the mailbox settings.
var scopes = []string{"basic", "tasks_all", "categories_all", "mailbox_settings"}

func main() { demo.Main(offline, realTenant) }

func offline(ctx context.Context, w io.Writer) error {
	srv, account, err := demo.Start(ctx, w, nil, scopes...)
	if err != nil {
		return err
	}
	defer srv.Close()
	// A fixed day, so the offline output is the same every run.
	return run(ctx, w, account, time.Date(2025, time.May, 5, 0, 0, 0, 0, time.UTC))
}

func realTenant(ctx context.Context, w io.Writer) error {
	account, err := demo.RealTenant(ctx, scopes...)
	if err != nil {
		return err
	}
	y, m, d := time.Now().Date()
	return run(ctx, w, account, time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// run is the demo proper; today is the day due dates count from.
func run(ctx context.Context, w io.Writer, account *o365.Account, today time.Time) (err error) {
	fmt.Fprintf(w, "Signed in as %s\n\n", account.Username())
	td := account.Tasks()

	def, err := td.DefaultList(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Default list: %q\n", def.DisplayName)

	trip, err := td.CreateList(ctx, "Trip to Lisbon (o365 demo)")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Created list %q\n", trip.DisplayName)
	defer func() {
		if derr := trip.Delete(ctx); derr != nil {
			err = errors.Join(err, derr)
		} else {
			fmt.Fprintf(w, "\nDeleted list %q with its tasks\n", trip.DisplayName)
		}
	}()

	// A category to tag the urgent task with: it is the name that tags,
	// the master list gives the colour.
	cats := account.OutlookCategories()
	urgent, err := cats.Create(ctx, "Travel (o365 demo)", categories.Preset1)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, urgent.Delete(ctx)) }()
	fmt.Fprintf(w, "Created category %q (%s)\n\n", urgent.DisplayName, urgent.Color.Name())

	day := func(n int) time.Time { return today.AddDate(0, 0, n) }
	tasks := []*todo.Task{
		{Title: "Book flights", Importance: todo.High, DueDateTime: day(2), Categories: []string{urgent.DisplayName},
			IsReminderOn: true, ReminderDateTime: day(1).Add(9 * time.Hour)},
		{Title: "Pack", DueDateTime: day(9), ChecklistItems: []*todo.ChecklistItem{
			{DisplayName: "Passport"}, {DisplayName: "Charger"}, {DisplayName: "Sun cream"}}},
		{Title: "Book a hotel", DueDateTime: day(4), Body: &todo.ItemBody{Content: "Near Alfama, if possible.", ContentType: todo.Text}},
	}
	for _, t := range tasks {
		made, err := trip.CreateTask(ctx, t)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "Added %q, due %s, %d checklist items\n", made.Title, made.DueDateTime.Format("Mon 2 Jan"), len(made.ChecklistItems))
		*t = *made
	}
	flights, pack, hotel := tasks[0], tasks[1], tasks[2]

	// Attach the hotel shortlist to its task. Small files go in one
	// request; files of 3 MB and more, up to 25 MB, through an upload
	// session in chunks.
	shortlist := "Memmo Alfama\nSolar do Castelo\nPalacio Belmonte\n"
	att, err := hotel.Attach(ctx, todo.File{Content: strings.NewReader(shortlist), Name: "hotels.txt"})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Attached %q (%d bytes, %s) to %q\n", att.Name, att.Size, att.ContentType, hotel.Title)
	rc, err := att.Open(ctx)
	if err != nil {
		return err
	}
	content, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Read it back: %d hotels\n", strings.Count(string(content), "\n"))

	// Start following the list's changes.
	delta := trip.TaskDelta("")
	n := 0
	for _, err := range delta.Changes(ctx) {
		if err != nil {
			return err
		}
		n++
	}
	fmt.Fprintf(w, "Delta round 1: %d tasks\n\n", n)

	// Checklist: tick the first two items off, add one.
	checked := 0
	for item, err := range pack.Checklist(ctx) {
		if err != nil {
			return err
		}
		if checked < 2 {
			if err := item.Check(ctx); err != nil {
				return err
			}
			checked++
		}
	}
	if _, err := pack.AddChecklistItem(ctx, "Travel adapter"); err != nil {
		return err
	}
	fmt.Fprintf(w, "Checklist of %q:\n", pack.Title)
	for item, err := range pack.Checklist(ctx) {
		if err != nil {
			return err
		}
		mark := " "
		if item.IsChecked {
			mark = "x"
		}
		fmt.Fprintf(w, "  [%s] %s\n", mark, item.DisplayName)
	}

	if err := flights.Complete(ctx); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nCompleted %q\n", flights.Title)

	q := query.New().Where(query.Ne("status", "completed")).OrderBy("dueDateTime/dateTime", query.Asc)
	fmt.Fprintln(w, "Open tasks, soonest due first:")
	for t, err := range trip.Tasks(ctx, o365.Query(q)) {
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %-14s due %s\n", t.Title, t.DueDateTime.Format("Mon 2 Jan"))
	}

	n = 0
	for t, err := range delta.Changes(ctx) {
		if err != nil {
			return err
		}
		n++
		fmt.Fprintf(w, "Delta round 2: %q changed (status %s)\n", t.Title, t.Status)
	}
	fmt.Fprintf(w, "Delta round 2: %d changes\n", n)

	return outOfOffice(ctx, w, account.Mailbox(), day(10), day(17))
}

// outOfOffice schedules an automatic reply for the trip (python-o365's
// mailbox.set_automatic_reply), reads it back, and at the end puts back
// the automatic reply the mailbox had before.
func outOfOffice(ctx context.Context, w io.Writer, mb *mailbox.MailBox, from, until time.Time) (err error) {
	settings, err := mb.Settings(ctx)
	if err != nil {
		return err
	}
	before := settings.AutomaticReplies
	defer func() {
		if before == nil {
			return
		}
		if _, rerr := mb.UpdateSettings(ctx, mailbox.Settings{AutomaticReplies: before}); rerr != nil {
			err = errors.Join(err, rerr)
			return
		}
		fmt.Fprintf(w, "Automatic reply back to %s\n", before.Status)
	}()

	// Leave at 18:00 and be back at 08:00, in the mailbox's time zone (a
	// Windows name such as "W. Europe Standard Time", or an IANA one).
	zone := time.UTC
	if z, zerr := calendar.LoadLocation(settings.TimeZone); zerr == nil {
		zone = z
	}
	y, m, d := from.Date()
	start := time.Date(y, m, d, 18, 0, 0, 0, zone)
	y, m, d = until.Date()
	end := time.Date(y, m, d, 8, 0, 0, 0, zone)
	err = mb.SetAutomaticReply(ctx, "I'm in Lisbon, back soon.", "I'm away and will answer when I'm back.",
		mailbox.Scheduled(start, end), mailbox.Audience(mailbox.AudienceContactsOnly))
	if err != nil {
		return err
	}
	a, err := mb.AutomaticReplies(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nAutomatic reply %s from %s to %s (external: %s)\n", a.Status,
		a.ScheduledStart.Format("Mon 2 Jan 15:04"), a.ScheduledEnd.Format("Mon 2 Jan 15:04"), a.ExternalAudience)
	return nil
}
