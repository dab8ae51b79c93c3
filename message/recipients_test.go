package message_test

import (
	"slices"
	"testing"

	"github.com/go-o365/o365/message"
	"github.com/stretchr/testify/require"
)

func TestRecipients(t *testing.T) {
	var rs message.Recipients
	require.NoError(t, rs.Add("alex@contoso.com"))
	require.NoError(t, rs.Add("Megan Bowen <megan@contoso.com>"))
	require.NoError(t, rs.AddNamed("Adele Vance", "adele@contoso.com"))
	require.NoError(t, rs.Add("ALEX@contoso.com"), "a duplicate is not an error")
	require.NoError(t, rs.Add(`"Vance, Adele" <adele2@contoso.com>`))
	require.Equal(t, []string{"alex@contoso.com", "megan@contoso.com", "adele@contoso.com", "adele2@contoso.com"}, rs.Addresses())
	require.Equal(t, "Megan Bowen", rs[1].EmailAddress.Name)
	require.Equal(t, "Vance, Adele", rs[3].EmailAddress.Name)
	require.Equal(t, `"Megan Bowen" <megan@contoso.com>`, rs[1].String())
	require.Equal(t, "alex@contoso.com", rs[0].String())
	require.True(t, rs.Contains("Megan@Contoso.com"))

	var seen []string
	for r := range rs.All() {
		seen = append(seen, r.EmailAddress.Address)
		if len(seen) == 2 {
			break
		}
	}
	require.Equal(t, []string{"alex@contoso.com", "megan@contoso.com"}, seen)

	require.True(t, rs.Remove("MEGAN@contoso.com"))
	require.True(t, rs.Remove("Someone <adele2@contoso.com>"))
	require.False(t, rs.Remove("nobody@contoso.com"))
	require.Equal(t, []string{"alex@contoso.com", "adele@contoso.com"}, rs.Addresses())
	require.NoError(t, rs.Validate())
	rs.Clear()
	require.Empty(t, rs)

	for _, bad := range []string{"", "   ", "alex", "alex@", "@contoso.com", "Alex <alex>", "a@b@c", "two@a.com, three@b.com"} {
		err := rs.Add(bad)
		require.ErrorIs(t, err, message.ErrInvalidAddress, "%q", bad)
		require.ErrorIs(t, rs.AddNamed("Name", bad), message.ErrInvalidAddress, "%q", bad)
	}
	require.ErrorContains(t, rs.Add(""), "the recipient has no address")
	require.ErrorContains(t, rs.Add("alex"), `"alex"`)
	require.Empty(t, rs, "a failed Add leaves the list alone")

	lit := message.Recipients{{EmailAddress: message.EmailAddress{Address: "ok@contoso.com"}}, {EmailAddress: message.EmailAddress{Name: "No Address"}}}
	err := lit.Validate()
	require.ErrorIs(t, err, message.ErrInvalidAddress)
	require.ErrorContains(t, err, `recipient 1 ("No Address")`)

	r, err := message.NewRecipient("Alex <alex@contoso.com>")
	require.NoError(t, err)
	require.Equal(t, message.EmailAddress{Name: "Alex", Address: "alex@contoso.com"}, r.EmailAddress)
}

func FuzzRecipientsAdd(f *testing.F) {
	for _, s := range []string{"alex@contoso.com", "Alex <alex@contoso.com>", `"a, b" <x@y.z>`, "", "<>", "=?utf-8?q?R=C3=A9?= <r@x.y>", "a@b, c@d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var rs message.Recipients
		if err := rs.Add(s); err != nil {
			if len(rs) != 0 {
				t.Fatalf("failed Add(%q) changed the list", s)
			}
			return
		}
		if len(rs) != 1 || rs.Validate() != nil {
			t.Fatalf("Add(%q) gave %v, which does not validate", s, rs)
		}
		again := slices.Clone(rs)
		if err := again.Add(rs[0].String()); err != nil || len(again) != 1 {
			t.Fatalf("the recipient's own String %q does not read back: %v", rs[0].String(), err)
		}
	})
}
