package api_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"sync"
	"testing"

	"github.com/go-o365/o365/api"
)

// sessionServer is an upload session as Graph runs one: it takes chunks
// in order, checks Content-Range, answers 202 with nextExpectedRanges,
// then 201 with the item; GET reports the state. It refuses a bearer
// token, since the session URL is the credential.
type sessionServer struct {
	*httptest.Server
	mu       sync.Mutex
	size     int64
	got      bytes.Buffer
	puts     int
	failPut  map[int]int // put number -> status to fail with
	dropPut  map[int]bool
	partial  map[int]int64 // put number -> bytes kept before failing
	sawToken bool
}

var contentRange = regexp.MustCompile(`^bytes (\d+)-(\d+)/(\d+)$`)

func newSessionServer(t *testing.T, size int64) *sessionServer {
	s := &sessionServer{size: size, failPut: map[int]int{}, dropPut: map[int]bool{}, partial: map[int]int64{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *sessionServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.Header.Get("Authorization") != "" {
		s.sawToken = true
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if r.Method == http.MethodGet {
		fmt.Fprintf(w, `{"expirationDateTime":"2030-01-01T00:00:00Z","nextExpectedRanges":["%d-"]}`, s.got.Len())
		return
	}
	s.puts++
	body, _ := io.ReadAll(r.Body)
	m := contentRange.FindStringSubmatch(r.Header.Get("Content-Range"))
	if m == nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	start, _ := strconv.ParseInt(m[1], 10, 64)
	end, _ := strconv.ParseInt(m[2], 10, 64)
	total, _ := strconv.ParseInt(m[3], 10, 64)
	if total != s.size || end-start+1 != int64(len(body)) {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	if start != int64(s.got.Len()) {
		w.WriteHeader(http.StatusRequestedRangeNotSatisfiable)
		fmt.Fprint(w, `{"error":{"code":"invalidRange","message":"Uploaded fragment overlaps with existing data."}}`)
		return
	}
	if keep, ok := s.partial[s.puts]; ok {
		s.got.Write(body[:keep])
	}
	if s.dropPut[s.puts] {
		conn, _, _ := http.NewResponseController(w).Hijack()
		conn.Close()
		return
	}
	if status := s.failPut[s.puts]; status != 0 {
		w.WriteHeader(status)
		return
	}
	s.got.Write(body)
	if int64(s.got.Len()) == s.size {
		w.WriteHeader(http.StatusCreated)
		fmt.Fprint(w, `{"id":"item-1"}`)
		return
	}
	w.WriteHeader(http.StatusAccepted)
	fmt.Fprintf(w, `{"expirationDateTime":"2030-01-01T00:00:00Z","nextExpectedRanges":["%d-"]}`, s.got.Len())
}

// tokenRequester adds a bearer token unless the context is anonymous,
// as the real Connection does for the Graph host.
type tokenRequester struct{ *testRequester }

func (r tokenRequester) Do(req *http.Request) (*http.Response, error) {
	if !api.IsAnonymous(req.Context()) {
		req.Header.Set("Authorization", "Bearer secret")
	}
	return r.testRequester.Do(req)
}

func randomBytes(t *testing.T, n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

func upload(t *testing.T, s *sessionServer, u *api.Uploader, r io.Reader, sess *api.UploadSession) (*http.Response, error) {
	if u.Con == nil {
		u.Con = tokenRequester{newTestRequester(s.Server)}
	}
	if sess == nil {
		sess = &api.UploadSession{UploadURL: s.URL + "/upload?tempauth=abc"}
	}
	return u.Upload(context.Background(), sess, r, s.size)
}

func TestUploadInChunksWithoutToken(t *testing.T) {
	data := randomBytes(t, 1000)
	s := newSessionServer(t, int64(len(data)))
	var progress []int64
	u := &api.Uploader{ChunkSize: 300, Progress: func(sent, total int64) {
		if total != 1000 {
			t.Errorf("total %d", total)
		}
		progress = append(progress, sent)
	}}
	resp, err := upload(t, s, u, bytes.NewBuffer(data), nil)
	if err != nil {
		t.Fatal(err)
	}
	var item struct {
		ID string `json:"id"`
	}
	if err := api.DecodeResponse(resp, &item); err != nil || item.ID != "item-1" {
		t.Fatalf("final item %+v, %v", item, err)
	}
	if !bytes.Equal(s.got.Bytes(), data) {
		t.Fatal("the session holds different bytes")
	}
	if s.puts != 4 || s.sawToken {
		t.Fatalf("puts %d, token sent %v", s.puts, s.sawToken)
	}
	if fmt.Sprint(progress) != "[300 600 900 1000]" {
		t.Fatalf("progress %v", progress)
	}
}

// A chunk fails after the session kept part of it: the uploader asks the
// session where it stands and resends only the rest, from its buffer, even
// though the reader cannot seek.
func TestUploadResumesFromNextExpectedRanges(t *testing.T) {
	data := randomBytes(t, 1000)
	s := newSessionServer(t, int64(len(data)))
	s.partial[2] = 120
	s.dropPut[2] = true
	s.failPut[4] = http.StatusInternalServerError
	resp, err := upload(t, s, &api.Uploader{ChunkSize: 300}, io.MultiReader(bytes.NewReader(data)), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !bytes.Equal(s.got.Bytes(), data) {
		t.Fatal("the session holds different bytes")
	}
}

// A second process resumes a session given only its URL.
func TestUploadResumesAnotherProcessSession(t *testing.T) {
	data := randomBytes(t, 1000)
	s := newSessionServer(t, int64(len(data)))
	s.got.Write(data[:600]) // what the first process managed
	u := &api.Uploader{ChunkSize: 300, Con: tokenRequester{newTestRequester(s.Server)}}
	sess := &api.UploadSession{UploadURL: s.URL + "/upload"}
	if err := u.Status(context.Background(), sess); err != nil {
		t.Fatal(err)
	}
	if len(sess.NextExpectedRanges) != 1 || sess.NextExpectedRanges[0] != "600-" {
		t.Fatalf("status %v", sess.NextExpectedRanges)
	}
	for _, r := range []io.Reader{bytes.NewReader(data), io.MultiReader(bytes.NewReader(data))} {
		s.got.Truncate(600)
		sess.NextExpectedRanges = []string{"600-"}
		resp, err := u.Upload(context.Background(), sess, r, int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if !bytes.Equal(s.got.Bytes(), data) {
			t.Fatal("the session holds different bytes")
		}
	}
}

type brokenDisk struct {
	r     io.Reader
	after int
}

func (f *brokenDisk) Read(p []byte) (int, error) {
	if f.after <= 0 {
		return 0, errors.New("disk unplugged")
	}
	if len(p) > f.after {
		p = p[:f.after]
	}
	n, err := f.r.Read(p)
	f.after -= n
	return n, err
}

func TestUploadReportsTheFailedRange(t *testing.T) {
	data := randomBytes(t, 1000)
	s := newSessionServer(t, int64(len(data)))
	_, err := upload(t, s, &api.Uploader{ChunkSize: 300}, &brokenDisk{r: bytes.NewReader(data), after: 450}, nil)
	var ue *api.UploadError
	if !errors.As(err, &ue) || ue.Start != 300 || ue.End != 599 {
		t.Fatalf("error %v", err)
	}
	if want := "bytes 300-599"; !bytes.Contains([]byte(err.Error()), []byte(want)) || !bytes.Contains([]byte(err.Error()), []byte("disk unplugged")) {
		t.Fatalf("error %q does not name %q and its cause", err, want)
	}
	if s.got.Len() != 300 {
		t.Fatalf("session holds %d bytes", s.got.Len())
	}

	s2 := newSessionServer(t, int64(len(data)))
	_, err = upload(t, s2, &api.Uploader{ChunkSize: 300}, bytes.NewReader(data[:700]), nil)
	if !errors.Is(err, api.ErrShortReader) || !errors.As(err, &ue) || ue.Start != 600 {
		t.Fatalf("short reader: %v", err)
	}
}

func TestUploadGivesUpOnRefusal(t *testing.T) {
	data := randomBytes(t, 1000)
	s := newSessionServer(t, int64(len(data)))
	s.failPut[1] = http.StatusNotFound // the session is gone
	_, err := upload(t, s, &api.Uploader{ChunkSize: 300}, bytes.NewReader(data), nil)
	if !errors.Is(err, api.ErrNotFound) || s.puts != 1 {
		t.Fatalf("err %v after %d puts", err, s.puts)
	}

	s = newSessionServer(t, int64(len(data)))
	for i := 1; i <= 10; i++ {
		s.failPut[i] = http.StatusInternalServerError
	}
	_, err = upload(t, s, &api.Uploader{ChunkSize: 300, Retries: 2}, bytes.NewReader(data), nil)
	var ue *api.UploadError
	if !errors.As(err, &ue) || ue.Start != 0 || s.puts != 3 {
		t.Fatalf("err %v after %d puts", err, s.puts)
	}
}

func TestUploadBadArguments(t *testing.T) {
	u := &api.Uploader{}
	if _, err := u.Upload(context.Background(), &api.UploadSession{UploadURL: "http://x"}, bytes.NewReader(nil), 0); err == nil {
		t.Error("size 0 accepted")
	}
	if _, err := u.Upload(context.Background(), &api.UploadSession{}, bytes.NewReader([]byte("a")), 1); err == nil {
		t.Error("empty session accepted")
	}
	if _, err := u.Upload(context.Background(), &api.UploadSession{UploadURL: "http://x", NextExpectedRanges: []string{"abc-"}}, bytes.NewReader([]byte("a")), 1); err == nil {
		t.Error("unreadable range accepted")
	}
}

// A session that accepts every chunk but keeps asking for the same bytes
// (or for bytes it already had) would be fed for ever; the upload stops
// after Retries such chunks in a row, naming the range and the cause. A
// session that asks for a chunk again once, then goes on, is served.
func TestUploadStopsWhenTheSessionNeverAdvances(t *testing.T) {
	for _, tc := range []struct {
		name    string
		answer  func(put int, start int64) int64 // the next expected byte after a chunk at start
		stalled bool
		puts    int
	}{
		{"same range", func(_ int, start int64) int64 { return start }, true, 3},
		{"back to the start", func(_ int, start int64) int64 { return (start + 300) % 600 }, true, 4},
		{"one chunk asked again", func(put int, start int64) int64 {
			if put == 2 {
				return start
			}
			return start + 300
		}, false, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var puts int
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				puts++
				m := contentRange.FindStringSubmatch(r.Header.Get("Content-Range"))
				start, _ := strconv.ParseInt(m[1], 10, 64)
				end, _ := strconv.ParseInt(m[2], 10, 64)
				_, _ = io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", "application/json")
				if end == 999 && !tc.stalled {
					w.WriteHeader(http.StatusCreated)
					fmt.Fprint(w, `{"id":"item-1"}`)
					return
				}
				w.WriteHeader(http.StatusAccepted)
				fmt.Fprintf(w, `{"nextExpectedRanges":["%d-"]}`, tc.answer(puts, start))
			}))
			defer srv.Close()
			u := &api.Uploader{Con: newTestRequester(srv), ChunkSize: 300, Retries: 2}
			resp, err := u.Upload(context.Background(), &api.UploadSession{UploadURL: srv.URL + "/up"}, bytes.NewReader(randomBytes(t, 1000)), 1000)
			if tc.stalled {
				var ue *api.UploadError
				if !errors.Is(err, api.ErrUploadStalled) || !errors.As(err, &ue) {
					t.Fatalf("err %v", err)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
			}
			if puts != tc.puts {
				t.Fatalf("%d chunks sent, want %d", puts, tc.puts)
			}
		})
	}
}

// todoSession is an upload session as To Do runs one: a Graph resource
// that needs the bearer token on every request, takes chunks at
// {uploadUrl}/content (200 with Outlook's Pascal-case state, then 201
// with a Location), and answers GET and DELETE at the URL itself.
type todoSession struct {
	*httptest.Server
	mu        sync.Mutex
	size      int64
	got       bytes.Buffer
	puts      int
	failPut   int // put number to fail with 503
	untokened []string
	cancelled bool
}

func (s *todoSession) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer secret" {
		s.untokened = append(s.untokened, r.Method+" "+r.URL.Path)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/session":
		fmt.Fprintf(w, `{"id":"s1","expirationDateTime":"2030-01-01T00:00:00Z","nextExpectedRanges":["%d"]}`, s.got.Len())
	case r.Method == http.MethodDelete && r.URL.Path == "/session":
		s.cancelled = true
		w.WriteHeader(http.StatusNoContent)
	case r.Method == http.MethodPut && r.URL.Path == "/session/content":
		s.puts++
		body, _ := io.ReadAll(r.Body)
		if s.puts == s.failPut {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		m := contentRange.FindStringSubmatch(r.Header.Get("Content-Range"))
		if m == nil || m[1] != strconv.Itoa(s.got.Len()) {
			w.WriteHeader(http.StatusRequestedRangeNotSatisfiable)
			return
		}
		s.got.Write(body)
		if int64(s.got.Len()) == s.size {
			w.Header().Set("Location", s.URL+"/Attachments/a1")
			w.WriteHeader(http.StatusCreated)
			return
		}
		fmt.Fprintf(w, `{"ExpirationDateTime":"2030-01-01T00:00:00Z","NextExpectedRanges":["%d"]}`, s.got.Len())
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

// An Authenticated uploader sends the token with every request of a
// session that needs it, chunks to ChunkPath, and status and cancel to
// the session URL.
func TestUploadAuthenticatedToChunkPath(t *testing.T) {
	data := randomBytes(t, 1000)
	s := &todoSession{size: int64(len(data)), failPut: 2}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	u := &api.Uploader{Con: tokenRequester{newTestRequester(s.Server)}, ChunkSize: 400, Authenticated: true, ChunkPath: "/content"}
	sess := &api.UploadSession{UploadURL: s.URL + "/session"}
	resp, err := u.Upload(context.Background(), sess, bytes.NewReader(data), s.size)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("Location") != s.URL+"/Attachments/a1" {
		t.Fatalf("final answer %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if !bytes.Equal(s.got.Bytes(), data) {
		t.Fatal("the session holds different bytes")
	}
	if s.puts != 4 {
		t.Errorf("%d puts, want 3 chunks and the one that failed", s.puts)
	}
	if err := u.Cancel(context.Background(), sess); err != nil || !s.cancelled {
		t.Errorf("cancel: %v, cancelled %v", err, s.cancelled)
	}
	if len(s.untokened) > 0 {
		t.Errorf("requests without the token: %v", s.untokened)
	}

	// The zero value keeps the token away, even from the same host.
	s.got.Reset()
	s.puts, s.failPut = 0, 0
	anon := &api.Uploader{Con: u.Con, ChunkPath: "/content"}
	if _, err := anon.Upload(context.Background(), &api.UploadSession{UploadURL: s.URL + "/session"}, bytes.NewReader(data), s.size); err == nil {
		t.Fatal("an anonymous upload to a session that needs the token succeeded")
	}
	if len(s.untokened) != 1 || s.untokened[0] != "PUT /session/content" {
		t.Errorf("anonymous requests %v", s.untokened)
	}
}
