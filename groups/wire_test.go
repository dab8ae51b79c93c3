package groups_test

import (
	"io"
	"testing"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/groups"
	"github.com/go-o365/o365/internal/wiretest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExamplesRoundTrip decodes every response example of Microsoft's
// group pages into the package's types and encodes it back, losing
// nothing the types model. @odata.context and a created group's @odata.id
// describe the answer, not the group, so they are not modelled.
func TestExamplesRoundTrip(t *testing.T) {
	ex := wiretest.Load(t, "testdata/examples.json")
	group := wiretest.RoundTrip[groups.Group]("@odata.context", "@odata.id")
	cases := map[string]wiretest.Check{
		"group-get#1":                     group,
		"group-list#1":                    wiretest.RoundTrip[api.Page[groups.Group]]("@odata.context"),
		"group-list#2":                    wiretest.RoundTrip[api.Page[groups.Group]]("@odata.context"),
		"group-post-groups#1":             group,
		"group-post-groups#2":             group,
		"group-list-members#1":            wiretest.RoundTrip[api.Page[groups.DirectoryObject]]("@odata.context"),
		"group-list-owners#1":             wiretest.RoundTrip[api.Page[groups.DirectoryObject]]("@odata.context"),
		"user-list-memberof#1":            wiretest.RoundTrip[api.Page[groups.Group]](),
		"group-list-conversations#1":      wiretest.RoundTrip[api.Page[groups.Conversation]]("@odata.context"),
		"group-post-conversations#1":      wiretest.RoundTrip[groups.Conversation]("@odata.context"),
		"conversationthread-list-posts#1": wiretest.RoundTrip[api.Page[groups.Post]]("@odata.context"),
	}
	wiretest.CheckResponses(t, ex, cases)

	// The request bodies decode into the types too, losing nothing.
	requests := map[string]wiretest.Check{
		"group-post-conversations#1": wiretest.RoundTrip[groups.Conversation](),
		"conversationthread-reply#1": wiretest.RoundTrip[struct {
			Post groups.Post `json:"post"`
		}](),
	}
	for id, check := range requests {
		t.Run(id+"/request", func(t *testing.T) { check(t, ex[id].RequestBody) })
	}

	// A decoded example reads as expected.
	var g groups.Group
	require.NoError(t, api.Unmarshal(ex["group-get#1"].ResponseBody, &g))
	assert.True(t, g.IsUnified())
	assert.Equal(t, "HRTaskforce", g.MailNickname)
	assert.Nil(t, g.IsAssignableToRole, "null stays unset")
	assert.Equal(t, []string{"Team"}, g.ResourceProvisioningOptions)
	var owners api.Page[groups.DirectoryObject]
	require.NoError(t, api.Unmarshal(ex["group-list-owners#1"].ResponseBody, &owners))
	require.Len(t, owners.Value, 3)
	assert.True(t, owners.Value[1].IsUser())
	assert.Equal(t, "MeganB@contoso.com", owners.Value[1].User().UserPrincipalName)
}

// TestEmulatorSpeaksGraph performs the operations of Microsoft's
// examples against graphtest through the package: graphtest's answers
// carry every property name of Microsoft's, and the package's requests
// use Microsoft's names and no others.
func TestEmulatorSpeaksGraph(t *testing.T) {
	ex := wiretest.Load(t, "testdata/examples.json")
	e := newEnv(t)
	acct := e.account(adele, "groups_all")
	con := acct.Connection()
	gs := acct.Groups()
	graph := e.srv.GraphURL() + "/v1.0"
	get := func(url string) []byte { t.Helper(); return wiretest.Get(e.ctx, t, con, url) }
	check := func(id string, got []byte, allowed ...string) {
		t.Helper()
		if missing := wiretest.MissingKeys(ex[id].ResponseBody, got, allowed...); len(missing) > 0 {
			t.Errorf("%s: graphtest's answer lacks %v\n%s", id, missing, got)
		}
	}
	// sameNames checks that the package sent the property names of
	// Microsoft's request, no more and no fewer.
	sameNames := func(id string, sent []byte) {
		t.Helper()
		want := ex[id].RequestBody
		if extra := wiretest.MissingKeys(sent, want); len(extra) > 0 {
			t.Errorf("%s: the package sent %v, which Microsoft's request does not\nsent: %s", id, extra, sent)
		}
		if missing := wiretest.MissingKeys(want, sent); len(missing) > 0 {
			t.Errorf("%s: the package did not send %v\nsent: %s", id, missing, sent)
		}
	}

	check("group-get#1", get(graph+"/groups/"+e.golf.ID))
	check("group-list#1", get(graph+"/groups"))

	// Example 1 of group-post-groups is exactly what Create sends.
	lib, err := gs.Create(e.ctx, groups.NewGroup{DisplayName: "Library Assist", Description: "Self help community for library", MailNickname: "library2"})
	require.NoError(t, err)
	var want map[string]any
	require.NoError(t, api.Unmarshal(ex["group-post-groups#1"].RequestBody, &want))
	want["mailNickname"] = "library2"
	wantJSON, _ := api.Marshal(want)
	assert.JSONEq(t, string(wantJSON), string(e.wire.LastBody(t, "/v1.0/groups")))
	check("group-post-groups#1", get(graph+"/groups/"+lib.ID))

	// Example 2 names owners and members.
	_, err = gs.Create(e.ctx, groups.NewGroup{DisplayName: "Operations group", Description: "Group with designated owner and members",
		MailNickname: "operations2019", Owners: []string{e.ids[adele]}, Members: []string{e.ids[alex], e.ids[megan]}})
	require.NoError(t, err)
	sameNames("group-post-groups#2", e.wire.LastBody(t, "/v1.0/groups"))

	golf := e.group(gs, e.golf.ID)
	check("group-list-members#1", get(graph+"/groups/"+e.golf.ID+"/members"))
	check("group-list-owners#1", get(graph+"/groups/"+e.golf.ID+"/owners"), "value[].accountEnabled")
	require.NoError(t, golf.AddMember(e.ctx, e.ids[megan]))
	sameNames("group-post-members#1", e.wire.LastBody(t, "/members/$ref"))
	check("user-list-memberof#1", get(graph+"/users/"+e.ids[alex]+"/memberOf"))

	c, err := golf.StartConversation(e.ctx, "Take your wellness days and rest", groups.Post{
		Body:            groups.ItemBody{ContentType: "html", Content: "Contoso cares about you: Rest and Recharge"},
		NewParticipants: []groups.Recipient{{EmailAddress: adeleAddress}},
	})
	require.NoError(t, err)
	sameNames("group-post-conversations#1", e.wire.LastBody(t, "/conversations"))
	check("group-list-conversations#1", get(graph+"/groups/"+e.golf.ID+"/conversations"))
	// Microsoft's own request, sent as it is, gets an answer of Microsoft's shape.
	resp, err := con.Post(e.ctx, graph+"/groups/"+e.golf.ID+"/conversations", ex["group-post-conversations#1"].RequestBody)
	require.NoError(t, err)
	created, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	check("group-post-conversations#1", created)

	require.NoError(t, golf.Reply(e.ctx, c.Threads[0].ID, groups.Post{Body: groups.ItemBody{ContentType: "text", Content: "content-value"}}))
	sameNames("conversationthread-reply#1", e.wire.LastBody(t, "/reply"))
	check("conversationthread-list-posts#1", get(graph+"/groups/"+e.golf.ID+"/threads/"+c.Threads[0].ID+"/posts"))
}
