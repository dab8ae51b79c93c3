package message

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/url"
	"slices"
	"time"

	"github.com/go-o365/o365/api"
)

// ErrNotBound is returned by operations on a message or attachment that
// has no connection: one built as a literal or decoded by hand rather
// than made with New, NewFrom or read through a mailbox.
var ErrNotBound = errors.New("message: not bound to a connection (make it with New or NewFrom, or read it through a mailbox)")

// ErrNotSaved is returned by operations on an existing message when the
// message has no id yet: save (or send) it first.
var ErrNotSaved = errors.New("message: the message has no id (it was never saved)")

// Message is an Outlook message (Graph's message resource). Its fields are
// plain data with Graph's property names on the wire; set them and call
// Save or Send. Operations go through the connection, protocol and
// mailbox of the parent the message was made from.
//
// A Message is not safe for concurrent use.
type Message struct {
	api.Component `json:"-"`

	ID      string   `json:"id,omitempty"`
	ETag    string   `json:"@odata.etag,omitempty"`
	Subject string   `json:"subject,omitempty"`
	Body    ItemBody `json:"body,omitzero"`
	// UniqueBody is the part of the body not quoted from earlier messages
	// of the conversation; Graph sends it only when $select names it.
	UniqueBody  *ItemBody  `json:"uniqueBody,omitempty"`
	BodyPreview string     `json:"bodyPreview,omitempty"`
	Importance  Importance `json:"importance,omitempty"`

	// From is the mailbox the message is sent from. Set it to a shared
	// mailbox's address to send as (or on behalf of) that mailbox.
	From Recipient `json:"from,omitzero"`
	// Sender is who actually sent it: From, or a delegate sending on
	// behalf of From.
	Sender  Recipient  `json:"sender,omitzero"`
	To      Recipients `json:"toRecipients,omitempty"`
	Cc      Recipients `json:"ccRecipients,omitempty"`
	Bcc     Recipients `json:"bccRecipients,omitempty"`
	ReplyTo Recipients `json:"replyTo,omitempty"`

	Categories []string     `json:"categories,omitempty"`
	Flag       FollowupFlag `json:"flag,omitzero"`

	IsRead                     bool `json:"isRead,omitempty"`
	IsDraft                    bool `json:"isDraft,omitempty"`
	HasAttachments             bool `json:"hasAttachments,omitempty"`
	IsDeliveryReceiptRequested bool `json:"isDeliveryReceiptRequested,omitempty"`
	IsReadReceiptRequested     bool `json:"isReadReceiptRequested,omitempty"`

	Created  time.Time `json:"createdDateTime,omitzero"`
	Modified time.Time `json:"lastModifiedDateTime,omitzero"`
	Received time.Time `json:"receivedDateTime,omitzero"`
	Sent     time.Time `json:"sentDateTime,omitzero"`

	ChangeKey         string `json:"changeKey,omitempty"`
	ParentFolderID    string `json:"parentFolderId,omitempty"`
	ConversationID    string `json:"conversationId,omitempty"`
	ConversationIndex string `json:"conversationIndex,omitempty"`
	InternetMessageID string `json:"internetMessageId,omitempty"`
	// InferenceClassification is "focused" or "other".
	InferenceClassification string `json:"inferenceClassification,omitempty"`
	WebLink                 string `json:"webLink,omitempty"`

	// InternetMessageHeaders are returned only when $select names them;
	// set custom x- headers on a new message before it is first saved.
	InternetMessageHeaders []InternetMessageHeader `json:"internetMessageHeaders,omitempty"`
	// ExtendedProperties are returned only when asked for with $expand.
	ExtendedProperties []ExtendedProperty `json:"singleValueExtendedProperties,omitempty"`
	// Attachments are filled when the message was read with
	// $expand=attachments (see mailbox.WithAttachments), and as queued
	// attachments are uploaded by Save or Send.
	Attachments []*Attachment `json:"attachments,omitempty"`

	// Removed is set on messages a delta round reports as deleted from
	// (or moved out of) the folder; only ID is meaningful then.
	Removed *Removed `json:"@removed,omitempty"`

	folderID string    // where Save creates the message
	saved    state     // the writable fields as last loaded or saved
	pending  []*queued // attachments to upload on Save or Send
}

// New returns a new, unsaved message for the protocol's default mailbox.
func New(con api.Requester, protocol api.Protocol) *Message {
	return NewFrom(api.ParentOf(con, protocol))
}

// NewFrom returns a new, unsaved message that inherits parent's
// connection, protocol and mailbox (an *o365.Account, a mailbox, a folder,
// another message). Save creates it in the Drafts folder.
func NewFrom(parent api.Parent) *Message {
	if parent == nil {
		return &Message{} // unbound: its operations return ErrNotBound
	}
	return &Message{Component: api.New(parent, nil)}
}

// NewInFolder is NewFrom for a message that Save creates in the folder
// with the id (or well-known name) folderID rather than in Drafts.
func NewInFolder(parent api.Parent, folderID string) *Message {
	m := NewFrom(parent)
	m.folderID = folderID
	return m
}

// Get reads the message at url (built by a mailbox or folder) with the
// options' query ($select, $expand) and headers.
func Get(ctx context.Context, parent api.Parent, url string, opts ...api.ListOption) (*Message, error) {
	if parent == nil {
		return nil, ErrNotBound
	}
	cfg := api.NewListConfig(opts...)
	params := api.Params{}
	if cfg.Query != nil {
		qp, err := cfg.Query.Params()
		if err != nil {
			return nil, err
		}
		for k, v := range qp {
			params[k] = v
		}
	}
	for k, v := range cfg.Params {
		params[k] = v
	}
	req, err := api.NewRequest(ctx, "GET", url, params, nil)
	if err != nil {
		return nil, err
	}
	for k, vs := range cfg.Header {
		req.Header[k] = vs
	}
	m := new(Message)
	c := api.New(parent, nil)
	if err := c.DoJSON(req, m); err != nil {
		return nil, err
	}
	m.bind(c)
	return m, nil
}

// List iterates over the messages of the collection at url (built by a
// mailbox or folder), honouring Limit, BatchSize, Query and Header.
func List(ctx context.Context, parent api.Parent, url string, opts ...api.ListOption) iter.Seq2[*Message, error] {
	return ListDelta(ctx, parent, url, nil, opts...)
}

// ListDelta is List for a delta round: when the round has been read to
// its end, *deltaLink is set to the @odata.deltaLink that starts the next
// one. A round stopped early leaves *deltaLink unchanged, so the next
// round repeats it. deltaLink may be nil.
func ListDelta(ctx context.Context, parent api.Parent, url string, deltaLink *string, opts ...api.ListOption) iter.Seq2[*Message, error] {
	return func(yield func(*Message, error) bool) {
		if parent == nil {
			yield(nil, ErrNotBound)
			return
		}
		c := api.New(parent, nil)
		pager := api.NewPager[*Message](c.Con(), url, opts...)
		for m, err := range pager.All(ctx) {
			if err != nil {
				yield(nil, err)
				return
			}
			m.bind(c)
			if !yield(m, nil) {
				return
			}
		}
		if deltaLink != nil && pager.DeltaLink() != "" {
			*deltaLink = pager.DeltaLink()
		}
	}
}

// bind attaches a decoded message to its component and records its
// fields as loaded.
func (m *Message) bind(c api.Component) {
	m.Component = c
	m.saved = m.state()
	for _, a := range m.Attachments {
		a.bind(c, m.ID)
	}
}

// url is the message's own URL, its id escaped as one path segment.
func (m *Message) url(suffix string) (string, error) {
	if m.ID == "" {
		return "", ErrNotSaved
	}
	return m.mailboxURL("/messages/" + url.PathEscape(m.ID) + suffix)
}

// mailboxURL is path under the message's mailbox.
func (m *Message) mailboxURL(path string) (string, error) {
	return buildURL(&m.Component, path)
}

func buildURL(c *api.Component, path string) (string, error) {
	if c.Con() == nil || c.Protocol() == nil {
		return "", ErrNotBound
	}
	return c.BuildURL(path), nil
}

// Save creates the message as a draft when it has no id (in Drafts, or in
// the folder it was made for), and otherwise sends Graph only the fields
// changed since it was loaded or last saved; nothing changed, no request.
// Queued attachments are uploaded afterwards (see Attach). The message is
// then refreshed from Graph's answer.
//
// Graph lets you change subject, body and recipients of drafts only; on
// received messages it accepts isRead, categories, flag, importance and
// inferenceClassification.
func (m *Message) Save(ctx context.Context) error {
	if err := m.validate(false); err != nil {
		return err
	}
	if m.ID == "" {
		path := "/messages"
		if m.folderID != "" {
			path = "/mailFolders/" + url.PathEscape(m.folderID) + "/messages"
		}
		target, err := m.mailboxURL(path)
		if err != nil {
			return err
		}
		if err := m.post(ctx, target, m.changes(&state{})); err != nil {
			return err
		}
	} else if changed := m.changes(&m.saved); len(changed) > 0 {
		u, _ := m.url("")
		fresh := new(Message)
		if err := m.PatchJSON(ctx, u, changed, fresh); err != nil {
			return err
		}
		m.replace(fresh)
	}
	return m.uploadPending(ctx)
}

// post sends body and replaces the message with the answer.
func (m *Message) post(ctx context.Context, url string, body any) error {
	fresh := new(Message)
	if err := m.PostJSON(ctx, url, body, fresh); err != nil {
		return err
	}
	m.replace(fresh)
	return nil
}

// replace takes fresh's wire fields, keeping what is local to m.
func (m *Message) replace(fresh *Message) {
	comp, folder, pending, atts := m.Component, m.folderID, m.pending, m.Attachments
	*m = *fresh
	m.Component, m.folderID, m.pending = comp, folder, pending
	if m.Attachments == nil {
		m.Attachments = atts
	}
	m.bind(comp)
}

// Delete deletes the message. Graph keeps it recoverable for a while, but
// no folder lists it any more.
func (m *Message) Delete(ctx context.Context) error {
	u, err := m.url("")
	if err != nil {
		return err
	}
	return m.Component.Delete(ctx, u)
}

// Move moves the message to the folder with the id or well-known name
// destination ("archive", "deleteditems", …). Graph gives a moved message
// a new id; m is updated to the moved message.
func (m *Message) Move(ctx context.Context, destination string) error {
	u, err := m.url("/move")
	if err != nil {
		return err
	}
	if destination == "" {
		return errors.New("message: Move: no destination folder")
	}
	return m.post(ctx, u, map[string]string{"destinationId": destination})
}

// Copy copies the message to the folder with the id or well-known name
// destination and returns the copy.
func (m *Message) Copy(ctx context.Context, destination string) (*Message, error) {
	u, err := m.url("/copy")
	if err != nil {
		return nil, err
	}
	if destination == "" {
		return nil, errors.New("message: Copy: no destination folder")
	}
	cp := new(Message)
	if err := m.PostJSON(ctx, u, map[string]string{"destinationId": destination}, cp); err != nil {
		return nil, err
	}
	cp.bind(m.Component)
	return cp, nil
}

// MarkAsRead marks the message read. Other unsaved changes stay unsaved.
func (m *Message) MarkAsRead(ctx context.Context) error {
	return m.patchOne(ctx, "isRead", true, func(s *state) { s.isRead = true; m.IsRead = true })
}

// MarkAsUnread marks the message unread. Other unsaved changes stay unsaved.
func (m *Message) MarkAsUnread(ctx context.Context) error {
	return m.patchOne(ctx, "isRead", false, func(s *state) { s.isRead = false; m.IsRead = false })
}

// SetFlag sets the follow-up flag, e.g.
// FollowupFlag{Status: Flagged, Start: now, Due: friday}; a zero flag
// clears it. Other unsaved changes stay unsaved.
func (m *Message) SetFlag(ctx context.Context, flag FollowupFlag) error {
	switch {
	case flag.IsZero():
		flag.Status = NotFlagged
	case flag.Status == "":
		flag.Status = Flagged
	}
	return m.patchOne(ctx, "flag", flag, func(s *state) { s.flag = flag; m.Flag = flag })
}

// SetCategories replaces the message's categories (names of the
// mailbox's master categories). Other unsaved changes stay unsaved.
func (m *Message) SetCategories(ctx context.Context, categories ...string) error {
	cats := slices.Clone(categories)
	if cats == nil {
		cats = []string{}
	}
	return m.patchOne(ctx, "categories", cats, func(s *state) {
		s.categories = slices.Clone(cats)
		m.Categories = cats
	})
}

// patchOne PATCHes a single property and, on success, records it in
// both the message and its saved state.
func (m *Message) patchOne(ctx context.Context, name string, value any, apply func(*state)) error {
	u, err := m.url("")
	if err != nil {
		return err
	}
	if err := m.PatchJSON(ctx, u, map[string]any{name: value}, nil); err != nil {
		return err
	}
	apply(&m.saved)
	return nil
}

// MIMEContent streams the message in MIME form (RFC 5322, Graph's $value).
// The caller closes the reader.
func (m *Message) MIMEContent(ctx context.Context) (io.ReadCloser, error) {
	u, err := m.url("/$value")
	if err != nil {
		return nil, err
	}
	resp, err := m.Con().Get(ctx, u, nil)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// validate checks the recipients; sending also needs at least one.
func (m *Message) validate(sending bool) error {
	lists := []struct {
		name string
		rs   Recipients
	}{{"toRecipients", m.To}, {"ccRecipients", m.Cc}, {"bccRecipients", m.Bcc}, {"replyTo", m.ReplyTo}}
	for _, l := range lists {
		if err := l.rs.Validate(); err != nil {
			return fmt.Errorf("message: %s: %w", l.name, err)
		}
	}
	if m.From.EmailAddress.Address != "" || m.From.EmailAddress.Name != "" {
		if err := (Recipients{m.From}).Validate(); err != nil {
			return fmt.Errorf("message: from: %w", err)
		}
	}
	if sending && len(m.To)+len(m.Cc)+len(m.Bcc) == 0 {
		return errors.New("message: the message has no recipients (To, Cc and Bcc are empty)")
	}
	return nil
}

// state is the writable part of a message, compared to find what Save
// must send.
type state struct {
	subject    string
	body       ItemBody
	importance Importance
	from       Recipient
	to, cc     Recipients
	bcc        Recipients
	replyTo    Recipients
	categories []string
	flag       FollowupFlag
	isRead     bool
	delivery   bool
	readRcpt   bool
	inference  string
	headers    []InternetMessageHeader
	extended   []ExtendedProperty
}

// state copies the writable fields, cloning slices so later edits of the
// message do not reach the copy.
func (m *Message) state() state {
	return state{
		subject:    m.Subject,
		body:       m.Body,
		importance: m.Importance,
		from:       m.From,
		to:         slices.Clone(m.To),
		cc:         slices.Clone(m.Cc),
		bcc:        slices.Clone(m.Bcc),
		replyTo:    slices.Clone(m.ReplyTo),
		categories: slices.Clone(m.Categories),
		flag:       m.Flag,
		isRead:     m.IsRead,
		delivery:   m.IsDeliveryReceiptRequested,
		readRcpt:   m.IsReadReceiptRequested,
		inference:  m.InferenceClassification,
		headers:    slices.Clone(m.InternetMessageHeaders),
		extended:   slices.Clone(m.ExtendedProperties),
	}
}

// changes returns the writable properties that differ from old, by
// Graph name. Against an empty state it gives every property that is set,
// the body of a create. Emptied lists are sent as [], a cleared sender as
// null.
func (m *Message) changes(old *state) map[string]any {
	out := map[string]any{}
	set := func(name string, changed bool, v any) {
		if changed {
			out[name] = v
		}
	}
	set("subject", m.Subject != old.subject, m.Subject)
	set("body", m.Body != old.body, m.Body)
	set("importance", m.Importance != old.importance, m.Importance)
	from := any(m.From)
	if m.From == (Recipient{}) {
		from = nil
	}
	set("from", m.From != old.from, from)
	set("toRecipients", !slices.Equal(m.To, old.to), orEmpty(m.To))
	set("ccRecipients", !slices.Equal(m.Cc, old.cc), orEmpty(m.Cc))
	set("bccRecipients", !slices.Equal(m.Bcc, old.bcc), orEmpty(m.Bcc))
	set("replyTo", !slices.Equal(m.ReplyTo, old.replyTo), orEmpty(m.ReplyTo))
	set("categories", !slices.Equal(m.Categories, old.categories), orEmpty(m.Categories))
	flag := m.Flag
	if flag.IsZero() {
		flag.Status = NotFlagged
	}
	set("flag", !m.Flag.equal(old.flag), flag)
	set("isRead", m.IsRead != old.isRead, m.IsRead)
	set("isDeliveryReceiptRequested", m.IsDeliveryReceiptRequested != old.delivery, m.IsDeliveryReceiptRequested)
	set("isReadReceiptRequested", m.IsReadReceiptRequested != old.readRcpt, m.IsReadReceiptRequested)
	set("inferenceClassification", m.InferenceClassification != old.inference, m.InferenceClassification)
	set("internetMessageHeaders", !slices.Equal(m.InternetMessageHeaders, old.headers), orEmpty(m.InternetMessageHeaders))
	set("singleValueExtendedProperties", !slices.Equal(m.ExtendedProperties, old.extended), orEmpty(m.ExtendedProperties))
	return out
}

// orEmpty keeps an emptied list from being sent as null.
func orEmpty[S ~[]E, E any](s S) S {
	if s == nil {
		return S{}
	}
	return s
}
