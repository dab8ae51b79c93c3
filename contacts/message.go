package contacts

import (
	"errors"
	"fmt"

	"github.com/go-o365/o365/message"
)

// ErrNoAddress is returned by NewMessage for a contact without an email
// address.
var ErrNoAddress = errors.New("contacts: the contact has no email address")

// NewMessage starts a message to the contact's email addresses, sent from
// the mailbox of the address book it was read from (the same connection
// and main resource). Fill in the rest and Send or Save it.
func (c *Contact) NewMessage() (*message.Message, error) {
	if err := c.bound(); err != nil {
		return nil, err
	}
	m := message.NewFrom(c)
	for _, r := range c.Recipients() {
		if err := m.To.AddNamed(r.EmailAddress.Name, r.EmailAddress.Address); err != nil {
			return nil, fmt.Errorf("contacts: addressing %q: %w", c.DisplayName, err)
		}
	}
	if len(m.To) == 0 {
		return nil, fmt.Errorf("%w: %q", ErrNoAddress, c.DisplayName)
	}
	return m, nil
}
