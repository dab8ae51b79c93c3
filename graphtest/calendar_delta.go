package graphtest

// Calendar view delta: GET /calendarView/delta?startDateTime=…&endDateTime=…
// of the default calendar (/me/…, /me/calendar/…) or of any calendar
// (/me/calendars/{id}/…). The first round answers every single event,
// occurrence and exception in the window, by start; later rounds (from the
// @odata.deltaLink) what was created or changed in the window since, and
// under @removed what left it: deleted events and occurrences, events
// moved out of the window, and, as Graph does, events outside the window
// that were created, changed or deleted. Rounds page by Prefer
// odata.maxpagesize (10 by default) with @odata.nextLink ($skiptoken) and
// end with @odata.deltaLink ($deltatoken).
//
// Unlike the contact and mail deltas, whose tokens carry change counters,
// a calendar view's sync state is kept here, as Exchange keeps it: which
// instances the client was last given, by change key. Occurrences have no
// change record of their own (deleting one changes its series), so only
// comparing what the view held with what it holds tells which occurrences
// left it. A token names a state; a state the emulator no longer has (see
// ExpireCalendarDeltaTokens, or more than maxCalendarDeltaStates since) is
// 410 Gone SyncStateNotFound, as is a token it never issued.

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// calendarDeltaState is what a delta link stands for: a calendar view and
// what the client holds of it.
type calendarDeltaState struct {
	owner, calendar string
	from, to        time.Time
	// seen are the instances in the window, by id: their change keys.
	seen map[string]string
	// events are every event of the calendar, by id, in or out of the
	// window: their change keys.
	events map[string]string
}

// calendarDeltaRound is a round being paged: what it reports, and the
// state its delta link names.
type calendarDeltaRound struct {
	owner, calendar string
	items           []calendarDeltaItem
	deltaToken      string // the key of the state the round ends in
	key             string // the round's own key, once it has more than one page
}

// calendarDeltaItem is one entry of a round: an instance created or
// changed, or the id of one removed.
type calendarDeltaItem struct {
	id      string
	removed bool
	in      instance
}

// maxCalendarDeltaStates bounds the sync states and rounds kept; the
// oldest go first, and their tokens then answer 410 Gone.
const maxCalendarDeltaStates = 10000

// calendarDeltas holds the sync states and rounds of calendar view delta.
type calendarDeltas struct {
	states map[string]*calendarDeltaState
	rounds map[string]*calendarDeltaRound
	order  []string // keys of both maps, oldest first
}

// keep records a state or round under a new key and drops the oldest
// beyond the bound. st.mu must be held.
func (d *calendarDeltas) keep(state *calendarDeltaState, round *calendarDeltaRound) string {
	if d.states == nil {
		d.states, d.rounds = map[string]*calendarDeltaState{}, map[string]*calendarDeltaRound{}
	}
	key := calendarHex(16)
	if state != nil {
		d.states[key] = state
	} else {
		d.rounds[key] = round
	}
	d.order = append(d.order, key)
	for len(d.order) > maxCalendarDeltaStates {
		delete(d.states, d.order[0])
		delete(d.rounds, d.order[0])
		d.order = d.order[1:]
	}
	return key
}

// ExpireCalendarDeltaTokens forgets every calendar view sync state issued
// so far: following a delta link or next link answers 410 Gone
// (SyncStateNotFound), and the client has to sync again from the start.
func (s *Server) ExpireCalendarDeltaTokens() {
	s.calendar.mu.Lock()
	defer s.calendar.mu.Unlock()
	s.calendar.deltas = calendarDeltas{}
}

const calendarDeltaPrefix = "graphtest-calendar-delta:"

func calendarDeltaToken(kind, key string, offset int) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%s%s:%s:%d", calendarDeltaPrefix, kind, key, offset))
}

// decodeCalendarDeltaToken reads a token of kind ("state" or "round").
func decodeCalendarDeltaToken(s, kind string) (key string, offset int, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return "", 0, false
	}
	rest, found := strings.CutPrefix(string(b), calendarDeltaPrefix+kind+":")
	if !found {
		return "", 0, false
	}
	key, off, found := strings.Cut(rest, ":")
	if !found || key == "" {
		return "", 0, false
	}
	offset, err = strconv.Atoi(off)
	if err != nil || offset < 0 {
		return "", 0, false
	}
	return key, offset, true
}

// calendarDeltaUnsupported are the query options Graph refuses on a
// calendar view delta (event-delta.md: "$select is not supported", nor
// $expand, $filter, $orderby and $search).
var calendarDeltaUnsupported = []string{"$select", "$expand", "$filter", "$orderby", "$search"}

func syncStateNotFound(w http.ResponseWriter) {
	writeGraphError(w, http.StatusGone, "SyncStateNotFound", "The sync state generation is not found or has expired. Resync from the start.")
}

// snapshot is the view of cal over [from, to) seen from loc: its
// instances in order of start, and the state that records them. st.mu
// must be held.
func (b *calendarBook) snapshot(cal *calendarFolder, from, to time.Time, loc *time.Location) ([]instance, *calendarDeltaState) {
	state := &calendarDeltaState{owner: b.owner.id, calendar: cal.id, from: from, to: to,
		seen: map[string]string{}, events: map[string]string{}}
	var list []instance
	for _, ev := range b.events {
		if ev.calendarID != cal.id {
			continue
		}
		state.events[ev.id] = ev.changeKey
		ev.occurrences(from, to, loc, func(in instance) bool {
			list = append(list, in)
			state.seen[in.id] = ev.changeKey
			return true
		})
	}
	slices.SortStableFunc(list, func(a, b instance) int {
		as, _ := a.span(loc)
		bs, _ := b.span(loc)
		return cmp.Or(as.Compare(bs), strings.Compare(a.id, b.id))
	})
	return list, state
}

// changesSince compares the view now (list, now) with what the client
// was last given (was): removals first, then what is new or changed.
func changesSince(was, now *calendarDeltaState, list []instance) []calendarDeltaItem {
	removed := map[string]bool{}
	for id := range was.seen {
		if _, ok := now.seen[id]; !ok {
			removed[id] = true
		}
	}
	// Events outside the window that changed, appeared or went: Graph
	// reports them under @removed too (event-delta.md), for the client to
	// filter.
	inWindow := func(s *calendarDeltaState, eventID string) bool {
		for id := range s.seen {
			if id == eventID || strings.HasPrefix(id, eventID+occurrenceSep) {
				return true
			}
		}
		return false
	}
	for id, key := range now.events {
		if was.events[id] != key && !inWindow(now, id) && !inWindow(was, id) {
			removed[id] = true
		}
	}
	for id := range was.events {
		if _, ok := now.events[id]; !ok && !inWindow(was, id) {
			removed[id] = true
		}
	}
	var items []calendarDeltaItem
	for _, id := range slices.Sorted(maps.Keys(removed)) {
		items = append(items, calendarDeltaItem{id: id, removed: true})
	}
	for _, in := range list {
		if key, ok := was.seen[in.id]; !ok || key != in.ev.changeKey {
			items = append(items, calendarDeltaItem{id: in.id, in: in})
		}
	}
	return items
}

func (s *Server) calendarViewDelta(w http.ResponseWriter, r *http.Request) {
	req, ok := s.calendarTarget(w, r, false)
	if !ok {
		return
	}
	q := r.URL.Query()
	for _, name := range calendarDeltaUnsupported {
		if q.Has(name) {
			writeGraphError(w, http.StatusBadRequest, "ErrorInvalidUrlQuery",
				"The following parameters are not supported with change tracking over the 'Events' resource: '"+name+"'.")
			return
		}
	}
	skip, delta := q.Get("$skiptoken"), q.Get("$deltatoken")
	var from, to time.Time
	if skip == "" && delta == "" {
		var err error
		if from, to, err = window(r); err != nil {
			writeRequestError(w, err)
			return
		}
		if to.Before(from) {
			writeGraphError(w, http.StatusBadRequest, "ErrorInvalidParameter", "The parameter 'EndDateTime' must not be before 'StartDateTime'.")
			return
		}
	}
	pageSize, preferred := deltaPageSize(r)

	st := s.calendar
	st.mu.Lock()
	b := st.book(req.owner)
	cal := b.calendarOf(r)
	if cal == nil {
		st.mu.Unlock()
		itemNotFound(w)
		return
	}
	var round *calendarDeltaRound
	offset := 0
	switch {
	case skip != "":
		var key string
		key, offset, ok = decodeCalendarDeltaToken(skip, "round")
		round = st.deltas.rounds[key]
		if !ok || round == nil || round.owner != b.owner.id || round.calendar != cal.id || offset > len(round.items) {
			st.mu.Unlock()
			syncStateNotFound(w)
			return
		}
	default:
		// A round starts: from a delta link, with what the client holds;
		// or afresh, with nothing.
		var was *calendarDeltaState
		if delta != "" {
			key, _, ok := decodeCalendarDeltaToken(delta, "state")
			if was = st.deltas.states[key]; !ok || was == nil || was.owner != b.owner.id || was.calendar != cal.id {
				st.mu.Unlock()
				syncStateNotFound(w)
				return
			}
			from, to = was.from, was.to
		}
		list, now := b.snapshot(cal, from, to, req.view.loc)
		round = &calendarDeltaRound{owner: b.owner.id, calendar: cal.id}
		if was == nil {
			for _, in := range list {
				round.items = append(round.items, calendarDeltaItem{id: in.id, in: in})
			}
		} else {
			round.items = changesSince(was, now, list)
		}
		round.deltaToken = st.deltas.keep(now, nil)
	}
	page := round.items[offset:]
	body := map[string]any{"@odata.context": s.GraphURL() + "/v1.0/$metadata#Collection(event)"}
	link := s.graphBase(r) + r.URL.EscapedPath() + "?"
	if len(page) > pageSize {
		page = page[:pageSize]
		if round.key == "" {
			round.key = st.deltas.keep(nil, round)
		}
		body["@odata.nextLink"] = link + "$skiptoken=" + calendarDeltaToken("round", round.key, offset+pageSize)
	} else {
		body["@odata.deltaLink"] = link + "$deltatoken=" + calendarDeltaToken("state", round.deltaToken, 0)
	}
	out := make([]map[string]any, len(page))
	for i, it := range page {
		if it.removed {
			out[i] = map[string]any{"@odata.type": "#microsoft.graph.event", "id": it.id,
				"@removed": map[string]any{"reason": "deleted"}}
			continue
		}
		out[i] = it.in.json(req.view)
		out[i]["@odata.type"] = "#microsoft.graph.event"
	}
	st.mu.Unlock()
	body["value"] = out
	if preferred != "" {
		w.Header().Add("Preference-Applied", preferred)
	}
	writeGraphJSON(w, http.StatusOK, body)
}
