package graphtest

// OneDrive and SharePoint document libraries.
//
// Drives hold items (files and folders) in a tree; files hold real bytes
// (see internal/blockstore). A user's OneDrive is provisioned the first time
// it is asked for; group drives come from AddGroupDrive, site libraries
// from sites (sites.go). Every change to an item bumps a store-wide
// sequence number, which is what delta tokens are.
//
// Access: a user reaches their own drive; any user of the tenant reaches
// group and site drives (the emulator has no membership); another user's
// items only where a permission (Invite) grants it, on the item or a
// folder above. App-only callers reach everything.
//
// Downloads answer 302 to the storage host (drive_storage.go) with a
// short-lived signed token in the URL; upload sessions and copy monitors
// live there too.

import (
	"crypto/rand"
	"encoding/base32"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-o365/o365/graphtest/internal/blockstore"
)

// driveStore holds the emulated drives, items, sites and the state of
// upload sessions and copies. Its mutex guards everything but blocks,
// which has its own leaf lock.
type driveStore struct {
	mu         sync.Mutex
	key        []byte // signs download tokens
	drives     map[string]*gDrive
	userDrives map[string]string // user id -> drive id
	items      map[string]*gItem
	sessions   map[string]*uploadSession // by token
	jobs       map[string]*copyJob       // by token
	links      map[string]linkRef        // sharing link token -> permission
	seq        int64                     // last change number (delta tokens)
	copyPolls  int                       // polls a copy stays in progress
	faults     []Fault                   // for the storage host
	log        []Request                 // storage host requests
	sites      *siteStore
	blocks     *blockstore.Store

	// Change notifications, published by flush from a goroutine.
	publish  func([]notifyChange)
	pending  []notifyChange
	flushing bool
}

func newDriveStore() *driveStore {
	key := make([]byte, 32)
	rand.Read(key)
	return &driveStore{
		key:        key,
		drives:     map[string]*gDrive{},
		userDrives: map[string]string{},
		items:      map[string]*gItem{},
		sessions:   map[string]*uploadSession{},
		jobs:       map[string]*copyJob{},
		links:      map[string]linkRef{},
		copyPolls:  2,
		sites:      newSiteStore(),
		blocks:     blockstore.New(),
	}
}

// identity is who did something, as identitySet JSON shows it.
type identity struct {
	id, name, email string
	app             bool
	clientID        string // the app the caller signed in with
}

func (id identity) set() map[string]any {
	if id.id == "" {
		return nil
	}
	inner := map[string]any{"id": id.id, "displayName": id.name}
	if id.app {
		return map[string]any{"application": inner}
	}
	if id.email != "" {
		inner["email"] = id.email
	}
	return map[string]any{"user": inner}
}

type gDrive struct {
	id, name, description string
	driveType             string // business, documentLibrary
	owner                 identity
	ownerKind             string // user, group, site
	ownerID               string
	rootID                string
	siteID, listID        string // a site's document library
	created               time.Time
	webURL                string
	minDelta              int64 // delta tokens below are expired
}

type gItem struct {
	id, driveID, parentID string
	name, description     string
	folder                bool
	children              []*gItem            // folders, in creation order
	special               string              // special folder name
	data                  *blockstore.Content // files
	mime                  string
	created, modified     time.Time
	createdBy, modifiedBy identity
	version               int // eTag counter
	ctag                  int // cTag counter (content changes)
	deleted               bool
	seq                   int64
	versions              []*gVersion // earlier contents, oldest first
	perms                 []*gPermission
}

type gVersion struct {
	data     *blockstore.Content
	modified time.Time
	by       identity
}

// gErr is a Graph error answer.
type gErr struct {
	status        int
	code, message string
}

func (e *gErr) write(w http.ResponseWriter) { writeGraphError(w, e.status, e.code, e.message) }

func errNotFound() *gErr {
	return &gErr{http.StatusNotFound, "itemNotFound", "The resource could not be found."}
}

func errDenied() *gErr {
	return &gErr{http.StatusForbidden, "accessDenied", "Access denied"}
}

func errInvalid(msg string) *gErr {
	return &gErr{http.StatusBadRequest, "invalidRequest", msg}
}

// newItemID makes an id shaped like OneDrive for Business ids.
func newDriveItemID() string {
	var b [20]byte
	rand.Read(b[:])
	return "01" + base32.StdEncoding.EncodeToString(b[:])[:32]
}

func newDriveID() string {
	var b [40]byte
	rand.Read(b[:])
	return "b!" + strings.TrimRight(base32.StdEncoding.EncodeToString(b[:]), "=")[:64]
}

func (s *Server) driveRoutes() []route {
	h := s.serveDrivePath
	list := s.listOwnerDrives
	return append([]route{
		{"/v1.0/me/drive", h},
		{"/v1.0/me/drive/{rest...}", h},
		{"GET /v1.0/me/drives", list},
		{"/v1.0/users/{owner}/drive", h},
		{"/v1.0/users/{owner}/drive/{rest...}", h},
		{"GET /v1.0/users/{owner}/drives", list},
		{"/v1.0/groups/{owner}/drive", h},
		{"/v1.0/groups/{owner}/drive/{rest...}", h},
		{"GET /v1.0/groups/{owner}/drives", list},
		{"/v1.0/drives/{drive}", h},
		{"/v1.0/drives/{drive}/{rest...}", h},
	}, s.siteRoutes()...)
}

// escapedSegments splits the request path as sent, so escaped ':' and
// '/' inside names stay data; the leading "v1.0" is dropped.
func escapedSegments(r *http.Request) []string {
	segs := strings.Split(strings.Trim(r.URL.EscapedPath(), "/"), "/")
	if len(segs) > 0 && segs[0] == "v1.0" {
		segs = segs[1:]
	}
	return segs
}

// callerIdentity resolves who the caller is for createdBy and access
// checks. It takes s.mu.
func (s *Server) callerIdentity(c caller) identity {
	if c.appOnly() {
		return identity{id: c.clientID, name: c.clientID, app: true, clientID: c.clientID}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userLocked(c.userID)
	if u == nil {
		return identity{id: c.userID, name: c.upn, email: c.upn, clientID: c.clientID}
	}
	return identity{id: u.ID, name: u.DisplayName, email: u.UserPrincipalName, clientID: c.clientID}
}

// lookupUser finds a user by id or user principal name. It takes s.mu.
func (s *Server) lookupUser(idOrUPN string) (identity, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userLocked(idOrUPN)
	if u == nil {
		return identity{}, false
	}
	return identity{id: u.ID, name: u.DisplayName, email: u.UserPrincipalName}, true
}

// serveDrivePath answers every request below /me/drive, /users/{id}/drive,
// /groups/{id}/drive and /drives/{id}.
func (s *Server) serveDrivePath(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	segs := escapedSegments(r)
	who := s.callerIdentity(c)
	var (
		d    *gDrive
		rest []string
	)
	switch segs[0] {
	case "me", "users":
		var user identity
		if segs[0] == "me" {
			if c.appOnly() {
				writeGraphError(w, http.StatusBadRequest, "BadRequest", "/me request is only valid with delegated authentication flow.")
				return
			}
			user, rest = who, segs[2:]
		} else {
			u, ok := s.lookupUser(r.PathValue("owner"))
			if !ok {
				writeGraphError(w, http.StatusNotFound, "itemNotFound", "The user or drive could not be found.")
				return
			}
			user, rest = u, segs[3:]
		}
		s.drives.mu.Lock()
		d = s.drives.userDriveLocked(user, s.now())
		s.drives.mu.Unlock()
	case "groups":
		s.drives.mu.Lock()
		d = s.drives.ownedDriveLocked("group", r.PathValue("owner"))
		s.drives.mu.Unlock()
		rest = segs[3:]
	default: // drives
		id, _ := url.PathUnescape(segs[1])
		s.drives.mu.Lock()
		d = s.drives.drives[id]
		s.drives.mu.Unlock()
		rest = segs[2:]
	}
	if d == nil {
		errNotFound().write(w)
		return
	}
	if s.groupDriveClosed(c, d) {
		errDenied().write(w)
		return
	}
	s.serveDrive(w, r, who, d, rest)
}

// groupDriveClosed reports whether d is the drive of a private group c is
// outside of: Graph answers such a caller 403, as for the group's
// conversations and calendar. It takes s.mu.
func (s *Server) groupDriveClosed(c caller, d *gDrive) bool {
	if d.ownerKind != "group" {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groupLocked(d.ownerID)
	return g != nil && s.shutOutLocked(g, c)
}

// userDriveLocked returns the user's OneDrive, provisioning it.
func (st *driveStore) userDriveLocked(u identity, now time.Time) *gDrive {
	if id, ok := st.userDrives[u.id]; ok {
		return st.drives[id]
	}
	slug := strings.NewReplacer("@", "_", ".", "_").Replace(strings.ToLower(u.email))
	d := st.newDriveLocked(gDrive{
		name:      "OneDrive",
		driveType: "business",
		owner:     u,
		ownerKind: "user",
		ownerID:   u.id,
		webURL:    "https://contoso-my.sharepoint.com/personal/" + slug + "/Documents",
	}, now)
	st.userDrives[u.id] = d.id
	return d
}

// ownedDriveLocked finds the first drive of a group or site.
func (st *driveStore) ownedDriveLocked(kind, ownerID string) *gDrive {
	for _, d := range st.ownedDrivesLocked(kind, ownerID) {
		return d
	}
	return nil
}

func (st *driveStore) ownedDrivesLocked(kind, ownerID string) []*gDrive {
	var out []*gDrive
	for _, d := range st.drives {
		if d.ownerKind == kind && strings.EqualFold(d.ownerID, ownerID) {
			out = append(out, d)
		}
	}
	sortDrives(out)
	return out
}

// newDriveLocked stores a drive with its root folder.
func (st *driveStore) newDriveLocked(d gDrive, now time.Time) *gDrive {
	d.id = newDriveID()
	d.created = now
	root := &gItem{id: newDriveItemID(), driveID: d.id, name: "root", folder: true,
		created: now, modified: now, createdBy: d.owner, modifiedBy: d.owner}
	st.seq++
	root.seq = st.seq
	st.items[root.id] = root
	d.rootID = root.id
	st.drives[d.id] = &d
	return &d
}

func (s *Server) listOwnerDrives(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	segs := escapedSegments(r)
	var drives []*gDrive
	switch segs[0] {
	case "me", "users":
		user := s.callerIdentity(c)
		if segs[0] == "me" && c.appOnly() {
			writeGraphError(w, http.StatusBadRequest, "BadRequest", "/me request is only valid with delegated authentication flow.")
			return
		}
		if segs[0] == "users" {
			u, ok := s.lookupUser(r.PathValue("owner"))
			if !ok {
				writeGraphError(w, http.StatusNotFound, "itemNotFound", "The user could not be found.")
				return
			}
			if !c.appOnly() && u.id != c.userID {
				errDenied().write(w)
				return
			}
			user = u
		}
		s.drives.mu.Lock()
		drives = []*gDrive{s.drives.userDriveLocked(user, s.now())}
		s.drives.mu.Unlock()
	case "groups":
		s.drives.mu.Lock()
		drives = s.drives.ownedDrivesLocked("group", r.PathValue("owner"))
		s.drives.mu.Unlock()
		if len(drives) > 0 && s.groupDriveClosed(c, drives[0]) {
			errDenied().write(w)
			return
		}
	}
	s.serveDriveList(w, r, drives)
}

func (s *Server) serveDriveList(w http.ResponseWriter, r *http.Request, drives []*gDrive) {
	s.drives.mu.Lock()
	items := make([]map[string]any, 0, len(drives))
	for _, d := range drives {
		items = append(items, s.drives.driveJSONLocked(d))
	}
	s.drives.mu.Unlock()
	s.serveCollection(w, r, items, driveCollection("drives"))
}

// driveJSONLocked is a drive as Graph shows it.
func (st *driveStore) driveJSONLocked(d *gDrive) map[string]any {
	var used, deleted int64
	for _, it := range st.items {
		if it.driveID == d.id && it.data != nil {
			if st.liveLocked(it) {
				used += it.data.Size()
			} else {
				deleted += it.data.Size()
			}
		}
	}
	const total = 1 << 40
	m := map[string]any{
		"id":                   d.id,
		"name":                 d.name,
		"description":          d.description,
		"driveType":            d.driveType,
		"createdDateTime":      driveTime(d.created),
		"lastModifiedDateTime": driveTime(d.created),
		"webUrl":               d.webURL,
		"owner":                d.owner.set(),
		"createdBy":            d.owner.set(),
		"quota": map[string]any{
			"deleted": deleted, "remaining": total - used, "state": "normal", "total": total, "used": used,
		},
	}
	if d.ownerKind == "group" {
		m["owner"] = map[string]any{"group": map[string]any{"id": d.owner.id, "displayName": d.owner.name}}
	}
	return m
}

func driveTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
