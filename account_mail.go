package o365

import (
	"github.com/go-o365/o365/mailbox"
	"github.com/go-o365/o365/message"
)

// Mailbox returns the mailbox of the main resource, or of resource when
// one is given: a user principal name or id ("shared@contoso.com"), or
// a path such as "users/{id}". Reaching a mailbox other than the
// signed-in user's needs the .Shared scopes (message_all_shared) and
// rights to it; app-only tokens reach any. Only the first resource is
// used.
func (a *Account) Mailbox(resource ...string) *mailbox.MailBox {
	if len(resource) > 0 && resource[0] != "" {
		return mailbox.NewForResource(a, resource[0])
	}
	return mailbox.NewFrom(a)
}

// NewMessage returns a new, unsaved message of the main resource's
// mailbox: Save creates it in Drafts, Send sends it.
func (a *Account) NewMessage() *message.Message {
	return message.NewFrom(a)
}
