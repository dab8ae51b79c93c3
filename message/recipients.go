package message

import (
	"errors"
	"fmt"
	"iter"
	"net/mail"
	"strings"
)

// ErrInvalidAddress is wrapped by every error about a recipient address
// that is missing or malformed.
var ErrInvalidAddress = errors.New("message: invalid email address")

// EmailAddress is a name and an SMTP address (Graph's emailAddress).
type EmailAddress struct {
	Name    string `json:"name,omitempty"`
	Address string `json:"address,omitempty"`
}

// Recipient is a sender or recipient of a message (Graph's recipient).
type Recipient struct {
	EmailAddress EmailAddress `json:"emailAddress"`
}

// String formats the recipient as RFC 5322 does: "Name <address>", or the
// bare address when it has no name.
func (r Recipient) String() string {
	if r.EmailAddress.Name == "" {
		return r.EmailAddress.Address
	}
	return (&mail.Address{Name: r.EmailAddress.Name, Address: r.EmailAddress.Address}).String()
}

// NewRecipient builds a recipient from an address as Add reads it.
func NewRecipient(address string) (Recipient, error) {
	name, addr, err := parseAddress(address)
	if err != nil {
		return Recipient{}, err
	}
	return Recipient{EmailAddress: EmailAddress{Name: name, Address: addr}}, nil
}

// Recipients is a list of recipients: the to, cc, bcc and reply-to lists
// of a Message. It is a plain slice, so literals, len, range and append
// work; the methods add validation. The zero value is an empty list.
type Recipients []Recipient

// Add appends a recipient given as an address ("alex@contoso.com") or an
// RFC 5322 name-addr ("Alex Wilber <alex@contoso.com>"). An address already
// in the list (compared without regard to case) is not added twice. A
// missing or malformed address returns an error wrapping
// ErrInvalidAddress and leaves the list unchanged.
func (rs *Recipients) Add(address string) error {
	name, addr, err := parseAddress(address)
	if err != nil {
		return err
	}
	rs.add(name, addr)
	return nil
}

// AddNamed appends a recipient with a display name. The address is checked
// as Add checks it; the name is used as given.
func (rs *Recipients) AddNamed(name, address string) error {
	_, addr, err := parseAddress(address)
	if err != nil {
		return err
	}
	rs.add(name, addr)
	return nil
}

func (rs *Recipients) add(name, addr string) {
	if rs.Contains(addr) {
		return
	}
	*rs = append(*rs, Recipient{EmailAddress: EmailAddress{Name: name, Address: addr}})
}

// Remove deletes every recipient with the address (compared without
// regard to case) and reports whether there was one.
func (rs *Recipients) Remove(address string) bool {
	addr := strings.TrimSpace(address)
	if a, err := mail.ParseAddress(addr); err == nil {
		addr = a.Address
	}
	before := len(*rs)
	kept := (*rs)[:0]
	for _, r := range *rs {
		if !strings.EqualFold(r.EmailAddress.Address, addr) {
			kept = append(kept, r)
		}
	}
	clear((*rs)[len(kept):])
	*rs = kept
	return len(kept) != before
}

// Clear empties the list.
func (rs *Recipients) Clear() { *rs = nil }

// Contains reports whether a recipient has the address (compared without
// regard to case).
func (rs Recipients) Contains(address string) bool {
	for _, r := range rs {
		if strings.EqualFold(r.EmailAddress.Address, address) {
			return true
		}
	}
	return false
}

// All yields the recipients in order.
func (rs Recipients) All() iter.Seq[Recipient] {
	return func(yield func(Recipient) bool) {
		for _, r := range rs {
			if !yield(r) {
				return
			}
		}
	}
}

// Addresses returns the recipients' addresses in order.
func (rs Recipients) Addresses() []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, r.EmailAddress.Address)
	}
	return out
}

// Validate checks every address, for lists built as literals or appended
// to directly. The error names the position of the first bad recipient
// and wraps ErrInvalidAddress.
func (rs Recipients) Validate() error {
	for i, r := range rs {
		if _, _, err := parseAddress(r.EmailAddress.Address); err != nil {
			who := ""
			if r.EmailAddress.Name != "" {
				who = fmt.Sprintf(" (%q)", r.EmailAddress.Name)
			}
			return fmt.Errorf("recipient %d%s: %w", i, who, err)
		}
	}
	return nil
}

// parseAddress reads an address or name-addr with net/mail, which knows
// RFC 5322's quoting rules.
func parseAddress(s string) (name, addr string, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "", fmt.Errorf("%w: the recipient has no address", ErrInvalidAddress)
	}
	a, err := mail.ParseAddress(s)
	if err != nil {
		return "", "", fmt.Errorf("%w %q: %v", ErrInvalidAddress, s, err)
	}
	// net/mail unquotes a quoted local part ("a b"@x); such an address
	// cannot be written back plainly, and Outlook does not take it.
	if _, err := mail.ParseAddress(a.Address); err != nil {
		return "", "", fmt.Errorf("%w %q: the quoted local part is not supported", ErrInvalidAddress, s)
	}
	return a.Name, a.Address, nil
}
