package graphtest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-o365/o365/graphtest/internal/odata"
)

// Presence: each app's presence session for a user (setPresence), and
// the presence the user prefers (setUserPreferredPresence), both with an
// expiry read against the server clock. A user's presence aggregates them
// as Microsoft documents: with no live session the user is Offline; with
// one, a live preferred presence wins; otherwise the sessions' strongest
// state (DoNotDisturb > Busy > Available > Away). An Available session
// not set again fades as presence-setpresence.md describes: to
// Available/AvailableInactive after 5 minutes, to Away/Away after 10.

type userPresence struct {
	sessions  map[string]presenceState // by session (app) id
	preferred *presenceState
}

type presenceState struct {
	availability, activity string
	expires                time.Time
	set                    time.Time // when the session was last set, for fading
}

// presenceTimeout is how long an Available session stays Available
// without being set again; each timeout fades it one stage.
const presenceTimeout = 5 * time.Minute

// at is the session's state at now: Available fades with each timeout
// since it was last set.
func (ps presenceState) at(now time.Time) (availability, activity string) {
	if ps.availability != "Available" || ps.set.IsZero() {
		return ps.availability, ps.activity
	}
	switch idle := now.Sub(ps.set); {
	case idle >= 2*presenceTimeout:
		return "Away", "Away"
	case idle >= presenceTimeout:
		return "Available", "AvailableInactive"
	}
	return ps.availability, ps.activity
}

var (
	presenceReadScopes  = []string{"Presence.Read", "Presence.Read.All"}
	presenceOtherScopes = []string{"Presence.Read.All"}
	presenceWriteScopes = []string{"Presence.ReadWrite", "Presence.ReadWrite.All"}

	sessionPairs = [][2]string{
		{"Available", "Available"}, {"Busy", "InACall"}, {"Busy", "InAConferenceCall"},
		{"Away", "Away"}, {"DoNotDisturb", "Presenting"},
	}
	preferredPairs = [][2]string{
		{"Available", "Available"}, {"Busy", "Busy"}, {"DoNotDisturb", "DoNotDisturb"},
		{"BeRightBack", "BeRightBack"}, {"Away", "Away"}, {"Offline", "OffWork"},
	}
	// sessionRank orders session availabilities, strongest first.
	sessionRank = []string{"DoNotDisturb", "Busy", "Available", "Away"}
)

func (s *Server) presenceRoutes() []route {
	return []route{
		{"GET /v1.0/me/presence", s.getPresence},
		{"GET /v1.0/users/{uid}/presence", s.getPresence},
		{"POST /v1.0/communications/getPresencesByUserId", s.getPresencesByUserID},
		{"POST /v1.0/me/presence/{action}", s.presenceAction},
		{"POST /v1.0/users/{uid}/presence/{action}", s.presenceAction},
	}
}

// presenceLocked is the aggregated presence of a user at now.
func (st *teamsStore) presenceLocked(userID string, now time.Time) (availability, activity string) {
	up := st.presence[userID]
	if up == nil {
		return "Offline", "Offline"
	}
	best := -1
	for _, ps := range up.sessions {
		if !now.Before(ps.expires) {
			continue
		}
		av, ac := ps.at(now)
		if r := slices.Index(sessionRank, av); best < 0 || r < best {
			best, availability, activity = r, av, ac
		}
	}
	switch {
	case best < 0:
		return "Offline", "Offline"
	case up.preferred != nil && now.Before(up.preferred.expires):
		return up.preferred.availability, up.preferred.activity
	}
	return availability, activity
}

func presenceJSON(id, availability, activity string) map[string]any {
	return map[string]any{
		"id": id, "availability": availability, "activity": activity,
		"statusMessage": nil,
	}
}

func (s *Server) getPresence(w http.ResponseWriter, r *http.Request) {
	c, who, ok := addressedUser(w, r, "uid")
	if !ok {
		return
	}
	if c.appOnly() {
		writeGraphError(w, http.StatusForbidden, "Forbidden", "This API is not supported for application permissions.")
		return
	}
	ppl, err := s.persons([]string{who})
	if err != nil {
		directoryNotFound(w, who)
		return
	}
	id := ppl[0].id
	scopes := presenceReadScopes
	if id != c.userID {
		scopes = presenceOtherScopes
	}
	if !hasScope(c, scopes...) {
		missingScope(w, scopes)
		return
	}
	s.mu.Lock()
	now := s.now()
	s.mu.Unlock()
	s.teams.mu.Lock()
	av, ac := s.teams.presenceLocked(id, now)
	s.teams.mu.Unlock()
	s.writeEntity(w, http.StatusOK, presenceJSON(id, av, ac), "users('"+id+"')/presence")
}

func (s *Server) getPresencesByUserID(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	if c.appOnly() {
		writeGraphError(w, http.StatusForbidden, "Forbidden", "This API is not supported for application permissions.")
		return
	}
	if !hasScope(c, presenceOtherScopes...) {
		missingScope(w, presenceOtherScopes)
		return
	}
	body, ok := readJSONObject(w, r, 1<<20)
	if !ok {
		return
	}
	raw, _ := body["ids"].([]any)
	if len(raw) == 0 || len(raw) > 650 {
		writeGraphError(w, http.StatusBadRequest, "BadRequest", "ids must hold 1 to 650 user ids, not "+strconv.Itoa(len(raw))+".")
		return
	}
	var ids []string
	for _, v := range raw {
		id, _ := v.(string)
		if !isGUID(id) {
			writeGraphError(w, http.StatusBadRequest, "BadRequest", "'"+id+"' is not a user object id.")
			return
		}
		ids = append(ids, id)
	}
	s.mu.Lock()
	now := s.now()
	known := map[string]bool{}
	for _, id := range ids {
		known[id] = s.userLocked(id) != nil
	}
	s.mu.Unlock()
	var items []map[string]any
	s.teams.mu.Lock()
	for _, id := range ids {
		av, ac := s.teams.presenceLocked(id, now)
		if !known[id] {
			av, ac = "PresenceUnknown", "PresenceUnknown"
		}
		items = append(items, presenceJSON(id, av, ac))
	}
	s.teams.mu.Unlock()
	writeGraphJSON(w, http.StatusOK, map[string]any{
		"@odata.context": s.metadataURL("Collection(microsoft.graph.presence)", nil),
		"value":          items,
	})
}

// isGUID reports whether s is exactly a GUID, as the filter lexer reads one.
func isGUID(s string) bool { return odata.IsGUID(s) }

// presenceAction answers setPresence, clearPresence,
// setUserPreferredPresence and clearUserPreferredPresence.
func (s *Server) presenceAction(w http.ResponseWriter, r *http.Request) {
	c, who, ok := addressedUser(w, r, "uid")
	if !ok {
		return
	}
	action := r.PathValue("action")
	known := []string{"setPresence", "clearPresence", "setUserPreferredPresence", "clearUserPreferredPresence"}
	if !slices.Contains(known, action) {
		writeGraphError(w, http.StatusBadRequest, "BadRequest", "Resource not found for the segment '"+action+"'.")
		return
	}
	if !hasScope(c, presenceWriteScopes...) {
		missingScope(w, presenceWriteScopes)
		return
	}
	ppl, err := s.persons([]string{who})
	if err != nil {
		directoryNotFound(w, who)
		return
	}
	id := ppl[0].id
	if !c.appOnly() && id != c.userID {
		accessDenied(w)
		return
	}
	body, ok := readJSONObject(w, r, 1<<16)
	if !ok {
		return
	}
	str := func(k string) string { v, _ := body[k].(string); return v }
	s.mu.Lock()
	now := s.now()
	s.mu.Unlock()
	bad := func(msg string) { writeGraphError(w, http.StatusBadRequest, "BadRequest", msg) }
	if action == "setPresence" || action == "clearPresence" {
		if sid := str("sessionId"); !strings.EqualFold(sid, c.clientID) {
			bad("sessionId '" + sid + "' is not the application id of the caller.")
			return
		}
	}
	var state presenceState
	if strings.HasPrefix(action, "set") {
		state.availability, state.activity = str("availability"), str("activity")
		pairs := sessionPairs
		if action == "setUserPreferredPresence" {
			pairs = preferredPairs
		}
		if !slices.Contains(pairs, [2]string{state.availability, state.activity}) {
			bad("Availability '" + state.availability + "' with activity '" + state.activity + "' is not a supported combination.")
			return
		}
		var d time.Duration
		given := str("expirationDuration") != ""
		if given {
			var ok bool
			if d, ok = parseISODuration(str("expirationDuration")); !ok {
				bad("Invalid expirationDuration '" + str("expirationDuration") + "'.")
				return
			}
		}
		switch {
		case action == "setPresence" && !given:
			d = 5 * time.Minute
		case action == "setPresence" && (d < 5*time.Minute || d > 4*time.Hour):
			bad("expirationDuration must be between PT5M and PT4H.")
			return
		case !given && (state.availability == "Busy" || state.availability == "DoNotDisturb"):
			d = 24 * time.Hour
		case !given:
			d = 7 * 24 * time.Hour
		}
		state.expires = now.Add(d)
	}
	st := &s.teams
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.presence == nil {
		st.presence = map[string]*userPresence{}
	}
	up := st.presence[id]
	if up == nil {
		up = &userPresence{sessions: map[string]presenceState{}}
		st.presence[id] = up
	}
	switch action {
	case "setPresence":
		state.set = now
		up.sessions[strings.ToLower(c.clientID)] = state
	case "clearPresence":
		ps, ok := up.sessions[strings.ToLower(c.clientID)]
		if !ok || !now.Before(ps.expires) {
			writeGraphError(w, http.StatusNotFound, "NotFound", "The presence session does not exist.")
			return
		}
		delete(up.sessions, strings.ToLower(c.clientID))
	case "setUserPreferredPresence":
		up.preferred = &state
	case "clearUserPreferredPresence":
		up.preferred = nil
	}
	w.WriteHeader(http.StatusOK)
}
