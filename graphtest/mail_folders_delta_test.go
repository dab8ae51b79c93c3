package graphtest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/go-o365/o365/graphtest"
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
	byID := map[string]map[string]any{}
	for _, c := range changes {
		byID[c.(map[string]any)["id"].(string)] = c.(map[string]any)
	}
	// The parent was renamed and lost its child: one entry for both
	// changes, with the link's $select kept.
	assert.Equal(t, map[string]any{"id": parent, "displayName": "Projects 2025", "@odata.type": "#microsoft.graph.mailFolder"}, byID[parent])
	assert.Equal(t, map[string]any{"reason": "deleted"}, byID[child]["@removed"])
	status, _, _ = f.do("GET", "/v1.0/me/mailFolders/delta?$deltatoken=garbage", nil)
	assert.Equal(t, http.StatusGone, status)
}

// mailFolders/delta hands out each folder with its counts, as a folder GET
// does, and a later round reports a folder whose counts changed: a
// message arrived, was read, or a child folder was made.
func TestMailFolderDeltaCounts(t *testing.T) {
	f := newWireFix(t)
	_, err := f.srv.AddMessage("adele@contoso.com", "inbox", graphtest.MailMessage{Subject: "first"})
	require.NoError(t, err)
	byName := func(page map[string]any) map[string]map[string]any {
		out := map[string]map[string]any{}
		for _, v := range page["value"].([]any) {
			m := v.(map[string]any)
			out[m["displayName"].(string)] = m
		}
		return out
	}
	page := f.json("GET", "/v1.0/me/mailFolders/delta", nil, "Prefer", "odata.maxpagesize=100")
	inbox := byName(page)["Inbox"]
	require.NotNil(t, inbox)
	get := f.json("GET", "/v1.0/me/mailFolders/inbox", nil)
	for _, k := range []string{"totalItemCount", "unreadItemCount", "childFolderCount"} {
		assert.Equal(t, get[k], inbox[k], "%s as a folder GET gives it", k)
	}
	assert.EqualValues(t, 1, inbox["totalItemCount"])
	assert.EqualValues(t, 1, inbox["unreadItemCount"])
	link := page["@odata.deltaLink"].(string)

	// Reading a message changes nothing.
	msgs := f.json("GET", "/v1.0/me/mailFolders/inbox/messages", nil)["value"].([]any)
	require.Len(t, msgs, 1)
	id := msgs[0].(map[string]any)["id"].(string)
	page = f.json("GET", link, nil)
	assert.Empty(t, page["value"], "nothing changed")
	link = page["@odata.deltaLink"].(string)

	// A message arrives.
	_, err = f.srv.AddMessage("adele@contoso.com", "inbox", graphtest.MailMessage{Subject: "second"})
	require.NoError(t, err)
	page = f.json("GET", link, nil)
	changed := byName(page)
	require.Len(t, changed, 1, "only the Inbox changed")
	assert.EqualValues(t, 2, changed["Inbox"]["totalItemCount"])
	assert.EqualValues(t, 2, changed["Inbox"]["unreadItemCount"])
	link = page["@odata.deltaLink"].(string)

	// A message is read.
	f.json("PATCH", "/v1.0/me/messages/"+id, strings.NewReader(`{"isRead":true}`), "Content-Type", "application/json")
	page = f.json("GET", link, nil)
	changed = byName(page)
	require.Len(t, changed, 1, "only the Inbox changed")
	assert.EqualValues(t, 2, changed["Inbox"]["totalItemCount"])
	assert.EqualValues(t, 1, changed["Inbox"]["unreadItemCount"])
	link = page["@odata.deltaLink"].(string)

	// A child folder is made: the new folder and its parent's childFolderCount.
	f.json("POST", "/v1.0/me/mailFolders/inbox/childFolders", strings.NewReader(`{"displayName":"Receipts"}`), "Content-Type", "application/json")
	changed = byName(f.json("GET", link, nil))
	require.Len(t, changed, 2)
	assert.EqualValues(t, 1, changed["Inbox"]["childFolderCount"])
	assert.EqualValues(t, 0, changed["Receipts"]["totalItemCount"])
}

// A folder made with Server.AddMailFolder is listed by mailFolders/delta.
func TestMailFolderDeltaAddMailFolder(t *testing.T) {
	f := newWireFix(t)
	id, err := f.srv.AddMailFolder("adele@contoso.com", "", "Archive 2024")
	require.NoError(t, err)
	page := f.json("GET", "/v1.0/me/mailFolders/delta", nil, "Prefer", "odata.maxpagesize=100")
	var ids []string
	for _, v := range page["value"].([]any) {
		ids = append(ids, v.(map[string]any)["id"].(string))
	}
	assert.Contains(t, ids, id)
}
