package contacts

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/query"
)

// AddressBook is a user's Outlook contacts: the default Contacts folder,
// its contacts, and the contact folders under it.
//
// It works on the main resource of its parent ("me" for the signed-in
// user), or on another user's contacts when made for that user (through
// account.AddressBook("user@example.com") or NewFrom(parent, "user@…")),
// which needs the owner to have shared them and the Contacts.Read.Shared
// scope, or an app-only token.
type AddressBook struct {
	api.Component
}

// New returns the address book of the protocol's default resource, using
// con for requests: the modular form, without an Account.
func New(con api.Requester, protocol api.Protocol) *AddressBook {
	return NewFrom(api.ParentOf(con, protocol))
}

// NewFrom returns the address book of parent's main resource (an Account,
// another component, or api.ParentOf), or of resource when one is given:
// "me", a user principal name or "users/{id}".
func NewFrom(parent api.Parent, resource ...string) *AddressBook {
	var r string
	if len(resource) > 0 {
		r = resource[0]
	}
	return &AddressBook{Component: api.NewForResource(parent, r, nil)}
}

// Contacts iterates over the contacts of the default Contacts folder. Use
// Limit, BatchSize and Query (filter, order, select) to shape the list.
func (ab *AddressBook) Contacts(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Contact, error] {
	return listContacts(ctx, ab.Component, "/contacts", opts)
}

// Contact gets the contact with the given id, in whichever folder it is.
func (ab *AddressBook) Contact(ctx context.Context, id string) (*Contact, error) {
	if id == "" {
		return nil, errors.New("contacts: Contact: empty id")
	}
	c := new(Contact)
	if err := ab.GetJSON(ctx, ab.BuildURL(contactPath(id)), nil, c); err != nil {
		return nil, err
	}
	return c.bind(ab.Component), nil
}

// ContactByEmail returns the first contact of the default folder with the
// given email address (compared as Graph compares, without regard to
// case). No such contact gives an error matching api.ErrNotFound.
func (ab *AddressBook) ContactByEmail(ctx context.Context, address string) (*Contact, error) {
	return contactByEmail(ctx, ab.Component, "/contacts", address)
}

// NewContact starts a contact in the default Contacts folder; it is
// created by its first Save.
func (ab *AddressBook) NewContact() *Contact {
	return &Contact{Component: ab.Component}
}

// Folders iterates over the contact folders directly under the default
// Contacts folder.
func (ab *AddressBook) Folders(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Folder, error] {
	return listFolders(ctx, ab.Component, "/contactFolders", opts)
}

// Folder gets the contact folder with the given id, wherever it is.
func (ab *AddressBook) Folder(ctx context.Context, id string) (*Folder, error) {
	if id == "" {
		return nil, errors.New("contacts: Folder: empty id")
	}
	f := new(Folder)
	if err := ab.GetJSON(ctx, ab.BuildURL(folderPath(id)), nil, f); err != nil {
		return nil, err
	}
	f.Component = ab.Component
	return f, nil
}

// FolderByName returns the folder directly under the default Contacts
// folder with the given display name (compared without regard to case).
// No such folder gives an error matching api.ErrNotFound.
func (ab *AddressBook) FolderByName(ctx context.Context, name string) (*Folder, error) {
	return folderByName(ctx, ab.Component, "/contactFolders", name)
}

// CreateFolder creates a contact folder directly under the default
// Contacts folder. A folder of that name already there gives an error
// matching api.ErrConflict.
func (ab *AddressBook) CreateFolder(ctx context.Context, name string) (*Folder, error) {
	return createFolder(ctx, ab.Component, "/contactFolders", name)
}

// listContacts iterates over the contacts at path, bound to parent.
func listContacts(ctx context.Context, parent api.Component, path string, opts []api.ListOption) iter.Seq2[*Contact, error] {
	return func(yield func(*Contact, error) bool) {
		for c, err := range api.List[*Contact](ctx, parent.Con(), parent.BuildURL(path), opts...) {
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(c.bind(parent), nil) {
				return
			}
		}
	}
}

func contactByEmail(ctx context.Context, parent api.Component, path, address string) (*Contact, error) {
	if address == "" {
		return nil, errors.New("contacts: ContactByEmail: empty address")
	}
	q := query.New().Where(query.Any("emailAddresses", "a", query.Eq("a/address", address)))
	for c, err := range listContacts(ctx, parent, path, []api.ListOption{api.Query(q), api.Limit(1)}) {
		return c, err
	}
	return nil, fmt.Errorf("contacts: no contact with address %q: %w", address, api.ErrNotFound)
}

// listFolders iterates over the folders at path, bound to parent.
func listFolders(ctx context.Context, parent api.Component, path string, opts []api.ListOption) iter.Seq2[*Folder, error] {
	return func(yield func(*Folder, error) bool) {
		for f, err := range api.List[*Folder](ctx, parent.Con(), parent.BuildURL(path), opts...) {
			if err != nil {
				yield(nil, err)
				return
			}
			f.Component = parent
			if !yield(f, nil) {
				return
			}
		}
	}
}

func folderByName(ctx context.Context, parent api.Component, path, name string) (*Folder, error) {
	if name == "" {
		return nil, errors.New("contacts: FolderByName: empty name")
	}
	q := query.New().Where(query.Eq("displayName", name))
	for f, err := range listFolders(ctx, parent, path, []api.ListOption{api.Query(q), api.Limit(1)}) {
		return f, err
	}
	return nil, fmt.Errorf("contacts: no folder named %q: %w", name, api.ErrNotFound)
}

func createFolder(ctx context.Context, parent api.Component, path, name string) (*Folder, error) {
	if name == "" {
		return nil, errors.New("contacts: CreateFolder: empty name")
	}
	f := new(Folder)
	if err := parent.PostJSON(ctx, parent.BuildURL(path), map[string]string{"displayName": name}, f); err != nil {
		return nil, err
	}
	f.Component = parent
	return f, nil
}

// getStream GETs binary content; the caller closes the body.
func getStream(ctx context.Context, c *api.Component, u string) (*http.Response, error) {
	req, err := api.NewRequest(ctx, http.MethodGet, u, nil, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "*/*")
	return c.Con().Do(req)
}

func contactPath(id string) string { return "/contacts/" + url.PathEscape(id) }

func folderPath(id string) string { return "/contactFolders/" + url.PathEscape(id) }
