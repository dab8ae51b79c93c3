package graphtest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// mattach is an attachment: a file (content in memory, or in a blob when
// it came through an upload session) or an item (an embedded message,
// event or contact).
type mattach struct {
	id      string
	props   map[string]any // metadata, without content
	content []byte
	blob    *mailBlob
	item    map[string]any
}

func (a *mattach) kind() string { return jsonStr(a.props, "@odata.type") }

// clone copies a for another message, sharing its content; the store lock
// is held.
func (a *mattach) clone(now time.Time) *mattach {
	cp := &mattach{id: newMailAttachmentID(), props: maps.Clone(a.props), content: a.content, blob: a.blob, item: a.item}
	cp.props["id"] = cp.id
	cp.props["lastModifiedDateTime"] = mailTime(now)
	if cp.blob != nil {
		cp.blob.refs++
	}
	return cp
}

// json is the attachment as Graph returns it: file attachments with their
// content (base64), item attachments with their item when expanded.
func (a *mattach) json(content, item bool) map[string]any {
	out := maps.Clone(a.props)
	if a.kind() == fileAttachmentType && content {
		data := a.content
		if a.blob != nil {
			data, _ = os.ReadFile(a.blob.path)
		}
		out["contentBytes"] = base64.StdEncoding.EncodeToString(data)
	}
	if a.item != nil && item {
		out["item"] = a.item
	}
	return out
}

const (
	fileAttachmentType = "#microsoft.graph.fileAttachment"
	itemAttachmentType = "#microsoft.graph.itemAttachment"
)

// Outlook's attachment size rules: inline content up to 3 MB, upload
// sessions from 3 MB to 150 MB, chunks under 4 MB.
const (
	minMailSession = 3 << 20
	maxMailSession = 150 << 20
	maxMailChunk   = 4 << 20
)

func mailAttachmentType(name, given string) string {
	if given != "" {
		return given
	}
	if t := mime.TypeByExtension(filepath.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// readAttachment checks an attachment in a request body.
func (x *mailReq) readAttachment(in map[string]any) (*mattach, mailReply) {
	kind := "#" + strings.TrimPrefix(jsonStr(in, "@odata.type"), "#")
	name := jsonStr(in, "name")
	if name == "" {
		return nil, mailError(http.StatusBadRequest, "ErrorInvalidRequest", "The attachment name is required.")
	}
	a := &mattach{id: newMailAttachmentID()}
	a.props = map[string]any{
		"@odata.type":          kind,
		"id":                   a.id,
		"lastModifiedDateTime": mailTime(x.now),
		"name":                 name,
		"isInline":             in["isInline"] == true,
	}
	switch kind {
	case fileAttachmentType:
		data, err := base64.StdEncoding.DecodeString(jsonStr(in, "contentBytes"))
		if err != nil {
			return nil, mailError(http.StatusBadRequest, "ErrorInvalidRequest", "The contentBytes of attachment '"+name+"' is not valid base64.")
		}
		a.content = data
		a.props["contentType"] = mailAttachmentType(name, jsonStr(in, "contentType"))
		a.props["size"] = len(data)
		a.props["contentId"] = nullable(jsonStr(in, "contentId"))
		a.props["contentLocation"] = nullable(jsonStr(in, "contentLocation"))
		if jsonStr(in, "contentId") != "" && in["isInline"] == nil {
			a.props["isInline"] = true
		}
	case itemAttachmentType:
		item, ok := in["item"].(map[string]any)
		if !ok {
			return nil, mailError(http.StatusBadRequest, "ErrorInvalidRequest", "The item of item attachment '"+name+"' is required.")
		}
		item = maps.Clone(item)
		item["@odata.type"] = "#" + strings.TrimPrefix(jsonStr(item, "@odata.type"), "#")
		if strings.EqualFold(jsonStr(item, "@odata.type"), "#microsoft.graph.message") {
			item = x.itemMessage(item)
		}
		if _, ok := item["id"]; !ok {
			item["id"] = ""
		}
		data, _ := json.Marshal(item)
		a.item = item
		a.props["contentType"] = nil
		a.props["size"] = len(data)
		a.props["isInline"] = false
	default:
		return nil, mailError(http.StatusBadRequest, "RequestBodyRead",
			"A type named '"+strings.TrimPrefix(kind, "#")+"' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.")
	}
	return a, nil
}

// attachment finds the request's message and its attachment {aid}.
func (x *mailReq) attachment() (*mmsg, *mattach, mailReply) {
	m, rep := x.message()
	if rep != nil {
		return nil, nil, rep
	}
	aid := x.r.PathValue("aid")
	i := slices.IndexFunc(m.attachments, func(a *mattach) bool { return a.id == aid })
	if i < 0 {
		return nil, nil, mailNotFound(aid)
	}
	return m, m.attachments[i], nil
}

// attachmentsSet is the entity set of m's attachments.
func (x *mailReq) attachmentsSet(m *mmsg) string {
	return x.entitySet("messages('" + url.PathEscape(m.id) + "')/attachments")
}

func (s *Server) listMailAttachments(w http.ResponseWriter, r *http.Request) {
	s.inMailbox(w, r, needRead, func(x *mailReq) mailReply {
		m, rep := x.message()
		if rep != nil {
			return rep
		}
		items := make([]map[string]any, 0, len(m.attachments))
		for _, a := range m.attachments {
			items = append(items, a.json(true, false))
		}
		set := x.attachmentsSet(m)
		return func(w http.ResponseWriter) { s.serveCollection(w, r, items, messagesCollection(set)) }
	})
}

func (s *Server) addMailAttachment(w http.ResponseWriter, r *http.Request) {
	s.inMailboxBody(w, r, needWrite, func(x *mailReq, body map[string]any) mailReply {
		m, rep := x.message()
		if rep != nil {
			return rep
		}
		a, rep := x.readAttachment(body)
		if rep != nil {
			return rep
		}
		m.attachments = append(m.attachments, a)
		x.setProps(m, nil)
		item := a.json(true, false)
		return s.mailEntity(http.StatusCreated, item, x.attachmentsSet(m))
	})
}

func (s *Server) getMailAttachment(w http.ResponseWriter, r *http.Request) {
	s.inMailbox(w, r, needRead, func(x *mailReq) mailReply {
		m, a, rep := x.attachment()
		if rep != nil {
			return rep
		}
		expand := strings.Contains(strings.ToLower(r.URL.Query().Get("$expand")), "item")
		item := a.json(true, expand)
		if expand && a.item != nil {
			item["item@odata.context"] = s.GraphURL() + "/v1.0/$metadata#" + x.entitySet("messages('"+url.PathEscape(m.id)+
				"')/attachments('"+url.PathEscape(a.id)+"')/microsoft.graph.itemAttachment/item/$entity")
		}
		return func(w http.ResponseWriter) {
			s.serveEntity(w, r, item, x.attachmentsSet(m))
		}
	})
}

func (s *Server) deleteMailAttachment(w http.ResponseWriter, r *http.Request) {
	s.inMailbox(w, r, needWrite, func(x *mailReq) mailReply {
		m, a, rep := x.attachment()
		if rep != nil {
			return rep
		}
		m.attachments = slices.DeleteFunc(slices.Clone(m.attachments), func(o *mattach) bool { return o == a })
		if a.blob != nil {
			a.blob.release()
		}
		x.setProps(m, nil)
		return func(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }
	})
}

// mailAttachmentContent answers $value: a file's bytes, or an item as MIME
// (a message) or iCalendar (an event).
func (s *Server) mailAttachmentContent(w http.ResponseWriter, r *http.Request) {
	s.inMailbox(w, r, needRead, func(x *mailReq) mailReply {
		_, a, rep := x.attachment()
		if rep != nil {
			return rep
		}
		if a.item != nil {
			item := a.item
			return func(w http.ResponseWriter) { writeItemAttachment(w, item) }
		}
		if a.blob != nil {
			a.blob.refs++ // held while streaming
		}
		ct, size, content, b := jsonStr(a.props, "contentType"), len(a.content), a.content, a.blob
		return func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", ct)
			if b == nil {
				w.Header().Set("Content-Length", strconv.Itoa(size))
				w.Write(content)
				return
			}
			defer s.releaseMailBlob(b)
			f, err := b.open()
			if err != nil {
				writeGraphError(w, http.StatusInternalServerError, "generalException", err.Error())
				return
			}
			defer f.Close()
			w.Header().Set("Content-Length", strconv.FormatInt(b.size, 10))
			io.Copy(w, f)
		}
	})
}

func (s *Server) releaseMailBlob(b *mailBlob) {
	s.mail.mu.Lock()
	defer s.mail.mu.Unlock()
	b.release()
}

// ---- upload sessions ----

// mailUploadSession is an attachment upload session. Its URL has Outlook's
// shape (…/api/v2.0/Users('…')/Messages('…')/AttachmentSessions('…')) and
// carries its own credential, the authtoken parameter.
type mailUploadSession struct {
	token     string
	path      string
	ownerID   string
	messageID string
	name      string
	ctype     string
	contentID string
	size      int64
	next      int64
	blob      *mailBlob
	expires   time.Time
	busy      bool
}

// mailUploadPrefix is where upload sessions live, outside /v1.0: their
// requests carry no bearer token.
const mailUploadPrefix = "/api/v2.0/"

func (s *Server) createAttachmentSession(w http.ResponseWriter, r *http.Request) {
	s.inMailboxBody(w, r, needWrite, func(x *mailReq, body map[string]any) mailReply {
		m, rep := x.message()
		if rep != nil {
			return rep
		}
		item, ok := body["AttachmentItem"].(map[string]any)
		if !ok {
			return mailError(http.StatusBadRequest, "ErrorInvalidRequest", "The AttachmentItem parameter is required.")
		}
		name := jsonStr(item, "name")
		size, _ := item["size"].(float64)
		switch {
		case !strings.EqualFold(jsonStr(item, "attachmentType"), "file"):
			return mailError(http.StatusBadRequest, "ErrorInvalidRequest", "Only attachmentType 'file' can be uploaded in a session.")
		case name == "":
			return mailError(http.StatusBadRequest, "ErrorInvalidRequest", "The attachment name is required.")
		case size < minMailSession:
			return mailError(http.StatusBadRequest, "ErrorAttachmentSizeShouldNotBeLessThanMinimumSize",
				"Attachment size must be at least 3 MB; attach smaller files with one POST to the attachments collection.")
		case size > maxMailSession:
			return mailError(http.StatusBadRequest, "ErrorAttachmentSizeShouldNotBeGreaterThanMaximumSize",
				"Attachment size must not exceed 150 MB.")
		}
		b, err := x.st.newMailBlob(int64(size))
		if err != nil {
			return mailError(http.StatusInternalServerError, "generalException", err.Error())
		}
		sess := &mailUploadSession{
			token:     randomToken(),
			ownerID:   x.box.owner.id,
			messageID: m.id,
			name:      name,
			ctype:     mailAttachmentType(name, jsonStr(item, "contentType")),
			contentID: jsonStr(item, "contentId"),
			size:      int64(size),
			blob:      b,
			expires:   x.now.Add(2 * time.Hour),
		}
		sess.path = mailUploadPrefix + "Users('" + x.box.owner.id + "@" + s.tenantID + "')/Messages('" + m.id +
			"')/AttachmentSessions('" + newMailAttachmentID() + "')"
		x.st.sessions[sess.token] = sess
		resp := map[string]any{
			"@odata.context":     s.GraphURL() + "/v1.0/$metadata#microsoft.graph.uploadSession",
			"uploadUrl":          s.URL + sess.path + "?authtoken=" + url.QueryEscape(sess.token),
			"expirationDateTime": sess.expires.UTC().Format(time.RFC3339Nano),
			"nextExpectedRanges": []string{"0-"},
		}
		return func(w http.ResponseWriter) { writeGraphJSON(w, http.StatusCreated, resp) }
	})
}

// mailUploadHandler serves upload session URLs: anonymous, logged and subject
// to injected faults like Graph requests. A bearer token is refused, so a
// client leaking one fails its tests.
func (s *Server) mailUploadHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("request-id", newGUID())
		w.Header().Set("client-request-id", newGUID())
		entry := Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header.Clone()}
		rec := &recorder{ResponseWriter: w, log: func(status int) {
			entry.Status = status
			s.mu.Lock()
			s.requests = append(s.requests, entry)
			s.mu.Unlock()
		}}
		defer rec.logOnce(0)
		if s.injectFault(rec, r) {
			return
		}
		if r.Header.Get("Authorization") != "" {
			writeGraphError(rec, http.StatusUnauthorized, "InvalidAuthenticationToken",
				"graphtest: upload session URLs are pre-authenticated; a request to one must not carry an Authorization header.")
			return
		}
		s.serveMailUpload(rec, r)
	})
}

func (s *Server) serveMailUpload(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	now := s.now()
	s.mu.Unlock()
	st := s.mail
	st.mu.Lock()
	sess := st.sessions[r.URL.Query().Get("authtoken")]
	if sess == nil || sess.path != r.URL.Path || now.After(sess.expires) {
		st.mu.Unlock()
		writeGraphError(w, http.StatusNotFound, "ErrorItemNotFound", "The upload session was not found or has expired.")
		return
	}
	switch r.Method {
	case http.MethodGet:
		body := mailSessionStatus(s, sess)
		st.mu.Unlock()
		writeGraphJSON(w, http.StatusOK, body)
		return
	case http.MethodDelete:
		delete(st.sessions, sess.token)
		sess.blob.release()
		st.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
		return
	case http.MethodPut:
	default:
		st.mu.Unlock()
		writeGraphError(w, http.StatusMethodNotAllowed, "ErrorInvalidRequest", "Upload sessions take PUT, GET and DELETE.")
		return
	}
	start, end, total, problem := parseMailContentRange(r.Header.Get("Content-Range"))
	n := end - start + 1
	var fail mailReply
	switch {
	case problem != "":
		fail = mailError(http.StatusBadRequest, "InvalidContentRange", problem)
	case total != sess.size:
		fail = mailError(http.StatusBadRequest, "InvalidContentRange",
			fmt.Sprintf("Content-Range declares %d bytes in all; the session was created for %d.", total, sess.size))
	case n > maxMailChunk:
		fail = mailError(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
			fmt.Sprintf("A chunk of %d bytes is over the 4 MB an upload request may carry.", n))
	case r.ContentLength >= 0 && r.ContentLength != n:
		fail = mailError(http.StatusBadRequest, "InvalidContentRange",
			fmt.Sprintf("Content-Length %d does not match Content-Range bytes %d-%d.", r.ContentLength, start, end))
	case start != sess.next || end >= sess.size:
		fail = mailError(http.StatusRequestedRangeNotSatisfiable, "InvalidRange",
			fmt.Sprintf("The session expects bytes from %d; got bytes %d-%d.", sess.next, start, end))
	case sess.busy:
		fail = mailError(http.StatusConflict, "ErrorInvalidRequest", "Another chunk of this session is being uploaded.")
	}
	if fail != nil {
		st.mu.Unlock()
		fail(w)
		return
	}
	sess.busy = true
	st.mu.Unlock()

	// Stream the chunk to disk, outside the lock.
	problem = writeMailChunk(sess.blob.path, r.Body, start, n)

	st.mu.Lock()
	sess.busy = false
	if problem != "" {
		st.mu.Unlock()
		writeGraphError(w, http.StatusBadRequest, "InvalidContentRange", problem)
		return
	}
	sess.next = end + 1
	if sess.next < sess.size {
		body := mailSessionStatus(s, sess)
		st.mu.Unlock()
		writeGraphJSON(w, http.StatusOK, body)
		return
	}
	delete(st.sessions, sess.token)
	loc, rep := s.finishMailUpload(sess, now)
	changes := st.takeChanges()
	st.mu.Unlock()
	s.publishChanges(changes)
	if rep != nil {
		rep(w)
		return
	}
	w.Header().Set("Location", loc)
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusCreated)
}

// mailSessionStatus is Outlook's answer about a session, in its Pascal case.
func mailSessionStatus(s *Server, sess *mailUploadSession) map[string]any {
	return map[string]any{
		"@odata.context":     s.URL + "/api/v2.0/$metadata#Users('" + url.PathEscape(sess.ownerID) + "')/Messages('" + url.PathEscape(sess.messageID) + "')/AttachmentSessions/$entity",
		"ExpirationDateTime": sess.expires.UTC().Format(time.RFC3339Nano),
		"NextExpectedRanges": []string{strconv.FormatInt(sess.next, 10)},
	}
}

// finishMailUpload attaches the uploaded content to its message; st.mu is held.
func (s *Server) finishMailUpload(sess *mailUploadSession, now time.Time) (string, mailReply) {
	b := s.mail.boxes[sess.ownerID]
	var m *mmsg
	if b != nil {
		m = b.messages[sess.messageID]
	}
	if m == nil {
		sess.blob.release()
		return "", errItemNotFound
	}
	x := &mailReq{st: s.mail, box: b, now: now}
	a := &mattach{id: newMailAttachmentID(), blob: sess.blob}
	a.props = map[string]any{
		"@odata.type":             fileAttachmentType,
		"@odata.mediaContentType": sess.ctype,
		"id":                      a.id,
		"lastModifiedDateTime":    mailTime(x.now),
		"name":                    sess.name,
		"contentType":             sess.ctype,
		"size":                    sess.size,
		"isInline":                sess.contentID != "",
		"contentId":               nullable(sess.contentID),
		"contentLocation":         nil,
	}
	m.attachments = append(slices.Clone(m.attachments), a)
	x.setProps(m, nil)
	return s.URL + mailUploadPrefix + "Users('" + sess.ownerID + "@" + s.tenantID + "')/Messages('" + m.id + "')/Attachments('" + a.id + "')", nil
}

var mailContentRangeRE = regexp.MustCompile(`^bytes (\d+)-(\d+)/(\d+)$`)

// parseMailContentRange reads "bytes start-end/total"; a non-empty
// problem is the Graph error message for a bad header.
func parseMailContentRange(v string) (start, end, total int64, problem string) {
	m := mailContentRangeRE.FindStringSubmatch(strings.TrimSpace(v))
	if m == nil {
		return 0, 0, 0, fmt.Sprintf("The Content-Range header %q is not of the form 'bytes start-end/total'.", v)
	}
	start, err1 := strconv.ParseInt(m[1], 10, 64)
	end, err2 := strconv.ParseInt(m[2], 10, 64)
	total, err3 := strconv.ParseInt(m[3], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || end < start || end >= total {
		return 0, 0, 0, fmt.Sprintf("The Content-Range header %q names an empty or out-of-bounds range.", v)
	}
	return start, end, total, ""
}

// writeMailChunk copies exactly n bytes of body into the file at offset;
// a non-empty problem is the Graph error message.
func writeMailChunk(path string, body io.Reader, offset, n int64) (problem string) {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	got, err := io.CopyN(io.NewOffsetWriter(f, offset), body, n)
	if err != nil {
		return fmt.Sprintf("The request body ended after %d of the %d bytes Content-Range announces.", got, n)
	}
	if extra, _ := io.Copy(io.Discard, io.LimitReader(body, 1)); extra > 0 {
		return fmt.Sprintf("The request body is longer than the %d bytes Content-Range announces.", n)
	}
	return ""
}
