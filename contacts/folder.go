package contacts

import (
	"context"
	"errors"
	"iter"

	"github.com/go-o365/o365/api"
)

// Folder is a contact folder. Folders nest: each has contacts and child
// folders of its own.
type Folder struct {
	api.Component `json:"-"`

	ID             string `json:"id"`
	DisplayName    string `json:"displayName,omitempty"`
	ParentFolderID string `json:"parentFolderId,omitempty"`
}

// Contacts iterates over the contacts of the folder (not of its child
// folders). Use Limit, BatchSize and Query to shape the list.
func (f *Folder) Contacts(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Contact, error] {
	if err := f.exists(); err != nil {
		return fail[*Contact](err)
	}
	return listContacts(ctx, f.Component, folderPath(f.ID)+"/contacts", opts)
}

// ContactByEmail returns the first contact of the folder with the given
// email address. No such contact gives an error matching api.ErrNotFound.
func (f *Folder) ContactByEmail(ctx context.Context, address string) (*Contact, error) {
	if err := f.exists(); err != nil {
		return nil, err
	}
	return contactByEmail(ctx, f.Component, folderPath(f.ID)+"/contacts", address)
}

// NewContact starts a contact in this folder; it is created by its first
// Save.
func (f *Folder) NewContact() *Contact {
	return &Contact{Component: f.Component, folderID: f.ID}
}

// Folders iterates over the folder's child folders.
func (f *Folder) Folders(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Folder, error] {
	if err := f.exists(); err != nil {
		return fail[*Folder](err)
	}
	return listFolders(ctx, f.Component, folderPath(f.ID)+"/childFolders", opts)
}

// FolderByName returns the child folder with the given display name.
// No such folder gives an error matching api.ErrNotFound.
func (f *Folder) FolderByName(ctx context.Context, name string) (*Folder, error) {
	if err := f.exists(); err != nil {
		return nil, err
	}
	return folderByName(ctx, f.Component, folderPath(f.ID)+"/childFolders", name)
}

// CreateFolder creates a child folder. A child of that name already there
// gives an error matching api.ErrConflict.
func (f *Folder) CreateFolder(ctx context.Context, name string) (*Folder, error) {
	if err := f.exists(); err != nil {
		return nil, err
	}
	return createFolder(ctx, f.Component, folderPath(f.ID)+"/childFolders", name)
}

// Rename changes the folder's display name.
func (f *Folder) Rename(ctx context.Context, name string) error {
	if name == "" {
		return errors.New("contacts: Rename: empty name")
	}
	return f.update(ctx, map[string]string{"displayName": name})
}

// Move makes the folder a child of the folder with id folderID. The
// default Contacts folder's id is the ParentFolderID of the folders
// directly under it.
func (f *Folder) Move(ctx context.Context, folderID string) error {
	if folderID == "" {
		return errors.New("contacts: Move: empty folder id")
	}
	return f.update(ctx, map[string]string{"parentFolderId": folderID})
}

func (f *Folder) update(ctx context.Context, body map[string]string) error {
	if err := f.exists(); err != nil {
		return err
	}
	fresh := new(Folder)
	if err := f.PatchJSON(ctx, f.BuildURL(folderPath(f.ID)), body, fresh); err != nil {
		return err
	}
	fresh.Component = f.Component
	*f = *fresh
	return nil
}

// Delete deletes the folder with its contacts and child folders.
func (f *Folder) Delete(ctx context.Context) error {
	if err := f.exists(); err != nil {
		return err
	}
	return f.Component.Delete(ctx, f.BuildURL(folderPath(f.ID)))
}

// exists reports a folder that cannot be acted on in Graph: unbound, or
// not created yet.
func (f *Folder) exists() error {
	if f.Con() == nil {
		return errors.New("contacts: folder has no connection; get it from an AddressBook")
	}
	if f.ID == "" {
		return ErrNotSaved
	}
	return nil
}

// fail is an iterator that yields err alone.
func fail[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}
