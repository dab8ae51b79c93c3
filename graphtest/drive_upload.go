package graphtest

import (
	"cmp"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/go-o365/o365/graphtest/internal/blockstore"
)

// Upload limits, as Graph sets them.
const (
	simpleUploadMax = 4 << 20   // one PUT …/content
	chunkUnit       = 320 << 10 // every chunk but the last is a multiple
	chunkMax        = 60 << 20  // the largest chunk
	sessionLifetime = 24 * time.Hour
)

// uploadSession is an upload in progress: where the file goes and the
// byte ranges received so far.
type uploadSession struct {
	driveID, parentID string
	folders           []string // folders to create below the parent
	name              string
	conflict          string
	size              int64 // -1 until the first chunk declares it
	parts             []part
	expires           time.Time
	who               identity
}

// part is a received byte range [start, start+data.size).
type part struct {
	start int64
	data  *blockstore.Content
}

func (u *uploadSession) received() int64 {
	var n int64
	for _, p := range u.parts {
		n += p.data.Size()
	}
	return n
}

// nextExpected lists the missing ranges as Graph does: "26-" for the
// open end, "12345-55232" for a gap.
func (u *uploadSession) nextExpected() []string {
	var out []string
	pos := int64(0)
	for _, p := range u.parts {
		if p.start > pos {
			out = append(out, strconv.FormatInt(pos, 10)+"-"+strconv.FormatInt(p.start-1, 10))
		}
		pos = p.start + p.data.Size()
	}
	if u.size < 0 || pos < u.size {
		out = append(out, strconv.FormatInt(pos, 10)+"-")
	}
	return out
}

func (u *uploadSession) overlaps(start, end int64) bool {
	for _, p := range u.parts {
		if start < p.start+p.data.Size() && p.start <= end {
			return true
		}
	}
	return false
}

// putContent answers PUT …/content: a whole file of at most 4 MiB.
func (s *Server) putContent(w http.ResponseWriter, r *http.Request, who identity, d *gDrive, it *gItem, missing []string) {
	if r.ContentLength > simpleUploadMax {
		writeGraphError(w, http.StatusRequestEntityTooLarge, "requestTooLarge",
			"The request body is too large for a simple upload: use an upload session for files over 4 MiB.")
		return
	}
	conflict := cmp.Or(r.URL.Query().Get("@microsoft.graph.conflictBehavior"), "replace")
	if len(missing) == 0 && it.folder {
		errInvalid("Cannot upload content to a folder; name a file below it.").write(w)
		return
	}
	data, err := s.drives.blocks.ReadContent(r.Body, simpleUploadMax)
	if err == blockstore.ErrTooLarge {
		writeGraphError(w, http.StatusRequestEntityTooLarge, "requestTooLarge",
			"The request body is too large for a simple upload: use an upload session for files over 4 MiB.")
		return
	}
	if err != nil {
		errInvalid("The request body could not be read.").write(w)
		return
	}
	st := s.drives
	st.mu.Lock()
	var (
		m       map[string]any
		created bool
		e       *gErr
	)
	if len(missing) == 0 && conflict == "replace" {
		st.setContentLocked(it, data, who, s.now())
		m = s.itemJSONLocked(d, it)
	} else if len(missing) == 0 {
		// A file the path names exists: apply the conflict behaviour
		// beside it.
		var f *gItem
		f, created, e = s.commitLocked(d, st.items[it.parentID], nil, it.name, conflict, data, who)
		if e == nil {
			m = s.itemJSONLocked(d, f)
		}
	} else {
		var f *gItem
		f, created, e = s.commitLocked(d, it, missing[:len(missing)-1], missing[len(missing)-1], conflict, data, who)
		if e == nil {
			m = s.itemJSONLocked(d, f)
		}
	}
	st.mu.Unlock()
	if e != nil {
		e.write(w)
		return
	}
	m["@odata.context"] = s.metadataURL(itemSet(d), nil) + "/$entity"
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeGraphJSON(w, status, m)
}

// commitLocked writes a file named name below parent, creating the
// folders first, and applying the conflict behaviour. It reports
// whether the file is new.
func (s *Server) commitLocked(d *gDrive, parent *gItem, folders []string, name, conflict string, data *blockstore.Content, who identity) (*gItem, bool, *gErr) {
	st := s.drives
	now := s.now()
	if !parent.folder {
		return nil, false, errInvalid("The parent item is not a folder.")
	}
	for _, f := range folders {
		if e := checkItemName(f); e != nil {
			return nil, false, e
		}
		next := st.childLocked(parent, f)
		switch {
		case next == nil:
			next = st.newChildLocked(parent, f, true, who, now)
		case !next.folder:
			return nil, false, &gErr{http.StatusConflict, "nameAlreadyExists", "A file named '" + f + "' is in the way of the folder path."}
		}
		parent = next
	}
	existing, finalName, e := st.placeLocked(parent, name, conflict)
	if e != nil {
		return nil, false, e
	}
	if existing != nil {
		if existing.folder {
			return nil, false, &gErr{http.StatusConflict, "nameAlreadyExists", "A folder named '" + name + "' already exists."}
		}
		st.setContentLocked(existing, data, who, now)
		return existing, false, nil
	}
	f := st.newChildLocked(parent, finalName, false, who, now)
	f.data, f.mime = data, mimeOf(finalName)
	return f, true, nil
}

func (s *Server) createUploadSession(w http.ResponseWriter, r *http.Request, who identity, d *gDrive, it *gItem, missing []string) {
	var body struct {
		Item struct {
			Conflict string `json:"@microsoft.graph.conflictBehavior"`
			Name     string `json:"name"`
			FileSize *int64 `json:"fileSize"`
		} `json:"item"`
	}
	if e := readDriveBody(r, &body); e != nil {
		e.write(w)
		return
	}
	conflict := cmp.Or(body.Item.Conflict, r.URL.Query().Get("@microsoft.graph.conflictBehavior"), "replace")
	sess := &uploadSession{driveID: d.id, conflict: conflict, size: -1, expires: s.now().Add(sessionLifetime), who: who}
	if body.Item.FileSize != nil {
		sess.size = *body.Item.FileSize
	}
	st := s.drives
	st.mu.Lock()
	e := func() *gErr {
		switch {
		case len(missing) > 0:
			if !it.folder {
				return errInvalid("The parent item is not a folder.")
			}
			sess.parentID, sess.folders, sess.name = it.id, missing[:len(missing)-1], missing[len(missing)-1]
		case it.folder:
			return errInvalid("An upload session needs a file name below the folder.")
		default:
			sess.parentID, sess.name = it.parentID, it.name
		}
		if e := checkItemName(sess.name); e != nil {
			return e
		}
		if len(sess.folders) == 0 {
			if _, _, e := st.placeLocked(st.items[sess.parentID], sess.name, conflict); e != nil {
				return e
			}
		}
		return nil
	}()
	tok := randomToken()
	if e == nil {
		st.sessions[tok] = sess
	}
	st.mu.Unlock()
	if e != nil {
		e.write(w)
		return
	}
	writeGraphJSON(w, http.StatusOK, map[string]any{
		"@odata.context":     s.GraphURL() + "/v1.0/$metadata#microsoft.graph.uploadSession",
		"uploadUrl":          s.storage.URL + "/uploadSession?tempauth=" + tok,
		"expirationDateTime": driveTime(sess.expires),
		"nextExpectedRanges": []string{"0-"},
	})
}

var contentRangeRE = regexp.MustCompile(`^bytes (\d+)-(\d+)/(\d+|\*)$`)

// serveUploadSession answers the upload URL: PUT a chunk, GET the
// status, DELETE to cancel.
func (s *Server) serveUploadSession(w http.ResponseWriter, r *http.Request) {
	st := s.drives
	tok := r.URL.Query().Get("tempauth")
	st.mu.Lock()
	sess := st.sessions[tok]
	if sess != nil && s.now().After(sess.expires) {
		delete(st.sessions, tok)
		sess = nil
	}
	st.mu.Unlock()
	if sess == nil {
		writeGraphError(w, http.StatusNotFound, "itemNotFound", "The upload session was not found or has expired.")
		return
	}
	switch r.Method {
	case http.MethodGet:
		st.mu.Lock()
		body := sessionJSON(sess)
		st.mu.Unlock()
		writeGraphJSON(w, http.StatusOK, body)
	case http.MethodDelete:
		st.mu.Lock()
		delete(st.sessions, tok)
		st.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	case http.MethodPut:
		s.putChunk(w, r, tok, sess)
	default:
		methodNotAllowed(w)
	}
}

func sessionJSON(sess *uploadSession) map[string]any {
	return map[string]any{"expirationDateTime": driveTime(sess.expires), "nextExpectedRanges": sess.nextExpected()}
}

// putChunk takes one chunk. The bytes are read without the store lock
// (they may be many), then the range is checked again and committed.
func (s *Server) putChunk(w http.ResponseWriter, r *http.Request, tok string, sess *uploadSession) {
	m := contentRangeRE.FindStringSubmatch(r.Header.Get("Content-Range"))
	if m == nil {
		errInvalid("The Content-Range header is missing or malformed; it must be 'bytes {start}-{end}/{total}'.").write(w)
		return
	}
	start, _ := strconv.ParseInt(m[1], 10, 64)
	end, _ := strconv.ParseInt(m[2], 10, 64)
	total := int64(-1)
	if m[3] != "*" {
		total, _ = strconv.ParseInt(m[3], 10, 64)
	}
	n := end - start + 1
	st := s.drives
	st.mu.Lock()
	e := func() *gErr {
		switch {
		case end < start || (total >= 0 && end >= total) || total == 0:
			return &gErr{http.StatusRequestedRangeNotSatisfiable, "invalidRange", "The Content-Range " + m[0] + " is not a valid range of the file."}
		case r.ContentLength != n:
			return errInvalid(fmt.Sprintf("The fragment length %d does not match the Content-Range (%d bytes).", r.ContentLength, n))
		case n > chunkMax:
			return &gErr{http.StatusRequestEntityTooLarge, "requestTooLarge", "A fragment may hold at most 60 MiB."}
		case sess.size >= 0 && total >= 0 && total != sess.size:
			return errInvalid(fmt.Sprintf("The declared file size %d differs from the session's %d.", total, sess.size))
		case sess.size < 0 && total < 0:
			return errInvalid("The first fragment must declare the file size in Content-Range.")
		}
		size := cmp.Or(max(sess.size, 0), total)
		if n%chunkUnit != 0 && end != size-1 {
			return errInvalid("Fragments other than the last must be a multiple of 320 KiB (327,680 bytes).")
		}
		if sess.overlaps(start, end) {
			return &gErr{http.StatusRequestedRangeNotSatisfiable, "invalidRange", "The uploaded fragment overlaps with data that has already been received."}
		}
		return nil
	}()
	st.mu.Unlock()
	if e != nil {
		e.write(w)
		return
	}
	data, err := st.blocks.ReadContent(r.Body, n)
	if err != nil || data.Size() != n {
		// The client went away mid-chunk: nothing of it is kept.
		errInvalid("The fragment ended before its declared length.").write(w)
		return
	}
	st.mu.Lock()
	body, status, e := s.addChunkLocked(tok, sess, start, total, data)
	st.mu.Unlock()
	if e != nil {
		e.write(w)
		return
	}
	writeGraphJSON(w, status, body)
}

// addChunkLocked records a received chunk and, once the file is whole,
// commits it.
func (s *Server) addChunkLocked(tok string, sess *uploadSession, start, total int64, data *blockstore.Content) (map[string]any, int, *gErr) {
	st := s.drives
	if st.sessions[tok] != sess {
		return nil, 0, &gErr{http.StatusNotFound, "itemNotFound", "The upload session was cancelled."}
	}
	if sess.overlaps(start, start+data.Size()-1) {
		return nil, 0, &gErr{http.StatusRequestedRangeNotSatisfiable, "invalidRange", "The uploaded fragment overlaps with data that has already been received."}
	}
	if sess.size < 0 {
		sess.size = total
	}
	sess.parts = append(sess.parts, part{start: start, data: data})
	slices.SortFunc(sess.parts, func(a, b part) int { return cmp.Compare(a.start, b.start) })
	if sess.received() < sess.size {
		return sessionJSON(sess), http.StatusAccepted, nil
	}
	d := st.drives[sess.driveID]
	parent := st.items[sess.parentID]
	if d == nil || parent == nil || !st.liveLocked(parent) {
		delete(st.sessions, tok)
		return nil, 0, &gErr{http.StatusNotFound, "itemNotFound", "The folder the upload was going to is gone."}
	}
	parts := make([]*blockstore.Content, len(sess.parts))
	for i, p := range sess.parts {
		parts[i] = p.data
	}
	f, created, e := s.commitLocked(d, parent, sess.folders, sess.name, sess.conflict, blockstore.Concat(parts...), sess.who)
	if e != nil {
		return nil, 0, e
	}
	delete(st.sessions, tok)
	m := s.itemJSONLocked(d, f)
	m["@odata.context"] = s.metadataURL(itemSet(d), nil) + "/$entity"
	if created {
		return m, http.StatusCreated, nil
	}
	return m, http.StatusOK, nil
}
