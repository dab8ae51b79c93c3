package graphtest

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// inflight counts Graph requests being served, per target user and in
// all, and remembers the peaks: the measure of a client's concurrency
// limits.
type inflight struct {
	mu        sync.Mutex
	now       map[string]int // by user id; "" for requests addressing no user
	peak      map[string]int
	total     int
	totalPeak int
}

func newInflight() *inflight {
	return &inflight{now: map[string]int{}, peak: map[string]int{}}
}

func (f *inflight) enter(user string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now[user]++
	f.peak[user] = max(f.peak[user], f.now[user])
	f.total++
	f.totalPeak = max(f.totalPeak, f.total)
}

func (f *inflight) leave(user string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now[user]--
	f.total--
}

// PeakInFlight is the largest number of Graph requests that addressed the
// data of user (a UPN or id: through /me as that user, or through
// /users/{id or upn}/…) while being served at the same time.
func (s *Server) PeakInFlight(user string) int {
	s.mu.Lock()
	u := s.userLocked(user)
	s.mu.Unlock()
	if u == nil {
		return 0
	}
	s.inflight.mu.Lock()
	defer s.inflight.mu.Unlock()
	return s.inflight.peak[u.ID]
}

// PeakInFlightTotal is the largest number of Graph requests served at the
// same time.
func (s *Server) PeakInFlightTotal() int {
	s.inflight.mu.Lock()
	defer s.inflight.mu.Unlock()
	return s.inflight.totalPeak
}

// targetUser resolves the user whose data r addresses: the caller for
// /me, the named user for /users/{id or upn}; "" otherwise.
func (s *Server) targetUser(r *http.Request, tok *accessToken) string {
	rest := strings.TrimPrefix(r.URL.Path, "/v1.0/")
	seg := strings.SplitN(rest, "/", 3)
	switch {
	case seg[0] == "me" && tok != nil:
		return tok.who.userID
	case seg[0] == "users" && len(seg) > 1:
		name, err := url.PathUnescape(seg[1])
		if err != nil {
			return ""
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if u := s.userLocked(name); u != nil {
			return u.ID
		}
	}
	return ""
}
