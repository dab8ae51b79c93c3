package teams

import (
	"context"
	"fmt"
	"iter"
	"net/url"

	"github.com/go-o365/o365/api"
)

// Messages iterates over the channel's messages, newest first, without
// their replies (Replies lists those). It needs channel_messages
// (ChannelMessage.Read.All).
func (c *Channel) Messages(ctx context.Context, opts ...api.ListOption) iter.Seq2[*ChatMessage, error] {
	return listMessages(ctx, c, opts)
}

// Message gets one message of the channel (not a reply). An unknown id
// gives an error matching api.ErrNotFound.
func (c *Channel) Message(ctx context.Context, messageID string) (*ChatMessage, error) {
	return oneMessage(ctx, c, messageID)
}

// Send posts a message to the channel as the signed-in user; it needs
// channel_messages_all (ChannelMessage.Send). A body over MaxMessageSize
// gives ErrMessageTooLarge before any request.
func (c *Channel) Send(ctx context.Context, msg *NewMessage) (*ChatMessage, error) {
	return sendMessage(ctx, c, msg)
}

// Reply posts a reply to the channel message with id messageID.
func (c *Channel) Reply(ctx context.Context, messageID string, msg *NewMessage) (*ChatMessage, error) {
	if err := need("Reply", "message id", messageID); err != nil {
		return nil, err
	}
	if err := msg.check("Reply"); err != nil {
		return nil, err
	}
	u, err := c.url("Reply", messagePath(messageID)+"/replies")
	if err != nil {
		return nil, err
	}
	return postMessage(ctx, &c.Component, u, msg)
}

// Replies iterates over the replies to the channel message with id
// messageID.
func (c *Channel) Replies(ctx context.Context, messageID string, opts ...api.ListOption) iter.Seq2[*ChatMessage, error] {
	if err := need("Replies", "message id", messageID); err != nil {
		return fail[*ChatMessage](err)
	}
	u, err := c.url("Replies", messagePath(messageID)+"/replies")
	if err != nil {
		return fail[*ChatMessage](err)
	}
	return api.List[*ChatMessage](ctx, c.Con(), u, opts...)
}

// ReplyMessage gets one reply to a channel message.
func (c *Channel) ReplyMessage(ctx context.Context, messageID, replyID string) (*ChatMessage, error) {
	if err := need("ReplyMessage", "message id", messageID); err != nil {
		return nil, err
	}
	if err := need("ReplyMessage", "reply id", replyID); err != nil {
		return nil, err
	}
	u, err := c.url("ReplyMessage", messagePath(messageID)+"/replies/"+url.PathEscape(replyID))
	if err != nil {
		return nil, err
	}
	return getMessage(ctx, &c.Component, u)
}

// MessageDelta starts tracking changes of the channel's messages; see
// Delta. deltaLink is where an earlier round ended (Delta.DeltaLink), or
// "" to start with every message of the channel.
func (c *Channel) MessageDelta(deltaLink string) *Delta {
	return &Delta{channel: c, DeltaLink: deltaLink}
}

// Delta tracks changes of a channel's messages (without replies) across
// rounds: the first round yields every message, each later one those
// posted, edited or deleted since (deleted ones with DeletedDateTime
// set). It needs channel_messages (ChannelMessage.Read.All).
//
//	d := channel.MessageDelta(saved)
//	for m, err := range d.Changes(ctx) { … }
//	saved = d.DeltaLink // keep for the next round
type Delta struct {
	channel *Channel
	// DeltaLink is the @odata.deltaLink that ended the last complete
	// round; the next round starts there. Persist it to resume later.
	DeltaLink string
}

// Changes runs one round. The DeltaLink advances only when the round is
// read to its end; a round stopped early is repeated in full by the next
// call. A delta link Graph no longer knows gives an error matching
// api.ErrSyncStateNotFound: set DeltaLink to "" and start over.
// BatchSize is $top of the first request (Graph takes at most 50 here);
// later pages follow the links, which carry it.
func (d *Delta) Changes(ctx context.Context, opts ...api.ListOption) iter.Seq2[*ChatMessage, error] {
	start := d.DeltaLink
	if start == "" {
		u, err := d.channel.url("Changes", "/messages/delta")
		if err != nil {
			return fail[*ChatMessage](err)
		}
		start = u
	} else {
		// The link already carries the round's query.
		opts = append(opts, api.Query(nil), api.BatchSize(0))
	}
	if cfg := api.NewListConfig(opts...); cfg.BatchSize > 50 {
		return fail[*ChatMessage](fmt.Errorf("teams: Changes: batch size %d over Graph's 50 for channel message delta", cfg.BatchSize))
	}
	return func(yield func(*ChatMessage, error) bool) {
		pager := api.NewPager[*ChatMessage](d.channel.Con(), start, opts...)
		for m, err := range pager.All(ctx) {
			if !yield(m, err) || err != nil {
				return
			}
		}
		if pager.DeltaLink() != "" {
			d.DeltaLink = pager.DeltaLink()
		}
	}
}

// messageHolder is a channel or a chat: both keep their messages at
// /messages below their own URL, so Messages, Message and Send of each
// are the same calls.
type messageHolder interface {
	url(call, suffix string) (string, error)
	component() *api.Component
}

func (c *Channel) component() *api.Component { return &c.Component }
func (c *Chat) component() *api.Component    { return &c.Component }

func listMessages(ctx context.Context, h messageHolder, opts []api.ListOption) iter.Seq2[*ChatMessage, error] {
	u, err := h.url("Messages", "/messages")
	if err != nil {
		return fail[*ChatMessage](err)
	}
	return api.List[*ChatMessage](ctx, h.component().Con(), u, opts...)
}

func oneMessage(ctx context.Context, h messageHolder, messageID string) (*ChatMessage, error) {
	if err := need("Message", "message id", messageID); err != nil {
		return nil, err
	}
	u, err := h.url("Message", messagePath(messageID))
	if err != nil {
		return nil, err
	}
	return getMessage(ctx, h.component(), u)
}

func sendMessage(ctx context.Context, h messageHolder, msg *NewMessage) (*ChatMessage, error) {
	if err := msg.check("Send"); err != nil {
		return nil, err
	}
	u, err := h.url("Send", "/messages")
	if err != nil {
		return nil, err
	}
	return postMessage(ctx, h.component(), u, msg)
}

func messagePath(id string) string { return "/messages/" + url.PathEscape(id) }

func getMessage(ctx context.Context, c *api.Component, u string) (*ChatMessage, error) {
	m := new(ChatMessage)
	if err := c.GetJSON(ctx, u, nil, m); err != nil {
		return nil, err
	}
	return m, nil
}

func postMessage(ctx context.Context, c *api.Component, u string, msg *NewMessage) (*ChatMessage, error) {
	m := new(ChatMessage)
	if err := c.PostJSON(ctx, u, msg, m); err != nil {
		return nil, err
	}
	return m, nil
}
