package graphtest

// Planner: plans that belong to Microsoft 365 groups, their buckets and
// tasks, and each task's details. Members (and owners) of a plan's group
// may use the plan; anyone else gets 403, as Planner answers.
//
// Every item carries an etag (W/"…", as Graph writes them) that changes
// with every update. PATCH and DELETE need the current one in If-Match:
// without it Graph answers 400, with an older one 412. Real Planner
// sometimes accepts an older etag when the change does not conflict with
// newer ones; graphtest always refuses it, the strict reading a client
// must be ready for. A task's etag does not change when its details do.
//
// Order hints follow "Using order hints in Planner" (internal/orderhint):
// a client's "{previous} {next}!" becomes a short value sorting between
// the item's neighbours; items created without a hint go first.

import (
	"cmp"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// plannerStore holds every plan, bucket and task, guarded by mu. It is
// set up on first use, so NewServer needs no line for it.
type plannerStore struct {
	once    sync.Once
	mu      sync.Mutex
	plans   map[string]*plannerPlan
	buckets map[string]*plannerBucket
	tasks   map[string]*plannerTask
	seq     uint64 // creation order of items and etag versions
}

// plannerIdentity is who created or changed something: a user or an app.
type plannerIdentity struct{ userID, appID string }

type plannerPlan struct {
	id, title, groupID string
	createdBy          plannerIdentity
	created            time.Time
	etag               string
	seq                uint64
}

type plannerBucket struct {
	id, planID, name, orderHint string
	etag                        string
	seq                         uint64
}

type plannerAssignment struct {
	by        plannerIdentity
	at        time.Time
	orderHint string
}

type plannerCheckItem struct {
	title     string
	checked   bool
	orderHint string
	by        plannerIdentity
	at        time.Time
}

type plannerReference struct {
	alias, kind, previewPriority string
	by                           plannerIdentity
	at                           time.Time
}

type plannerTask struct {
	id, planID, bucketID, title string
	orderHint, assigneePriority string
	percentComplete, priority   int
	start, due, completed       *time.Time
	completedBy                 *plannerIdentity
	created                     time.Time
	createdBy                   plannerIdentity
	conversationThreadID        string
	categories                  map[string]bool
	assignments                 map[string]*plannerAssignment
	etag                        string
	seq                         uint64
	description, previewType    string
	checklist                   map[string]*plannerCheckItem
	references                  map[string]*plannerReference
	detailsETag                 string
}

// clone copies a task deeply enough that changing the copy leaves t as
// it was: an update is made on a copy and kept only when all of it is
// valid.
func (t *plannerTask) clone() *plannerTask {
	c := *t
	c.categories = cloneMap(t.categories)
	c.assignments = map[string]*plannerAssignment{}
	for k, v := range t.assignments {
		a := *v
		c.assignments[k] = &a
	}
	c.checklist = map[string]*plannerCheckItem{}
	for k, v := range t.checklist {
		i := *v
		c.checklist[k] = &i
	}
	c.references = map[string]*plannerReference{}
	for k, v := range t.references {
		r := *v
		c.references[k] = &r
	}
	return &c
}

func cloneMap[K comparable, V any](m map[K]V) map[K]V {
	out := make(map[K]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// plannerData returns the server's Planner store, setting it up on first
// use.
func (s *Server) plannerData() *plannerStore {
	st := &s.planner
	st.once.Do(func() {
		st.plans = map[string]*plannerPlan{}
		st.buckets = map[string]*plannerBucket{}
		st.tasks = map[string]*plannerTask{}
	})
	return st
}

// AddPlan adds a plan titled title to group (named by id or mail), which
// must be a Microsoft 365 group, as if its first owner (or member) had
// created it. It returns the plan's id.
func (s *Server) AddPlan(group, title string) (string, error) {
	s.mu.Lock()
	g := s.groupLocked(group)
	var creator string
	if g != nil {
		switch {
		case len(g.Owners) > 0:
			creator = g.Owners[0]
		case len(g.Members) > 0:
			creator = g.Members[0]
		}
	}
	now := s.now().UTC()
	s.mu.Unlock()
	switch {
	case g == nil:
		return "", fmt.Errorf("graphtest: no group %q", group)
	case !g.unified():
		return "", fmt.Errorf("graphtest: group %q is not a Microsoft 365 group; only those hold plans", group)
	case title == "":
		return "", fmt.Errorf("graphtest: plan in group %q has no title", group)
	}
	st := s.plannerData()
	st.mu.Lock()
	defer st.mu.Unlock()
	p := st.newPlan(g.ID, title, plannerIdentity{userID: creator}, now)
	return p.id, nil
}

func (st *plannerStore) newPlan(groupID, title string, by plannerIdentity, now time.Time) *plannerPlan {
	p := &plannerPlan{id: plannerID(), title: title, groupID: groupID, createdBy: by, created: now, seq: st.next()}
	p.etag = st.etag("Plan")
	st.plans[p.id] = p
	return p
}

// next is the next sequence number; the caller holds st.mu.
func (st *plannerStore) next() uint64 {
	st.seq++
	return st.seq
}

// etag makes a new etag of kind, different from every earlier one; the
// caller holds st.mu. Its shape is Graph's: W/"base64 of '1-Kind …'".
func (st *plannerStore) etag(kind string) string {
	raw := fmt.Sprintf("'1-%s %020d'", kind, st.next())
	return `W/"` + base64.StdEncoding.EncodeToString([]byte(raw)) + `"`
}

// plannerID makes a 28-character id, the length of Planner's.
func plannerID() string {
	var b [21]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// itemsWhere returns the items of m that keep accepts, in creation
// order (map order is random, Planner's lists are not).
func itemsWhere[T plannerItem](m map[string]T, keep func(T) bool) []T {
	var out []T
	for _, x := range m {
		if keep(x) {
			out = append(out, x)
		}
	}
	slices.SortFunc(out, func(a, b T) int { return cmp.Compare(a.order(), b.order()) })
	return out
}

// bucketsOf returns the buckets of a plan in creation order.
func (st *plannerStore) bucketsOf(planID string) []*plannerBucket {
	return itemsWhere(st.buckets, func(b *plannerBucket) bool { return b.planID == planID })
}

// tasksWhere returns the tasks keep accepts, in creation order.
func (st *plannerStore) tasksWhere(keep func(*plannerTask) bool) []*plannerTask {
	return itemsWhere(st.tasks, keep)
}

// deletePlan removes a plan with its buckets and tasks.
func (st *plannerStore) deletePlan(id string) {
	delete(st.plans, id)
	for bid, b := range st.buckets {
		if b.planID == id {
			delete(st.buckets, bid)
		}
	}
	for tid, t := range st.tasks {
		if t.planID == id {
			delete(st.tasks, tid)
		}
	}
}

// deleteBucket removes a bucket with the tasks in it, as Planner does.
func (st *plannerStore) deleteBucket(id string) {
	delete(st.buckets, id)
	for tid, t := range st.tasks {
		if t.bucketID == id {
			delete(st.tasks, tid)
		}
	}
}

// checkInputHint reports what is wrong with an order hint a client sent:
// Planner takes only "{previous} {next}!" values, of the characters 32
// (space) to 126 ('~').
func checkInputHint(property, h string) error {
	for i := 0; i < len(h); i++ {
		if h[i] < ' ' || h[i] > '~' {
			return msgf("The %s value '%s' is not a valid order hint: character %d is outside the range ' ' to '~'.", property, h, i)
		}
	}
	if !strings.HasSuffix(h, "!") {
		return msgf("The %s value '%s' is not a valid order hint: a hint sent to Planner must have the form '<previous> <next>!'.", property, h)
	}
	return nil
}

// plannerMsg is the message of a 400 answer, in Graph's words (which are
// sentences, hence not an ordinary Go error string).
type plannerMsg string

func (m plannerMsg) Error() string { return string(m) }

func msgf(format string, a ...any) error { return plannerMsg(fmt.Sprintf(format, a...)) }
