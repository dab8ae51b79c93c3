package graphtest

// To Do task attachments: taskFileAttachment at
// …/todo/lists/{lid}/tasks/{tid}/attachments, small files in one POST,
// any file through an upload session.
//
// Rules the emulator follows, as Graph's pages give them
// (todotask-post-attachments, taskfileattachment-createuploadsession, the
// "Attach large files to a To Do task" walkthrough):
//
//   - POST …/attachments takes a taskFileAttachment with name and base64
//     contentBytes of under 3 MB (3 MiB here); larger content is refused
//     413 RequestEntityTooLarge (graphtest's choice of answer: Graph's
//     pages give none). The answer is 201 with the attachment, without
//     contentBytes.
//   - List answers the attachments without contentBytes; Get with them;
//     …/{aid}/$value the raw bytes with the attachment's content type;
//     Delete 204. Adding or deleting one sets the task's hasAttachments
//     and renews its etag, as any change of the task does.
//   - createUploadSession takes attachmentInfo {attachmentType "file",
//     name, size (1 byte to 25 MiB), contentType} and answers 200 with an
//     uploadSession whose uploadUrl is a Graph URL,
//     …/users/{id}/todo/lists/{lid}/tasks/{tid}/attachmentSessions/{sid}.
//     Unlike mail's pre-authenticated Outlook URLs, every request to it
//     needs the bearer token of the task's owner with Tasks.ReadWrite.
//     Application permissions are not supported (403), as the page says.
//   - Chunks are PUT to {uploadUrl}/content, in order, under 4 MiB each,
//     with Content-Range; each is answered 200 with Outlook's Pascal-case
//     ExpirationDateTime and NextExpectedRanges, the last 201 with a
//     Location …/tasks/{tid}/Attachments/{aid} and no body. GET on the
//     uploadUrl reports the session (attachmentSession), DELETE cancels
//     it (204). A session lasts two hours.

import (
	"encoding/base64"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-o365/o365/graphtest/internal/odata"
)

// todoAttachment is a taskFileAttachment: its properties as Graph
// answers them, without contentBytes, and its content.
type todoAttachment struct {
	id      string
	props   map[string]any
	content []byte
}

// todoUploadSession is an attachment upload session of a task.
type todoUploadSession struct {
	id, owner, list, task string
	name, ctype           string
	size                  int64
	content               []byte // the bytes received so far, in order
	expires               time.Time
}

// To Do's attachment size rules: inline content under 3 MB, sessions for
// files up to 25 MB, chunks under 4 MB.
const (
	maxTodoInline  = 3 << 20
	maxTodoSession = 25 << 20
	maxTodoChunk   = 4 << 20
	// maxTodoAttachRequest bounds the JSON body of an inline attachment:
	// 3 MiB of content is 4 MiB of base64.
	maxTodoAttachRequest = 5 << 20
)

const taskFileAttachmentType = "#microsoft.graph.taskFileAttachment"

func (s *Server) todoAttachmentRoutes(add func(method, path string, h http.HandlerFunc)) {
	const task = "/lists/{lid}/tasks/{tid}"
	add("GET", task+"/attachments", s.listTodoAttachments)
	add("POST", task+"/attachments", s.addTodoAttachment)
	add("POST", task+"/attachments/createUploadSession", s.createTodoUploadSession)
	add("GET", task+"/attachments/{aid}", s.getTodoAttachment)
	add("GET", task+"/attachments/{aid}/$value", s.todoAttachmentContent)
	add("DELETE", task+"/attachments/{aid}", s.deleteTodoAttachment)
	add("GET", task+"/attachmentSessions/{sid}", s.todoUploadSessionStatus)
	add("DELETE", task+"/attachmentSessions/{sid}", s.cancelTodoUploadSession)
	add("PUT", task+"/attachmentSessions/{sid}/content", s.putTodoUploadChunk)
}

func (t *todoTask) attachment(id string) *todoAttachment {
	for _, a := range t.attachments {
		if a.id == id {
			return a
		}
	}
	return nil
}

// attachmentsChanged records a change of t's attachments: hasAttachments,
// and a new etag and stamp as for any change of the task; d.mu is held.
func (d *personalData) attachmentsChanged(t *todoTask, now time.Time) {
	props := maps.Clone(t.props)
	props["hasAttachments"] = len(t.attachments) > 0
	t.props = props
	d.touch(t, now)
}

func attachmentSet(owner string, l *todoList, t *todoTask) string {
	return userContext(owner, "/todo/lists('"+l.id+"')/tasks('"+t.id+"')/attachments")
}

func newTodoAttachment(name, ctype string, content []byte, now time.Time) *todoAttachment {
	a := &todoAttachment{id: personalID(), content: content}
	a.props = map[string]any{
		"@odata.type":          taskFileAttachmentType,
		"id":                   a.id,
		"lastModifiedDateTime": now.UTC().Format(time.RFC3339),
		"name":                 name,
		"contentType":          mailAttachmentType(name, ctype),
		"size":                 len(content),
	}
	return a
}

func (s *Server) listTodoAttachments(w http.ResponseWriter, r *http.Request) {
	s.onTodoTask(w, r, false, nil, func(req personalReq, l *todoList, t *todoTask) func(http.ResponseWriter) {
		items := make([]map[string]any, len(t.attachments))
		for i, a := range t.attachments {
			items[i] = maps.Clone(a.props)
		}
		set := attachmentSet(req.owner, l, t)
		return func(w http.ResponseWriter) { s.serveCollection(w, r, items, todoCollection(set)) }
	})
}

func (s *Server) getTodoAttachment(w http.ResponseWriter, r *http.Request) {
	s.onTodoTask(w, r, false, nil, func(req personalReq, l *todoList, t *todoTask) func(http.ResponseWriter) {
		a := t.attachment(r.PathValue("aid"))
		if a == nil {
			return replyNotFound
		}
		item := maps.Clone(a.props)
		item["contentBytes"] = base64.StdEncoding.EncodeToString(a.content)
		set := attachmentSet(req.owner, l, t)
		return func(w http.ResponseWriter) { s.serveEntity(w, r, item, set) }
	})
}

func (s *Server) todoAttachmentContent(w http.ResponseWriter, r *http.Request) {
	s.onTodoTask(w, r, false, nil, func(req personalReq, l *todoList, t *todoTask) func(http.ResponseWriter) {
		a := t.attachment(r.PathValue("aid"))
		if a == nil {
			return replyNotFound
		}
		ct, content := a.props["contentType"].(string), a.content // content is never changed in place
		return func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", ct)
			w.Header().Set("Content-Length", strconv.Itoa(len(content)))
			w.Write(content)
		}
	})
}

func (s *Server) deleteTodoAttachment(w http.ResponseWriter, r *http.Request) {
	s.onTodoTask(w, r, true, nil, func(req personalReq, l *todoList, t *todoTask) func(http.ResponseWriter) {
		a := t.attachment(r.PathValue("aid"))
		if a == nil {
			return replyNotFound
		}
		t.attachments = slices.DeleteFunc(slices.Clone(t.attachments), func(x *todoAttachment) bool { return x == a })
		s.personalData().attachmentsChanged(t, req.now)
		return replyNoContent
	})
}

func (s *Server) addTodoAttachment(w http.ResponseWriter, r *http.Request) {
	req, ok := s.personalTarget(w, r, true, todoScopes)
	if !ok {
		return
	}
	body, ok := readJSONObject(w, r, maxTodoAttachRequest)
	if !ok {
		return
	}
	a, fail := readTodoAttachment(body, req.now)
	if fail != nil {
		fail(w)
		return
	}
	d := s.personalData()
	d.mu.Lock()
	reply := func() func(http.ResponseWriter) {
		l, t := d.todoOf(req.owner).findTask(r)
		if t == nil {
			return replyNotFound
		}
		t.attachments = append(slices.Clone(t.attachments), a)
		d.attachmentsChanged(t, req.now)
		return s.replyEntity(http.StatusCreated, maps.Clone(a.props), attachmentSet(req.owner, l, t))
	}()
	d.mu.Unlock()
	reply(w)
}

// findTask finds the list and task r names; t is nil when either is
// unknown.
func (u *todoUser) findTask(r *http.Request) (l *todoList, t *todoTask) {
	if l = u.list(r.PathValue("lid")); l != nil {
		t = l.task(r.PathValue("tid"))
	}
	return l, t
}

// readTodoAttachment checks a taskFileAttachment in a request body.
func readTodoAttachment(in map[string]any, now time.Time) (*todoAttachment, func(http.ResponseWriter)) {
	bad := func(msg string) func(http.ResponseWriter) {
		return replyError(http.StatusBadRequest, "RequestBodyRead", msg)
	}
	for k, v := range in {
		switch k {
		case "@odata.type":
			kind := strings.TrimPrefix(fmt.Sprint(v), "#")
			if !strings.EqualFold(kind, "microsoft.graph.taskFileAttachment") {
				return nil, bad("A type named '" + kind + "' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.")
			}
		case "name", "contentType", "contentBytes":
			if _, ok := v.(string); !ok && v != nil {
				return nil, bad(odata.WrongType(k, "Edm.String"))
			}
		case "size":
			if _, ok := v.(float64); !ok && v != nil {
				return nil, bad(odata.WrongType(k, "Edm.Int32"))
			}
		case "id", "lastModifiedDateTime", "@odata.context":
		default:
			return nil, bad(odata.UnknownProperty(k, "microsoft.graph.taskFileAttachment"))
		}
	}
	name, _ := in["name"].(string)
	if strings.TrimSpace(name) == "" {
		return nil, replyError(http.StatusBadRequest, "invalidRequest", "The name of the attachment is required.")
	}
	raw, present := in["contentBytes"].(string)
	if !present {
		return nil, replyError(http.StatusBadRequest, "invalidRequest", "The contentBytes of the attachment are required.")
	}
	data, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		return nil, bad("Cannot convert the literal to the expected type 'Edm.Binary'.")
	}
	if len(data) >= maxTodoInline {
		return nil, replyError(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
			fmt.Sprintf("An attachment of %d bytes is not under 3 MB; upload it through attachments/createUploadSession.", len(data)))
	}
	ctype, _ := in["contentType"].(string)
	return newTodoAttachment(name, ctype, data, now), nil
}

// ---- upload sessions ----

func (s *Server) createTodoUploadSession(w http.ResponseWriter, r *http.Request) {
	if callerOf(r).appOnly() {
		writeGraphError(w, http.StatusForbidden, "ErrorAccessDenied",
			"Access is denied. Upload sessions for task attachments take delegated permissions only.")
		return
	}
	body := map[string]any{}
	s.onTodoTask(w, r, true, body, func(req personalReq, l *todoList, t *todoTask) func(http.ResponseWriter) {
		info, _ := body["attachmentInfo"].(map[string]any)
		if info == nil {
			return replyError(http.StatusBadRequest, "invalidRequest", "The attachmentInfo parameter is required.")
		}
		name, _ := info["name"].(string)
		size, _ := info["size"].(float64)
		ctype, _ := info["contentType"].(string)
		switch {
		case !strings.EqualFold(fmt.Sprint(info["attachmentType"]), "file"):
			return replyError(http.StatusBadRequest, "invalidRequest", "Only attachmentType 'file' can be uploaded to a task.")
		case strings.TrimSpace(name) == "":
			return replyError(http.StatusBadRequest, "invalidRequest", "The name of the attachment is required.")
		case size < 1 || size != float64(int64(size)):
			return replyError(http.StatusBadRequest, "invalidRequest", "The size of the attachment must be a positive number of bytes.")
		case size > maxTodoSession:
			return replyError(http.StatusBadRequest, "invalidRequest", "An attachment of a task may not exceed 25 MB.")
		}
		d := s.personalData()
		sess := &todoUploadSession{
			id: personalID(), owner: req.owner, list: l.id, task: t.id,
			name: name, ctype: ctype, size: int64(size), expires: req.now.Add(2 * time.Hour),
		}
		d.todoSessions[sess.id] = sess
		resp := map[string]any{
			"@odata.context":     s.GraphURL() + "/v1.0/$metadata#microsoft.graph.uploadSession",
			"uploadUrl":          s.graphBase(r) + "/v1.0/users/" + req.owner + "/todo/lists/" + url.PathEscape(l.id) + "/tasks/" + url.PathEscape(t.id) + "/attachmentSessions/" + url.PathEscape(sess.id),
			"expirationDateTime": sess.expires.UTC().Format(time.RFC3339Nano),
			"nextExpectedRanges": []string{"0-"},
		}
		return func(w http.ResponseWriter) { writeGraphJSON(w, http.StatusOK, resp) }
	})
}

// todoSession finds the live session r names, of the caller's task;
// d.mu is held.
func (d *personalData) todoSession(r *http.Request, req personalReq) *todoUploadSession {
	sess := d.todoSessions[r.PathValue("sid")]
	if sess == nil || sess.owner != req.owner || sess.list != r.PathValue("lid") || sess.task != r.PathValue("tid") {
		return nil
	}
	if req.now.After(sess.expires) {
		delete(d.todoSessions, sess.id)
		return nil
	}
	return sess
}

var replySessionNotFound = replyError(http.StatusNotFound, "ErrorItemNotFound", "The upload session was not found or has expired.")

// onTodoSession runs fn on the session r names under the store lock.
func (s *Server) onTodoSession(w http.ResponseWriter, r *http.Request, fn func(req personalReq, d *personalData, sess *todoUploadSession) func(http.ResponseWriter)) {
	req, ok := s.personalTarget(w, r, true, todoScopes)
	if !ok {
		return
	}
	d := s.personalData()
	d.mu.Lock()
	reply := replySessionNotFound
	if sess := d.todoSession(r, req); sess != nil {
		reply = fn(req, d, sess)
	}
	d.mu.Unlock()
	reply(w)
}

// state is the session's attachmentSession entity.
func (sess *todoUploadSession) state() map[string]any {
	return map[string]any{
		"id":                 sess.id,
		"expirationDateTime": sess.expires.UTC().Format(time.RFC3339Nano),
		"nextExpectedRanges": []string{strconv.Itoa(len(sess.content))},
	}
}

func (s *Server) todoUploadSessionStatus(w http.ResponseWriter, r *http.Request) {
	s.onTodoSession(w, r, func(req personalReq, d *personalData, sess *todoUploadSession) func(http.ResponseWriter) {
		set := userContext(req.owner, "/todo/lists('"+sess.list+"')/tasks('"+sess.task+"')/attachmentSessions")
		return s.replyEntity(http.StatusOK, sess.state(), set)
	})
}

func (s *Server) cancelTodoUploadSession(w http.ResponseWriter, r *http.Request) {
	s.onTodoSession(w, r, func(req personalReq, d *personalData, sess *todoUploadSession) func(http.ResponseWriter) {
		delete(d.todoSessions, sess.id)
		return replyNoContent
	})
}

// putTodoUploadChunk takes the next bytes of a session. The chunk is
// read before the store is locked, and applied only if it still starts
// where the session expects.
func (s *Server) putTodoUploadChunk(w http.ResponseWriter, r *http.Request) {
	req, ok := s.personalTarget(w, r, true, todoScopes)
	if !ok {
		return
	}
	start, end, total, problem := parseMailContentRange(r.Header.Get("Content-Range"))
	n := end - start + 1
	switch {
	case problem != "":
		writeGraphError(w, http.StatusBadRequest, "InvalidContentRange", problem)
		return
	case n > maxTodoChunk:
		writeGraphError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
			fmt.Sprintf("A chunk of %d bytes is over the 4 MB an upload request may carry.", n))
		return
	case r.ContentLength >= 0 && r.ContentLength != n:
		writeGraphError(w, http.StatusBadRequest, "InvalidContentRange",
			fmt.Sprintf("Content-Length %d does not match Content-Range bytes %d-%d.", r.ContentLength, start, end))
		return
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, n+1))
	if err != nil || int64(len(data)) != n {
		writeGraphError(w, http.StatusBadRequest, "InvalidContentRange",
			fmt.Sprintf("The request body has %d bytes; Content-Range announces %d.", len(data), n))
		return
	}
	d := s.personalData()
	d.mu.Lock()
	reply := func() func(http.ResponseWriter) {
		sess := d.todoSession(r, req)
		if sess == nil {
			return replySessionNotFound
		}
		next := int64(len(sess.content))
		switch {
		case total != sess.size:
			return replyError(http.StatusBadRequest, "InvalidContentRange",
				fmt.Sprintf("Content-Range declares %d bytes in all; the session was created for %d.", total, sess.size))
		case start != next:
			return replyError(http.StatusRequestedRangeNotSatisfiable, "InvalidRange",
				fmt.Sprintf("The session expects bytes from %d; got bytes %d-%d.", next, start, end))
		}
		sess.content = append(sess.content, data...)
		if int64(len(sess.content)) < sess.size {
			st := map[string]any{
				"ExpirationDateTime": sess.expires.UTC().Format(time.RFC3339Nano),
				"NextExpectedRanges": []string{strconv.Itoa(len(sess.content))},
			}
			return func(w http.ResponseWriter) { writeGraphJSON(w, http.StatusOK, st) }
		}
		delete(d.todoSessions, sess.id)
		l, t := d.todoOf(req.owner).findTask(r)
		if t == nil {
			return replyNotFound
		}
		a := newTodoAttachment(sess.name, sess.ctype, sess.content, req.now)
		t.attachments = append(slices.Clone(t.attachments), a)
		d.attachmentsChanged(t, req.now)
		loc := s.graphBase(r) + "/v1.0/users/" + req.owner + "/todo/lists/" + url.PathEscape(l.id) +
			"/tasks/" + url.PathEscape(t.id) + "/Attachments/" + url.PathEscape(a.id)
		return func(w http.ResponseWriter) {
			w.Header().Set("Location", loc)
			w.Header().Set("Content-Length", "0")
			w.WriteHeader(http.StatusCreated)
		}
	}()
	d.mu.Unlock()
	reply(w)
}
