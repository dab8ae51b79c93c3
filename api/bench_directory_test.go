package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"testing"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/internal/o365test"
)

// benchDirectoryPage returns a page of usersPageSize users with every
// property api.User models filled, as a directory client reads them with
// $select=<api.UserAllProperties>, and the page it encodes.
func benchDirectoryPage(tb testing.TB) ([]byte, api.Page[api.User]) {
	tb.Helper()
	dir := o365test.FullDirectory(usersPageSize, func(i int, given, surname string) string {
		return fmt.Sprintf("%s.%s%d@contoso.onmicrosoft.com", asciiFold(given), asciiFold(surname), i)
	})
	page := api.Page[api.User]{
		NextLink: "https://graph.microsoft.com/v1.0/users?$select=id,userPrincipalName&$top=1000&$skiptoken=RFNwdAIAAQAAACM6QWxleFdAY29udG9zby5vbm1pY3Jvc29mdC5jb20pVXNlcl85ODBiNzIzMy1hNzE0LTRlZjgtOWY1Ni1kN2JmYmUzYzQ3ZjS5AAAAAAAAAAAAAA",
	}
	for _, u := range dir {
		page.Value = append(page.Value, o365test.APIUser(u))
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(page); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes(), page
}

// BenchmarkDecodeDirectoryUsersPage decodes one page of 1000 users with
// every modelled property filled (about six times the bytes of the
// default set): the library's path next to plain encoding/json decoding
// the same bytes into the same struct.
func BenchmarkDecodeDirectoryUsersPage(b *testing.B) {
	data, want := benchDirectoryPage(b)
	req, err := http.NewRequest(http.MethodGet, "https://graph.microsoft.com/v1.0/users?$top=1000", nil)
	if err != nil {
		b.Fatal(err)
	}
	decoders := []struct {
		name   string
		decode func() (*api.Page[api.User], error)
	}{
		{"o365", func() (*api.Page[api.User], error) {
			page := new(api.Page[api.User])
			resp := &http.Response{StatusCode: http.StatusOK, Body: io.NopCloser(bytes.NewReader(data)), Request: req}
			return page, api.DecodeResponse(resp, page)
		}},
		{"encoding-json", func() (*api.Page[api.User], error) {
			page := new(api.Page[api.User])
			return page, json.Unmarshal(data, page)
		}},
		{"encoding-json-decoder", func() (*api.Page[api.User], error) {
			page := new(api.Page[api.User])
			return page, json.NewDecoder(bytes.NewReader(data)).Decode(page)
		}},
	}
	for _, d := range decoders {
		got, err := d.decode()
		if err != nil {
			b.Fatalf("%s: %v", d.name, err)
		}
		if !reflect.DeepEqual(*got, want) {
			b.Fatalf("%s decoded a different page", d.name)
		}
	}
	for _, d := range decoders {
		b.Run(d.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := d.decode(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The benchmark's page fills every property, so it measures what it
// says, and both decoders give back exactly what was encoded.
func TestDirectoryPageFillsEveryProperty(t *testing.T) {
	data, want := benchDirectoryPage(t)
	v := reflect.ValueOf(want.Value[0])
	for i := range v.NumField() {
		if v.Field(i).IsZero() {
			t.Errorf("%s is empty", v.Type().Field(i).Name)
		}
	}
	var got api.Page[api.User]
	if err := api.Decode(bytes.NewReader(data), &got, "users page"); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("the library decoded a different page")
	}
}
