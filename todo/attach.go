package todo

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

// Attachment size limits of To Do.
const (
	// LargeAttachmentSize is the size from which Attach sends a file
	// through an upload session instead of one request with the content
	// inline: Graph takes inline attachments under 3 MB only.
	LargeAttachmentSize = 3 << 20
	// MaxAttachmentSize is the largest file To Do attaches to a task.
	MaxAttachmentSize = 25 << 20
	// MaxChunkSize is the largest chunk an upload session takes in one
	// request.
	MaxChunkSize = 4 << 20
)

// AttachmentType is the @odata.type of a task's file attachment.
const AttachmentType = "#microsoft.graph.taskFileAttachment"

// Attachment is a file attached to a task (Graph's taskFileAttachment).
type Attachment struct {
	api.Component `json:"-"`

	ODataType            string    `json:"@odata.type,omitempty"`
	ID                   string    `json:"id,omitempty"`
	Name                 string    `json:"name,omitempty"`
	ContentType          string    `json:"contentType,omitempty"`
	Size                 int64     `json:"size,omitempty"`
	LastModifiedDateTime time.Time `json:"lastModifiedDateTime,omitzero"`
	// ContentBytes is the file's content (base64 on the wire) when the
	// attachment was read with Task.Attachment; listing leaves it out,
	// and Open streams it without holding it whole.
	ContentBytes []byte `json:"contentBytes,omitempty"`

	taskPath string
}

// File describes a file to attach to a task with Attach.
type File struct {
	// Path is a file to attach; it is opened by Attach and closed
	// afterwards. Leave it empty to give Content instead.
	Path string
	// Content is read by Attach; the caller keeps ownership (it is not
	// closed). An io.Seeker lets an interrupted upload go back to what the
	// session still expects.
	Content io.Reader
	// Size is the number of bytes of Content. It may be left zero when
	// Content can tell (a *bytes.Reader, *strings.Reader, *os.File or
	// other io.Seeker) or when Path is used.
	Size int64
	// Name is the name To Do shows; Path's base name by default.
	Name string
	// ContentType is the MIME type; guessed from Name when empty.
	ContentType string
	// ChunkSize is the number of bytes per request of an upload session
	// (api.DefaultChunkSize when zero, at most MaxChunkSize).
	ChunkSize int64
	// Progress, when set, is called as the content uploads, with the
	// bytes sent so far and the total.
	Progress func(sent, total int64)
}

// Attachments iterates over the task's attachments as Graph has them
// now, without their content (read one with Attachment, or Open it).
func (t *Task) Attachments(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Attachment, error] {
	if err := t.exists(); err != nil {
		return fail[*Attachment](err)
	}
	tp := taskPath(t.listID, t.ID)
	return func(yield func(*Attachment, error) bool) {
		for a, err := range api.List[*Attachment](ctx, t.Con(), t.BuildURL(tp+"/attachments"), opts...) {
			if err != nil {
				yield(nil, err)
				return
			}
			a.Component, a.taskPath = t.Component, tp
			if !yield(a, nil) {
				return
			}
		}
	}
}

// Attachment reads the attachment with the given id, its ContentBytes
// with it. An id Graph does not know gives an error matching
// api.ErrNotFound.
func (t *Task) Attachment(ctx context.Context, id string) (*Attachment, error) {
	if id == "" {
		return nil, errors.New("todo: Attachment: empty id")
	}
	if err := t.exists(); err != nil {
		return nil, err
	}
	tp := taskPath(t.listID, t.ID)
	a := new(Attachment)
	if err := t.GetJSON(ctx, t.BuildURL(tp+"/attachments/"+url.PathEscape(id)), nil, a); err != nil {
		return nil, err
	}
	a.Component, a.taskPath = t.Component, tp
	return a, nil
}

// Attach attaches a file to the task and returns the attachment as Graph
// made it (without ContentBytes). Content under LargeAttachmentSize goes
// in one request; larger content, up to MaxAttachmentSize, through an
// upload session in chunks of File.ChunkSize, read as it is sent and
// never held in memory whole. Attach checks the name, the size and that
// there is content before any request; a failed upload cancels its
// session, leaving nothing half-attached.
//
// Graph's upload sessions for tasks take delegated permissions only: an
// app-only account attaches files under LargeAttachmentSize alone.
func (t *Task) Attach(ctx context.Context, f File) (*Attachment, error) {
	f, err := f.check()
	if err != nil {
		return nil, err
	}
	if err := t.exists(); err != nil {
		return nil, err
	}
	r, closeFn, err := filesource.Open(f.Path, f.Content)
	if err != nil {
		return nil, fmt.Errorf("todo: attaching %q: %w", f.Name, err)
	}
	defer closeFn()
	tp := taskPath(t.listID, t.ID)
	var a *Attachment
	if f.Size < LargeAttachmentSize {
		a, err = t.attachInline(ctx, tp, f, r)
	} else {
		a, err = t.attachLarge(ctx, tp, f, r)
	}
	if err != nil {
		return nil, fmt.Errorf("todo: attaching %q: %w", f.Name, err)
	}
	a.Component, a.taskPath = t.Component, tp
	t.HasAttachments = true
	return a, nil
}

// check fills in what File leaves to defaults and refuses what Graph
// would, before anything is read or sent.
func (f File) check() (File, error) {
	src, err := filesource.Resolve(filesource.File{Path: f.Path, Content: f.Content, Size: f.Size, Name: f.Name, ContentType: f.ContentType})
	if err != nil {
		return f, fmt.Errorf("todo: %w", err)
	}
	f.Size, f.Name, f.ContentType = src.Size, src.Name, src.ContentType
	switch {
	case strings.TrimSpace(f.Name) == "":
		return f, errors.New("todo: attaching a File with no Name")
	case f.Size == 0:
		return f, fmt.Errorf("todo: attaching %q: the content is empty", f.Name)
	case f.Size < 0:
		return f, fmt.Errorf("todo: attaching %q: negative Size %d", f.Name, f.Size)
	case f.Size > MaxAttachmentSize:
		return f, fmt.Errorf("todo: attaching %q: %d bytes is more than the %d To Do accepts", f.Name, f.Size, MaxAttachmentSize)
	case f.ChunkSize < 0 || f.ChunkSize > MaxChunkSize:
		return f, fmt.Errorf("todo: attaching %q: ChunkSize %d is not between 1 and %d", f.Name, f.ChunkSize, MaxChunkSize)
	}
	return f, nil
}

// attachInline reads small content and sends it in one POST.
func (t *Task) attachInline(ctx context.Context, tp string, f File, r io.Reader) (*Attachment, error) {
	data, err := filesource.ReadAll(r, f.Size)
	if err != nil {
		return nil, err
	}
	body := &Attachment{ODataType: AttachmentType, Name: f.Name, ContentType: f.ContentType, Size: f.Size, ContentBytes: data}
	a := new(Attachment)
	if err := t.PostJSON(ctx, t.BuildURL(tp+"/attachments"), body, a); err != nil {
		return nil, err
	}
	if f.Progress != nil {
		f.Progress(f.Size, f.Size)
	}
	a.ContentBytes = nil
	return a, nil
}

// attachLarge sends content through an upload session. To Do's sessions
// are Graph resources, not pre-authenticated URLs: every request to one
// carries the bearer token, and chunks go to the session's content
// stream (concepts/todo-attachments.md).
func (t *Task) attachLarge(ctx context.Context, tp string, f File, r io.Reader) (*Attachment, error) {
	info := map[string]any{
		"attachmentType": "file",
		"name":           f.Name,
		"size":           f.Size,
		"contentType":    f.ContentType,
	}
	sess := new(api.UploadSession)
	if err := t.PostJSON(ctx, t.BuildURL(tp+"/attachments/createUploadSession"), map[string]any{"attachmentInfo": info}, sess); err != nil {
		return nil, err
	}
	if sess.UploadURL == "" {
		return nil, errors.New("createUploadSession answered without an uploadUrl")
	}
	up := api.Uploader{Con: t.Con(), ChunkSize: f.ChunkSize, Progress: f.Progress, Authenticated: true, ChunkPath: "/content"}
	resp, err := up.Upload(ctx, sess, r, f.Size)
	if err != nil {
		if ctx.Err() == nil {
			_ = up.Cancel(ctx, sess)
		}
		return nil, err
	}
	loc := resp.Header.Get("Location")
	_ = api.DecodeResponse(resp, nil)
	id := attachmentIDFrom(loc)
	if id == "" {
		return nil, fmt.Errorf("the upload finished without a Location naming the attachment (got %q)", loc)
	}
	return &Attachment{ODataType: AttachmentType, ID: id, Name: f.Name, ContentType: f.ContentType, Size: f.Size}, nil
}

// attachmentIDFrom reads the attachment id from the Location of a
// finished upload: …/Attachments/{id}, or Outlook's …/Attachments('id').
func attachmentIDFrom(loc string) string {
	u, err := url.Parse(loc)
	if err != nil {
		return ""
	}
	p := u.EscapedPath()
	i := strings.LastIndex(strings.ToLower(p), "/attachments")
	if i < 0 {
		return ""
	}
	rest := p[i+len("/attachments"):]
	switch {
	case strings.HasPrefix(rest, "('") && strings.HasSuffix(rest, "')"):
		rest = rest[2 : len(rest)-2]
	case strings.HasPrefix(rest, "/") && !strings.Contains(rest[1:], "/"):
		rest = rest[1:]
	default:
		return ""
	}
	id, err := url.PathUnescape(rest)
	if err != nil {
		return ""
	}
	return id
}

// Open streams the attachment's content (Graph's $value); the caller
// closes it.
func (a *Attachment) Open(ctx context.Context) (io.ReadCloser, error) {
	if err := a.exists(); err != nil {
		return nil, err
	}
	resp, err := a.Con().Get(ctx, a.BuildURL(a.path()+"/$value"), nil)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// Delete removes the attachment from its task.
func (a *Attachment) Delete(ctx context.Context) error {
	if err := a.exists(); err != nil {
		return err
	}
	return a.Component.Delete(ctx, a.BuildURL(a.path()))
}

func (a *Attachment) path() string {
	return a.taskPath + "/attachments/" + url.PathEscape(a.ID)
}

func (a *Attachment) exists() error {
	if a.Con() == nil || a.taskPath == "" {
		return errUnbound
	}
	if a.ID == "" {
		return ErrNotSaved
	}
	return nil
}
