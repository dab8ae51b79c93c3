package drive

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-o365/o365/api"
)

// Upload sizes, as Graph sets them.
const (
	// SimpleUploadMax is the largest file sent in one PUT; larger ones
	// go through an upload session.
	SimpleUploadMax = 4 << 20
	// ChunkUnit is what every chunk of an upload session must be a
	// multiple of: 320 KiB.
	ChunkUnit = 320 << 10
	// MaxChunkSize is the largest chunk Graph takes in one request: 60 MiB.
	MaxChunkSize = 192 * ChunkUnit
	// DefaultChunkSize is the chunk sent when UploadOptions sets none:
	// 10 MiB, the size Microsoft suggests for good connections.
	DefaultChunkSize = 32 * ChunkUnit
)

// UploadOptions shape an upload. The zero value (or nil) is fine.
type UploadOptions struct {
	// ChunkSize is the bytes per upload-session request: a positive
	// multiple of ChunkUnit up to MaxChunkSize, DefaultChunkSize when
	// zero. One chunk is held in memory at a time.
	ChunkSize int64
	// Conflict says what happens when the name is taken; the zero value
	// is ConflictReplace, as writing a file does.
	Conflict ConflictBehavior
	// Retries is how many times a failed chunk is resent after asking
	// the session what it holds (3 when zero).
	Retries int
	// Progress, when set, is called as bytes are accepted, with the
	// bytes the service holds and the total.
	Progress func(sent, total int64)
}

func (o *UploadOptions) check(op string) (UploadOptions, error) {
	var opts UploadOptions
	if o != nil {
		opts = *o
	}
	switch {
	case opts.ChunkSize == 0:
		opts.ChunkSize = DefaultChunkSize
	case opts.ChunkSize < 0 || opts.ChunkSize%ChunkUnit != 0:
		return opts, fmt.Errorf("o365: %s: chunk size %d is not a positive multiple of 320 KiB (%d bytes)", op, opts.ChunkSize, ChunkUnit)
	case opts.ChunkSize > MaxChunkSize:
		return opts, fmt.Errorf("o365: %s: chunk size %d is over Graph's limit of 60 MiB (%d bytes)", op, opts.ChunkSize, MaxChunkSize)
	}
	if opts.Retries < 0 {
		return opts, fmt.Errorf("o365: %s: negative retry count %d", op, opts.Retries)
	}
	if opts.Conflict == "" {
		opts.Conflict = ConflictReplace
	}
	return opts, opts.Conflict.check(op)
}

// UploadError reports an upload session that failed midway. The session
// keeps the bytes it accepted: resume it with Storage.ResumeUpload (in
// this process or another, given Session.UploadURL) or drop it with
// Storage.CancelUpload. It unwraps to the *api.UploadError naming the
// failed byte range.
type UploadError struct {
	Session *api.UploadSession
	Err     error
}

// Error says what failed; the session URL, a credential, is left out.
func (e *UploadError) Error() string { return e.Err.Error() + " (the upload session can be resumed)" }

// Unwrap returns the cause.
func (e *UploadError) Unwrap() error { return e.Err }

// Upload writes size bytes read from r to the file at name in this folder
// (a path such as "reports/q1.pdf" is created as needed) and returns the
// file. Files up to SimpleUploadMax go in one PUT; larger ones stream
// through an upload session in chunks, holding one chunk in memory.
//
// Bad options fail before any request. A reader that ends before size
// bytes fails with an error wrapping api.ErrShortReader. A session
// upload that cannot go on fails with an *UploadError holding the
// session, to resume or cancel.
func (i *DriveItem) Upload(ctx context.Context, name string, r io.Reader, size int64, opts *UploadOptions) (*DriveItem, error) {
	o, err := opts.check("Upload")
	if err != nil {
		return nil, err
	}
	if err := i.ready("Upload"); err != nil {
		return nil, err
	}
	p, err := escapePath(name)
	if err != nil {
		return nil, err
	}
	if err := checkSize("Upload", r, size); err != nil {
		return nil, err
	}
	target := ":/" + p + ":"
	if size <= SimpleUploadMax {
		return i.putContent(ctx, target, r, size, o)
	}
	s, err := i.createSession(ctx, target, map[string]any{
		"@microsoft.graph.conflictBehavior": string(o.Conflict),
	})
	if err != nil {
		return nil, err
	}
	return i.uploadTo(ctx, s, r, size, o)
}

// Overwrite replaces the content of this file with size bytes read from
// r (the previous content becomes a version) and refreshes the item.
// Sizes and errors are as for Upload.
func (i *DriveItem) Overwrite(ctx context.Context, r io.Reader, size int64, opts *UploadOptions) error {
	o, err := opts.check("Overwrite")
	if err != nil {
		return err
	}
	if err := i.ready("Overwrite"); err != nil {
		return err
	}
	if err := checkSize("Overwrite", r, size); err != nil {
		return err
	}
	var fresh *DriveItem
	if size <= SimpleUploadMax {
		fresh, err = i.putContent(ctx, "", r, size, o)
	} else {
		var s *api.UploadSession
		if s, err = i.createSession(ctx, "", nil); err == nil {
			fresh, err = i.uploadTo(ctx, s, r, size, o)
		}
	}
	if err != nil {
		return err
	}
	i.replace(fresh)
	return nil
}

// CreateUploadSession starts an upload session for the file at name in
// this folder, for callers that upload in steps: keep the session's
// UploadURL to resume later, even from another process, with
// Storage.ResumeUpload. The URL is a credential: store it as one.
func (i *DriveItem) CreateUploadSession(ctx context.Context, name string, opts *UploadOptions) (*api.UploadSession, error) {
	o, err := opts.check("CreateUploadSession")
	if err != nil {
		return nil, err
	}
	if err := i.ready("CreateUploadSession"); err != nil {
		return nil, err
	}
	p, err := escapePath(name)
	if err != nil {
		return nil, err
	}
	return i.createSession(ctx, ":/"+p+":", map[string]any{
		"@microsoft.graph.conflictBehavior": string(o.Conflict),
	})
}

// ResumeUpload continues an upload session with the same size bytes: it
// asks the session what it still expects, then sends the rest from r.
// An io.Seeker r is positioned there; any other r must start at byte 0
// and the bytes before are read and dropped. It returns the finished
// file.
func (s *Storage) ResumeUpload(ctx context.Context, session *api.UploadSession, r io.Reader, size int64, opts *UploadOptions) (*DriveItem, error) {
	o, err := opts.check("ResumeUpload")
	if err != nil {
		return nil, err
	}
	if session == nil || session.UploadURL == "" {
		return nil, errors.New("o365: ResumeUpload: the session has no upload URL")
	}
	if err := checkSize("ResumeUpload", r, size); err != nil {
		return nil, err
	}
	up := o.uploader(s.Con())
	if err := up.Status(ctx, session); err != nil {
		return nil, fmt.Errorf("o365: ResumeUpload: asking the session what it holds: %w", err)
	}
	if o.Progress != nil && len(session.NextExpectedRanges) > 0 {
		// Show where the upload picks up.
		first, _, _ := strings.Cut(session.NextExpectedRanges[0], "-")
		if held, err := strconv.ParseInt(first, 10, 64); err == nil && held > 0 {
			o.Progress(held, size)
		}
	}
	it := &DriveItem{Component: s.Component, drivePath: s.MainResource() + "/drive"}
	return it.uploadTo(ctx, session, r, size, o)
}

// CancelUpload deletes an upload session and the bytes it holds.
func (s *Storage) CancelUpload(ctx context.Context, session *api.UploadSession) error {
	if session == nil || session.UploadURL == "" {
		return errors.New("o365: CancelUpload: the session has no upload URL")
	}
	up := api.Uploader{Con: s.Con()}
	return up.Cancel(ctx, session)
}

func (o UploadOptions) uploader(con api.Requester) *api.Uploader {
	return &api.Uploader{Con: con, ChunkSize: o.ChunkSize, Retries: o.Retries, Progress: o.Progress}
}

func checkSize(op string, r io.Reader, size int64) error {
	if r == nil {
		return fmt.Errorf("o365: %s: the reader is nil", op)
	}
	if size < 0 {
		return fmt.Errorf("o365: %s: negative size %d", op, size)
	}
	return nil
}

// putContent uploads a small file in one PUT to the item (target "") or
// to a path below it (target ":/path:"). The bytes are read first, so a
// short reader fails before the request and retries can resend them.
func (i *DriveItem) putContent(ctx context.Context, target string, r io.Reader, size int64, o UploadOptions) (*DriveItem, error) {
	data := make([]byte, size)
	if n, err := io.ReadFull(r, data); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			err = api.ErrShortReader
		}
		return nil, fmt.Errorf("o365: upload: reading %d bytes (got %d): %w", size, n, err)
	}
	url := i.url(target + "/content")
	if target != "" {
		// A name below a folder may be taken; the item itself is simply
		// overwritten.
		var err error
		if url, err = api.AddParams(url, api.Params{"@microsoft.graph.conflictBehavior": string(o.Conflict)}); err != nil {
			return nil, err
		}
	}
	req, err := api.NewRequest(ctx, http.MethodPut, url, nil, data)
	if err != nil {
		return nil, err
	}
	it := new(DriveItem)
	if err := i.DoJSON(req, it); err != nil {
		return nil, err
	}
	if o.Progress != nil {
		o.Progress(size, size)
	}
	it.attach(i.Component, i.drivePath)
	return it, nil
}

// createSession starts an upload session for the item (target "") or a
// path below it; item holds the driveItemUploadableProperties to send.
func (i *DriveItem) createSession(ctx context.Context, target string, item map[string]any) (*api.UploadSession, error) {
	body := map[string]any{}
	if len(item) > 0 {
		body["item"] = item
	}
	s := new(api.UploadSession)
	if err := i.PostJSON(ctx, i.url(target+"/createUploadSession"), body, s); err != nil {
		return nil, err
	}
	if s.UploadURL == "" {
		return nil, errors.New("o365: createUploadSession answered without an uploadUrl")
	}
	return s, nil
}

// uploadTo sends the bytes to a session and decodes the file it makes.
func (i *DriveItem) uploadTo(ctx context.Context, s *api.UploadSession, r io.Reader, size int64, o UploadOptions) (*DriveItem, error) {
	if size == 0 {
		return nil, errors.New("o365: an upload session cannot take an empty file; upload it with one PUT")
	}
	resp, err := o.uploader(i.Con()).Upload(ctx, s, r, size)
	if err != nil {
		var ue *api.UploadError
		if errors.As(err, &ue) {
			return nil, &UploadError{Session: s, Err: err}
		}
		return nil, err
	}
	it := new(DriveItem)
	if err := api.DecodeResponse(resp, it); err != nil {
		return nil, err
	}
	it.attach(i.Component, i.drivePath)
	return it, nil
}
