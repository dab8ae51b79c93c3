package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// What a server may ask of a client, and no more. A server can ask for a
// wait (Retry-After on a 429 or 503, or on a long-running operation's
// monitor) and can send a body of any length; a broken or hostile one
// asks for years, or never stops sending. These bounds keep a call from
// hanging or exhausting memory on its word.

// DefaultMaxRetryWait is the longest server-requested wait slept before a
// retry, unless the Requester says otherwise (o365.WithMaxRetryWait).
// Microsoft's own retry handler caps it at 180 s.
const DefaultMaxRetryWait = 2 * time.Minute

// DefaultMaxResponseSize is the largest success body decoded, unless the
// Requester says otherwise (o365.WithMaxResponseSize). A page of 1000
// messages is about 4 MB; this is far beyond any real Graph answer.
const DefaultMaxResponseSize = 256 << 20

// ErrResponseTooLarge reports a success body longer than the size limit;
// nothing of it is returned.
var ErrResponseTooLarge = errors.New("o365: response body exceeds the size limit")

// MaxRetryWait is the longest server-requested wait con allows: its
// MaxRetryWait method's answer when it has one, else DefaultMaxRetryWait.
func MaxRetryWait(con Requester) time.Duration {
	if l, ok := con.(interface{ MaxRetryWait() time.Duration }); ok {
		return l.MaxRetryWait()
	}
	return DefaultMaxRetryWait
}

// RefuseWait marks e, the answer that asked for a wait, as a wait the
// client will not sleep: RetryAfter holds the requested wait, the message
// adds why (e.g. "longer than the 2m0s limit"), and e matches ErrThrottled
// whatever its status, so the caller can reschedule rather than be
// parked. It returns e.
func RefuseWait(e *GraphError, wait time.Duration, why string) *GraphError {
	e.RetryAfter = wait
	e.waitRefused = true
	note := fmt.Sprintf("the server asked to wait %v, %s", wait.Round(time.Millisecond), why)
	if e.Message == "" {
		e.Message = note
	} else {
		e.Message += " (" + note + ")"
	}
	return e
}

// WaitLimit says why a server-requested wait is not slept, or "" when it
// may be: it is longer than max, or would outlast ctx's deadline.
func WaitLimit(ctx context.Context, wait, max time.Duration) string {
	if wait > max {
		return fmt.Sprintf("longer than the %v limit (WithMaxRetryWait)", max)
	}
	if deadline, ok := ctx.Deadline(); ok && time.Now().Add(wait).After(deadline) {
		return "past the context's deadline"
	}
	return ""
}

// SizeLimited is a response body that says how much of it may be decoded.
// Connection bodies are; a Requester's own bodies need not be, and get
// DefaultMaxResponseSize.
type SizeLimited interface {
	MaxResponseSize() int64
}

// cappedReader reads at most limit bytes of r and fails with
// ErrResponseTooLarge past them.
type cappedReader struct {
	r     io.Reader
	left  int64
	limit int64
}

func capBody(body io.Reader) *cappedReader {
	limit := int64(DefaultMaxResponseSize)
	if l, ok := body.(SizeLimited); ok && l.MaxResponseSize() > 0 {
		limit = l.MaxResponseSize()
	}
	return &cappedReader{r: body, left: limit, limit: limit}
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		// One byte more tells a body of exactly the limit from a longer one.
		var one [1]byte
		n, err := c.r.Read(one[:])
		if n > 0 {
			return 0, fmt.Errorf("%w of %d bytes (WithMaxResponseSize)", ErrResponseTooLarge, c.limit)
		}
		return 0, err
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}
