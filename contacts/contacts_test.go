package contacts_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"iter"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/contacts"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/query"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pavel is the contact of Microsoft's "create contact" example.
func pavel(ab interface{ NewContact() *contacts.Contact }) *contacts.Contact {
	c := ab.NewContact()
	c.GivenName, c.Surname = "Pavel", "Bansky"
	c.EmailAddresses = []contacts.EmailAddress{{Name: "Pavel Bansky", Address: "pavelb@fabrikam.onmicrosoft.com"}}
	c.BusinessPhones = []string{"+1 732 555 0102"}
	return c
}

func TestCreateGetUpdateDeleteContact(t *testing.T) {
	ctx := context.Background()
	srv := emulator(t)
	ab := signIn(t, srv, adele, "address_book_all").AddressBook()

	c := pavel(ab)
	require.NoError(t, c.Save(ctx))
	require.NotEmpty(t, c.ID)
	assert.Equal(t, "Pavel Bansky", c.DisplayName, "Graph makes the display name from the names")
	assert.False(t, c.CreatedDateTime.IsZero())
	assert.NotEmpty(t, c.ParentFolderID)
	firstKey := c.ChangeKey

	got, err := ab.Contact(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, c.ID, got.ID)
	assert.Equal(t, []string{"+1 732 555 0102"}, got.BusinessPhones)
	assert.Equal(t, "pavelb@fabrikam.onmicrosoft.com", got.EmailAddresses[0].Address)

	// Every common field, set on the copy just fetched.
	got.Title, got.MiddleName, got.NickName = "Dr.", "M", "Pav"
	got.CompanyName, got.JobTitle, got.Department = "Fabrikam", "Engineer", "R&D"
	got.OfficeLocation, got.MobilePhone = "20/1101", "+1 555 0100"
	got.HomePhones = []string{"+1 555 0199"}
	got.HomeAddress = contacts.PhysicalAddress{Street: "123 Some street", City: "Seattle", State: "WA", PostalCode: "98121"}
	got.BusinessAddress = contacts.PhysicalAddress{Street: "10 Contoso Way", City: "Redmond", CountryOrRegion: "USA"}
	got.Birthday = contacts.Date{Year: 1974, Month: time.July, Day: 22}
	got.Categories = []string{"Red category"}
	got.PersonalNotes = "Met at Ignite"
	got.Children = []string{"Anna"}
	got.SpouseName = "Eva"
	require.NoError(t, got.Save(ctx))
	assert.NotEqual(t, firstKey, got.ChangeKey)

	again, err := ab.Contact(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, "Dr.", again.Title)
	assert.Equal(t, "Fabrikam", again.CompanyName)
	assert.Equal(t, "Seattle", again.HomeAddress.City)
	assert.Equal(t, "USA", again.BusinessAddress.CountryOrRegion)
	assert.Equal(t, contacts.Date{Year: 1974, Month: time.July, Day: 22}, again.Birthday)
	assert.Equal(t, []string{"Red category"}, again.Categories)
	assert.Equal(t, "Met at Ignite", again.PersonalNotes)
	assert.Equal(t, "Pavel Bansky", again.DisplayName)

	// Clearing fields sends null / [] and Graph clears them.
	again.PersonalNotes = ""
	again.Categories = nil
	again.HomeAddress = contacts.PhysicalAddress{}
	changes, err := again.Changes()
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"personalNotes": nil, "categories": []any{}, "homeAddress": nil}, changes)
	require.NoError(t, again.Save(ctx))
	cleared, err := ab.Contact(ctx, c.ID)
	require.NoError(t, err)
	assert.Empty(t, cleared.PersonalNotes)
	assert.Empty(t, cleared.Categories)
	assert.True(t, cleared.HomeAddress.IsZero())

	require.NoError(t, cleared.Delete(ctx))
	_, err = ab.Contact(ctx, c.ID)
	assert.ErrorIs(t, err, o365.ErrNotFound)
}

func TestSaveSendsOnlyChangedFields(t *testing.T) {
	ctx := context.Background()
	srv := emulator(t)
	ab := signIn(t, srv, adele, "address_book_all").AddressBook()
	c := pavel(ab)
	require.NoError(t, c.Save(ctx))

	changes, err := c.Changes()
	require.NoError(t, err)
	assert.Empty(t, changes, "nothing changed since the save")
	before := len(srv.Requests())
	require.NoError(t, c.Save(ctx))
	assert.Len(t, srv.Requests(), before, "an unchanged contact is not sent")

	c.JobTitle = "Engineer"
	c.BusinessPhones[0] = "+1 732 555 0199" // changed in place
	changes, err = c.Changes()
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"jobTitle": "Engineer", "businessPhones": []any{"+1 732 555 0199"}}, changes)
	require.NoError(t, c.Save(ctx))
	reqs := srv.Requests()
	last := reqs[len(reqs)-1]
	assert.Equal(t, http.MethodPatch, last.Method)
	assert.Equal(t, "/v1.0/me/contacts/"+c.ID, last.Path)

	changes, err = c.Changes()
	require.NoError(t, err)
	assert.Empty(t, changes, "a save resets what counts as changed")
}

func TestListContacts(t *testing.T) {
	ctx := context.Background()
	srv := emulator(t)
	ab := signIn(t, srv, adele, "address_book_all").AddressBook()
	for i, name := range []string{"Ann", "Bob", "Cid", "Dee", "Eve", "Fay", "Gus", "Hal", "Ivy", "Jon", "Kim", "Lou"} {
		_, err := srv.AddContact(adele, "", map[string]any{
			"givenName": name, "surname": "Test", "companyName": []string{"Contoso", "Fabrikam"}[i%2],
			"emailAddresses": []any{map[string]any{"address": strings.ToLower(name) + "@example.com"}},
		})
		require.NoError(t, err)
	}

	all := o365test.Collect(t, ab.Contacts(ctx))
	assert.Len(t, all, 12, "more than one page (Outlook pages by 10) is followed")

	limited := o365test.Collect(t, ab.Contacts(ctx, o365.Limit(5), o365.BatchSize(2)))
	require.Len(t, limited, 5)
	assert.Equal(t, "Ann", limited[0].GivenName)

	q := query.New().Where(query.Eq("companyName", "Fabrikam")).OrderBy("givenName", query.Desc).Select("givenName", "companyName")
	fab := o365test.Collect(t, ab.Contacts(ctx, o365.Query(q)))
	require.Len(t, fab, 6)
	assert.Equal(t, "Lou", fab[0].GivenName)
	assert.Empty(t, fab[0].Surname, "not selected")

	byMail, err := ab.ContactByEmail(ctx, "IVY@example.com")
	require.NoError(t, err)
	assert.Equal(t, "Ivy", byMail.GivenName)
	_, err = ab.ContactByEmail(ctx, "nobody@example.com")
	assert.ErrorIs(t, err, o365.ErrNotFound)

	// A listed contact can be saved: it is bound to the address book.
	all[0].JobTitle = "Buyer"
	require.NoError(t, all[0].Save(ctx))
	got, err := ab.Contact(ctx, all[0].ID)
	require.NoError(t, err)
	assert.Equal(t, "Buyer", got.JobTitle)
}

func TestFolders(t *testing.T) {
	ctx := context.Background()
	srv := emulator(t)
	ab := signIn(t, srv, adele, "address_book_all").AddressBook()

	work, err := ab.CreateFolder(ctx, "Work")
	require.NoError(t, err)
	family, err := ab.CreateFolder(ctx, "Family")
	require.NoError(t, err)
	_, err = ab.CreateFolder(ctx, "work")
	assert.ErrorIs(t, err, o365.ErrConflict, "names are unique among siblings")

	clients, err := work.CreateFolder(ctx, "Clients")
	require.NoError(t, err)
	assert.Equal(t, work.ID, clients.ParentFolderID)

	top := o365test.Collect(t, ab.Folders(ctx))
	assert.ElementsMatch(t, []string{"Work", "Family"}, names(top))
	assert.Equal(t, []string{"Clients"}, names(o365test.Collect(t, work.Folders(ctx))))

	byName, err := ab.FolderByName(ctx, "family")
	require.NoError(t, err)
	assert.Equal(t, family.ID, byName.ID)
	_, err = ab.FolderByName(ctx, "Clients")
	assert.ErrorIs(t, err, o365.ErrNotFound, "FolderByName looks at one level only")
	child, err := work.FolderByName(ctx, "Clients")
	require.NoError(t, err)
	assert.Equal(t, clients.ID, child.ID)
	byID, err := ab.Folder(ctx, clients.ID)
	require.NoError(t, err)
	assert.Equal(t, "Clients", byID.DisplayName)

	// Contacts in a folder.
	c := pavel(clients)
	require.NoError(t, c.Save(ctx))
	assert.Equal(t, clients.ID, c.ParentFolderID)
	assert.Len(t, o365test.Collect(t, clients.Contacts(ctx)), 1)
	assert.Empty(t, o365test.Collect(t, ab.Contacts(ctx)), "not in the default folder")
	found, err := clients.ContactByEmail(ctx, "pavelb@fabrikam.onmicrosoft.com")
	require.NoError(t, err)
	assert.Equal(t, c.ID, found.ID)

	// Rename and move.
	require.NoError(t, clients.Rename(ctx, "Customers"))
	assert.Equal(t, "Customers", clients.DisplayName)
	require.NoError(t, clients.Move(ctx, family.ID))
	assert.Equal(t, family.ID, clients.ParentFolderID)
	assert.Empty(t, o365test.Collect(t, work.Folders(ctx)))
	assert.Equal(t, []string{"Customers"}, names(o365test.Collect(t, family.Folders(ctx))))
	err = family.Move(ctx, clients.ID)
	assert.ErrorIs(t, err, o365.ErrBadRequest, "no folder moves into its own subfolder")
	// Back to the top level: the default folder's id is the parent of the top folders.
	require.NoError(t, clients.Move(ctx, work.ParentFolderID))
	assert.ElementsMatch(t, []string{"Work", "Family", "Customers"}, names(o365test.Collect(t, ab.Folders(ctx))))

	// Deleting a folder deletes what it holds.
	require.NoError(t, clients.Delete(ctx))
	_, err = ab.Contact(ctx, c.ID)
	assert.ErrorIs(t, err, o365.ErrNotFound)
	_, err = ab.Folder(ctx, clients.ID)
	assert.ErrorIs(t, err, o365.ErrNotFound)
}

func names(fs []*contacts.Folder) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.DisplayName)
	}
	return out
}

func TestMoveContact(t *testing.T) {
	ctx := context.Background()
	srv := emulator(t)
	ab := signIn(t, srv, adele, "address_book_all").AddressBook()
	dest, err := ab.CreateFolder(ctx, "Suppliers")
	require.NoError(t, err)
	c := pavel(ab)
	require.NoError(t, c.Save(ctx))
	jpeg := tinyJPEG(t)
	require.NoError(t, c.SetPhoto(ctx, bytes.NewReader(jpeg), "image/jpeg"))
	oldID := c.ID

	c.JobTitle = "Supplier" // unsaved: moves along
	require.NoError(t, c.Move(ctx, dest.ID))
	assert.NotEqual(t, oldID, c.ID, "a moved contact is a new item")
	assert.Equal(t, dest.ID, c.ParentFolderID)
	assert.Equal(t, "Supplier", c.JobTitle)

	_, err = ab.Contact(ctx, oldID)
	assert.ErrorIs(t, err, o365.ErrNotFound, "the original is gone")
	moved := o365test.Collect(t, dest.Contacts(ctx))
	require.Len(t, moved, 1)
	assert.Equal(t, "Pavel Bansky", moved[0].DisplayName)
	assert.Equal(t, []string{"+1 732 555 0102"}, moved[0].BusinessPhones)
	photo, err := moved[0].Photo(ctx)
	require.NoError(t, err)
	defer photo.Close()
	data, err := io.ReadAll(photo)
	require.NoError(t, err)
	assert.Equal(t, jpeg, data, "the photo moves along")

	// A contact listed with $select still moves whole.
	q := query.New().Select("displayName")
	slim := o365test.Collect(t, dest.Contacts(ctx, o365.Query(q)))
	require.Len(t, slim, 1)
	assert.Empty(t, slim[0].BusinessPhones)
	slim[0].Department = "Purchasing"
	require.NoError(t, slim[0].Move(ctx, dest.ParentFolderID))
	back, err := ab.Contact(ctx, slim[0].ID)
	require.NoError(t, err)
	assert.Equal(t, []string{"+1 732 555 0102"}, back.BusinessPhones)
	assert.Equal(t, "Supplier", back.JobTitle)
	assert.Equal(t, "Purchasing", back.Department)

	assert.Error(t, c.Move(ctx, ""), "an empty folder id")
	err = c.Move(ctx, "AAMkNoSuchFolder=")
	assert.ErrorIs(t, err, o365.ErrNotFound)
}

func TestContactPhoto(t *testing.T) {
	ctx := context.Background()
	srv := emulator(t)
	ab := signIn(t, srv, adele, "address_book_all").AddressBook()
	c := pavel(ab)
	require.NoError(t, c.Save(ctx))

	_, err := c.Photo(ctx)
	assert.ErrorIs(t, err, o365.ErrNotFound, "no photo yet")

	jpeg := tinyJPEG(t)
	require.NoError(t, c.SetPhoto(ctx, bytes.NewReader(jpeg), ""))
	rc, err := c.Photo(ctx)
	require.NoError(t, err)
	got, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	assert.Equal(t, jpeg, got)

	reqs := srv.Requests()
	put := reqs[len(reqs)-2]
	assert.Equal(t, http.MethodPut, put.Method)
	assert.Equal(t, "/v1.0/me/contacts/"+c.ID+"/photo/$value", put.Path)
	assert.Equal(t, "image/jpeg", put.Header.Get("Content-Type"))

	err = c.SetPhoto(ctx, strings.NewReader("not an image"), "text/plain")
	assert.ErrorIs(t, err, o365.ErrBadRequest)
	assert.Error(t, c.SetPhoto(ctx, nil, "image/png"))
}

func TestRecipients(t *testing.T) {
	c := &contacts.Contact{DisplayName: "Garth Fort", EmailAddresses: []contacts.EmailAddress{
		{Name: "Garth", Address: "garth@contoso.com"},
		{Address: "gf@fabrikam.com"},
		{Name: "no address"},
	}}
	assert.Equal(t, []contacts.Recipient{
		{EmailAddress: contacts.EmailAddress{Name: "Garth", Address: "garth@contoso.com"}},
		{EmailAddress: contacts.EmailAddress{Name: "Garth Fort", Address: "gf@fabrikam.com"}},
	}, c.Recipients())
	assert.Empty(t, (&contacts.Contact{}).Recipients())
	assert.Equal(t, "Garth Fort", c.FullName())
}

func TestSharedAddressBook(t *testing.T) {
	ctx := context.Background()
	srv := emulator(t)
	_, err := srv.AddContact(alex, "", map[string]any{"givenName": "Isaiah", "surname": "Langer"})
	require.NoError(t, err)

	acct := signIn(t, srv, adele, "address_book_all", "address_book_all_shared")
	shared := acct.AddressBook(alex)
	_, err = collectErr(shared.Contacts(ctx))
	assert.ErrorIs(t, err, o365.ErrForbidden, "Alex has not shared his contacts")

	require.NoError(t, srv.ShareContacts(alex, adele, false))
	list := o365test.Collect(t, shared.Contacts(ctx))
	require.Len(t, list, 1)
	assert.Equal(t, "Isaiah Langer", list[0].DisplayName)
	reqs := srv.Requests()
	assert.Equal(t, "/v1.0/users/"+alex+"/contacts", reqs[len(reqs)-1].Path)

	list[0].JobTitle = "Sales"
	assert.ErrorIs(t, list[0].Save(ctx), o365.ErrForbidden, "shared for reading only")
	require.NoError(t, srv.ShareContacts(alex, adele, true))
	require.NoError(t, list[0].Save(ctx))

	// Without the shared scopes, sharing is not enough.
	plain := signIn(t, srv, adele, "address_book_all")
	_, err = collectErr(plain.AddressBook(alex).Contacts(ctx))
	assert.ErrorIs(t, err, o365.ErrForbidden)
}

func TestScopesAreEnforced(t *testing.T) {
	ctx := context.Background()
	srv := emulator(t)
	readOnly := signIn(t, srv, adele, "address_book").AddressBook()
	assert.Empty(t, o365test.Collect(t, readOnly.Contacts(ctx)))
	err := pavel(readOnly).Save(ctx)
	assert.ErrorIs(t, err, o365.ErrForbidden)

	none := signIn(t, srv, adele, "basic").AddressBook()
	_, err = collectErr(none.Contacts(ctx))
	assert.ErrorIs(t, err, o365.ErrForbidden)
}

func TestModularAddressBook(t *testing.T) {
	ctx := context.Background()
	srv := emulator(t)
	acct := signIn(t, srv, adele, "address_book_all")
	ab := contacts.New(acct.Connection(), acct.Protocol())
	require.NoError(t, pavel(ab).Save(ctx))
	assert.Len(t, o365test.Collect(t, contacts.NewFrom(acct).Contacts(ctx)), 1)
	assert.Equal(t, "me", ab.MainResource())
	assert.Equal(t, "users/"+alex, contacts.NewFrom(acct, alex).MainResource())
}

func collectErr[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

// tinyJPEG is a 2×1 JPEG.
func tinyJPEG(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 2, 1)), nil))
	return b.Bytes()
}

// An address book serves many goroutines at once.
func TestConcurrentSaves(t *testing.T) {
	ctx := context.Background()
	srv := emulator(t)
	ab := signIn(t, srv, adele, "address_book_all").AddressBook()
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		wg.Go(func() {
			c := ab.NewContact()
			c.GivenName = fmt.Sprintf("Person %02d", i)
			if err := c.Save(ctx); err != nil {
				errs <- err
				return
			}
			c.JobTitle = "Tester"
			errs <- c.Save(ctx)
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	all := o365test.Collect(t, ab.Contacts(ctx, o365.BatchSize(100)))
	require.Len(t, all, 16)
	for _, c := range all {
		assert.Equal(t, "Tester", c.JobTitle)
	}
}
