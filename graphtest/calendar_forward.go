package graphtest

// Forwarding a meeting: POST /events/{id}/forward with Comment and
// ToRecipients (event-forward.md). As Graph does, the recipients get the
// meeting request (an eventMessageRequest, subject "FW: …", the comment
// above the event's body) in their Inbox, and the organizer's event gains
// them as attendees, so the emulator's invitation rules put the meeting
// in their calendars. Forwarded by an attendee, the organizer also gets a
// "Meeting Forward Notification". Added attendees are optional, as
// Outlook adds them. Recipients outside the emulator are accepted and
// receive nothing. Parameter names are read without regard to case, as
// Graph reads them.

import (
	"html"
	"maps"
	"net/http"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/go-o365/o365/graphtest/internal/eventinput"
)

// foldKey is m[key], the key compared without regard to case.
func foldKey(m map[string]any, key string) any {
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return nil
}

// forwardRecipients reads ToRecipients: at least one, each with an
// address of the form name@domain.
func forwardRecipients(v any) ([]map[string]any, error) {
	list, ok := v.([]any)
	if v != nil && !ok {
		return nil, eventinput.WrongType("ToRecipients", "Collection(microsoft.graph.recipient)")
	}
	if len(list) == 0 {
		return nil, eventinput.Bad("ErrorInvalidRecipients", "At least one recipient isn't valid., A message can't be sent because it contains no recipients.")
	}
	out := make([]map[string]any, 0, len(list))
	for _, x := range list {
		m, ok := x.(map[string]any)
		if !ok {
			return nil, eventinput.WrongType("ToRecipients", "microsoft.graph.recipient")
		}
		ea, _ := foldKey(m, "emailAddress").(map[string]any)
		addr, _ := foldKey(ea, "address").(string)
		name, _ := foldKey(ea, "name").(string)
		if a, err := mail.ParseAddress(addr); err != nil || a.Address != addr {
			return nil, eventinput.Bad("ErrorInvalidRecipients", "At least one recipient isn't valid., Recipient '"+addr+
				"' is not resolved. All recipients must be resolved before a message can be submitted.")
		}
		out = append(out, map[string]any{"name": name, "address": addr})
	}
	return out, nil
}

// meetingMail is a message the calendar delivers to a user's Inbox.
type meetingMail struct {
	to    string // user id
	props map[string]any
}

func (s *Server) forwardEvent(w http.ResponseWriter, r *http.Request) {
	// Graph asks only Calendars.Read of a forward (event-forward.md).
	req, body, ok := s.calendarAction(w, r, func(w http.ResponseWriter, r *http.Request) (calendarRequest, bool) {
		return s.calendarTarget(w, r, false)
	})
	if !ok {
		return
	}
	comment, isString := body["comment"].(string)
	if !isString && body["comment"] != nil {
		writeGraphError(w, http.StatusBadRequest, "RequestBodyRead", eventinput.WrongType("Comment", "Edm.String").Error())
		return
	}
	to, err := forwardRecipients(body["torecipients"])
	if err != nil {
		writeRequestError(w, err)
		return
	}
	st := s.calendar
	b, people := s.lockBook(req.owner)
	in, found := b.instanceOf(r)
	if !found {
		st.mu.Unlock()
		itemNotFound(w)
		return
	}
	ev := in.ev
	for _, rc := range to {
		if rc["name"] == "" {
			rc["name"] = rc["address"]
			if p, ok := people[strings.ToLower(rc["address"].(string))]; ok {
				rc["name"] = p.name
			}
		}
	}
	org := ev
	if !ev.isOrganizer {
		org = st.eventByID(ev.link)
	}
	changed := org != nil && !org.cancelled && st.addForwardees(org, to, req.now, people)

	// What the messages say, taken while the event cannot change.
	view := in.json(utcView)
	subject, _ := view["subject"].(string)
	forwarder := recipientJSON(b.owner.name, b.owner.address)
	recipients := make([]any, len(to))
	for i, rc := range to {
		recipients[i] = recipientJSON(rc["name"].(string), rc["address"].(string))
	}
	request := map[string]any{
		"@odata.type":           "#microsoft.graph.eventMessageRequest",
		"subject":               "FW: " + subject,
		"body":                  map[string]any{"contentType": "html", "content": forwardBody(comment, mapOf(view["body"]))},
		"from":                  forwarder,
		"sender":                forwarder,
		"toRecipients":          recipients,
		"meetingMessageType":    "meetingRequest",
		"isDelegated":           false,
		"isOutOfDate":           false,
		"isAllDay":              view["isAllDay"],
		"type":                  view["type"],
		"startDateTime":         view["start"],
		"endDateTime":           view["end"],
		"location":              view["location"],
		"recurrence":            view["recurrence"],
		"allowNewTimeProposals": view["allowNewTimeProposals"],
		"responseRequested":     view["responseRequested"],
	}
	var mails []meetingMail
	delivered := map[string]bool{}
	for _, rc := range to {
		if p, ok := people[strings.ToLower(rc["address"].(string))]; ok && !delivered[p.id] {
			delivered[p.id] = true
			mails = append(mails, meetingMail{to: p.id, props: maps.Clone(request)})
		}
	}
	if !ev.isOrganizer && org != nil {
		var names []string
		for _, rc := range to {
			names = append(names, html.EscapeString(rc["name"].(string)))
		}
		mails = append(mails, meetingMail{to: org.owner, props: map[string]any{
			"@odata.type":        "#microsoft.graph.eventMessage",
			"subject":            "Meeting Forward Notification: " + subject,
			"from":               forwarder,
			"sender":             forwarder,
			"toRecipients":       []any{recipientJSON(org.organizer.name, org.organizer.address)},
			"meetingMessageType": "none",
			"isDelegated":        false,
			"body": map[string]any{"contentType": "html", "content": "<html><body><p>Your meeting was forwarded</p><p>" +
				html.EscapeString(b.owner.name) + " has forwarded your meeting request to additional recipients.</p><p>" +
				strings.Join(names, "<br>") + "</p></body></html>"},
		}})
	}
	st.mu.Unlock()
	if changed {
		s.publishEvent(org, "updated")
	}
	s.deliverMeetingMail(mails, req.now)
	w.WriteHeader(http.StatusAccepted)
}

// addForwardees adds the recipients of a forward who are not yet invited
// to the organizer's event, as optional attendees, and invites them; it
// reports whether any was added. st.mu must be held.
func (st *calendarStore) addForwardees(org *calEvent, to []map[string]any, now time.Time, people map[string]person) bool {
	list := slices.Clone(org.props["attendees"].([]any))
	n := len(list)
	for _, rc := range to {
		addr := rc["address"].(string)
		if org.organizer.has(addr) || slices.ContainsFunc(list, func(a any) bool { return strings.EqualFold(addressOf(mapOf(a)), addr) }) {
			continue
		}
		list = append(list, map[string]any{"type": "optional", "status": eventinput.NoResponse("none"),
			"emailAddress": map[string]any{"name": rc["name"], "address": addr}})
	}
	if len(list) == n {
		return false
	}
	before := org.props
	p := maps.Clone(org.props)
	p["attendees"] = list
	org.props = p
	org.touch(now)
	st.syncCopies(org, before, now, people)
	return true
}

// forwardBody is the body of a forwarded meeting request: the comment,
// then the event's body.
func forwardBody(comment string, body map[string]any) string {
	orig, _ := body["content"].(string)
	if body["contentType"] != "html" {
		orig = strings.ReplaceAll(html.EscapeString(orig), "\n", "<br>")
	}
	return "<html><body><div>" + html.EscapeString(comment) + "</div><hr>" + orig + "</body></html>"
}

// deliverMeetingMail puts each message, sent at now, into its user's
// Inbox, unread.
func (s *Server) deliverMeetingMail(mails []meetingMail, now time.Time) {
	if len(mails) == 0 {
		return
	}
	s.mu.Lock()
	owners := make([]mailUser, len(mails))
	for i, m := range mails {
		if u := s.userLocked(m.to); u != nil {
			owners[i] = mailUserOf(u)
		}
	}
	s.mu.Unlock()
	st := s.mail
	st.mu.Lock()
	for i, m := range mails {
		if owners[i].id == "" {
			continue // the user left the directory meanwhile
		}
		b := st.box(owners[i])
		x := &mailReq{st: st, box: b, now: now}
		props := maps.Clone(m.props)
		maps.Copy(props, map[string]any{"isRead": false, "isDraft": false, "sentDateTime": mailTime(now)})
		x.newMessage(b.inbox(), props, now)
	}
	changes := st.takeChanges()
	st.mu.Unlock()
	s.publishChanges(changes)
}
