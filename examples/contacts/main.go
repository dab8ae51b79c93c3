// Command contacts works with an address book and the organisation's
// directory: it creates a contact folder and contacts, updates one (only
// the changed field is sent), gives one a photo, moves one, finds one by
// email, addresses a message to it, then searches the directory and reads
// a manager, direct reports and a profile photo. It removes what it
// created at the end.
//
// With no credentials in the environment it runs offline against the
// graphtest emulator, with a small organisation chart. Against a real
// tenant, set O365_CLIENT_ID, O365_CLIENT_SECRET (omit it for a public
// client) and O365_TENANT; the app needs Contacts.ReadWrite and
// User.ReadBasic.All. Tokens are kept in o365_token.json.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/contacts"
	"github.com/go-o365/o365/internal/demo"
	"github.com/go-o365/o365/query"
)

// scopes the example needs: read the profile, write contacts, read others'
// basic profiles.
var scopes = []string{"basic", "address_book_all", "users"}

func main() { demo.Main(offline, realTenant) }

func offline(ctx context.Context, w io.Writer) error {
	srv, account, err := demo.Start(ctx, w, demo.SeedDirectory, scopes...)
	if err != nil {
		return err
	}
	defer srv.Close()
	return run(ctx, w, account, demo.Users[1].UserPrincipalName)
}

func realTenant(ctx context.Context, w io.Writer) error {
	account, err := demo.RealTenant(ctx, scopes...)
	if err != nil {
		return err
	}
	return run(ctx, w, account, "me")
}

// run is the demo proper; colleague is whose manager it looks up.
func run(ctx context.Context, w io.Writer, account *o365.Account, colleague string) (err error) {
	fmt.Fprintf(w, "Signed in as %s\n\n", account.Username())
	book := account.AddressBook()

	// A folder, removed at the end with everything in it.
	suppliers, err := book.CreateFolder(ctx, "Suppliers (o365 demo)")
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, suppliers.Delete(ctx)) }()
	fmt.Fprintf(w, "Created folder %q\n", suppliers.DisplayName)

	// Contacts: one in the default folder, one in the new folder.
	pavel := book.NewContact()
	pavel.GivenName, pavel.Surname = "Pavel", "Bansky"
	pavel.EmailAddresses = []contacts.EmailAddress{{Name: "Pavel Bansky", Address: "pavelb@fabrikam.example"}}
	pavel.BusinessPhones = []string{"+1 732 555 0102"}
	pavel.CompanyName = "Fabrikam"
	if err := pavel.Save(ctx); err != nil {
		return err
	}
	defer func() { err = errors.Join(err, deleteIfExists(ctx, pavel)) }()

	garth := suppliers.NewContact()
	garth.GivenName, garth.Surname = "Garth", "Fort"
	garth.EmailAddresses = []contacts.EmailAddress{{Address: "garth@contoso.example"}}
	garth.JobTitle, garth.CompanyName = "Web Marketing Manager", "Contoso, Inc."
	garth.BusinessAddress = contacts.PhysicalAddress{Street: "10 Contoso Way", City: "Redmond", State: "WA", PostalCode: "98075"}
	garth.Birthday = contacts.Date{Year: 1974, Month: time.July, Day: 22}
	if err := garth.Save(ctx); err != nil {
		return err
	}
	fmt.Fprintf(w, "Created %s (default folder) and %s (born %s, in %s)\n", pavel.DisplayName, garth.DisplayName, garth.Birthday, suppliers.DisplayName)

	// Save sends only what changed.
	pavel.JobTitle = "Purchasing Lead"
	changes, err := pavel.Changes()
	if err != nil {
		return err
	}
	if err := pavel.Save(ctx); err != nil {
		return err
	}
	fmt.Fprintf(w, "Updated %s: sent %v\n", pavel.DisplayName, keys(changes))

	// A photo, set and read back as streams.
	if err := garth.SetPhoto(ctx, bytes.NewReader(demo.Portrait(64, 64)), "image/png"); err != nil {
		return err
	}
	photo, err := garth.Photo(ctx)
	if err != nil {
		return err
	}
	n, err := io.Copy(io.Discard, photo)
	photo.Close()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s has a %d-byte photo\n", garth.DisplayName, n)

	// Move Pavel into the folder too (Graph copies, then deletes the original).
	if err := pavel.Move(ctx, suppliers.ID); err != nil {
		return err
	}
	fmt.Fprintf(w, "Moved %s to %s\n\n", pavel.DisplayName, suppliers.DisplayName)

	fmt.Fprintf(w, "Contacts in %s:\n", suppliers.DisplayName)
	q := query.New().OrderBy("displayName", query.Asc)
	for c, err := range suppliers.Contacts(ctx, o365.Query(q), o365.Limit(50)) {
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %-14s %-24s %s\n", c.DisplayName, c.CompanyName, c.EmailAddresses[0].Address)
	}

	found, err := suppliers.ContactByEmail(ctx, "GARTH@contoso.example")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Found by email: %s, %s\n", found.DisplayName, found.JobTitle)
	// Addressing a message: account.NewMessage() takes these as its To recipients.
	for _, r := range found.Recipients() {
		fmt.Fprintf(w, "New message to: %s <%s>\n\n", r.EmailAddress.Name, r.EmailAddress.Address)
	}

	// The organisation's directory.
	dir := account.Directory()
	fmt.Fprintln(w, `Directory search for "meg":`)
	for u, err := range dir.Search(ctx, "meg", o365.Limit(10)) {
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %-14s %-20s %s\n", u.DisplayName, u.JobTitle, u.UserPrincipalName)
	}
	fmt.Fprintln(w, "Everyone, by display name:")
	for u, err := range dir.Users(ctx, o365.Query(query.New().OrderBy("displayName", query.Asc)), o365.Limit(20)) {
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %s\n", u.DisplayName)
	}
	manager, err := dir.Manager(ctx, colleague)
	switch {
	case errors.Is(err, o365.ErrNotFound):
		fmt.Fprintf(w, "%s has no manager\n", colleague)
	case err != nil:
		return err
	default:
		fmt.Fprintf(w, "Manager of %s: %s\n", colleague, manager.DisplayName)
		for r, err := range dir.DirectReports(ctx, manager.ID) {
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "  %s reports to %s\n", r.DisplayName, manager.DisplayName)
		}
	}
	info, err := dir.PhotoInfo(ctx, "me")
	switch {
	case errors.Is(err, o365.ErrNotFound):
		fmt.Fprintln(w, "You have no profile photo")
	case err != nil:
		return err
	default:
		fmt.Fprintf(w, "Your profile photo: %dx%d %s\n", info.Width, info.Height, info.ContentType)
	}
	fmt.Fprintln(w, "\nRemoving the demo folder and contacts.")
	return nil
}

// deleteIfExists deletes c, which may already be gone with its folder.
func deleteIfExists(ctx context.Context, c *contacts.Contact) error {
	if err := c.Delete(ctx); err != nil && !errors.Is(err, o365.ErrNotFound) {
		return err
	}
	return nil
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
