package teams_test

import (
	"net/url"
	"testing"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/teams"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOneOnOneChat(t *testing.T) {
	e := newEnv(t)
	adele := e.signIn(adeleUPN, "chats_all")
	alex := e.signIn(alexUPN, "chats_all")

	chat, err := adele.CreateChat(e.ctx, teams.OneOnOne, "", adeleUPN, e.alex.ID)
	require.NoError(t, err)
	assert.Equal(t, "oneOnOne", chat.ChatType)
	assert.Contains(t, chat.ID, "@unq.gbl.spaces")
	again, err := alex.CreateChat(e.ctx, teams.OneOnOne, "", alexUPN, adeleUPN)
	require.NoError(t, err)
	assert.Equal(t, chat.ID, again.ID, "the two have one one-on-one chat")

	sent, err := chat.Send(e.ctx, teams.Text("Lunch at noon?"))
	require.NoError(t, err)
	assert.Equal(t, chat.ID, sent.ChatID)
	assert.Nil(t, sent.ChannelIdentity)

	// Alex sees the chat, with both members, and Adele's message.
	chats := o365test.Collect(t, alex.Chats(e.ctx))
	require.Len(t, chats, 1)
	assert.Equal(t, chat.ID, chats[0].ID)
	var members []string
	for _, m := range chats[0].Members {
		members = append(members, m.DisplayName)
	}
	assert.ElementsMatch(t, []string{"Adele Vance", "Alex Wilber"}, members)

	msgs := o365test.Collect(t, chats[0].Messages(e.ctx))
	require.Len(t, msgs, 1)
	assert.Equal(t, "Lunch at noon?", msgs[0].Body.Content)
	assert.Equal(t, e.adele.ID, msgs[0].From.User.ID)

	reply, err := chats[0].Send(e.ctx, teams.Text("Sure"))
	require.NoError(t, err)
	got, err := adele.ChatOf(chat.ID).Message(e.ctx, reply.ID)
	require.NoError(t, err)
	assert.Equal(t, "Alex Wilber", got.From.User.DisplayName)
	newest := o365test.Collect(t, adele.ChatOf(chat.ID).Messages(e.ctx))
	assert.Equal(t, []string{reply.ID, sent.ID}, []string{newest[0].ID, newest[1].ID})

	// Megan is not in it: for her the chat does not exist.
	megan := e.signIn(meganUPN, "chats_all")
	_, err = megan.Chat(e.ctx, chat.ID)
	assert.ErrorIs(t, err, api.ErrNotFound)
	assert.ErrorIs(t, firstErr(megan.ChatOf(chat.ID).Messages(e.ctx)), api.ErrNotFound)
	_, err = megan.ChatOf(chat.ID).Send(e.ctx, teams.Text("hi"))
	assert.ErrorIs(t, err, api.ErrNotFound)
	assert.Empty(t, o365test.Collect(t, megan.Chats(e.ctx)))
}

func TestGroupChat(t *testing.T) {
	e := newEnv(t)
	megan := e.signIn(meganUPN, "chats_all")
	chat, err := megan.CreateChat(e.ctx, teams.Group, "Mark 8 launch", meganUPN, adeleUPN, alexUPN)
	require.NoError(t, err)
	assert.Equal(t, "group", chat.ChatType)
	assert.Equal(t, "Mark 8 launch", chat.Topic)

	got, err := e.signIn(alexUPN, "chats").Chat(e.ctx, chat.ID)
	require.NoError(t, err)
	assert.Equal(t, "Mark 8 launch", got.Topic)
	assert.Len(t, got.Members, 3)

	_, err = megan.CreateChat(e.ctx, teams.Group, "without me", adeleUPN, alexUPN)
	assert.ErrorIs(t, err, api.ErrBadRequest, "the caller must be a member")
	_, err = megan.CreateChat(e.ctx, teams.Group, "", meganUPN, "nobody@contoso.onmicrosoft.com")
	assert.ErrorIs(t, err, api.ErrNotFound)
}

// A principal name with a quote, common in surnames, binds its user:
// the quote is doubled in the users('…') key of user@odata.bind.
func TestCreateChatWithAQuoteInAPrincipalName(t *testing.T) {
	e := newEnv(t)
	const upn = "Shane.O'Brien@contoso.onmicrosoft.com"
	shane := e.srv.AddUser(graphtest.User{UserPrincipalName: upn, DisplayName: "Shane O'Brien", Mail: upn, Password: password})
	tms, wire := e.signInWire(adeleUPN, "chats_all")

	chat, err := tms.CreateChat(e.ctx, teams.OneOnOne, "", adeleUPN, upn)
	require.NoError(t, err)
	sent := wire.Take()
	require.Len(t, sent, 1)
	link, err := url.PathUnescape(string(sent[0].Body))
	require.NoError(t, err)
	assert.Contains(t, link, `/users('Shane.O''Brien@contoso.onmicrosoft.com')`)

	got, err := e.signIn(upn, "chats").Chat(e.ctx, chat.ID)
	require.NoError(t, err)
	var ids []string
	for _, m := range got.Members {
		ids = append(ids, m.UserID)
	}
	assert.ElementsMatch(t, []string{e.adele.ID, shane.ID}, ids)
}
