package wiretest

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// Recorder is the test's view of the HTTP traffic: used as an account's
// transport, it records every request the library sends (the bodies of
// JSON requests included) and lets a test act when a request goes out.
type Recorder struct {
	mu     sync.Mutex
	sent   []Sent
	onSend func(r *http.Request)
}

// Sent is one recorded request.
type Sent struct {
	Method, URL string
	Header      http.Header
	Body        string // JSON bodies only
}

// RoundTrip records r and sends it on through http.DefaultTransport.
func (w *Recorder) RoundTrip(r *http.Request) (*http.Response, error) {
	s := Sent{Method: r.Method, URL: r.URL.String(), Header: r.Header.Clone()}
	if r.Body != nil && strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		data, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(data))
		s.Body = string(data)
	}
	w.mu.Lock()
	w.sent = append(w.sent, s)
	hook := w.onSend
	w.mu.Unlock()
	if hook != nil {
		hook(r)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// Mark returns the number of requests so far, for Since.
func (w *Recorder) Mark() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.sent)
}

// Since returns the requests sent after mark.
func (w *Recorder) Since(mark int) []Sent {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]Sent(nil), w.sent[mark:]...)
}

// Hook has f called with every request before it goes out; nil stops.
func (w *Recorder) Hook(f func(r *http.Request)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.onSend = f
}

// LastBody is the JSON body of the last request whose URL contains part,
// failing t when there is none.
func (w *Recorder) LastBody(t testing.TB, part string) []byte {
	t.Helper()
	reqs := w.Since(0)
	for i := len(reqs) - 1; i >= 0; i-- {
		if strings.Contains(reqs[i].URL, part) && reqs[i].Body != "" {
			return []byte(reqs[i].Body)
		}
	}
	t.Fatalf("no request to %s", part)
	return nil
}
