package graphtest

import (
	"net/http"
	"slices"
	"time"
)

// Editing and soft-deleting channel and chat messages (Update chatMessage,
// chatMessage: softDelete and undoSoftDelete). Only the sender changes a
// message, as Teams lets users do; Graph's application permissions
// update only a message's policyViolation, which the emulator does not
// model, so an app is refused. Every change stamps the post's reply
// chain for channel message delta, as a reply does.

// Delegated scopes, as Microsoft's v1.0 pages list them.
var (
	channelMessageEditScopes   = []string{"ChannelMessage.ReadWrite", "Group.ReadWrite.All"}
	channelMessageDeleteScopes = []string{"ChannelMessage.ReadWrite"}
	chatMessageEditScopes      = []string{"Chat.ReadWrite"}
)

func (s *Server) teamsEditRoutes() []route {
	msg := "/v1.0/teams/{tid}/channels/{cid}/messages/{mid}"
	reply := msg + "/replies/{rid}"
	chat := "/chats/{chid}/messages/{mid}"
	softDelete := s.changeChatMessage(chatMessageEditScopes, softDeleteMessage)
	undo := s.changeChatMessage(chatMessageEditScopes, undoSoftDeleteMessage)
	return []route{
		{"PATCH " + msg, s.editChannelMessage},
		{"PATCH " + reply, s.editChannelMessage},
		{"POST " + msg + "/softDelete", s.changeChannelMessage(softDeleteMessage)},
		{"POST " + reply + "/softDelete", s.changeChannelMessage(softDeleteMessage)},
		{"POST " + msg + "/undoSoftDelete", s.changeChannelMessage(undoSoftDeleteMessage)},
		{"POST " + reply + "/undoSoftDelete", s.changeChannelMessage(undoSoftDeleteMessage)},
		{"PATCH /v1.0" + chat, s.editChatMessage},
		{"POST /v1.0" + chat + "/softDelete", softDelete},
		{"POST /v1.0" + chat + "/undoSoftDelete", undo},
		// Microsoft's pages address chat messages to delete through the
		// user too.
		{"POST /v1.0/me" + chat + "/softDelete", s.asAddressedUser(softDelete)},
		{"POST /v1.0/me" + chat + "/undoSoftDelete", s.asAddressedUser(undo)},
		{"POST /v1.0/users/{uid}" + chat + "/softDelete", s.asAddressedUser(softDelete)},
		{"POST /v1.0/users/{uid}" + chat + "/undoSoftDelete", s.asAddressedUser(undo)},
	}
}

// softDeleteMessage deletes m, keeping what it said for
// undoSoftDeleteMessage; it reports whether m changed. Deleting a deleted
// message changes nothing.
func softDeleteMessage(m *chatMessage, now time.Time) bool {
	if !m.deleted.IsZero() {
		return false
	}
	m.deleted = m.touch(now)
	return true
}

// undoSoftDeleteMessage brings back a deleted message as it was.
func undoSoftDeleteMessage(m *chatMessage, now time.Time) bool {
	if m.deleted.IsZero() {
		return false
	}
	m.deleted = time.Time{}
	m.touch(now)
	return true
}

// channelMessageToChange finds the channel message ({mid}) or reply
// ({rid}) of r that the caller is about to change, with its post, and
// checks the caller may: a delegated member of the team who sent it. It
// answers the error itself when not, and returns with s.teams.mu held
// when ok.
func (s *Server) channelMessageToChange(w http.ResponseWriter, r *http.Request, scopes []string) (tc teamCall, post, m *chatMessage, ok bool) {
	tc, _, c, ok := s.onChannel(w, r, scopes)
	if !ok {
		return tc, nil, nil, false
	}
	post = c.message(r.PathValue("mid"))
	m = post
	if rid := r.PathValue("rid"); post != nil && rid != "" {
		m = nil
		if i := slices.IndexFunc(post.replies, func(x *chatMessage) bool { return x.id == rid }); i >= 0 {
			m = post.replies[i]
		}
	}
	if m == nil {
		s.teams.mu.Unlock()
		writeGraphError(w, http.StatusNotFound, "NotFound", "Message not found.")
		return tc, nil, nil, false
	}
	if !s.mayChange(w, tc.caller, m) {
		s.teams.mu.Unlock()
		return tc, nil, nil, false
	}
	return tc, post, m, true
}

// mayChange reports whether the caller may edit or delete m: only its
// sender may, and only with delegated permissions. It answers 403 itself
// when not.
func (s *Server) mayChange(w http.ResponseWriter, c caller, m *chatMessage) bool {
	switch {
	case c.appOnly():
		writeGraphError(w, http.StatusForbidden, "Forbidden",
			"Application permissions can update only a message's policyViolation, and cannot delete messages.")
		return false
	case m.from.id != c.userID:
		writeGraphError(w, http.StatusForbidden, "Forbidden", "Only the sender of a message can edit or delete it.")
		return false
	}
	return true
}

// editChannelMessage updates a channel message or reply with what the
// request sends (its body, mentions, attachments, subject, importance),
// answering 204 as Graph does for delegated callers.
func (s *Server) editChannelMessage(w http.ResponseWriter, r *http.Request) {
	// The body is read before the store is locked.
	body, ok := readMessageJSON(w, r)
	if !ok {
		return
	}
	tc, post, m, ok := s.channelMessageToChange(w, r, channelMessageEditScopes)
	if !ok {
		return
	}
	defer s.teams.mu.Unlock()
	if !edit(w, m, body, tc.now) {
		return
	}
	s.teams.changes++
	post.seq = s.teams.changes // the reply chain changed
	w.WriteHeader(http.StatusNoContent)
}

// changeChannelMessage is a handler that applies change (softDelete or
// undoSoftDelete) to a channel message or reply.
func (s *Server) changeChannelMessage(change func(*chatMessage, time.Time) bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tc, post, m, ok := s.channelMessageToChange(w, r, channelMessageDeleteScopes)
		if !ok {
			return
		}
		defer s.teams.mu.Unlock()
		if change(m, tc.now) {
			s.teams.changes++
			post.seq = s.teams.changes
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

// chatMessageToChange is channelMessageToChange for a message ({mid}) of
// a chat ({chid}).
func (s *Server) chatMessageToChange(w http.ResponseWriter, r *http.Request, scopes []string) (*chatMessage, bool) {
	c, ch, ok := s.onChat(w, r, scopes)
	if !ok {
		return nil, false
	}
	i := slices.IndexFunc(ch.messages, func(m *chatMessage) bool { return m.id == r.PathValue("mid") })
	if i < 0 {
		s.teams.mu.Unlock()
		writeGraphError(w, http.StatusNotFound, "NotFound", "Message not found.")
		return nil, false
	}
	if !s.mayChange(w, c, ch.messages[i]) {
		s.teams.mu.Unlock()
		return nil, false
	}
	return ch.messages[i], true
}

func (s *Server) editChatMessage(w http.ResponseWriter, r *http.Request) {
	body, ok := readMessageJSON(w, r)
	if !ok {
		return
	}
	now := s.nowUTC()
	m, ok := s.chatMessageToChange(w, r, chatMessageEditScopes)
	if !ok {
		return
	}
	defer s.teams.mu.Unlock()
	if edit(w, m, body, now) {
		w.WriteHeader(http.StatusNoContent)
	}
}

// changeChatMessage is changeChannelMessage for a chat's message.
func (s *Server) changeChatMessage(scopes []string, change func(*chatMessage, time.Time) bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		now := s.nowUTC()
		m, ok := s.chatMessageToChange(w, r, scopes)
		if !ok {
			return
		}
		defer s.teams.mu.Unlock()
		change(m, now)
		w.WriteHeader(http.StatusNoContent)
	}
}

// asAddressedUser serves a chat request made through a user
// (/users/{uid}/chats/…, /me/chats/…) as next does through /chats/…,
// once the user is known to be the signed-in one.
func (s *Server) asAddressedUser(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, who, ok := addressedUser(w, r, "uid")
		if !ok {
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
		next(w, r)
	}
}

// edit applies an update (body, a chatMessage as sent) to m, checking the
// result as a posted message is checked. A deleted message is not
// edited. It answers the error itself and reports false when refused.
func edit(w http.ResponseWriter, m *chatMessage, body map[string]any, now time.Time) bool {
	if !m.deleted.IsZero() {
		writeGraphError(w, http.StatusBadRequest, "BadRequest", "The message was deleted and cannot be edited; undo the soft delete first.")
		return false
	}
	if _, ok := body["policyViolation"]; ok {
		writeGraphError(w, http.StatusForbidden, "Forbidden", "The policyViolation of a message can be updated only with application permissions.")
		return false
	}
	in := messageInput{subject: m.subject, importance: m.importance, contentType: m.contentType,
		content: m.content, mentions: m.mentions, attachments: m.attachments}.with(body)
	if _, ok := body["subject"]; ok {
		in.subject, _ = body["subject"].(string)
	}
	if imp, _ := body["importance"].(string); imp != "" {
		in.importance = imp
	}
	if !in.acceptable(w) {
		return false
	}
	m.subject, m.importance, m.contentType, m.content = in.subject, in.importance, in.contentType, in.content
	m.mentions, m.attachments = in.mentions, in.attachments
	m.edited = m.touch(now)
	return true
}

// touch marks m modified at now, or a millisecond after its last change
// when now is not later: the etag, lastModifiedDateTime in milliseconds,
// changes with every change, as clients comparing etags expect.
func (m *chatMessage) touch(now time.Time) time.Time {
	if earliest := m.modified.Add(time.Millisecond); now.Before(earliest) {
		now = earliest
	}
	m.modified = now
	return now
}

func (s *Server) nowUTC() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now().UTC()
}
