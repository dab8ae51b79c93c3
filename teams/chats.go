package teams

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"strings"
	"time"

	"github.com/go-o365/o365/api"
)

// Chat is a one-on-one, group or meeting chat.
type Chat struct {
	api.Component `json:"-"`

	ID                  string               `json:"id,omitempty"`
	Topic               string               `json:"topic,omitempty"`
	ChatType            string               `json:"chatType,omitempty"` // oneOnOne, group or meeting
	CreatedDateTime     time.Time            `json:"createdDateTime,omitzero"`
	LastUpdatedDateTime time.Time            `json:"lastUpdatedDateTime,omitzero"`
	WebURL              string               `json:"webUrl,omitempty"`
	TenantID            string               `json:"tenantId,omitempty"`
	Members             []ConversationMember `json:"members,omitempty"` // with $expand=members
}

// Chat types CreateChat takes.
const (
	OneOnOne = "oneOnOne"
	Group    = "group"
)

// Chats iterates over the user's chats, with their members: each chat
// is listed with $expand=members.
func (t *Teams) Chats(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Chat, error] {
	opts = append([]api.ListOption{api.Param("$expand", "members")}, opts...)
	return bound(api.List[*Chat](ctx, t.Con(), t.BuildURL("/chats"), opts...), func(c *Chat) {
		c.Component = t.Component
	})
}

// Chat gets a chat, with its members. A chat the user is not in, or an
// unknown id, gives an error matching api.ErrNotFound.
func (t *Teams) Chat(ctx context.Context, chatID string) (*Chat, error) {
	if err := need("Chat", "chat id", chatID); err != nil {
		return nil, err
	}
	c := new(Chat)
	if err := t.GetJSON(ctx, t.BuildBaseURL(chatPath(chatID)), api.Params{"$expand": "members"}, c); err != nil {
		return nil, err
	}
	c.Component = t.Component
	return c, nil
}

// ChatOf returns a Chat for the id without asking Graph, for reading
// and sending its messages when the id is known.
func (t *Teams) ChatOf(chatID string) *Chat {
	return &Chat{Component: t.Component, ID: chatID}
}

// CreateChat creates a chat of chatType (OneOnOne or Group) with the
// users named by id or user principal name; the signed-in user must be
// one of them, as Graph requires. A one-on-one chat takes exactly two
// users, and asking again for the same two returns the chat they have.
// topic names a group chat; one-on-one chats have none. It needs
// chats_all (Chat.Create).
func (t *Teams) CreateChat(ctx context.Context, chatType, topic string, userIDs ...string) (*Chat, error) {
	switch chatType {
	case OneOnOne:
		if len(userIDs) != 2 {
			return nil, fmt.Errorf("teams: CreateChat: a one-on-one chat has 2 members, not %d", len(userIDs))
		}
		if topic != "" {
			return nil, errors.New("teams: CreateChat: a one-on-one chat has no topic")
		}
	case Group:
		if len(userIDs) < 2 {
			return nil, fmt.Errorf("teams: CreateChat: a group chat has at least 2 members, not %d", len(userIDs))
		}
	default:
		return nil, fmt.Errorf("teams: CreateChat: chat type %q; Graph takes %q or %q", chatType, OneOnOne, Group)
	}
	members := make([]map[string]any, len(userIDs))
	for i, id := range userIDs {
		if id == "" {
			return nil, errors.New("teams: CreateChat: empty user id")
		}
		members[i] = map[string]any{
			"@odata.type":     "#microsoft.graph.aadUserConversationMember",
			"roles":           []string{"owner"},
			"user@odata.bind": t.BuildBaseURL("/users('" + keyLiteral(id) + "')"),
		}
	}
	body := map[string]any{"chatType": chatType, "members": members}
	if topic != "" {
		body["topic"] = topic
	}
	c := new(Chat)
	if err := t.PostJSON(ctx, t.BuildBaseURL("/chats"), body, c); err != nil {
		return nil, err
	}
	c.Component = t.Component
	return c, nil
}

// Messages iterates over the chat's messages, newest first. It needs
// chats (Chat.Read).
func (c *Chat) Messages(ctx context.Context, opts ...api.ListOption) iter.Seq2[*ChatMessage, error] {
	return listMessages(ctx, c, opts)
}

// Message gets one message of the chat.
func (c *Chat) Message(ctx context.Context, messageID string) (*ChatMessage, error) {
	return oneMessage(ctx, c, messageID)
}

// Send posts a message to the chat as the signed-in user; every member
// sees it. It needs chats_all (ChatMessage.Send). A body over
// MaxMessageSize gives ErrMessageTooLarge before any request.
func (c *Chat) Send(ctx context.Context, msg *NewMessage) (*ChatMessage, error) {
	return sendMessage(ctx, c, msg)
}

func (c *Chat) url(call, suffix string) (string, error) {
	if c.Con() == nil {
		return "", errors.New("teams: " + call + ": chat has no connection; get it from Teams")
	}
	if err := need(call, "chat id", c.ID); err != nil {
		return "", err
	}
	return c.BuildBaseURL(chatPath(c.ID) + suffix), nil
}

// keyLiteral is id inside an OData key literal, users('…'): a quote is
// doubled, as OData escapes it, so a principal name such as
// o'brien@contoso.com binds its user instead of ending the literal.
func keyLiteral(id string) string {
	return url.PathEscape(strings.ReplaceAll(id, "'", "''"))
}

func chatPath(id string) string { return "/chats/" + url.PathEscape(id) }
