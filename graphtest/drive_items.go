package graphtest

import (
	"cmp"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-o365/o365/graphtest/internal/blockstore"
)

// locator is where a request points inside a drive: root, root:/a/b:,
// items/{id}, items/{id}:/a:, or special/{name}, followed by operation
// segments (children, content, copy, …).
type locator struct {
	base string   // root, item, special
	id   string   // item id or special folder name
	path []string // names below base
	ops  []string
}

// parseLocator reads the escaped segments after the drive. A ':' that is
// sent as is (not %3A) opens and closes a path, and so does an escaped one
// inside an item-id segment (items/root%3A%2Fa.txt%3A, as clients that
// escape the id as one path parameter send it), since ids hold no ':'.
// items/root is the root, as Graph answers it.
func parseLocator(segs []string) (locator, bool) {
	var loc locator
	segs = expandItemPath(segs)
	head, rest := segs[0], segs[1:]
	if head == "items" && len(rest) > 0 {
		if id, colon := strings.CutSuffix(rest[0], ":"); strings.EqualFold(id, "root") {
			head, rest = "root", rest[1:]
			if colon {
				head = "root:"
			}
		}
	}
	opensPath := false
	switch {
	case head == "root":
		loc.base = "root"
	case head == "root:":
		loc.base, opensPath = "root", true
	case (head == "items" || head == "special") && len(rest) > 0:
		loc.base = "item"
		if head == "special" {
			loc.base = "special"
		}
		var id string
		id, opensPath = strings.CutSuffix(rest[0], ":")
		rest = rest[1:]
		var err error
		if loc.id, err = url.PathUnescape(id); err != nil {
			return loc, false
		}
	default:
		return loc, false
	}
	if opensPath {
		// Names, up to the one that ends with ':' (or the last).
		for len(rest) > 0 {
			seg, end := strings.CutSuffix(rest[0], ":")
			rest = rest[1:]
			name, err := url.PathUnescape(seg)
			if err != nil {
				return loc, false
			}
			if name != "" {
				loc.path = append(loc.path, name)
			}
			if end {
				break
			}
		}
	}
	for _, seg := range rest {
		op, err := url.PathUnescape(seg)
		if err != nil {
			return loc, false
		}
		loc.ops = append(loc.ops, op)
	}
	return loc, true
}

// expandItemPath splits an item-id segment that carries an escaped path,
// such as root%3A%2Fa%2Fb.txt%3A, into the segments the same address has
// when its ':' and '/' are sent as they are: root:, a, b.txt:.
func expandItemPath(segs []string) []string {
	if len(segs) < 2 || segs[0] != "items" {
		return segs
	}
	id, err := url.PathUnescape(segs[1])
	if err != nil || !strings.Contains(id, ":") {
		return segs
	}
	base, path, _ := strings.Cut(id, ":")
	out := []string{"items", url.PathEscape(base) + ":"}
	path, closed := strings.CutSuffix(path, ":")
	var names []string
	for _, name := range strings.Split(path, "/") {
		if name != "" {
			names = append(names, url.PathEscape(name))
		}
	}
	if len(names) > 0 && closed {
		names[len(names)-1] += ":"
	}
	out = append(out, names...)
	return append(out, segs[2:]...)
}

// serveDrive answers a request below a drive.
func (s *Server) serveDrive(w http.ResponseWriter, r *http.Request, who identity, d *gDrive, rest []string) {
	st := s.drives
	if len(rest) == 0 {
		if r.Method != http.MethodGet {
			methodNotAllowed(w)
			return
		}
		st.mu.Lock()
		if st.roleLocked(who, d, st.items[d.rootID], s.now()) != "owner" {
			st.mu.Unlock()
			errDenied().write(w)
			return
		}
		m := st.driveJSONLocked(d)
		st.mu.Unlock()
		s.serveEntity(w, r, m, "drives")
		return
	}
	switch {
	case rest[0] == "recent" && len(rest) == 1:
		s.serveRecent(w, r, who, d)
		return
	case rest[0] == "sharedWithMe" && len(rest) == 1:
		s.serveSharedWithMe(w, r, who)
		return
	case strings.HasPrefix(rest[0], "search(") && len(rest) == 1:
		rest = []string{"root", rest[0]}
	}
	loc, ok := parseLocator(rest)
	if !ok {
		unknownSegment(w, r)
		return
	}
	st.mu.Lock()
	it, missing, e := s.locateLocked(d, loc, who)
	st.mu.Unlock()
	if e != nil {
		e.write(w)
		return
	}
	s.serveItemOp(w, r, who, d, it, missing, loc.ops)
}

// locateLocked finds the item a locator names. When the last names of
// its path do not exist, it returns the deepest folder that does and the
// missing names (for uploads, which create them).
func (s *Server) locateLocked(d *gDrive, loc locator, who identity) (*gItem, []string, *gErr) {
	st := s.drives
	var cur *gItem
	switch loc.base {
	case "root":
		cur = st.items[d.rootID]
	case "special":
		var e *gErr
		if cur, e = st.specialLocked(d, strings.ToLower(loc.id), who, s.now()); e != nil {
			return nil, nil, e
		}
	default:
		cur = st.items[loc.id]
		restoring := len(loc.ops) == 1 && loc.ops[0] == "restore" && len(loc.path) == 0
		if cur == nil || cur.driveID != d.id || (!st.liveLocked(cur) && !(restoring && cur.deleted)) {
			return nil, nil, errNotFound()
		}
	}
	for i, name := range loc.path {
		next := st.childLocked(cur, name)
		if next == nil {
			return cur, loc.path[i:], nil
		}
		cur = next
	}
	return cur, nil, nil
}

// specialLocked returns a special folder, creating it on first use.
func (st *driveStore) specialLocked(d *gDrive, name string, who identity, now time.Time) (*gItem, *gErr) {
	names := map[string]string{
		"documents": "Documents", "photos": "Pictures", "cameraroll": "Camera Roll",
		"approot": "Apps", "music": "Music", "recordings": "Recordings",
	}
	folder, ok := names[name]
	if !ok {
		return nil, errInvalid("Invalid special folder name: '" + name + "'.")
	}
	if d.ownerKind != "user" {
		return nil, &gErr{http.StatusBadRequest, "notSupported", "Special folders are not supported on this drive."}
	}
	parent := st.items[d.rootID]
	if name == "approot" {
		apps := st.childLocked(parent, "Apps")
		if apps == nil {
			apps = st.newChildLocked(parent, "Apps", true, d.owner, now)
		}
		parent, folder = apps, who.id
		if !who.app {
			folder = "graphtest app"
		}
	}
	it := st.childLocked(parent, folder)
	if it == nil {
		it = st.newChildLocked(parent, folder, true, d.owner, now)
	}
	it.special = name
	return it, nil
}

// liveLocked reports whether it and every folder above it are not deleted.
func (st *driveStore) liveLocked(it *gItem) bool {
	for ; it != nil; it = st.items[it.parentID] {
		if it.deleted {
			return false
		}
	}
	return true
}

// childLocked finds a live child by name; OneDrive names ignore case.
func (st *driveStore) childLocked(parent *gItem, name string) *gItem {
	for _, c := range parent.children {
		if !c.deleted && strings.EqualFold(c.name, name) {
			return c
		}
	}
	return nil
}

// liveChildrenLocked lists a folder's children by name, as OneDrive
// lists them when no $orderby is given.
func (st *driveStore) liveChildrenLocked(parent *gItem) []*gItem {
	var out []*gItem
	for _, c := range parent.children {
		if !c.deleted {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b *gItem) int { return cmp.Compare(strings.ToLower(a.name), strings.ToLower(b.name)) })
	return out
}

func (st *driveStore) newChildLocked(parent *gItem, name string, folder bool, who identity, now time.Time) *gItem {
	it := &gItem{id: newDriveItemID(), driveID: parent.driveID, parentID: parent.id, name: name, folder: folder,
		created: now, modified: now, createdBy: who, modifiedBy: who, version: 1, ctag: 1}
	st.items[it.id] = it
	parent.children = append(parent.children, it)
	// The parent's change comes first, so a delta round lists it before
	// the child.
	st.changedLocked(parent)
	st.changedLocked(it)
	return it
}

// changedLocked gives it a new change number (for delta and eTags), and
// announces the change to subscriptions on the owner's drive.
func (st *driveStore) changedLocked(it *gItem) {
	st.seq++
	it.seq = st.seq
	if d := st.drives[it.driveID]; d != nil && d.ownerKind == "user" && st.publish != nil {
		st.pending = append(st.pending, notifyChange{d.ownerID, "drive", "updated", it.id})
		if !st.flushing {
			st.flushing = true
			go st.flush()
		}
	}
}

// flush publishes the pending changes outside the store's lock (the
// drive code unlocks in many places; publishing takes other locks).
func (st *driveStore) flush() {
	for {
		st.mu.Lock()
		changes := st.pending
		st.pending = nil
		if len(changes) == 0 {
			st.flushing = false
			st.mu.Unlock()
			return
		}
		st.mu.Unlock()
		st.publish(changes)
	}
}

// touchLocked records a change made by who.
func (st *driveStore) touchLocked(it *gItem, who identity, now time.Time) {
	it.modified, it.modifiedBy = now, who
	it.version++
	st.changedLocked(it)
}

// setContentLocked replaces a file's content, keeping the old one as a
// version.
func (st *driveStore) setContentLocked(it *gItem, c *blockstore.Content, who identity, now time.Time) {
	if it.data != nil {
		it.versions = append(it.versions, &gVersion{data: it.data, modified: it.modified, by: it.modifiedBy})
	}
	it.data = c
	it.mime = mimeOf(it.name)
	it.ctag++
	st.touchLocked(it, who, now)
}

// checkItemName refuses what OneDrive refuses in names.
func checkItemName(name string) *gErr {
	if strings.TrimSpace(name) == "" || name == "." || name == ".." || strings.ContainsAny(name, `"*:<>?/\|`) ||
		strings.HasSuffix(name, " ") || strings.HasSuffix(name, ".") {
		return errInvalid("The provided name cannot contain any illegal characters: '" + name + "'.")
	}
	return nil
}

// placeLocked applies a conflict behaviour to a new child name: it
// returns the item the name already belongs to (for replace) and the
// name to use.
func (st *driveStore) placeLocked(parent *gItem, name, behavior string) (*gItem, string, *gErr) {
	if e := checkItemName(name); e != nil {
		return nil, "", e
	}
	existing := st.childLocked(parent, name)
	if existing == nil {
		return nil, name, nil
	}
	switch behavior {
	case "replace":
		return existing, existing.name, nil
	case "rename":
		ext := path.Ext(name)
		base := strings.TrimSuffix(name, ext)
		for n := 1; ; n++ {
			candidate := base + " " + strconv.Itoa(n) + ext
			if st.childLocked(parent, candidate) == nil {
				return nil, candidate, nil
			}
		}
	case "", "fail":
		return nil, "", &gErr{http.StatusConflict, "nameAlreadyExists", "The specified item name already exists. Name: " + name}
	}
	return nil, "", errInvalid("Invalid value '" + behavior + "' for @microsoft.graph.conflictBehavior.")
}

// pathLocked is the item's path from the root ("" for the root).
func (st *driveStore) pathLocked(it *gItem) string {
	var names []string
	for ; it != nil && it.parentID != ""; it = st.items[it.parentID] {
		names = append(names, it.name)
	}
	slices.Reverse(names)
	if len(names) == 0 {
		return ""
	}
	return "/" + strings.Join(names, "/")
}

func (st *driveStore) sizeLocked(it *gItem) int64 {
	if it.data != nil {
		return it.data.Size()
	}
	var n int64
	for _, c := range st.liveChildrenLocked(it) {
		n += st.sizeLocked(c)
	}
	return n
}

// itemJSONLocked is an item as Graph shows it.
func (s *Server) itemJSONLocked(d *gDrive, it *gItem) map[string]any {
	st := s.drives
	tag := "{" + strings.ToUpper(it.id[2:10]) + "-" + strings.ToUpper(it.id[10:14]) + "}"
	m := map[string]any{
		"id":                   it.id,
		"name":                 it.name,
		"eTag":                 `"` + tag + "," + strconv.Itoa(it.version) + `"`,
		"cTag":                 `"c:` + tag + "," + strconv.Itoa(it.ctag) + `"`,
		"createdDateTime":      driveTime(it.created),
		"lastModifiedDateTime": driveTime(it.modified),
		"size":                 st.sizeLocked(it),
		"createdBy":            it.createdBy.set(),
		"lastModifiedBy":       it.modifiedBy.set(),
		"fileSystemInfo": map[string]any{
			"createdDateTime": driveTime(it.created), "lastModifiedDateTime": driveTime(it.modified),
		},
	}
	p := st.pathLocked(it)
	m["webUrl"] = d.webURL + escapeURLPath(p)
	ref := map[string]any{"driveId": d.id, "driveType": d.driveType}
	if d.siteID != "" {
		ref["siteId"] = d.siteID
	}
	if parent := st.items[it.parentID]; parent != nil {
		ref["id"] = parent.id
		ref["path"] = "/drives/" + d.id + "/root:" + st.pathLocked(parent)
		if parent.parentID != "" {
			ref["name"] = parent.name
		}
	}
	m["parentReference"] = ref
	if it.description != "" {
		m["description"] = it.description
	}
	switch {
	case it.folder:
		m["folder"] = map[string]any{"childCount": len(st.liveChildrenLocked(it))}
		if it.parentID == "" {
			m["root"] = map[string]any{}
		}
		if it.special != "" {
			m["specialFolder"] = map[string]any{"name": it.special}
		}
	default:
		m["file"] = map[string]any{
			"mimeType": it.mime,
			"hashes":   map[string]any{"quickXorHash": it.data.QuickXorHash()},
		}
		m["@microsoft.graph.downloadUrl"] = s.storageURL(s.drives.sign(tokenContent, it.id, "", s.now()))
		if w, h, ok := imageSize(it); ok {
			m["image"] = map[string]any{"width": w, "height": h}
		}
	}
	if len(it.perms) > 0 {
		m["shared"] = map[string]any{"owner": d.owner.set(), "scope": sharedScope(it.perms)}
	}
	return m
}

// escapeURLPath escapes each segment of a path for a webUrl.
func escapeURLPath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// itemSet is the @odata.context entity set of a drive's items.
func itemSet(d *gDrive) string { return "drives('" + d.id + "')/items" }

// role levels, for comparisons.
var roleRank = map[string]int{"": 0, "read": 1, "write": 2, "owner": 3}

// roleLocked is the caller's access to it in d: owner, write, read or "".
func (st *driveStore) roleLocked(who identity, d *gDrive, it *gItem, now time.Time) string {
	if who.app || d.ownerKind != "user" || d.ownerID == who.id {
		return "owner"
	}
	best := ""
	for cur := it; cur != nil; cur = st.items[cur.parentID] {
		for _, p := range cur.perms {
			if p.grantee.id == who.id && !p.expired(now) {
				for _, role := range p.roles {
					if roleRank[role] > roleRank[best] {
						best = role
					}
				}
			}
		}
	}
	return best
}

// serveItemOp answers an operation on an item. missing holds the names
// below it that do not exist yet (only uploads accept them).
func (s *Server) serveItemOp(w http.ResponseWriter, r *http.Request, who identity, d *gDrive, it *gItem, missing, ops []string) {
	st := s.drives
	op := ""
	if len(ops) > 0 {
		op = ops[0]
	}
	creates := (op == "content" && r.Method == http.MethodPut) || op == "createUploadSession"
	if len(missing) > 0 && !creates {
		errNotFound().write(w)
		return
	}
	st.mu.Lock()
	role := st.roleLocked(who, d, it, s.now())
	st.mu.Unlock()
	write := r.Method != http.MethodGet && r.Method != http.MethodHead
	if role == "" || (write && roleRank[role] < roleRank["write"]) {
		errDenied().write(w)
		return
	}
	switch {
	case op == "":
		switch r.Method {
		case http.MethodGet:
			s.getItem(w, r, d, it)
		case http.MethodPatch:
			s.updateItem(w, r, who, d, it)
		case http.MethodDelete:
			s.deleteItem(w, r, who, it)
		default:
			methodNotAllowed(w)
		}
	case op == "children" && len(ops) == 1:
		switch r.Method {
		case http.MethodGet:
			s.listChildren(w, r, d, it)
		case http.MethodPost:
			s.createChild(w, r, who, d, it)
		default:
			methodNotAllowed(w)
		}
	case op == "content" && len(ops) == 1:
		switch r.Method {
		case http.MethodGet:
			s.redirectContent(w, r, it)
		case http.MethodPut:
			s.putContent(w, r, who, d, it, missing)
		default:
			methodNotAllowed(w)
		}
	case op == "createUploadSession" && r.Method == http.MethodPost:
		s.createUploadSession(w, r, who, d, it, missing)
	case op == "copy" && r.Method == http.MethodPost:
		s.startCopy(w, r, who, d, it)
	case op == "restore" && r.Method == http.MethodPost:
		s.restoreItem(w, r, who, d, it)
	case op == "createLink" && r.Method == http.MethodPost:
		s.createLink(w, r, who, d, it)
	case op == "invite" && r.Method == http.MethodPost:
		s.invite(w, r, who, d, it)
	case op == "permissions":
		s.servePermissions(w, r, d, it, ops[1:])
	case op == "versions":
		s.serveVersions(w, r, who, d, it, ops[1:])
	case op == "thumbnails":
		s.serveThumbnails(w, r, d, it, ops[1:])
	case strings.EqualFold(op, "workbook"):
		s.serveWorkbook(w, r, it, ops[1:])
	case strings.HasPrefix(op, "search(") && len(ops) == 1 && r.Method == http.MethodGet:
		s.searchItems(w, r, d, it, op)
	case (op == "delta" || strings.HasPrefix(op, "delta(")) && len(ops) == 1 && r.Method == http.MethodGet:
		s.serveDelta(w, r, d, it, op)
	default:
		unknownSegment(w, r)
	}
}

func methodNotAllowed(w http.ResponseWriter) {
	writeGraphError(w, http.StatusMethodNotAllowed, "invalidRequest", "The HTTP method is not allowed on this resource.")
}

// readBody decodes a JSON request body into v (nil body: v unchanged).
func readDriveBody(r *http.Request, v any) *gErr {
	data, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return errInvalid("The request body could not be read.")
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		return nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return errInvalid("Invalid request body: " + err.Error())
	}
	return nil
}

// wantsThumbnails reports $expand=thumbnails.
func wantsThumbnails(r *http.Request) bool {
	q := r.URL.Query()
	for _, e := range strings.Split(cmp.Or(q.Get("$expand"), q.Get("expand")), ",") {
		name, _, _ := strings.Cut(strings.TrimSpace(e), "(")
		if strings.EqualFold(name, "thumbnails") {
			return true
		}
	}
	return false
}

func (s *Server) getItem(w http.ResponseWriter, r *http.Request, d *gDrive, it *gItem) {
	s.drives.mu.Lock()
	m := s.itemJSONLocked(d, it)
	if wantsThumbnails(r) {
		m["thumbnails"] = s.thumbnailSetsLocked(it)
	}
	s.drives.mu.Unlock()
	s.serveEntity(w, r, m, itemSet(d))
}

// driveCollection pages OneDrive and SharePoint collections as Graph
// does: 200 by default, up to 999, no $skip.
func driveCollection(set string) collection {
	return collection{entitySet: set, pageSize: 200, maxTop: 999, noSkip: true, errorCode: "invalidRequest"}
}

func (s *Server) listChildren(w http.ResponseWriter, r *http.Request, d *gDrive, it *gItem) {
	if !it.folder {
		errInvalid("The item is not a folder.").write(w)
		return
	}
	thumbs := wantsThumbnails(r)
	s.drives.mu.Lock()
	var items []map[string]any
	for _, c := range s.drives.liveChildrenLocked(it) {
		m := s.itemJSONLocked(d, c)
		if thumbs {
			m["thumbnails"] = s.thumbnailSetsLocked(c)
		}
		items = append(items, m)
	}
	s.drives.mu.Unlock()
	s.serveCollection(w, r, items, driveCollection(itemSet(d)+"('"+it.id+"')/children"))
}

func (s *Server) createChild(w http.ResponseWriter, r *http.Request, who identity, d *gDrive, parent *gItem) {
	var body struct {
		Name     string          `json:"name"`
		Folder   json.RawMessage `json:"folder"`
		File     json.RawMessage `json:"file"`
		Conflict string          `json:"@microsoft.graph.conflictBehavior"`
	}
	if e := readDriveBody(r, &body); e != nil {
		e.write(w)
		return
	}
	if body.Folder == nil {
		errInvalid("Only folders can be created this way: the 'folder' facet is missing.").write(w)
		return
	}
	if !parent.folder {
		errInvalid("The parent item is not a folder.").write(w)
		return
	}
	st := s.drives
	st.mu.Lock()
	existing, name, e := st.placeLocked(parent, body.Name, cmp.Or(r.URL.Query().Get("@microsoft.graph.conflictBehavior"), body.Conflict))
	if e == nil && existing != nil {
		// replace: the old folder goes to the recycle bin.
		existing.deleted = true
		st.changedLocked(existing)
	}
	var m map[string]any
	if e == nil {
		m = s.itemJSONLocked(d, st.newChildLocked(parent, name, true, who, s.now()))
	}
	st.mu.Unlock()
	if e != nil {
		e.write(w)
		return
	}
	m["@odata.context"] = s.metadataURL(itemSet(d), nil) + "/$entity"
	writeGraphJSON(w, http.StatusCreated, m)
}

func (s *Server) updateItem(w http.ResponseWriter, r *http.Request, who identity, d *gDrive, it *gItem) {
	var body map[string]json.RawMessage
	if e := readDriveBody(r, &body); e != nil {
		e.write(w)
		return
	}
	var (
		name, desc *string
		parentID   string
	)
	for k, v := range body {
		switch k {
		case "name":
			name = new(string)
			if json.Unmarshal(v, name) != nil {
				errInvalid("Property 'name' must be a string.").write(w)
				return
			}
		case "description":
			desc = new(string)
			if json.Unmarshal(v, desc) != nil {
				errInvalid("Property 'description' must be a string.").write(w)
				return
			}
		case "parentReference":
			var ref struct {
				ID      string `json:"id"`
				DriveID string `json:"driveId"`
				Path    string `json:"path"`
			}
			if json.Unmarshal(v, &ref) != nil || (ref.ID == "" && ref.Path == "") {
				errInvalid("Property 'parentReference' must name the new parent by id.").write(w)
				return
			}
			if ref.DriveID != "" && ref.DriveID != d.id {
				errInvalid("Moving items between drives is not supported.").write(w)
				return
			}
			parentID = ref.ID
		case "fileSystemInfo", "@microsoft.graph.conflictBehavior":
		default:
			if strings.HasPrefix(k, "@odata.") {
				continue // annotations such as the @odata.type the SDKs send
			}
			errInvalid("Property '" + k + "' is read-only or unknown.").write(w)
			return
		}
	}
	st := s.drives
	st.mu.Lock()
	m, e := s.updateLocked(r, who, d, it, name, desc, parentID)
	st.mu.Unlock()
	if e != nil {
		e.write(w)
		return
	}
	writeGraphJSON(w, http.StatusOK, m)
}

// updateLocked renames, moves and describes an item.
func (s *Server) updateLocked(r *http.Request, who identity, d *gDrive, it *gItem, name, desc *string, parentID string) (map[string]any, *gErr) {
	st := s.drives
	if !ifMatch(r, it) {
		return nil, &gErr{http.StatusPreconditionFailed, "resourceModified", "ETag does not match current item's value"}
	}
	parent := st.items[it.parentID]
	if parentID != "" {
		np := st.items[parentID]
		if np == nil || np.driveID != d.id || !np.folder || !st.liveLocked(np) {
			return nil, errInvalid("The new parent must be a folder of the same drive.")
		}
		for p := np; p != nil; p = st.items[p.parentID] {
			if p == it {
				return nil, errInvalid("A folder cannot be moved into itself.")
			}
		}
		parent = np
	}
	if parent == nil {
		return nil, errInvalid("The root folder cannot be renamed or moved.")
	}
	newName := it.name
	if name != nil {
		newName = *name
	}
	if e := checkItemName(newName); e != nil {
		return nil, e
	}
	if other := st.childLocked(parent, newName); other != nil && other != it {
		return nil, &gErr{http.StatusConflict, "nameAlreadyExists", "The specified item name already exists. Name: " + newName}
	}
	if parent.id != it.parentID {
		st.moveLocked(it, parent)
	}
	it.name = newName
	if it.data != nil {
		it.mime = mimeOf(newName)
	}
	if desc != nil {
		it.description = *desc
	}
	st.touchLocked(it, who, s.now())
	m := s.itemJSONLocked(d, it)
	m["@odata.context"] = s.metadataURL(itemSet(d), nil) + "/$entity"
	return m, nil
}

// moveLocked puts it into the folder parent.
func (st *driveStore) moveLocked(it, parent *gItem) {
	if old := st.items[it.parentID]; old != nil {
		old.children = slices.DeleteFunc(old.children, func(c *gItem) bool { return c == it })
		st.changedLocked(old)
	}
	parent.children = append(parent.children, it)
	it.parentID = parent.id
	st.changedLocked(parent)
}

// ifMatch checks an If-Match header against the item's eTag or cTag.
func ifMatch(r *http.Request, it *gItem) bool {
	want := r.Header.Get("If-Match")
	if want == "" || want == "*" {
		return true
	}
	return strings.HasSuffix(strings.Trim(want, `"`), ","+strconv.Itoa(it.version)) ||
		strings.HasSuffix(strings.Trim(want, `"`), ","+strconv.Itoa(it.ctag)) && strings.Contains(want, "c:")
}

func (s *Server) deleteItem(w http.ResponseWriter, r *http.Request, who identity, it *gItem) {
	st := s.drives
	st.mu.Lock()
	var e *gErr
	switch {
	case it.parentID == "":
		e = &gErr{http.StatusForbidden, "accessDenied", "The root folder cannot be deleted."}
	case !ifMatch(r, it):
		e = &gErr{http.StatusPreconditionFailed, "resourceModified", "ETag does not match current item's value"}
	default:
		it.deleted = true
		st.touchLocked(it, who, s.now())
		st.changedLocked(st.items[it.parentID])
	}
	st.mu.Unlock()
	if e != nil {
		e.write(w)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// restoreItem brings a deleted item back from the recycle bin, to where
// it was or to the parentReference of the body.
func (s *Server) restoreItem(w http.ResponseWriter, r *http.Request, who identity, d *gDrive, it *gItem) {
	var body struct {
		ParentReference *struct {
			ID string `json:"id"`
		} `json:"parentReference"`
		Name string `json:"name"`
	}
	if e := readDriveBody(r, &body); e != nil {
		e.write(w)
		return
	}
	st := s.drives
	st.mu.Lock()
	m, e := func() (map[string]any, *gErr) {
		if !it.deleted {
			return nil, errInvalid("The item is not in the recycle bin.")
		}
		parent := st.items[it.parentID]
		if body.ParentReference != nil {
			parent = st.items[body.ParentReference.ID]
			if parent == nil || parent.driveID != d.id || !parent.folder {
				return nil, errInvalid("The parentReference does not name a folder of the drive.")
			}
		}
		if !st.liveLocked(parent) {
			return nil, &gErr{http.StatusConflict, "invalidRequest", "The item's original folder is gone; restore it with a parentReference."}
		}
		name := cmp.Or(body.Name, it.name)
		if st.childLocked(parent, name) != nil {
			return nil, &gErr{http.StatusConflict, "nameAlreadyExists", "The specified item name already exists. Name: " + name}
		}
		if parent.id != it.parentID {
			st.moveLocked(it, parent)
		}
		it.deleted, it.name = false, name
		st.touchLocked(it, who, s.now())
		st.changedLocked(parent)
		return s.itemJSONLocked(d, it), nil
	}()
	st.mu.Unlock()
	if e != nil {
		e.write(w)
		return
	}
	m["@odata.context"] = s.metadataURL(itemSet(d), nil) + "/$entity"
	writeGraphJSON(w, http.StatusOK, m)
}

func (s *Server) searchItems(w http.ResponseWriter, r *http.Request, d *gDrive, it *gItem, op string) {
	q, ok := functionArg(op, "search", "q")
	if !ok {
		errInvalid("Invalid search expression: " + op).write(w)
		return
	}
	q = strings.ToLower(q)
	st := s.drives
	st.mu.Lock()
	var items []map[string]any
	var walk func(*gItem)
	walk = func(f *gItem) {
		for _, c := range st.liveChildrenLocked(f) {
			if strings.Contains(strings.ToLower(c.name), q) || (c.description != "" && strings.Contains(strings.ToLower(c.description), q)) ||
				(c.data != nil && c.data.Size() <= 1<<20 && strings.HasPrefix(c.mime, "text/") && strings.Contains(strings.ToLower(string(c.data.Bytes())), q)) {
				m := s.itemJSONLocked(d, c)
				m["searchResult"] = map[string]any{"onClickTelemetryUrl": m["webUrl"]}
				items = append(items, m)
			}
			if c.folder {
				walk(c)
			}
		}
	}
	walk(it)
	st.mu.Unlock()
	s.serveCollection(w, r, items, driveCollection(itemSet(d)))
}

// functionArg reads the argument of name(arg='value') (quotes doubled
// inside), also accepting name(arg=value).
func functionArg(seg, fn, arg string) (string, bool) {
	inner, ok := strings.CutPrefix(seg, fn+"(")
	if !ok || !strings.HasSuffix(inner, ")") {
		return "", false
	}
	inner = strings.TrimSuffix(inner, ")")
	val, ok := strings.CutPrefix(inner, arg+"=")
	if !ok {
		return "", false
	}
	if strings.HasPrefix(val, "'") && strings.HasSuffix(val, "'") && len(val) >= 2 {
		return strings.ReplaceAll(val[1:len(val)-1], "''", "'"), true
	}
	return val, true
}

func (s *Server) serveRecent(w http.ResponseWriter, r *http.Request, who identity, d *gDrive) {
	st := s.drives
	st.mu.Lock()
	if st.roleLocked(who, d, st.items[d.rootID], s.now()) != "owner" {
		st.mu.Unlock()
		errDenied().write(w)
		return
	}
	var files []*gItem
	for _, it := range st.items {
		if it.driveID == d.id && it.data != nil && st.liveLocked(it) {
			files = append(files, it)
		}
	}
	slices.SortFunc(files, func(a, b *gItem) int { return cmp.Or(b.modified.Compare(a.modified), cmp.Compare(b.seq, a.seq)) })
	items := make([]map[string]any, 0, len(files))
	for _, it := range files {
		m := s.itemJSONLocked(d, it)
		m["fileSystemInfo"].(map[string]any)["lastAccessedDateTime"] = driveTime(it.modified)
		items = append(items, m)
	}
	st.mu.Unlock()
	s.serveCollection(w, r, items, driveCollection(itemSet(d)))
}

func (s *Server) serveSharedWithMe(w http.ResponseWriter, r *http.Request, who identity) {
	st := s.drives
	st.mu.Lock()
	var shared []*gItem
	for _, it := range st.items {
		if !st.liveLocked(it) {
			continue
		}
		for _, p := range it.perms {
			if p.grantee.id == who.id && !who.app && !p.expired(s.now()) {
				shared = append(shared, it)
				break
			}
		}
	}
	slices.SortFunc(shared, func(a, b *gItem) int { return cmp.Compare(a.seq, b.seq) })
	items := make([]map[string]any, 0, len(shared))
	for _, it := range shared {
		d := st.drives[it.driveID]
		full := s.itemJSONLocked(d, it)
		remote := map[string]any{"parentReference": map[string]any{"driveId": d.id, "driveType": d.driveType, "id": it.parentID}}
		for _, k := range []string{"id", "name", "size", "file", "folder", "webUrl", "createdBy", "createdDateTime",
			"lastModifiedBy", "lastModifiedDateTime", "fileSystemInfo", "shared"} {
			if v, ok := full[k]; ok {
				remote[k] = v
			}
		}
		items = append(items, map[string]any{
			"id": it.id, "name": it.name, "size": full["size"], "webUrl": full["webUrl"],
			"createdDateTime": full["createdDateTime"], "lastModifiedDateTime": full["lastModifiedDateTime"],
			"remoteItem": remote,
		})
	}
	st.mu.Unlock()
	s.serveCollection(w, r, items, driveCollection("Collection(driveItem)"))
}

func sortDrives(ds []*gDrive) {
	slices.SortFunc(ds, func(a, b *gDrive) int { return cmp.Or(a.created.Compare(b.created), cmp.Compare(a.id, b.id)) })
}

// mimeOf guesses a MIME type from the extension, from a fixed table so
// answers do not depend on the machine's MIME database.
func mimeOf(name string) string {
	if t, ok := mimeTypes[strings.ToLower(path.Ext(name))]; ok {
		return t
	}
	return "application/octet-stream"
}

var mimeTypes = map[string]string{
	".txt": "text/plain", ".md": "text/markdown", ".csv": "text/csv", ".html": "text/html", ".htm": "text/html",
	".json": "application/json", ".xml": "application/xml", ".pdf": "application/pdf", ".zip": "application/zip",
	".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
	".mp4": "video/mp4", ".mp3": "audio/mpeg", ".rtf": "application/rtf",
	".doc":  "application/msword",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xls":  "application/vnd.ms-excel",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".ppt":  "application/vnd.ms-powerpoint",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
