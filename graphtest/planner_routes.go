package graphtest

import (
	"net/http"
	"strings"
	"time"

	"github.com/go-o365/o365/graphtest/internal/orderhint"
)

func (s *Server) plannerRoutes() []route {
	return []route{
		{"GET /v1.0/me/planner/plans", s.listMyPlans},
		{"GET /v1.0/users/{uid}/planner/plans", s.listMyPlans},
		{"GET /v1.0/groups/{gid}/planner/plans", s.listGroupPlans},
		{"POST /v1.0/planner/plans", s.createPlan},
		{"GET /v1.0/planner/plans/{id}", s.getPlan},
		{"PATCH /v1.0/planner/plans/{id}", s.updatePlan},
		{"DELETE /v1.0/planner/plans/{id}", s.deletePlanHandler},
		{"GET /v1.0/planner/plans/{id}/buckets", s.listPlanBuckets},
		{"GET /v1.0/planner/plans/{id}/tasks", s.listPlanTasks},
		{"POST /v1.0/planner/buckets", s.createBucket},
		{"GET /v1.0/planner/buckets/{id}", s.getBucket},
		{"PATCH /v1.0/planner/buckets/{id}", s.updateBucket},
		{"DELETE /v1.0/planner/buckets/{id}", s.deleteBucketHandler},
		{"GET /v1.0/planner/buckets/{id}/tasks", s.listBucketTasks},
		{"GET /v1.0/me/planner/tasks", s.listMyTasks},
		{"GET /v1.0/users/{uid}/planner/tasks", s.listMyTasks},
		{"POST /v1.0/planner/tasks", s.createTask},
		{"GET /v1.0/planner/tasks/{id}", s.getTask},
		{"PATCH /v1.0/planner/tasks/{id}", s.updateTask},
		{"DELETE /v1.0/planner/tasks/{id}", s.deleteTaskHandler},
		{"GET /v1.0/planner/tasks/{id}/details", s.getTaskDetails},
		{"PATCH /v1.0/planner/tasks/{id}/details", s.updateTaskDetails},
	}
}

// Planner's lists are small and unpaged in practice; $top still works.
var (
	plansCollection   = collection{entitySet: "planner/plans", pageSize: 400, maxTop: 999, errorCode: "BadRequest"}
	bucketsCollection = collection{entitySet: "planner/buckets", pageSize: 400, maxTop: 999, errorCode: "BadRequest"}
	tasksCollection   = collection{entitySet: "planner/tasks", pageSize: 400, maxTop: 999, errorCode: "BadRequest"}
)

// Planner's scopes: delegated reads take any of these, writes the last two.
var (
	plannerRead  = []string{"Tasks.Read", "Tasks.ReadWrite", "Group.Read.All", "Group.ReadWrite.All"}
	plannerWrite = []string{"Tasks.ReadWrite", "Group.ReadWrite.All"}
)

// plannerCaller is the caller of a Planner request with what the handlers
// need from the directory, read before the Planner store is locked.
type plannerCaller struct {
	caller
	groups map[string]bool // groups the user is a member (or owner) of
	now    time.Time
}

// canUse reports whether the caller may use a plan of group: app-only
// callers any, users those of their groups.
func (pc plannerCaller) canUse(groupID string) bool { return pc.appOnly() || pc.groups[groupID] }

func (pc plannerCaller) identity() plannerIdentity {
	return plannerIdentity{userID: pc.userID, appID: pc.clientID}
}

// plannerCallerOf checks the caller's scopes and reads their groups,
// answering 403 itself when the scopes fall short.
func (s *Server) plannerCallerOf(w http.ResponseWriter, r *http.Request, write bool) (plannerCaller, bool) {
	c := callerOf(r)
	if !c.appOnly() {
		want := plannerRead
		if write {
			want = plannerWrite
		}
		if !hasScope(c, want...) {
			plannerForbidden(w)
			return plannerCaller{}, false
		}
	}
	pc := plannerCaller{caller: c, groups: map[string]bool{}}
	s.mu.Lock()
	pc.now = s.now().UTC()
	if !c.appOnly() {
		for _, g := range s.groups {
			if s.isMemberLocked(g.ID, c.userID) || s.isOwnerLocked(g.ID, c.userID) {
				pc.groups[g.ID] = true
			}
		}
	}
	s.mu.Unlock()
	return pc, true
}

// plannerBody is the start of a POST or PATCH: it checks the caller's
// write scopes, then reads the body's JSON object, answering either
// failure itself.
func (s *Server) plannerBody(w http.ResponseWriter, r *http.Request) (plannerCaller, map[string]any, bool) {
	pc, ok := s.plannerCallerOf(w, r, true)
	if !ok {
		return plannerCaller{}, nil, false
	}
	body, ok := readJSONObject(w, r, 1<<20)
	if !ok {
		return plannerCaller{}, nil, false
	}
	return pc, body, true
}

// Planner's errors carry no code, only a message.
func plannerForbidden(w http.ResponseWriter) {
	writeGraphError(w, http.StatusForbidden, "", "You do not have the required permissions to access this item.")
}

func plannerNotFound(w http.ResponseWriter) {
	writeGraphError(w, http.StatusNotFound, "", "The requested item is not found.")
}

func plannerBadRequest(w http.ResponseWriter, msg string) {
	writeGraphError(w, http.StatusBadRequest, "", msg)
}

// checkIfMatch answers a PATCH or DELETE whose If-Match is missing (400,
// with the message Graph sends: see pnp/pnpjs#841), malformed (400) or
// not the item's etag (412), and reports whether r may go on.
func checkIfMatch(w http.ResponseWriter, r *http.Request, etag string) bool {
	v := strings.TrimSpace(r.Header.Get("If-Match"))
	switch {
	case v == "":
		plannerBadRequest(w, "The If-Match header must be specified for this kind of request.")
		return false
	case !strings.HasSuffix(v, `"`) || !(strings.HasPrefix(v, `W/"`) || strings.HasPrefix(v, `"`)) || len(v) < 3:
		plannerBadRequest(w, "The If-Match header contains an invalid value.")
		return false
	case v != etag:
		writeGraphError(w, http.StatusPreconditionFailed, "",
			"The If-Match header does not match the item's current etag: read the item again and retry.")
		return false
	}
	return true
}

// answerUpdate answers a successful PATCH: 204, or with Prefer:
// return=representation 200 and the item.
func (s *Server) answerUpdate(w http.ResponseWriter, r *http.Request, item map[string]any, entitySet string) {
	for _, p := range r.Header.Values("Prefer") {
		for _, part := range strings.Split(p, ",") {
			if strings.EqualFold(strings.ReplaceAll(strings.TrimSpace(part), " ", ""), "return=representation") {
				w.Header().Set("Preference-Applied", "return=representation")
				w.Header().Set("ETag", item["@odata.etag"].(string))
				s.writeEntity(w, http.StatusOK, item, entitySet)
				return
			}
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// serveItem answers one item with its ETag header.
func (s *Server) serveItem(w http.ResponseWriter, r *http.Request, item map[string]any, entitySet string) {
	w.Header().Set("ETag", item["@odata.etag"].(string))
	s.serveEntity(w, r, item, entitySet)
}

// ---- plans ----

func (s *Server) planJSON(p *plannerPlan) map[string]any {
	return map[string]any{
		"@odata.etag":     p.etag,
		"id":              p.id,
		"title":           p.title,
		"owner":           p.groupID,
		"createdDateTime": p.created.Format(time.RFC3339Nano),
		"createdBy":       identityJSON(p.createdBy),
		"container": map[string]any{
			"@odata.type": "#microsoft.graph.plannerPlanContainer",
			"containerId": p.groupID,
			"type":        "group",
			"url":         s.GraphURL() + "/v1.0/groups/" + p.groupID,
		},
	}
}

// identityJSON is an identitySet: the user, and the app they used (or
// the app alone, for app-only callers), as Planner records them.
func identityJSON(id plannerIdentity) map[string]any {
	m := map[string]any{}
	if id.appID != "" {
		m["application"] = map[string]any{"id": id.appID, "displayName": nil}
	}
	if id.userID != "" {
		m["user"] = map[string]any{"id": id.userID, "displayName": nil}
	}
	return m
}

func (s *Server) listMyPlans(w http.ResponseWriter, r *http.Request) {
	pc, ok := s.plannerCallerOf(w, r, false)
	if !ok {
		return
	}
	if !s.plannerSelf(w, r, &pc) {
		return
	}
	s.servePlans(w, r, func(p *plannerPlan) bool { return pc.groups[p.groupID] })
}

// servePlans answers the plans keep accepts, in creation order.
func (s *Server) servePlans(w http.ResponseWriter, r *http.Request, keep func(*plannerPlan) bool) {
	st := s.plannerData()
	st.mu.Lock()
	plans := itemsWhere(st.plans, keep)
	items := make([]map[string]any, 0, len(plans))
	for _, p := range plans {
		items = append(items, s.planJSON(p))
	}
	st.mu.Unlock()
	s.serveCollection(w, r, items, plansCollection)
}

// plannerSelf checks that a /me or /users/{uid} Planner list is about the
// caller: Planner shows a user's plans and tasks to that user alone
// (app-only callers name the user, and see their groups' plans).
func (s *Server) plannerSelf(w http.ResponseWriter, r *http.Request, pc *plannerCaller) bool {
	_, who, ok := addressedUser(w, r, "uid")
	if !ok {
		return false
	}
	s.mu.Lock()
	u := s.userLocked(who)
	var groups []*Group
	if u != nil && pc.appOnly() {
		groups = s.memberOfLocked(u.ID, true)
	}
	s.mu.Unlock()
	switch {
	case u == nil:
		directoryNotFound(w, who)
		return false
	case pc.appOnly():
		pc.userID = u.ID
		for _, g := range groups {
			pc.groups[g.ID] = true
		}
	case u.ID != pc.userID:
		plannerForbidden(w)
		return false
	}
	return true
}

func (s *Server) listGroupPlans(w http.ResponseWriter, r *http.Request) {
	pc, ok := s.plannerCallerOf(w, r, false)
	if !ok {
		return
	}
	s.mu.Lock()
	g := s.groupLocked(r.PathValue("gid"))
	s.mu.Unlock()
	if g == nil {
		directoryNotFound(w, r.PathValue("gid"))
		return
	}
	if !pc.canUse(g.ID) {
		plannerForbidden(w)
		return
	}
	s.servePlans(w, r, func(p *plannerPlan) bool { return p.groupID == g.ID })
}

// planContainer reads the group a new plan goes to: container.url
// (…/groups/{id}), container.containerId with type "group", or the older
// owner property.
func planContainer(body map[string]any) (string, string) {
	if c, ok := body["container"].(map[string]any); ok {
		if id, _ := c["containerId"].(string); id != "" {
			if t, _ := c["type"].(string); t != "" && !strings.EqualFold(t, "group") {
				return "", "graphtest holds plans in groups only, not in containers of type '" + t + "'."
			}
			return id, ""
		}
		if u, _ := c["url"].(string); u != "" {
			i := strings.LastIndex(u, "/groups/")
			if i < 0 || strings.Contains(u[i+len("/groups/"):], "/") || u[i+len("/groups/"):] == "" {
				return "", "The container url '" + u + "' does not name a group."
			}
			return u[i+len("/groups/"):], ""
		}
		return "", "The container must have a url, or a containerId and type."
	}
	if o, _ := body["owner"].(string); o != "" {
		return o, ""
	}
	return "", "The plan must have a container."
}

func (s *Server) createPlan(w http.ResponseWriter, r *http.Request) {
	pc, body, ok := s.plannerBody(w, r)
	if !ok {
		return
	}
	title, _ := body["title"].(string)
	if title == "" {
		plannerBadRequest(w, "The plan must have a title.")
		return
	}
	groupID, msg := planContainer(body)
	if msg != "" {
		plannerBadRequest(w, msg)
		return
	}
	s.mu.Lock()
	g := s.groupLocked(groupID)
	s.mu.Unlock()
	switch {
	case g == nil:
		plannerNotFound(w)
		return
	case !g.unified():
		plannerBadRequest(w, "The container group '"+groupID+"' is not a Microsoft 365 group.")
		return
	case !pc.canUse(g.ID):
		plannerForbidden(w)
		return
	}
	st := s.plannerData()
	st.mu.Lock()
	p := st.newPlan(g.ID, title, pc.identity(), pc.now)
	item := s.planJSON(p)
	st.mu.Unlock()
	w.Header().Set("ETag", p.etag)
	s.writeEntity(w, http.StatusCreated, item, "planner/plans")
}

// plannerItem is a plan, bucket or task: each is in a plan, whose group
// decides who may use it.
type plannerItem interface {
	*plannerPlan | *plannerBucket | *plannerTask
	inPlan() string
	order() uint64
}

func (p *plannerPlan) inPlan() string   { return p.id }
func (b *plannerBucket) inPlan() string { return b.planID }
func (t *plannerTask) inPlan() string   { return t.planID }

func (p *plannerPlan) order() uint64   { return p.seq }
func (b *plannerBucket) order() uint64 { return b.seq }
func (t *plannerTask) order() uint64   { return t.seq }

// The store's maps, for findItem to look in.
func planMap(st *plannerStore) map[string]*plannerPlan     { return st.plans }
func bucketMap(st *plannerStore) map[string]*plannerBucket { return st.buckets }
func taskMap(st *plannerStore) map[string]*plannerTask     { return st.tasks }

// findItem locks the store and finds the item of id in the map items
// picks, answering 404 (no such item) or 403 (its plan's group is not the
// caller's) itself, and unlocking, when the handler may not go on.
func findItem[T plannerItem](s *Server, w http.ResponseWriter, pc plannerCaller, items func(*plannerStore) map[string]T, id string) (*plannerStore, T, bool) {
	st := s.plannerData()
	st.mu.Lock()
	item := items(st)[id]
	if item == nil {
		st.mu.Unlock()
		plannerNotFound(w)
		return nil, nil, false
	}
	if p := st.plans[item.inPlan()]; p == nil || !pc.canUse(p.groupID) {
		st.mu.Unlock()
		plannerForbidden(w)
		return nil, nil, false
	}
	return st, item, true
}

// findPathItem checks the caller's scopes (the write ones if write) and
// finds the item r's {id} names: the whole lookup of a request without a
// body.
func findPathItem[T plannerItem](s *Server, w http.ResponseWriter, r *http.Request, write bool, items func(*plannerStore) map[string]T) (*plannerStore, T, bool) {
	pc, ok := s.plannerCallerOf(w, r, write)
	if !ok {
		return nil, nil, false
	}
	return findItem(s, w, pc, items, r.PathValue("id"))
}

func (s *Server) getPlan(w http.ResponseWriter, r *http.Request) {
	st, p, ok := findPathItem(s, w, r, false, planMap)
	if !ok {
		return
	}
	item := s.planJSON(p)
	st.mu.Unlock()
	s.serveItem(w, r, item, "planner/plans")
}

func (s *Server) updatePlan(w http.ResponseWriter, r *http.Request) {
	pc, body, ok := s.plannerBody(w, r)
	if !ok {
		return
	}
	st, p, ok := findItem(s, w, pc, planMap, r.PathValue("id"))
	if !ok {
		return
	}
	defer st.mu.Unlock()
	if !checkIfMatch(w, r, p.etag) {
		return
	}
	title := p.title
	for k, v := range body {
		switch k {
		case "@odata.type", "@odata.etag":
		case "title":
			t, ok := v.(string)
			if !ok || t == "" {
				plannerBadRequest(w, "The plan's title must be a non-empty string.")
				return
			}
			title = t
		default:
			plannerBadRequest(w, "The property '"+k+"' cannot be updated on a plannerPlan.")
			return
		}
	}
	p.title = title
	p.etag = st.etag("Plan")
	s.answerUpdate(w, r, s.planJSON(p), "planner/plans")
}

func (s *Server) deletePlanHandler(w http.ResponseWriter, r *http.Request) {
	st, p, ok := findPathItem(s, w, r, true, planMap)
	if !ok {
		return
	}
	defer st.mu.Unlock()
	if !checkIfMatch(w, r, p.etag) {
		return
	}
	st.deletePlan(p.id)
	w.WriteHeader(http.StatusNoContent)
}

// ---- buckets ----

func bucketJSON(b *plannerBucket) map[string]any {
	return map[string]any{
		"@odata.etag": b.etag,
		"id":          b.id,
		"name":        b.name,
		"planId":      b.planID,
		"orderHint":   b.orderHint,
	}
}

func (s *Server) listPlanBuckets(w http.ResponseWriter, r *http.Request) {
	st, p, ok := findPathItem(s, w, r, false, planMap)
	if !ok {
		return
	}
	var items []map[string]any
	for _, b := range st.bucketsOf(p.id) {
		items = append(items, bucketJSON(b))
	}
	st.mu.Unlock()
	s.serveCollection(w, r, items, bucketsCollection)
}

// bucketHints are the order hints of a plan's buckets but skip.
func (st *plannerStore) bucketHints(planID, skip string) []string {
	var hints []string
	for _, b := range st.bucketsOf(planID) {
		if b.id != skip {
			hints = append(hints, b.orderHint)
		}
	}
	return hints
}

func (s *Server) createBucket(w http.ResponseWriter, r *http.Request) {
	pc, body, ok := s.plannerBody(w, r)
	if !ok {
		return
	}
	name, _ := body["name"].(string)
	planID, _ := body["planId"].(string)
	hint, hasHint := body["orderHint"].(string)
	switch {
	case name == "":
		plannerBadRequest(w, "The bucket must have a name.")
		return
	case planID == "":
		plannerBadRequest(w, "The bucket must have a planId.")
		return
	}
	if hasHint {
		if err := checkInputHint("orderHint", hint); err != nil {
			plannerBadRequest(w, err.Error())
			return
		}
	}
	st, p, ok := findItem(s, w, pc, planMap, planID)
	if !ok {
		return
	}
	b := &plannerBucket{id: plannerID(), planID: p.id, name: name, seq: st.next()}
	if hasHint {
		b.orderHint = orderhint.Place(hint, st.bucketHints(p.id, ""))
	} else {
		b.orderHint = orderhint.First(st.bucketHints(p.id, ""))
	}
	b.etag = st.etag("Bucket")
	st.buckets[b.id] = b
	item := bucketJSON(b)
	st.mu.Unlock()
	w.Header().Set("ETag", b.etag)
	s.writeEntity(w, http.StatusCreated, item, "planner/buckets")
}

func (s *Server) getBucket(w http.ResponseWriter, r *http.Request) {
	st, b, ok := findPathItem(s, w, r, false, bucketMap)
	if !ok {
		return
	}
	item := bucketJSON(b)
	st.mu.Unlock()
	s.serveItem(w, r, item, "planner/buckets")
}

func (s *Server) updateBucket(w http.ResponseWriter, r *http.Request) {
	pc, body, ok := s.plannerBody(w, r)
	if !ok {
		return
	}
	st, b, ok := findItem(s, w, pc, bucketMap, r.PathValue("id"))
	if !ok {
		return
	}
	defer st.mu.Unlock()
	if !checkIfMatch(w, r, b.etag) {
		return
	}
	next := *b
	for k, v := range body {
		switch k {
		case "@odata.type", "@odata.etag":
		case "name":
			n, ok := v.(string)
			if !ok || n == "" {
				plannerBadRequest(w, "The bucket's name must be a non-empty string.")
				return
			}
			next.name = n
		case "orderHint":
			h, ok := v.(string)
			if !ok {
				plannerBadRequest(w, "The orderHint must be a string.")
				return
			}
			if err := checkInputHint("orderHint", h); err != nil {
				plannerBadRequest(w, err.Error())
				return
			}
			next.orderHint = orderhint.Place(h, st.bucketHints(b.planID, b.id))
		default:
			plannerBadRequest(w, "The property '"+k+"' cannot be updated on a plannerBucket.")
			return
		}
	}
	next.etag = st.etag("Bucket")
	*b = next
	s.answerUpdate(w, r, bucketJSON(b), "planner/buckets")
}

func (s *Server) deleteBucketHandler(w http.ResponseWriter, r *http.Request) {
	st, b, ok := findPathItem(s, w, r, true, bucketMap)
	if !ok {
		return
	}
	defer st.mu.Unlock()
	if !checkIfMatch(w, r, b.etag) {
		return
	}
	st.deleteBucket(b.id)
	w.WriteHeader(http.StatusNoContent)
}
