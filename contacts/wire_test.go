package contacts_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/contacts"
	"github.com/go-o365/o365/token"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

// example is one entry of Microsoft's examples (testdata/README.md).
type example struct {
	ID           string         `json:"id"`
	Method       string         `json:"method"`
	RequestBody  map[string]any `json:"request_body"`
	ResponseBody map[string]any `json:"response_body"`
	ODataType    string         `json:"response_odata_type"`
	Collection   bool           `json:"response_is_collection"`
}

func loadExamples(t testing.TB, file string) []example {
	t.Helper()
	raw, err := os.ReadFile("testdata/" + file)
	require.NoError(t, err)
	var out []example
	require.NoError(t, api.Unmarshal(raw, &out))
	return out
}

func findExample(t *testing.T, file, id string) example {
	t.Helper()
	for _, e := range loadExamples(t, file) {
		if e.ID == id {
			return e
		}
	}
	t.Fatalf("no example %s", id)
	return example{}
}

// placeholders are the values Microsoft's examples use instead of data,
// where a real value of a type other than string belongs. They cannot be
// decoded into a typed field, so the tests put a value of the right type
// in their place (in memory; the files stay as published).
var placeholders = map[string]any{"datetime-value": "2016-10-19T10:37:00Z"}

func withoutPlaceholders(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, val := range x {
			out[k] = withoutPlaceholders(val)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = withoutPlaceholders(val)
		}
		return out
	case string:
		if p, ok := placeholders[x]; ok {
			return p
		}
	}
	return v
}

// modelType is the Go type a Graph type decodes into.
var modelType = map[string]reflect.Type{
	"microsoft.graph.contact":       reflect.TypeFor[contacts.Contact](),
	"microsoft.graph.contactFolder": reflect.TypeFor[contacts.Folder](),
	"microsoft.graph.user":          reflect.TypeFor[contacts.User](),
}

// Every example with a body decodes into the model, and encoding the model
// again gives back every modelled property with its value.
func TestExamplesRoundTrip(t *testing.T) {
	checked := 0
	for _, file := range []string{"contacts.json", "users.json"} {
		for _, e := range loadExamples(t, file) {
			typ, ok := modelType[e.ODataType]
			if !ok {
				continue // DELETE: no body
			}
			bodies := map[string]map[string]any{"response": e.ResponseBody, "request": e.RequestBody}
			for which, body := range bodies {
				if body == nil {
					continue
				}
				objects := []map[string]any{body}
				if e.Collection && which == "response" {
					objects = nil
					for _, v := range body["value"].([]any) {
						objects = append(objects, v.(map[string]any))
					}
				}
				for _, obj := range objects {
					t.Run(e.ID+"/"+which, func(t *testing.T) {
						roundTrip(t, typ, withoutPlaceholders(obj).(map[string]any))
					})
					checked++
				}
			}
		}
	}
	assert.GreaterOrEqual(t, checked, 20)
}

func roundTrip(t *testing.T, typ reflect.Type, obj map[string]any) {
	raw, err := api.Marshal(obj)
	require.NoError(t, err)
	model := reflect.New(typ).Interface()
	require.NoError(t, api.Unmarshal(raw, model))
	again, err := api.Marshal(model)
	require.NoError(t, err)
	var back map[string]any
	require.NoError(t, api.Unmarshal(again, &back))

	names := jsonNames(typ)
	for k, want := range obj {
		if !names[k] {
			continue // not modelled, e.g. postalCode of a user
		}
		got := back[k]
		switch {
		case empty(want):
			assert.True(t, empty(got), "%s: %v came back as %v", k, want, got)
		case k == "birthday":
			w, err := contacts.ParseDate(want.(string))
			require.NoError(t, err)
			g, err := contacts.ParseDate(got.(string))
			require.NoError(t, err)
			assert.Equal(t, w, g, k)
		default:
			assert.Equal(t, withoutEmpty(want), withoutEmpty(got), k)
		}
	}
}

// jsonNames are the JSON property names of a struct type.
func jsonNames(typ reflect.Type) map[string]bool {
	out := map[string]bool{}
	for f := range typ.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out[name] = true
		}
	}
	return out
}

// empty reports the values Graph uses for "not set".
func empty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		for _, val := range x {
			if !empty(val) {
				return false
			}
		}
		return true
	}
	return false
}

func withoutEmpty(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, val := range x {
			if !empty(val) {
				out[k] = withoutEmpty(val)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = withoutEmpty(val)
		}
		return out
	}
	return v
}

// Microsoft's update example sends homeAddress and the unchanged birthday;
// the contact of the get example, given that home address, sends the home
// address alone.
func TestChangesMatchUpdateExample(t *testing.T) {
	get := findExample(t, "contacts.json", "contact-get#1")
	update := findExample(t, "contacts.json", "contact-update#1")
	acct := fakeGraph(t, func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "/v1.0/me/contacts/AAMkAGI2THk0AAA=", r.URL.Path)
		writeJSON(w, get.ResponseBody)
	})
	c, err := acct.AddressBook().Contact(context.Background(), "AAMkAGI2THk0AAA=")
	require.NoError(t, err)
	assert.Equal(t, "Garth Fort", c.DisplayName)
	assert.Equal(t, contacts.Date{Year: 1974, Month: time.July, Day: 22}, c.Birthday)
	assert.Equal(t, "Redmond", c.BusinessAddress.City)
	assert.Equal(t, time.Date(2014, 10, 19, 23, 8, 24, 0, time.UTC), c.CreatedDateTime)

	body := update.RequestBody
	c.HomeAddress = contacts.PhysicalAddress{Street: "123 Some street", City: "Seattle", State: "WA", PostalCode: "98121"}
	birthday, err := contacts.ParseDate(body["birthday"].(string))
	require.NoError(t, err)
	c.Birthday = birthday
	changes, err := c.Changes()
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"homeAddress": body["homeAddress"]}, changes)
}

// fakeGraph returns an account whose Graph is handler, with a fixed token.
func fakeGraph(t testing.TB, handler http.HandlerFunc) *o365.Account {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return o365.NewAccount(o365.Credentials{ClientID: clientID},
		o365.WithCloud(o365.Cloud{Login: srv.URL, Graph: srv.URL}),
		o365.WithTokenBackend(token.NewMemoryBackend()),
		o365.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "fake-token"})),
		o365.WithRetries(0),
	)
}

func writeJSON(w http.ResponseWriter, v any) {
	data, err := api.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(data)
}
