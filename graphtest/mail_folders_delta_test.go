package graphtest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mailFolders/delta as msgraph-sdk-go calls it (delta()): the whole
// hierarchy flattened, paged; then from the delta link the folders
// created, renamed or moved since, and deleted ones as @removed.
func TestMailFolderDelta(t *testing.T) {
	f := newWireFix(t)
	parent := f.json("POST", "/v1.0/me/mailFolders", strings.NewReader(`{"displayName":"Projects"}`), "Content-Type", "application/json")["id"].(string)
	child := f.json("POST", "/v1.0/me/mailFolders/"+parent+"/childFolders", strings.NewReader(`{"displayName":"Contoso"}`), "Content-Type", "application/json")["id"].(string)

	page := f.json("GET", "/v1.0/me/mailFolders/delta()?$select=displayName", nil, "Prefer", "odata.maxpagesize=3")
	names := map[string]bool{}
	pages := 1
	for {
		for _, v := range page["value"].([]any) {
			m := v.(map[string]any)
			names[m["displayName"].(string)] = true
			assert.NotContains(t, m, "totalItemCount", "$select kept")
		}
		next, ok := page["@odata.nextLink"].(string)
		if !ok {
			break
		}
		pages++
		page = f.json("GET", next, nil, "Prefer", "odata.maxpagesize=3")
	}
	assert.Greater(t, pages, 1, "paged")
	for _, want := range []string{"Inbox", "Drafts", "Sent Items", "Projects", "Contoso"} {
		assert.True(t, names[want], want)
	}
	assert.False(t, names["Top of Information Store"], "the root is not listed")
	link := page["@odata.deltaLink"].(string)
	assert.Empty(t, f.json("GET", link, nil)["value"], "nothing changed")

	f.json("PATCH", "/v1.0/me/mailFolders/"+parent, strings.NewReader(`{"displayName":"Projects 2025"}`), "Content-Type", "application/json")
	status, b, _ := f.do("DELETE", "/v1.0/me/mailFolders/"+child, nil)
	require.Equal(t, http.StatusNoContent, status, string(b))
	changes := f.json("GET", link, nil)["value"].([]any)
	require.Len(t, changes, 2)
	assert.Equal(t, "Projects 2025", changes[0].(map[string]any)["displayName"])
	assert.Equal(t, child, changes[1].(map[string]any)["id"])
	assert.Equal(t, map[string]any{"reason": "deleted"}, changes[1].(map[string]any)["@removed"])
	status, _, _ = f.do("GET", "/v1.0/me/mailFolders/delta?$deltatoken=garbage", nil)
	assert.Equal(t, http.StatusGone, status)
}
