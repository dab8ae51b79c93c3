package contacts_test

import (
	"testing"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/contacts"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A message started from a contact is addressed to the contact and lands
// in the contact's inbox.
func TestContactNewMessage(t *testing.T) {
	srv := o365test.NewServer(t,
		graphtest.User{UserPrincipalName: "adele@contoso.com", DisplayName: "Adele Vance", Password: "pw-adele"},
		graphtest.User{UserPrincipalName: "alex@contoso.com", DisplayName: "Alex Wilber", Password: "pw-alex"})
	scopes := o365.WithScopes("address_book_all", "message_all")
	adele := o365test.SignIn(t, srv, "adele@contoso.com", "pw-adele", scopes)
	alex := o365test.SignIn(t, srv, "alex@contoso.com", "pw-alex", scopes)
	ctx := t.Context()

	c := adele.AddressBook().NewContact()
	c.GivenName, c.Surname = "Alex", "Wilber"
	c.EmailAddresses = []contacts.EmailAddress{{Name: "Alex W.", Address: "alex@contoso.com"}}
	require.NoError(t, c.Save(ctx))

	msg, err := c.NewMessage()
	require.NoError(t, err)
	require.Len(t, msg.To, 1)
	assert.Equal(t, "Alex W.", msg.To[0].EmailAddress.Name)
	msg.Subject = "Lunch?"
	require.NoError(t, msg.Send(ctx))

	got := o365test.Collect(t, alex.Mailbox().Inbox().Messages(ctx))
	require.Len(t, got, 1)
	assert.Equal(t, "Lunch?", got[0].Subject)
	assert.Equal(t, "adele@contoso.com", got[0].From.EmailAddress.Address)

	empty := adele.AddressBook().NewContact()
	empty.GivenName = "Nobody"
	_, err = empty.NewMessage()
	require.ErrorIs(t, err, contacts.ErrNoAddress)

	var loose contacts.Contact
	_, err = loose.NewMessage()
	require.Error(t, err, "a contact not made by the package has no connection")
}
