package message

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/url"
	"strings"
	"time"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/internal/filesource"
)

// Attachment size limits of Outlook.
const (
	// LargeAttachmentSize is the size from which an attachment goes through
	// an upload session (in chunks) instead of one request with the
	// content inline: Graph refuses requests over 4 MB, and base64 makes
	// 3 MiB of content nearly that.
	LargeAttachmentSize = 3 << 20
	// MaxAttachmentSize is the largest attachment an upload session takes.
	MaxAttachmentSize = 150 << 20
)

// @odata.type values of the attachment kinds.
const (
	FileAttachmentType      = "#microsoft.graph.fileAttachment"
	ItemAttachmentType      = "#microsoft.graph.itemAttachment"
	ReferenceAttachmentType = "#microsoft.graph.referenceAttachment"
)

// Attachment is a file, item (an attached message, event or contact) or
// reference (a link to a cloud file) attachment of a message.
type Attachment struct {
	api.Component `json:"-"`

	// ODataType tells the kind: FileAttachmentType, ItemAttachmentType or
	// ReferenceAttachmentType (see Kind).
	ODataType    string    `json:"@odata.type,omitempty"`
	ID           string    `json:"id,omitempty"`
	Name         string    `json:"name,omitempty"`
	ContentType  string    `json:"contentType,omitempty"`
	Size         int64     `json:"size,omitempty"`
	IsInline     bool      `json:"isInline,omitempty"`
	LastModified time.Time `json:"lastModifiedDateTime,omitzero"`
	// ContentID names an inline attachment for cid: references in an
	// HTML body.
	ContentID       string `json:"contentId,omitempty"`
	ContentLocation string `json:"contentLocation,omitempty"`
	// ContentBytes is the content of a file attachment when Graph sent it
	// inline (base64 on the wire). Large content is better read with Open.
	ContentBytes []byte `json:"contentBytes,omitempty"`
	// Item is the attached message, event or contact of an item
	// attachment as Graph sends it (only with
	// $expand=microsoft.graph.itemattachment/item); see DecodeItem.
	Item map[string]any `json:"item,omitempty"`

	messageID string
}

// Kind is "file", "item" or "reference", from ODataType.
func (a *Attachment) Kind() string {
	t := strings.TrimPrefix(a.ODataType, "#")
	t = strings.TrimPrefix(t, "microsoft.graph.")
	return strings.TrimSuffix(t, "Attachment")
}

func (a *Attachment) bind(c api.Component, messageID string) {
	a.Component = c
	a.messageID = messageID
}

func (a *Attachment) url(suffix string) (string, error) {
	if a.ID == "" || a.messageID == "" {
		return "", errors.New("message: the attachment was not read from Graph (it has no id)")
	}
	return buildURL(&a.Component, "/messages/"+url.PathEscape(a.messageID)+"/attachments/"+url.PathEscape(a.ID)+suffix)
}

// Open streams the attachment's raw content (Graph's $value): the file's
// bytes, or the MIME form of an attached message. The caller closes it.
func (a *Attachment) Open(ctx context.Context) (io.ReadCloser, error) {
	u, err := a.url("/$value")
	if err != nil {
		return nil, err
	}
	resp, err := a.Con().Get(ctx, u, nil)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// Delete removes the attachment from its message.
func (a *Attachment) Delete(ctx context.Context) error {
	u, err := a.url("")
	if err != nil {
		return err
	}
	return a.Component.Delete(ctx, u)
}

// DecodeItem decodes the attached item of an item attachment into v,
// e.g. a *Message, or an event type of your own.
func (a *Attachment) DecodeItem(v any) error {
	if a.Item == nil {
		return errors.New("message: the attachment has no item (read it with $expand=microsoft.graph.itemattachment/item)")
	}
	data, err := api.Marshal(a.Item)
	if err != nil {
		return err
	}
	return api.Unmarshal(data, v)
}

// ListAttachments iterates over the attachments of the saved message.
func (m *Message) ListAttachments(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Attachment, error] {
	return func(yield func(*Attachment, error) bool) {
		u, err := m.url("/attachments")
		if err != nil {
			yield(nil, err)
			return
		}
		for a, err := range api.List[*Attachment](ctx, m.Con(), u, opts...) {
			if err != nil {
				yield(nil, err)
				return
			}
			a.bind(m.Component, m.ID)
			if !yield(a, nil) {
				return
			}
		}
	}
}

// Attachment reads one attachment of the saved message, with the options'
// query (e.g. Expand("microsoft.graph.itemattachment/item")).
func (m *Message) Attachment(ctx context.Context, id string, opts ...api.ListOption) (*Attachment, error) {
	u, err := m.url("/attachments/" + url.PathEscape(id))
	if err != nil {
		return nil, err
	}
	params := api.Params{}
	cfg := api.NewListConfig(opts...)
	if cfg.Query != nil {
		qp, err := cfg.Query.Params()
		if err != nil {
			return nil, err
		}
		for k, v := range qp {
			params[k] = v
		}
	}
	a := new(Attachment)
	if err := m.GetJSON(ctx, u, params, a); err != nil {
		return nil, err
	}
	a.bind(m.Component, m.ID)
	return a, nil
}

// File describes a file attachment to add with Attach.
type File struct {
	// Path is a file to attach; it is opened when the message is saved or
	// sent, and closed afterwards. Leave it empty to give Content instead.
	Path string
	// Content is read when the message is saved or sent; the caller keeps
	// ownership (it is not closed). An io.Seeker lets an interrupted
	// upload go back to what the session still expects.
	Content io.Reader
	// Size is the number of bytes of Content. It may be left zero when
	// Content can tell (a *bytes.Reader, *strings.Reader, *os.File or
	// other io.Seeker) or when Path is used.
	Size int64
	// Name is the file name recipients see; Path's base name by default.
	Name string
	// ContentType is the MIME type; guessed from Name when empty.
	ContentType string
	// ContentID makes the attachment inline: an HTML body shows it where
	// it says <img src="cid:ContentID">.
	ContentID string
	// Progress, when set, is called as the content uploads, with the
	// bytes sent so far and the total.
	Progress func(sent, total int64)
}

// queued is an attachment waiting for Save or Send.
type queued struct {
	file File
	item map[string]any
}

// Attach queues a file attachment, uploaded by the next Save or Send.
// Content of LargeAttachmentSize or more goes through an upload session in
// chunks of under 4 MB, read as it is sent, never held in memory whole;
// up to MaxAttachmentSize. Attach checks what it can without reading:
// the name, the size, that there is content.
func (m *Message) Attach(f File) error {
	src, err := filesource.Resolve(f.source())
	if err != nil {
		return fmt.Errorf("message: %w", err)
	}
	f.Size, f.Name, f.ContentType = src.Size, src.Name, src.ContentType
	if f.Size < 0 || f.Size > MaxAttachmentSize {
		return fmt.Errorf("message: attaching %q: %d bytes is more than the %d Outlook accepts", f.Name, f.Size, MaxAttachmentSize)
	}
	m.pending = append(m.pending, &queued{file: f})
	return nil
}

// AttachItem queues an item attachment: item is a message, event or
// contact in Graph's JSON shape (a *Message, a struct of your own, or a
// map) that Graph embeds in the message. Its "@odata.type" must say which
// ("#microsoft.graph.message", "#microsoft.graph.event", …); for a
// *Message it is filled in.
func (m *Message) AttachItem(name string, item any) error {
	if name == "" {
		return errors.New("message: AttachItem: no name")
	}
	data, err := api.Marshal(item)
	if err != nil {
		return fmt.Errorf("message: AttachItem %q: %w", name, err)
	}
	var obj map[string]any
	if err := api.Unmarshal(data, &obj); err != nil || obj == nil {
		return fmt.Errorf("message: AttachItem %q: the item is not a JSON object", name)
	}
	if _, ok := item.(*Message); ok {
		obj["@odata.type"] = "#microsoft.graph.message"
		for _, k := range []string{"id", "@odata.etag", "changeKey", "parentFolderId", "webLink"} {
			delete(obj, k)
		}
	}
	if t, _ := obj["@odata.type"].(string); t == "" {
		return fmt.Errorf("message: AttachItem %q: the item has no \"@odata.type\"", name)
	}
	m.pending = append(m.pending, &queued{item: obj, file: File{Name: name}})
	return nil
}

// uploadPending uploads the queued attachments in order. One that fails
// stays queued (with those after it), so Save or Send can be called again.
func (m *Message) uploadPending(ctx context.Context) error {
	for len(m.pending) > 0 {
		q := m.pending[0]
		a, err := m.upload(ctx, q)
		if err != nil {
			return fmt.Errorf("message: attaching %q to draft %s: %w", q.file.Name, m.ID, err)
		}
		m.pending = m.pending[1:]
		m.Attachments = append(m.Attachments, a)
		m.HasAttachments = m.HasAttachments || !a.IsInline
	}
	return nil
}

func (m *Message) upload(ctx context.Context, q *queued) (*Attachment, error) {
	base, err := m.url("/attachments")
	if err != nil {
		return nil, err
	}
	a := new(Attachment)
	if q.item != nil {
		body := map[string]any{"@odata.type": ItemAttachmentType, "name": q.file.Name, "item": q.item}
		if err := m.PostJSON(ctx, base, body, a); err != nil {
			return nil, err
		}
		a.bind(m.Component, m.ID)
		return a, nil
	}
	f := q.file
	r, closeFn, err := f.open()
	if err != nil {
		return nil, err
	}
	defer closeFn()
	if f.Size < LargeAttachmentSize {
		inline, err := f.inline(r)
		if err != nil {
			return nil, err
		}
		if err := m.PostJSON(ctx, base, inline, a); err != nil {
			return nil, err
		}
		if f.Progress != nil {
			f.Progress(f.Size, f.Size)
		}
		a.ContentBytes = nil
		a.bind(m.Component, m.ID)
		return a, nil
	}
	return m.uploadLarge(ctx, base, f, r)
}

// uploadLarge sends content through an attachment upload session: the
// session URL is the credential, so its requests carry no bearer token.
// A failed upload cancels the session, leaving nothing half-attached.
func (m *Message) uploadLarge(ctx context.Context, base string, f File, r io.Reader) (*Attachment, error) {
	item := map[string]any{
		"attachmentType": "file",
		"name":           f.Name,
		"size":           f.Size,
		"contentType":    f.ContentType,
	}
	if f.ContentID != "" {
		item["isInline"] = true
		item["contentId"] = f.ContentID
	}
	sess := new(api.UploadSession)
	if err := m.PostJSON(ctx, base+"/createUploadSession", map[string]any{"AttachmentItem": item}, sess); err != nil {
		return nil, err
	}
	up := api.Uploader{Con: m.Con(), Progress: f.Progress}
	resp, err := up.Upload(ctx, sess, r, f.Size)
	if err != nil {
		if ctx.Err() == nil {
			_ = up.Cancel(ctx, sess)
		}
		return nil, err
	}
	loc := resp.Header.Get("Location")
	_ = api.DecodeResponse(resp, nil)
	a := &Attachment{
		ODataType:   FileAttachmentType,
		ID:          idFromLocation(loc),
		Name:        f.Name,
		ContentType: f.ContentType,
		Size:        f.Size,
		IsInline:    f.ContentID != "",
		ContentID:   f.ContentID,
	}
	a.bind(m.Component, m.ID)
	return a, nil
}

// idFromLocation reads the attachment id from the Location of a finished
// upload: …/Attachments('id').
func idFromLocation(loc string) string {
	i := strings.LastIndex(loc, "Attachments('")
	if i < 0 {
		return ""
	}
	id := loc[i+len("Attachments('"):]
	id, _, _ = strings.Cut(id, "')")
	if un, err := url.PathUnescape(id); err == nil {
		id = un
	}
	return id
}

// source is f as filesource takes it.
func (f File) source() filesource.File {
	return filesource.File{Path: f.Path, Content: f.Content, Size: f.Size, Name: f.Name, ContentType: f.ContentType}
}

// open returns the content and how to release it.
func (f File) open() (io.Reader, func(), error) { return filesource.Open(f.Path, f.Content) }

// inline reads small content into an attachment sent in one request.
func (f File) inline(r io.Reader) (*Attachment, error) {
	data, err := filesource.ReadAll(r, f.Size)
	if err != nil {
		return nil, err
	}
	return &Attachment{
		ODataType:    FileAttachmentType,
		Name:         f.Name,
		ContentType:  f.ContentType,
		ContentBytes: data,
		IsInline:     f.ContentID != "",
		ContentID:    f.ContentID,
	}, nil
}
