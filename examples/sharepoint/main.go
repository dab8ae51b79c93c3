// Command sharepoint finds a SharePoint site, reads its document library,
// and keeps a task list: it creates the list with typed columns (once),
// adds items, filters them on a field, and updates one.
//
// With no credentials in the environment it runs offline against the
// graphtest emulator, whose tenant has a Marketing site with brand and
// campaign documents. Against a real tenant, set O365_CLIENT_ID,
// O365_CLIENT_SECRET (omit it for a public client), O365_TENANT and
// O365_SITE_SEARCH (text naming a site you may write to); the app needs
// Sites.ReadWrite.All. Tokens are kept in o365_token.json.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/drive"
	"github.com/go-o365/o365/internal/demo"
	"github.com/go-o365/o365/query"
	"github.com/go-o365/o365/sharepoint"
)

func main() { demo.Main(offline, realTenant) }

func offline(ctx context.Context, w io.Writer) error {
	srv, account, err := demo.Start(ctx, w, demo.SeedDrive, "sharepoint_dl")
	if err != nil {
		return err
	}
	defer srv.Close()
	return run(ctx, w, account, "marketing")
}

func realTenant(ctx context.Context, w io.Writer) error {
	account, err := demo.RealTenant(ctx, "sharepoint_dl")
	if err != nil {
		return err
	}
	return run(ctx, w, account, envOr("O365_SITE_SEARCH", "marketing"))
}

func run(ctx context.Context, w io.Writer, account *o365.Account, search string) error {
	sp := account.Sharepoint()

	// Find the site, then reach it again by host name and path.
	var site *sharepoint.Site
	fmt.Fprintf(w, "Sites matching %q:\n", search)
	for s, err := range sp.Search(ctx, search) {
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %-16s %s\n", s.DisplayName, s.WebURL)
		if site == nil {
			site = s
		}
	}
	if site == nil {
		return errors.New("no site found")
	}
	for sub, err := range site.Subsites(ctx) {
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  subsite of %s: %s\n", site.DisplayName, sub.DisplayName)
	}

	// Its document library is a drive like any other.
	docs, err := site.DefaultDrive(ctx)
	if err != nil {
		return err
	}
	root, err := docs.Root(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nLibrary %q of %s:\n", docs.Name, site.DisplayName)
	if err := walk(ctx, w, root, "  "); err != nil {
		return err
	}

	// A task list, made once, with typed columns.
	tasks, err := site.List(ctx, "Campaign Tasks")
	if errors.Is(err, o365.ErrNotFound) {
		tasks, err = site.CreateList(ctx, sharepoint.ListDefinition{
			DisplayName: "Campaign Tasks",
			Description: "Who does what for the spring campaign",
			Columns: []sharepoint.ColumnDefinition{
				{Name: "Owner", Text: &sharepoint.TextColumn{}},
				{Name: "Status", Choice: &sharepoint.ChoiceColumn{Choices: []string{"Not started", "In progress", "Done"}}},
				{Name: "Due", DateTime: &sharepoint.DateTimeColumn{Format: "dateOnly"}},
				{Name: "Budget", Currency: &sharepoint.CurrencyColumn{Locale: "en-us"}},
			},
		})
		if err == nil {
			fmt.Fprintf(w, "\nCreated the list %q\n", tasks.DisplayName)
		}
	}
	if err != nil {
		return err
	}
	due := time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC)
	for i, task := range []map[string]any{
		{"Title": "Book the photographer", "Owner": "Megan", "Status": "In progress", "Budget": 1200},
		{"Title": "Write the press release", "Owner": "Alex", "Status": "Not started", "Budget": 0},
		{"Title": "Order the banners", "Owner": "Adele", "Status": "Not started", "Budget": 640},
	} {
		task["Due"] = due.AddDate(0, 0, 7*i).Format(time.RFC3339)
		it, err := tasks.CreateItem(ctx, task)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "Added task %s: %s\n", it.ID, it.Fields["Title"])
	}

	// Filter on a field (the library sends the header SharePoint wants
	// for fields that are not indexed), then update one item.
	q := query.New().Where(query.Eq("fields/Status", "Not started")).OrderBy("fields/Due", query.Asc)
	fmt.Fprintln(w, "\nNot started yet:")
	var first *sharepoint.ListItem
	for it, err := range tasks.Items(ctx, o365.Query(q)) {
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %-24s %-6s due %.10s\n", it.Fields["Title"], it.Fields["Owner"], it.Fields["Due"])
		if first == nil {
			first = it
		}
	}
	if first != nil {
		first.Fields["Status"] = "In progress"
		if err := first.Update(ctx); err != nil {
			return err
		}
		fmt.Fprintf(w, "%q is now %s (version %s)\n", first.Fields["Title"], first.Fields["Status"], first.Fields["_UIVersionString"])
	}
	return nil
}

// walk prints a folder tree.
func walk(ctx context.Context, w io.Writer, folder *drive.DriveItem, indent string) error {
	for it, err := range folder.Children(ctx) {
		if err != nil {
			return err
		}
		if it.Folder != nil {
			fmt.Fprintf(w, "%s%s/\n", indent, it.Name)
			if err := walk(ctx, w, it, indent+"  "); err != nil {
				return err
			}
			continue
		}
		fmt.Fprintf(w, "%s%s (%d bytes)\n", indent, it.Name, it.Size)
	}
	return nil
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
