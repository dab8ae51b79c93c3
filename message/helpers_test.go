package message_test

import (
	"context"
	"testing"

	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/mailbox"
	"github.com/go-o365/o365/message"
)

// The emulated tenant is o365test's mail tenant.
const (
	adele = o365test.Adele
	alex  = o365test.Alex
	sales = o365test.Sales
)

var passwords = o365test.MailPasswords

// folderMessages collects the messages of a well-known folder of mb.
func folderMessages(t testing.TB, mb *mailbox.MailBox, folder string) []*message.Message {
	t.Helper()
	var out []*message.Message
	for m, err := range mb.WellKnownFolder(folder).Messages(context.Background()) {
		if err != nil {
			t.Fatalf("listing %s: %v", folder, err)
		}
		out = append(out, m)
	}
	return out
}
