// Command planner works with Microsoft Planner: in a Microsoft 365 group
// it creates a plan with three buckets placed by order hints, adds tasks
// and assigns them, moves one and completes another (each update sent
// under the task's etag), fills in a task's details, shows that an update
// from a stale copy is refused without losing anything, lists the tasks
// assigned to the signed-in user, and prints the board as text, one
// column per bucket. It deletes the plan at the end.
//
// With no credentials in the environment it runs offline against the
// graphtest emulator, with a "Launch team" group. Against a real tenant,
// set O365_CLIENT_ID, O365_CLIENT_SECRET (omit it for a public client),
// O365_TENANT, and O365_GROUP_ID, the id of a Microsoft 365 group you are
// a member of; O365_COLLEAGUE may name a colleague (user principal name)
// to assign tasks to. The app needs Tasks.ReadWrite, Group.ReadWrite.All
// and User.ReadBasic.All. Tokens are kept in o365_token.json.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/demo"
	"github.com/go-o365/o365/planner"
)

// scopes the example needs: the profile, Planner read and write, and
// other users' basic profiles (to assign a colleague).
var scopes = []string{"basic", "planner_all", "users"}

func main() { demo.Main(offline, realTenant) }

func offline(ctx context.Context, w io.Writer) error {
	var groupID string
	seed := func(srv *graphtest.Server) (err error) {
		groupID, err = demo.SeedPlanner(srv)
		return err
	}
	srv, account, err := demo.Start(ctx, w, seed, scopes...)
	if err != nil {
		return err
	}
	defer srv.Close()
	return run(ctx, w, account, groupID, demo.Users[1].UserPrincipalName)
}

func realTenant(ctx context.Context, w io.Writer) error {
	groupID := os.Getenv("O365_GROUP_ID")
	if groupID == "" {
		return errors.New("set O365_GROUP_ID to the id of a Microsoft 365 group you are a member of")
	}
	account, err := demo.RealTenant(ctx, scopes...)
	if err != nil {
		return err
	}
	return run(ctx, w, account, groupID, os.Getenv("O365_COLLEAGUE"))
}

// run is the demo proper: groupID is the plan's group, colleague (a user
// principal name, or empty for none) gets tasks assigned too.
func run(ctx context.Context, w io.Writer, account *o365.Account, groupID, colleague string) (err error) {
	fmt.Fprintf(w, "Signed in as %s\n\n", account.Username())
	me, err := account.CurrentUser(ctx)
	if err != nil {
		return err
	}
	names := map[string]string{me.ID: me.DisplayName}
	mate := me.ID
	if colleague != "" {
		u, err := account.Directory().User(ctx, colleague)
		if err != nil {
			return err
		}
		mate, names[u.ID] = u.ID, u.DisplayName
	}

	pl := account.Planner()
	fmt.Fprintln(w, "Plans of the group:")
	for p, err := range pl.Plans(ctx, groupID) {
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %s\n", p.Title)
	}

	plan, err := pl.CreatePlan(ctx, &planner.Plan{Title: "o365 demo board", Container: planner.GroupContainer(groupID)})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, plan.Delete(ctx)) }()
	fmt.Fprintf(w, "\nCreated plan %q\n", plan.Title)

	// Buckets left to right: each placed after the previous one.
	var buckets []*planner.Bucket
	prev := ""
	for _, name := range []string{"To do", "Doing", "Done"} {
		hint, err := planner.OrderHintBetween(prev, "")
		if err != nil {
			return err
		}
		b, err := plan.CreateBucket(ctx, name, hint)
		if err != nil {
			return err
		}
		buckets, prev = append(buckets, b), b.OrderHint
	}
	backlog, doing, done := buckets[0], buckets[1], buckets[2]
	fmt.Fprintf(w, "Created buckets %s, %s, %s\n", backlog.Name, doing.Name, done.Name)

	newTask := func(title string, due time.Time, assignees ...string) (*planner.Task, error) {
		t := &planner.Task{Title: title, DueDateTime: due}
		t.Assign(assignees...)
		return backlog.CreateTask(ctx, t)
	}
	due := time.Now().UTC().AddDate(0, 0, 14).Truncate(24 * time.Hour)
	budget, err := newTask("Draft the budget", time.Time{}, me.ID)
	if err != nil {
		return err
	}
	brief, err := newTask("Write the brief", due, me.ID, mate)
	if err != nil {
		return err
	}
	venue, err := newTask("Book the venue", time.Time{}, mate)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Created %d tasks in %s\n", 3, backlog.Name)

	// A copy read now goes stale when the brief is updated below.
	stale, err := pl.Task(ctx, brief.ID)
	if err != nil {
		return err
	}

	brief.BucketID, brief.PercentComplete = doing.ID, 50
	if err := saveTask(ctx, w, brief, "Moved"); err != nil {
		return err
	}
	budget.BucketID, budget.PercentComplete = done.ID, 100
	if err := saveTask(ctx, w, budget, "Completed"); err != nil {
		return err
	}
	fmt.Fprintf(w, "  %q completed by %s\n", budget.Title, names[budget.CompletedBy.UserID()])
	if mate != me.ID {
		venue.Unassign(mate)
		venue.Assign(me.ID)
		if err := saveTask(ctx, w, venue, "Reassigned"); err != nil {
			return err
		}
	}

	stale.Title = "Write the brief (stale copy)"
	err = stale.Save(ctx)
	switch {
	case errors.Is(err, api.ErrPreconditionFailed):
		fresh, err := pl.Task(ctx, brief.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "Update from a stale copy refused (412); the task is still %q, %d%% done\n", fresh.Title, fresh.PercentComplete)
	case err != nil:
		return err
	default:
		return errors.New("an update from a stale copy was accepted")
	}

	// Details: a description, a checklist and a link.
	d, err := brief.Details(ctx)
	if err != nil {
		return err
	}
	d.Description = "One page: audience, message, dates."
	d.PreviewType = planner.PreviewChecklist
	outline := d.AddChecklistItem("Outline")
	d.AddChecklistItem("First draft")
	if err := d.AddReference("https://contoso.sharepoint.com/sites/launch/Brief.docx", "Brief (draft)", "Word"); err != nil {
		return err
	}
	if err := d.Check(outline, true); err != nil {
		return err
	}
	if err := d.Save(ctx); err != nil {
		return err
	}
	checked := 0
	for _, it := range d.Checklist {
		if it.IsChecked {
			checked++
		}
	}
	fmt.Fprintf(w, "Details of %q: %d of %d checklist items done, %d link\n", brief.Title, checked, len(d.Checklist), len(d.References))

	fmt.Fprintln(w, "\nAssigned to me in this plan:")
	for t, err := range pl.MyTasks(ctx) {
		if err != nil {
			return err
		}
		if t.PlanID == plan.ID {
			fmt.Fprintf(w, "  %s\n", t.Title)
		}
	}

	return printBoard(ctx, w, plan, names)
}

// saveTask saves a task, saying what was sent.
func saveTask(ctx context.Context, w io.Writer, t *planner.Task, verb string) error {
	changes, err := t.Changes()
	if err != nil {
		return err
	}
	var sent []string
	for k := range changes {
		sent = append(sent, k)
	}
	if err := t.Save(ctx); err != nil {
		return err
	}
	fmt.Fprintf(w, "%s %q: sent %s\n", verb, t.Title, strings.Join(sorted(sent), ", "))
	return nil
}

// printBoard prints the plan as a board: a column per bucket in order,
// its tasks in order, each with a check box and its assignees.
func printBoard(ctx context.Context, w io.Writer, plan *planner.Plan, names map[string]string) error {
	var buckets []*planner.Bucket
	for b, err := range plan.Buckets(ctx) {
		if err != nil {
			return err
		}
		buckets = append(buckets, b)
	}
	planner.SortBuckets(buckets)
	columns := map[string][]*planner.Task{}
	for t, err := range plan.Tasks(ctx) {
		if err != nil {
			return err
		}
		columns[t.BucketID] = append(columns[t.BucketID], t)
	}
	const width = 34
	cell := func(s string) string {
		if r := []rune(s); len(r) > width {
			s = string(r[:width-1]) + "…"
		}
		return s + strings.Repeat(" ", width-len([]rune(s)))
	}
	var head, rule []string
	rows := 0
	for _, b := range buckets {
		head = append(head, cell(b.Name))
		rule = append(rule, strings.Repeat("-", width))
		planner.SortTasks(columns[b.ID])
		rows = max(rows, len(columns[b.ID]))
	}
	fmt.Fprintf(w, "\nBoard of %q:\n%s\n%s\n", plan.Title, strings.TrimRight(strings.Join(head, " | "), " "), strings.Join(rule, "-+-"))
	for i := range rows {
		var line []string
		for _, b := range buckets {
			text := ""
			if i < len(columns[b.ID]) {
				t := columns[b.ID][i]
				box := "[ ]"
				if t.Completed() {
					box = "[x]"
				}
				var who []string
				for _, id := range t.Assignees() {
					who = append(who, initials(names[id]))
				}
				text = fmt.Sprintf("%s %s (%s)", box, t.Title, strings.Join(sorted(who), ", "))
			}
			line = append(line, cell(text))
		}
		fmt.Fprintln(w, strings.TrimRight(strings.Join(line, " | "), " "))
	}
	return nil
}

func initials(name string) string {
	var b strings.Builder
	for _, f := range strings.Fields(name) {
		b.WriteString(string([]rune(f)[:1]))
	}
	if b.Len() == 0 {
		return "?"
	}
	return b.String()
}

func sorted(s []string) []string {
	slices.Sort(s)
	return s
}
