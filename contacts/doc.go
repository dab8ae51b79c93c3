// Package contacts is the address book: a user's Outlook contacts and
// contact folders, and the organisation's directory of users.
//
//	ab := account.AddressBook()                 // the signed-in user's contacts
//	c := ab.NewContact()
//	c.GivenName, c.Surname = "Pavel", "Bansky"
//	c.EmailAddresses = []contacts.EmailAddress{{Name: "Pavel Bansky", Address: "pavelb@fabrikam.com"}}
//	err := c.Save(ctx)                          // POST: created in the default folder
//	c.JobTitle = "Engineer"
//	err = c.Save(ctx)                           // PATCH {"jobTitle": "Engineer"} only
//
//	for c, err := range ab.Contacts(ctx, o365.Limit(50)) { … }
//
//	dir := account.Directory()
//	for u, err := range dir.Search(ctx, "adele") { … }
//	boss, err := dir.Manager(ctx, "AdeleV@contoso.com", contacts.WithUserProperties("department"))
//	for g, err := range dir.MemberOf(ctx, "me", true) { … }
//
// # Address book
//
// An AddressBook is the default Contacts folder of a user
// (account.AddressBook(), or New / NewFrom without an Account). Folders under it
// nest; the address book and every Folder list their contacts and child
// folders, find a child folder by name, and create contacts and folders
// in themselves. AddressBook.Contact and AddressBook.Folder get any
// contact or folder by id, wherever it is.
//
// Contacts are plain structs with Graph's property names. Each remembers
// its state as loaded or last saved, and Save sends only what changed
// (Changes shows what that is). Graph has no move action for contacts, so
// Contact.Move copies the contact and its photo into the destination and
// deletes the original; folders move by changing their parent.
//
// # Writing to a contact
//
// NewMessage starts a message addressed to the contact, from the mailbox
// of the address book it came from; Recipients gives its addresses as
// Graph recipients for any other message:
//
//	msg, err := contact.NewMessage()
//	msg.Subject = "Hello"
//	err = msg.Send(ctx)
//
// # Directory
//
// A Directory (account.Directory(), or NewDirectory) lists and searches
// the organisation's users and reads a user's manager, direct reports,
// photo and group memberships (MemberOf, direct or transitive, as
// api.DirectoryObject). Its users are api.User (o365.User), the type
// account.CurrentUser returns, so a user from the directory and the
// signed-in user are interchangeable. Graph fills the eleven default
// properties of a user unless $select names others; WithUserProperties
// selects them, with the named sets of package api (api.UserJobProperties,
// api.UserLicenseProperties, api.UserAllProperties, …):
//
//	u, err := dir.User(ctx, id, contacts.WithUserProperties(api.UserAllProperties...))
//
// Lists carry ConsistencyLevel: eventual, so $search, $count and the
// advanced filters work; Search looks in display name, mail and user
// principal name.
//
// # Birthdays
//
// Contact.Birthday is a Date, a calendar day, not a time.Time: see Date
// for how Graph's DateTimeOffset birthdays are read and written without
// the day shifting with the reader's time zone.
package contacts
