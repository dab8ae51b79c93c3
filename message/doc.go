// Package message is Outlook mail messages through Microsoft Graph: the
// Message model with Graph's property names, recipients with address
// checks, attachments of any size, and the operations on a message (save
// as draft, send, reply, forward, move, copy, flag, categories, MIME).
//
//	msg := message.NewFrom(account) // or account.NewMessage(), mailbox.NewMessage()
//	msg.Subject = "Quarterly numbers"
//	msg.Body = message.ItemBody{ContentType: message.HTML, Content: "<p>Attached.</p>"}
//	if err := msg.To.Add("Alex Wilber <alexw@contoso.com>"); err != nil { … }
//	if err := msg.Attach(message.File{Path: "q3.xlsx"}); err != nil { … }
//	err := msg.Send(ctx)
//
// A Message carries the connection, protocol and mailbox of the parent it
// was made from, so messages of a shared mailbox are saved and sent there.
// Save sends only the fields changed since the message was loaded or last
// saved. Attachments are queued by Attach and uploaded by Save or Send;
// those of 3 MiB or more go through an attachment upload session in chunks
// under 4 MB, anonymously (the session URL is the credential), streaming
// from their reader, so Send first saves a draft, then uploads, then sends
// the draft (python-o365 #775, #841).
//
// Lists of messages come from package mailbox (folders), which uses List,
// ListDelta and Get here to decode and bind them.
package message
