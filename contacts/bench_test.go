package contacts_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/contacts"
)

const benchContacts = 1000

// contactsPage is one Graph page of n contacts shaped like Microsoft's
// get example (every property present, most of them set), about 2 KB each.
func contactsPage(n int) []byte {
	value := make([]map[string]any, n)
	for i := range value {
		value[i] = map[string]any{
			"@odata.etag":          `W/"EQAAABYAAACd9nJ/tVysQos2hTfspaWRAAADTIa4"`,
			"id":                   fmt.Sprintf("AAMkAGI2THk0AAA%06d=", i),
			"createdDateTime":      "2014-10-19T23:08:24Z",
			"lastModifiedDateTime": "2014-10-19T23:08:24Z",
			"changeKey":            "EQAAABYAAACd9nJ/tVysQos2hTfspaWRAAADTIa4",
			"categories":           []any{"Customers"},
			"parentFolderId":       "AAMkAGI2AAEOAAA=",
			"birthday":             "1974-07-22T11:59:00Z",
			"fileAs":               fmt.Sprintf("Fort, Garth %d", i),
			"displayName":          fmt.Sprintf("Garth Fort %d", i),
			"givenName":            "Garth",
			"initials":             "G.F.",
			"middleName":           nil,
			"nickName":             "Garth",
			"surname":              fmt.Sprintf("Fort %d", i),
			"title":                nil,
			"yomiGivenName":        nil,
			"yomiSurname":          nil,
			"yomiCompanyName":      nil,
			"generation":           nil,
			"emailAddresses": []any{
				map[string]any{"name": "Garth", "address": fmt.Sprintf("garth%d@contoso.com", i)},
				map[string]any{"name": "Garth (home)", "address": fmt.Sprintf("garth%d@example.com", i)},
			},
			"imAddresses":      []any{fmt.Sprintf("sip:garth%d@contoso.com", i)},
			"jobTitle":         "Web Marketing Manager",
			"companyName":      "Contoso, Inc.",
			"department":       "Sales & Marketing",
			"officeLocation":   "20/1101",
			"profession":       nil,
			"businessHomePage": "https://www.contoso.com",
			"assistantName":    nil,
			"manager":          nil,
			"homePhones":       []any{"+1 918 555 0199"},
			"mobilePhone":      "+1 918 555 0102",
			"businessPhones":   []any{"+1 918 555 0101"},
			"homeAddress":      map[string]any{"street": "123 Some street", "city": "Seattle", "state": "WA", "postalCode": "98121"},
			"businessAddress":  map[string]any{"street": "10 Contoso Way", "city": "Redmond", "state": "WA", "countryOrRegion": "USA", "postalCode": "98075"},
			"otherAddress":     map[string]any{},
			"spouseName":       nil,
			"personalNotes":    "Prefers email over phone calls.",
			"children":         []any{},
		}
	}
	page, err := api.Marshal(map[string]any{
		"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('87d349ed-44d7-43e1-9a83-5f2406dee5bd')/contacts",
		"value":          value,
	})
	if err != nil {
		panic(err)
	}
	return page
}

// BenchmarkDecodeContactsPage decodes a page of 1000 contacts into the
// library's models: through the library's JSON engine (api.Decode), and
// through plain encoding/json v1 into the same types, the reference.
func BenchmarkDecodeContactsPage(b *testing.B) {
	page := contactsPage(benchContacts)
	b.Run("o365", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		b.ReportAllocs()
		for b.Loop() {
			var p api.Page[*contacts.Contact]
			if err := api.Decode(bytes.NewReader(page), &p, "contacts page"); err != nil {
				b.Fatal(err)
			}
			if len(p.Value) != benchContacts {
				b.Fatal(len(p.Value))
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		b.ReportAllocs()
		for b.Loop() {
			var p api.Page[*contacts.Contact]
			if err := json.NewDecoder(bytes.NewReader(page)).Decode(&p); err != nil {
				b.Fatal(err)
			}
			if len(p.Value) != benchContacts {
				b.Fatal(len(p.Value))
			}
		}
	})
}

// BenchmarkListContacts lists 1000 contacts over loopback: through
// AddressBook.Contacts (request, decode, binding each contact and keeping
// its saved state for Save), and with net/http and encoding/json alone,
// the reference.
func BenchmarkListContacts(b *testing.B) {
	page := contactsPage(benchContacts)
	acct := fakeGraph(b, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(page)
	})
	ctx := context.Background()
	ab := acct.AddressBook()
	url := ab.BuildURL("/contacts")

	b.Run("o365", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			for _, err := range ab.Contacts(ctx, o365.BatchSize(benchContacts)) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != benchContacts {
				b.Fatal(n)
			}
		}
	})
	b.Run("net-http+encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		b.ReportAllocs()
		for b.Loop() {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"?$top=1000", nil)
			req.Header.Set("Authorization", "Bearer fake-token")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var p api.Page[*contacts.Contact]
			err = json.NewDecoder(resp.Body).Decode(&p)
			resp.Body.Close()
			if err != nil || len(p.Value) != benchContacts {
				b.Fatal(err, len(p.Value))
			}
		}
	})
}
