package contacts_test

import (
	"bytes"
	"testing"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/contacts"
)

// FuzzParseDate: any text either fails cleanly or gives a date that is
// written and read back unchanged.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"1974-07-22", "1974-07-22T11:59:00Z", "1974-07-21T22:00:00+02:00", "0001-01-01T00:00:00Z",
		"9999-12-31T23:59:59Z", "datetime-value", "", "2021-02-30"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := contacts.ParseDate(s)
		if err != nil {
			return
		}
		b, err := d.MarshalJSON()
		if err != nil {
			t.Fatalf("%q: parsed as %v, which cannot be written: %v", s, d, err)
		}
		var back contacts.Date
		if err := back.UnmarshalJSON(b); err != nil {
			t.Fatalf("%q: reading back %s: %v", s, b, err)
		}
		if back != d {
			t.Fatalf("%q: %v came back as %v", s, d, back)
		}
	})
}

// FuzzDecodeContact: any body either fails to decode with an error, or
// gives a contact whose encoding is stable and whose changes can be told.
func FuzzDecodeContact(f *testing.F) {
	for _, e := range loadExamples(f, "contacts.json") {
		if e.ResponseBody != nil {
			b, _ := api.Marshal(e.ResponseBody)
			f.Add(b)
		}
	}
	f.Add([]byte(`{"birthday":"1974-07-22","emailAddresses":[{"name":null}],"homeAddress":{}}`))
	f.Add([]byte(`{"businessPhones":"x"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c contacts.Contact
		if err := api.Unmarshal(data, &c); err != nil {
			return
		}
		once, err := api.Marshal(&c)
		if err != nil {
			t.Fatalf("encoding a decoded contact: %v", err)
		}
		var again contacts.Contact
		if err := api.Unmarshal(once, &again); err != nil {
			t.Fatalf("decoding %s: %v", once, err)
		}
		twice, err := api.Marshal(&again)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(once, twice) {
			t.Fatalf("unstable encoding:\n%s\n%s", once, twice)
		}
		if _, err := again.Changes(); err != nil {
			t.Fatalf("Changes: %v", err)
		}
	})
}
