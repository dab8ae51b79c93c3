package graphtest

import (
	"encoding/base64"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Channel message delta: every change to a reply chain (a post, or a
// reply to it) stamps the post with the next number of s.teams.changes.
// A delta token is the number a round ended at; the next round answers
// the posts stamped after it. Tokens not made here answer 410 Gone.

const deltaTokenPrefix = "graphtest-teams:"

func (s *Server) channelMessageDelta(w http.ResponseWriter, r *http.Request) {
	_, _, c, ok := s.onChannel(w, r, channelMessageScopes)
	if !ok {
		return
	}
	since := int64(-1)
	if tok := r.URL.Query().Get("$deltatoken"); tok != "" {
		n, ok := parseTeamsDeltaToken(tok)
		if !ok {
			s.teams.mu.Unlock()
			writeGraphError(w, http.StatusGone, "SyncStateNotFound", "The delta token is not valid or has expired. Start a new round without it.")
			return
		}
		since = n
	}
	posts := slices.Clone(c.messages)
	slices.SortStableFunc(posts, func(a, b *chatMessage) int { return int(a.seq - b.seq) })
	var items []map[string]any
	for _, m := range posts {
		if m.seq > since {
			items = append(items, s.messageJSON(m))
		}
	}
	end := s.teams.changes
	s.teams.mu.Unlock()
	// A round's later pages and its delta link keep the query of the
	// first request ($top, $filter), as Graph's links encode it.
	q := r.URL.Query()
	q.Del("$skiptoken")
	q.Del("$deltatoken")
	q.Set("$deltatoken", encodeTeamsDeltaToken(end))
	link := s.graphBase(r) + r.URL.EscapedPath() + "?" + strings.ReplaceAll(q.Encode(), "%24", "$")
	s.serveCollection(w, r, items, collection{
		entitySet: "Collection(chatMessage)", pageSize: 50, maxTop: 50, errorCode: "BadRequest",
		final: map[string]any{"@odata.deltaLink": link},
	})
}

func encodeTeamsDeltaToken(n int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(deltaTokenPrefix + strconv.FormatInt(n, 10)))
}

func parseTeamsDeltaToken(tok string) (int64, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	rest, ok := strings.CutPrefix(string(raw), deltaTokenPrefix)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(rest, 10, 64)
	return n, err == nil && n >= 0
}
