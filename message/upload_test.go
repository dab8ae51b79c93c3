package message_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/mailbox"
	"github.com/go-o365/o365/message"
	"github.com/stretchr/testify/require"
)

// pattern is n reproducible bytes, generated as they are read.
type pattern struct{ n, off int64 }

func (p *pattern) Read(b []byte) (int, error) {
	if p.off >= p.n {
		return 0, io.EOF
	}
	k := min(int64(len(b)), p.n-p.off)
	for i := range k {
		x := uint64(p.off + i)
		b[i] = byte(x*2654435761>>13) ^ byte(x)
	}
	p.off += k
	return int(k), nil
}

func patternSum(n int64) [32]byte {
	h := sha256.New()
	io.Copy(h, &pattern{n: n})
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

// failing reads like pattern and fails with err at byte at.
type failing struct {
	pattern
	at  int64
	err error
}

func (f *failing) Read(b []byte) (int, error) {
	if f.off >= f.at {
		return 0, f.err
	}
	if int64(len(b)) > f.at-f.off {
		b = b[:f.at-f.off]
	}
	return f.pattern.Read(b)
}

func TestLargeAttachmentGoesThroughAnUploadSession(t *testing.T) {
	e := o365test.NewMailTenant(t)
	ctx := context.Background()
	acct, w := o365test.MailSignInRecorded(t, e.Srv, adele)
	const size = 9<<20 + 12345 // three chunks

	msg := acct.NewMessage()
	msg.Subject = "Big file"
	require.NoError(t, msg.To.Add(alex))
	var progress []int64
	require.NoError(t, msg.Attach(message.File{
		Name:     "video.mp4",
		Content:  &pattern{n: size},
		Size:     size,
		Progress: func(sent, total int64) { require.EqualValues(t, size, total); progress = append(progress, sent) },
	}))
	require.NoError(t, msg.Send(ctx))

	var steps []string
	for _, r := range w.Take() {
		steps = append(steps, r.Method+" "+r.Path[strings.LastIndex(r.Path, "/")+1:])
		if strings.Contains(r.Path, "/api/v2.0/") {
			require.Empty(t, r.Header.Get("Authorization"), "upload-session requests carry no bearer token")
			if r.Method == "PUT" {
				require.Regexp(t, fmt.Sprintf(`^bytes \d+-\d+/%d$`, size), r.Header.Get("Content-Range"))
			}
		}
	}
	require.Equal(t, []string{
		"POST messages",
		"POST createUploadSession",
		"PUT AttachmentSessions('" + sessionID(t, e) + "')",
		"PUT AttachmentSessions('" + sessionID(t, e) + "')",
		"PUT AttachmentSessions('" + sessionID(t, e) + "')",
		"POST send",
	}, steps, "draft, upload, then send: never one oversized request")
	require.Equal(t, []int64{api.DefaultChunkSize, 2 * api.DefaultChunkSize, size}, progress)

	for _, r := range e.Srv.Requests() {
		if strings.Contains(r.Path, "/api/v2.0/") {
			require.Equal(t, 0, len(r.Header.Values("Authorization")))
		}
	}

	in := folderMessages(t, e.Alex.Mailbox(), mailbox.Inbox)
	require.Len(t, in, 1)
	require.True(t, in[0].HasAttachments)
	var got *message.Attachment
	for a, err := range in[0].ListAttachments(ctx) {
		require.NoError(t, err)
		got = a
	}
	require.Equal(t, "video.mp4", got.Name)
	require.Equal(t, "video/mp4", got.ContentType)
	require.EqualValues(t, size, got.Size)
	rc, err := got.Open(ctx)
	require.NoError(t, err)
	h := sha256.New()
	n, err := io.Copy(h, rc)
	rc.Close()
	require.NoError(t, err)
	require.EqualValues(t, size, n)
	require.Equal(t, patternSum(size), [32]byte(h.Sum(nil)))
	require.Empty(t, folderMessages(t, acct.Mailbox(), mailbox.Drafts), "the draft was sent")
}

// sessionID is the session id part of the upload URL the requests used.
func sessionID(t *testing.T, e *o365test.MailTenant) string {
	t.Helper()
	for _, r := range e.Srv.Requests() {
		if i := strings.Index(r.Path, "AttachmentSessions('"); i >= 0 {
			id := r.Path[i+len("AttachmentSessions('"):]
			return strings.TrimSuffix(id, "')")
		}
	}
	t.Fatal("no upload session request")
	return ""
}

func TestReaderFailingMidwaySendsNothing(t *testing.T) {
	e := o365test.NewMailTenant(t)
	ctx := context.Background()
	const size = 10 << 20
	boom := errors.New("disk read error")

	msg := e.Adele.NewMessage()
	msg.Subject = "Broken upload"
	require.NoError(t, msg.To.Add(alex))
	require.NoError(t, msg.Attach(message.File{Name: "backup.tar", Content: &failing{pattern: pattern{n: size}, at: 5 << 20, err: boom}, Size: size}))
	err := msg.Send(ctx)
	require.ErrorIs(t, err, boom)
	var ue *api.UploadError
	require.ErrorAs(t, err, &ue)
	require.EqualValues(t, api.DefaultChunkSize, ue.Start, "the second chunk failed")
	require.EqualValues(t, 2*api.DefaultChunkSize-1, ue.End)
	require.ErrorContains(t, err, `attaching "backup.tar" to draft`)
	require.ErrorContains(t, err, "bytes 3932160-7864319")

	require.Empty(t, folderMessages(t, e.Alex.Mailbox(), mailbox.Inbox), "nothing was sent")
	require.Empty(t, folderMessages(t, e.Adele.Mailbox(), mailbox.SentItems))
	drafts := folderMessages(t, e.Adele.Mailbox(), mailbox.Drafts)
	require.Len(t, drafts, 1, "the draft stays, for a retry")
	require.Equal(t, msg.ID, drafts[0].ID)
	require.False(t, drafts[0].HasAttachments, "no half attachment")

	cancelled := false
	for _, r := range e.Srv.Requests() {
		if r.Method == "DELETE" && strings.Contains(r.Path, "AttachmentSessions") {
			cancelled = true
		}
	}
	require.True(t, cancelled, "the session was cancelled")
}

func TestUploadResumesFromNextExpectedRanges(t *testing.T) {
	e := o365test.NewMailTenant(t)
	ctx := context.Background()
	const size = 8 << 20
	msg := e.Adele.NewMessage()
	msg.Subject = "Resumed"
	require.NoError(t, msg.To.Add(alex))
	injected := false
	require.NoError(t, msg.Attach(message.File{
		Name:    "data.bin",
		Content: &pattern{n: size},
		Size:    size,
		Progress: func(sent, total int64) {
			if !injected && sent > 0 && sent < total {
				injected = true
				e.Srv.FailNext(1, 500) // the next chunk fails on the server
			}
		},
	}))
	require.NoError(t, msg.Send(ctx))
	require.True(t, injected)

	var seq []string
	for _, r := range e.Srv.Requests() {
		if strings.Contains(r.Path, "AttachmentSessions") {
			seq = append(seq, fmt.Sprint(r.Method, " ", r.Status))
		}
	}
	require.Equal(t, []string{"PUT 200", "PUT 500", "GET 200", "PUT 200", "PUT 201"}, seq,
		"after the failure the uploader asks the session what it expects and goes on from there")

	in := folderMessages(t, e.Alex.Mailbox(), mailbox.Inbox)
	require.Len(t, in, 1)
	for a, err := range in[0].ListAttachments(ctx) {
		require.NoError(t, err)
		rc, err := a.Open(ctx)
		require.NoError(t, err)
		h := sha256.New()
		io.Copy(h, rc)
		rc.Close()
		require.Equal(t, patternSum(size), [32]byte(h.Sum(nil)))
	}
}
