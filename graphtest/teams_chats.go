package graphtest

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

var (
	chatReadScopes    = []string{"Chat.ReadBasic", "Chat.Read", "Chat.ReadWrite"}
	chatMessageScopes = []string{"Chat.Read", "Chat.ReadWrite"}
	chatSendScopes    = []string{"ChatMessage.Send", "Chat.ReadWrite"}
	chatCreateScopes  = []string{"Chat.Create", "Chat.ReadWrite"}
)

func (s *Server) chatRoutes() []route {
	return []route{
		{"GET /v1.0/me/chats", s.listChats},
		{"GET /v1.0/users/{uid}/chats", s.listChats},
		{"POST /v1.0/chats", s.createChat},
		{"GET /v1.0/chats/{chid}", s.getChat},
		{"GET /v1.0/chats/{chid}/messages", s.listChatMessages},
		{"POST /v1.0/chats/{chid}/messages", s.postChatMessage},
		{"GET /v1.0/chats/{chid}/messages/{mid}", s.getChatMessage},
	}
}

// chatJSON is a chat, with its members when expanded.
func (s *Server) chatJSON(c *chat, members bool) map[string]any {
	item := map[string]any{
		"id":                  c.id,
		"topic":               nullable(c.topic),
		"createdDateTime":     c.created.Format(timeLayout),
		"lastUpdatedDateTime": c.updated.Format(timeLayout),
		"chatType":            c.chatType,
		"webUrl":              "https://teams.microsoft.com/l/chat/" + url.PathEscape(c.id) + "/0?tenantId=" + s.tenantID,
		"tenantId":            s.tenantID,
		"onlineMeetingInfo":   nil,
	}
	if members {
		ms := make([]map[string]any, len(c.members))
		for i, p := range c.members {
			ms[i] = memberJSON(c.id, p, []any{"owner"}, s.tenantID)
		}
		item["members"] = ms
	}
	return item
}

const timeLayout = "2006-01-02T15:04:05.999Z07:00"

func expands(r *http.Request, what string) bool {
	for _, e := range strings.Split(r.URL.Query().Get("$expand"), ",") {
		if strings.EqualFold(strings.TrimSpace(e), what) {
			return true
		}
	}
	return false
}

func (s *Server) listChats(w http.ResponseWriter, r *http.Request) {
	c, who, ok := addressedUser(w, r, "uid")
	if !ok {
		return
	}
	if !c.appOnly() && !hasScope(c, chatReadScopes...) {
		missingScope(w, chatReadScopes)
		return
	}
	ppl, err := s.persons([]string{who})
	if err != nil {
		directoryNotFound(w, who)
		return
	}
	if !c.appOnly() && ppl[0].id != c.userID {
		accessDenied(w)
		return
	}
	members := expands(r, "members")
	var items []map[string]any
	s.teams.mu.Lock()
	for _, ch := range s.teams.chats {
		if ch.has(ppl[0].id) {
			items = append(items, s.chatJSON(ch, members))
		}
	}
	s.teams.mu.Unlock()
	s.serveCollection(w, r, items, collection{entitySet: "chats", pageSize: 50, maxTop: 50, noSkip: true, errorCode: "BadRequest"})
}

// onChat finds the chat of r ({chid}) for a delegated caller in it, who
// has one of scopes; a chat they are not in is not found, as for anyone
// else. It returns with s.teams.mu held when ok.
func (s *Server) onChat(w http.ResponseWriter, r *http.Request, scopes []string) (caller, *chat, bool) {
	c := callerOf(r)
	if c.appOnly() {
		writeGraphError(w, http.StatusForbidden, "Forbidden", "This API is not supported for application permissions.")
		return c, nil, false
	}
	if !hasScope(c, scopes...) {
		missingScope(w, scopes)
		return c, nil, false
	}
	s.teams.mu.Lock()
	ch := s.teams.chat(r.PathValue("chid"))
	if ch == nil || !ch.has(c.userID) {
		s.teams.mu.Unlock()
		writeGraphError(w, http.StatusNotFound, "NotFound", "Chat "+r.PathValue("chid")+" not found.")
		return c, nil, false
	}
	return c, ch, true
}

func (s *Server) getChat(w http.ResponseWriter, r *http.Request) {
	_, ch, ok := s.onChat(w, r, chatReadScopes)
	if !ok {
		return
	}
	item := s.chatJSON(ch, expands(r, "members"))
	s.teams.mu.Unlock()
	s.serveEntity(w, r, item, "chats")
}

// bindUser reads the user of a user@odata.bind link:
// https://graph.microsoft.com/v1.0/users('id-or-upn'), where a quote in
// the key is written twice, as OData escapes it.
var bindUser = regexp.MustCompile(`/users\('((?:[^']|'')+)'\)$|/users/([^/]+)$`)

func (s *Server) createChat(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	if c.appOnly() {
		writeGraphError(w, http.StatusForbidden, "Forbidden", "This API is not supported for application permissions.")
		return
	}
	if !hasScope(c, chatCreateScopes...) {
		missingScope(w, chatCreateScopes)
		return
	}
	body, ok := readJSONObject(w, r, 1<<20)
	if !ok {
		return
	}
	chatType, _ := body["chatType"].(string)
	topic, _ := body["topic"].(string)
	raw, _ := body["members"].([]any)
	var names []string
	for _, m := range raw {
		mm, _ := m.(map[string]any)
		link, _ := mm["user@odata.bind"].(string)
		if u, err := url.PathUnescape(link); err == nil {
			link = u
		}
		sub := bindUser.FindStringSubmatch(link)
		if sub == nil {
			writeGraphError(w, http.StatusBadRequest, "BadRequest", "Each member needs user@odata.bind naming a user, such as https://graph.microsoft.com/v1.0/users('id').")
			return
		}
		name := strings.ReplaceAll(sub[1], "''", "'") + sub[2]
		names = append(names, name)
	}
	ppl, err := s.persons(names)
	if err != nil {
		writeGraphError(w, http.StatusNotFound, "NotFound", strings.TrimPrefix(err.Error(), "graphtest: "))
		return
	}
	if !slicesContainsPerson(ppl, c.userID) {
		writeGraphError(w, http.StatusBadRequest, "BadRequest", "The caller must be one of the chat's members.")
		return
	}
	s.mu.Lock()
	now := s.now().UTC()
	s.mu.Unlock()
	ch, err := s.teams.newChat(chatType, topic, ppl, now)
	if err != nil {
		writeGraphError(w, http.StatusBadRequest, "BadRequest", err.Error())
		return
	}
	s.teams.mu.Lock()
	item := s.chatJSON(ch, false)
	s.teams.mu.Unlock()
	s.writeEntity(w, http.StatusCreated, item, "chats")
}

func slicesContainsPerson(ppl []person, id string) bool {
	for _, p := range ppl {
		if p.id == id {
			return true
		}
	}
	return false
}

func (s *Server) listChatMessages(w http.ResponseWriter, r *http.Request) {
	_, ch, ok := s.onChat(w, r, chatMessageScopes)
	if !ok {
		return
	}
	var items []map[string]any
	for i := len(ch.messages) - 1; i >= 0; i-- {
		items = append(items, s.messageJSON(ch.messages[i]))
	}
	id := ch.id
	s.teams.mu.Unlock()
	s.serveCollection(w, r, items, collection{entitySet: "chats('" + url.PathEscape(id) + "')/messages", pageSize: 50, maxTop: 50, noSkip: true, errorCode: "BadRequest"})
}

func (s *Server) getChatMessage(w http.ResponseWriter, r *http.Request) {
	_, ch, ok := s.onChat(w, r, chatMessageScopes)
	if !ok {
		return
	}
	for _, m := range ch.messages {
		if m.id == r.PathValue("mid") {
			item := s.messageJSON(m)
			s.teams.mu.Unlock()
			s.serveEntity(w, r, item, "chats('"+url.PathEscape(ch.id)+"')/messages")
			return
		}
	}
	s.teams.mu.Unlock()
	writeGraphError(w, http.StatusNotFound, "NotFound", "Message not found.")
}

func (s *Server) postChatMessage(w http.ResponseWriter, r *http.Request) {
	c, ch, ok := s.onChat(w, r, chatSendScopes)
	if !ok {
		return
	}
	// The body is read without the store lock held.
	s.teams.mu.Unlock()
	in, ok := readMessageInput(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	now := s.now().UTC()
	s.mu.Unlock()
	s.teams.mu.Lock()
	defer s.teams.mu.Unlock()
	from := personFrom(ch.members, c.userID)
	m := in.message(s.teams.nextIDLocked(now), from, now)
	m.chatID = ch.id
	ch.messages = append(ch.messages, m)
	ch.updated = now
	s.writeEntity(w, http.StatusCreated, s.messageJSON(m), "chats('"+url.PathEscape(ch.id)+"')/messages")
}
