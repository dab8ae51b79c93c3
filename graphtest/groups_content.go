package graphtest

// What a Microsoft 365 group holds besides its directory record: its
// conversations (threads of posts, at /groups/{id}/conversations and
// /groups/{id}/threads), its calendar (the calendar store's, kept under
// the group's id as a user's is under theirs) and its document library
// (a group drive of the drive store, provisioned with the group).
//
// Rules the emulator follows, as Graph does:
//
//   - Only Microsoft 365 groups have conversations and a calendar;
//     another group answers 404 Request_ResourceNotFound there.
//   - Conversations: reading takes Group.Read.All or Group.ReadWrite.All
//     (app-only callers may read); posting (a new conversation, a new
//     thread, a reply) takes a delegated caller with Group.ReadWrite.All.
//     A reply is answered 202 and appears at the end of its thread; a new
//     conversation has one thread with one post and comes back with
//     their ids (201). Posts are sent by the caller (from and sender);
//     newParticipants join the thread's ccRecipients. Conversations list
//     latest first, posts oldest first.
//   - The calendar takes delegated callers only (Group.Read.All to read,
//     Group.ReadWrite.All to write); events behave as in a user's
//     calendar, with the group as organizer.
//   - A private group's conversations and calendar are open only to its
//     members and owners: others get 403 ErrorAccessDenied.

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-o365/o365/graphtest/internal/eventinput"
)

// groupStore holds the conversations of every Microsoft 365 group. Its
// zero value is ready; it lives in Server.groupData.
type groupStore struct {
	mu            sync.Mutex
	conversations map[string][]*gConversation // by group id
}

type gConversation struct {
	id, topic string
	threads   []*gThread
}

type gThread struct {
	id, topic string
	to, cc    []any // recipient JSON
	posts     []*gPost
}

type gPost struct {
	id, changeKey        string
	body                 map[string]any // itemBody
	sender               map[string]any // recipient
	newParticipants      []any
	created              time.Time
	conversationID       string
	conversationThreadID string
}

// forget drops what the group held, when it is deleted.
func (st *groupStore) forget(groupID string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	delete(st.conversations, groupID)
}

// provisionGroup gives a Microsoft 365 group its document library, once.
func (s *Server) provisionGroup(g *Group) {
	st := s.drives
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.ownedDriveLocked("group", g.ID) != nil {
		return
	}
	slug := g.MailNickname
	if slug == "" {
		slug = g.ID
	}
	st.newDriveLocked(gDrive{name: "Documents", driveType: "documentLibrary",
		owner: identity{id: g.ID, name: g.DisplayName, email: g.Mail}, ownerKind: "group", ownerID: g.ID,
		webURL: "https://" + DefaultSiteHost + "/sites/" + slug + "/Shared%20Documents"}, s.now())
}

func (s *Server) groupContentRoutes() []route {
	rs := []route{
		{"GET /v1.0/groups/{gid}/conversations", s.listConversations},
		{"POST /v1.0/groups/{gid}/conversations", s.createConversation},
		{"GET /v1.0/groups/{gid}/conversations/{cid}", s.getConversation},
		{"DELETE /v1.0/groups/{gid}/conversations/{cid}", s.deleteConversation},
		{"GET /v1.0/groups/{gid}/conversations/{cid}/threads", s.listThreads},
		{"GET /v1.0/groups/{gid}/threads", s.listThreads},
		{"POST /v1.0/groups/{gid}/threads", s.createThread},
	}
	for _, prefix := range []string{"/v1.0/groups/{gid}", "/v1.0/groups/{gid}/conversations/{cid}"} {
		rs = append(rs,
			route{"GET " + prefix + "/threads/{tid}", s.getThread},
			route{"GET " + prefix + "/threads/{tid}/posts", s.listPosts},
			route{"GET " + prefix + "/threads/{tid}/posts/{pid}", s.getPost},
			route{"POST " + prefix + "/threads/{tid}/reply", s.replyToThread})
	}
	// The group calendar: the calendar handlers, which resolve a {gid}
	// request through groupCalendarTarget.
	add := func(method, path string, h http.HandlerFunc) {
		rs = append(rs, route{method + " /v1.0/groups/{gid}" + path, h})
	}
	add("GET", "/calendar", s.getCalendar)
	for _, prefix := range []string{"", "/calendar"} {
		add("GET", prefix+"/events", s.listEvents)
		add("POST", prefix+"/events", s.createEvent)
		add("GET", prefix+"/calendarView", s.calendarView)
		add("GET", prefix+"/events/{eid}", s.getEvent)
		add("PATCH", prefix+"/events/{eid}", s.updateEvent)
		add("DELETE", prefix+"/events/{eid}", s.deleteEvent)
	}
	add("GET", "/events/{eid}/instances", s.listInstances)
	return rs
}

// groupRequest is a request about a Microsoft 365 group's content.
type groupRequest struct {
	group  Group
	caller caller
	sender map[string]any // the caller as a recipient; nil for app-only callers
	now    time.Time
}

// groupContent resolves the Microsoft 365 group r names and checks the
// caller may read its content (or write it, for write), answering the
// error itself when not. appOnly says whether app-only callers may.
func (s *Server) groupContent(w http.ResponseWriter, r *http.Request, write, appOnly bool) (groupRequest, bool) {
	c := callerOf(r)
	switch {
	case c.appOnly() && !appOnly:
		accessDenied(w)
		return groupRequest{}, false
	case !c.appOnly() && write && !hasScope(c, "Group.ReadWrite.All"):
		accessDenied(w)
		return groupRequest{}, false
	case !c.appOnly() && !hasScope(c, "Group.Read.All", "Group.ReadWrite.All"):
		accessDenied(w)
		return groupRequest{}, false
	}
	id := r.PathValue("gid")
	s.mu.Lock()
	g := s.groupLocked(id)
	var req groupRequest
	found, allowed := g != nil && g.unified(), false
	if found {
		allowed = !s.shutOutLocked(g, c)
		req = groupRequest{group: g.clone(), caller: c, now: s.now().UTC().Truncate(time.Second)}
		if u := s.userLocked(c.userID); u != nil {
			req.sender = personOf(u).recipient()
		}
	}
	s.mu.Unlock()
	switch {
	case !found:
		directoryNotFound(w, id)
		return groupRequest{}, false
	case !allowed:
		accessDenied(w)
		return groupRequest{}, false
	}
	return req, true
}

// shutOutLocked reports whether g's content (conversations, calendar,
// drive) is closed to c: g is not public and c is a user who neither
// belongs to it nor owns it. s.mu must be held.
func (s *Server) shutOutLocked(g *Group, c caller) bool {
	private := g.Visibility != "" && !strings.EqualFold(g.Visibility, "Public")
	return private && !c.appOnly() && !s.isMemberLocked(g.ID, c.userID) && !s.isOwnerLocked(g.ID, c.userID)
}

func (p person) recipient() map[string]any { return map[string]any{"emailAddress": p.emailAddress()} }

// groupCalendarTarget is calendarTarget for /groups/{gid}/…: the group's
// calendar, stored like a user's under the group's id.
func (s *Server) groupCalendarTarget(w http.ResponseWriter, r *http.Request, write bool) (calendarRequest, bool) {
	req, ok := s.groupContent(w, r, write, false)
	if !ok {
		return calendarRequest{}, false
	}
	g := req.group
	owner := person{id: g.ID, name: g.DisplayName, address: g.Mail, upn: g.Mail}
	return calendarRequest{owner: owner, caller: req.caller.userID, now: req.now, view: preferredZone(w, r)}, true
}

// ---- JSON ----

func (p *gPost) json() map[string]any {
	t := p.created.Format(time.RFC3339)
	m := map[string]any{
		"@odata.etag":          `W/"` + p.changeKey + `"`,
		"id":                   p.id,
		"createdDateTime":      t,
		"lastModifiedDateTime": t,
		"receivedDateTime":     t,
		"changeKey":            p.changeKey,
		"categories":           []any{},
		"hasAttachments":       false,
		"body":                 p.body,
		"from":                 p.sender,
		"sender":               p.sender,
		"conversationId":       p.conversationID,
		"conversationThreadId": p.conversationThreadID,
	}
	if len(p.newParticipants) > 0 {
		m["newParticipants"] = p.newParticipants
	}
	return m
}

// threadSummary is what conversations and threads say of their posts.
func threadSummary(posts []*gPost) (last time.Time, senders []any, preview string) {
	var names []string
	for _, p := range posts {
		if p.created.After(last) {
			last = p.created
		}
		if ea, _ := p.sender["emailAddress"].(map[string]any); ea != nil {
			if n, _ := ea["name"].(string); n != "" && !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	senders = []any{}
	for _, n := range names {
		senders = append(senders, n)
	}
	if len(posts) > 0 {
		b := posts[len(posts)-1].body
		content, _ := b["content"].(string)
		ct, _ := b["contentType"].(string)
		preview = bodyPreview(content, strings.ToLower(ct))
	}
	return last, senders, preview
}

func (t *gThread) json() map[string]any {
	last, senders, preview := threadSummary(t.posts)
	return map[string]any{
		"id":                    t.id,
		"topic":                 t.topic,
		"toRecipients":          slices.Clone(t.to),
		"ccRecipients":          slices.Clone(t.cc),
		"hasAttachments":        false,
		"lastDeliveredDateTime": last.Format(time.RFC3339),
		"uniqueSenders":         senders,
		"preview":               preview,
		"isLocked":              false,
	}
}

func (c *gConversation) json() map[string]any {
	var posts []*gPost
	for _, t := range c.threads {
		posts = append(posts, t.posts...)
	}
	last, senders, preview := threadSummary(posts)
	return map[string]any{
		"id":                    c.id,
		"topic":                 c.topic,
		"hasAttachments":        false,
		"lastDeliveredDateTime": last.Format(time.RFC3339),
		"uniqueSenders":         senders,
		"preview":               preview,
	}
}

func (c *gConversation) last() time.Time {
	var last time.Time
	for _, t := range c.threads {
		l, _, _ := threadSummary(t.posts)
		if l.After(last) {
			last = l
		}
	}
	return last
}

// ---- reading ----

// groupContext is the entity set path of a group's collection.
func groupContext(groupID, path string) string { return "groups('" + groupID + "')" + path }

func (s *Server) listConversations(w http.ResponseWriter, r *http.Request) {
	req, ok := s.groupContent(w, r, false, true)
	if !ok {
		return
	}
	st := &s.groupData
	st.mu.Lock()
	convs := slices.Clone(st.conversations[req.group.ID])
	slices.SortStableFunc(convs, func(a, b *gConversation) int { return b.last().Compare(a.last()) })
	items := make([]map[string]any, 0, len(convs))
	for _, c := range convs {
		items = append(items, c.json())
	}
	st.mu.Unlock()
	s.serveCollection(w, r, items, calendarCollection(groupContext(req.group.ID, "/conversations")))
}

// conversationLocked finds a conversation of the group by id.
func (st *groupStore) conversationLocked(groupID, id string) *gConversation {
	for _, c := range st.conversations[groupID] {
		if c.id == id {
			return c
		}
	}
	return nil
}

// threadLocked finds the thread r names ({tid}, inside {cid} when the
// path names a conversation).
func (st *groupStore) threadLocked(groupID string, r *http.Request) (*gConversation, *gThread) {
	cid, tid := r.PathValue("cid"), r.PathValue("tid")
	for _, c := range st.conversations[groupID] {
		if cid != "" && c.id != cid {
			continue
		}
		for _, t := range c.threads {
			if t.id == tid {
				return c, t
			}
		}
	}
	return nil, nil
}

// serveFound answers item, or 404 when the lookup that made it found
// nothing.
func (s *Server) serveFound(w http.ResponseWriter, r *http.Request, item map[string]any, entitySet string) {
	if item == nil {
		itemNotFound(w)
		return
	}
	s.serveEntity(w, r, item, entitySet)
}

func (s *Server) getConversation(w http.ResponseWriter, r *http.Request) {
	req, ok := s.groupContent(w, r, false, true)
	if !ok {
		return
	}
	st := &s.groupData
	st.mu.Lock()
	var item map[string]any
	if c := st.conversationLocked(req.group.ID, r.PathValue("cid")); c != nil {
		item = c.json()
	}
	st.mu.Unlock()
	s.serveFound(w, r, item, groupContext(req.group.ID, "/conversations"))
}

func (s *Server) deleteConversation(w http.ResponseWriter, r *http.Request) {
	req, ok := s.groupContent(w, r, true, true)
	if !ok {
		return
	}
	st := &s.groupData
	st.mu.Lock()
	c := st.conversationLocked(req.group.ID, r.PathValue("cid"))
	if c != nil {
		st.conversations[req.group.ID] = slices.DeleteFunc(st.conversations[req.group.ID], func(x *gConversation) bool { return x == c })
	}
	st.mu.Unlock()
	if c == nil {
		itemNotFound(w)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) listThreads(w http.ResponseWriter, r *http.Request) {
	req, ok := s.groupContent(w, r, false, true)
	if !ok {
		return
	}
	st := &s.groupData
	st.mu.Lock()
	cid := r.PathValue("cid")
	var items []map[string]any
	found := cid == ""
	for _, c := range st.conversations[req.group.ID] {
		if cid != "" && c.id != cid {
			continue
		}
		found = true
		for _, t := range c.threads {
			items = append(items, t.json())
		}
	}
	st.mu.Unlock()
	if !found {
		itemNotFound(w)
		return
	}
	s.serveCollection(w, r, items, calendarCollection(groupContext(req.group.ID, "/threads")))
}

func (s *Server) getThread(w http.ResponseWriter, r *http.Request) {
	req, ok := s.groupContent(w, r, false, true)
	if !ok {
		return
	}
	st := &s.groupData
	st.mu.Lock()
	var item map[string]any
	if _, t := st.threadLocked(req.group.ID, r); t != nil {
		item = t.json()
	}
	st.mu.Unlock()
	s.serveFound(w, r, item, groupContext(req.group.ID, "/threads"))
}

func (s *Server) listPosts(w http.ResponseWriter, r *http.Request) {
	req, ok := s.groupContent(w, r, false, true)
	if !ok {
		return
	}
	st := &s.groupData
	st.mu.Lock()
	_, t := st.threadLocked(req.group.ID, r)
	var items []map[string]any
	if t != nil {
		for _, p := range t.posts {
			items = append(items, p.json())
		}
	}
	st.mu.Unlock()
	if t == nil {
		itemNotFound(w)
		return
	}
	s.serveCollection(w, r, items, calendarCollection(groupContext(req.group.ID, "/threads('"+t.id+"')/posts")))
}

func (s *Server) getPost(w http.ResponseWriter, r *http.Request) {
	req, ok := s.groupContent(w, r, false, true)
	if !ok {
		return
	}
	st := &s.groupData
	st.mu.Lock()
	var item map[string]any
	if _, t := st.threadLocked(req.group.ID, r); t != nil {
		for _, p := range t.posts {
			if p.id == r.PathValue("pid") {
				item = p.json()
			}
		}
	}
	st.mu.Unlock()
	s.serveFound(w, r, item, groupContext(req.group.ID, "/posts"))
}

// ---- writing ----

// groupPostInput reads a post of a request body: it must have a body with
// content.
func groupPostInput(v any) (body map[string]any, participants []any, ok bool) {
	p, _ := v.(map[string]any)
	b, _ := p["body"].(map[string]any)
	content, _ := b["content"].(string)
	if strings.TrimSpace(content) == "" {
		return nil, nil, false
	}
	ct, _ := b["contentType"].(string)
	if !strings.EqualFold(ct, "text") {
		ct = "html"
	}
	body = map[string]any{"contentType": strings.ToLower(ct), "content": content}
	participants, _ = p["newParticipants"].([]any)
	return body, participants, true
}

// newGroupPost makes a post of req's caller in thread t of conversation c.
func newGroupPost(req groupRequest, c *gConversation, t *gThread, body map[string]any, participants []any) *gPost {
	p := &gPost{id: newCalendarItemID(), changeKey: newChangeKey(), body: body, sender: req.sender,
		newParticipants: participants, created: req.now, conversationID: c.id, conversationThreadID: t.id}
	t.posts = append(t.posts, p)
	t.cc = append(t.cc, participants...)
	return p
}

func (req groupRequest) newThread(topic string) *gThread {
	return &gThread{id: newCalendarItemID(), topic: topic,
		to: []any{person{name: req.group.DisplayName, address: req.group.Mail}.recipient()}, cc: []any{}}
}

// startLocked adds a conversation on topic to req's group, with one
// thread holding the caller's first post; the caller holds st.mu.
func (st *groupStore) startLocked(req groupRequest, topic string, body map[string]any, participants []any) (*gConversation, *gThread) {
	c := &gConversation{id: newCalendarItemID(), topic: topic}
	t := req.newThread(topic)
	c.threads = []*gThread{t}
	newGroupPost(req, c, t, body, participants)
	if st.conversations == nil {
		st.conversations = map[string][]*gConversation{}
	}
	st.conversations[req.group.ID] = append(st.conversations[req.group.ID], c)
	return c, t
}

// readNewConversation reads the topic and the posts of the threads of a new
// conversation (or, with threadOnly, of a new thread: topic and posts),
// answering 400 itself when they are missing.
func readNewConversation(w http.ResponseWriter, r *http.Request, threadOnly bool) (string, []any, bool) {
	body, ok := readJSONObject(w, r, 4<<20)
	if !ok {
		return "", nil, false
	}
	topic, _ := body["topic"].(string)
	var posts []any
	if threadOnly {
		posts, _ = body["posts"].([]any)
	} else if threads, _ := body["threads"].([]any); len(threads) == 1 {
		t, _ := threads[0].(map[string]any)
		posts, _ = t["posts"].([]any)
	}
	if strings.TrimSpace(topic) == "" || len(posts) != 1 {
		writeGraphError(w, http.StatusBadRequest, "ErrorInvalidRequest",
			"A new conversation needs a topic and one thread with one post.")
		return "", nil, false
	}
	return topic, posts, true
}

func (s *Server) createConversation(w http.ResponseWriter, r *http.Request) {
	s.startConversation(w, r, false)
}

func (s *Server) createThread(w http.ResponseWriter, r *http.Request) {
	s.startConversation(w, r, true)
}

// startConversation answers POST …/conversations (a conversation comes
// back) and POST …/threads (its thread comes back).
func (s *Server) startConversation(w http.ResponseWriter, r *http.Request, threadOnly bool) {
	req, ok := s.groupContent(w, r, true, false)
	if !ok {
		return
	}
	topic, posts, ok := readNewConversation(w, r, threadOnly)
	if !ok {
		return
	}
	body, participants, ok := groupPostInput(posts[0])
	if !ok {
		writeGraphError(w, http.StatusBadRequest, "ErrorInvalidRequest", "The post has no body.")
		return
	}
	st := &s.groupData
	st.mu.Lock()
	c, t := st.startLocked(req, topic, body, participants)
	item := c.json()
	item["threads"] = []any{map[string]any{"id": t.id}}
	threadItem := t.json()
	st.mu.Unlock()
	if threadOnly {
		s.writeEntity(w, http.StatusCreated, threadItem, groupContext(req.group.ID, "/threads"))
		return
	}
	s.writeEntity(w, http.StatusCreated, item, groupContext(req.group.ID, "/conversations"))
}

func (s *Server) replyToThread(w http.ResponseWriter, r *http.Request) {
	req, ok := s.groupContent(w, r, true, false)
	if !ok {
		return
	}
	in, ok := readJSONObject(w, r, 4<<20)
	if !ok {
		return
	}
	body, participants, ok := groupPostInput(in["post"])
	if !ok {
		writeGraphError(w, http.StatusBadRequest, "ErrorInvalidRequest", "The reply needs a post with a body.")
		return
	}
	st := &s.groupData
	st.mu.Lock()
	c, t := st.threadLocked(req.group.ID, r)
	if t != nil {
		newGroupPost(req, c, t, body, participants)
	}
	st.mu.Unlock()
	if t == nil {
		itemNotFound(w)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

// ---- seeding ----

// AddConversation starts a conversation on topic in the Microsoft 365
// group (id or mail) with one post of content (HTML) by sender (a user's
// id or user principal name), as a test's or demo's starting data. It
// returns the ids of the conversation and of its thread.
func (s *Server) AddConversation(group, sender, topic, content string) (conversationID, threadID string, err error) {
	s.mu.Lock()
	g := s.groupLocked(group)
	u := s.userLocked(sender)
	var req groupRequest
	if g != nil && u != nil {
		req = groupRequest{group: g.clone(), sender: personOf(u).recipient(), now: s.now().UTC().Truncate(time.Second)}
	}
	s.mu.Unlock()
	switch {
	case g == nil || !g.unified():
		return "", "", fmt.Errorf("graphtest: AddConversation: no Microsoft 365 group %q", group)
	case u == nil:
		return "", "", fmt.Errorf("graphtest: AddConversation: no user %q", sender)
	case strings.TrimSpace(topic) == "" || strings.TrimSpace(content) == "":
		return "", "", errors.New("graphtest: AddConversation: empty topic or content")
	}
	st := &s.groupData
	st.mu.Lock()
	defer st.mu.Unlock()
	c, t := st.startLocked(req, topic, map[string]any{"contentType": "html", "content": content}, nil)
	return c.id, t.id, nil
}

// AddGroupEvent creates an event in the calendar of the Microsoft 365
// group (id or mail), with the group as organizer, and returns its id.
// event is shaped like the body of Graph's POST /groups/{id}/events (see
// AddEvent).
func (s *Server) AddGroupEvent(group string, event map[string]any) (string, error) {
	body, err := viaJSON(event)
	if err != nil {
		return "", fmt.Errorf("graphtest: AddGroupEvent: %w", err)
	}
	s.mu.Lock()
	g := s.groupLocked(group)
	var owner person
	if g != nil {
		owner = person{id: g.ID, name: g.DisplayName, address: g.Mail, upn: g.Mail}
	}
	now := s.now()
	s.mu.Unlock()
	if g == nil || !g.unified() {
		return "", fmt.Errorf("graphtest: AddGroupEvent: no Microsoft 365 group %q", group)
	}
	values, err := eventinput.Values(body)
	if err != nil {
		return "", fmt.Errorf("graphtest: AddGroupEvent: %w", err)
	}
	ev, err := s.addEvent(owner, "", values, now, s.people())
	if err != nil {
		return "", fmt.Errorf("graphtest: AddGroupEvent: %w", err)
	}
	return ev.id, nil
}
