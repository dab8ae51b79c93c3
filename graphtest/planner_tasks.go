package graphtest

import (
	"maps"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/go-o365/o365/graphtest/internal/orderhint"
)

// taskJSON is a task's default property set, shaped as decoded JSON.
func taskJSON(t *plannerTask) map[string]any {
	active := 0
	for _, c := range t.checklist {
		if !c.checked {
			active++
		}
	}
	categories := map[string]any{}
	for k, v := range t.categories {
		if v {
			categories[k] = true
		}
	}
	assignments := map[string]any{}
	for uid, a := range t.assignments {
		assignments[uid] = map[string]any{
			"@odata.type":      "#microsoft.graph.plannerAssignment",
			"assignedDateTime": a.at.Format(time.RFC3339Nano),
			"orderHint":        a.orderHint,
			"assignedBy":       identityJSON(a.by),
		}
	}
	m := map[string]any{
		"@odata.etag":              t.etag,
		"id":                       t.id,
		"planId":                   t.planID,
		"bucketId":                 nullable(t.bucketID),
		"title":                    t.title,
		"orderHint":                t.orderHint,
		"assigneePriority":         t.assigneePriority,
		"percentComplete":          t.percentComplete,
		"priority":                 t.priority,
		"startDateTime":            timeOrNull(t.start),
		"dueDateTime":              timeOrNull(t.due),
		"completedDateTime":        timeOrNull(t.completed),
		"completedBy":              nil,
		"createdDateTime":          t.created.Format(time.RFC3339Nano),
		"createdBy":                identityJSON(t.createdBy),
		"hasDescription":           t.description != "",
		"previewType":              t.preview(),
		"referenceCount":           len(t.references),
		"checklistItemCount":       len(t.checklist),
		"activeChecklistItemCount": active,
		"conversationThreadId":     nullable(t.conversationThreadID),
		"appliedCategories":        categories,
		"assignments":              assignments,
	}
	if t.completedBy != nil {
		m["completedBy"] = identityJSON(*t.completedBy)
	}
	return m
}

// preview is the task's previewType, "automatic" until one is set.
func (t *plannerTask) preview() string {
	if t.previewType == "" {
		return "automatic"
	}
	return t.previewType
}

func timeOrNull(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// detailsJSON is a task's details.
func detailsJSON(t *plannerTask) map[string]any {
	checklist := map[string]any{}
	for id, c := range t.checklist {
		checklist[id] = map[string]any{
			"@odata.type":          "#microsoft.graph.plannerChecklistItem",
			"isChecked":            c.checked,
			"title":                c.title,
			"orderHint":            c.orderHint,
			"lastModifiedDateTime": c.at.Format(time.RFC3339Nano),
			"lastModifiedBy":       identityJSON(c.by),
		}
	}
	references := map[string]any{}
	for key, ref := range t.references {
		references[key] = map[string]any{
			"@odata.type":          "#microsoft.graph.plannerExternalReference",
			"alias":                nullable(ref.alias),
			"type":                 nullable(ref.kind),
			"previewPriority":      ref.previewPriority,
			"lastModifiedDateTime": ref.at.Format(time.RFC3339Nano),
			"lastModifiedBy":       identityJSON(ref.by),
		}
	}
	return map[string]any{
		"@odata.etag": t.detailsETag,
		"id":          t.id,
		"description": t.description,
		"previewType": t.preview(),
		"checklist":   checklist,
		"references":  references,
	}
}

func (s *Server) listPlanTasks(w http.ResponseWriter, r *http.Request) {
	st, p, ok := findPathItem(s, w, r, false, planMap)
	if !ok {
		return
	}
	items := tasksJSON(st.tasksWhere(func(t *plannerTask) bool { return t.planID == p.id }))
	st.mu.Unlock()
	s.serveCollection(w, r, items, tasksCollection)
}

func (s *Server) listBucketTasks(w http.ResponseWriter, r *http.Request) {
	st, b, ok := findPathItem(s, w, r, false, bucketMap)
	if !ok {
		return
	}
	items := tasksJSON(st.tasksWhere(func(t *plannerTask) bool { return t.bucketID == b.id }))
	st.mu.Unlock()
	s.serveCollection(w, r, items, tasksCollection)
}

// listMyTasks answers the tasks assigned to the addressed user.
func (s *Server) listMyTasks(w http.ResponseWriter, r *http.Request) {
	pc, ok := s.plannerCallerOf(w, r, false)
	if !ok {
		return
	}
	if !s.plannerSelf(w, r, &pc) {
		return
	}
	st := s.plannerData()
	st.mu.Lock()
	items := tasksJSON(st.tasksWhere(func(t *plannerTask) bool { return t.assignments[pc.userID] != nil }))
	st.mu.Unlock()
	s.serveCollection(w, r, items, tasksCollection)
}

func tasksJSON(tasks []*plannerTask) []map[string]any {
	items := make([]map[string]any, 0, len(tasks))
	for _, t := range tasks {
		items = append(items, taskJSON(t))
	}
	return items
}

func (s *Server) getTask(w http.ResponseWriter, r *http.Request) {
	st, t, ok := findPathItem(s, w, r, false, taskMap)
	if !ok {
		return
	}
	item := taskJSON(t)
	st.mu.Unlock()
	s.serveItem(w, r, item, "planner/tasks")
}

func (s *Server) getTaskDetails(w http.ResponseWriter, r *http.Request) {
	st, t, ok := findPathItem(s, w, r, false, taskMap)
	if !ok {
		return
	}
	item := detailsJSON(t)
	st.mu.Unlock()
	s.serveItem(w, r, item, "planner/tasks('"+t.id+"')/details")
}

// assignedUsers checks the users a task body assigns exist, before the
// Planner store is locked (the directory's lock comes first).
func (s *Server) assignedUsers(body map[string]any) error {
	as, ok := body["assignments"].(map[string]any)
	if !ok {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for uid, v := range as {
		if v == nil {
			continue
		}
		if u := s.userLocked(uid); u == nil || u.ID != uid {
			return msgf("The assignment key '%s' is not the id of a user.", uid)
		}
	}
	return nil
}

func (s *Server) createTask(w http.ResponseWriter, r *http.Request) {
	pc, body, ok := s.plannerBody(w, r)
	if !ok {
		return
	}
	planID, _ := body["planId"].(string)
	if planID == "" {
		plannerBadRequest(w, "The task must have a planId.")
		return
	}
	if title, _ := body["title"].(string); title == "" {
		plannerBadRequest(w, "The task must have a title.")
		return
	}
	if err := s.assignedUsers(body); err != nil {
		plannerBadRequest(w, err.Error())
		return
	}
	st, p, ok := findItem(s, w, pc, planMap, planID)
	if !ok {
		return
	}
	defer st.mu.Unlock()
	t := &plannerTask{
		id: plannerID(), planID: p.id, priority: 5, created: pc.now, createdBy: pc.identity(),
		categories: map[string]bool{}, assignments: map[string]*plannerAssignment{},
		checklist: map[string]*plannerCheckItem{}, references: map[string]*plannerReference{},
	}
	delete(body, "planId")
	if err := st.applyTask(t, body, pc); err != nil {
		plannerBadRequest(w, err.Error())
		return
	}
	if _, ok := body["orderHint"]; !ok {
		t.orderHint = orderhint.First(st.taskHints(t, func(x *plannerTask) string { return x.orderHint }))
	}
	if _, ok := body["assigneePriority"]; !ok {
		t.assigneePriority = orderhint.First(st.taskHints(t, func(x *plannerTask) string { return x.assigneePriority }))
	}
	t.seq = st.next()
	t.etag = st.etag("Task")
	t.detailsETag = st.etag("TaskDetails")
	st.tasks[t.id] = t
	w.Header().Set("ETag", t.etag)
	s.writeEntity(w, http.StatusCreated, taskJSON(t), "planner/tasks")
}

func (s *Server) updateTask(w http.ResponseWriter, r *http.Request) {
	pc, body, ok := s.plannerBody(w, r)
	if !ok {
		return
	}
	if err := s.assignedUsers(body); err != nil {
		plannerBadRequest(w, err.Error())
		return
	}
	st, t, ok := findItem(s, w, pc, taskMap, r.PathValue("id"))
	if !ok {
		return
	}
	defer st.mu.Unlock()
	if !checkIfMatch(w, r, t.etag) {
		return
	}
	next := t.clone()
	if err := st.applyTask(next, body, pc); err != nil {
		plannerBadRequest(w, err.Error())
		return
	}
	next.etag = st.etag("Task")
	st.tasks[t.id] = next
	s.answerUpdate(w, r, taskJSON(next), "planner/tasks")
}

func (s *Server) deleteTaskHandler(w http.ResponseWriter, r *http.Request) {
	st, t, ok := findPathItem(s, w, r, true, taskMap)
	if !ok {
		return
	}
	defer st.mu.Unlock()
	if !checkIfMatch(w, r, t.etag) {
		return
	}
	delete(st.tasks, t.id)
	w.WriteHeader(http.StatusNoContent)
}

// taskHints are a hint of every other task of t's plan.
func (st *plannerStore) taskHints(t *plannerTask, hint func(*plannerTask) string) []string {
	var hints []string
	for _, x := range st.tasksWhere(func(x *plannerTask) bool { return x.planID == t.planID && x.id != t.id }) {
		hints = append(hints, hint(x))
	}
	return hints
}

// categoryName is a category of plannerAppliedCategories in v1.0.
var categoryName = regexp.MustCompile(`^category([1-9]|1[0-9]|2[0-5])$`)

// applyTask sets the properties body names on t (a new task or a copy),
// saying what is wrong with the first one that is not valid. The caller
// holds st.mu.
func (st *plannerStore) applyTask(t *plannerTask, body map[string]any, pc plannerCaller) error {
	// In name order, so the first error reported is always the same.
	for _, k := range slices.Sorted(maps.Keys(body)) {
		v := body[k]
		var err error
		switch k {
		case "@odata.type", "@odata.etag":
		case "title":
			s, ok := v.(string)
			if !ok || s == "" {
				err = msgf("The task's title must be a non-empty string.")
			}
			t.title = s
		case "percentComplete":
			n, ok := intIn(v, 0, 100)
			if !ok {
				return msgf("The percentComplete must be a whole number from 0 to 100.")
			}
			t.percentComplete = n
			switch {
			case n == 100 && t.completed == nil:
				at, by := pc.now, pc.identity()
				t.completed, t.completedBy = &at, &by
			case n < 100:
				t.completed, t.completedBy = nil, nil
			}
		case "priority":
			n, ok := intIn(v, 0, 10)
			if !ok {
				return msgf("The priority must be a whole number from 0 to 10.")
			}
			t.priority = n
		case "startDateTime", "dueDateTime":
			var at *time.Time
			if v != nil {
				s, _ := v.(string)
				parsed, perr := time.Parse(time.RFC3339Nano, s)
				if perr != nil {
					return msgf("The %s value '%v' is not a valid DateTimeOffset.", k, v)
				}
				parsed = parsed.UTC()
				at = &parsed
			}
			if k == "startDateTime" {
				t.start = at
			} else {
				t.due = at
			}
		case "bucketId":
			if v == nil {
				t.bucketID = ""
				continue
			}
			id, _ := v.(string)
			if b := st.buckets[id]; b == nil || b.planID != t.planID {
				return msgf("The bucket '%v' is not a bucket of the task's plan.", v)
			}
			t.bucketID = id
		case "conversationThreadId":
			s, _ := v.(string)
			t.conversationThreadID = s
		case "orderHint", "assigneePriority":
			h, ok := v.(string)
			if !ok {
				return msgf("The %s must be a string.", k)
			}
			if err := checkInputHint(k, h); err != nil {
				return err
			}
			if k == "orderHint" {
				t.orderHint = orderhint.Place(h, st.taskHints(t, func(x *plannerTask) string { return x.orderHint }))
			} else {
				t.assigneePriority = orderhint.Place(h, st.taskHints(t, func(x *plannerTask) string { return x.assigneePriority }))
			}
		case "appliedCategories":
			m, ok := v.(map[string]any)
			if !ok {
				return msgf("The appliedCategories must be an object.")
			}
			for c, on := range m {
				b, ok := on.(bool)
				if !categoryName.MatchString(c) || !ok {
					return msgf("The applied category '%s' must be one of category1 to category25, set to true or false.", c)
				}
				if b {
					t.categories[c] = true
				} else {
					delete(t.categories, c)
				}
			}
		case "assignments":
			err = st.applyAssignments(t, v, pc)
		default:
			err = msgf("The property '%s' cannot be set on a plannerTask.", k)
		}
		if err != nil {
			return err
		}
	}
	if t.start != nil && t.due != nil && t.start.After(*t.due) {
		return msgf("The task's startDateTime must not be later than its dueDateTime.")
	}
	return nil
}

// applyAssignments adds (an object) or removes (null) the assignments of
// users, keyed by user id.
func (st *plannerStore) applyAssignments(t *plannerTask, v any, pc plannerCaller) error {
	m, ok := v.(map[string]any)
	if !ok {
		return msgf("The assignments must be an object.")
	}
	for uid, a := range m {
		if a == nil {
			delete(t.assignments, uid)
			continue
		}
		obj, ok := a.(map[string]any)
		if !ok || !odataTypeIs(obj, "microsoft.graph.plannerAssignment") {
			return msgf("The assignment of '%s' must be an object with @odata.type microsoft.graph.plannerAssignment.", uid)
		}
		hint, _ := obj["orderHint"].(string)
		if err := checkInputHint("orderHint", hint); err != nil {
			return err
		}
		var siblings []string
		for _, x := range st.tasksWhere(func(x *plannerTask) bool { return x.planID == t.planID && x.id != t.id }) {
			if xa := x.assignments[uid]; xa != nil {
				siblings = append(siblings, xa.orderHint)
			}
		}
		if cur := t.assignments[uid]; cur != nil {
			cur.orderHint = orderhint.Place(hint, siblings)
			continue
		}
		t.assignments[uid] = &plannerAssignment{by: pc.identity(), at: pc.now, orderHint: orderhint.Place(hint, siblings)}
	}
	return nil
}

// odataTypeIs reports whether obj's @odata.type names typ, with or
// without the leading '#' (Planner takes both), ignoring case.
func odataTypeIs(obj map[string]any, typ string) bool {
	t, _ := obj["@odata.type"].(string)
	return strings.EqualFold(strings.TrimPrefix(t, "#"), typ)
}

// intIn reads a JSON number that is a whole number in [lo, hi].
func intIn(v any, lo, hi int) (int, bool) {
	f, ok := v.(float64)
	if !ok || f != math.Trunc(f) || f < float64(lo) || f > float64(hi) {
		return 0, false
	}
	return int(f), true
}

func (s *Server) updateTaskDetails(w http.ResponseWriter, r *http.Request) {
	pc, body, ok := s.plannerBody(w, r)
	if !ok {
		return
	}
	st, t, ok := findItem(s, w, pc, taskMap, r.PathValue("id"))
	if !ok {
		return
	}
	defer st.mu.Unlock()
	if !checkIfMatch(w, r, t.detailsETag) {
		return
	}
	next := t.clone()
	if err := applyDetails(next, body, pc); err != nil {
		plannerBadRequest(w, err.Error())
		return
	}
	next.detailsETag = st.etag("TaskDetails")
	st.tasks[t.id] = next
	s.answerUpdate(w, r, detailsJSON(next), "planner/tasks('"+t.id+"')/details")
}

// previewTypes are the values of plannerPreviewType.
var previewTypes = []string{"automatic", "noPreview", "checklist", "description", "reference"}

// applyDetails sets the properties body names on t's details.
func applyDetails(t *plannerTask, body map[string]any, pc plannerCaller) error {
	for k, v := range body {
		switch k {
		case "@odata.type", "@odata.etag":
		case "description":
			s, ok := v.(string)
			if !ok && v != nil {
				return msgf("The description must be a string.")
			}
			t.description = s
		case "previewType":
			s, _ := v.(string)
			if !slices.Contains(previewTypes, s) {
				return msgf("The previewType '%v' is not one of %s.", v, strings.Join(previewTypes, ", "))
			}
			t.previewType = s
		case "checklist":
			if err := applyChecklist(t, v, pc); err != nil {
				return err
			}
		case "references":
			if err := applyReferences(t, v, pc); err != nil {
				return err
			}
		default:
			return msgf("The property '%s' cannot be set on a plannerTaskDetails.", k)
		}
	}
	return nil
}

// hintsBut are the hints of every item of m but skip's, to place skip
// among its siblings.
func hintsBut[V any](m map[string]*V, skip string, hint func(*V) string) []string {
	var hints []string
	for k, v := range m {
		if k != skip {
			hints = append(hints, hint(v))
		}
	}
	return hints
}

func checkHint(c *plannerCheckItem) string     { return c.orderHint }
func referenceHint(r *plannerReference) string { return r.previewPriority }

func applyChecklist(t *plannerTask, v any, pc plannerCaller) error {
	m, ok := v.(map[string]any)
	if !ok {
		return msgf("The checklist must be an object.")
	}
	for id, item := range m {
		if item == nil {
			delete(t.checklist, id)
			continue
		}
		if id == "" || strings.ContainsAny(id, ".:%@#") {
			return msgf("The checklist item key '%s' is not valid; use a GUID.", id)
		}
		obj, ok := item.(map[string]any)
		if !ok || !odataTypeIs(obj, "microsoft.graph.plannerChecklistItem") {
			return msgf("The checklist item '%s' must be an object with @odata.type microsoft.graph.plannerChecklistItem.", id)
		}
		cur := t.checklist[id]
		if cur == nil {
			title, _ := obj["title"].(string)
			if title == "" {
				return msgf("The new checklist item '%s' must have a title.", id)
			}
			cur = &plannerCheckItem{title: title, orderHint: orderhint.First(hintsBut(t.checklist, id, checkHint))}
			t.checklist[id] = cur
		}
		for k, val := range obj {
			switch k {
			case "@odata.type":
			case "title":
				s, ok := val.(string)
				if !ok || s == "" {
					return msgf("The title of checklist item '%s' must be a non-empty string.", id)
				}
				cur.title = s
			case "isChecked":
				b, ok := val.(bool)
				if !ok {
					return msgf("The isChecked of checklist item '%s' must be true or false.", id)
				}
				cur.checked = b
			case "orderHint":
				h, _ := val.(string)
				if err := checkInputHint("orderHint", h); err != nil {
					return err
				}
				cur.orderHint = orderhint.Place(h, hintsBut(t.checklist, id, checkHint))
			default:
				return msgf("The property '%s' cannot be set on a plannerChecklistItem.", k)
			}
		}
		cur.by, cur.at = pc.identity(), pc.now
	}
	return nil
}

// referenceKey checks a plannerExternalReferences key: an http(s) URL
// with '%', '.', ':', '@' and '#' percent-encoded, as OData open-type
// property names cannot hold them.
func referenceKey(key string) error {
	if strings.ContainsAny(key, ".:@#") {
		return msgf("The reference key '%s' must have '.', ':', '@' and '#' encoded (%%2E, %%3A, %%40, %%23).", key)
	}
	decoded, err := url.PathUnescape(key)
	if err != nil {
		return msgf("The reference key '%s' is not correctly encoded.", key)
	}
	u, err := url.Parse(decoded)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return msgf("The reference key '%s' is not an encoded http or https URL.", key)
	}
	return nil
}

func applyReferences(t *plannerTask, v any, pc plannerCaller) error {
	m, ok := v.(map[string]any)
	if !ok {
		return msgf("The references must be an object.")
	}
	for key, ref := range m {
		if ref == nil {
			delete(t.references, key)
			continue
		}
		if err := referenceKey(key); err != nil {
			return err
		}
		obj, ok := ref.(map[string]any)
		if !ok || !odataTypeIs(obj, "microsoft.graph.plannerExternalReference") {
			return msgf("The reference '%s' must be an object with @odata.type microsoft.graph.plannerExternalReference.", key)
		}
		cur := t.references[key]
		if cur == nil {
			cur = &plannerReference{previewPriority: orderhint.First(hintsBut(t.references, key, referenceHint))}
			t.references[key] = cur
		}
		for k, val := range obj {
			switch k {
			case "@odata.type":
			case "alias":
				s, _ := val.(string)
				cur.alias = s
			case "type":
				s, _ := val.(string)
				cur.kind = s
			case "previewPriority":
				h, _ := val.(string)
				if err := checkInputHint("previewPriority", h); err != nil {
					return err
				}
				cur.previewPriority = orderhint.Place(h, hintsBut(t.references, key, referenceHint))
			default:
				return msgf("The property '%s' cannot be set on a plannerExternalReference.", k)
			}
		}
		cur.by, cur.at = pc.identity(), pc.now
	}
	return nil
}
