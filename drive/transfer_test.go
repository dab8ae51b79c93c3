package drive_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/drive"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/o365test"
)

const chunk = 3 * drive.ChunkUnit // 960 KiB: small chunks, several per test file

// storagePuts returns the Content-Range of every chunk PUT the storage
// host saw, and fails the test if any request there carried a token.
func storagePuts(t *testing.T, srv *graphtest.Server) []string {
	t.Helper()
	var ranges []string
	for _, r := range srv.StorageRequests() {
		if r.Header.Get("Authorization") != "" {
			t.Errorf("%s %s carried an Authorization header to the storage host", r.Method, r.Path)
		}
		if r.Method == http.MethodPut {
			ranges = append(ranges, r.Header.Get("Content-Range"))
		}
	}
	return ranges
}

func TestSmallUploadIsOnePut(t *testing.T) {
	e := newEnv(t)
	root := e.root(adele)
	data := randomBytes(drive.SimpleUploadMax, 1)
	var progress []int64
	mark := e.wire.Mark()
	f, err := root.Upload(e.ctx, "docs/small.bin", bytes.NewReader(data), int64(len(data)),
		&drive.UploadOptions{Progress: func(sent, total int64) { progress = append(progress, sent) }})
	if err != nil {
		t.Fatal(err)
	}
	reqs := e.wire.Since(mark)
	if len(reqs) != 1 || reqs[0].Method != "PUT" || !strings.Contains(reqs[0].URL, ":/docs/small.bin:/content") {
		t.Fatalf("a 4 MiB upload sent %+v", reqs)
	}
	if !strings.Contains(reqs[0].URL, "conflictBehavior=replace") {
		t.Errorf("the PUT does not say its conflict behaviour: %s", reqs[0].URL)
	}
	if f.Size != int64(len(data)) || f.File == nil || f.File.Hashes.QuickXorHash != drive.QuickXorHashString(data) {
		t.Fatalf("uploaded %+v", f)
	}
	if len(progress) != 1 || progress[0] != int64(len(data)) {
		t.Errorf("progress = %v", progress)
	}
	if !bytes.Equal(e.download(f, nil), data) {
		t.Fatal("downloaded content differs")
	}
	empty, err := root.Upload(e.ctx, "empty.txt", strings.NewReader(""), 0, nil)
	if err != nil || empty.Size != 0 {
		t.Fatalf("empty file: %+v, %v", empty, err)
	}
}

func TestLargeUploadStreamsInChunks(t *testing.T) {
	e := newEnv(t)
	root := e.root(adele)
	data := randomBytes(5*chunk+1234, 2) // six chunks, the last short
	var progress []int64
	f, err := root.Upload(e.ctx, "big.bin", bytes.NewReader(data), int64(len(data)), &drive.UploadOptions{
		ChunkSize: chunk,
		Progress:  func(sent, total int64) { progress = append(progress, sent) },
	})
	if err != nil {
		t.Fatal(err)
	}
	ranges := storagePuts(t, e.srv)
	if len(ranges) != 6 || ranges[0] != "bytes 0-983039/4916434" || ranges[5] != "bytes 4915200-4916433/4916434" {
		t.Fatalf("chunks = %v", ranges)
	}
	if f.Size != int64(len(data)) || f.File.Hashes.QuickXorHash != drive.QuickXorHashString(data) {
		t.Fatalf("uploaded %+v", f)
	}
	if progress[len(progress)-1] != int64(len(data)) {
		t.Errorf("progress ends at %d", progress[len(progress)-1])
	}
	for i := 1; i < len(progress); i++ {
		if progress[i] < progress[i-1] {
			t.Errorf("progress went back: %v", progress)
		}
	}
	stored, err := e.srv.FileContent(e.drive(adele).ID, "big.bin")
	if err != nil || !bytes.Equal(stored, data) {
		t.Fatalf("stored content differs (%v)", err)
	}
}

// failingReader ends with an error after n bytes, as a process that dies
// midway would stop reading.
type failingReader struct {
	r io.Reader
	n int64
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("disk unplugged")
	}
	if int64(len(p)) > f.n {
		p = p[:f.n]
	}
	n, err := f.r.Read(p)
	f.n -= int64(n)
	return n, err
}

// TestUploadInterruptedAndResumedElsewhere stops an upload midway, then
// resumes it from a new account (another process, knowing only the
// session URL) from what the session says it expects.
func TestUploadInterruptedAndResumedElsewhere(t *testing.T) {
	e := newEnv(t)
	root := e.root(adele)
	data := randomBytes(6*chunk+500, 3)
	opts := &drive.UploadOptions{ChunkSize: chunk}
	_, err := root.Upload(e.ctx, "video.mp4", &failingReader{r: bytes.NewReader(data), n: 2*chunk + 10}, int64(len(data)), opts)
	var ue *drive.UploadError
	if !errors.As(err, &ue) || ue.Session == nil || ue.Session.UploadURL == "" {
		t.Fatalf("interrupted upload: %v, want an *UploadError with the session", err)
	}
	var ae *api.UploadError
	if !errors.As(err, &ae) || ae.Start != 2*chunk || ae.End != 3*chunk-1 {
		t.Fatalf("the error names %+v, want the third chunk", ae)
	}
	if strings.Contains(err.Error(), ue.Session.UploadURL) {
		t.Error("the error text holds the session URL, a credential")
	}
	if _, err := e.drive(adele).ItemByPath(e.ctx, "video.mp4"); !errors.Is(err, o365.ErrNotFound) {
		t.Fatalf("a half-uploaded file is visible: %v", err)
	}
	before := len(storagePuts(t, e.srv))

	// Another process: a new account, the saved URL, the file reopened.
	other := e.signIn(adele)
	saved := &api.UploadSession{UploadURL: ue.Session.UploadURL}
	var progress []int64
	f, err := other.Storage().ResumeUpload(e.ctx, saved, bytes.NewReader(data), int64(len(data)),
		&drive.UploadOptions{ChunkSize: chunk, Progress: func(sent, _ int64) { progress = append(progress, sent) }})
	if err != nil {
		t.Fatal(err)
	}
	ranges := storagePuts(t, e.srv)[before:]
	if len(ranges) != 5 || !strings.HasPrefix(ranges[0], "bytes 1966080-") {
		t.Fatalf("resumed with %v, want the last five chunks from byte %d", ranges, 2*chunk)
	}
	if progress[0] != 2*chunk {
		t.Errorf("resumed progress starts at %d", progress[0])
	}
	if f.Name != "video.mp4" || f.File.Hashes.QuickXorHash != drive.QuickXorHashString(data) {
		t.Fatalf("resumed upload made %+v", f)
	}
	if got := e.download(f, nil); !bytes.Equal(got, data) {
		t.Fatal("downloaded content differs")
	}
}

// TestResumeWithPlainReader resumes from a reader that cannot seek: the
// bytes the session already holds are read and dropped.
func TestResumeWithPlainReader(t *testing.T) {
	e := newEnv(t)
	root := e.root(adele)
	data := randomBytes(5*chunk+7, 4)
	s, err := root.CreateUploadSession(e.ctx, "plain.bin", &drive.UploadOptions{ChunkSize: chunk})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.accounts[adele].Storage().ResumeUpload(e.ctx, s, &failingReader{r: bytes.NewReader(data), n: chunk}, int64(len(data)),
		&drive.UploadOptions{ChunkSize: chunk})
	if err == nil {
		t.Fatal("the failing reader did not fail the upload")
	}
	f, err := e.accounts[adele].Storage().ResumeUpload(e.ctx, s, io.MultiReader(bytes.NewReader(data)), int64(len(data)),
		&drive.UploadOptions{ChunkSize: chunk})
	if err != nil {
		t.Fatal(err)
	}
	if f.Size != int64(len(data)) || f.File.Hashes.QuickXorHash != drive.QuickXorHashString(data) {
		t.Fatalf("got %+v", f)
	}
}

func TestFailedChunkIsRetried(t *testing.T) {
	e := newEnv(t)
	root := e.root(adele)
	data := randomBytes(5*chunk, 5)
	for _, fault := range []graphtest.Fault{
		{Drop: true},                             // the connection retries it
		{Status: http.StatusInternalServerError}, // the uploader asks the session, then resends
	} {
		var puts atomic.Int32
		e.wire.Hook(func(r *http.Request) {
			if r.Method == http.MethodPut && puts.Add(1) == 2 {
				e.srv.InjectStorageFaults(1, fault)
			}
		})
		before := len(e.srv.StorageRequests())
		f, err := root.Upload(e.ctx, "retry.bin", bytes.NewReader(data), int64(len(data)), &drive.UploadOptions{ChunkSize: chunk})
		e.wire.Hook(nil)
		if err != nil {
			t.Fatalf("%+v: %v", fault, err)
		}
		if f.File.Hashes.QuickXorHash != drive.QuickXorHashString(data) {
			t.Fatalf("%+v: content differs after a retried chunk", fault)
		}
		var gets, sent int
		for _, r := range e.srv.StorageRequests()[before:] {
			switch {
			case r.Method == http.MethodGet && r.Path == "/uploadSession":
				gets++
			case r.Method == http.MethodPut:
				sent++
			}
		}
		if sent != 6 {
			t.Errorf("%+v: %d chunk requests, want 5 and one resent", fault, sent)
		}
		if fault.Status != 0 && gets != 1 {
			t.Errorf("%+v: the upload asked the session %d times before resending, want once", fault, gets)
		}
	}
}

func TestRangeNotSatisfiable(t *testing.T) {
	e := newEnv(t)
	root := e.root(adele)
	data := randomBytes(5*chunk, 6)

	// One 416: the uploader asks the session and goes on.
	e.srv.InjectStorageFaults(1, graphtest.Fault{Status: http.StatusRequestedRangeNotSatisfiable})
	if _, err := root.Upload(e.ctx, "a.bin", bytes.NewReader(data), int64(len(data)), &drive.UploadOptions{ChunkSize: chunk}); err != nil {
		t.Fatalf("one 416: %v", err)
	}

	// A session that keeps answering 416 fails with the range and the cause.
	s, err := root.CreateUploadSession(e.ctx, "b.bin", nil)
	if err != nil {
		t.Fatal(err)
	}
	e.srv.InjectStorageFaults(20, graphtest.Fault{Status: http.StatusRequestedRangeNotSatisfiable})
	_, err = e.accounts[adele].Storage().ResumeUpload(e.ctx, s, bytes.NewReader(data), int64(len(data)),
		&drive.UploadOptions{ChunkSize: chunk, Retries: 2})
	var ge *o365.GraphError
	if err == nil || !errors.As(err, &ge) || ge.StatusCode != http.StatusRequestedRangeNotSatisfiable {
		t.Fatalf("persistent 416: %v", err)
	}
	// The session's credential (its query string) stays out of the error.
	_, credential, _ := strings.Cut(s.UploadURL, "?")
	if credential == "" || strings.Contains(err.Error(), credential) {
		t.Fatalf("the error shows the session credential: %v", err)
	}
}

func TestUploadBadInputFailsBeforeAnyRequest(t *testing.T) {
	e := newEnv(t)
	root := e.root(adele)
	data := randomBytes(5<<20, 7)
	cases := map[string]*drive.UploadOptions{
		"not a multiple of 320 KiB": {ChunkSize: 1 << 20},
		"over 60 MiB":               {ChunkSize: 200 * drive.ChunkUnit},
		"negative":                  {ChunkSize: -drive.ChunkUnit},
		"conflict":                  {Conflict: "overwrite"},
	}
	for name, opts := range cases {
		mark := e.wire.Mark()
		_, err := root.Upload(e.ctx, "x.bin", bytes.NewReader(data), int64(len(data)), opts)
		if err == nil {
			t.Errorf("%s: no error", name)
		}
		if n := len(e.wire.Since(mark)); n != 0 {
			t.Errorf("%s: %d requests went out", name, n)
		}
	}
	_, err := root.Upload(e.ctx, "x.bin", bytes.NewReader(data), int64(len(data)), &drive.UploadOptions{ChunkSize: 1 << 20})
	if err == nil || !strings.Contains(err.Error(), "320 KiB") {
		t.Errorf("chunk size error %q does not say what is wrong", err)
	}

	// A reader shorter than declared: small files fail before sending.
	mark := e.wire.Mark()
	_, err = root.Upload(e.ctx, "short.txt", strings.NewReader("only this"), 100, nil)
	if !errors.Is(err, api.ErrShortReader) || len(e.wire.Since(mark)) != 0 {
		t.Errorf("short small file: %v", err)
	}
	// … large ones stop at the chunk the reader runs out in, and the
	// file is not made.
	_, err = root.Upload(e.ctx, "short.bin", bytes.NewReader(data[:chunk+10]), 5*chunk, &drive.UploadOptions{ChunkSize: chunk})
	var ae *api.UploadError
	if !errors.Is(err, api.ErrShortReader) || !errors.As(err, &ae) || ae.Start != chunk {
		t.Errorf("short large file: %v", err)
	}
	if _, err := e.drive(adele).ItemByPath(e.ctx, "short.bin"); !errors.Is(err, o365.ErrNotFound) {
		t.Errorf("a short upload made a file: %v", err)
	}
	if _, err := root.Upload(e.ctx, "n.txt", nil, 1, nil); err == nil {
		t.Error("a nil reader did not fail")
	}
	if _, err := root.Upload(e.ctx, "n.txt", strings.NewReader(""), -1, nil); err == nil {
		t.Error("a negative size did not fail")
	}
}

func TestUploadConflictsAndVersions(t *testing.T) {
	e := newEnv(t)
	root := e.root(adele)
	v1 := e.upload(root, "notes.txt", []byte("one"))
	if _, err := root.Upload(e.ctx, "notes.txt", strings.NewReader("two"), 3, &drive.UploadOptions{Conflict: drive.ConflictFail}); !errors.Is(err, o365.ErrConflict) {
		t.Fatalf("fail: %v", err)
	}
	renamed, err := root.Upload(e.ctx, "notes.txt", strings.NewReader("two"), 3, &drive.UploadOptions{Conflict: drive.ConflictRename})
	if err != nil || renamed.Name != "notes 1.txt" {
		t.Fatalf("rename: %+v, %v", renamed, err)
	}
	big := randomBytes(5*chunk, 8)
	if _, err := root.Upload(e.ctx, "notes.txt", bytes.NewReader(big), int64(len(big)), &drive.UploadOptions{ChunkSize: chunk, Conflict: drive.ConflictFail}); !errors.Is(err, o365.ErrConflict) {
		t.Fatalf("fail through a session: %v", err)
	}
	// Replacing (the default) makes versions.
	e.upload(root, "notes.txt", []byte("two"))
	if err := v1.Overwrite(e.ctx, bytes.NewReader(big), int64(len(big)), &drive.UploadOptions{ChunkSize: chunk}); err != nil {
		t.Fatal(err)
	}
	if v1.Size != int64(len(big)) {
		t.Errorf("Overwrite did not refresh the item: size %d", v1.Size)
	}
	versions := o365test.Collect(t, v1.Versions(e.ctx))
	if len(versions) != 3 || versions[0].ID != "3.0" || versions[2].ID != "1.0" || versions[2].Size != 3 {
		t.Fatalf("versions = %+v", versions)
	}
	var buf bytes.Buffer
	if _, err := versions[2].Download(e.ctx, &buf, nil); err != nil || buf.String() != "one" {
		t.Fatalf("version 1.0 = %q, %v", buf.String(), err)
	}
	if err := versions[1].Restore(e.ctx); err != nil {
		t.Fatal(err)
	}
	cur, err := e.drive(adele).Item(e.ctx, v1.ID)
	if err != nil || string(e.download(cur, nil)) != "two" {
		t.Fatalf("after restoring 2.0: %v", err)
	}
	if n := len(o365test.Collect(t, cur.Versions(e.ctx))); n != 4 {
		t.Errorf("restoring kept %d versions, want 4", n)
	}
}

func TestDownloadRangesAndConversion(t *testing.T) {
	e := newEnv(t)
	root := e.root(adele)
	data := randomBytes(3000, 9)
	f := e.upload(root, "report.docx", data)
	if got := e.download(f, &drive.DownloadOptions{Offset: 1000, Length: 24}); !bytes.Equal(got, data[1000:1024]) {
		t.Errorf("bytes 1000-1023 differ")
	}
	if got := e.download(f, &drive.DownloadOptions{Offset: 2990}); !bytes.Equal(got, data[2990:]) {
		t.Errorf("bytes from 2990 differ")
	}
	pdf := e.download(f, &drive.DownloadOptions{Format: "pdf"})
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.")) || !bytes.Contains(pdf, []byte("report.docx")) || !bytes.HasSuffix(pdf, []byte("%%EOF\n")) {
		t.Errorf("converted file is not the PDF: %.60q", pdf)
	}
	txt := e.upload(root, "plain.txt", []byte("text"))
	if _, err := txt.Download(e.ctx, io.Discard, &drive.DownloadOptions{Format: "pdf"}); err == nil {
		t.Error("converting a .txt to PDF did not fail")
	}
	if _, err := f.Download(e.ctx, io.Discard, &drive.DownloadOptions{Offset: -1}); err == nil {
		t.Error("a negative offset did not fail")
	}
	if _, err := root.Download(e.ctx, io.Discard, nil); err == nil {
		t.Error("downloading a folder did not fail")
	}
}

// TestDownloadNeverSendsTheBearerToStorage shows the storage host refuses
// a bearer token (so a leak would fail the download), and that the
// library's download, which follows Graph's redirect there, carries none.
func TestDownloadNeverSendsTheBearerToStorage(t *testing.T) {
	e := newEnv(t)
	f := e.upload(e.root(adele), "secret.txt", []byte("pre-authenticated"))
	if !strings.HasPrefix(f.DownloadURL, e.srv.StorageURL()) {
		t.Fatalf("download URL %q is not on the storage host", f.DownloadURL)
	}
	mark := e.wire.Mark()
	if got := e.download(f, nil); string(got) != "pre-authenticated" {
		t.Fatalf("downloaded %q", got)
	}
	reqs := e.wire.Since(mark)
	if len(reqs) != 2 || !strings.HasPrefix(reqs[1].URL, e.srv.StorageURL()) {
		t.Fatalf("download went %+v, want Graph then the storage host", reqs)
	}
	if reqs[0].Header.Get("Authorization") == "" {
		t.Error("the Graph request had no bearer token")
	}
	if reqs[1].Header.Get("Authorization") != "" {
		t.Error("the bearer token followed the redirect to the storage host")
	}
	storagePuts(t, e.srv)

	req, _ := http.NewRequest(http.MethodGet, f.DownloadURL, nil)
	req.Header.Set("Authorization", "Bearer leaked")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("storage answered %d to a bearer token, want 401", resp.StatusCode)
	}
}

func TestCopyWaitsForTheMonitor(t *testing.T) {
	e := newEnv(t)
	root := e.root(adele)
	src := e.folder(root, "Project")
	e.upload(src, "a.txt", []byte("a"))
	e.upload(src, "deep/b.txt", []byte("b"))
	dest := e.folder(root, "Backup")
	e.srv.SetCopyPolls(2)

	copied, err := src.Copy(e.ctx, dest, "Project (copy)")
	if err != nil {
		t.Fatal(err)
	}
	if copied.Name != "Project (copy)" || copied.ParentReference.ID != dest.ID || copied.Folder == nil || copied.Folder.ChildCount != 2 {
		t.Fatalf("copy = %+v", copied)
	}
	if b, err := copied.ItemByPath(e.ctx, "deep/b.txt"); err != nil || string(e.download(b, nil)) != "b" {
		t.Fatalf("copied tree: %v", err)
	}
	var polls int
	for _, r := range e.srv.StorageRequests() {
		if strings.HasPrefix(r.Path, "/monitor/") {
			polls++
		}
	}
	if polls != 3 {
		t.Errorf("the monitor was polled %d times, want 3 (two in progress, one done)", polls)
	}
	storagePuts(t, e.srv)

	// A copy beside itself, to another drive.
	e.srv.AddGroupDrive("team", "Team")
	gd, err := e.accounts[adele].Storage("groups/team").DefaultDrive(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	groot, err := gd.Root(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	f := e.upload(root, "memo.txt", []byte("memo"))
	other, err := f.Copy(e.ctx, groot, "")
	if err != nil || other.ParentReference.DriveID != gd.ID || string(e.download(other, nil)) != "memo" {
		t.Fatalf("copy to another drive: %+v, %v", other, err)
	}
	beside, err := f.Copy(e.ctx, nil, "memo 2.txt")
	if err != nil || beside.ParentReference.ID != root.ID {
		t.Fatalf("copy beside: %+v, %v", beside, err)
	}
}

func TestCopyFailureAndCancel(t *testing.T) {
	e := newEnv(t)
	root := e.root(adele)
	f := e.upload(root, "a.txt", []byte("a"))
	dest := e.folder(root, "dest")
	e.upload(dest, "a.txt", []byte("in the way"))
	_, err := f.Copy(e.ctx, dest, "")
	var oe *drive.OperationError
	if !errors.As(err, &oe) || oe.Status.Status != "failed" || oe.Status.Error.Code != "nameAlreadyExists" {
		t.Fatalf("copy onto a taken name: %v, want an *OperationError", err)
	}
	if !strings.Contains(err.Error(), `copy of "a.txt" failed: nameAlreadyExists`) {
		t.Errorf("error text %q", err)
	}

	// Cancelling the context ends the wait.
	e.srv.SetCopyPolls(1000)
	ctx, cancel := context.WithCancel(e.ctx)
	defer cancel()
	var polls atomic.Int32
	e.wire.Hook(func(r *http.Request) {
		if strings.Contains(r.URL.Path, "/monitor/") && polls.Add(1) == 2 {
			cancel()
		}
	})
	defer e.wire.Hook(nil)
	_, err = f.Copy(ctx, nil, "b.txt")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled copy: %v", err)
	}
}
