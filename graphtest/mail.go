package graphtest

// The mail emulator: per-user mailboxes with Outlook's well-known folders,
// messages with Microsoft's property set, sending between emulated users,
// attachments (inline, item, and large ones through upload sessions),
// MIME, delta, and the access rules of shared mailboxes.
//
// Messages are kept as JSON-shaped property maps (what a client would
// decode) so the OData engine filters and sorts them as Graph does. A
// message's map is never changed in place: an update builds a new map, so
// a handler can release the store lock and encode what it collected while
// other requests go on.

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

// mailStore holds every mailbox. Its lock is taken after s.mu when both
// are needed, never before.
type mailStore struct {
	mu       sync.Mutex
	boxes    map[string]*mbox              // by owner user id
	grants   map[grantKey]mailGrant        // who may use whose mailbox
	sessions map[string]*mailUploadSession // by the authtoken of the upload URL
	seq      int64                         // change counter: delta tokens and order of changes
	epoch    int                           // bumped to expire delta tokens
	dir      string                        // temporary directory of large content, made on first use
	pending  []notifyChange                // changes to publish once mu is released
}

// takeChanges hands over the changes noted under st.mu, dropping an
// "updated" that follows the creation of the same message in one request.
// st.mu must be held.
func (st *mailStore) takeChanges() []notifyChange {
	var out []notifyChange
	created := map[string]bool{}
	for _, c := range st.pending {
		if c.changeType == "updated" && created[c.id] {
			continue
		}
		created[c.id] = created[c.id] || c.changeType == "created"
		out = append(out, c)
	}
	st.pending = nil
	return out
}

// Subscriptions name mail folders by well-known name or id
// (me/mailFolders('Inbox')/messages); changes are published with ids.
func init() {
	folderResolvers["mailFolders"] = func(s *Server, userID, ref string) (string, bool) {
		s.mail.mu.Lock()
		defer s.mail.mu.Unlock()
		if b := s.mail.boxes[userID]; b != nil {
			if f := b.folder(ref); f != nil {
				return f.id, true
			}
		}
		return "", false
	}
}

func newMailStore() *mailStore {
	return &mailStore{
		boxes:    map[string]*mbox{},
		grants:   map[grantKey]mailGrant{},
		sessions: map[string]*mailUploadSession{},
	}
}

// close removes the large attachment content kept on disk.
func (st *mailStore) close() {
	st.mu.Lock()
	dir := st.dir
	st.dir = ""
	st.mu.Unlock()
	if dir != "" {
		os.RemoveAll(dir)
	}
}

type grantKey struct{ owner, delegate string } // user ids

// mailGrant is what a delegate may do with another user's mailbox.
type mailGrant int

const (
	// grantFullAccess: read and change the mailbox, and send as its owner.
	grantFullAccess mailGrant = 1 << iota
	// grantSendOnBehalf: send from one's own mailbox with from set to the
	// owner; the sender is the delegate.
	grantSendOnBehalf
)

// mailUser is who owns a mailbox or sends a request, as mail sees them.
type mailUser struct {
	id, upn, name, address string
}

func mailUserOf(u *User) mailUser {
	addr := u.Mail
	if addr == "" {
		addr = u.UserPrincipalName
	}
	return mailUser{id: u.ID, upn: u.UserPrincipalName, name: u.DisplayName, address: addr}
}

func (u mailUser) recipient() map[string]any {
	return recipientJSON(u.name, u.address)
}

// mbox is one user's mailbox.
type mbox struct {
	owner     mailUser
	folders   map[string]*mfolder // by id
	wellKnown map[string]string   // well-known name -> folder id
	messages  map[string]*mmsg    // by id
	removed   []mailTombstone     // for delta: messages that left a folder
	// removedFolders are deleted folders (folderID their parent), for
	// mailFolders/delta.
	removedFolders []mailTombstone
}

type mfolder struct {
	id, parentID, name string
	wellKnown          string
	hidden             bool
	seq                int64        // the change that last touched it, for delta
	counts             folderCounts // as the last mailFolders/delta saw them
}

// mmsg is one message. props is its default property set, replaced (never
// changed) on update; the properties Graph returns only when asked are kept
// beside it.
type mmsg struct {
	id          string
	folderID    string
	props       map[string]any
	received    time.Time
	headers     []any // internetMessageHeaders
	extended    []any // singleValueExtendedProperties
	attachments []*mattach
	seq         int64 // last change
}

type mailTombstone struct {
	id, folderID string
	seq          int64
}

// mailWellKnownFolders are created in every mailbox, with Outlook's names.
var mailWellKnownFolders = []struct{ name, display string }{
	{"inbox", "Inbox"},
	{"drafts", "Drafts"},
	{"sentitems", "Sent Items"},
	{"deleteditems", "Deleted Items"},
	{"junkemail", "Junk Email"},
	{"outbox", "Outbox"},
	{"archive", "Archive"},
	{"clutter", "Clutter"},
}

const mailRootFolder = "msgfolderroot"

func newMbox(owner mailUser) *mbox {
	b := &mbox{owner: owner, folders: map[string]*mfolder{}, wellKnown: map[string]string{}, messages: map[string]*mmsg{}}
	root := &mfolder{id: newMailFolderID(), name: "Top of Information Store", wellKnown: mailRootFolder}
	b.folders[root.id] = root
	b.wellKnown[mailRootFolder] = root.id
	for _, wk := range mailWellKnownFolders {
		f := &mfolder{id: newMailFolderID(), parentID: root.id, name: wk.display, wellKnown: wk.name}
		b.folders[f.id] = f
		b.wellKnown[wk.name] = f.id
	}
	return b
}

// folder resolves a folder id or well-known name (any case).
func (b *mbox) folder(idOrName string) *mfolder {
	if f := b.folders[idOrName]; f != nil {
		return f
	}
	if id, ok := b.wellKnown[strings.ToLower(idOrName)]; ok {
		return b.folders[id]
	}
	return nil
}

func (b *mbox) inbox() *mfolder { return b.folders[b.wellKnown["inbox"]] }

// ---- ids ----

func mailRandomBase64(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.URLEncoding.EncodeToString(b)
}

// mailRandomBinary makes an Edm.Binary value: standard base64, as Graph
// sends binary properties (clients decode them with the standard alphabet).
func mailRandomBinary(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// Exchange ids are long base64 strings; these have Graph's look, '-', '_'
// and '=' included, so clients that do not escape them show it.
func newMailMessageID() string    { return "AAMkA" + mailRandomBase64(32) }
func newMailFolderID() string     { return "AQMkA" + mailRandomBase64(16) }
func newMailAttachmentID() string { return "AAMkA" + mailRandomBase64(24) + "BEgAQ" }
func newMailChangeKey() string    { return "CQAAABYAAA" + mailRandomBase64(15) }

// looksLikeMailID tells an id of ours from text that is no id at all, which
// Graph refuses as malformed rather than not found.
func looksLikeMailID(s string) bool {
	return (strings.HasPrefix(s, "AAMkA") || strings.HasPrefix(s, "AQMkA")) && len(s) > 20 && !strings.ContainsAny(s, "/?# ")
}

// ---- access ----

// mailNeed is what a request does with a mailbox, for scope checks.
type mailNeed int

const (
	needRead mailNeed = iota
	needWrite
	needSend
)

// mailReq is a request's view of the store: the mailbox it addresses, who
// asks, and (for requests that deliver or name recipients) the directory.
type mailReq struct {
	st     *mailStore
	owner  mailUser // whose mailbox the request addresses
	box    *mbox
	caller mailUser // zero for app-only callers
	app    bool
	dir    map[string]mailUser // by lower-case address and UPN
	now    time.Time
	r      *http.Request
}

// mailReply writes a response once the store lock is released.
type mailReply func(w http.ResponseWriter)

func mailError(status int, code, msg string) mailReply {
	return func(w http.ResponseWriter) { writeGraphError(w, status, code, msg) }
}

// Graph's errors for mail.
var (
	errAccessDenied  mailReply = accessDenied
	errItemNotFound  mailReply = itemNotFound
	errIDMalformed             = mailError(http.StatusBadRequest, "ErrorInvalidIdMalformed", "Id is malformed.")
	errMailTooLarge            = mailError(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "The maximum request length supported is 4MB.")
	errInvalidBase64           = mailError(http.StatusBadRequest, "ErrorMimeContentInvalidBase64String", "Invalid base64 string for MIME content.")
)

// mailNotFound is Graph's answer for an id that names nothing.
func mailNotFound(id string) mailReply {
	if looksLikeMailID(id) {
		return errItemNotFound
	}
	return errIDMalformed
}

// maxMailRequest is the largest request body Graph takes.
const maxMailRequest = 4 << 20

// inMailbox resolves and authorises the mailbox r addresses, then runs fn
// under the store lock and writes fn's mailReply after releasing it.
func (s *Server) inMailbox(w http.ResponseWriter, r *http.Request, need mailNeed, fn func(x *mailReq) mailReply) {
	x, rep := s.openMailbox(r, need)
	if rep != nil {
		rep(w)
		return
	}
	st := s.mail
	st.mu.Lock()
	b := st.box(x.owner)
	x.box = b
	if !x.app && x.caller.id != b.owner.id && st.grants[grantKey{b.owner.id, x.caller.id}]&grantFullAccess == 0 {
		st.mu.Unlock()
		errAccessDenied(w)
		return
	}
	if rep = x.childOfParent(); rep == nil {
		rep = fn(x)
	}
	changes := st.takeChanges()
	st.mu.Unlock()
	s.publishChanges(changes)
	if pref := bodyPreference(r); pref != "" {
		w.Header().Set("Preference-Applied", `outlook.body-content-type="`+pref+`"`)
	}
	rep(w)
}

// inMailboxBody reads r's JSON body, then serves r as inMailbox does,
// handing fn the body too.
func (s *Server) inMailboxBody(w http.ResponseWriter, r *http.Request, need mailNeed, fn func(x *mailReq, body map[string]any) mailReply) {
	body, rep := readMailBody(r)
	if rep != nil {
		rep(w)
		return
	}
	s.inMailbox(w, r, need, func(x *mailReq) mailReply { return fn(x, body) })
}

// mailEntity answers item with status and the @odata.context of an
// entity of entitySet.
func (s *Server) mailEntity(status int, item map[string]any, entitySet string) mailReply {
	return func(w http.ResponseWriter) { s.writeEntity(w, status, item, entitySet) }
}

// openMailbox resolves the target user and checks the token's scopes. It
// takes s.mu only; the mailbox itself is found under the store lock.
func (s *Server) openMailbox(r *http.Request, need mailNeed) (*mailReq, mailReply) {
	c := callerOf(r)
	x := &mailReq{st: s.mail, app: c.appOnly(), r: r}
	name := r.PathValue("user")
	s.mu.Lock()
	x.now = s.now()
	var target *User
	if name == "" {
		if x.app {
			s.mu.Unlock()
			return nil, mailError(http.StatusBadRequest, "BadRequest", "/me request is only valid with delegated authentication flow.")
		}
		target = s.userLocked(c.userID)
	} else {
		target = s.userLocked(name)
	}
	if target == nil {
		s.mu.Unlock()
		return nil, mailError(http.StatusNotFound, "ErrorInvalidUser", "The requested user '"+name+"' is invalid.")
	}
	if !x.app {
		if u := s.userLocked(c.userID); u != nil {
			x.caller = mailUserOf(u)
		}
	}
	if need != needRead || r.Method != http.MethodGet {
		x.dir = map[string]mailUser{}
		for _, u := range s.users {
			mu := mailUserOf(u)
			x.dir[strings.ToLower(mu.address)] = mu
			x.dir[strings.ToLower(u.UserPrincipalName)] = mu
		}
	}
	s.mu.Unlock()
	if !x.app && !hasMailScope(c.scopes, need, target.ID != c.userID) {
		return nil, errAccessDenied
	}
	x.owner = mailUserOf(target)
	return x, nil
}

// box returns owner's mailbox, made on first use; st.mu is held.
func (st *mailStore) box(owner mailUser) *mbox {
	b := st.boxes[owner.id]
	if b == nil {
		b = newMbox(owner)
		for _, f := range b.folders {
			f.seq = st.next()
		}
		st.boxes[owner.id] = b
	}
	return b
}

// hasMailScope checks a delegated token's scopes for need; another user's
// mailbox needs the .Shared form.
func hasMailScope(scopes []string, need mailNeed, other bool) bool {
	var want []string
	switch need {
	case needRead:
		want = []string{"mail.read", "mail.readbasic", "mail.readwrite"}
	case needWrite:
		want = []string{"mail.readwrite"}
	case needSend:
		want = []string{"mail.send"}
	}
	for _, sc := range scopes {
		sc = strings.ToLower(sc)
		sc = strings.TrimPrefix(sc, "https://graph.microsoft.com/")
		if sc == ".default" {
			return true
		}
		shared := strings.HasSuffix(sc, ".shared")
		sc = strings.TrimSuffix(sc, ".shared")
		if slices.Contains(want, sc) && (shared || !other) {
			return true
		}
	}
	return false
}

// ---- public helpers ----

// GrantMailboxAccess gives delegate full access to owner's mailbox (both
// user principal names or ids): reading and changing it through
// /users/{owner}/…, and sending as owner. Without a grantMailbox, a delegated
// caller reaching another user's mailbox gets 403 ErrorAccessDenied.
// Callers also need the .Shared scopes (Mail.Read.Shared,
// Mail.ReadWrite.Shared, Mail.Send.Shared); app-only callers reach every
// mailbox.
func (s *Server) GrantMailboxAccess(owner, delegate string) error {
	return s.grantMailbox(owner, delegate, grantFullAccess)
}

// GrantSendOnBehalf lets delegate send from their own mailbox with from
// set to owner's address; recipients see the delegate as the sender, "on
// behalf of" owner. It gives no access to owner's mailbox.
func (s *Server) GrantSendOnBehalf(owner, delegate string) error {
	return s.grantMailbox(owner, delegate, grantSendOnBehalf)
}

// RevokeMailboxAccess removes every grantMailbox of owner's mailbox to delegate.
func (s *Server) RevokeMailboxAccess(owner, delegate string) error {
	return s.grantMailbox(owner, delegate, 0)
}

func (s *Server) grantMailbox(owner, delegate string, g mailGrant) error {
	ids, err := s.userIDs(owner, delegate)
	if err != nil {
		return err
	}
	s.mail.mu.Lock()
	defer s.mail.mu.Unlock()
	k := grantKey{ids[0], ids[1]}
	if g == 0 {
		delete(s.mail.grants, k)
	} else {
		s.mail.grants[k] |= g
	}
	return nil
}

// MailMessage is a message to seed into a mailbox with AddMessage. Unset
// fields get Graph's defaults.
type MailMessage struct {
	Subject string
	Body    string
	// HTML marks Body as HTML rather than text.
	HTML bool
	// From is the sender's address; emulated users get their display name.
	From string
	// To, Cc and Bcc are recipient addresses.
	To, Cc, Bcc []string
	Categories  []string
	// Importance is "low", "normal" (default) or "high".
	Importance string
	IsRead     bool
	IsDraft    bool
	// Flag is "notFlagged" (default), "flagged" or "complete".
	Flag string
	// Received defaults to the server's clock.
	Received time.Time
	// Headers are extra internet message headers (x-…).
	Headers map[string]string
}

// AddMessage puts a message into owner's folder (a well-known name such as
// "inbox", or a folder id) without sending anything, and returns its id.
func (s *Server) AddMessage(owner, folder string, m MailMessage) (string, error) {
	s.mu.Lock()
	u := s.userLocked(owner)
	now := s.now()
	dir := map[string]mailUser{}
	for _, du := range s.users {
		mu := mailUserOf(du)
		dir[strings.ToLower(mu.address)] = mu
	}
	s.mu.Unlock()
	if u == nil {
		return "", fmt.Errorf("graphtest: no user %q", owner)
	}
	st := s.mail
	st.mu.Lock()
	defer func() {
		changes := st.takeChanges()
		st.mu.Unlock()
		s.publishChanges(changes)
	}()
	b := st.box(mailUserOf(u))
	f := b.folder(folder)
	if f == nil {
		return "", fmt.Errorf("graphtest: %s has no folder %q", owner, folder)
	}
	x := &mailReq{st: st, box: b, dir: dir, now: now}
	recips := func(addrs []string) []any {
		out := []any{}
		for _, a := range addrs {
			out = append(out, x.resolve("", a))
		}
		return out
	}
	contentType := "text"
	if m.HTML {
		contentType = "html"
	}
	from := b.owner.recipient()
	if m.From != "" {
		from = x.resolve("", m.From)
	}
	importance := m.Importance
	if importance == "" {
		importance = "normal"
	}
	flag := m.Flag
	if flag == "" {
		flag = "notFlagged"
	}
	received := m.Received
	if received.IsZero() {
		received = now
	}
	props := map[string]any{
		"subject":       m.Subject,
		"body":          map[string]any{"contentType": contentType, "content": m.Body},
		"from":          from,
		"sender":        from,
		"toRecipients":  recips(m.To),
		"ccRecipients":  recips(m.Cc),
		"bccRecipients": recips(m.Bcc),
		"replyTo":       []any{},
		"categories":    jsonStrings(m.Categories),
		"importance":    importance,
		"isRead":        m.IsRead,
		"isDraft":       m.IsDraft,
		"flag":          map[string]any{"flagStatus": flag},
	}
	var headers []any
	for _, k := range slices.Sorted(maps.Keys(m.Headers)) {
		headers = append(headers, map[string]any{"name": k, "value": m.Headers[k]})
	}
	msg := x.newMessage(f, props, received)
	msg.headers = headers
	if !m.IsDraft {
		x.setProps(msg, map[string]any{"sentDateTime": mailTime(received)})
	}
	return msg.id, nil
}

// AddMailFolder creates a folder named name in owner's mailbox under
// parent (a well-known name such as "inbox", a folder id, or "" for the
// top level) and returns its id.
func (s *Server) AddMailFolder(owner, parent, name string) (string, error) {
	s.mu.Lock()
	u := s.userLocked(owner)
	s.mu.Unlock()
	if u == nil {
		return "", fmt.Errorf("graphtest: no user %q", owner)
	}
	st := s.mail
	st.mu.Lock()
	defer st.mu.Unlock()
	b := st.box(mailUserOf(u))
	if parent == "" {
		parent = mailRootFolder
	}
	p := b.folder(parent)
	if p == nil {
		return "", fmt.Errorf("graphtest: %s has no folder %q", owner, parent)
	}
	f := &mfolder{id: newMailFolderID(), parentID: p.id, name: name, seq: st.next()}
	b.folders[f.id] = f
	return f.id, nil
}

// ExpireMailDeltaTokens makes every message delta link issued so far
// unknown: following one answers 410 Gone (SyncStateNotFound), and the
// client has to sync again from the start.
func (s *Server) ExpireMailDeltaTokens() {
	s.mail.mu.Lock()
	defer s.mail.mu.Unlock()
	s.mail.epoch++
}

// ---- JSON helpers ----

// readMailBody decodes a request's JSON object, refusing bodies over
// Graph's 4 MB.
func readMailBody(r *http.Request) (map[string]any, mailReply) {
	data, err := io.ReadAll(io.LimitReader(r.Body, maxMailRequest+1))
	if err != nil {
		return nil, mailError(http.StatusBadRequest, "BadRequest", "The request body could not be read.")
	}
	if len(data) > maxMailRequest {
		return nil, errMailTooLarge
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		return map[string]any{}, nil
	}
	var body map[string]any
	if err := json.Unmarshal(data, &body); err != nil || body == nil {
		return nil, mailError(http.StatusBadRequest, "RequestBodyRead", "Invalid JSON. The request body is not a JSON object.")
	}
	return body, nil
}

// readMailRequest reads the body of a request that takes a message as
// MIME or as JSON: one of mimeIn and body is set.
func readMailRequest(r *http.Request) (mimeIn []byte, body map[string]any, rep mailReply) {
	if isMIMEMailRequest(r) {
		mimeIn, rep = readMIMEBody(r)
	} else {
		body, rep = readMailBody(r)
	}
	return mimeIn, body, rep
}

// isMIMEMailRequest tells a raw MIME body (base64 text/plain) from JSON.
func isMIMEMailRequest(r *http.Request) bool {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return ct == "text/plain"
}

func mailTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func jsonStrings(ss []string) []any {
	out := make([]any, 0, len(ss))
	for _, s := range ss {
		out = append(out, s)
	}
	return out
}

func recipientJSON(name, address string) map[string]any {
	return map[string]any{"emailAddress": map[string]any{"name": name, "address": address}}
}

// jsonStr reads a string member of a JSON object.
func jsonStr(m map[string]any, k string) string {
	v, _ := m[k].(string)
	return v
}

// recipientAddress reads a recipient's address.
func recipientAddress(r any) string {
	m, _ := r.(map[string]any)
	ea, _ := m["emailAddress"].(map[string]any)
	return jsonStr(ea, "address")
}

func jsonList(v any) []any {
	l, _ := v.([]any)
	return l
}

// ---- blobs: large attachment content on disk ----

// mailBlob is attachment content kept in a temporary file, shared by copies of
// a message and removed when the last reference goes.
type mailBlob struct {
	path string
	size int64
	refs int
}

// newMailBlob makes an empty file for content; st.mu is held.
func (st *mailStore) newMailBlob(size int64) (*mailBlob, error) {
	if st.dir == "" {
		dir, err := os.MkdirTemp("", "graphtest-mail-")
		if err != nil {
			return nil, err
		}
		st.dir = dir
	}
	f, err := os.CreateTemp(st.dir, "attachment-")
	if err != nil {
		return nil, err
	}
	f.Close()
	return &mailBlob{path: f.Name(), size: size, refs: 1}, nil
}

// release drops a reference; st.mu is held.
func (b *mailBlob) release() {
	b.refs--
	if b.refs == 0 && b.path != "" {
		os.Remove(b.path)
	}
}

func (b *mailBlob) open() (*os.File, error) { return os.Open(b.path) }
