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
//
// # Settings and automatic replies
//
// Settings reads the mailbox's settings (time zone, language, date and
// time formats, working hours, archive folder, delegate meeting delivery,
// automatic replies); UpdateSettings changes those set in its argument.
// SetAutomaticReply and DisableAutomaticReply are python-o365's
// mailbox.set_automatic_reply and set_disable_reply:
//
//	err := mb.SetAutomaticReply(ctx, "Back Monday.", "I'm away until Monday.",
//		mailbox.Scheduled(friday, monday), mailbox.Audience(mailbox.AudienceContactsOnly))
//	err = mb.DisableAutomaticReply(ctx)
//
// A schedule that ends before it starts, an unknown status or audience,
// and working hours that end before they start are refused before any
// request. Scopes: mailbox_settings_read (MailboxSettings.Read) to read,
// mailbox_settings (MailboxSettings.ReadWrite) to change.
package mailbox
