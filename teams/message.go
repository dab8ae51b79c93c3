package teams

import (
	"errors"
	"fmt"
	"html"
	"strconv"
	"strings"
	"time"

	"github.com/go-o365/o365/api"
)

// ChatMessage is a message in a channel or a chat, or a reply to a
// channel message.
type ChatMessage struct {
	ODataType            string                  `json:"@odata.type,omitempty"`
	ID                   string                  `json:"id,omitempty"`
	ReplyToID            string                  `json:"replyToId,omitempty"` // the message a reply answers
	ETag                 string                  `json:"etag,omitempty"`
	MessageType          string                  `json:"messageType,omitempty"` // message, systemEventMessage, …
	CreatedDateTime      time.Time               `json:"createdDateTime,omitzero"`
	LastModifiedDateTime time.Time               `json:"lastModifiedDateTime,omitzero"`
	LastEditedDateTime   time.Time               `json:"lastEditedDateTime,omitzero"`
	DeletedDateTime      time.Time               `json:"deletedDateTime,omitzero"`
	Subject              string                  `json:"subject,omitempty"`
	Summary              string                  `json:"summary,omitempty"`
	ChatID               string                  `json:"chatId,omitempty"`
	Importance           string                  `json:"importance,omitempty"` // normal, high or urgent
	Locale               string                  `json:"locale,omitempty"`
	WebURL               string                  `json:"webUrl,omitempty"`
	From                 *ChatMessageFrom        `json:"from,omitempty"`
	Body                 ItemBody                `json:"body"`
	ChannelIdentity      *ChannelIdentity        `json:"channelIdentity,omitempty"`
	Attachments          []ChatMessageAttachment `json:"attachments,omitempty"`
	Mentions             []Mention               `json:"mentions,omitempty"`
	Reactions            []Reaction              `json:"reactions,omitempty"`
}

// Deleted reports whether the message was deleted (Graph keeps deleted
// messages in lists and deltas, with their DeletedDateTime set).
func (m *ChatMessage) Deleted() bool { return !m.DeletedDateTime.IsZero() }

// Edited reports whether the message was edited after it was sent, as
// Teams marks it Edited. Reactions change LastModifiedDateTime but not
// this.
func (m *ChatMessage) Edited() bool { return !m.LastEditedDateTime.IsZero() }

// ItemBody is a message body: ContentType "text" (the default) or
// "html".
type ItemBody struct {
	ContentType string `json:"contentType,omitempty"`
	Content     string `json:"content"`
}

// ChatMessageFrom is who sent a message: a user, an application or a
// device.
type ChatMessageFrom struct {
	User        *Identity `json:"user,omitempty"`
	Application *Identity `json:"application,omitempty"`
	Device      *Identity `json:"device,omitempty"`
}

// Identity names a user, application, device or conversation in a
// message.
type Identity struct {
	ODataType        string `json:"@odata.type,omitempty"`
	ID               string `json:"id,omitempty"`
	DisplayName      string `json:"displayName,omitempty"`
	UserIdentityType string `json:"userIdentityType,omitempty"` // aadUser, …
	// ApplicationIdentityType is bot, aadApplication, tenantBot,
	// office365Connector or outgoingWebhook, for an application.
	ApplicationIdentityType string `json:"applicationIdentityType,omitempty"`
	TenantID                string `json:"tenantId,omitempty"`
	// ConversationIdentityType is team, channel or chat, for a
	// mentioned conversation.
	ConversationIdentityType string `json:"conversationIdentityType,omitempty"`
}

// ChannelIdentity says which channel a message is in.
type ChannelIdentity struct {
	TeamID    string `json:"teamId,omitempty"`
	ChannelID string `json:"channelId,omitempty"`
}

// ChatMessageAttachment is a card, file or message reference attached
// to a message; the body refers to it with <attachment id="…">.
type ChatMessageAttachment struct {
	ID           string `json:"id,omitempty"`
	ContentType  string `json:"contentType,omitempty"`
	ContentURL   string `json:"contentUrl,omitempty"`
	Content      string `json:"content,omitempty"`
	Name         string `json:"name,omitempty"`
	ThumbnailURL string `json:"thumbnailUrl,omitempty"`
	TeamsAppID   string `json:"teamsAppId,omitempty"`
}

// Mention is an @mention in a message. The body carries
// <at id="ID">MentionText</at> where the mention appears.
type Mention struct {
	ID          int                `json:"id"`
	MentionText string             `json:"mentionText,omitempty"`
	Mentioned   ChatMessageMention `json:"mentioned"`
}

// ChatMessageMention is who or what a Mention names.
type ChatMessageMention struct {
	User         *Identity `json:"user,omitempty"`
	Application  *Identity `json:"application,omitempty"`
	Conversation *Identity `json:"conversation,omitempty"`
}

// Reaction is a reaction to a message.
type Reaction struct {
	ReactionType    string           `json:"reactionType,omitempty"`
	CreatedDateTime time.Time        `json:"createdDateTime,omitzero"`
	User            *ChatMessageFrom `json:"user,omitempty"`
}

// MaxMessageSize is Teams' limit on a message: about 28 KB for the
// message itself with its mentions, attachments and reactions
// (Microsoft's "Limits and specifications for Microsoft Teams"). A
// message over it is refused with 413 Request Entity Too Large, so this
// package refuses it before sending.
const MaxMessageSize = 28 * 1024

// ErrMessageTooLarge is a message over MaxMessageSize.
var ErrMessageTooLarge = errors.New("teams: message over Teams' 28 KB limit")

// NewMessage is a message to send: a body, and the mentions its HTML
// body refers to. Text makes a plain-text one, HTML an HTML one, and
// Mention adds an @mention of a user.
type NewMessage struct {
	Subject     string                  `json:"subject,omitempty"` // channel messages only
	Importance  string                  `json:"importance,omitempty"`
	Body        ItemBody                `json:"body"`
	Mentions    []Mention               `json:"mentions,omitempty"`
	Attachments []ChatMessageAttachment `json:"attachments,omitempty"`
}

// Text is a plain-text message.
func Text(content string) *NewMessage {
	return &NewMessage{Body: ItemBody{ContentType: "text", Content: content}}
}

// HTML is a message whose body is HTML, written as Teams renders it.
func HTML(content string) *NewMessage {
	return &NewMessage{Body: ItemBody{ContentType: "html", Content: content}}
}

// Mention appends an @mention of the user (by id, with the name shown)
// to the message: the <at id="n">name</at> markup at the end of the
// body, and the matching entry of Mentions. A text message becomes HTML,
// its text escaped, since only HTML carries mentions.
//
//	msg := teams.HTML("Please review, ").Mention(megan.ID, "Megan Bowen")
func (m *NewMessage) Mention(userID, displayName string) *NewMessage {
	if m.Body.ContentType != "html" {
		m.Body = ItemBody{ContentType: "html", Content: html.EscapeString(m.Body.Content)}
	}
	n := len(m.Mentions)
	m.Body.Content += `<at id="` + strconv.Itoa(n) + `">` + html.EscapeString(displayName) + `</at>`
	m.Mentions = append(m.Mentions, Mention{
		ID:          n,
		MentionText: displayName,
		Mentioned: ChatMessageMention{User: &Identity{
			ID: userID, DisplayName: displayName, UserIdentityType: "aadUser",
		}},
	})
	return m
}

// Append adds more HTML (or text, for a text message) after what the
// body has, for text after a mention.
func (m *NewMessage) Append(content string) *NewMessage {
	m.Body.Content += content
	return m
}

// check refuses a message Graph would: no body, mentions that do not
// match the body's markup, or over Teams' size limit.
func (m *NewMessage) check(call string) error {
	if m == nil || strings.TrimSpace(m.Body.Content) == "" && len(m.Attachments) == 0 {
		return fmt.Errorf("teams: %s: empty message body", call)
	}
	for _, mn := range m.Mentions {
		if !strings.Contains(m.Body.Content, `<at id="`+strconv.Itoa(mn.ID)+`">`) {
			return fmt.Errorf("teams: %s: mention %d (%s) has no <at id=\"%d\"> in the body", call, mn.ID, mn.MentionText, mn.ID)
		}
	}
	b, err := api.Marshal(m)
	if err != nil {
		return fmt.Errorf("teams: %s: %w", call, err)
	}
	if len(b) > MaxMessageSize {
		return fmt.Errorf("%w: %s: %d bytes with mentions and attachments, over %d", ErrMessageTooLarge, call, len(b), MaxMessageSize)
	}
	return nil
}
