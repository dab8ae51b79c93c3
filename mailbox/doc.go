// Package mailbox is Outlook mail folders through Microsoft Graph: a
// user's or a shared mailbox, its well-known and custom folders, the
// messages in them (listed with queries, read one by one, created in a
// folder), and delta sync of a folder's messages.
//
//	mb := account.Mailbox()                      // the signed-in user's
//	shared := account.Mailbox("sales@contoso.com") // a shared mailbox
//	q := query.New().Where(query.Eq("isRead", false)).Select("subject", "from")
//	for m, err := range mb.Inbox().Messages(ctx, o365.Query(q), o365.Limit(25)) { … }
//
// Folders from Inbox, SentFolder and the other well-known accessors are
// made without a request: their ID is the well-known name, which Graph
// accepts wherever an id goes. Messages are package message's; a message
// made from a mailbox or folder is saved and sent in that mailbox.
package mailbox
