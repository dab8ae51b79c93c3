package todo_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/internal/wiretest"
	"github.com/go-o365/o365/todo"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newTask creates a task in adele's default list.
func newTask(t *testing.T, srv *graphtest.Server) *todo.Task {
	t.Helper()
	list, err := signIn(t, srv, adele, "tasks_all").Tasks().DefaultList(context.Background())
	require.NoError(t, err)
	task := list.NewTask("File the expense report")
	require.NoError(t, task.Save(context.Background()))
	return task
}

func randomData(t *testing.T, n int) []byte {
	b := make([]byte, n)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return b
}

func readAll(t *testing.T, a *todo.Attachment) []byte {
	t.Helper()
	rc, err := a.Open(context.Background())
	require.NoError(t, err)
	defer rc.Close()
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	return b
}

// A small file goes in one request and comes back byte for byte, by
// Attachment (contentBytes) and by Open ($value).
func TestAttachSmallFile(t *testing.T) {
	ctx := context.Background()
	srv := emulator(t)
	task := newTask(t, srv)
	data := []byte("Q1 receipts: 3 taxis, 1 hotel.\n")

	var progress []int64
	a, err := task.Attach(ctx, todo.File{Content: bytes.NewReader(data), Name: "receipts.txt",
		Progress: func(sent, total int64) { progress = append(progress, sent, total) }})
	require.NoError(t, err)
	assert.NotEmpty(t, a.ID)
	assert.Equal(t, "receipts.txt", a.Name)
	assert.Equal(t, int64(len(data)), a.Size)
	assert.Equal(t, "text/plain; charset=utf-8", a.ContentType, "guessed from the name")
	assert.Equal(t, todo.AttachmentType, a.ODataType)
	assert.Nil(t, a.ContentBytes)
	assert.Equal(t, []int64{int64(len(data)), int64(len(data))}, progress)
	assert.True(t, task.HasAttachments)

	list, err := signIn(t, srv, adele, "tasks").Tasks().DefaultList(ctx)
	require.NoError(t, err)
	fresh, err := list.Task(ctx, task.ID)
	require.NoError(t, err)
	assert.True(t, fresh.HasAttachments, "Graph marks the task")

	all := o365test.Collect(t, fresh.Attachments(ctx))
	require.Len(t, all, 1)
	assert.Equal(t, a.ID, all[0].ID)
	assert.Nil(t, all[0].ContentBytes, "listing leaves the content out")
	got, err := fresh.Attachment(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, data, got.ContentBytes)
	assert.False(t, got.LastModifiedDateTime.IsZero())
	assert.Equal(t, data, readAll(t, all[0]))

	// A file by path takes its name from the path.
	path := filepath.Join(t.TempDir(), "scan.pdf")
	require.NoError(t, os.WriteFile(path, data, 0o600))
	pdf, err := task.Attach(ctx, todo.File{Path: path})
	require.NoError(t, err)
	assert.Equal(t, "scan.pdf", pdf.Name)
	assert.Equal(t, "application/pdf", pdf.ContentType)

	require.NoError(t, a.Delete(ctx))
	require.NoError(t, pdf.Delete(ctx))
	_, err = fresh.Attachment(ctx, a.ID)
	require.ErrorIs(t, err, api.ErrNotFound)
	assert.Empty(t, o365test.Collect(t, fresh.Attachments(ctx)))
	fresh, err = list.Task(ctx, task.ID)
	require.NoError(t, err)
	assert.False(t, fresh.HasAttachments, "no attachment is left")
}

// A large file goes through an upload session in chunks of the size
// asked, each with the bearer token (To Do's sessions are Graph
// resources), and comes back byte for byte.
func TestAttachLargeFileInChunks(t *testing.T) {
	ctx := context.Background()
	srv := emulator(t)
	task := newTask(t, srv)
	data := randomData(t, todo.LargeAttachmentSize+700_000)

	var progress []int64
	before := len(srv.Requests())
	// A reader that cannot seek, with its size given.
	a, err := task.Attach(ctx, todo.File{Content: io.MultiReader(bytes.NewReader(data)), Size: int64(len(data)),
		Name: "expenses.xlsx", ChunkSize: 1 << 20, Progress: func(sent, _ int64) { progress = append(progress, sent) }})
	require.NoError(t, err)
	assert.NotEmpty(t, a.ID)
	assert.Equal(t, int64(len(data)), a.Size)
	assert.Equal(t, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", a.ContentType)
	assert.Equal(t, []int64{1 << 20, 2 << 20, 3 << 20, int64(len(data))}, progress)

	var puts, sessions int
	for _, r := range srv.Requests()[before:] {
		switch {
		case r.Method == "POST" && strings.HasSuffix(r.Path, "/attachments/createUploadSession"):
			sessions++
		case r.Method == "PUT":
			puts++
			assert.Contains(t, r.Path, "/attachmentSessions/")
			assert.True(t, strings.HasSuffix(r.Path, "/content"), r.Path)
			assert.True(t, strings.HasPrefix(r.Header.Get("Authorization"), "Bearer "), "a To Do chunk carries the token")
			assert.LessOrEqual(t, r.Status, 201)
		}
	}
	assert.Equal(t, 1, sessions)
	assert.Equal(t, 4, puts, "1 MiB chunks of 3.7 MB")

	got, err := task.Attachment(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, "expenses.xlsx", got.Name)
	assert.Equal(t, data, got.ContentBytes)
	assert.Equal(t, data, readAll(t, a))
	require.NoError(t, a.Delete(ctx))
	assert.Empty(t, o365test.Collect(t, task.Attachments(ctx)))
}

// A chunk that fails is resent after asking the session, with the token,
// what it still expects.
func TestAttachLargeFileResumes(t *testing.T) {
	ctx := context.Background()
	srv := emulator(t)
	rec := new(wiretest.Recorder)
	list, err := o365test.SignIn(t, srv, adele, password, o365.WithScopes("tasks_all"), o365.WithHTTPClient(&http.Client{Transport: rec})).
		Tasks().DefaultList(ctx)
	require.NoError(t, err)
	task, err := list.CreateTask(ctx, &todo.Task{Title: "x"})
	require.NoError(t, err)
	data := randomData(t, todo.LargeAttachmentSize+10)
	puts := 0
	rec.Hook(func(r *http.Request) {
		if r.Method == http.MethodPut {
			if puts++; puts == 2 {
				srv.FailNext(1, http.StatusInternalServerError)
			}
		}
	})
	mark := rec.Mark()
	a, err := task.Attach(ctx, todo.File{Content: bytes.NewReader(data), Name: "a.bin", ChunkSize: 1 << 20})
	require.NoError(t, err)
	rec.Hook(nil)
	assert.Equal(t, 5, puts, "4 chunks and the failed one again")
	var statuses int
	for _, s := range rec.Since(mark) {
		if s.Method == http.MethodGet && strings.Contains(s.URL, "/attachmentSessions/") {
			statuses++
			assert.NotEmpty(t, s.Header.Get("Authorization"), "the status request carries the token")
		}
	}
	assert.Equal(t, 1, statuses)
	assert.Equal(t, data, readAll(t, a))
}

// failingReader fails after n bytes.
type failingReader struct {
	r io.Reader
	n int
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("disk on fire")
	}
	p = p[:min(len(p), f.n)]
	n, err := f.r.Read(p)
	f.n -= n
	return n, err
}

// An upload that cannot finish cancels its session and attaches nothing.
func TestAttachLargeFileFailureCancelsTheSession(t *testing.T) {
	ctx := context.Background()
	srv := emulator(t)
	task := newTask(t, srv)
	data := randomData(t, todo.LargeAttachmentSize)
	before := len(srv.Requests())
	_, err := task.Attach(ctx, todo.File{Content: &failingReader{bytes.NewReader(data), 2 << 20}, Size: int64(len(data)), Name: "a.bin", ChunkSize: 1 << 20})
	require.Error(t, err)
	assert.ErrorContains(t, err, "disk on fire")
	var ue *api.UploadError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, int64(2<<20), ue.Start)
	var cancelled bool
	for _, r := range srv.Requests()[before:] {
		if r.Method == "DELETE" && strings.Contains(r.Path, "/attachmentSessions/") {
			cancelled = r.Status == 204
		}
	}
	assert.True(t, cancelled, "the session was deleted")
	assert.Empty(t, o365test.Collect(t, task.Attachments(ctx)))
}

// Graph takes upload sessions for task attachments with delegated
// permissions only; an app-only account's large attachment is refused.
func TestAttachLargeFileAppOnly(t *testing.T) {
	ctx := context.Background()
	srv := emulator(t)
	td := o365test.SignInApp(t, srv).Tasks("users/" + adele)
	list, err := td.DefaultList(ctx)
	require.NoError(t, err)
	task := list.NewTask("x")
	require.NoError(t, task.Save(ctx))
	_, err = task.Attach(ctx, todo.File{Content: bytes.NewReader([]byte("small")), Name: "a.txt"})
	require.NoError(t, err, "small files attach in one request")
	_, err = task.Attach(ctx, todo.File{Content: bytes.NewReader(make([]byte, todo.LargeAttachmentSize)), Name: "b.bin"})
	require.ErrorIs(t, err, api.ErrForbidden)
}

// Input Graph would refuse is refused before any request.
func TestAttachBadInputBeforeRequest(t *testing.T) {
	ctx := context.Background()
	acct, requests := fakeGraph(t, answer(`{}`))
	list := &todo.List{Component: acct.Tasks().Component, ID: "L1"}
	task := list.NewTask("x")
	task.ID = "T1"
	dir := t.TempDir()

	for name, c := range map[string]struct {
		task *todo.Task
		file todo.File
		want string
	}{
		"no name":         {task, todo.File{Content: strings.NewReader("abc")}, "no Name"},
		"blank name":      {task, todo.File{Content: strings.NewReader("abc"), Name: "  "}, "no Name"},
		"no content":      {task, todo.File{Name: "a.txt"}, "neither Path nor Content"},
		"empty content":   {task, todo.File{Content: strings.NewReader(""), Name: "a.txt"}, "empty"},
		"unknown size":    {task, todo.File{Content: io.MultiReader(strings.NewReader("abc")), Name: "a.txt"}, "cannot tell"},
		"negative size":   {task, todo.File{Content: strings.NewReader("abc"), Size: -1, Name: "a.txt"}, "negative"},
		"too large":       {task, todo.File{Content: strings.NewReader("abc"), Size: todo.MaxAttachmentSize + 1, Name: "a.bin"}, "more than"},
		"chunk too large": {task, todo.File{Content: strings.NewReader("abc"), Name: "a.txt", ChunkSize: todo.MaxChunkSize + 1}, "ChunkSize"},
		"negative chunk":  {task, todo.File{Content: strings.NewReader("abc"), Name: "a.txt", ChunkSize: -5}, "ChunkSize"},
		"missing path":    {task, todo.File{Path: filepath.Join(dir, "nope.txt")}, "nope.txt"},
		"directory":       {task, todo.File{Path: dir}, "directory"},
		"short content":   {task, todo.File{Content: io.MultiReader(strings.NewReader("abc")), Size: 10, Name: "a.txt"}, "3 bytes"},
		"long content":    {task, todo.File{Content: io.MultiReader(strings.NewReader("abcdef")), Size: 2, Name: "a.txt"}, "more than 2"},
		"unsaved task":    {list.NewTask("y"), todo.File{Content: strings.NewReader("abc"), Name: "a.txt"}, "not saved"},
		"hand-made task":  {&todo.Task{ID: "T1"}, todo.File{Content: strings.NewReader("abc"), Name: "a.txt"}, "no connection"},
	} {
		_, err := c.task.Attach(ctx, c.file)
		require.Error(t, err, name)
		assert.ErrorContains(t, err, c.want, name)
	}
	unsaved := list.NewTask("y")
	_, err := unsaved.Attach(ctx, todo.File{Content: strings.NewReader("abc"), Name: "a.txt"})
	assert.ErrorIs(t, err, todo.ErrNotSaved)
	for name, f := range map[string]func() error{
		"empty attachment id": func() error { _, err := task.Attachment(ctx, ""); return err },
		"unsaved attachments": func() error {
			for _, err := range unsaved.Attachments(ctx) {
				return err
			}
			return nil
		},
		"unbound open":   func() error { _, err := (&todo.Attachment{ID: "A1"}).Open(ctx); return err },
		"unbound delete": func() error { return (&todo.Attachment{ID: "A1"}).Delete(ctx) },
	} {
		assert.Error(t, f(), name)
	}
	assert.Zero(t, requests.Load(), "no request was sent")
}
