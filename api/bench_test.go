package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/internal/o365test"
)

// usersPageSize is the number of users in the benchmark page, the largest
// page Graph's directory answers (rounded up).
const usersPageSize = 1000

// benchUsersPage returns a page of usersPageSize users as Graph sends it,
// every default property set, with the users it encodes.
func benchUsersPage(tb testing.TB) ([]byte, api.Page[api.User]) {
	tb.Helper()
	users := benchUsers(usersPageSize)
	// Graph's own property order; @odata.nextLink carries a skiptoken of
	// the length Graph's directory uses.
	type wireUser struct {
		BusinessPhones    []string `json:"businessPhones"`
		DisplayName       string   `json:"displayName"`
		GivenName         string   `json:"givenName"`
		JobTitle          string   `json:"jobTitle"`
		Mail              string   `json:"mail"`
		MobilePhone       string   `json:"mobilePhone"`
		OfficeLocation    string   `json:"officeLocation"`
		PreferredLanguage string   `json:"preferredLanguage"`
		Surname           string   `json:"surname"`
		UserPrincipalName string   `json:"userPrincipalName"`
		ID                string   `json:"id"`
	}
	wire := struct {
		Context  string     `json:"@odata.context"`
		NextLink string     `json:"@odata.nextLink"`
		Value    []wireUser `json:"value"`
	}{
		Context:  "https://graph.microsoft.com/v1.0/$metadata#users",
		NextLink: "https://graph.microsoft.com/v1.0/users?$top=1000&$skiptoken=RFNwdAIAAQAAACM6QWxleFdAY29udG9zby5vbm1pY3Jvc29mdC5jb20pVXNlcl85ODBiNzIzMy1hNzE0LTRlZjgtOWY1Ni1kN2JmYmUzYzQ3ZjS5AAAAAAAAAAAAAA",
	}
	for _, u := range users {
		wire.Value = append(wire.Value, wireUser{
			BusinessPhones: u.BusinessPhones, DisplayName: u.DisplayName, GivenName: u.GivenName,
			JobTitle: u.JobTitle, Mail: u.Mail, MobilePhone: u.MobilePhone, OfficeLocation: u.OfficeLocation,
			PreferredLanguage: u.PreferredLanguage, Surname: u.Surname, UserPrincipalName: u.UserPrincipalName, ID: u.ID,
		})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(wire); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes(), api.Page[api.User]{Value: users, NextLink: wire.NextLink}
}

// benchUsers makes n distinct users with every default property set and
// realistic lengths, some names outside ASCII. The same n gives the same
// users on every run.
func benchUsers(n int) []api.User {
	dir := o365test.Directory(n, func(i int, given, surname string) string {
		return fmt.Sprintf("%s.%s%d@contoso.onmicrosoft.com", asciiFold(given), asciiFold(surname), i)
	})
	users := make([]api.User, n)
	for i, u := range dir {
		users[i] = api.User{
			ID:                u.ID,
			DisplayName:       u.DisplayName,
			GivenName:         u.GivenName,
			Surname:           u.Surname,
			Mail:              u.Mail,
			UserPrincipalName: u.UserPrincipalName,
			JobTitle:          u.JobTitle,
			MobilePhone:       u.MobilePhone,
			OfficeLocation:    u.OfficeLocation,
			PreferredLanguage: u.PreferredLanguage,
			BusinessPhones:    u.BusinessPhones,
		}
	}
	return users
}

// asciiFold makes a mail alias of a name.
func asciiFold(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r < 128 && r != ' ':
			return r
		case strings.ContainsRune("ëé", r):
			return 'e'
		case strings.ContainsRune("úü", r):
			return 'u'
		case r == 'Ł':
			return 'L'
		case strings.ContainsRune("øØ", r):
			return 'o'
		case r == 'í':
			return 'i'
		case r == 'ñ':
			return 'n'
		}
		return -1
	}, s)
}

// BenchmarkDecodeUsersPage decodes one page of 1000 users: the library's
// path (what the pager does with each response) next to plain
// encoding/json decoding the same bytes into the same struct.
func BenchmarkDecodeUsersPage(b *testing.B) {
	data, want := benchUsersPage(b)
	req, err := http.NewRequest(http.MethodGet, "https://graph.microsoft.com/v1.0/users?$top=1000", nil)
	if err != nil {
		b.Fatal(err)
	}
	decoders := []struct {
		name   string
		decode func() (*api.Page[api.User], error)
	}{
		{"o365", func() (*api.Page[api.User], error) {
			// As Pager.fetch does: a fresh page, the response's body.
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
		{"encoding-json-readall", func() (*api.Page[api.User], error) {
			page := new(api.Page[api.User])
			all, err := io.ReadAll(bytes.NewReader(data))
			if err != nil {
				return nil, err
			}
			return page, json.Unmarshal(all, page)
		}},
		{"json-v2", func() (*api.Page[api.User], error) {
			page := new(api.Page[api.User])
			return page, jsonv2.Unmarshal(data, page)
		}},
		{"json-v2-readall", func() (*api.Page[api.User], error) {
			page := new(api.Page[api.User])
			all, err := io.ReadAll(bytes.NewReader(data))
			if err != nil {
				return nil, err
			}
			return page, jsonv2.Unmarshal(all, page)
		}},
		{"json-v2-stream", func() (*api.Page[api.User], error) {
			page := new(api.Page[api.User])
			return page, jsonv2.UnmarshalRead(bytes.NewReader(data), page)
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

// engineProbe has a field of each kind the models use, so the engine can
// be checked against encoding/json on it.
type engineProbe struct {
	ID         string            `json:"id"`
	Name       string            `json:"name,omitempty"`
	IsRead     bool              `json:"isRead,omitempty"`
	Size       int64             `json:"size,omitempty"`
	Ratio      float64           `json:"ratio"`
	Tags       []string          `json:"tags"`
	Phones     []string          `json:"phones,omitempty"`
	Extra      map[string]string `json:"extra"`
	Props      map[string]any    `json:"props,omitempty"`
	Parent     *engineProbe      `json:"parent,omitempty"`
	When       time.Time         `json:"when"`
	Until      time.Time         `json:"until,omitzero"`
	Raw        json.RawMessage   `json:"raw,omitempty"`
	Count      int               `json:"count,string,omitempty"`
	Any        any               `json:"any"`
	Hidden     string            `json:"-"`
	Plain      string
	Importance importance `json:"importance,omitempty"`
	engineEmbedded
}

type engineEmbedded struct {
	ETag string `json:"@odata.etag,omitempty"`
}

// importance marshals itself, as enumerations with methods do.
type importance int

func (i importance) MarshalText() ([]byte, error) {
	return []byte([]string{"low", "normal", "high"}[i]), nil
}

func (i *importance) UnmarshalText(b []byte) error {
	switch string(b) {
	case "low":
		*i = 0
	case "normal":
		*i = 1
	case "high":
		*i = 2
	default:
		return fmt.Errorf("bad importance %q", b)
	}
	return nil
}

// TestJSONEngineMatchesEncodingJSON checks that Marshal, Unmarshal and
// Decode treat the kinds of fields models have as encoding/json does.
func TestJSONEngineMatchesEncodingJSON(t *testing.T) {
	when := time.Date(2024, 5, 1, 10, 30, 0, 123456700, time.UTC)
	values := []engineProbe{
		{},
		{ID: "1", Hidden: "h", Plain: "p", When: when},
		{
			ID: "AAMkAGI2", Name: "<b>Q&A</b> \u2028 ünïcode", IsRead: true, Size: 1 << 40, Ratio: 0.1,
			Tags: []string{}, Phones: []string{"+1 425 555 0100"}, Extra: map[string]string{"b": "2", "a": "1"},
			Props: map[string]any{"n": 1.5, "s": "x", "l": []any{true, nil}}, Parent: &engineProbe{ID: "0"},
			When: when, Until: when.Add(time.Hour), Raw: json.RawMessage(`{"k":[1,2]}`), Count: 42, Any: "v",
			Importance:     2,
			engineEmbedded: engineEmbedded{ETag: `W/"abc"`},
		},
	}
	for i, v := range values {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		got, err := api.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("value %d: Marshal\n got %s\nwant %s", i, got, want)
		}
	}

	docs := []string{
		`{}`,
		`null`,
		`{"id":"1","unknown":{"deep":[1,{"x":null}]},"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#me/messages/$entity"}`,
		`{"id":"2","name":null,"tags":null,"extra":{"a":"1"},"when":"2024-05-01T10:30:00.1234567Z","until":"2024-05-01T12:30:00+02:00","count":"7","any":{"a":[1,"b"]},"importance":"high","@odata.etag":"W/\"x\"","Plain":"p","raw":[1, 2]}`,
		`{"id":"3","parent":{"id":"4","parent":null},"props":{"n":12345678901234567890},"isRead":false,"size":0,"ratio":1e-7}`,
		"{\"id\":\"bad \xff utf-8\",\"id\":\"duplicate wins\"}",
	}
	for _, doc := range docs {
		var want engineProbe
		if err := json.Unmarshal([]byte(doc), &want); err != nil {
			t.Fatal(err)
		}
		var got, streamed engineProbe
		if err := api.Unmarshal([]byte(doc), &got); err != nil {
			t.Errorf("Unmarshal(%s): %v", doc, err)
		}
		if err := api.Decode(strings.NewReader(doc), &streamed, "probe"); err != nil {
			t.Errorf("Decode(%s): %v", doc, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Unmarshal(%s)\n got %+v\nwant %+v", doc, got, want)
		}
		if !reflect.DeepEqual(streamed, want) {
			t.Errorf("Decode(%s)\n got %+v\nwant %+v", doc, streamed, want)
		}
	}

	// The one difference: names match exactly, as Graph sends them.
	var p engineProbe
	if err := api.Unmarshal([]byte(`{"ID":"x","Name":"y"}`), &p); err != nil || p.ID != "" || p.Name != "" {
		t.Errorf("names differing in case were taken: %+v, %v", p, err)
	}
	if err := api.Decode(strings.NewReader(`{"id":"1","tags":"x"}`), &p, "probe"); err == nil ||
		!strings.Contains(err.Error(), `cannot unmarshal string into Go value of type []string at "/tags"`) {
		t.Errorf("wrong kind: %v", err)
	}
}
