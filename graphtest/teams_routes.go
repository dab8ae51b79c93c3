package graphtest

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Delegated scopes of the Teams APIs, least privileged first, as
// Microsoft's v1.0 pages list them.
var (
	joinedTeamsScopes = []string{"Team.ReadBasic.All", "TeamSettings.Read.All", "TeamSettings.ReadWrite.All",
		"User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"}
	teamReadScopes = []string{"Team.ReadBasic.All", "TeamSettings.Read.All", "TeamSettings.ReadWrite.All",
		"Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"}
	channelReadScopes = []string{"Channel.ReadBasic.All", "ChannelSettings.Read.All", "ChannelSettings.ReadWrite.All",
		"Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"}
	channelCreateScopes  = []string{"Channel.Create", "Group.ReadWrite.All", "Directory.ReadWrite.All"}
	channelDeleteScopes  = []string{"Channel.Delete.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"}
	channelMemberScopes  = []string{"ChannelMember.Read.All", "ChannelMember.ReadWrite.All"}
	channelMessageScopes = []string{"ChannelMessage.Read.All", "Group.Read.All", "Group.ReadWrite.All"}
	channelSendScopes    = []string{"ChannelMessage.Send", "Group.ReadWrite.All"}
	installedAppsScopes  = []string{"TeamsAppInstallation.ReadForTeam", "TeamsAppInstallation.ReadWriteSelfForTeam",
		"TeamsAppInstallation.ReadWriteForTeam", "TeamsAppInstallation.ReadWriteAndConsentSelfForTeam",
		"TeamsAppInstallation.ReadWriteAndConsentForTeam", "Group.Read.All", "Group.ReadWrite.All",
		"Directory.Read.All", "Directory.ReadWrite.All"}
)

// maxTeamsMessage is Teams' limit on a message's size (about 28 KB with
// its mentions and attachments); Graph answers 413 past it.
const maxTeamsMessage = 28 * 1024

func (s *Server) teamsRoutes() []route {
	ch := "/v1.0/teams/{tid}/channels/{cid}"
	rs := []route{
		{"GET /v1.0/me/joinedTeams", s.listJoinedTeams},
		{"GET /v1.0/users/{uid}/joinedTeams", s.listJoinedTeams},
		{"GET /v1.0/teams/{tid}", s.getTeam},
		{"GET /v1.0/teams/{tid}/channels", s.listChannels},
		{"POST /v1.0/teams/{tid}/channels", s.createChannel},
		{"GET " + ch, s.getChannel},
		{"DELETE " + ch, s.deleteChannel},
		{"GET " + ch + "/members", s.listChannelMembers},
		{"GET " + ch + "/messages", s.listChannelMessages},
		{"POST " + ch + "/messages", s.postChannelMessage},
		{"GET " + ch + "/messages/delta", s.channelMessageDelta},
		{"GET " + ch + "/messages/{mid}", s.getChannelMessage},
		{"GET " + ch + "/messages/{mid}/replies", s.listReplies},
		{"POST " + ch + "/messages/{mid}/replies", s.postChannelMessage},
		{"GET " + ch + "/messages/{mid}/replies/{rid}", s.getChannelMessage},
		{"GET /v1.0/teams/{tid}/installedApps", s.listInstalledApps},
	}
	return slices.Concat(rs, s.teamsEditRoutes(), s.chatRoutes(), s.presenceRoutes())
}

// teamCall is a request about one team, resolved: the caller, the team's
// group as it is now, and its members.
type teamCall struct {
	caller  caller
	group   Group
	members []person        // direct user members and owners, members first
	owners  map[string]bool // by user id
	now     time.Time
}

// onTeam resolves the team of r ({tid}) and checks the caller may use it
// with one of scopes: the team exists, and a delegated caller is one of
// its members or owners. It answers the error itself when not.
func (s *Server) onTeam(w http.ResponseWriter, r *http.Request, scopes []string) (teamCall, bool) {
	c := callerOf(r)
	if !c.appOnly() && !hasScope(c, scopes...) {
		missingScope(w, scopes)
		return teamCall{}, false
	}
	tid := r.PathValue("tid")
	s.mu.Lock()
	g := s.groupLocked(tid)
	var tc teamCall
	allowed := false
	if g != nil {
		tc = teamCall{caller: c, group: g.clone(), owners: map[string]bool{}, now: s.now().UTC()}
		allowed = c.appOnly() || s.isMemberLocked(g.ID, c.userID) || s.isOwnerLocked(g.ID, c.userID)
		for _, id := range slices.Concat(g.Members, g.Owners) {
			if u := s.userLocked(id); u != nil && !slices.ContainsFunc(tc.members, func(p person) bool { return p.id == id }) {
				tc.members = append(tc.members, personOf(u))
			}
		}
		for _, id := range g.Owners {
			tc.owners[id] = true
		}
	}
	s.mu.Unlock()
	s.teams.mu.Lock()
	exists := g != nil && s.teams.teams[g.ID] != nil
	s.teams.mu.Unlock()
	switch {
	case !exists:
		writeGraphError(w, http.StatusNotFound, "NotFound", "No team found with Group Id "+tid)
		return teamCall{}, false
	case !allowed:
		writeGraphError(w, http.StatusForbidden, "Forbidden", "Forbidden: the caller is not a member of team "+tid+".")
		return teamCall{}, false
	}
	return tc, true
}

func missingScope(w http.ResponseWriter, scopes []string) {
	writeGraphError(w, http.StatusForbidden, "Forbidden",
		"Missing scope permissions on the request. API requires one of '"+strings.Join(scopes, ", ")+"'.")
}

func (s *Server) listJoinedTeams(w http.ResponseWriter, r *http.Request) {
	c, who, ok := addressedUser(w, r, "uid")
	if !ok {
		return
	}
	if !c.appOnly() && !hasScope(c, joinedTeamsScopes...) {
		missingScope(w, joinedTeamsScopes)
		return
	}
	s.mu.Lock()
	u := s.userLocked(who)
	var groups []Group
	if u != nil {
		for _, g := range s.groups {
			if slices.Contains(g.Members, u.ID) || slices.Contains(g.Owners, u.ID) {
				groups = append(groups, g.clone())
			}
		}
	}
	s.mu.Unlock()
	if u == nil {
		directoryNotFound(w, who)
		return
	}
	if !c.appOnly() && u.ID != c.userID {
		// Delegated callers may list only their own (Graph's known issue).
		accessDenied(w)
		return
	}
	var items []map[string]any
	s.teams.mu.Lock()
	for _, g := range groups {
		if s.teams.teams[g.ID] != nil {
			items = append(items, map[string]any{
				"id": g.ID, "displayName": nullable(g.DisplayName), "description": nullable(g.Description),
				"isArchived": false, "tenantId": s.tenantID,
			})
		}
	}
	s.teams.mu.Unlock()
	s.serveCollection(w, r, items, collection{entitySet: "teams", pageSize: 100, maxTop: 999, errorCode: "BadRequest"})
}

func (s *Server) getTeam(w http.ResponseWriter, r *http.Request) {
	tc, ok := s.onTeam(w, r, teamReadScopes)
	if !ok {
		return
	}
	s.teams.mu.Lock()
	t := s.teams.teams[tc.group.ID]
	created := t.created
	s.teams.mu.Unlock()
	g := tc.group
	visibility := "public"
	if strings.EqualFold(g.Visibility, "Private") || strings.EqualFold(g.Visibility, "HiddenMembership") {
		visibility = "private"
	}
	owners := len(g.Owners)
	item := map[string]any{
		"id":                          g.ID,
		"createdDateTime":             created.Format(time.RFC3339Nano),
		"displayName":                 nullable(g.DisplayName),
		"description":                 nullable(g.Description),
		"internalId":                  "19:" + strings.ReplaceAll(g.ID, "-", "") + "@thread.tacv2",
		"classification":              nullable(g.Classification),
		"specialization":              "none",
		"visibility":                  visibility,
		"webUrl":                      "https://teams.microsoft.com/l/team/" + url.QueryEscape("19:"+strings.ReplaceAll(g.ID, "-", "")+"@thread.tacv2") + "/conversations?groupId=" + g.ID + "&tenantId=" + s.tenantID,
		"isArchived":                  false,
		"isMembershipLimitedToOwners": false,
		"tenantId":                    s.tenantID,
		"memberSettings": map[string]any{
			"allowCreateUpdateChannels": true, "allowCreatePrivateChannels": true, "allowDeleteChannels": true,
			"allowAddRemoveApps": true, "allowCreateUpdateRemoveTabs": true, "allowCreateUpdateRemoveConnectors": true,
		},
		"guestSettings": map[string]any{"allowCreateUpdateChannels": false, "allowDeleteChannels": false},
		"messagingSettings": map[string]any{
			"allowUserEditMessages": true, "allowUserDeleteMessages": true, "allowOwnerDeleteMessages": true,
			"allowTeamMentions": true, "allowChannelMentions": true,
		},
		"funSettings": map[string]any{
			"allowGiphy": true, "giphyContentRating": "moderate", "allowStickersAndMemes": true, "allowCustomMemes": true,
		},
		"discoverySettings": map[string]any{"showInTeamsSearchAndSuggestions": visibility == "public"},
		"summary":           map[string]any{"ownersCount": owners, "membersCount": len(tc.members), "guestsCount": 0},
	}
	s.serveEntity(w, r, item, "teams")
}

func (s *Server) channelJSON(teamID string, c *channel) map[string]any {
	return map[string]any{
		"id":                  c.id,
		"createdDateTime":     c.created.Format(time.RFC3339Nano),
		"displayName":         c.name,
		"description":         nullable(c.description),
		"isFavoriteByDefault": nil,
		"email":               "",
		"tenantId":            s.tenantID,
		"webUrl": "https://teams.microsoft.com/l/channel/" + url.PathEscape(c.id) + "/" + url.PathEscape(c.name) +
			"?groupId=" + teamID + "&tenantId=" + s.tenantID,
		"membershipType": c.membershipType,
	}
}

func teamContext(teamID, path string) string { return "teams('" + teamID + "')" + path }

func (s *Server) listChannels(w http.ResponseWriter, r *http.Request) {
	tc, ok := s.onTeam(w, r, channelReadScopes)
	if !ok {
		return
	}
	s.teams.mu.Lock()
	var items []map[string]any
	for _, c := range s.teams.teams[tc.group.ID].channels {
		items = append(items, s.channelJSON(tc.group.ID, c))
	}
	s.teams.mu.Unlock()
	s.serveCollection(w, r, items, collection{entitySet: teamContext(tc.group.ID, "/channels"), pageSize: 100, maxTop: 999, errorCode: "BadRequest"})
}

// onChannel is onTeam for a channel ({cid}) of the team: it answers 404
// for a channel the team does not have. It returns with s.teams.mu held
// when ok; the caller unlocks.
func (s *Server) onChannel(w http.ResponseWriter, r *http.Request, scopes []string) (teamCall, *team, *channel, bool) {
	tc, ok := s.onTeam(w, r, scopes)
	if !ok {
		return tc, nil, nil, false
	}
	s.teams.mu.Lock()
	t := s.teams.teams[tc.group.ID]
	c := t.channel(r.PathValue("cid"))
	if c == nil || c.id != r.PathValue("cid") {
		s.teams.mu.Unlock()
		writeGraphError(w, http.StatusNotFound, "NotFound", "Channel "+r.PathValue("cid")+" not found in team "+tc.group.ID+".")
		return tc, nil, nil, false
	}
	return tc, t, c, true
}

func (s *Server) getChannel(w http.ResponseWriter, r *http.Request) {
	tc, _, c, ok := s.onChannel(w, r, channelReadScopes)
	if !ok {
		return
	}
	item := s.channelJSON(tc.group.ID, c)
	s.teams.mu.Unlock()
	s.serveEntity(w, r, item, teamContext(tc.group.ID, "/channels"))
}

func (s *Server) createChannel(w http.ResponseWriter, r *http.Request) {
	tc, ok := s.onTeam(w, r, channelCreateScopes)
	if !ok {
		return
	}
	body, ok := readJSONObject(w, r, 1<<20)
	if !ok {
		return
	}
	name, _ := body["displayName"].(string)
	desc, _ := body["description"].(string)
	kind, _ := body["membershipType"].(string)
	if kind == "" {
		kind = "standard"
	}
	switch {
	case strings.TrimSpace(name) == "":
		writeGraphError(w, http.StatusBadRequest, "BadRequest", "Channel name cannot be empty.")
		return
	case len(name) > 50 || strings.ContainsAny(name, `~#%&*{}+/\:<>?|'".`):
		writeGraphError(w, http.StatusBadRequest, "BadRequest", "Channel name '"+name+"' is not valid: at most 50 characters, none of ~ # % & * { } + / \\ : < > ? | ' \" .")
		return
	case kind != "standard" && kind != "private" && kind != "shared":
		writeGraphError(w, http.StatusBadRequest, "BadRequest", "Invalid membershipType '"+kind+"'.")
		return
	}
	s.teams.mu.Lock()
	t := s.teams.teams[tc.group.ID]
	if t.channel(name) != nil {
		s.teams.mu.Unlock()
		writeGraphError(w, http.StatusConflict, "NameAlreadyExists", "Channel name already existed, please use other name.")
		return
	}
	c := &channel{id: newChannelID(), name: name, description: desc, membershipType: kind, created: tc.now}
	t.channels = append(t.channels, c)
	item := s.channelJSON(tc.group.ID, c)
	s.teams.mu.Unlock()
	s.writeEntity(w, http.StatusCreated, item, teamContext(tc.group.ID, "/channels"))
}

func (s *Server) deleteChannel(w http.ResponseWriter, r *http.Request) {
	_, t, c, ok := s.onChannel(w, r, channelDeleteScopes)
	if !ok {
		return
	}
	defer s.teams.mu.Unlock()
	if c == t.channels[0] {
		writeGraphError(w, http.StatusBadRequest, "BadRequest", "The General channel cannot be deleted.")
		return
	}
	t.channels = slices.DeleteFunc(t.channels, func(x *channel) bool { return x == c })
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) listChannelMembers(w http.ResponseWriter, r *http.Request) {
	tc, _, c, ok := s.onChannel(w, r, channelMemberScopes)
	if !ok {
		return
	}
	s.teams.mu.Unlock()
	var items []map[string]any
	for _, p := range tc.members {
		roles := []any{}
		if tc.owners[p.id] {
			roles = append(roles, "owner")
		}
		items = append(items, memberJSON(tc.group.ID, p, roles, s.tenantID))
	}
	s.serveCollection(w, r, items, collection{entitySet: teamContext(tc.group.ID, "/channels('"+url.PathEscape(c.id)+"')/members"),
		pageSize: 100, maxTop: 999, errorCode: "BadRequest"})
}

// memberJSON is a conversationMember of a channel or chat (of scope, a
// team or chat id).
func memberJSON(scope string, p person, roles []any, tenant string) map[string]any {
	return map[string]any{
		"@odata.type":                 "#microsoft.graph.aadUserConversationMember",
		"id":                          base64.StdEncoding.EncodeToString([]byte(scope + "##" + p.id)),
		"roles":                       roles,
		"displayName":                 p.name,
		"visibleHistoryStartDateTime": "0001-01-01T00:00:00Z",
		"userId":                      p.id,
		"email":                       p.address,
		"tenantId":                    tenant,
	}
}

// messageJSON is a chatMessage as Graph answers it.
func (s *Server) messageJSON(m *chatMessage) map[string]any {
	var replyTo, chatID, channelIdentity any
	webURL := "https://teams.microsoft.com/l/message/" + url.PathEscape(m.chatID) + "/" + m.id + "?context=%7B%22contextType%22:%22chat%22%7D"
	if m.chatID != "" {
		chatID = m.chatID
	} else {
		channelIdentity = map[string]any{"teamId": m.teamID, "channelId": m.channelID}
		parent := m.id
		if m.replyTo != "" {
			parent = m.replyTo
		}
		webURL = "https://teams.microsoft.com/l/message/" + url.PathEscape(m.channelID) + "/" + m.id +
			"?groupId=" + m.teamID + "&tenantId=" + s.tenantID + "&createdTime=" + m.id + "&parentMessageId=" + parent
	}
	if m.replyTo != "" {
		replyTo = m.replyTo
	}
	mentions := m.mentions
	if mentions == nil {
		mentions = []any{}
	}
	attachments := m.attachments
	if attachments == nil {
		attachments = []any{}
	}
	subject, content := nullable(m.subject), m.content
	if !m.deleted.IsZero() {
		// A soft-deleted message keeps its place in lists and deltas,
		// with nothing of what was written: readers see that it was
		// deleted, and when. undoSoftDelete brings the content back.
		subject, content, mentions, attachments = nil, "", []any{}, []any{}
	}
	return map[string]any{
		"@odata.type":          "#microsoft.graph.chatMessage",
		"id":                   m.id,
		"replyToId":            replyTo,
		"etag":                 strconv.FormatInt(m.modified.UnixMilli(), 10),
		"messageType":          "message",
		"createdDateTime":      m.created.Format(time.RFC3339Nano),
		"lastModifiedDateTime": m.modified.Format(time.RFC3339Nano),
		"lastEditedDateTime":   nullableTime(m.edited),
		"deletedDateTime":      nullableTime(m.deleted),
		"subject":              subject,
		"summary":              nil,
		"chatId":               chatID,
		"importance":           m.importance,
		"locale":               "en-us",
		"webUrl":               webURL,
		"policyViolation":      nil,
		"eventDetail":          nil,
		"from": map[string]any{
			"application": nil, "device": nil, "conversation": nil,
			"user": map[string]any{
				"@odata.type": "#microsoft.graph.teamworkUserIdentity",
				"id":          m.from.id, "displayName": m.from.name, "userIdentityType": "aadUser", "tenantId": s.tenantID,
			},
		},
		"body":            map[string]any{"contentType": m.contentType, "content": content},
		"channelIdentity": channelIdentity,
		"attachments":     attachments,
		"mentions":        mentions,
		"reactions":       []any{},
		"messageHistory":  []any{},
	}
}

func (s *Server) listChannelMessages(w http.ResponseWriter, r *http.Request) {
	tc, _, c, ok := s.onChannel(w, r, channelMessageScopes)
	if !ok {
		return
	}
	var items []map[string]any
	for i := len(c.messages) - 1; i >= 0; i-- { // newest first
		items = append(items, s.messageJSON(c.messages[i]))
	}
	s.teams.mu.Unlock()
	s.serveCollection(w, r, items, collection{entitySet: teamContext(tc.group.ID, "/channels('"+url.PathEscape(c.id)+"')/messages"),
		pageSize: 20, maxTop: 50, noSkip: true, errorCode: "BadRequest"})
}

// getChannelMessage answers a message of a channel ({mid}), or one of
// its replies ({rid}).
func (s *Server) getChannelMessage(w http.ResponseWriter, r *http.Request) {
	tc, _, c, ok := s.onChannel(w, r, channelMessageScopes)
	if !ok {
		return
	}
	m := c.message(r.PathValue("mid"))
	if rid := r.PathValue("rid"); m != nil && rid != "" {
		replies := m.replies
		m = nil
		if i := slices.IndexFunc(replies, func(x *chatMessage) bool { return x.id == rid }); i >= 0 {
			m = replies[i]
		}
	}
	if m == nil {
		s.teams.mu.Unlock()
		writeGraphError(w, http.StatusNotFound, "NotFound", "Message not found.")
		return
	}
	item := s.messageJSON(m)
	s.teams.mu.Unlock()
	s.serveEntity(w, r, item, teamContext(tc.group.ID, "/channels('"+url.PathEscape(c.id)+"')/messages"))
}

func (s *Server) listReplies(w http.ResponseWriter, r *http.Request) {
	tc, _, c, ok := s.onChannel(w, r, channelMessageScopes)
	if !ok {
		return
	}
	m := c.message(r.PathValue("mid"))
	if m == nil {
		s.teams.mu.Unlock()
		writeGraphError(w, http.StatusNotFound, "NotFound", "Message not found.")
		return
	}
	var items []map[string]any
	for i := len(m.replies) - 1; i >= 0; i-- {
		items = append(items, s.messageJSON(m.replies[i]))
	}
	s.teams.mu.Unlock()
	s.serveCollection(w, r, items, collection{entitySet: teamContext(tc.group.ID, "/channels('"+url.PathEscape(c.id)+"')/messages('"+m.id+"')/replies"),
		pageSize: 20, maxTop: 50, noSkip: true, errorCode: "BadRequest"})
}

// postChannelMessage posts a message to a channel, or a reply ({mid}).
func (s *Server) postChannelMessage(w http.ResponseWriter, r *http.Request) {
	tc, ok := s.onTeam(w, r, channelSendScopes)
	if !ok {
		return
	}
	if tc.caller.appOnly() {
		writeGraphError(w, http.StatusForbidden, "Forbidden", "Application permissions can only post messages in migration mode.")
		return
	}
	in, ok := readMessageInput(w, r)
	if !ok {
		return
	}
	from := personFrom(tc.members, tc.caller.userID)
	s.teams.mu.Lock()
	defer s.teams.mu.Unlock()
	t := s.teams.teams[tc.group.ID]
	c := t.channel(r.PathValue("cid"))
	if c == nil || c.id != r.PathValue("cid") {
		writeGraphError(w, http.StatusNotFound, "NotFound", "Channel "+r.PathValue("cid")+" not found in team "+tc.group.ID+".")
		return
	}
	st := &s.teams
	m := in.message(st.nextIDLocked(tc.now), from, tc.now)
	m.teamID, m.channelID = tc.group.ID, c.id
	st.changes++
	if mid := r.PathValue("mid"); mid != "" {
		parent := c.message(mid)
		if parent == nil {
			writeGraphError(w, http.StatusNotFound, "NotFound", "Message not found.")
			return
		}
		m.replyTo = parent.id
		parent.replies = append(parent.replies, m)
		parent.seq = st.changes // the reply chain changed
	} else {
		m.subject = in.subject
		m.seq = st.changes
		c.messages = append(c.messages, m)
	}
	s.writeEntity(w, http.StatusCreated, s.messageJSON(m), teamContext(tc.group.ID, "/channels('"+url.PathEscape(c.id)+"')/messages"))
}

// personFrom finds userID among ppl; a caller who is not there (an owner
// of a nested group, say) is named by id alone.
func personFrom(ppl []person, userID string) person {
	for _, p := range ppl {
		if p.id == userID {
			return p
		}
	}
	return person{id: userID}
}

// messageInput is a chatMessage as a client posts it.
type messageInput struct {
	subject, importance   string
	contentType, content  string
	mentions, attachments []any
}

// readMessageInput reads and checks a posted chatMessage: a body with
// content, mentions that match <at id> tags of an HTML body, and the
// size limit. It answers the error itself when the message is refused.
func readMessageInput(w http.ResponseWriter, r *http.Request) (messageInput, bool) {
	body, ok := readMessageJSON(w, r)
	if !ok {
		return messageInput{}, false
	}
	in := messageInput{importance: "normal", contentType: "text"}
	in.subject, _ = body["subject"].(string)
	if imp, _ := body["importance"].(string); imp != "" {
		in.importance = imp
	}
	in = in.with(body)
	return in, in.acceptable(w)
}

// readMessageJSON reads a chatMessage a client sends, as JSON of at
// most Teams' message size. It answers the error itself when it cannot.
func readMessageJSON(w http.ResponseWriter, r *http.Request) (map[string]any, bool) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 4<<20))
	if err == nil && len(data) > maxTeamsMessage {
		err = errors.New("the message is " + strconv.Itoa(len(data)) + " bytes")
	}
	if err != nil {
		writeGraphError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
			"Request Entity too large: "+err.Error()+", over Teams' limit of about 28 KB.")
		return nil, false
	}
	var body map[string]any
	if err := json.Unmarshal(data, &body); err != nil || body == nil {
		writeGraphError(w, http.StatusBadRequest, "BadRequest",
			"Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
		return nil, false
	}
	return body, true
}

// with is in with the body, mentions and attachments that body (a
// chatMessage as sent) names; what it leaves out stays as it was, so an
// update changes only what it sends.
func (in messageInput) with(body map[string]any) messageInput {
	if _, ok := body["body"]; ok {
		b, _ := body["body"].(map[string]any)
		in.content, _ = b["content"].(string)
		in.contentType = "text"
		if ct, _ := b["contentType"].(string); ct != "" {
			in.contentType = strings.ToLower(ct)
		}
	}
	if _, ok := body["mentions"]; ok {
		in.mentions, _ = body["mentions"].([]any)
	}
	if _, ok := body["attachments"]; ok {
		in.attachments, _ = body["attachments"].([]any)
	}
	return in
}

// acceptable reports whether Graph would take the message: a body with
// content (or attachments), of a known type, whose mentions match <at
// id> tags of an HTML body. It answers 400 itself when not.
func (in messageInput) acceptable(w http.ResponseWriter) bool {
	switch {
	case strings.TrimSpace(in.content) == "" && len(in.attachments) == 0:
		writeGraphError(w, http.StatusBadRequest, "BadRequest", "Message body cannot be empty.")
		return false
	case in.contentType != "text" && in.contentType != "html":
		writeGraphError(w, http.StatusBadRequest, "BadRequest", "Invalid body contentType '"+in.contentType+"'.")
		return false
	}
	for _, raw := range in.mentions {
		mn, _ := raw.(map[string]any)
		id, isNum := mn["id"].(float64)
		if !isNum || in.contentType != "html" ||
			!strings.Contains(in.content, `<at id="`+strconv.FormatFloat(id, 'f', -1, 64)+`">`) {
			writeGraphError(w, http.StatusBadRequest, "BadRequest",
				"Mention id in the mentions collection does not match an <at> tag in the HTML message body.")
			return false
		}
	}
	return true
}

func (in messageInput) message(id string, from person, now time.Time) *chatMessage {
	return &chatMessage{id: id, from: from, created: now, modified: now, importance: in.importance,
		contentType: in.contentType, content: in.content, mentions: in.mentions, attachments: in.attachments}
}

func (s *Server) listInstalledApps(w http.ResponseWriter, r *http.Request) {
	tc, ok := s.onTeam(w, r, installedAppsScopes)
	if !ok {
		return
	}
	expand := map[string]bool{}
	for _, e := range strings.Split(r.URL.Query().Get("$expand"), ",") {
		expand[strings.TrimSpace(e)] = true
	}
	s.teams.mu.Lock()
	apps := slices.Clone(s.teams.teams[tc.group.ID].apps)
	s.teams.mu.Unlock()
	var items []map[string]any
	for _, a := range apps {
		item := map[string]any{"id": base64.StdEncoding.EncodeToString([]byte(tc.group.ID + "##" + a.ID))}
		if expand["teamsApp"] {
			item["teamsApp"] = map[string]any{"id": a.ID, "externalId": nil, "displayName": a.DisplayName, "distributionMethod": a.DistributionMethod}
		}
		if expand["teamsAppDefinition"] {
			item["teamsAppDefinition"] = map[string]any{
				"id":                   base64.StdEncoding.EncodeToString([]byte(a.ID + "##" + a.Version)),
				"teamsAppId":           a.ID,
				"azureADAppId":         nil,
				"displayName":          a.DisplayName,
				"version":              a.Version,
				"publishingState":      "published",
				"shortDescription":     nullable(a.ShortDescription),
				"description":          nullable(a.Description),
				"lastModifiedDateTime": nil,
				"createdBy":            nil,
			}
		}
		items = append(items, item)
	}
	s.serveCollection(w, r, items, collection{entitySet: teamContext(tc.group.ID, "/installedApps"), pageSize: 100, maxTop: 999, errorCode: "BadRequest"})
}
