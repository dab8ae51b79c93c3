package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// UploadSession is a resumable upload session, as Graph returns it from
// createUploadSession for drive items, mail attachments and To Do task
// attachments. A drive or mail session's URL is itself the credential:
// requests to it carry no bearer token. A To Do session's URL is a Graph
// resource that needs one (see Uploader.Authenticated).
type UploadSession struct {
	UploadURL          string    `json:"uploadUrl"`
	ExpirationDateTime time.Time `json:"expirationDateTime,omitzero"`
	NextExpectedRanges []string  `json:"nextExpectedRanges,omitempty"`
}

// DefaultChunkSize is the chunk an Uploader sends when none is set:
// 3.75 MiB, a multiple of 320 KiB (drive uploads need that) and under the
// 4 MB that mail attachment chunks must stay below.
const DefaultChunkSize = 12 * 320 << 10

// Uploader streams bytes to an upload session in chunks, holding one
// chunk in memory at a time, and resumes from the session's
// nextExpectedRanges when a chunk fails.
type Uploader struct {
	// Con sends the chunk requests (anonymously unless Authenticated:
	// see Anonymous).
	Con Requester
	// ChunkSize is the number of bytes per request (DefaultChunkSize when
	// zero). Callers with stricter rules (multiples of 320 KiB for drive
	// items) check them before uploading.
	ChunkSize int64
	// Retries is how many times a failed chunk is resent after asking the
	// session what it still expects (default 3; the connection's own
	// retries of throttled requests come on top). It also bounds how many
	// accepted chunks in a row may leave the session where it was before
	// the upload fails with ErrUploadStalled.
	Retries int
	// Progress, when set, is called after every accepted chunk with the
	// bytes the session holds and the total.
	Progress func(sent, total int64)
	// Authenticated sends the session's requests with the connection's
	// bearer token, which the connection still adds only for the Graph
	// host. To Do's attachment sessions live on Graph itself and refuse
	// requests without one; drive and mail sessions are pre-authenticated
	// URLs that must never get one, so the zero value sends none.
	Authenticated bool
	// ChunkPath is appended to the session URL for the chunk PUTs only:
	// To Do's sessions take their bytes at {uploadUrl}/content (the
	// session's content stream) and answer GET and DELETE at the URL
	// itself.
	ChunkPath string
}

// context marks ctx anonymous unless the session needs the token.
func (u *Uploader) context(ctx context.Context) context.Context {
	if u.Authenticated {
		return ctx
	}
	return Anonymous(ctx)
}

// UploadError reports the byte range an upload failed at; the session
// still holds what came before, so Upload can resume it.
type UploadError struct {
	Start, End int64 // inclusive byte range of the failed chunk
	Err        error
}

// Error names the range and the cause.
func (e *UploadError) Error() string {
	return fmt.Sprintf("o365: upload failed at bytes %d-%d: %v", e.Start, e.End, e.Err)
}

// Unwrap returns the cause.
func (e *UploadError) Unwrap() error { return e.Err }

// ErrShortReader is the cause of an UploadError when the reader ends
// before the declared size.
var ErrShortReader = errors.New("the reader ended before the declared size")

// ErrUploadStalled is the cause of an UploadError when the session keeps
// accepting chunks without expecting anything past what it already had:
// a session that never advances would otherwise be fed for ever.
var ErrUploadStalled = errors.New("the upload session stopped advancing")

// Upload sends size bytes read from r to the session and returns the
// final response (its body is the created item, or empty with a Location
// header for mail attachments); the caller closes it.
//
// The upload starts at the first of the session's NextExpectedRanges (0
// for a new session), so a session resumed from another process needs
// only its URL, a Status call, and the same bytes: an io.Seeker r is
// positioned there, any other r has the bytes before it read and dropped.
// A chunk that fails is retried from what the session says it still
// expects. When the upload cannot go on, the error is an *UploadError
// naming the failed range, and the session keeps what it has.
func (u *Uploader) Upload(ctx context.Context, s *UploadSession, r io.Reader, size int64) (*http.Response, error) {
	if size <= 0 {
		return nil, fmt.Errorf("o365: upload size must be positive, got %d", size)
	}
	if s == nil || s.UploadURL == "" {
		return nil, errors.New("o365: upload session has no uploadUrl")
	}
	chunk := u.ChunkSize
	if chunk <= 0 {
		chunk = DefaultChunkSize
	}
	retries := u.Retries
	if retries == 0 {
		retries = 3
	}
	offset, err := nextStart(s.NextExpectedRanges)
	if err != nil {
		return nil, err
	}
	src := &positioned{r: r}
	buf := make([]byte, min(chunk, size))
	var held []byte // the bytes in buf that were read for the chunk at heldAt
	heldAt := int64(-1)
	failures := 0
	// A server may ask for a chunk again (it lost it); it may not do so
	// without end. stalls counts accepted chunks in a row that did not
	// move the session past the furthest offset it has asked for.
	furthest, stalls := offset, 0
	for {
		var data []byte
		if heldAt >= 0 && offset >= heldAt && offset < heldAt+int64(len(held)) {
			// Resending (part of) the chunk in hand, after a failure.
			data = held[offset-heldAt:]
		} else {
			data = buf[:min(chunk, size-offset)]
			if err := src.readAt(data, offset); err != nil {
				return nil, &UploadError{Start: offset, End: offset + int64(len(data)) - 1, Err: err}
			}
			held, heldAt = data, offset
		}
		n := int64(len(data))
		resp, err := u.put(ctx, s.UploadURL+u.ChunkPath, data, offset, size)
		if err == nil {
			failures = 0
			if finished(resp.StatusCode, offset+n == size) {
				u.progress(size, size)
				return resp, nil
			}
			var next sessionState
			if err := DecodeResponse(resp, &next); err != nil {
				return nil, &UploadError{Start: offset, End: offset + n - 1, Err: err}
			}
			next.applyTo(s)
			sent := offset
			if offset, err = u.advance(s, offset+n, size); err != nil {
				return nil, err
			}
			if offset > furthest {
				furthest, stalls = offset, 0
			} else if stalls++; stalls > retries {
				return nil, &UploadError{Start: sent, End: sent + n - 1,
					Err: fmt.Errorf("%w: %d accepted chunks in a row left it expecting byte %d", ErrUploadStalled, stalls, offset)}
			}
			continue
		}
		if ctx.Err() != nil || failures >= retries || !resumable(err) {
			return nil, &UploadError{Start: offset, End: offset + n - 1, Err: err}
		}
		failures++
		// The transport may still be reading the failed chunk's body
		// (net/http can close a request body after RoundTrip returns,
		// e.g. when the server answered before reading it all), so the
		// next chunk gets a buffer of its own.
		buf = make([]byte, len(buf))
		// Ask the session what it has; it may hold part of the chunk, or
		// all of it when only the answer was lost.
		if serr := u.Status(ctx, s); serr != nil {
			return nil, &UploadError{Start: offset, End: offset + n - 1, Err: errors.Join(err, serr)}
		}
		if len(s.NextExpectedRanges) == 0 {
			return nil, &UploadError{Start: offset, End: offset + n - 1,
				Err: fmt.Errorf("%w; the session expects nothing more but did not return the item", err)}
		}
		if offset, err = u.advance(s, offset, size); err != nil {
			return nil, err
		}
	}
}

// advance picks the next offset from the session's expectations, and
// reports progress. fallback is used when the session sent none.
func (u *Uploader) advance(s *UploadSession, fallback, size int64) (int64, error) {
	next := fallback
	if len(s.NextExpectedRanges) > 0 {
		var err error
		if next, err = nextStart(s.NextExpectedRanges); err != nil {
			return 0, err
		}
	}
	if next >= size {
		return 0, fmt.Errorf("o365: upload session expects byte %d of a %d-byte upload", next, size)
	}
	u.progress(next, size)
	return next, nil
}

func (u *Uploader) progress(sent, total int64) {
	if u.Progress != nil {
		u.Progress(sent, total)
	}
}

// resumable tells failures worth asking the session about (network
// errors, server errors, 416 for a range it already has) from those that
// will not get better (the session is gone, the request is refused).
func resumable(err error) bool {
	var ge *GraphError
	if !errors.As(err, &ge) {
		return true
	}
	if ge.waitRefused {
		return false // the server asked for a wait longer than the client allows
	}
	return ge.StatusCode >= 500 || ge.StatusCode == http.StatusRequestedRangeNotSatisfiable || ge.StatusCode == http.StatusConflict
}

func (u *Uploader) put(ctx context.Context, url string, data []byte, offset, size int64) (*http.Response, error) {
	req, err := http.NewRequestWithContext(u.context(ctx), http.MethodPut, url, bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("o365: upload URL: %w", err)
	}
	req.Header.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", offset, offset+int64(len(data))-1, size))
	req.Header.Set("Content-Type", "application/octet-stream")
	return u.Con.Do(req)
}

// Status refreshes s.NextExpectedRanges from the session (GET uploadUrl).
func (u *Uploader) Status(ctx context.Context, s *UploadSession) error {
	req, err := NewRequest(u.context(ctx), http.MethodGet, s.UploadURL, nil, nil)
	if err != nil {
		return err
	}
	resp, err := u.Con.Do(req)
	if err != nil {
		return err
	}
	var st sessionState
	if err := DecodeResponse(resp, &st); err != nil {
		return err
	}
	st.applyTo(s)
	return nil
}

// finished tells the answer to the final chunk from an intermediate one.
// Drive sessions answer intermediate chunks 202 and the last 200 or 201
// with the item; Outlook attachment sessions answer intermediate chunks
// 200 and the last 201 with an empty body and a Location.
func finished(status int, lastChunk bool) bool {
	return status == http.StatusCreated || (status != http.StatusAccepted && lastChunk)
}

// sessionState is a session's answer about what it still expects. Drive
// sessions spell the members in camel case; Outlook's attachment sessions
// (outlook.office.com/api/v2.0) in Pascal case.
type sessionState struct {
	ExpirationDateTime time.Time `json:"expirationDateTime"`
	NextExpectedRanges []string  `json:"nextExpectedRanges"`
	OutlookExpiration  time.Time `json:"ExpirationDateTime"`
	OutlookRanges      []string  `json:"NextExpectedRanges"`
}

func (st *sessionState) applyTo(s *UploadSession) {
	s.NextExpectedRanges = st.NextExpectedRanges
	if st.OutlookRanges != nil {
		s.NextExpectedRanges = st.OutlookRanges
	}
	for _, t := range []time.Time{st.ExpirationDateTime, st.OutlookExpiration} {
		if !t.IsZero() {
			s.ExpirationDateTime = t
		}
	}
}

// Cancel deletes the session and what it holds.
func (u *Uploader) Cancel(ctx context.Context, s *UploadSession) error {
	req, err := NewRequest(u.context(ctx), http.MethodDelete, s.UploadURL, nil, nil)
	if err != nil {
		return err
	}
	resp, err := u.Con.Do(req)
	if err != nil {
		return err
	}
	return DecodeResponse(resp, nil)
}

// nextStart reads the start of the first range ("12345-" or "0-999").
func nextStart(ranges []string) (int64, error) {
	if len(ranges) == 0 {
		return 0, nil
	}
	first, _, _ := strings.Cut(ranges[0], "-")
	n, err := strconv.ParseInt(strings.TrimSpace(first), 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("o365: upload session sent an unreadable range %q", ranges[0])
	}
	return n, nil
}

// positioned reads a stream at increasing offsets: it seeks when it can
// and otherwise drops the bytes in between. Going back is possible only
// with a seeker.
type positioned struct {
	r   io.Reader
	pos int64
}

func (p *positioned) readAt(buf []byte, offset int64) error {
	if offset != p.pos {
		switch seeker, ok := p.r.(io.Seeker); {
		case ok:
			if _, err := seeker.Seek(offset, io.SeekStart); err != nil {
				return fmt.Errorf("seeking the reader to byte %d: %w", offset, err)
			}
		case offset > p.pos:
			if _, err := io.CopyN(io.Discard, p.r, offset-p.pos); err != nil {
				return fmt.Errorf("skipping to byte %d: %w", offset, shortRead(err))
			}
		default:
			return fmt.Errorf("the session expects byte %d again, and the reader cannot go back from byte %d (pass an io.ReadSeeker)", offset, p.pos)
		}
		p.pos = offset
	}
	n, err := io.ReadFull(p.r, buf)
	p.pos += int64(n)
	if err != nil {
		return fmt.Errorf("reading bytes %d-%d: %w", offset, offset+int64(len(buf))-1, shortRead(err))
	}
	return nil
}

func shortRead(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return ErrShortReader
	}
	return err
}
