package graphtest

// Microsoft To Do at /v1.0/me/todo/lists and /v1.0/users/{id}/todo/lists:
// task lists, their tasks, each task's checklistItems and
// linkedResources, and tasks/delta. Task attachments are in
// todo_attach.go.
//
// Rules the emulator follows, as Graph does:
//
//   - Every user has a default list, "Tasks", with wellknownListName
//     "defaultList"; it cannot be renamed or deleted (400). Other lists are
//     "none". Deleting a list deletes its tasks.
//   - A task has every property of Graph's todoTask: importance normal,
//     status notStarted, isReminderOn false, categories [], an empty text
//     body, unless the request says otherwise; the times (dueDateTime,
//     startDateTime, reminderDateTime, completedDateTime) are
//     dateTimeTimeZone objects, answered in UTC, and absent when unset.
//     Setting status completed sets completedDateTime (now); any other
//     status clears it. Every change renews @odata.etag and
//     lastModifiedDateTime; a body change also bodyLastModifiedDateTime.
//   - Bodies are checked against the types: an unknown property or a value
//     of the wrong type is 400 RequestBodyRead; an unknown zone name is 400
//     InvalidTimeZone; read-only properties are ignored. A task may be
//     created with its checklistItems and linkedResources.
//   - Lists and tasks answer $filter, $orderby, $select, $top, $skip and
//     $count through the OData engine, paged by 10.
//   - tasks/delta follows one list: the first round returns every task,
//     later rounds (from the @odata.deltaLink) what was created or changed
//     since, and tasks deleted since as {"id", "@removed"}. Pages hold 10,
//     or Prefer: odata.maxpagesize / $top. Server.ExpireTodoDeltaTokens
//     makes old links answer 410 SyncStateNotFound.

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-o365/o365/graphtest/internal/odata"
	"github.com/go-o365/o365/graphtest/internal/personalinput"
)

type todoUser struct {
	lists []*todoList
}

type todoList struct {
	id, name, wellKnown, etag string
	tasks                     []*todoTask
	removed                   []todoTombstone
}

type todoTombstone struct {
	id  string
	seq int64
}

type todoTask struct {
	id    string
	seq   int64 // the store's counter at the task's last change
	props map[string]any
	// checklist and links hold the sub-resources as Graph answers them.
	checklist []map[string]any
	links     []map[string]any
	// attachments are the task's file attachments (todo_attach.go).
	attachments []*todoAttachment
}

// todoOf returns user's To Do, made with its default list on first use;
// d.mu is held.
func (d *personalData) todoOf(user string) *todoUser {
	u := d.todo[user]
	if u == nil {
		u = &todoUser{lists: []*todoList{{id: personalID(), name: "Tasks", wellKnown: "defaultList", etag: personalinput.ETag()}}}
		d.todo[user] = u
	}
	return u
}

func (u *todoUser) list(id string) *todoList {
	for _, l := range u.lists {
		if l.id == id {
			return l
		}
	}
	return nil
}

func (l *todoList) task(id string) *todoTask {
	for _, t := range l.tasks {
		if t.id == id {
			return t
		}
	}
	return nil
}

func (l *todoList) json() map[string]any {
	return map[string]any{
		"@odata.etag": l.etag, "id": l.id, "displayName": l.name,
		"isOwner": true, "isShared": false, "wellknownListName": l.wellKnown,
	}
}

// view is the task as Graph answers it, with its sub-resources when
// expand names them.
func (t *todoTask) view(expand []string) map[string]any {
	out := maps.Clone(t.props)
	if slices.Contains(expand, "checklistitems") {
		out["checklistItems"] = cloneMaps(t.checklist)
	}
	if slices.Contains(expand, "linkedresources") {
		out["linkedResources"] = cloneMaps(t.links)
	}
	if slices.Contains(expand, "attachments") {
		atts := make([]any, len(t.attachments))
		for i, a := range t.attachments {
			atts[i] = maps.Clone(a.props)
		}
		out["attachments"] = atts
	}
	return out
}

func cloneMaps(in []map[string]any) []any {
	out := make([]any, len(in))
	for i, m := range in {
		out[i] = maps.Clone(m)
	}
	return out
}

// expandOf reads $expand (lower-cased names).
func expandOf(r *http.Request) []string {
	var out []string
	for _, e := range strings.Split(r.URL.Query().Get("$expand"), ",") {
		if e = strings.ToLower(strings.TrimSpace(e)); e != "" {
			out = append(out, e)
		}
	}
	return out
}

func (s *Server) todoRoutes() []route {
	var rs []route
	add := func(method, path string, h http.HandlerFunc) {
		rs = append(rs,
			route{method + " /v1.0/me/todo" + path, h},
			route{method + " /v1.0/users/{uid}/todo" + path, h})
	}
	add("GET", "/lists", s.listTodoLists)
	add("POST", "/lists", s.createTodoList)
	add("GET", "/lists/{lid}", s.getTodoList)
	add("PATCH", "/lists/{lid}", s.updateTodoList)
	add("DELETE", "/lists/{lid}", s.deleteTodoList)
	add("GET", "/lists/{lid}/tasks", s.listTodoTasks)
	add("POST", "/lists/{lid}/tasks", s.createTodoTask)
	add("GET", "/lists/{lid}/tasks/delta", s.todoTaskDelta)
	add("GET", "/lists/{lid}/tasks/delta()", s.todoTaskDelta)
	add("GET", "/lists/{lid}/tasks/{tid}", s.getTodoTask)
	add("PATCH", "/lists/{lid}/tasks/{tid}", s.updateTodoTask)
	add("DELETE", "/lists/{lid}/tasks/{tid}", s.deleteTodoTask)
	for _, sub := range []string{"checklistItems", "linkedResources"} {
		add("GET", "/lists/{lid}/tasks/{tid}/"+sub, s.listTodoSub(sub))
		add("POST", "/lists/{lid}/tasks/{tid}/"+sub, s.createTodoSub(sub))
		add("GET", "/lists/{lid}/tasks/{tid}/"+sub+"/{sid}", s.onTodoSub(sub, http.MethodGet))
		add("PATCH", "/lists/{lid}/tasks/{tid}/"+sub+"/{sid}", s.onTodoSub(sub, http.MethodPatch))
		add("DELETE", "/lists/{lid}/tasks/{tid}/"+sub+"/{sid}", s.onTodoSub(sub, http.MethodDelete))
	}
	s.todoAttachmentRoutes(add)
	return rs
}

// maxTodoRequest is the largest JSON body the To Do routes read.
const maxTodoRequest = 1 << 20

func todoCollection(entitySet string) collection {
	return collection{entitySet: entitySet, pageSize: 10, maxTop: 1000, errorCode: "BadRequest"}
}

func todoNotFound(w http.ResponseWriter) {
	writeGraphError(w, http.StatusNotFound, "ErrorItemNotFound", "The specified object was not found in the store.")
}

// onTodo resolves r, locks the store and runs fn on the owner's To Do;
// fn's reply is written after the lock is released.
func (s *Server) onTodo(w http.ResponseWriter, r *http.Request, write bool, fn func(req personalReq, u *todoUser) func(http.ResponseWriter)) {
	req, ok := s.personalTarget(w, r, write, todoScopes)
	if !ok {
		return
	}
	d := s.personalData()
	d.mu.Lock()
	reply := fn(req, d.todoOf(req.owner))
	d.mu.Unlock()
	reply(w)
}

// onTodoBody is onTodo for requests with a JSON body.
func (s *Server) onTodoBody(w http.ResponseWriter, r *http.Request, fn func(req personalReq, u *todoUser, body map[string]any) func(http.ResponseWriter)) {
	req, ok := s.personalTarget(w, r, true, todoScopes)
	if !ok {
		return
	}
	body, ok := readJSONObject(w, r, maxTodoRequest)
	if !ok {
		return
	}
	d := s.personalData()
	d.mu.Lock()
	reply := fn(req, d.todoOf(req.owner), body)
	d.mu.Unlock()
	reply(w)
}

func replyError(status int, code, msg string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) { writeGraphError(w, status, code, msg) }
}

var replyNotFound = replyError(http.StatusNotFound, "ErrorItemNotFound", "The specified object was not found in the store.")

func (s *Server) replyEntity(status int, item map[string]any, set string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) { s.writeEntity(w, status, item, set) }
}

func replyNoContent(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }

// ---- lists ----

func (s *Server) listTodoLists(w http.ResponseWriter, r *http.Request) {
	s.onTodo(w, r, false, func(req personalReq, u *todoUser) func(http.ResponseWriter) {
		items := make([]map[string]any, len(u.lists))
		for i, l := range u.lists {
			items[i] = l.json()
		}
		return func(w http.ResponseWriter) {
			s.serveCollection(w, r, items, todoCollection(userContext(req.owner, "/todo/lists")))
		}
	})
}

// listName reads a list's displayName from body.
func listName(body map[string]any) (string, string) {
	for k := range body {
		switch k {
		case "displayName", "id", "isOwner", "isShared", "wellknownListName", "@odata.type", "@odata.etag":
		default:
			return "", odata.UnknownProperty(k, "microsoft.graph.todoTaskList")
		}
	}
	name, ok := body["displayName"].(string)
	if !ok {
		if _, present := body["displayName"]; present {
			return "", odata.WrongType("displayName", "Edm.String")
		}
	}
	return name, ""
}

func (s *Server) createTodoList(w http.ResponseWriter, r *http.Request) {
	s.onTodoBody(w, r, func(req personalReq, u *todoUser, body map[string]any) func(http.ResponseWriter) {
		name, bad := listName(body)
		if bad != "" {
			return replyError(http.StatusBadRequest, "RequestBodyRead", bad)
		}
		if strings.TrimSpace(name) == "" {
			return replyError(http.StatusBadRequest, "invalidRequest", "The displayName of a task list is required.")
		}
		l := &todoList{id: personalID(), name: name, wellKnown: "none", etag: personalinput.ETag()}
		u.lists = append(u.lists, l)
		return s.replyEntity(http.StatusCreated, l.json(), userContext(req.owner, "/todo/lists"))
	})
}

func (s *Server) getTodoList(w http.ResponseWriter, r *http.Request) {
	s.onTodo(w, r, false, func(req personalReq, u *todoUser) func(http.ResponseWriter) {
		l := u.list(r.PathValue("lid"))
		if l == nil {
			return replyNotFound
		}
		return s.replyEntity(http.StatusOK, l.json(), userContext(req.owner, "/todo/lists"))
	})
}

func (s *Server) updateTodoList(w http.ResponseWriter, r *http.Request) {
	s.onTodoBody(w, r, func(req personalReq, u *todoUser, body map[string]any) func(http.ResponseWriter) {
		l := u.list(r.PathValue("lid"))
		if l == nil {
			return replyNotFound
		}
		name, bad := listName(body)
		if bad != "" {
			return replyError(http.StatusBadRequest, "RequestBodyRead", bad)
		}
		if _, ok := body["displayName"]; ok {
			if l.wellKnown != "none" {
				return replyError(http.StatusBadRequest, "invalidRequest", "A well-known list cannot be renamed.")
			}
			if strings.TrimSpace(name) == "" {
				return replyError(http.StatusBadRequest, "invalidRequest", "The displayName of a task list cannot be empty.")
			}
			l.name, l.etag = name, personalinput.ETag()
		}
		return s.replyEntity(http.StatusOK, l.json(), userContext(req.owner, "/todo/lists"))
	})
}

func (s *Server) deleteTodoList(w http.ResponseWriter, r *http.Request) {
	s.onTodo(w, r, true, func(req personalReq, u *todoUser) func(http.ResponseWriter) {
		l := u.list(r.PathValue("lid"))
		if l == nil {
			return replyNotFound
		}
		if l.wellKnown != "none" {
			return replyError(http.StatusBadRequest, "invalidRequest", "A well-known list cannot be deleted.")
		}
		u.lists = slices.DeleteFunc(u.lists, func(x *todoList) bool { return x == l })
		return replyNoContent
	})
}

// ---- tasks ----

func (s *Server) listTodoTasks(w http.ResponseWriter, r *http.Request) {
	s.onTodo(w, r, false, func(req personalReq, u *todoUser) func(http.ResponseWriter) {
		l := u.list(r.PathValue("lid"))
		if l == nil {
			return replyNotFound
		}
		expand := expandOf(r)
		items := make([]map[string]any, len(l.tasks))
		for i, t := range l.tasks {
			items[i] = t.view(expand)
		}
		return func(w http.ResponseWriter) {
			s.serveCollection(w, r, items, todoCollection(userContext(req.owner, "/todo/lists('"+l.id+"')/tasks")))
		}
	})
}

func (s *Server) createTodoTask(w http.ResponseWriter, r *http.Request) {
	s.onTodoBody(w, r, func(req personalReq, u *todoUser, body map[string]any) func(http.ResponseWriter) {
		l := u.list(r.PathValue("lid"))
		if l == nil {
			return replyNotFound
		}
		var subs map[string][]map[string]any
		subs, body = personalinput.SplitSubs(body)
		values, status, code, msg := personalinput.TaskValues(body)
		if msg != "" {
			return replyError(status, code, msg)
		}
		t := &todoTask{id: personalID()}
		stamp := personalinput.Stamp(req.now)
		t.props = map[string]any{
			"@odata.etag": personalinput.ETag(), "id": t.id, "title": "", "importance": "normal", "status": "notStarted",
			"isReminderOn": false, "categories": []any{}, "hasAttachments": false,
			"body":            map[string]any{"content": "", "contentType": "text"},
			"createdDateTime": stamp, "lastModifiedDateTime": stamp, "bodyLastModifiedDateTime": stamp,
		}
		personalinput.ApplyTaskValues(t.props, values, req.now)
		if bad := recurrenceWithoutDue(t.props); bad != nil {
			return bad
		}
		for _, c := range subs["checklistItems"] {
			item, msg := personalinput.ChecklistItem(c, nil, newGUID(), req.now)
			if msg != "" {
				return replyError(http.StatusBadRequest, "RequestBodyRead", msg)
			}
			t.checklist = append(t.checklist, item)
		}
		for _, c := range subs["linkedResources"] {
			item, msg := personalinput.LinkedResource(c, nil, newGUID())
			if msg != "" {
				return replyError(http.StatusBadRequest, "RequestBodyRead", msg)
			}
			t.links = append(t.links, item)
		}
		d := s.personalData()
		d.seq++
		t.seq = d.seq
		l.tasks = append(l.tasks, t)
		out := t.view(nil)
		if len(t.checklist) > 0 {
			out["checklistItems"] = cloneMaps(t.checklist)
		}
		if len(t.links) > 0 {
			out["linkedResources"] = cloneMaps(t.links)
		}
		return s.replyEntity(http.StatusCreated, out, userContext(req.owner, "/todo/lists('"+l.id+"')/tasks"))
	})
}

// recurrenceWithoutDue refuses a recurring task without a due date, as
// To Do does.
func recurrenceWithoutDue(p map[string]any) func(http.ResponseWriter) {
	if p["recurrence"] != nil && p["dueDateTime"] == nil {
		return replyError(http.StatusBadRequest, "invalidRequest", "A recurring task must have a dueDateTime.")
	}
	return nil
}

// onTodoTask finds the task r names and runs fn on it under the lock.
func (s *Server) onTodoTask(w http.ResponseWriter, r *http.Request, write bool, body map[string]any,
	fn func(req personalReq, l *todoList, t *todoTask) func(http.ResponseWriter)) {
	run := func(req personalReq, u *todoUser) func(http.ResponseWriter) {
		l := u.list(r.PathValue("lid"))
		if l == nil {
			return replyNotFound
		}
		t := l.task(r.PathValue("tid"))
		if t == nil {
			return replyNotFound
		}
		return fn(req, l, t)
	}
	if body != nil {
		s.onTodoBody(w, r, func(req personalReq, u *todoUser, b map[string]any) func(http.ResponseWriter) {
			maps.Copy(body, b)
			return run(req, u)
		})
		return
	}
	s.onTodo(w, r, write, run)
}

func taskSet(owner string, l *todoList) string {
	return userContext(owner, "/todo/lists('"+l.id+"')/tasks")
}

func (s *Server) getTodoTask(w http.ResponseWriter, r *http.Request) {
	s.onTodoTask(w, r, false, nil, func(req personalReq, l *todoList, t *todoTask) func(http.ResponseWriter) {
		item := t.view(expandOf(r))
		if sel := r.URL.Query().Get("$select"); sel != "" {
			fields, err := odata.ParseSelect(sel)
			if err != nil {
				return replyError(http.StatusBadRequest, "BadRequest", err.Error())
			}
			item = odata.Project(item, fields)
		}
		return s.replyEntity(http.StatusOK, item, taskSet(req.owner, l))
	})
}

func (s *Server) updateTodoTask(w http.ResponseWriter, r *http.Request) {
	body := map[string]any{}
	s.onTodoTask(w, r, true, body, func(req personalReq, l *todoList, t *todoTask) func(http.ResponseWriter) {
		values, status, code, msg := personalinput.TaskValues(body)
		if msg != "" {
			return replyError(status, code, msg)
		}
		props := maps.Clone(t.props)
		personalinput.ApplyTaskValues(props, values, req.now)
		if bad := recurrenceWithoutDue(props); bad != nil {
			return bad
		}
		t.props = props
		d := s.personalData()
		d.seq++
		t.seq = d.seq
		return s.replyEntity(http.StatusOK, t.view(nil), taskSet(req.owner, l))
	})
}

func (s *Server) deleteTodoTask(w http.ResponseWriter, r *http.Request) {
	s.onTodoTask(w, r, true, nil, func(req personalReq, l *todoList, t *todoTask) func(http.ResponseWriter) {
		d := s.personalData()
		d.seq++
		l.tasks = slices.DeleteFunc(l.tasks, func(x *todoTask) bool { return x == t })
		l.removed = append(l.removed, todoTombstone{id: t.id, seq: d.seq})
		return replyNoContent
	})
}

// touch records a change of t for delta and renews its etag and stamp;
// d.mu is held.
func (d *personalData) touch(t *todoTask, now time.Time) {
	d.seq++
	t.seq = d.seq
	t.props["lastModifiedDateTime"] = personalinput.Stamp(now)
	t.props["@odata.etag"] = personalinput.ETag()
}

// ---- checklist items and linked resources ----

// subOf returns the slice of the sub-resource sub of t.
func (t *todoTask) subOf(sub string) *[]map[string]any {
	if sub == "checklistItems" {
		return &t.checklist
	}
	return &t.links
}

func (s *Server) listTodoSub(sub string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.onTodoTask(w, r, false, nil, func(req personalReq, l *todoList, t *todoTask) func(http.ResponseWriter) {
			items := make([]map[string]any, 0)
			for _, m := range *t.subOf(sub) {
				items = append(items, maps.Clone(m))
			}
			set := userContext(req.owner, "/todo/lists('"+l.id+"')/tasks('"+t.id+"')/"+sub)
			return func(w http.ResponseWriter) { s.serveCollection(w, r, items, todoCollection(set)) }
		})
	}
}

func (s *Server) createTodoSub(sub string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body := map[string]any{}
		s.onTodoTask(w, r, true, body, func(req personalReq, l *todoList, t *todoTask) func(http.ResponseWriter) {
			var item map[string]any
			var msg string
			if sub == "checklistItems" {
				item, msg = personalinput.ChecklistItem(body, nil, newGUID(), req.now)
			} else {
				item, msg = personalinput.LinkedResource(body, nil, newGUID())
				if msg == "" && item["applicationName"] == nil {
					msg = "The applicationName of a linked resource is required."
				}
			}
			if msg != "" {
				return replyError(http.StatusBadRequest, "RequestBodyRead", msg)
			}
			list := t.subOf(sub)
			*list = append(*list, item)
			s.personalData().touch(t, req.now)
			set := userContext(req.owner, "/todo/lists('"+l.id+"')/tasks('"+t.id+"')/"+sub)
			return s.replyEntity(http.StatusCreated, maps.Clone(item), set)
		})
	}
}

func (s *Server) onTodoSub(sub, method string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		if method == http.MethodPatch {
			body = map[string]any{}
		}
		s.onTodoTask(w, r, method != http.MethodGet, body, func(req personalReq, l *todoList, t *todoTask) func(http.ResponseWriter) {
			list := t.subOf(sub)
			i := slices.IndexFunc(*list, func(m map[string]any) bool { return m["id"] == r.PathValue("sid") })
			if i < 0 {
				return replyNotFound
			}
			set := userContext(req.owner, "/todo/lists('"+l.id+"')/tasks('"+t.id+"')/"+sub)
			switch method {
			case http.MethodDelete:
				*list = slices.Delete(*list, i, i+1)
				s.personalData().touch(t, req.now)
				return replyNoContent
			case http.MethodPatch:
				var item map[string]any
				var msg string
				if sub == "checklistItems" {
					item, msg = personalinput.ChecklistItem(body, (*list)[i], "", req.now)
				} else {
					item, msg = personalinput.LinkedResource(body, (*list)[i], "")
				}
				if msg != "" {
					return replyError(http.StatusBadRequest, "RequestBodyRead", msg)
				}
				(*list)[i] = item
				s.personalData().touch(t, req.now)
				return s.replyEntity(http.StatusOK, maps.Clone(item), set)
			}
			return s.replyEntity(http.StatusOK, maps.Clone((*list)[i]), set)
		})
	}
}

// ---- delta ----

type todoDeltaToken struct {
	epoch              int
	since, upto, after int64
}

func (t todoDeltaToken) encode() string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "graphtest-todo-delta:%d:%d:%d:%d", t.epoch, t.since, t.upto, t.after))
}

func decodeTodoDeltaToken(s string) (todoDeltaToken, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return todoDeltaToken{}, false
	}
	var t todoDeltaToken
	_, err = fmt.Sscanf(string(b), "graphtest-todo-delta:%d:%d:%d:%d", &t.epoch, &t.since, &t.upto, &t.after)
	return t, err == nil
}

func (s *Server) todoTaskDelta(w http.ResponseWriter, r *http.Request) {
	s.onTodo(w, r, false, func(req personalReq, u *todoUser) func(http.ResponseWriter) {
		d := s.personalData()
		l := u.list(r.PathValue("lid"))
		if l == nil {
			return replyNotFound
		}
		q := r.URL.Query()
		tok := todoDeltaToken{epoch: d.epoch, upto: d.seq}
		for _, name := range []string{"$deltatoken", "$skiptoken"} {
			v := q.Get(name)
			if v == "" {
				continue
			}
			t, ok := decodeTodoDeltaToken(v)
			if !ok || t.epoch != d.epoch {
				return replyError(http.StatusGone, "SyncStateNotFound", "The sync state generation is not found or has expired. Resync from the start.")
			}
			tok = t
			if name == "$deltatoken" {
				tok = todoDeltaToken{epoch: t.epoch, since: t.upto, upto: d.seq, after: t.upto}
			}
		}
		pageSize, preferred := deltaPageSize(r)
		if v := q.Get("$top"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return replyError(http.StatusBadRequest, "BadRequest", "Invalid page size specified: '"+v+"'.")
			}
			pageSize = min(n, 1000)
		}

		type change struct {
			seq  int64
			item map[string]any
		}
		var changes []change
		for _, t := range l.tasks {
			if t.seq > tok.after && t.seq <= tok.upto {
				changes = append(changes, change{t.seq, t.view(expandOf(r))})
			}
		}
		if tok.since > 0 {
			for _, t := range l.removed {
				if t.seq > tok.after && t.seq <= tok.upto {
					changes = append(changes, change{t.seq, map[string]any{"id": t.id, "@removed": map[string]any{"reason": "deleted"}}})
				}
			}
		}
		slices.SortFunc(changes, func(a, b change) int { return cmp.Compare(a.seq, b.seq) })
		var fields []string
		if sel := q.Get("$select"); sel != "" {
			var err error
			if fields, err = odata.ParseSelect(sel); err != nil {
				return replyError(http.StatusBadRequest, "BadRequest", err.Error())
			}
		}
		body := map[string]any{"@odata.context": s.metadataURL("Collection(todoTask)", nil)}
		link := s.graphBase(r) + r.URL.EscapedPath() + "?"
		keep := url.Values{}
		if v := q.Get("$select"); v != "" {
			keep.Set("$select", v)
		}
		if v := q.Get("$expand"); v != "" {
			keep.Set("$expand", v)
		}
		page := changes
		if len(changes) > pageSize {
			page = changes[:pageSize]
			next := tok
			next.after = page[pageSize-1].seq
			keep.Set("$skiptoken", next.encode())
			body["@odata.nextLink"] = link + strings.ReplaceAll(keep.Encode(), "%24", "$")
		} else {
			keep.Set("$deltatoken", todoDeltaToken{epoch: tok.epoch, upto: tok.upto}.encode())
			body["@odata.deltaLink"] = link + strings.ReplaceAll(keep.Encode(), "%24", "$")
		}
		out := make([]any, len(page))
		for i, c := range page {
			item := odata.Project(c.item, fields)
			if rm, ok := c.item["@removed"]; ok {
				item["@removed"] = rm
			}
			out[i] = item
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

// ExpireTodoDeltaTokens makes every To Do delta link issued so far answer
// 410 Gone (SyncStateNotFound), as Graph does when a sync state expires.
func (s *Server) ExpireTodoDeltaTokens() {
	d := s.personalData()
	d.mu.Lock()
	d.epoch++
	d.mu.Unlock()
}
