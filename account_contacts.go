package o365

import "github.com/go-o365/o365/contacts"

// AddressBook returns the Outlook contacts of the main resource, or of the
// user named by resource ("me", a user principal name, "users/{id}"): the
// default Contacts folder, its contacts and the folders under it. Another
// user's address book needs their contacts shared with the signed-in user
// and the address_book_shared scope, or an app-only token.
func (a *Account) AddressBook(resource ...string) *contacts.AddressBook {
	return contacts.NewFrom(a, resource...)
}

// Directory returns the organisation's directory of users: list, search,
// a user's properties (contacts.WithUserProperties), manager, direct
// reports, photo and group memberships. It needs the "users" scope
// (User.ReadBasic.All) to see other users' basic profiles, and
// "users_all" (User.Read.All) or "directory" (Directory.Read.All) for
// their other properties and memberships.
func (a *Account) Directory() *contacts.Directory {
	return contacts.NewDirectory(a)
}
