// Command groups works with the organisation's groups: it lists the
// Microsoft 365 groups, finds the groups the signed-in user belongs to
// (through nested groups too), and in the first Microsoft 365 one lists
// the members and owners, reads the conversations, starts a conversation
// and replies to it, and reads the group's calendar for the next 30
// days and the files of its document library. It deletes the
// conversation it started at the end.
//
// With no credentials in the environment it runs offline against the
// graphtest emulator, with a project group that has a conversation, an
// event and files. Against a real tenant, set O365_CLIENT_ID,
// O365_CLIENT_SECRET (omit it for a public client) and O365_TENANT; the
// app needs Group.ReadWrite.All and Files.ReadWrite.All (delegated:
// Graph lets only users post to conversations and read group calendars).
// Tokens are kept in o365_token.json.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/groups"
	"github.com/go-o365/o365/internal/demo"
	"github.com/go-o365/o365/query"
)

// scopes the example needs: read the profile, read and write groups and
// their conversations, read the group's files.
var scopes = []string{"basic", "groups_all", "onedrive"}

func main() { demo.Main(offline, realTenant) }

func offline(ctx context.Context, w io.Writer) error {
	srv, account, err := demo.Start(ctx, w, demo.SeedGroups, scopes...)
	if err != nil {
		return err
	}
	defer srv.Close()
	return run(ctx, w, account)
}

func realTenant(ctx context.Context, w io.Writer) error {
	account, err := demo.RealTenant(ctx, scopes...)
	if err != nil {
		return err
	}
	return run(ctx, w, account)
}

func run(ctx context.Context, w io.Writer, account *o365.Account) (err error) {
	fmt.Fprintf(w, "Signed in as %s\n\n", account.Username())
	gs := account.Groups()

	fmt.Fprintln(w, "Microsoft 365 groups:")
	unified := query.New().Where(query.Any("groupTypes", "t", query.Eq("t", "Unified"))).OrderBy("displayName", query.Asc)
	for g, err := range gs.List(ctx, o365.Query(unified), o365.Limit(20)) {
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %-22s %-8s %s\n", g.DisplayName, g.Visibility, g.Mail)
	}

	fmt.Fprintln(w, "\nYour groups, nested ones included:")
	var team *groups.Group
	for g, err := range gs.TransitiveMemberOf(ctx, "me") {
		if err != nil {
			return err
		}
		kind := "security"
		if g.IsUnified() {
			kind = "Microsoft 365"
			if team == nil {
				team = g
			}
		}
		fmt.Fprintf(w, "  %-22s %s\n", g.DisplayName, kind)
	}
	if team == nil {
		fmt.Fprintln(w, "You belong to no Microsoft 365 group.")
		return nil
	}

	fmt.Fprintf(w, "\nMembers of %s:\n", team.DisplayName)
	for m, err := range team.Members(ctx) {
		if err != nil {
			return err
		}
		kind := "user"
		if m.IsGroup() {
			kind = "group"
		}
		fmt.Fprintf(w, "  %-22s %s\n", m.DisplayName, kind)
	}
	for o, err := range team.Owners(ctx) {
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "Owner: %s\n", o.DisplayName)
	}

	fmt.Fprintln(w, "\nConversations:")
	for c, err := range team.Conversations(ctx, o365.Limit(5)) {
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %q by %v: %s\n", c.Topic, c.UniqueSenders, c.Preview)
	}
	c, err := team.StartConversation(ctx, "Hello from o365 for Go", groups.Post{
		Body: groups.ItemBody{ContentType: "html", Content: "<p>Posted by the <b>groups</b> example.</p>"}})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, team.DeleteConversation(ctx, c.ID)) }()
	thread := c.Threads[0].ID
	if err := team.Reply(ctx, thread, groups.Post{Body: groups.ItemBody{ContentType: "text", Content: "And a reply to it."}}); err != nil {
		return err
	}
	fmt.Fprintf(w, "Started %q; its posts:\n", "Hello from o365 for Go")
	for p, err := range team.Posts(ctx, thread) {
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %s: %s\n", p.Sender.EmailAddress.Name, p.Body.Content)
	}

	// The group's calendar and drive are main resources.
	fmt.Fprintf(w, "\nThe next 30 days in the %s calendar:\n", team.DisplayName)
	now := time.Now()
	for ev, err := range account.Schedule(team.Resource()).CalendarView(ctx, now, now.AddDate(0, 0, 30), o365.Limit(10)) {
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %s  %s\n", ev.Start.UTC().Format("Mon 2 Jan 15:04 MST"), ev.Subject)
	}
	library, err := account.Storage(team.Resource()).DefaultDrive(ctx)
	if err != nil {
		return err
	}
	root, err := library.Root(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nFiles:")
	for it, err := range root.Children(ctx, o365.Limit(20)) {
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %-20s %d bytes\n", it.Name, it.Size)
	}
	fmt.Fprintln(w, "\nDeleting the demo conversation.")
	return nil
}
