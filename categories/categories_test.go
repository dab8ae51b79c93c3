package categories_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/categories"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/internal/wiretest"
	"github.com/go-o365/o365/query"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	adele    = "AdeleV@contoso.onmicrosoft.com"
	alex     = "AlexW@contoso.onmicrosoft.com"
	password = "pass-word"
)

func emulator(t testing.TB) *graphtest.Server {
	t.Helper()
	return o365test.NewServer(t,
		graphtest.User{UserPrincipalName: adele, DisplayName: "Adele Vance", Mail: adele, Password: password},
		graphtest.User{UserPrincipalName: alex, DisplayName: "Alex Wilber", Mail: alex, Password: password})
}

func signIn(t testing.TB, srv *graphtest.Server, upn string, scopes ...string) *o365.Account {
	t.Helper()
	return o365test.SignIn(t, srv, upn, password, o365.WithScopes(scopes...))
}

func TestMasterList(t *testing.T) {
	ctx := context.Background()
	srv := emulator(t)
	cats := signIn(t, srv, adele, "categories_all").OutlookCategories()

	var names []string
	for _, c := range o365test.Collect(t, cats.List(ctx)) {
		names = append(names, c.DisplayName+"/"+c.Color.Name())
	}
	assert.Equal(t, []string{"Red category/Red", "Orange category/Orange", "Yellow category/Yellow",
		"Green category/Green", "Blue category/Blue", "Purple category/Purple"}, names, "Outlook's six")

	c, err := cats.Create(ctx, "Project expenses", categories.Preset9)
	require.NoError(t, err)
	assert.NotEmpty(t, c.ID)
	assert.Equal(t, "Cranberry", c.Color.Name())

	got, err := cats.Get(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, "Project expenses", got.DisplayName)
	assert.Equal(t, categories.Preset9, got.Color)
	byName, err := cats.ByName(ctx, "project EXPENSES")
	require.NoError(t, err)
	assert.Equal(t, c.ID, byName.ID)

	_, err = cats.Create(ctx, "PROJECT expenses", categories.Preset1)
	require.ErrorIs(t, err, api.ErrConflict, "names are unique without regard to case")

	require.NoError(t, got.UpdateColor(ctx, categories.Preset22))
	assert.Equal(t, categories.Preset22, got.Color)
	again, err := cats.Get(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, "DarkBlue", again.Color.Name())
	assert.Equal(t, "Project expenses", again.DisplayName)

	none, err := cats.Create(ctx, "Plain", categories.None)
	require.NoError(t, err)
	assert.Equal(t, categories.None, none.Color)

	require.NoError(t, again.Delete(ctx))
	_, err = cats.Get(ctx, c.ID)
	require.ErrorIs(t, err, api.ErrNotFound)
	_, err = cats.ByName(ctx, "Project expenses")
	require.ErrorIs(t, err, api.ErrNotFound)
	assert.Len(t, o365test.Collect(t, cats.List(ctx, o365.Query(query.New().Where(query.StartsWith("displayName", "P"))))), 2,
		"Purple category and Plain")
}

// A category made here tags a message, an event and a contact, which
// read back with it.
func TestCategoryOnMessageEventContact(t *testing.T) {
	ctx := context.Background()
	srv := emulator(t)
	acct := signIn(t, srv, adele, "categories_all", "message_all", "calendar_all", "address_book_all")
	cat, err := acct.OutlookCategories().Create(ctx, "Project Falcon", categories.Preset4)
	require.NoError(t, err)
	tags := []string{cat.DisplayName, "Red category"}

	mb := acct.Mailbox()
	msg := mb.NewMessage()
	msg.Subject = "Falcon kickoff"
	msg.Categories = tags
	require.NoError(t, msg.Save(ctx))
	gotMsg, err := mb.Message(ctx, msg.ID)
	require.NoError(t, err)
	assert.Equal(t, tags, gotMsg.Categories)

	sched := acct.Schedule()
	ev := sched.NewEvent()
	ev.Subject = "Falcon review"
	ev.Start = time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)
	ev.End = ev.Start.Add(time.Hour)
	ev.Categories = tags
	require.NoError(t, ev.Save(ctx))
	gotEv, err := sched.Event(ctx, ev.ID)
	require.NoError(t, err)
	assert.Equal(t, tags, gotEv.Categories)

	ab := acct.AddressBook()
	ct := ab.NewContact()
	ct.GivenName, ct.Surname = "Pavel", "Bansky"
	ct.Categories = tags
	require.NoError(t, ct.Save(ctx))
	gotCt, err := ab.Contact(ctx, ct.ID)
	require.NoError(t, err)
	assert.Equal(t, tags, gotCt.Categories)

	// The name ties them to the master list, which gives the colour.
	for _, name := range gotMsg.Categories[:1] {
		c, err := acct.OutlookCategories().ByName(ctx, name)
		require.NoError(t, err)
		assert.Equal(t, "Green", c.Color.Name())
	}
}

func TestColors(t *testing.T) {
	for i := range 25 {
		c, err := categories.Preset(i)
		require.NoError(t, err)
		assert.True(t, c.Valid())
		assert.NotEmpty(t, c.Name())
		back, err := categories.ColorNamed(strings.ToLower(c.Name()))
		require.NoError(t, err)
		assert.Equal(t, c, back)
	}
	assert.Equal(t, categories.Preset0, must(categories.Preset(0)))
	assert.Equal(t, "Red", categories.Preset0.Name())
	assert.Equal(t, "DarkCranberry", categories.Preset24.Name())
	assert.Equal(t, "None", categories.None.Name())
	assert.True(t, categories.Color("Preset7").Valid(), "Graph reads them without regard to case")
	for _, bad := range []categories.Color{"preset25", "preset-1", "preset", "preset07", "red", ""} {
		assert.False(t, bad.Valid(), bad)
		assert.Empty(t, bad.Name(), bad)
	}
	_, err := categories.Preset(25)
	assert.ErrorContains(t, err, "preset 25 out of range")
	_, err = categories.ColorNamed("Mauve")
	assert.ErrorContains(t, err, "Mauve")
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// A colour out of range is refused before any request.
func TestBadColorBeforeRequest(t *testing.T) {
	ctx := context.Background()
	srv := emulator(t)
	w := o365test.NewWire()
	acct := o365test.SignIn(t, srv, adele, password, o365.WithScopes("categories_all"), o365.WithHTTPClient(&http.Client{Transport: w}))
	w.Take()
	cats := acct.OutlookCategories()
	_, err := cats.Create(ctx, "Falcon", categories.Color("preset25"))
	require.ErrorContains(t, err, `"preset25" is not one of preset0 to preset24 or none`)
	_, err = cats.Create(ctx, "", categories.Preset1)
	require.ErrorContains(t, err, "empty name")
	c, err := cats.Get(ctx, must(cats.ByName(ctx, "Red category")).ID)
	require.NoError(t, err)
	w.Take()
	require.Error(t, c.UpdateColor(ctx, "purple"))
	require.Error(t, new(categories.Category).Delete(ctx))
	// A Categories made by hand has no connection: an error, not a panic.
	var none categories.Categories
	_, err = none.Create(ctx, "Falcon", categories.Preset1)
	require.ErrorContains(t, err, "the Categories has no connection")
	_, err = none.Get(ctx, "x")
	require.ErrorContains(t, err, "no connection")
	_, err = none.ByName(ctx, "Falcon")
	require.ErrorContains(t, err, "no connection")
	assert.Empty(t, w.Take(), "nothing was sent")
	assert.Equal(t, categories.Preset0, c.Color, "the category is unchanged")
}

func TestScopes(t *testing.T) {
	ctx := context.Background()
	srv := emulator(t)
	read := signIn(t, srv, adele, "categories").OutlookCategories()
	assert.Len(t, o365test.Collect(t, read.List(ctx)), 6)
	_, err := read.Create(ctx, "x", categories.Preset1)
	require.ErrorIs(t, err, api.ErrForbidden)
	_, err = signIn(t, srv, adele, "basic").OutlookCategories().Get(ctx, "x")
	require.ErrorIs(t, err, api.ErrForbidden)

	// Another user's list needs full access to their mailbox.
	other := signIn(t, srv, alex, "categories_all").OutlookCategories(adele)
	_, err = other.Create(ctx, "x", categories.Preset1)
	require.ErrorIs(t, err, api.ErrForbidden)
	require.NoError(t, srv.GrantMailboxAccess(adele, alex))
	_, err = other.Create(ctx, "From Alex", categories.Preset1)
	require.NoError(t, err)
	_, err = signIn(t, srv, adele, "categories").OutlookCategories().ByName(ctx, "From Alex")
	require.NoError(t, err)

	// App-only names the user.
	app := o365test.SignInApp(t, srv).OutlookCategories("users/" + adele)
	assert.Len(t, o365test.Collect(t, app.List(ctx)), 7)
}

func TestExamplesRoundTrip(t *testing.T) {
	ex := wiretest.Load(t, "testdata/categories.json")
	wiretest.CheckResponses(t, ex, map[string]wiretest.Check{
		"outlookuser-list-mastercategories#1": wiretest.RoundTrip[api.Page[*categories.Category]]("@odata.context"),
		"outlookuser-post-mastercategories#1": wiretest.RoundTrip[categories.Category]("@odata.context"),
	})
}

// What Create sends is Microsoft's request example.
func TestCreateRequestMatchesExample(t *testing.T) {
	ctx := context.Background()
	ex := wiretest.Load(t, "testdata/categories.json")["outlookuser-post-mastercategories#1"]
	srv := emulator(t)
	w := o365test.NewWire()
	acct := o365test.SignIn(t, srv, adele, password, o365.WithScopes("categories_all"), o365.WithHTTPClient(&http.Client{Transport: w}))
	w.Take()
	_, err := acct.OutlookCategories().Create(ctx, "Project expenses", categories.Preset9)
	require.NoError(t, err)
	sent := w.Take()
	require.Len(t, sent, 1)
	assert.JSONEq(t, string(ex.RequestBody), string(sent[0].Body))
	assert.Equal(t, "/v1.0/me/outlook/masterCategories", sent[0].Path)
}
