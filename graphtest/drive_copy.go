package graphtest

import (
	"cmp"
	"net/http"
	"time"
)

// copyJob is a copy running "in the background": it stays in progress
// for copyPolls polls of its monitor, then happens at the next poll.
type copyJob struct {
	srcID, destDrive, destParent string
	name, conflict               string
	who                          identity
	polls                        int
	status                       string // "", completed, failed
	resultID                     string
	failure                      *gErr
}

// SetCopyPolls sets how many polls of its monitor a copy stays in
// progress before it completes (2 by default; 0 completes at the first).
func (s *Server) SetCopyPolls(n int) {
	s.drives.mu.Lock()
	defer s.drives.mu.Unlock()
	s.drives.copyPolls = n
}

func (s *Server) startCopy(w http.ResponseWriter, r *http.Request, who identity, d *gDrive, it *gItem) {
	var body struct {
		ParentReference *struct {
			DriveID string `json:"driveId"`
			ID      string `json:"id"`
		} `json:"parentReference"`
		Name string `json:"name"`
	}
	if e := readDriveBody(r, &body); e != nil {
		e.write(w)
		return
	}
	st := s.drives
	st.mu.Lock()
	job := &copyJob{srcID: it.id, destDrive: d.id, destParent: it.parentID, name: cmp.Or(body.Name, it.name),
		conflict: cmp.Or(r.URL.Query().Get("@microsoft.graph.conflictBehavior"), "fail"), who: who}
	e := func() *gErr {
		if it.parentID == "" {
			return errInvalid("The root folder cannot be copied.")
		}
		if ref := body.ParentReference; ref != nil {
			job.destDrive = cmp.Or(ref.DriveID, d.id)
			job.destParent = cmp.Or(ref.ID, job.destParent)
		}
		dd := st.drives[job.destDrive]
		dest := st.items[job.destParent]
		if dd == nil || dest == nil || dest.driveID != dd.id || !st.liveLocked(dest) {
			return errInvalid("The copy's parentReference does not name a folder.")
		}
		if !dest.folder {
			return errInvalid("The copy's destination is not a folder.")
		}
		if roleRank[st.roleLocked(who, dd, dest, s.now())] < roleRank["write"] {
			return errDenied()
		}
		for p := dest; p != nil; p = st.items[p.parentID] {
			if p == it {
				return errInvalid("A folder cannot be copied into itself.")
			}
		}
		return checkItemName(job.name)
	}()
	tok := randomToken()
	if e == nil {
		st.jobs[tok] = job
	}
	st.mu.Unlock()
	if e != nil {
		e.write(w)
		return
	}
	w.Header().Set("Location", s.storage.URL+"/monitor/"+tok)
	w.WriteHeader(http.StatusAccepted)
}

func (s *Server) serveMonitor(w http.ResponseWriter, r *http.Request) {
	st := s.drives
	st.mu.Lock()
	job := st.jobs[r.PathValue("token")]
	var body map[string]any
	status := http.StatusAccepted
	if job != nil {
		job.polls++
		if job.status == "" && job.polls > st.copyPolls {
			s.runCopyLocked(job)
		}
		body = map[string]any{"operation": "ItemCopy"}
		switch job.status {
		case "completed":
			status = http.StatusOK
			body["status"], body["percentageComplete"], body["resourceId"] = "completed", 100.0, job.resultID
		case "failed":
			status = http.StatusOK
			body["status"] = "failed"
			body["error"] = map[string]any{"code": job.failure.code, "message": job.failure.message}
		default:
			body["status"] = "inProgress"
			body["percentageComplete"] = float64(job.polls*100) / float64(st.copyPolls+1)
		}
	}
	st.mu.Unlock()
	if job == nil {
		errNotFound().write(w)
		return
	}
	writeGraphJSON(w, status, body)
}

// runCopyLocked performs a copy: the names are checked now, since the
// destination may have changed since the copy was asked for.
func (s *Server) runCopyLocked(job *copyJob) {
	st := s.drives
	src, dest := st.items[job.srcID], st.items[job.destParent]
	fail := func(e *gErr) { job.status, job.failure = "failed", e }
	if src == nil || !st.liveLocked(src) {
		fail(&gErr{code: "itemNotFound", message: "The item to copy no longer exists."})
		return
	}
	if dest == nil || !st.liveLocked(dest) {
		fail(&gErr{code: "itemNotFound", message: "The destination folder no longer exists."})
		return
	}
	existing, name, e := st.placeLocked(dest, job.name, job.conflict)
	if e != nil {
		fail(e)
		return
	}
	if existing != nil {
		existing.deleted = true
		st.changedLocked(existing)
	}
	copied := st.copyTreeLocked(src, dest, name, job.who, s.now())
	job.status, job.resultID = "completed", copied.id
}

// copyTreeLocked copies src (and, for a folder, everything in it) into
// parent under name. Contents are immutable, so the copy shares them.
func (st *driveStore) copyTreeLocked(src, parent *gItem, name string, who identity, now time.Time) *gItem {
	it := st.newChildLocked(parent, name, src.folder, who, now)
	it.data, it.mime, it.description = src.data, src.mime, src.description
	for _, c := range st.liveChildrenLocked(src) {
		st.copyTreeLocked(c, it, c.name, who, now)
	}
	return it
}
