package graphtest

// Microsoft Teams: teams (on Microsoft 365 groups), channels, channel
// messages with replies and delta, chats, installed apps, and presence.
// A team is a Unified group with a team: the team id is the group id, and
// the team's members and owners are the group's, so membership is read
// from the group records (groups_directory.go) and never kept twice.
// Teams data lives in s.teams under its own lock; a handler resolves
// users and groups under s.mu first, then takes s.teams.mu, never both.

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// teamsStore holds the Teams data. Its zero value is ready: maps are made
// on first use.
type teamsStore struct {
	mu       sync.Mutex
	teams    map[string]*team // by group id
	chats    []*chat          // in creation order
	presence map[string]*userPresence
	lastID   int64 // the last message id handed out (epoch milliseconds)
	changes  int64 // counts changes of channel messages, for delta tokens
}

type team struct {
	groupID  string
	created  time.Time
	channels []*channel
	apps     []TeamsApp
}

type channel struct {
	id, name, description, membershipType string
	created                               time.Time
	messages                              []*chatMessage // top-level posts, oldest first
}

type chatMessage struct {
	id, replyTo           string
	from                  person
	created, modified     time.Time
	edited, deleted       time.Time // zero when never edited, or not deleted
	subject, importance   string
	contentType, content  string
	mentions, attachments []any
	replies               []*chatMessage
	seq                   int64 // s.teams.changes when the reply chain last changed
	teamID, channelID     string
	chatID                string
}

type chat struct {
	id, topic, chatType string
	created, updated    time.Time
	members             []person
	messages            []*chatMessage
}

// TeamsApp is an app installed in a team: what List apps in team answers
// with $expand=teamsAppDefinition.
type TeamsApp struct {
	// ID is the app's id in the catalog; generated when empty.
	ID               string
	DisplayName      string
	Version          string // "1.0.0" when empty
	ShortDescription string
	Description      string
	// DistributionMethod is store (the default), organization or
	// sideloaded.
	DistributionMethod string
}

// AddTeam makes a team of the Microsoft 365 group with id (or mail)
// group, with a General channel and one standard channel for each name in
// channels. The group's members and owners are the team's. A group that
// is not Unified, or already has a team, is an error.
func (s *Server) AddTeam(group string, channels ...string) error {
	s.mu.Lock()
	g := s.groupLocked(group)
	var id string
	var unified bool
	if g != nil {
		id, unified = g.ID, g.unified()
	}
	now := s.now().UTC()
	s.mu.Unlock()
	switch {
	case g == nil:
		return fmt.Errorf("graphtest: AddTeam: no group %q", group)
	case !unified:
		return fmt.Errorf("graphtest: AddTeam: group %q is not a Microsoft 365 (Unified) group", group)
	}
	st := &s.teams
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.teams == nil {
		st.teams = map[string]*team{}
	}
	if st.teams[id] != nil {
		return fmt.Errorf("graphtest: AddTeam: group %q already has a team", group)
	}
	t := &team{groupID: id, created: now}
	t.channels = append(t.channels, &channel{id: newChannelID(), name: "General", membershipType: "standard", created: now})
	for _, name := range channels {
		if t.channel(name) != nil {
			return fmt.Errorf("graphtest: AddTeam: channel %q twice", name)
		}
		t.channels = append(t.channels, &channel{id: newChannelID(), name: name, membershipType: "standard", created: now})
	}
	st.teams[id] = t
	return nil
}

// ChannelID returns the id of the team's channel with the given display
// name (compared without regard to case), for tests that seed a team and
// then address its channels.
func (s *Server) ChannelID(teamID, name string) (string, error) {
	st := &s.teams
	st.mu.Lock()
	defer st.mu.Unlock()
	t := st.teams[teamID]
	if t == nil {
		return "", fmt.Errorf("graphtest: no team %q", teamID)
	}
	c := t.channel(name)
	if c == nil {
		return "", fmt.Errorf("graphtest: team %q has no channel %q", teamID, name)
	}
	return c.id, nil
}

// InstallTeamsApp installs app in the team, returning it with its ID
// filled in.
func (s *Server) InstallTeamsApp(teamID string, app TeamsApp) (TeamsApp, error) {
	if app.ID == "" {
		app.ID = newGUID()
	}
	if app.Version == "" {
		app.Version = "1.0.0"
	}
	if app.DistributionMethod == "" {
		app.DistributionMethod = "store"
	}
	st := &s.teams
	st.mu.Lock()
	defer st.mu.Unlock()
	t := st.teams[teamID]
	if t == nil {
		return TeamsApp{}, fmt.Errorf("graphtest: no team %q", teamID)
	}
	t.apps = append(t.apps, app)
	return app, nil
}

// AddChat starts a chat between users (by id or user principal name):
// chatType "oneOnOne" (two users) or "group" (topic optional). It returns
// the chat's id; a one-on-one chat the two already have is returned as
// it is, as Graph does.
func (s *Server) AddChat(chatType, topic string, users ...string) (string, error) {
	ppl, err := s.persons(users)
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	now := s.now().UTC()
	s.mu.Unlock()
	c, err := s.teams.newChat(chatType, topic, ppl, now)
	if err != nil {
		return "", fmt.Errorf("graphtest: AddChat: %w", err)
	}
	return c.id, nil
}

// AddChatMessage posts a text message to a chat as from (a member, by id
// or user principal name), and returns the message id.
func (s *Server) AddChatMessage(chatID, from, text string) (string, error) {
	ppl, err := s.persons([]string{from})
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	now := s.now().UTC()
	s.mu.Unlock()
	st := &s.teams
	st.mu.Lock()
	defer st.mu.Unlock()
	c := st.chat(chatID)
	if c == nil {
		return "", fmt.Errorf("graphtest: no chat %q", chatID)
	}
	if !c.has(ppl[0].id) {
		return "", fmt.Errorf("graphtest: %s is not in chat %q", from, chatID)
	}
	m := &chatMessage{id: st.nextIDLocked(now), from: ppl[0], created: now, modified: now, contentType: "text",
		content: text, importance: "normal", chatID: c.id}
	c.messages = append(c.messages, m)
	c.updated = now
	return m.id, nil
}

// persons resolves users by id or user principal name.
func (s *Server) persons(names []string) ([]person, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]person, len(names))
	for i, n := range names {
		u := s.userLocked(n)
		if u == nil {
			return nil, fmt.Errorf("graphtest: no user %q", n)
		}
		out[i] = personOf(u)
	}
	return out, nil
}

// newChat creates a chat, or finds the one-on-one chat the two members
// already have.
func (st *teamsStore) newChat(chatType, topic string, members []person, now time.Time) (*chat, error) {
	ids := make([]string, len(members))
	for i, m := range members {
		ids[i] = m.id
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	switch chatType {
	case "oneOnOne":
		if len(ids) != 2 || len(members) != 2 {
			return nil, fmt.Errorf("a oneOnOne chat has two different members, not %d", len(ids))
		}
		if topic != "" {
			return nil, fmt.Errorf("a oneOnOne chat has no topic")
		}
	case "group":
		if len(ids) < 2 {
			return nil, fmt.Errorf("a group chat has at least two members")
		}
	default:
		return nil, fmt.Errorf("chat type %q is not oneOnOne or group", chatType)
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if chatType == "oneOnOne" {
		id := "19:" + ids[0] + "_" + ids[1] + "@unq.gbl.spaces"
		if c := st.chat(id); c != nil {
			return c, nil
		}
		c := &chat{id: id, chatType: chatType, created: now, updated: now, members: members}
		st.chats = append(st.chats, c)
		return c, nil
	}
	var uniq []person
	for _, m := range members {
		if !slices.ContainsFunc(uniq, func(p person) bool { return p.id == m.id }) {
			uniq = append(uniq, m)
		}
	}
	c := &chat{id: "19:" + randomHex(16) + "@thread.v2", topic: topic, chatType: chatType, created: now, updated: now, members: uniq}
	st.chats = append(st.chats, c)
	return c, nil
}

func (st *teamsStore) chat(id string) *chat {
	for _, c := range st.chats {
		if c.id == id {
			return c
		}
	}
	return nil
}

func (c *chat) has(userID string) bool {
	return slices.ContainsFunc(c.members, func(p person) bool { return p.id == userID })
}

// channel finds a channel by id, or by display name without regard to
// case.
func (t *team) channel(idOrName string) *channel {
	for _, c := range t.channels {
		if c.id == idOrName || strings.EqualFold(c.name, idOrName) {
			return c
		}
	}
	return nil
}

func (c *channel) message(id string) *chatMessage {
	for _, m := range c.messages {
		if m.id == id {
			return m
		}
	}
	return nil
}

// nextIDLocked hands out a message id: Graph's are the epoch milliseconds
// of the post, made unique here by counting up past the last one.
func (st *teamsStore) nextIDLocked(now time.Time) string {
	id := max(now.UnixMilli(), st.lastID+1)
	st.lastID = id
	return strconv.FormatInt(id, 10)
}

func newChannelID() string { return "19:" + randomHex(16) + "@thread.tacv2" }

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
