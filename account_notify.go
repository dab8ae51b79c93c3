package o365

import "github.com/go-o365/o365/notify"

// Subscriptions manages the account's change-notification subscriptions
// (Graph's /subscriptions). Subscriptions are not tied to the main
// resource: each names the resource it watches, such as
// "me/mailFolders('Inbox')/messages" or "users/{id}/events". Receive the
// notifications with a notify.Handler.
func (a *Account) Subscriptions() *notify.Subscriptions {
	return notify.NewFrom(a)
}
