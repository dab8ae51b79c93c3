package notify_test

import (
	"testing"
	"time"

	"github.com/go-o365/o365/drive"
	"github.com/go-o365/o365/notify"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Real operations of the mail, contacts, calendar and drive components
// make the emulator notify: a mail Alex sends arrives in Adele's Inbox,
// Adele's new contact and event are created, updated and deleted, and a
// folder appears in her drive.
func TestAreaOperationsNotify(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	inbox, err := e.subs.Create(ctx, e.inboxSubscription())
	require.NoError(t, err)
	contactsSub, err := e.subs.Create(ctx, notify.Subscription{
		Resource:           "me/contacts",
		ChangeType:         "created,updated,deleted",
		NotificationURL:    e.hook.ts.URL + "/notifications",
		ExpirationDateTime: time.Now().Add(24 * time.Hour),
		ClientState:        secret,
	})
	require.NoError(t, err)
	eventsSub, err := e.subs.Create(ctx, notify.Subscription{
		Resource:           "me/events",
		ChangeType:         "created,updated,deleted",
		NotificationURL:    e.hook.ts.URL + "/notifications",
		ExpirationDateTime: time.Now().Add(24 * time.Hour),
		ClientState:        secret,
	})
	require.NoError(t, err)

	alex := signIn(t, e.srv, alexUPN, "alex-pw")
	msg := alex.NewMessage()
	require.NoError(t, msg.To.Add(adeleUPN))
	msg.Subject = "Quarterly numbers"
	require.NoError(t, msg.Send(ctx))
	waitDeliveries(t, e.srv, 1)

	book := e.acct.AddressBook()
	c := book.NewContact()
	c.GivenName = "Pavel"
	require.NoError(t, c.Save(ctx))
	c.Surname = "Bansky"
	require.NoError(t, c.Save(ctx))
	require.NoError(t, c.Delete(ctx))
	waitDeliveries(t, e.srv, 4)

	ev := e.acct.Schedule().NewEvent()
	ev.Subject = "Planning"
	ev.Start = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	ev.End = ev.Start.Add(time.Hour)
	require.NoError(t, ev.Save(ctx))
	ev.Subject = "Planning (moved)"
	require.NoError(t, ev.Save(ctx))
	require.NoError(t, ev.Delete(ctx))
	waitDeliveries(t, e.srv, 7)

	driveSub, err := e.subs.Create(ctx, notify.Subscription{
		Resource:           "me/drive/root",
		ChangeType:         "updated",
		NotificationURL:    e.hook.ts.URL + "/notifications",
		ExpirationDateTime: time.Now().Add(24 * time.Hour),
		ClientState:        secret,
	})
	require.NoError(t, err)
	d, err := e.acct.Storage().DefaultDrive(ctx)
	require.NoError(t, err)
	root, err := d.Root(ctx)
	require.NoError(t, err)
	_, err = root.CreateFolder(ctx, "Reports", drive.ConflictFail)
	require.NoError(t, err)
	log := waitDeliveries(t, e.srv, 8)

	var mail, contacts, events []string
	driveChanges := 0
	for _, n := range e.hook.Changes() {
		switch n.SubscriptionID {
		case inbox.ID:
			mail = append(mail, n.ChangeType)
		case contactsSub.ID:
			contacts = append(contacts, n.ChangeType)
			assert.Equal(t, c.ID, n.ResourceData.ID)
		case driveSub.ID:
			driveChanges++
			assert.Equal(t, "updated", n.ChangeType, "Graph announces any change under a drive root as updated")
		case eventsSub.ID:
			events = append(events, n.ChangeType)
			assert.Equal(t, ev.ID, n.ResourceData.ID)
		}
	}
	assert.Equal(t, []string{"created"}, mail, "the delivered mail, and nothing from Alex's own Sent Items")
	assert.Equal(t, []string{"created", "updated", "deleted"}, contacts)
	assert.Equal(t, []string{"created", "updated", "deleted"}, events)
	assert.NotEmpty(t, log)
	assert.Positive(t, driveChanges)
}
