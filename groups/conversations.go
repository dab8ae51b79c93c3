package groups

import (
	"context"
	"errors"
	"iter"
	"net/url"
	"strings"
	"time"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/message"
)

// Recipient is a sender or recipient of a post: the message package's
// type, so a post's addresses work with messages and back.
type Recipient = message.Recipient

// ItemBody is the content of a post and its format, "html" or "text".
type ItemBody = message.ItemBody

// Conversation is a conversation of a Microsoft 365 group: one or more
// threads of posts on a topic (Graph's conversation).
type Conversation struct {
	ID                    string    `json:"id,omitempty"`
	Topic                 string    `json:"topic,omitempty"`
	HasAttachments        bool      `json:"hasAttachments,omitempty"`
	LastDeliveredDateTime time.Time `json:"lastDeliveredDateTime,omitzero"`
	// UniqueSenders names everyone who posted in the conversation.
	UniqueSenders []string `json:"uniqueSenders,omitempty"`
	// Preview is the start of the latest post's text.
	Preview string `json:"preview,omitempty"`
	// Threads holds the threads of a conversation just created; a
	// conversation that is read has none (list them with
	// Group.ConversationThreads).
	Threads []ConversationThread `json:"threads,omitempty"`
}

// ConversationThread is a thread of posts in a group conversation
// (Graph's conversationThread). Reply adds a post to it.
type ConversationThread struct {
	ID                    string      `json:"id,omitempty"`
	Topic                 string      `json:"topic,omitempty"`
	ToRecipients          []Recipient `json:"toRecipients,omitempty"`
	CcRecipients          []Recipient `json:"ccRecipients,omitempty"`
	HasAttachments        bool        `json:"hasAttachments,omitempty"`
	LastDeliveredDateTime time.Time   `json:"lastDeliveredDateTime,omitzero"`
	UniqueSenders         []string    `json:"uniqueSenders,omitempty"`
	Preview               string      `json:"preview,omitempty"`
	IsLocked              bool        `json:"isLocked,omitempty"`
	// Posts holds the posts of a thread sent to create a conversation;
	// a thread that is read has none (list them with Group.Posts).
	Posts []Post `json:"posts,omitempty"`
}

// Post is one post of a conversation thread (Graph's post). To write
// one, set Body (and NewParticipants to add people to the thread); Graph
// fills in the rest.
type Post struct {
	ETag                 string      `json:"@odata.etag,omitempty"`
	ID                   string      `json:"id,omitempty"`
	Body                 ItemBody    `json:"body,omitzero"`
	From                 *Recipient  `json:"from,omitempty"`
	Sender               *Recipient  `json:"sender,omitempty"`
	NewParticipants      []Recipient `json:"newParticipants,omitempty"`
	Categories           []string    `json:"categories,omitempty"`
	HasAttachments       bool        `json:"hasAttachments,omitempty"`
	ChangeKey            string      `json:"changeKey,omitempty"`
	ConversationID       string      `json:"conversationId,omitempty"`
	ConversationThreadID string      `json:"conversationThreadId,omitempty"`
	CreatedDateTime      time.Time   `json:"createdDateTime,omitzero"`
	LastModifiedDateTime time.Time   `json:"lastModifiedDateTime,omitzero"`
	ReceivedDateTime     time.Time   `json:"receivedDateTime,omitzero"`
}

// Conversations iterates over the conversations of the group, latest
// first. Use Query to filter or select.
func (g *Group) Conversations(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Conversation, error] {
	if err := g.check(); err != nil {
		return fail[*Conversation](err)
	}
	return api.List[*Conversation](ctx, g.Con(), g.url("/conversations"), opts...)
}

// Conversation gets the conversation with the given id.
func (g *Group) Conversation(ctx context.Context, id string) (*Conversation, error) {
	if err := g.check(); err != nil {
		return nil, err
	}
	if id == "" {
		return nil, errors.New("groups: Conversation: empty id")
	}
	c := new(Conversation)
	if err := g.GetJSON(ctx, g.url("/conversations/"+url.PathEscape(id)), nil, c); err != nil {
		return nil, err
	}
	return c, nil
}

// DeleteConversation deletes the conversation with the given id, with
// its threads and posts.
func (g *Group) DeleteConversation(ctx context.Context, id string) error {
	if err := g.check(); err != nil {
		return err
	}
	if id == "" {
		return errors.New("groups: DeleteConversation: empty id")
	}
	return g.Component.Delete(ctx, g.url("/conversations/"+url.PathEscape(id)))
}

// Threads iterates over every thread of every conversation of the
// group.
func (g *Group) Threads(ctx context.Context, opts ...api.ListOption) iter.Seq2[*ConversationThread, error] {
	if err := g.check(); err != nil {
		return fail[*ConversationThread](err)
	}
	return api.List[*ConversationThread](ctx, g.Con(), g.url("/threads"), opts...)
}

// ConversationThreads iterates over the threads of one conversation.
func (g *Group) ConversationThreads(ctx context.Context, conversationID string, opts ...api.ListOption) iter.Seq2[*ConversationThread, error] {
	if err := g.check(); err != nil {
		return fail[*ConversationThread](err)
	}
	if conversationID == "" {
		return fail[*ConversationThread](errors.New("groups: ConversationThreads: empty conversation id"))
	}
	return api.List[*ConversationThread](ctx, g.Con(), g.url("/conversations/"+url.PathEscape(conversationID)+"/threads"), opts...)
}

// Thread gets the thread with the given id.
func (g *Group) Thread(ctx context.Context, threadID string) (*ConversationThread, error) {
	if err := g.check(); err != nil {
		return nil, err
	}
	if threadID == "" {
		return nil, errors.New("groups: Thread: empty id")
	}
	t := new(ConversationThread)
	if err := g.GetJSON(ctx, g.url("/threads/"+url.PathEscape(threadID)), nil, t); err != nil {
		return nil, err
	}
	return t, nil
}

// Posts iterates over the posts of a thread, oldest first.
func (g *Group) Posts(ctx context.Context, threadID string, opts ...api.ListOption) iter.Seq2[*Post, error] {
	if err := g.check(); err != nil {
		return fail[*Post](err)
	}
	if threadID == "" {
		return fail[*Post](errors.New("groups: Posts: empty thread id"))
	}
	return api.List[*Post](ctx, g.Con(), g.url("/threads/"+url.PathEscape(threadID)+"/posts"), opts...)
}

// Reply posts p to a thread as the signed-in user (Graph allows it to
// delegated callers only, with Group.ReadWrite.All). Graph accepts the
// post and delivers it in the background; it answers with no post.
func (g *Group) Reply(ctx context.Context, threadID string, p Post) error {
	if err := g.check(); err != nil {
		return err
	}
	if threadID == "" {
		return errors.New("groups: Reply: empty thread id")
	}
	if err := p.validate("Reply"); err != nil {
		return err
	}
	body := map[string]Post{"post": p}
	return g.PostJSON(ctx, g.url("/threads/"+url.PathEscape(threadID)+"/reply"), body, nil)
}

// StartConversation starts a conversation on topic with p as its first
// post, as the signed-in user (delegated callers only, with
// Group.ReadWrite.All). It returns the conversation with the id of its
// thread.
func (g *Group) StartConversation(ctx context.Context, topic string, p Post) (*Conversation, error) {
	if err := g.check(); err != nil {
		return nil, err
	}
	if strings.TrimSpace(topic) == "" {
		return nil, errors.New("groups: StartConversation: empty topic")
	}
	if err := p.validate("StartConversation"); err != nil {
		return nil, err
	}
	in := Conversation{Topic: topic, Threads: []ConversationThread{{Posts: []Post{p}}}}
	c := new(Conversation)
	if err := g.PostJSON(ctx, g.url("/conversations"), in, c); err != nil {
		return nil, err
	}
	return c, nil
}

func (p Post) validate(op string) error {
	if strings.TrimSpace(p.Body.Content) == "" {
		return errors.New("groups: " + op + ": post without content")
	}
	return nil
}
