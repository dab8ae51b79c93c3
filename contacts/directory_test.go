package contacts_test

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/query"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDirectoryUsersAndSearch(t *testing.T) {
	ctx := context.Background()
	srv := graphtest.NewServer(graphtest.WithPageSize(2))
	t.Cleanup(srv.Close)
	srv.AddApp(graphtest.App{ClientID: clientID, ClientSecret: clientSecret})
	srv.AddUser(graphtest.User{UserPrincipalName: adele, DisplayName: "Adele Vance", Mail: adele, Password: password})
	for i := range 4 {
		srv.AddUser(graphtest.User{UserPrincipalName: fmt.Sprintf("user%d@contoso.onmicrosoft.com", i), DisplayName: fmt.Sprintf("Test User %d", i)})
	}
	srv.AddUser(graphtest.User{UserPrincipalName: "ab@contoso.onmicrosoft.com", DisplayName: "Adele's Backup", Mail: "backup@contoso.com"})
	dir := signIn(t, srv, adele, "basic", "users").Directory()

	all := o365test.Collect(t, dir.Users(ctx))
	assert.Len(t, all, 6, "three pages of two")

	found := o365test.Collect(t, dir.Search(ctx, "adele"))
	assert.ElementsMatch(t, []string{"Adele Vance", "Adele's Backup"}, displayNames(found))
	byMail := o365test.Collect(t, dir.Search(ctx, "backup@contoso"))
	assert.Equal(t, []string{"Adele's Backup"}, displayNames(byMail))
	byUPN := o365test.Collect(t, dir.Search(ctx, "user3"))
	assert.Equal(t, []string{"Test User 3"}, displayNames(byUPN))
	assert.Len(t, o365test.Collect(t, dir.Search(ctx, "test user", o365.Limit(3))), 3)

	// Every page of a search carried ConsistencyLevel: eventual.
	pages := 0
	for _, r := range srv.Requests() {
		if r.Path == "/v1.0/users" {
			pages++
			assert.Equal(t, "eventual", r.Header.Get("ConsistencyLevel"), r.RawQuery)
		}
	}
	assert.Greater(t, pages, 6)

	q := query.New().Where(query.StartsWith("displayName", "Test")).OrderBy("displayName", query.Desc)
	filtered := o365test.Collect(t, dir.Users(ctx, o365.Query(q)))
	assert.Equal(t, []string{"Test User 3", "Test User 2", "Test User 1", "Test User 0"}, displayNames(filtered))

	// Quotes in the search text cannot break out of the phrase.
	assert.Equal(t, []string{"Adele's Backup"}, displayNames(o365test.Collect(t, dir.Search(ctx, `adele's`))))
	assert.Empty(t, o365test.Collect(t, dir.Search(ctx, `x" OR "displayName:adele`)))

	_, err := collectErr(dir.Search(ctx, "  "))
	assert.ErrorContains(t, err, "empty text")
}

func displayNames(us []*o365.User) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.DisplayName)
	}
	return out
}

func TestDirectoryUserManagerReportsPhoto(t *testing.T) {
	ctx := context.Background()
	srv := emulator(t)
	require.NoError(t, srv.SetManager(alex, adele))
	require.NoError(t, srv.SetManager(megan, adele))
	jpeg := tinyJPEG(t)
	require.NoError(t, srv.SetUserPhoto(alex, "image/jpeg", jpeg))
	dir := signIn(t, srv, alex, "basic", "users").Directory()

	u, err := dir.User(ctx, adele)
	require.NoError(t, err)
	assert.Equal(t, "Retail Manager", u.JobTitle)
	byID, err := dir.User(ctx, u.ID)
	require.NoError(t, err)
	assert.Equal(t, adele, byID.UserPrincipalName)
	me, err := dir.User(ctx, "me")
	require.NoError(t, err)
	assert.Equal(t, alex, me.UserPrincipalName)

	boss, err := dir.Manager(ctx, "me")
	require.NoError(t, err)
	assert.Equal(t, "Adele Vance", boss.DisplayName)
	boss, err = dir.Manager(ctx, megan)
	require.NoError(t, err)
	assert.Equal(t, adele, boss.UserPrincipalName)
	_, err = dir.Manager(ctx, adele)
	assert.ErrorIs(t, err, o365.ErrNotFound, "Adele has no manager")

	reports := o365test.Collect(t, dir.DirectReports(ctx, adele))
	assert.Equal(t, []string{"Alex Wilber", "Megan Bowen"}, displayNames(reports))
	assert.Empty(t, o365test.Collect(t, dir.DirectReports(ctx, "me")))

	info, err := dir.PhotoInfo(ctx, "me")
	require.NoError(t, err)
	assert.Equal(t, contactsPhotoInfo(2, 1), [3]any{info.ID, info.Width, info.Height})
	assert.Equal(t, "image/jpeg", info.ContentType)
	rc, err := dir.Photo(ctx, alex)
	require.NoError(t, err)
	data, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	assert.Equal(t, jpeg, data)
	_, err = dir.Photo(ctx, megan)
	assert.ErrorIs(t, err, o365.ErrNotFound)
	_, err = dir.PhotoInfo(ctx, megan)
	assert.ErrorIs(t, err, o365.ErrNotFound)

	_, err = dir.User(ctx, "nobody@contoso.onmicrosoft.com")
	assert.ErrorIs(t, err, o365.ErrNotFound)
	_, err = dir.User(ctx, "")
	assert.ErrorContains(t, err, "empty user")
	_, err = dir.Manager(ctx, "")
	assert.Error(t, err)
	_, err = dir.Photo(ctx, "")
	assert.Error(t, err)
	_, err = dir.PhotoInfo(ctx, "")
	assert.Error(t, err)
	_, err = collectErr(dir.DirectReports(ctx, ""))
	assert.Error(t, err)

	// User input in the path is escaped: a / cannot reach another route
	// (unescaped, this would be Alex's manager).
	_, err = dir.User(ctx, alex+"/manager")
	assert.ErrorIs(t, err, o365.ErrNotFound)
}

func contactsPhotoInfo(w, h int) [3]any { return [3]any{fmt.Sprintf("%dX%d", w, h), w, h} }
