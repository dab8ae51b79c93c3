package graphtest_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Contact delta as msgraph-sdk-go calls it (/me/contacts/delta()): every
// contact first, paged by Prefer odata.maxpagesize; then from the delta
// link only what changed, deletions as @removed; a folder's delta sees
// only that folder.
func TestContactsDelta(t *testing.T) {
	f := newWireFix(t)
	var ids []string
	for _, name := range []string{"Ana", "Ben", "Cleo"} {
		id, err := f.srv.AddContact("adele@contoso.com", "", map[string]any{"givenName": name})
		require.NoError(t, err)
		ids = append(ids, id)
	}
	folder := f.json("POST", "/v1.0/me/contactFolders", strings.NewReader(`{"displayName":"Suppliers"}`), "Content-Type", "application/json")["id"].(string)
	f.json("POST", "/v1.0/me/contactFolders/"+folder+"/contacts", strings.NewReader(`{"givenName":"Dora"}`), "Content-Type", "application/json")

	page := f.json("GET", "/v1.0/me/contacts/delta()?$select=givenName", nil, "Prefer", "odata.maxpagesize=2")
	var names []string
	for {
		for _, c := range page["value"].([]any) {
			m := c.(map[string]any)
			names = append(names, m["givenName"].(string))
			assert.NotContains(t, m, "surname", "$select kept")
		}
		next, ok := page["@odata.nextLink"].(string)
		if !ok {
			break
		}
		page = f.json("GET", next, nil, "Prefer", "odata.maxpagesize=2")
	}
	assert.Equal(t, []string{"Ana", "Ben", "Cleo"}, names)
	link := page["@odata.deltaLink"].(string)
	require.NotEmpty(t, link)
	again := f.json("GET", link, nil)
	assert.Empty(t, again["value"], "nothing changed")

	f.json("PATCH", "/v1.0/me/contacts/"+ids[1], strings.NewReader(`{"jobTitle":"Buyer"}`), "Content-Type", "application/json")
	status, b, _ := f.do("DELETE", "/v1.0/me/contacts/"+ids[2], nil)
	require.Equal(t, http.StatusNoContent, status, string(b))
	changes := f.json("GET", link, nil)["value"].([]any)
	require.Len(t, changes, 2)
	assert.Equal(t, ids[1], changes[0].(map[string]any)["id"])
	assert.Equal(t, "Ben", changes[0].(map[string]any)["givenName"], "the round keeps its $select")
	assert.NotContains(t, changes[0], "jobTitle")
	assert.Equal(t, ids[2], changes[1].(map[string]any)["id"])
	assert.Equal(t, map[string]any{"reason": "deleted"}, changes[1].(map[string]any)["@removed"])

	inFolder := f.json("GET", "/v1.0/me/contactFolders/"+folder+"/contacts/delta", nil)["value"].([]any)
	require.Len(t, inFolder, 1)
	assert.Equal(t, "Dora", inFolder[0].(map[string]any)["givenName"])

	u, err := url.Parse(link)
	require.NoError(t, err)
	status, _, _ = f.do("GET", u.Path+"?$deltatoken=garbage", nil)
	assert.Equal(t, http.StatusGone, status)
}
