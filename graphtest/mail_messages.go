package graphtest

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"html"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-o365/o365/graphtest/internal/odata"
)

// mailRoutes serves every mail endpoint under /me and /users/{user}.
func (s *Server) mailRoutes() []route {
	var rs []route
	add := func(method, path string, h http.HandlerFunc) {
		rs = append(rs,
			route{method + " /v1.0/me" + path, h},
			route{method + " /v1.0/users/{user}" + path, h})
	}
	// A child folder answers at its own id and under its parent
	// (mailFolders/{parent}/childFolders/{folder}), as the SDK's
	// ChildFolders().ByMailFolderId1(…) builders address it; a message
	// answers under /messages and under its folder.
	folder := func(method, path string, h http.HandlerFunc) {
		add(method, "/mailFolders/{folder}"+path, h)
		add(method, "/mailFolders/{parent}/childFolders/{folder}"+path, h)
	}
	message := func(method, path string, h http.HandlerFunc) {
		add(method, "/messages/{id}"+path, h)
		folder(method, "/messages/{id}"+path, h)
	}
	// Folders.
	add("GET", "/mailFolders", s.listMailFolders)
	add("POST", "/mailFolders", s.createMailFolder)
	add("GET", "/mailFolders/delta", s.mailFolderDelta)
	folder("GET", "", s.getMailFolder)
	folder("PATCH", "", s.updateMailFolder)
	folder("DELETE", "", s.deleteMailFolder)
	folder("GET", "/childFolders", s.listMailFolders)
	folder("POST", "/childFolders", s.createMailFolder)
	folder("POST", "/move", s.moveMailFolder)
	folder("POST", "/copy", s.copyMailFolder)
	folder("GET", "/messages", s.listMailMessages)
	folder("POST", "/messages", s.createMailMessage)
	folder("GET", "/messages/delta", s.mailMessageDelta)
	// Messages.
	add("GET", "/messages", s.listMailMessages)
	add("POST", "/messages", s.createMailMessage)
	message("GET", "", s.getMailMessage)
	message("PATCH", "", s.updateMailMessage)
	message("DELETE", "", s.deleteMailMessage)
	message("GET", "/$value", s.mailMessageMIME)
	message("POST", "/move", s.moveMailMessage)
	message("POST", "/copy", s.copyMailMessage)
	message("POST", "/send", s.sendMailDraft)
	for _, action := range []string{"reply", "replyAll", "forward"} {
		message("POST", "/"+action, s.respondToMessage(action, false))
	}
	for _, action := range []string{"createReply", "createReplyAll", "createForward"} {
		message("POST", "/"+action, s.respondToMessage(action, true))
	}
	add("POST", "/sendMail", s.sendMail)
	// Attachments.
	message("GET", "/attachments", s.listMailAttachments)
	message("POST", "/attachments", s.addMailAttachment)
	message("POST", "/attachments/createUploadSession", s.createAttachmentSession)
	message("GET", "/attachments/{aid}", s.getMailAttachment)
	message("DELETE", "/attachments/{aid}", s.deleteMailAttachment)
	message("GET", "/attachments/{aid}/$value", s.mailAttachmentContent)
	return rs
}

// messagesCollection pages like Outlook: 10 by default, up to 1000.
func messagesCollection(entitySet string) collection {
	return collection{entitySet: entitySet, pageSize: 10, maxTop: 1000, errorCode: "BadRequest"}
}

func (x *mailReq) entitySet(suffix string) string {
	return "users('" + x.box.owner.id + "')/" + suffix
}

// message finds the message of the request's {id}, in {folder} when the
// route has one.
func (x *mailReq) message() (*mmsg, mailReply) {
	id := x.r.PathValue("id")
	m := x.box.messages[id]
	if m == nil {
		return nil, mailNotFound(id)
	}
	if fid := x.r.PathValue("folder"); fid != "" {
		if f := x.box.folder(fid); f == nil || f.id != m.folderID {
			return nil, errItemNotFound
		}
	}
	return m, nil
}

// ---- creating and changing messages ----

// next advances the change counter.
func (st *mailStore) next() int64 {
	st.seq++
	return st.seq
}

// resolve builds a recipient, naming emulated users as the directory does
// and others by their address.
func (x *mailReq) resolve(name, address string) map[string]any {
	if name == "" {
		if u, ok := x.dir[strings.ToLower(address)]; ok {
			name = u.name
		} else {
			name = address
		}
	}
	return recipientJSON(name, address)
}

// newMessage stores a message in folder f: props override Graph's defaults
// and computed properties are filled in.
func (x *mailReq) newMessage(f *mfolder, props map[string]any, received time.Time) *mmsg {
	p := x.messageDefaults(received)
	maps.Copy(p, props)
	m := &mmsg{id: newMailMessageID(), folderID: f.id, received: received}
	x.box.messages[m.id] = m
	x.setProps(m, p)
	return m
}

// messageDefaults are the properties Outlook gives a new message.
func (x *mailReq) messageDefaults(received time.Time) map[string]any {
	now := mailTime(x.now)
	domain := x.box.owner.address[strings.LastIndexByte(x.box.owner.address, '@')+1:]
	return map[string]any{
		"createdDateTime":            now,
		"categories":                 []any{},
		"receivedDateTime":           mailTime(received),
		"sentDateTime":               mailTime(received),
		"hasAttachments":             false,
		"internetMessageId":          "<" + strings.Trim(mailRandomBase64(12), "=") + "@" + domain + ">",
		"subject":                    "",
		"importance":                 "normal",
		"conversationId":             "AAQkA" + mailRandomBase64(18),
		"conversationIndex":          mailRandomBinary(22),
		"isDeliveryReceiptRequested": false,
		"isReadReceiptRequested":     false,
		"isRead":                     true,
		"isDraft":                    true,
		"inferenceClassification":    "focused",
		"body":                       map[string]any{"contentType": "text", "content": ""},
		"toRecipients":               []any{},
		"ccRecipients":               []any{},
		"bccRecipients":              []any{},
		"replyTo":                    []any{},
		"flag":                       map[string]any{"flagStatus": "notFlagged"},
	}
}

// itemMessage gives an attached message the full property set Outlook
// returns for it; an item it cannot read is kept as sent.
func (x *mailReq) itemMessage(item map[string]any) map[string]any {
	in, rep := x.readMessage(item)
	if rep != nil {
		return item
	}
	p := x.messageDefaults(x.now)
	maps.Copy(p, in.props)
	body, _ := p["body"].(map[string]any)
	p["@odata.type"] = "#microsoft.graph.message"
	p["id"] = ""
	p["lastModifiedDateTime"] = mailTime(x.now)
	p["bodyPreview"] = bodyPreview(jsonStr(body, "content"), jsonStr(body, "contentType"))
	p["isDraft"] = false
	p["internetMessageHeaders"] = []any{}
	p["webLink"] = "https://outlook.office365.com/owa/?ItemID=" + url.QueryEscape(newMailMessageID()) + "&exvsurl=1&viewmodel=ItemAttachment"
	delete(p, "categories")
	delete(p, "inferenceClassification")
	return p
}

// setProps replaces m's properties with changes applied and the computed
// ones (ids, change key, bodyPreview, times) refreshed.
func (x *mailReq) setProps(m *mmsg, changes map[string]any) {
	x.noteChange(m, m.props == nil)
	p := maps.Clone(m.props)
	if p == nil {
		p = map[string]any{}
	}
	maps.Copy(p, changes)
	ck := newMailChangeKey()
	p["id"] = m.id
	p["parentFolderId"] = m.folderID
	p["changeKey"] = ck
	p["@odata.etag"] = `W/"` + ck + `"`
	p["lastModifiedDateTime"] = mailTime(x.now)
	p["webLink"] = "https://outlook.office365.com/owa/?ItemID=" + url.QueryEscape(m.id) + "&exvsurl=1&viewmodel=ReadMessageItem"
	body, _ := p["body"].(map[string]any)
	p["bodyPreview"] = bodyPreview(jsonStr(body, "content"), jsonStr(body, "contentType"))
	p["hasAttachments"] = slices.ContainsFunc(m.attachments, func(a *mattach) bool { return a.props["isInline"] != true })
	m.props = p
	m.seq = x.st.next()
}

// noteChange records a change of m for change notifications.
func (x *mailReq) noteChange(m *mmsg, created bool) {
	ct := "updated"
	if created {
		ct = "created"
	}
	x.st.pending = append(x.st.pending, notifyChange{x.box.owner.id, "mailFolders/" + m.folderID + "/messages", ct, m.id})
}

// removeMessage deletes m, leaving a mailTombstone for delta.
func (x *mailReq) removeMessage(m *mmsg) {
	x.st.pending = append(x.st.pending, notifyChange{x.box.owner.id, "mailFolders/" + m.folderID + "/messages", "deleted", m.id})
	delete(x.box.messages, m.id)
	x.box.removed = append(x.box.removed, mailTombstone{id: m.id, folderID: m.folderID, seq: x.st.next()})
	for _, a := range m.attachments {
		if a.blob != nil {
			a.blob.release()
		}
	}
}

// copyMailMessage stores a copy of m in folder f with a new id; the
// attachments' content is shared.
func (x *mailReq) copyMailMessage(m *mmsg, f *mfolder, changes map[string]any) *mmsg {
	cp := &mmsg{id: newMailMessageID(), folderID: f.id, received: m.received,
		headers: slices.Clone(m.headers), extended: slices.Clone(m.extended)}
	for _, a := range m.attachments {
		cp.attachments = append(cp.attachments, a.clone(x.now))
	}
	x.box.messages[cp.id] = cp
	x.setProps(cp, maps.Clone(m.props))
	if len(changes) > 0 {
		x.setProps(cp, changes)
	}
	return cp
}

var (
	tagRE   = regexp.MustCompile(`(?s)<(script|style|head)[^>]*>.*?</(script|style|head)>|<[^>]*>`)
	spaceRE = regexp.MustCompile(`\s+`)
)

// bodyPreview is Graph's bodyPreview: the body's text, at most 255 characters.
func bodyPreview(content, contentType string) string {
	text := content
	if contentType == "html" {
		text = html.UnescapeString(tagRE.ReplaceAllString(content, " "))
	}
	text = strings.TrimSpace(spaceRE.ReplaceAllString(text, " "))
	if utf8.RuneCountInString(text) > 255 {
		text = string([]rune(text)[:255])
	}
	return text
}

// outlookHTML wraps an HTML fragment the way Outlook stores HTML bodies.
func outlookHTML(content string) string {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(content)), "<html") {
		return content
	}
	return "<html>\r\n<head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\r\n</head>\r\n<body>\r\n" +
		content + "\r\n</body>\r\n</html>\r\n"
}

// msgInput is what a message body in a request asks for.
type msgInput struct {
	props       map[string]any
	headers     []any
	hasHeaders  bool
	extended    []any
	hasExtended bool
	attachments []*mattach
}

// messageReadOnly are properties Graph accepts in a request and ignores.
var messageReadOnly = map[string]bool{
	"id": true, "@odata.type": true, "@odata.etag": true, "@odata.context": true, "createdDateTime": true,
	"lastModifiedDateTime": true, "changeKey": true, "receivedDateTime": true, "sentDateTime": true,
	"hasAttachments": true, "internetMessageId": true, "bodyPreview": true, "parentFolderId": true,
	"conversationId": true, "conversationIndex": true, "isDraft": true, "webLink": true, "uniqueBody": true,
	"multiValueExtendedProperties": true,
}

func mailBadValue(prop string, v any) mailReply {
	return mailError(http.StatusBadRequest, "RequestBodyRead",
		fmt.Sprintf("Cannot convert the literal '%v' to the expected type of property '%s'.", v, prop))
}

// readMessage checks a message in a request body as Graph does: unknown
// properties and values of the wrong type are refused.
func (x *mailReq) readMessage(body map[string]any) (*msgInput, mailReply) {
	in := &msgInput{props: map[string]any{}}
	for k, v := range body {
		if messageReadOnly[k] {
			continue
		}
		switch k {
		case "subject":
			s, ok := v.(string)
			if !ok && v != nil {
				return nil, mailBadValue(k, v)
			}
			in.props[k] = s
		case "body":
			b, ok := v.(map[string]any)
			if !ok {
				return nil, mailBadValue(k, v)
			}
			ct := strings.ToLower(jsonStr(b, "contentType"))
			if ct == "" {
				ct = "text"
			}
			if ct != "text" && ct != "html" {
				return nil, mailBadValue("contentType", b["contentType"])
			}
			content := jsonStr(b, "content")
			if ct == "html" {
				content = outlookHTML(content)
			}
			in.props[k] = map[string]any{"contentType": ct, "content": content}
		case "importance", "inferenceClassification":
			s := strings.ToLower(fmt.Sprint(v))
			allowed := map[string][]string{"importance": {"low", "normal", "high"}, "inferenceClassification": {"focused", "other"}}
			if !slices.Contains(allowed[k], s) {
				return nil, mailBadValue(k, v)
			}
			in.props[k] = s
		case "from", "sender":
			if v == nil {
				in.props[k] = nil
				continue
			}
			rc, ok := x.readRecipient(v)
			if !ok {
				return nil, mailBadValue(k, v)
			}
			in.props[k] = rc
		case "toRecipients", "ccRecipients", "bccRecipients", "replyTo":
			l, ok := v.([]any)
			if !ok && v != nil {
				return nil, mailBadValue(k, v)
			}
			out := []any{}
			for _, item := range l {
				rc, ok := x.readRecipient(item)
				if !ok {
					return nil, mailBadValue(k, item)
				}
				out = append(out, rc)
			}
			in.props[k] = out
		case "categories":
			l, ok := v.([]any)
			if !ok && v != nil {
				return nil, mailBadValue(k, v)
			}
			for _, c := range l {
				if _, ok := c.(string); !ok {
					return nil, mailBadValue(k, c)
				}
			}
			in.props[k] = append([]any{}, l...)
		case "flag":
			f, ok := v.(map[string]any)
			if !ok {
				return nil, mailBadValue(k, v)
			}
			f = maps.Clone(f)
			status := jsonStr(f, "flagStatus")
			if status == "" {
				status = "notFlagged"
			}
			if !slices.Contains([]string{"notFlagged", "flagged", "complete"}, status) {
				return nil, mailBadValue("flagStatus", f["flagStatus"])
			}
			f["flagStatus"] = status
			in.props[k] = f
		case "isRead", "isDeliveryReceiptRequested", "isReadReceiptRequested":
			b, ok := v.(bool)
			if !ok {
				return nil, mailBadValue(k, v)
			}
			in.props[k] = b
		case "internetMessageHeaders":
			l, ok := v.([]any)
			if !ok && v != nil {
				return nil, mailBadValue(k, v)
			}
			for _, h := range l {
				hm, ok := h.(map[string]any)
				name := jsonStr(hm, "name")
				if !ok || name == "" {
					return nil, mailBadValue(k, h)
				}
				if !strings.HasPrefix(strings.ToLower(name), "x-") {
					return nil, mailError(http.StatusBadRequest, "InvalidInternetMessageHeader",
						"The internet message header name '"+name+"' should start with 'x-' or 'X-'.")
				}
			}
			in.headers, in.hasHeaders = append([]any{}, l...), true
		case "singleValueExtendedProperties":
			l, ok := v.([]any)
			if !ok && v != nil {
				return nil, mailBadValue(k, v)
			}
			for _, p := range l {
				if pm, ok := p.(map[string]any); !ok || jsonStr(pm, "id") == "" {
					return nil, mailBadValue(k, p)
				}
			}
			in.extended, in.hasExtended = append([]any{}, l...), true
		case "attachments":
			l, ok := v.([]any)
			if !ok && v != nil {
				return nil, mailBadValue(k, v)
			}
			for _, a := range l {
				am, ok := a.(map[string]any)
				if !ok {
					return nil, mailBadValue(k, a)
				}
				att, rep := x.readAttachment(am)
				if rep != nil {
					return nil, rep
				}
				in.attachments = append(in.attachments, att)
			}
		default:
			return nil, mailError(http.StatusBadRequest, "RequestBodyRead",
				odata.UnknownProperty(k, "microsoft.graph.message"))
		}
	}
	return in, nil
}

// readRecipient checks a recipient and fills in its name.
func (x *mailReq) readRecipient(v any) (map[string]any, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	ea, ok := m["emailAddress"].(map[string]any)
	if !ok {
		return nil, false
	}
	name, nok := ea["name"].(string)
	addr, aok := ea["address"].(string)
	if (!nok && ea["name"] != nil) || (!aok && ea["address"] != nil) {
		return nil, false
	}
	return x.resolve(name, addr), true
}

// mailDraftOnly are the properties Outlook changes on drafts only.
var mailDraftOnly = []string{"subject", "body", "from", "sender", "toRecipients", "ccRecipients", "bccRecipients", "replyTo", "attachments"}

func (s *Server) createMailMessage(w http.ResponseWriter, r *http.Request) {
	mimeIn, body, rep := readMailRequest(r)
	if rep != nil {
		rep(w)
		return
	}
	s.inMailbox(w, r, needWrite, func(x *mailReq) mailReply {
		folder := x.box.folder("drafts")
		if fid := r.PathValue("folder"); fid != "" {
			if folder = x.box.folder(fid); folder == nil {
				return mailNotFound(fid)
			}
		}
		var in *msgInput
		if mimeIn != nil {
			in, rep = x.parseMIME(mimeIn)
		} else {
			in, rep = x.readMessage(body)
		}
		if rep != nil {
			return rep
		}
		m := x.storeInput(folder, in, nil)
		view := x.view(m, url.Values{})
		return s.mailEntity(http.StatusCreated, view, x.entitySet("messages"))
	})
}

// storeInput creates a message from a request's input.
func (x *mailReq) storeInput(f *mfolder, in *msgInput, extra map[string]any) *mmsg {
	props := maps.Clone(in.props)
	maps.Copy(props, extra)
	m := x.newMessage(f, props, x.now)
	m.attachments, m.headers, m.extended = in.attachments, in.headers, in.extended
	x.setProps(m, nil) // hasAttachments
	return m
}

func (s *Server) updateMailMessage(w http.ResponseWriter, r *http.Request) {
	s.inMailboxBody(w, r, needWrite, func(x *mailReq, body map[string]any) mailReply {
		m, rep := x.message()
		if rep != nil {
			return rep
		}
		in, rep := x.readMessage(body)
		if rep != nil {
			return rep
		}
		if m.props["isDraft"] != true {
			for _, k := range mailDraftOnly {
				if _, ok := body[k]; ok {
					return mailError(http.StatusBadRequest, "ErrorInvalidPropertyUpdateSentMessage",
						"Update operation is not supported for this property on a sent message.")
				}
			}
		}
		if in.hasHeaders {
			m.headers = in.headers
		}
		if in.hasExtended {
			m.extended = mergeMailExtended(m.extended, in.extended)
		}
		x.setProps(m, in.props)
		view := x.view(m, url.Values{})
		return s.mailEntity(http.StatusOK, view, x.entitySet("messages"))
	})
}

// mergeMailExtended sets extended properties by id, as PATCH does.
func mergeMailExtended(old, set []any) []any {
	out := slices.Clone(old)
	for _, p := range set {
		id := jsonStr(p.(map[string]any), "id")
		i := slices.IndexFunc(out, func(o any) bool { return strings.EqualFold(jsonStr(o.(map[string]any), "id"), id) })
		if i >= 0 {
			out[i] = p
		} else {
			out = append(out, p)
		}
	}
	return out
}

func (s *Server) deleteMailMessage(w http.ResponseWriter, r *http.Request) {
	s.inMailbox(w, r, needWrite, func(x *mailReq) mailReply {
		m, rep := x.message()
		if rep != nil {
			return rep
		}
		x.removeMessage(m)
		return func(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }
	})
}

// destination reads {"destinationId": …} of a move or copy.
func (x *mailReq) destination(body map[string]any) (*mfolder, mailReply) {
	id, _ := body["destinationId"].(string)
	if id == "" {
		return nil, mailError(http.StatusBadRequest, "ErrorInvalidRequest", "The destinationId parameter is required.")
	}
	f := x.box.folder(id)
	if f == nil {
		return nil, mailNotFound(id)
	}
	return f, nil
}

func (s *Server) moveMailMessage(w http.ResponseWriter, r *http.Request) {
	s.moveOrCopyMessage(w, r, true)
}
func (s *Server) copyMailMessage(w http.ResponseWriter, r *http.Request) {
	s.moveOrCopyMessage(w, r, false)
}

// moveOrCopyMessage answers move and copy; like Exchange, a moved message gets a
// new id.
func (s *Server) moveOrCopyMessage(w http.ResponseWriter, r *http.Request, move bool) {
	s.inMailboxBody(w, r, needWrite, func(x *mailReq, body map[string]any) mailReply {
		m, rep := x.message()
		if rep != nil {
			return rep
		}
		dest, rep := x.destination(body)
		if rep != nil {
			return rep
		}
		cp := x.copyMailMessage(m, dest, nil)
		if move {
			x.removeMessage(m)
		}
		view := maps.Clone(x.view(cp, url.Values{}))
		view["@odata.type"] = "#microsoft.graph.message"
		return s.mailEntity(http.StatusCreated, view, x.entitySet("messages"))
	})
}

// ---- reading messages ----

// view is the message as a request sees it: the default properties, plus
// those only returned when $select or $expand name them.
func (x *mailReq) view(m *mmsg, q url.Values) map[string]any {
	sel := strings.ToLower(q.Get("$select"))
	expand := q.Get("$expand")
	pref := bodyPreference(x.r)
	body, _ := m.props["body"].(map[string]any)
	convert := pref != "" && pref != jsonStr(body, "contentType")
	if !strings.Contains(sel, "internetmessageheaders") && !strings.Contains(sel, "uniquebody") && expand == "" && !convert {
		return m.props
	}
	v := maps.Clone(m.props)
	if convert {
		v["body"] = convertBody(body, pref)
	}
	if strings.Contains(sel, "internetmessageheaders") {
		v["internetMessageHeaders"] = x.allHeaders(m)
	}
	if strings.Contains(sel, "uniquebody") {
		v["uniqueBody"] = v["body"]
	}
	for _, e := range expandItems(expand) {
		name, opts, _ := strings.Cut(e, "(")
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "attachments":
			atts := make([]any, 0, len(m.attachments))
			for _, a := range m.attachments {
				atts = append(atts, a.json(true, false))
			}
			v["attachments"] = atts
		case "singlevalueextendedproperties":
			v["singleValueExtendedProperties"] = filterMailExtended(m.extended, opts)
		}
	}
	return v
}

var bodyPreferenceRE = regexp.MustCompile(`(?i)outlook\.body-content-type="?(text|html)"?`)

// bodyPreference reads Prefer: outlook.body-content-type="text" (or
// "html"): the body format the client wants.
func bodyPreference(r *http.Request) string {
	if r == nil {
		return ""
	}
	m := bodyPreferenceRE.FindStringSubmatch(r.Header.Get("Prefer"))
	if m == nil {
		return ""
	}
	return strings.ToLower(m[1])
}

// convertBody gives a body in the other format, as Outlook converts it.
func convertBody(body map[string]any, to string) map[string]any {
	content := jsonStr(body, "content")
	if to == "text" {
		text := html.UnescapeString(tagRE.ReplaceAllString(strings.NewReplacer("<br>", "\r\n", "</p>", "\r\n", "</div>", "\r\n").Replace(content), ""))
		return map[string]any{"contentType": "text", "content": strings.TrimSpace(text)}
	}
	return map[string]any{"contentType": "html", "content": outlookHTML(strings.ReplaceAll(html.EscapeString(content), "\r\n", "<br>"))}
}

// allHeaders is the message's internet headers: the standard ones and the
// custom x- headers it was sent with.
func (x *mailReq) allHeaders(m *mmsg) []any {
	h := []any{
		map[string]any{"name": "MIME-Version", "value": "1.0"},
		map[string]any{"name": "Content-Type", "value": "multipart/alternative"},
		map[string]any{"name": "Message-ID", "value": m.props["internetMessageId"]},
	}
	return append(h, m.headers...)
}

// expandItems splits an $expand jsonList at top-level commas.
func expandItems(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, c := range s {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	if strings.TrimSpace(s[start:]) != "" {
		out = append(out, s[start:])
	}
	return out
}

var mailIDFilterRE = regexp.MustCompile(`(?i)\$filter=id eq '((?:[^']|'')*)'`)

// filterMailExtended picks the extended properties an $expand asks for with
// ($filter=id eq '…'); without a filter it gives none, as Graph requires
// one.
func filterMailExtended(props []any, opts string) []any {
	out := []any{}
	m := mailIDFilterRE.FindStringSubmatch(opts)
	if m == nil {
		return out
	}
	want := strings.ReplaceAll(m[1], "''", "'")
	for _, p := range props {
		if strings.EqualFold(jsonStr(p.(map[string]any), "id"), want) {
			out = append(out, p)
		}
	}
	return out
}

func (s *Server) listMailMessages(w http.ResponseWriter, r *http.Request) {
	s.inMailbox(w, r, needRead, func(x *mailReq) mailReply {
		set := x.entitySet("messages")
		var in *mfolder
		if fid := r.PathValue("folder"); fid != "" {
			if in = x.box.folder(fid); in == nil {
				return mailNotFound(fid)
			}
			set = x.entitySet("mailFolders('" + in.id + "')/messages")
		}
		msgs := make([]*mmsg, 0, len(x.box.messages))
		for _, m := range x.box.messages {
			if in == nil || m.folderID == in.id {
				msgs = append(msgs, m)
			}
		}
		sortMailNewestFirst(msgs)
		q := r.URL.Query()
		// Outlook searches what a person reads (subject, body, people), not
		// ids, links or times; the OData engine then searches what is left.
		search, err := odata.ParseSearch(strings.TrimSpace(q.Get("$search")))
		if err != nil {
			return mailError(http.StatusBadRequest, "BadRequest", err.Error())
		}
		items := make([]map[string]any, 0, len(msgs))
		for _, m := range msgs {
			if search.Matches(searchable(m.props)) {
				items = append(items, x.view(m, q))
			}
		}
		return func(w http.ResponseWriter) { s.serveCollection(w, r, items, messagesCollection(set)) }
	})
}

// searchable is the part of a message $search looks at.
func searchable(p map[string]any) map[string]any {
	out := make(map[string]any, 6)
	for _, k := range []string{"subject", "body", "from", "toRecipients", "ccRecipients", "bccRecipients"} {
		out[k] = p[k]
	}
	return out
}

// sortMailNewestFirst is Outlook's default order: receivedDateTime descending.
func sortMailNewestFirst(msgs []*mmsg) {
	slices.SortFunc(msgs, func(a, b *mmsg) int {
		if c := b.received.Compare(a.received); c != 0 {
			return c
		}
		return cmp.Compare(b.seq, a.seq)
	})
}

func (s *Server) getMailMessage(w http.ResponseWriter, r *http.Request) {
	s.inMailbox(w, r, needRead, func(x *mailReq) mailReply {
		m, rep := x.message()
		if rep != nil {
			return rep
		}
		item := x.view(m, r.URL.Query())
		return func(w http.ResponseWriter) { s.serveEntity(w, r, item, x.entitySet("messages")) }
	})
}

// ---- delta ----

// mailDeltaToken is the state a delta link or next link carries: changes after
// since and up to upto (the store's counter when the round began), those
// after after already delivered.
type mailDeltaToken struct {
	epoch              int
	since, upto, after int64
}

func (t mailDeltaToken) encode() string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "graphtest-delta:%d:%d:%d:%d", t.epoch, t.since, t.upto, t.after))
}

func decodeMailDeltaToken(s string) (mailDeltaToken, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return mailDeltaToken{}, false
	}
	var t mailDeltaToken
	_, err = fmt.Sscanf(string(b), "graphtest-delta:%d:%d:%d:%d", &t.epoch, &t.since, &t.upto, &t.after)
	return t, err == nil
}

var maxPageSizeRE = regexp.MustCompile(`odata\.maxpagesize=(\d+)`)

// deltaPageSize is the page size a delta round asks for with Prefer
// odata.maxpagesize (10 without it, 1 to 1000), and the preference to
// echo in Preference-Applied ("" when none was given).
func deltaPageSize(r *http.Request) (size int, applied string) {
	size = 10
	if m := maxPageSizeRE.FindStringSubmatch(r.Header.Get("Prefer")); m != nil {
		fmt.Sscan(m[1], &size)
		applied = "odata.maxpagesize=" + m[1]
	}
	return max(1, min(size, 1000)), applied
}

func (s *Server) mailMessageDelta(w http.ResponseWriter, r *http.Request) {
	s.inMailbox(w, r, needRead, func(x *mailReq) mailReply {
		f := x.box.folder(r.PathValue("folder"))
		if f == nil {
			return mailNotFound(r.PathValue("folder"))
		}
		q := r.URL.Query()
		tok := mailDeltaToken{epoch: x.st.epoch, upto: x.st.seq}
		for _, name := range []string{"$deltatoken", "$skiptoken"} {
			if v := q.Get(name); v != "" {
				t, ok := decodeMailDeltaToken(v)
				if !ok || t.epoch != x.st.epoch {
					return mailError(http.StatusGone, "SyncStateNotFound", "The sync state generation is not found or has expired. Resync from the start.")
				}
				tok = t
				if name == "$deltatoken" {
					tok = mailDeltaToken{epoch: t.epoch, since: t.upto, upto: x.st.seq, after: t.upto}
				}
			}
		}
		pageSize, preferred := deltaPageSize(r)
		if v := q.Get("$top"); v != "" {
			fmt.Sscan(v, &pageSize)
			pageSize = max(1, min(pageSize, 1000))
		}

		type change struct {
			seq  int64
			item map[string]any
		}
		var changes []change
		for _, m := range x.box.messages {
			if m.folderID == f.id && m.seq > tok.after && m.seq <= tok.upto {
				item := maps.Clone(x.view(m, q))
				item["@odata.type"] = "#microsoft.graph.message"
				item[deltaSeqKey] = m.seq
				changes = append(changes, change{m.seq, item})
			}
		}
		if tok.since > 0 {
			for _, t := range x.box.removed {
				if t.folderID == f.id && t.seq > tok.after && t.seq <= tok.upto {
					changes = append(changes, change{t.seq, map[string]any{
						"@odata.type": "#microsoft.graph.message", "id": t.id, "@removed": map[string]any{"reason": "deleted"}, deltaSeqKey: t.seq,
					}})
				}
			}
		}
		slices.SortFunc(changes, func(a, b change) int { return cmp.Compare(a.seq, b.seq) })
		items := make([]map[string]any, 0, len(changes))
		for _, c := range changes {
			items = append(items, c.item)
		}
		matched, fields, err := odata.Apply(items, url.Values{"$filter": q["$filter"], "$select": q["$select"]})
		if err != nil {
			return mailError(http.StatusBadRequest, "BadRequest", err.Error())
		}
		body := map[string]any{"@odata.context": s.GraphURL() + "/v1.0/$metadata#Collection(message)"}
		page := matched
		link := s.graphBase(r) + r.URL.EscapedPath() + "?"
		keep := url.Values{}
		for _, k := range []string{"$select", "$filter"} {
			if v := q.Get(k); v != "" {
				keep.Set(k, v)
			}
		}
		if len(matched) > pageSize {
			page = matched[:pageSize]
			next := tok
			next.after = page[pageSize-1][deltaSeqKey].(int64)
			keep.Set("$skiptoken", next.encode())
			body["@odata.nextLink"] = link + strings.ReplaceAll(keep.Encode(), "%24", "$")
		} else {
			keep.Set("$deltatoken", mailDeltaToken{epoch: tok.epoch, upto: tok.upto}.encode())
			body["@odata.deltaLink"] = link + strings.ReplaceAll(keep.Encode(), "%24", "$")
		}
		out := make([]map[string]any, len(page))
		for i, it := range page {
			delete(it, deltaSeqKey) // the items are this request's own copies
			out[i] = odata.Project(it, fields)
			if rm, ok := it["@removed"]; ok {
				out[i]["@removed"] = rm
			}
		}
		body["value"] = out
		return func(w http.ResponseWriter) {
			if preferred != "" {
				w.Header().Set("Preference-Applied", preferred)
			}
			writeGraphJSON(w, http.StatusOK, body)
		}
	})
}

// deltaSeqKey carries a change's position through the OData engine; no JSON
// member can have this name.
const deltaSeqKey = "\x00seq"
