package message

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/go-o365/o365/api"
)

// inlineSendLimit is the most attachment content a new message carries
// inline in its sendMail request. Base64 grows it by a third, and Graph
// refuses requests over 4 MB.
const inlineSendLimit = 2 << 20

// Send sends the message. A new message with no attachments, or small
// ones only, goes out in one sendMail request and is saved in Sent Items;
// Graph gives it no id here. Otherwise the message is saved as a draft
// first (created, or its changes sent), queued attachments are uploaded
// (large ones through upload sessions), and then the draft is sent: a
// message with a large attachment never travels as one oversized request.
//
// If an attachment fails to upload, nothing is sent: the error says
// which, the draft stays in Drafts with m.ID set, and calling Send again
// retries the attachments still queued.
func (m *Message) Send(ctx context.Context) error {
	if err := m.validate(true); err != nil {
		return err
	}
	if m.ID == "" {
		atts, ok, err := m.inlineAttachments()
		if err != nil {
			return err
		}
		if ok {
			msg := m.changes(&state{})
			if len(atts) > 0 {
				msg["attachments"] = atts
			}
			body := map[string]any{"message": msg, "saveToSentItems": true}
			u, err := m.mailboxURL("/sendMail")
			if err != nil {
				return err
			}
			if err := m.PostJSON(ctx, u, body, nil); err != nil {
				return err
			}
			m.pending = nil
			m.IsDraft = false
			return nil
		}
	}
	if err := m.Save(ctx); err != nil {
		return err
	}
	u, err := m.url("/send")
	if err != nil {
		return err
	}
	if err := m.PostJSON(ctx, u, nil, nil); err != nil {
		return err
	}
	m.IsDraft = false
	return nil
}

// inlineAttachments reads the queued attachments for a sendMail request
// when they are small enough to go inline, and reports whether they are.
// The content read is kept, so a failed request can be repeated.
func (m *Message) inlineAttachments() ([]any, bool, error) {
	var total int64
	for _, q := range m.pending {
		total += q.file.Size
	}
	if total > inlineSendLimit {
		return nil, false, nil
	}
	out := make([]any, 0, len(m.pending))
	for _, q := range m.pending {
		if q.item != nil {
			out = append(out, map[string]any{"@odata.type": ItemAttachmentType, "name": q.file.Name, "item": q.item})
			continue
		}
		r, closeFn, err := q.file.open()
		if err != nil {
			return nil, false, fmt.Errorf("message: attaching %q: %w", q.file.Name, err)
		}
		a, err := q.file.inline(r)
		closeFn()
		if err != nil {
			return nil, false, fmt.Errorf("message: attaching %q: %w", q.file.Name, err)
		}
		q.file.Path, q.file.Content = "", bytes.NewReader(a.ContentBytes)
		if q.file.Progress != nil {
			q.file.Progress(q.file.Size, q.file.Size)
		}
		out = append(out, a)
	}
	return out, true, nil
}

// Reply sends a reply to the sender at once, with comment above the
// quoted message.
func (m *Message) Reply(ctx context.Context, comment string) error {
	return m.action(ctx, "/reply", map[string]any{"comment": comment}, nil)
}

// ReplyAll sends a reply to the sender and every recipient at once.
func (m *Message) ReplyAll(ctx context.Context, comment string) error {
	return m.action(ctx, "/replyAll", map[string]any{"comment": comment}, nil)
}

// Forward forwards the message at once to the recipients in to.
func (m *Message) Forward(ctx context.Context, comment string, to Recipients) error {
	if len(to) == 0 {
		return errors.New("message: Forward: no recipients")
	}
	if err := to.Validate(); err != nil {
		return fmt.Errorf("message: Forward: %w", err)
	}
	return m.action(ctx, "/forward", map[string]any{"comment": comment, "toRecipients": to}, nil)
}

// CreateReply creates a draft reply to the sender, to edit and Send.
func (m *Message) CreateReply(ctx context.Context, comment string) (*Message, error) {
	return m.draft(ctx, "/createReply", map[string]any{"comment": comment})
}

// CreateReplyAll creates a draft reply to the sender and every recipient.
func (m *Message) CreateReplyAll(ctx context.Context, comment string) (*Message, error) {
	return m.draft(ctx, "/createReplyAll", map[string]any{"comment": comment})
}

// CreateForward creates a draft forward; to may be empty and filled in on
// the draft before it is sent.
func (m *Message) CreateForward(ctx context.Context, comment string, to Recipients) (*Message, error) {
	if err := to.Validate(); err != nil {
		return nil, fmt.Errorf("message: CreateForward: %w", err)
	}
	body := map[string]any{"comment": comment}
	if len(to) > 0 {
		body["toRecipients"] = to
	}
	return m.draft(ctx, "/createForward", body)
}

func (m *Message) draft(ctx context.Context, action string, body any) (*Message, error) {
	d := new(Message)
	if err := m.action(ctx, action, body, d); err != nil {
		return nil, err
	}
	d.bind(m.Component)
	return d, nil
}

func (m *Message) action(ctx context.Context, action string, body, out any) error {
	u, err := m.url(action)
	if err != nil {
		return err
	}
	return m.PostJSON(ctx, u, body, out)
}

// maxMIME is the largest MIME message SendMIME takes: base64 makes it
// nearly 4 MB, the most Graph accepts in one request.
const maxMIME = 3 << 20

// SendMIME sends a complete MIME message (RFC 5322, as produced by a mail
// client or MIMEContent) from the mailbox of parent, and saves it in Sent
// Items. Graph takes the recipients from the MIME headers. Messages over
// 3 MiB do not fit one request: build a Message with attachments instead.
func SendMIME(ctx context.Context, parent api.Parent, mime io.Reader) error {
	raw, err := io.ReadAll(io.LimitReader(mime, maxMIME+1))
	if err != nil {
		return fmt.Errorf("message: SendMIME: reading the message: %w", err)
	}
	if len(raw) == 0 {
		return errors.New("message: SendMIME: the MIME message is empty")
	}
	if len(raw) > maxMIME {
		return fmt.Errorf("message: SendMIME: the MIME message is over %d bytes, too big for one Graph request; send a Message with attachments instead", maxMIME)
	}
	body := make([]byte, base64.StdEncoding.EncodedLen(len(raw)))
	base64.StdEncoding.Encode(body, raw)
	if parent == nil {
		return ErrNotBound
	}
	c := api.New(parent, nil)
	u, err := buildURL(&c, "/sendMail")
	if err != nil {
		return err
	}
	req, err := api.NewRequest(ctx, http.MethodPost, u, nil, body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "text/plain")
	return c.DoJSON(req, nil)
}
