package teams

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-o365/o365/api"
)

// Availability is the base of a user's presence (Graph's presence
// availability).
type Availability string

// Availabilities Graph reports.
const (
	Available       Availability = "Available"
	AvailableIdle   Availability = "AvailableIdle"
	Away            Availability = "Away"
	BeRightBack     Availability = "BeRightBack"
	Busy            Availability = "Busy"
	BusyIdle        Availability = "BusyIdle"
	DoNotDisturb    Availability = "DoNotDisturb"
	Offline         Availability = "Offline"
	PresenceUnknown Availability = "PresenceUnknown"
)

// Activity adds detail to an Availability (Graph's presence activity).
type Activity string

// Activities Graph reports.
const (
	ActivityAvailable Activity = "Available"
	// ActivityAvailableInactive is an Available presence session not set
	// again for 5 minutes (presence-setpresence.md: it fades to Away after
	// another 5).
	ActivityAvailableInactive       Activity = "AvailableInactive"
	ActivityAway                    Activity = "Away"
	ActivityBeRightBack             Activity = "BeRightBack"
	ActivityBusy                    Activity = "Busy"
	ActivityDoNotDisturb            Activity = "DoNotDisturb"
	ActivityInACall                 Activity = "InACall"
	ActivityInAConferenceCall       Activity = "InAConferenceCall"
	ActivityInactive                Activity = "Inactive"
	ActivityInAMeeting              Activity = "InAMeeting"
	ActivityOffline                 Activity = "Offline"
	ActivityOffWork                 Activity = "OffWork"
	ActivityOutOfOffice             Activity = "OutOfOffice"
	ActivityPresenceUnknown         Activity = "PresenceUnknown"
	ActivityPresenting              Activity = "Presenting"
	ActivityUrgentInterruptionsOnly Activity = "UrgentInterruptionsOnly"
)

// Presence is a user's presence in Teams.
type Presence struct {
	ID           string       `json:"id,omitempty"` // the user's id
	Availability Availability `json:"availability,omitempty"`
	Activity     Activity     `json:"activity,omitempty"`
}

// PresenceStatus is what SetPresence and SetPreferredPresence set.
type PresenceStatus struct {
	Availability Availability
	Activity     Activity
	// Expiration is how long the status lasts; zero leaves it to Graph
	// (5 minutes for a presence session; for a preferred presence a day
	// for Busy and DoNotDisturb, 7 days otherwise). A presence session
	// takes 5 minutes to 4 hours.
	Expiration time.Duration
}

// The availability and activity pairs Graph documents as valid for
// setPresence and for setUserPreferredPresence.
var (
	sessionValid = [][2]string{
		{"Available", "Available"}, {"Busy", "InACall"}, {"Busy", "InAConferenceCall"},
		{"Away", "Away"}, {"DoNotDisturb", "Presenting"},
	}
	preferredValid = [][2]string{
		{"Available", "Available"}, {"Busy", "Busy"}, {"DoNotDisturb", "DoNotDisturb"},
		{"BeRightBack", "BeRightBack"}, {"Away", "Away"}, {"Offline", "OffWork"},
	}
)

// Session expirations Graph accepts for setPresence.
const (
	MinSessionExpiration = 5 * time.Minute
	MaxSessionExpiration = 4 * time.Hour
)

// ErrInvalidPresence is a presence Graph would refuse: an availability
// and activity pair it does not document for the call, or an expiration
// out of range. Errors wrapping it say which.
var ErrInvalidPresence = errors.New("teams: invalid presence")

// MyPresence gets the presence of the main resource's user: the
// signed-in user's (/me/presence) unless Teams was made for another. The
// signed-in user's own needs the presence scope (Presence.Read).
func (t *Teams) MyPresence(ctx context.Context) (*Presence, error) {
	p := new(Presence)
	if err := t.GetJSON(ctx, t.BuildURL("/presence"), nil, p); err != nil {
		return nil, err
	}
	return p, nil
}

// Presence gets the presence of the user with the given id or user
// principal name; another user's needs Presence.Read.All (presence_all).
func (t *Teams) Presence(ctx context.Context, userID string) (*Presence, error) {
	if err := need("Presence", "user id", userID); err != nil {
		return nil, err
	}
	p := new(Presence)
	if err := t.GetJSON(ctx, t.BuildBaseURL("/users/"+url.PathEscape(userID)+"/presence"), nil, p); err != nil {
		return nil, err
	}
	return p, nil
}

// Presences gets the presence of many users in one request
// (getPresencesByUserId), by user object id; Graph takes at most 650
// ids a request, so more are asked for in several.
func (t *Teams) Presences(ctx context.Context, userIDs ...string) ([]Presence, error) {
	var out []Presence
	for chunk := range chunks(userIDs, 650) {
		for _, id := range chunk {
			if id == "" {
				return nil, errors.New("teams: Presences: empty user id")
			}
		}
		var page api.Page[Presence]
		if err := t.PostJSON(ctx, t.BuildBaseURL("/communications/getPresencesByUserId"),
			map[string]any{"ids": chunk}, &page); err != nil {
			return nil, err
		}
		out = append(out, page.Value...)
	}
	return out, nil
}

func chunks(ids []string, n int) func(func([]string) bool) {
	return func(yield func([]string) bool) {
		for len(ids) > 0 {
			k := min(n, len(ids))
			if !yield(ids[:k]) {
				return
			}
			ids = ids[k:]
		}
	}
}

// SetPresence sets the state of the app's presence session for the
// user (setPresence, with SessionID as the session). The user's presence
// aggregates every session (a user-set or preferred presence wins, then
// DoNotDisturb > Busy > Available > Away). Pairs Graph does not document
// for sessions, and expirations outside 5 minutes to 4 hours, give an
// ErrInvalidPresence before any request.
func (t *Teams) SetPresence(ctx context.Context, st PresenceStatus) error {
	if err := t.session("SetPresence"); err != nil {
		return err
	}
	if err := checkPair("SetPresence", st, sessionValid); err != nil {
		return err
	}
	if st.Expiration != 0 && (st.Expiration < MinSessionExpiration || st.Expiration > MaxSessionExpiration) {
		return fmt.Errorf("%w: SetPresence: expiration %v is outside %v to %v", ErrInvalidPresence,
			st.Expiration, MinSessionExpiration, MaxSessionExpiration)
	}
	body := map[string]any{"sessionId": t.SessionID, "availability": st.Availability, "activity": st.Activity}
	if st.Expiration != 0 {
		body["expirationDuration"] = ISODuration(st.Expiration)
	}
	return t.PostJSON(ctx, t.BuildURL("/presence/setPresence"), body, nil)
}

// ClearPresence ends the app's presence session for the user. With no
// other session the user shows Offline. A session that does not exist
// gives an error matching api.ErrNotFound.
func (t *Teams) ClearPresence(ctx context.Context) error {
	if err := t.session("ClearPresence"); err != nil {
		return err
	}
	return t.PostJSON(ctx, t.BuildURL("/presence/clearPresence"), map[string]string{"sessionId": t.SessionID}, nil)
}

// SetPreferredPresence sets the presence the user chose
// (setUserPreferredPresence): it shows instead of the sessions' state
// while at least one session exists. Pairs Graph does not document for
// it give an ErrInvalidPresence before any request.
func (t *Teams) SetPreferredPresence(ctx context.Context, st PresenceStatus) error {
	if err := checkPair("SetPreferredPresence", st, preferredValid); err != nil {
		return err
	}
	if st.Expiration < 0 {
		return fmt.Errorf("%w: SetPreferredPresence: negative expiration %v", ErrInvalidPresence, st.Expiration)
	}
	body := map[string]any{"availability": st.Availability, "activity": st.Activity}
	if st.Expiration != 0 {
		body["expirationDuration"] = ISODuration(st.Expiration)
	}
	return t.PostJSON(ctx, t.BuildURL("/presence/setUserPreferredPresence"), body, nil)
}

// ClearPreferredPresence removes the user's preferred presence.
func (t *Teams) ClearPreferredPresence(ctx context.Context) error {
	return t.PostJSON(ctx, t.BuildURL("/presence/clearUserPreferredPresence"), map[string]any{}, nil)
}

func (t *Teams) session(call string) error {
	if t.SessionID == "" {
		return fmt.Errorf("teams: %s: no SessionID (the application id) to name the presence session", call)
	}
	return nil
}

func checkPair(call string, st PresenceStatus, valid [][2]string) error {
	for _, p := range valid {
		if string(st.Availability) == p[0] && string(st.Activity) == p[1] {
			return nil
		}
	}
	pairs := make([]string, len(valid))
	for i, p := range valid {
		pairs[i] = p[0] + "/" + p[1]
	}
	return fmt.Errorf("%w: %s: availability %q with activity %q; Graph takes %s", ErrInvalidPresence, call,
		st.Availability, st.Activity, strings.Join(pairs, ", "))
}

// ISODuration writes d as an ISO 8601 duration, as Graph's Duration
// type takes it: PT1H, PT1H30M, PT45S. Fractions of a second are dropped.
func ISODuration(d time.Duration) string {
	if d < 0 {
		return "-" + ISODuration(-d)
	}
	d = d.Truncate(time.Second)
	if d == 0 {
		return "PT0S"
	}
	var b strings.Builder
	b.WriteString("PT")
	if h := d / time.Hour; h > 0 {
		b.WriteString(strconv.FormatInt(int64(h), 10) + "H")
		d -= h * time.Hour
	}
	if m := d / time.Minute; m > 0 {
		b.WriteString(strconv.FormatInt(int64(m), 10) + "M")
		d -= m * time.Minute
	}
	if s := d / time.Second; s > 0 {
		b.WriteString(strconv.FormatInt(int64(s), 10) + "S")
	}
	return b.String()
}
