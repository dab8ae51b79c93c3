package graphtest

// Microsoft To Do, Outlook master categories and mailbox settings: the
// per-user data that is neither mail nor calendar. One store holds the
// three (todo_*.go, categories.go, mailboxsettings.go), made on first use.
//
// Access rules, as Graph's permission pages give them:
//
//   - To Do: a delegated caller needs Tasks.Read (Tasks.ReadWrite to
//     write) and reaches only their own lists: To Do has no delegated
//     access to other users. App-only callers reach every user's.
//   - Master categories and mailbox settings: MailboxSettings.Read
//     (MailboxSettings.ReadWrite to write) for one's own mailbox; another
//     user's or a shared mailbox needs full access to it
//     (Server.GrantMailboxAccess) as well. App-only callers reach every
//     user's.
//   - Refusals are 403 ErrorAccessDenied; /me with an app-only token is
//     400, as everywhere.

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"sync"
	"time"
)

// personalStore is the Server's lazily made store of To Do, categories and
// mailbox settings; its zero value is ready.
type personalStore struct {
	once sync.Once
	data *personalData
}

type personalData struct {
	mu       sync.Mutex
	todo     map[string]*todoUser      // by user id
	cats     map[string][]*category    // by user id; seeded on first use
	settings map[string]map[string]any // by user id; seeded on first use
	seq      int64                     // change counter of To Do tasks: delta tokens
	epoch    int                       // bumped to expire To Do delta tokens
	// todoSessions are the To Do attachment upload sessions, by id.
	todoSessions map[string]*todoUploadSession
}

// personalData returns the store, making it on first use.
func (s *Server) personalData() *personalData {
	s.personal.once.Do(func() {
		s.personal.data = &personalData{
			todo:     map[string]*todoUser{},
			cats:     map[string][]*category{},
			settings: map[string]map[string]any{},

			todoSessions: map[string]*todoUploadSession{},
		}
	})
	return s.personal.data
}

// personalReq is a request resolved to the user it addresses.
type personalReq struct {
	owner  string // user id
	caller caller
	now    time.Time
}

// personalScopes are the delegated scopes of one area: read and write.
type personalScopes struct {
	read, write []string
	// viaMailbox lets a delegated caller reach another user's data when
	// they have full access to that user's mailbox.
	viaMailbox bool
}

var (
	todoScopes     = personalScopes{read: []string{"Tasks.Read", "Tasks.ReadWrite"}, write: []string{"Tasks.ReadWrite"}}
	settingsScopes = personalScopes{read: []string{"MailboxSettings.Read", "MailboxSettings.ReadWrite"},
		write: []string{"MailboxSettings.ReadWrite"}, viaMailbox: true}
)

// personalTarget resolves whose data r is about and checks the caller may
// read it (or write it), answering the error itself when not.
func (s *Server) personalTarget(w http.ResponseWriter, r *http.Request, write bool, sc personalScopes) (personalReq, bool) {
	c, who, ok := addressedUser(w, r, "uid")
	if !ok {
		return personalReq{}, false
	}
	s.mu.Lock()
	u := s.userLocked(who)
	now := s.now()
	s.mu.Unlock()
	if u == nil {
		writeGraphError(w, http.StatusNotFound, "ErrorInvalidUser", "The requested user '"+who+"' is invalid.")
		return personalReq{}, false
	}
	if !c.appOnly() {
		want := sc.read
		if write {
			want = sc.write
		}
		allowed := hasScope(c, want...) || hasScope(c, ".default")
		if allowed && u.ID != c.userID {
			allowed = false
			if sc.viaMailbox {
				s.mail.mu.Lock()
				allowed = s.mail.grants[grantKey{u.ID, c.userID}]&grantFullAccess != 0
				s.mail.mu.Unlock()
			}
		}
		if !allowed {
			accessDenied(w)
			return personalReq{}, false
		}
	}
	return personalReq{owner: u.ID, caller: c, now: now}, true
}

// personalID makes an id shaped like Exchange's: URL-safe base64 with
// padding, starting "AAMkA".
func personalID() string {
	b := make([]byte, 40)
	rand.Read(b)
	copy(b, "\x00\x03\x24\x00")
	return base64.URLEncoding.EncodeToString(b)
}

// bodyReadError is Graph's 400 RequestBodyRead.
func bodyReadError(w http.ResponseWriter, msg string) {
	writeGraphError(w, http.StatusBadRequest, "RequestBodyRead", msg)
}
