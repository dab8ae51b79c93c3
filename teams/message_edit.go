package teams

import (
	"context"
	"net/url"
)

// Editing and deleting messages. Graph lets only a message's sender do
// either, with delegated permissions: ChannelMessage.ReadWrite for a
// channel's messages and Chat.ReadWrite for a chat's, which the
// channel_messages_all and chats_all short names include.

// EditMessage replaces the body of the channel message with id messageID
// with msg's: its body, mentions and attachments (none when msg has
// none, so an edit can drop a mention), and its subject and importance
// when msg sets them. Readers then see it with LastEditedDateTime set.
// Graph answers no content, so nothing is returned; Message reads the
// message again. A message of someone else gives an error matching
// api.ErrForbidden, and a soft-deleted one an error from Graph (a 400
// from graphtest): undo the deletion first. A body over MaxMessageSize
// gives ErrMessageTooLarge before any request.
func (c *Channel) EditMessage(ctx context.Context, messageID string, msg *NewMessage) error {
	if err := need("EditMessage", "message id", messageID); err != nil {
		return err
	}
	return editMessage(ctx, c, "EditMessage", messagePath(messageID), msg)
}

// EditReply is EditMessage for the reply with id replyID to the channel
// message with id messageID.
func (c *Channel) EditReply(ctx context.Context, messageID, replyID string, msg *NewMessage) error {
	p, err := replyPath("EditReply", messageID, replyID)
	if err != nil {
		return err
	}
	return editMessage(ctx, c, "EditReply", p, msg)
}

// SoftDeleteMessage deletes the channel message with id messageID, the
// way Teams' Delete does: it stays in lists and deltas, with
// DeletedDateTime set and its content withheld (graphtest answers an
// empty body), until UndoSoftDeleteMessage brings it back. A message of
// someone else gives an error matching api.ErrForbidden. (graphtest
// takes deleting a deleted message as done; whether Graph does is not
// documented.)
func (c *Channel) SoftDeleteMessage(ctx context.Context, messageID string) error {
	if err := need("SoftDeleteMessage", "message id", messageID); err != nil {
		return err
	}
	return messageAction(ctx, c, "SoftDeleteMessage", messagePath(messageID)+"/softDelete")
}

// SoftDeleteReply is SoftDeleteMessage for a reply to a channel message.
func (c *Channel) SoftDeleteReply(ctx context.Context, messageID, replyID string) error {
	p, err := replyPath("SoftDeleteReply", messageID, replyID)
	if err != nil {
		return err
	}
	return messageAction(ctx, c, "SoftDeleteReply", p+"/softDelete")
}

// UndoSoftDeleteMessage brings back a channel message SoftDeleteMessage
// deleted, with the content it had.
func (c *Channel) UndoSoftDeleteMessage(ctx context.Context, messageID string) error {
	if err := need("UndoSoftDeleteMessage", "message id", messageID); err != nil {
		return err
	}
	return messageAction(ctx, c, "UndoSoftDeleteMessage", messagePath(messageID)+"/undoSoftDelete")
}

// UndoSoftDeleteReply brings back a reply SoftDeleteReply deleted.
func (c *Channel) UndoSoftDeleteReply(ctx context.Context, messageID, replyID string) error {
	p, err := replyPath("UndoSoftDeleteReply", messageID, replyID)
	if err != nil {
		return err
	}
	return messageAction(ctx, c, "UndoSoftDeleteReply", p+"/undoSoftDelete")
}

// EditMessage replaces the body of the chat message with id messageID;
// see Channel.EditMessage. It needs Chat.ReadWrite.
func (c *Chat) EditMessage(ctx context.Context, messageID string, msg *NewMessage) error {
	if err := need("EditMessage", "message id", messageID); err != nil {
		return err
	}
	return editMessage(ctx, c, "EditMessage", messagePath(messageID), msg)
}

// SoftDeleteMessage deletes the chat message with id messageID for every
// member, until UndoSoftDeleteMessage; see Channel.SoftDeleteMessage.
func (c *Chat) SoftDeleteMessage(ctx context.Context, messageID string) error {
	if err := need("SoftDeleteMessage", "message id", messageID); err != nil {
		return err
	}
	return messageAction(ctx, c, "SoftDeleteMessage", messagePath(messageID)+"/softDelete")
}

// UndoSoftDeleteMessage brings back a chat message SoftDeleteMessage
// deleted.
func (c *Chat) UndoSoftDeleteMessage(ctx context.Context, messageID string) error {
	if err := need("UndoSoftDeleteMessage", "message id", messageID); err != nil {
		return err
	}
	return messageAction(ctx, c, "UndoSoftDeleteMessage", messagePath(messageID)+"/undoSoftDelete")
}

// messageEdit is what an edit sends. Graph's update keeps what a request
// leaves out, so empty mentions and attachments are sent as [] to drop
// the old ones with the old body that named them.
type messageEdit struct {
	Subject     string                  `json:"subject,omitempty"`
	Importance  string                  `json:"importance,omitempty"`
	Body        ItemBody                `json:"body"`
	Mentions    []Mention               `json:"mentions"`
	Attachments []ChatMessageAttachment `json:"attachments"`
}

func editMessage(ctx context.Context, h messageHolder, call, path string, msg *NewMessage) error {
	if err := msg.check(call); err != nil {
		return err
	}
	u, err := h.url(call, path)
	if err != nil {
		return err
	}
	body := messageEdit{Subject: msg.Subject, Importance: msg.Importance, Body: msg.Body,
		Mentions: msg.Mentions, Attachments: msg.Attachments}
	if body.Mentions == nil {
		body.Mentions = []Mention{}
	}
	if body.Attachments == nil {
		body.Attachments = []ChatMessageAttachment{}
	}
	return h.component().PatchJSON(ctx, u, body, nil)
}

// messageAction posts to one of a message's actions (softDelete,
// undoSoftDelete), which take no body and answer none.
func messageAction(ctx context.Context, h messageHolder, call, path string) error {
	u, err := h.url(call, path)
	if err != nil {
		return err
	}
	return h.component().PostJSON(ctx, u, nil, nil)
}

func replyPath(call, messageID, replyID string) (string, error) {
	if err := need(call, "message id", messageID); err != nil {
		return "", err
	}
	if err := need(call, "reply id", replyID); err != nil {
		return "", err
	}
	return messagePath(messageID) + "/replies/" + url.PathEscape(replyID), nil
}
