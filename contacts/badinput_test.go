package contacts_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/contacts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDate(t *testing.T) {
	for in, want := range map[string]contacts.Date{
		"1974-07-22":                {1974, time.July, 22},
		"1974-07-22T00:00:00Z":      {1974, time.July, 22},
		"1974-07-22T11:59:00Z":      {1974, time.July, 22},
		"1974-07-21T22:00:00Z":      {1974, time.July, 22}, // midnight in Berlin
		"1974-07-22T08:00:00Z":      {1974, time.July, 22}, // midnight in Seattle
		"1974-07-22T00:00:00-07:00": {1974, time.July, 22},
		"2016-10-19T10:37:00Z":      {2016, time.October, 19},
	} {
		got, err := contacts.ParseDate(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "datetime-value", "1974-13-01", "22/07/1974", "1974-07-22T25:00:00Z"} {
		_, err := contacts.ParseDate(in)
		assert.ErrorContains(t, err, "neither YYYY-MM-DD nor an RFC 3339", in)
	}

	d := contacts.Date{Year: 1974, Month: time.July, Day: 22}
	assert.Equal(t, "1974-07-22", d.String())
	assert.Equal(t, "", contacts.Date{}.String())
	assert.Equal(t, time.Date(1974, 7, 22, 0, 0, 0, 0, time.Local), d.In(time.Local))
	assert.Equal(t, d, contacts.DateOf(time.Date(1974, 7, 22, 23, 59, 0, 0, time.FixedZone("x", 14*3600))))
	b, err := d.MarshalJSON()
	require.NoError(t, err)
	assert.Equal(t, `"1974-07-22T11:59:00Z"`, string(b))

	// Written at 11:59 UTC, the day is the same from UTC-11 to UTC+12.
	at, err := time.Parse(time.RFC3339, "1974-07-22T11:59:00Z")
	require.NoError(t, err)
	for off := -11; off <= 12; off++ {
		assert.Equal(t, d, contacts.DateOf(at.In(time.FixedZone("", off*3600))), "UTC%+d", off)
	}

	var c contacts.Contact
	require.NoError(t, api.Unmarshal([]byte(`{"birthday":null}`), &c))
	assert.True(t, c.Birthday.IsZero())
	require.NoError(t, api.Unmarshal([]byte(`{"birthday":""}`), &c))
	assert.True(t, c.Birthday.IsZero())
	err = api.Unmarshal([]byte(`{"birthday":"datetime-value"}`), &c)
	assert.ErrorContains(t, err, `"datetime-value"`)
	err = api.Unmarshal([]byte(`{"birthday":19740722}`), &c)
	assert.ErrorContains(t, err, "date must be a JSON string")

	_, err = api.Marshal(contacts.Contact{Birthday: contacts.Date{Year: 2021, Month: time.February, Day: 30}})
	assert.ErrorContains(t, err, "2021-02-30 is not a valid date")
	_, err = api.Marshal(contacts.Contact{Birthday: contacts.Date{Year: 10000, Month: 1, Day: 1}})
	assert.ErrorContains(t, err, "not a valid date")
}

// A contact or folder that is not bound to an address book, or not saved,
// cannot act; each says so instead of panicking or sending a request.
func TestUnsavedAndUnbound(t *testing.T) {
	ctx := context.Background()
	var loose contacts.Contact
	assert.ErrorContains(t, loose.Save(ctx), "no connection")
	assert.ErrorContains(t, loose.Delete(ctx), "no connection")
	_, err := loose.Photo(ctx)
	assert.ErrorContains(t, err, "no connection")

	requests := 0
	acct := fakeGraph(t, func(w http.ResponseWriter, r *http.Request) { requests++ })
	ab := acct.AddressBook()
	fresh := ab.NewContact()
	assert.ErrorIs(t, fresh.Delete(ctx), contacts.ErrNotSaved)
	assert.ErrorIs(t, fresh.Move(ctx, "folder"), contacts.ErrNotSaved)
	assert.ErrorIs(t, fresh.SetPhoto(ctx, strings.NewReader("x"), ""), contacts.ErrNotSaved)
	_, err = fresh.Photo(ctx)
	assert.ErrorIs(t, err, contacts.ErrNotSaved)

	var folder contacts.Folder
	assert.ErrorContains(t, folder.Delete(ctx), "no connection")
	unsaved := &contacts.Folder{Component: ab.Component}
	assert.ErrorIs(t, unsaved.Rename(ctx, "x"), contacts.ErrNotSaved)
	assert.ErrorIs(t, unsaved.Move(ctx, "x"), contacts.ErrNotSaved)
	_, err = unsaved.CreateFolder(ctx, "x")
	assert.ErrorIs(t, err, contacts.ErrNotSaved)
	_, err = unsaved.FolderByName(ctx, "x")
	assert.ErrorIs(t, err, contacts.ErrNotSaved)
	_, err = unsaved.ContactByEmail(ctx, "a@b.c")
	assert.ErrorIs(t, err, contacts.ErrNotSaved)
	_, err = collectErr(unsaved.Contacts(ctx))
	assert.ErrorIs(t, err, contacts.ErrNotSaved)
	_, err = collectErr(unsaved.Folders(ctx))
	assert.ErrorIs(t, err, contacts.ErrNotSaved)

	saved := &contacts.Folder{Component: ab.Component, ID: "f1"}
	assert.ErrorContains(t, saved.Rename(ctx, ""), "empty name")
	assert.ErrorContains(t, saved.Move(ctx, ""), "empty folder id")
	_, err = ab.Contact(ctx, "")
	assert.ErrorContains(t, err, "empty id")
	_, err = ab.Folder(ctx, "")
	assert.ErrorContains(t, err, "empty id")
	_, err = ab.FolderByName(ctx, "")
	assert.ErrorContains(t, err, "empty name")
	_, err = ab.CreateFolder(ctx, "")
	assert.ErrorContains(t, err, "empty name")
	_, err = ab.ContactByEmail(ctx, "")
	assert.ErrorContains(t, err, "empty address")
	assert.Zero(t, requests, "bad input never reaches Graph")
}

// Ids are escaped per path segment, so an id cannot reach another route.
func TestIDsAreEscaped(t *testing.T) {
	var paths []string
	acct := fakeGraph(t, func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.EscapedPath())
		writeJSON(w, map[string]any{"id": "x"})
	})
	ctx := context.Background()
	ab := acct.AddressBook()
	_, err := ab.Contact(ctx, "a/b?c#d e")
	require.NoError(t, err)
	_, err = ab.Folder(ctx, "../../users")
	require.NoError(t, err)
	_, err = acct.Directory().User(ctx, "x/manager")
	require.NoError(t, err)
	assert.Equal(t, []string{
		"/v1.0/me/contacts/a%2Fb%3Fc%23d%20e",
		"/v1.0/me/contactFolders/..%2F..%2Fusers",
		"/v1.0/users/x%2Fmanager",
	}, paths)
}

// Bodies that are not what Graph sends give clear errors naming the problem.
func TestMalformedAnswers(t *testing.T) {
	ctx := context.Background()
	for name, tc := range map[string]struct {
		contentType, body, want string
	}{
		"truncated":  {"application/json", `{"id":"AAMk","displayName":"Gar`, "truncated"},
		"empty":      {"application/json", ``, "empty"},
		"wrong type": {"application/json", `{"id":"AAMk","businessPhones":"+1 555"}`, "businessPhones"},
		"bad date":   {"application/json", `{"id":"AAMk","birthday":"22/07/1974"}`, `"22/07/1974"`},
		"html":       {"text/html", `<html><body>Service Unavailable</body></html>`, "decoding"},
	} {
		t.Run(name, func(t *testing.T) {
			acct := fakeGraph(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.contentType)
				body := tc.body
				if strings.HasSuffix(r.URL.Path, "/contacts") && tc.contentType == "application/json" && body != "" {
					body = `{"value":[` + body + `]}` // a page holding the contact
				}
				io.WriteString(w, body)
			})
			_, err := acct.AddressBook().Contact(ctx, "AAMk")
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			_, err = collectErr(acct.AddressBook().Contacts(ctx))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// Graph's errors come through as *o365.GraphError with their code.
func TestGraphErrorsComeThrough(t *testing.T) {
	acct := fakeGraph(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"error":{"code":"ErrorItemNotFound","message":"The specified object was not found in the store."}}`)
	})
	_, err := acct.AddressBook().Contact(context.Background(), "gone")
	var ge *o365.GraphError
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, "ErrorItemNotFound", ge.Code)
	assert.ErrorIs(t, err, o365.ErrNotFound)
}

// A move that fails after the copy was made deletes the copy, so the
// contact is not left twice.
func TestFailedMoveIsUndone(t *testing.T) {
	var calls []string
	acct := fakeGraph(t, func(w http.ResponseWriter, r *http.Request) {
		calls = append(calls, r.Method+" "+r.URL.Path)
		switch {
		case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/photo/$value"):
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"error":{"code":"ImageNotFound","message":"The photo wasn't found."}}`)
		case r.Method == http.MethodGet:
			writeJSON(w, map[string]any{"id": "orig", "givenName": "Ann"})
		case r.Method == http.MethodPost:
			writeJSON(w, map[string]any{"id": "copy", "givenName": "Ann"})
		case r.URL.Path == "/v1.0/me/contacts/orig":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `{"error":{"code":"ErrorAccessDenied","message":"Access is denied."}}`)
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	})
	ctx := context.Background()
	c, err := acct.AddressBook().Contact(ctx, "orig")
	require.NoError(t, err)
	err = c.Move(ctx, "dest")
	assert.ErrorIs(t, err, o365.ErrForbidden)
	assert.Equal(t, "orig", c.ID, "a failed move leaves the contact as it was")
	assert.Equal(t, []string{
		"GET /v1.0/me/contacts/orig",
		"GET /v1.0/me/contacts/orig",
		"POST /v1.0/me/contactFolders/dest/contacts",
		"GET /v1.0/me/contacts/orig/photo/$value",
		"DELETE /v1.0/me/contacts/orig",
		"DELETE /v1.0/me/contacts/copy",
	}, calls)
}
