package graphtest

import (
	"html"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

var errSendAsDenied = mailError(http.StatusForbidden, "ErrorSendAsDenied",
	"The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account., Cannot submit message.")

// send delivers a complete message from the request's mailbox: to every
// recipient who is an emulated user (into their Inbox), and into Sent
// Items when save is set. Recipients outside the tenant are mailAccepted and
// go nowhere.
func (x *mailReq) send(props map[string]any, headers []any, atts []*mattach, save bool) mailReply {
	var recips []any
	for _, k := range []string{"toRecipients", "ccRecipients", "bccRecipients"} {
		recips = append(recips, jsonList(props[k])...)
	}
	if len(recips) == 0 {
		return mailError(http.StatusBadRequest, "ErrorInvalidRecipients",
			"At least one recipient isn't valid., A message can't be sent because it contains no recipients.")
	}
	for _, rc := range recips {
		if a := recipientAddress(rc); !strings.Contains(a, "@") {
			return mailError(http.StatusBadRequest, "ErrorInvalidRecipients",
				"At least one recipient isn't valid., Recipient '"+a+"' is not resolved. All recipients must be resolved before a message can be submitted.")
		}
	}
	from, sender, rep := x.sendingAs(recipientAddress(props["from"]))
	if rep != nil {
		return rep
	}
	sent := maps.Clone(props)
	now := mailTime(x.now)
	sent["from"], sent["sender"] = from, sender
	sent["isDraft"], sent["sentDateTime"], sent["receivedDateTime"] = false, now, now
	if save {
		cp := x.storeWith(x.box, x.box.folder("sentitems"), sent, headers, atts)
		x.setProps(cp, map[string]any{"isRead": true})
	}
	delivered := map[string]bool{}
	for _, rc := range recips {
		u, ok := x.dir[strings.ToLower(recipientAddress(rc))]
		if !ok || delivered[u.id] {
			continue
		}
		delivered[u.id] = true
		b := x.st.box(u)
		in := maps.Clone(sent)
		in["isRead"] = false
		in["bccRecipients"] = []any{}
		in["categories"] = []any{}
		in["flag"] = map[string]any{"flagStatus": "notFlagged"}
		x.storeWith(b, b.inbox(), in, headers, atts)
	}
	for _, a := range atts {
		if a.blob != nil {
			a.blob.release()
		}
	}
	return nil
}

// storeWith stores a message in another mailbox (or this one), its
// attachments cloned (the caller releases the originals).
func (x *mailReq) storeWith(b *mbox, f *mfolder, props map[string]any, headers []any, atts []*mattach) *mmsg {
	other := *x
	other.box = b
	m := other.newMessage(f, props, x.now)
	m.headers = slices.Clone(headers)
	for _, a := range atts {
		m.attachments = append(m.attachments, a.clone(x.now))
	}
	other.setProps(m, nil)
	return m
}

// sendingAs decides the from and sender of a message sent through the
// request's mailbox with from set to fromAddr ("" for the mailbox itself).
func (x *mailReq) sendingAs(fromAddr string) (from, sender map[string]any, rep mailReply) {
	owner := x.box.owner
	if fromAddr == "" || strings.EqualFold(fromAddr, owner.address) || strings.EqualFold(fromAddr, owner.upn) {
		// Own mailbox, or a shared one the caller has full access to:
		// the mailbox sends as itself.
		return owner.recipient(), owner.recipient(), nil
	}
	u, ok := x.dir[strings.ToLower(fromAddr)]
	if !ok {
		return nil, nil, errSendAsDenied
	}
	if x.app {
		return u.recipient(), u.recipient(), nil
	}
	switch g := x.st.grants[grantKey{u.id, x.caller.id}]; {
	case g&grantFullAccess != 0:
		return u.recipient(), u.recipient(), nil
	case g&grantSendOnBehalf != 0:
		return u.recipient(), x.caller.recipient(), nil
	}
	return nil, nil, errSendAsDenied
}

func (s *Server) sendMail(w http.ResponseWriter, r *http.Request) {
	mimeIn, body, rep := readMailRequest(r)
	if rep != nil {
		rep(w)
		return
	}
	s.inMailbox(w, r, needSend, func(x *mailReq) mailReply {
		var in *msgInput
		save := true
		if mimeIn != nil {
			if in, rep = x.parseMIME(mimeIn); rep != nil {
				return rep
			}
		} else {
			msg, ok := body["message"].(map[string]any)
			if !ok {
				return mailError(http.StatusBadRequest, "ErrorInvalidRequest", "The message parameter is required.")
			}
			if in, rep = x.readMessage(msg); rep != nil {
				return rep
			}
			// Graph takes the boolean or its text ("false").
			if v, ok := body["saveToSentItems"]; ok {
				save = v == true || v == "true"
			}
		}
		props := mailDefaultsForSend(in.props)
		if rep := x.send(props, in.headers, in.attachments, save); rep != nil {
			return rep
		}
		return mailAccepted
	})
}

var mailAccepted = func(w http.ResponseWriter) { w.WriteHeader(http.StatusAccepted) }

// mailDefaultsForSend fills what a message sent in one call gets from Outlook.
func mailDefaultsForSend(props map[string]any) map[string]any {
	p := maps.Clone(props)
	if _, ok := p["conversationId"]; !ok {
		p["conversationId"] = "AAQkA" + mailRandomBase64(18)
	}
	return p
}

func (s *Server) sendMailDraft(w http.ResponseWriter, r *http.Request) {
	s.inMailbox(w, r, needSend, func(x *mailReq) mailReply {
		m, rep := x.message()
		if rep != nil {
			return rep
		}
		if m.props["isDraft"] != true {
			return mailError(http.StatusBadRequest, "ErrorInvalidOperation", "Only draft messages can be sent.")
		}
		for _, a := range m.attachments {
			if a.blob != nil {
				a.blob.refs++ // send releases them; removeMessage too
			}
		}
		if rep := x.send(m.props, m.headers, m.attachments, true); rep != nil {
			for _, a := range m.attachments {
				if a.blob != nil {
					a.blob.refs--
				}
			}
			return rep
		}
		x.removeMessage(m)
		return mailAccepted
	})
}

// respondToMessage answers mailReply, replyAll and forward, and (draft) their create…
// forms: the response is sent at once, or saved in Drafts and returned.
func (s *Server) respondToMessage(action string, draft bool) http.HandlerFunc {
	kind := strings.ToLower(strings.TrimPrefix(action, "create"))
	need := needSend
	if draft {
		need = needWrite
	}
	return func(w http.ResponseWriter, r *http.Request) {
		mimeIn, body, rep := readMailRequest(r)
		if rep != nil {
			rep(w)
			return
		}
		s.inMailbox(w, r, need, func(x *mailReq) mailReply {
			orig, rep := x.message()
			if rep != nil {
				return rep
			}
			var extra *msgInput
			if mimeIn != nil {
				// A MIME body is the whole response, as the client wrote it.
				if extra, rep = x.parseMIME(mimeIn); rep != nil {
					return rep
				}
				body = map[string]any{}
			}
			props, atts, rep := x.compose(orig, kind, body)
			if rep != nil {
				return rep
			}
			if extra != nil {
				maps.Copy(props, extra.props)
				atts = append(atts, extra.attachments...)
			}
			if rep != nil {
				return rep
			}
			if draft {
				m := x.newMessage(x.box.folder("drafts"), props, x.now)
				m.attachments = atts
				x.setProps(m, nil)
				view := x.view(m, url.Values{})
				return s.mailEntity(http.StatusCreated, view, x.entitySet("messages"))
			}
			if rep := x.send(props, nil, atts, true); rep != nil {
				for _, a := range atts {
					if a.blob != nil {
						a.blob.release()
					}
				}
				return rep
			}
			return mailAccepted
		})
	}
}

// compose builds a mailReply, mailReply-all or forward of orig: subject prefix,
// recipients, the comment above the quoted original, and (forward) the
// original's attachments. A "message" member adds or overrides
// properties, as Graph allows.
func (x *mailReq) compose(orig *mmsg, kind string, body map[string]any) (map[string]any, []*mattach, mailReply) {
	o := orig.props
	comment, _ := body["comment"].(string)
	prefix := map[string]string{"reply": "RE: ", "replyall": "RE: ", "forward": "FW: "}[kind]
	subject := jsonStr(o, "subject")
	if !strings.HasPrefix(strings.ToUpper(subject), prefix) {
		subject = prefix + subject
	}
	p := map[string]any{
		"subject":        subject,
		"from":           x.box.owner.recipient(),
		"sender":         x.box.owner.recipient(),
		"conversationId": o["conversationId"],
		"toRecipients":   []any{},
		"ccRecipients":   []any{},
	}
	owner := x.box.owner.address
	notOwner := func(rs []any) []any {
		return slices.DeleteFunc(slices.Clone(rs), func(r any) bool { return strings.EqualFold(recipientAddress(r), owner) })
	}
	replyTo := jsonList(o["replyTo"])
	if len(replyTo) == 0 && o["from"] != nil {
		replyTo = []any{o["from"]}
	}
	var atts []*mattach
	switch kind {
	case "reply":
		p["toRecipients"] = slices.Clone(replyTo)
	case "replyall":
		p["toRecipients"] = append(slices.Clone(replyTo), notOwner(jsonList(o["toRecipients"]))...)
		p["ccRecipients"] = notOwner(jsonList(o["ccRecipients"]))
	case "forward":
		if v, ok := body["toRecipients"]; ok {
			in, rep := x.readMessage(map[string]any{"toRecipients": v})
			if rep != nil {
				return nil, nil, rep
			}
			p["toRecipients"] = in.props["toRecipients"]
		}
		for _, a := range orig.attachments {
			atts = append(atts, a.clone(x.now))
		}
	}
	p["body"] = quoteMailOriginal(comment, o)
	if extra, ok := body["message"].(map[string]any); ok {
		in, rep := x.readMessage(extra)
		if rep != nil {
			return nil, nil, rep
		}
		maps.Copy(p, in.props)
		atts = append(atts, in.attachments...)
	}
	return p, atts, nil
}

// quoteMailOriginal puts comment above Outlook's header block and the
// original body.
func quoteMailOriginal(comment string, o map[string]any) map[string]any {
	b, _ := o["body"].(map[string]any)
	names := func(rs []any) string {
		var out []string
		for _, r := range rs {
			out = append(out, recipientAddress(r))
		}
		return strings.Join(out, "; ")
	}
	from := recipientAddress(o["from"])
	if jsonStr(b, "contentType") != "html" {
		text := comment + "\r\n\r\n________________________________\r\nFrom: " + from +
			"\r\nSent: " + jsonStr(o, "sentDateTime") + "\r\nTo: " + names(jsonList(o["toRecipients"])) +
			"\r\nSubject: " + jsonStr(o, "subject") + "\r\n\r\n" + jsonStr(b, "content")
		return map[string]any{"contentType": "text", "content": text}
	}
	e := html.EscapeString
	content := "<div>" + e(comment) + "</div><hr tabindex=\"-1\" style=\"display:inline-block; width:98%\">" +
		"<div id=\"divRplyFwdMsg\"><b>From:</b> " + e(from) + "<br><b>Sent:</b> " + e(jsonStr(o, "sentDateTime")) +
		"<br><b>To:</b> " + e(names(jsonList(o["toRecipients"]))) + "<br><b>Subject:</b> " + e(jsonStr(o, "subject")) +
		"</div>" + jsonStr(b, "content")
	return map[string]any{"contentType": "html", "content": outlookHTML(content)}
}
