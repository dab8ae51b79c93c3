package teams_test

import (
	"testing"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/teams"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestChannelMessagesAndReplies(t *testing.T) {
	e := newEnv(t)
	adele := e.channel(e.signIn(adeleUPN, "channel_messages_all"), "Design")
	alex := e.channel(e.signIn(alexUPN, "channel_messages_all"), "Design")

	first, err := adele.Send(e.ctx, teams.Text("Hello World"))
	require.NoError(t, err)
	assert.Equal(t, "text", first.Body.ContentType)
	assert.Equal(t, "Hello World", first.Body.Content)
	require.NotNil(t, first.From)
	assert.Equal(t, e.adele.ID, first.From.User.ID)
	assert.Equal(t, "Adele Vance", first.From.User.DisplayName)
	require.NotNil(t, first.ChannelIdentity)
	assert.Equal(t, teams.ChannelIdentity{TeamID: e.teamID, ChannelID: adele.ID}, *first.ChannelIdentity)

	second, err := alex.Send(e.ctx, teams.HTML("<b>Review</b> please, ").Mention(e.adele.ID, "Adele Vance"))
	require.NoError(t, err)
	assert.Equal(t, "html", second.Body.ContentType)
	assert.Equal(t, `<b>Review</b> please, <at id="0">Adele Vance</at>`, second.Body.Content)
	require.Len(t, second.Mentions, 1)
	assert.Equal(t, 0, second.Mentions[0].ID)
	assert.Equal(t, "Adele Vance", second.Mentions[0].MentionText)
	assert.Equal(t, e.adele.ID, second.Mentions[0].Mentioned.User.ID)

	// Alex sees both, newest first.
	msgs := o365test.Collect(t, alex.Messages(e.ctx))
	require.Len(t, msgs, 2)
	assert.Equal(t, []string{second.ID, first.ID}, []string{msgs[0].ID, msgs[1].ID})

	got, err := alex.Message(e.ctx, first.ID)
	require.NoError(t, err)
	assert.Equal(t, "Hello World", got.Body.Content)

	// Replies thread under the post, and are not channel messages.
	r1, err := alex.Reply(e.ctx, first.ID, teams.Text("Hi Adele"))
	require.NoError(t, err)
	assert.Equal(t, first.ID, r1.ReplyToID)
	r2, err := adele.Reply(e.ctx, first.ID, teams.Text("Hi Alex"))
	require.NoError(t, err)
	replies := o365test.Collect(t, adele.Replies(e.ctx, first.ID))
	require.Len(t, replies, 2)
	assert.Equal(t, []string{r2.ID, r1.ID}, []string{replies[0].ID, replies[1].ID})
	assert.Len(t, o365test.Collect(t, alex.Messages(e.ctx)), 2)
	one, err := adele.ReplyMessage(e.ctx, first.ID, r1.ID)
	require.NoError(t, err)
	assert.Equal(t, "Hi Adele", one.Body.Content)
	_, err = adele.ReplyMessage(e.ctx, first.ID, "42")
	assert.ErrorIs(t, err, api.ErrNotFound)
	_, err = adele.Reply(e.ctx, "42", teams.Text("to nothing"))
	assert.ErrorIs(t, err, api.ErrNotFound)

	// Paging: BatchSize asks for pages, the iterator follows them.
	assert.Len(t, o365test.Collect(t, alex.Messages(e.ctx, api.BatchSize(1))), 2)
	assert.Len(t, o365test.Collect(t, alex.Messages(e.ctx, api.Limit(1))), 1)
}

func TestChannelMessagesAreForMembers(t *testing.T) {
	e := newEnv(t)
	_, err := e.channel(e.signIn(adeleUPN, "channel_messages_all"), "General").Send(e.ctx, teams.Text("team only"))
	require.NoError(t, err)
	megan := e.channel(e.signIn(meganUPN, "channel_messages_all"), "General")
	assert.ErrorIs(t, firstErr(megan.Messages(e.ctx)), api.ErrForbidden)
	_, err = megan.Send(e.ctx, teams.Text("let me in"))
	assert.ErrorIs(t, err, api.ErrForbidden)
}

func TestChannelMessageDelta(t *testing.T) {
	e := newEnv(t)
	ch := e.channel(e.signIn(adeleUPN, "channel_messages_all"), "Design")
	a, err := ch.Send(e.ctx, teams.Text("a"))
	require.NoError(t, err)
	b, err := ch.Send(e.ctx, teams.Text("b"))
	require.NoError(t, err)

	d := ch.MessageDelta("")
	var first []string
	for m, err := range d.Changes(e.ctx, api.BatchSize(1)) { // one message a page
		require.NoError(t, err)
		first = append(first, m.ID)
	}
	assert.Equal(t, []string{a.ID, b.ID}, first)
	require.NotEmpty(t, d.DeltaLink)
	saved := d.DeltaLink

	assert.Empty(t, o365test.Collect(t, d.Changes(e.ctx)), "nothing changed")
	assert.NotEmpty(t, d.DeltaLink)

	// A new post and a reply to an old one: both reply chains changed.
	c, err := ch.Send(e.ctx, teams.Text("c"))
	require.NoError(t, err)
	_, err = ch.Reply(e.ctx, a.ID, teams.Text("re: a"))
	require.NoError(t, err)
	resumed := ch.MessageDelta(saved) // as a later run would, from the saved link
	var changed []string
	for _, m := range o365test.Collect(t, resumed.Changes(e.ctx)) {
		changed = append(changed, m.ID)
	}
	assert.Equal(t, []string{c.ID, a.ID}, changed)
	assert.NotEqual(t, saved, resumed.DeltaLink)

	// A round stopped early keeps the old link.
	before := resumed.DeltaLink
	_, err = ch.Send(e.ctx, teams.Text("d"))
	require.NoError(t, err)
	for range resumed.Changes(e.ctx) {
		break
	}
	assert.Equal(t, before, resumed.DeltaLink)

	stale := ch.MessageDelta(ch.BuildBaseURL("/teams/" + e.teamID + "/channels/" + ch.ID + "/messages/delta?$deltatoken=bogus"))
	assert.ErrorIs(t, firstErr(stale.Changes(e.ctx)), api.ErrSyncStateNotFound)
	assert.ErrorContains(t, firstErr(ch.MessageDelta("").Changes(e.ctx, api.BatchSize(51))), "over Graph's 50")
}
