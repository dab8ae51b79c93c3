package teams_test

import (
	"strings"
	"testing"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/teams"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// editScopes are what editing and soft-deleting need on top of sending:
// the write permissions the short names leave out.
var editScopes = []string{"channel_messages_all", "chats_all"}

func TestSenderEditsChannelMessageAndMembersSeeIt(t *testing.T) {
	e := newEnv(t)
	adele := e.channel(e.signIn(adeleUPN, editScopes...), "Design")
	alex := e.channel(e.signIn(alexUPN, editScopes...), "Design")

	post, err := adele.Send(e.ctx, teams.HTML("Ready for review, ").Mention(e.alex.ID, "Alex Wilber"))
	require.NoError(t, err)
	require.False(t, post.Edited())

	// The edit drops the mention with the body that named it.
	require.NoError(t, adele.EditMessage(e.ctx, post.ID, teams.Text("Ready for review tomorrow")))
	got, err := alex.Message(e.ctx, post.ID)
	require.NoError(t, err)
	assert.Equal(t, teams.ItemBody{ContentType: "text", Content: "Ready for review tomorrow"}, got.Body)
	assert.Empty(t, got.Mentions)
	assert.True(t, got.Edited())
	assert.False(t, got.LastModifiedDateTime.Before(got.LastEditedDateTime))
	assert.Equal(t, post.CreatedDateTime, got.CreatedDateTime)
	assert.Equal(t, e.adele.ID, got.From.User.ID, "an edit keeps the sender")
	assert.NotEqual(t, post.ETag, got.ETag)

	// A mention added by an edit reaches the readers too.
	require.NoError(t, adele.EditMessage(e.ctx, post.ID, teams.HTML("Now, ").Mention(e.alex.ID, "Alex Wilber")))
	got, err = alex.Message(e.ctx, post.ID)
	require.NoError(t, err)
	require.Len(t, got.Mentions, 1)
	assert.Equal(t, e.alex.ID, got.Mentions[0].Mentioned.User.ID)
	assert.Equal(t, `Now, <at id="0">Alex Wilber</at>`, got.Body.Content)

	// Listing shows the edit as well.
	msgs := o365test.Collect(t, alex.Messages(e.ctx))
	require.Len(t, msgs, 1)
	assert.True(t, msgs[0].Edited())
}

func TestOnlyTheSenderEditsOrDeletes(t *testing.T) {
	e := newEnv(t)
	adele := e.channel(e.signIn(adeleUPN, editScopes...), "General")
	post, err := adele.Send(e.ctx, teams.Text("mine"))
	require.NoError(t, err)

	alex := e.channel(e.signIn(alexUPN, editScopes...), "General")
	assert.ErrorIs(t, alex.EditMessage(e.ctx, post.ID, teams.Text("ours")), api.ErrForbidden)
	assert.ErrorIs(t, alex.SoftDeleteMessage(e.ctx, post.ID), api.ErrForbidden)
	megan := e.channel(e.signIn(meganUPN, editScopes...), "General")
	assert.ErrorIs(t, megan.EditMessage(e.ctx, post.ID, teams.Text("hi")), api.ErrForbidden)
	// The sender without the write permission is refused too.
	sendOnly := e.channel(e.signIn(adeleUPN, "channel_messages", "ChannelMessage.Send"), "General")
	assert.ErrorIs(t, sendOnly.EditMessage(e.ctx, post.ID, teams.Text("x")), api.ErrForbidden)
	assert.ErrorIs(t, sendOnly.SoftDeleteMessage(e.ctx, post.ID), api.ErrForbidden)
	assert.ErrorIs(t, adele.EditMessage(e.ctx, "42", teams.Text("x")), api.ErrNotFound)

	got, err := adele.Message(e.ctx, post.ID)
	require.NoError(t, err)
	assert.Equal(t, "mine", got.Body.Content)
	assert.False(t, got.Edited())
	assert.False(t, got.Deleted())
}

func TestSoftDeleteAndUndoChannelMessage(t *testing.T) {
	e := newEnv(t)
	adele := e.channel(e.signIn(adeleUPN, editScopes...), "Design")
	alex := e.channel(e.signIn(alexUPN, editScopes...), "Design")
	post, err := adele.Send(e.ctx, teams.Text("oops, wrong channel"))
	require.NoError(t, err)
	d := alex.MessageDelta("")
	require.Len(t, o365test.Collect(t, d.Changes(e.ctx)), 1)

	require.NoError(t, adele.SoftDeleteMessage(e.ctx, post.ID))
	got, err := alex.Message(e.ctx, post.ID)
	require.NoError(t, err)
	assert.True(t, got.Deleted())
	assert.Empty(t, got.Body.Content, "readers see nothing of a deleted message")
	// It stays in the list, marked, and the next delta round reports it.
	msgs := o365test.Collect(t, alex.Messages(e.ctx))
	require.Len(t, msgs, 1)
	assert.True(t, msgs[0].Deleted())
	changed := o365test.Collect(t, d.Changes(e.ctx))
	require.Len(t, changed, 1)
	assert.Equal(t, post.ID, changed[0].ID)
	assert.True(t, changed[0].Deleted())

	// A deleted message is not edited, and only its sender brings it back.
	assert.ErrorIs(t, adele.EditMessage(e.ctx, post.ID, teams.Text("x")), api.ErrBadRequest)
	assert.ErrorIs(t, alex.UndoSoftDeleteMessage(e.ctx, post.ID), api.ErrForbidden)
	require.NoError(t, adele.SoftDeleteMessage(e.ctx, post.ID), "deleting twice is no error")

	require.NoError(t, adele.UndoSoftDeleteMessage(e.ctx, post.ID))
	got, err = alex.Message(e.ctx, post.ID)
	require.NoError(t, err)
	assert.False(t, got.Deleted())
	assert.Equal(t, "oops, wrong channel", got.Body.Content)
	changed = o365test.Collect(t, d.Changes(e.ctx))
	require.Len(t, changed, 1)
	assert.False(t, changed[0].Deleted())
}

func TestEditAndDeleteReply(t *testing.T) {
	e := newEnv(t)
	adele := e.channel(e.signIn(adeleUPN, editScopes...), "Design")
	alex := e.channel(e.signIn(alexUPN, editScopes...), "Design")
	post, err := adele.Send(e.ctx, teams.Text("Slides?"))
	require.NoError(t, err)
	reply, err := alex.Reply(e.ctx, post.ID, teams.Text("Uploaded"))
	require.NoError(t, err)

	assert.ErrorIs(t, adele.EditReply(e.ctx, post.ID, reply.ID, teams.Text("not yours")), api.ErrForbidden)
	require.NoError(t, alex.EditReply(e.ctx, post.ID, reply.ID, teams.Text("Uploaded to Files")))
	got, err := adele.ReplyMessage(e.ctx, post.ID, reply.ID)
	require.NoError(t, err)
	assert.Equal(t, "Uploaded to Files", got.Body.Content)
	assert.True(t, got.Edited())
	// The post itself is untouched.
	p, err := adele.Message(e.ctx, post.ID)
	require.NoError(t, err)
	assert.Equal(t, "Slides?", p.Body.Content)
	assert.False(t, p.Edited())

	assert.ErrorIs(t, adele.SoftDeleteReply(e.ctx, post.ID, reply.ID), api.ErrForbidden)
	require.NoError(t, alex.SoftDeleteReply(e.ctx, post.ID, reply.ID))
	replies := o365test.Collect(t, adele.Replies(e.ctx, post.ID))
	require.Len(t, replies, 1)
	assert.True(t, replies[0].Deleted())
	assert.Empty(t, replies[0].Body.Content)
	require.NoError(t, alex.UndoSoftDeleteReply(e.ctx, post.ID, reply.ID))
	got, err = adele.ReplyMessage(e.ctx, post.ID, reply.ID)
	require.NoError(t, err)
	assert.False(t, got.Deleted())
	assert.Equal(t, "Uploaded to Files", got.Body.Content)
	assert.ErrorIs(t, alex.EditReply(e.ctx, post.ID, "42", teams.Text("x")), api.ErrNotFound)
}

func TestChatMessageEditAndSoftDelete(t *testing.T) {
	e := newEnv(t)
	adele := e.signIn(adeleUPN, editScopes...)
	chat, err := adele.CreateChat(e.ctx, teams.OneOnOne, "", adeleUPN, alexUPN)
	require.NoError(t, err)
	msg, err := chat.Send(e.ctx, teams.Text("Lunch?"))
	require.NoError(t, err)
	alexChat := e.signIn(alexUPN, editScopes...).ChatOf(chat.ID)

	assert.ErrorIs(t, alexChat.EditMessage(e.ctx, msg.ID, teams.Text("No")), api.ErrForbidden)
	assert.ErrorIs(t, alexChat.SoftDeleteMessage(e.ctx, msg.ID), api.ErrForbidden)
	readOnly := e.signIn(adeleUPN, "chats", "ChatMessage.Send").ChatOf(chat.ID)
	assert.ErrorIs(t, readOnly.EditMessage(e.ctx, msg.ID, teams.Text("x")), api.ErrForbidden)

	require.NoError(t, chat.EditMessage(e.ctx, msg.ID, teams.Text("Lunch at 1?")))
	got, err := alexChat.Message(e.ctx, msg.ID)
	require.NoError(t, err)
	assert.Equal(t, "Lunch at 1?", got.Body.Content)
	assert.True(t, got.Edited())

	require.NoError(t, chat.SoftDeleteMessage(e.ctx, msg.ID))
	msgs := o365test.Collect(t, alexChat.Messages(e.ctx))
	require.Len(t, msgs, 1)
	assert.True(t, msgs[0].Deleted())
	assert.Empty(t, msgs[0].Body.Content)

	require.NoError(t, chat.UndoSoftDeleteMessage(e.ctx, msg.ID))
	got, err = alexChat.Message(e.ctx, msg.ID)
	require.NoError(t, err)
	assert.False(t, got.Deleted())
	assert.Equal(t, "Lunch at 1?", got.Body.Content)
}

func TestBadEditsAreRefusedBeforeSending(t *testing.T) {
	e := newEnv(t)
	tms, wire := e.signInWire(adeleUPN, editScopes...)
	ch := e.channel(tms, "General")
	chat := tms.ChatOf("19:x@thread.v2")
	for name, err := range map[string]error{
		"edit, no id":         ch.EditMessage(e.ctx, "", teams.Text("x")),
		"edit reply, no id":   ch.EditReply(e.ctx, "1", "", teams.Text("x")),
		"edit reply, no post": ch.EditReply(e.ctx, "", "1", teams.Text("x")),
		"delete, no id":       ch.SoftDeleteMessage(e.ctx, ""),
		"delete reply, no id": ch.SoftDeleteReply(e.ctx, "1", ""),
		"undo, no id":         ch.UndoSoftDeleteMessage(e.ctx, ""),
		"undo reply, no id":   ch.UndoSoftDeleteReply(e.ctx, "1", ""),
		"chat edit, no id":    chat.EditMessage(e.ctx, "", teams.Text("x")),
		"chat delete, no id":  chat.SoftDeleteMessage(e.ctx, ""),
		"chat undo, no id":    chat.UndoSoftDeleteMessage(e.ctx, ""),
	} {
		assert.ErrorContains(t, err, "empty", name)
	}
	assert.ErrorContains(t, ch.EditMessage(e.ctx, "1", nil), "EditMessage: empty message body")
	assert.ErrorContains(t, chat.EditMessage(e.ctx, "1", teams.Text(" ")), "empty message body")
	assert.ErrorIs(t, ch.EditReply(e.ctx, "1", "2", teams.Text(strings.Repeat("x", teams.MaxMessageSize))), teams.ErrMessageTooLarge)
	assert.ErrorContains(t, new(teams.Channel).SoftDeleteMessage(e.ctx, "1"), "channel has no connection")
	assert.ErrorContains(t, new(teams.Chat).EditMessage(e.ctx, "1", teams.Text("x")), "chat has no connection")
	assert.Empty(t, wire.Take(), "nothing was sent")
}
