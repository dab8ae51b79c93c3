package graphtest

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// gPermission is a sharing permission on an item.
type gPermission struct {
	id            string
	roles         []string
	grantee       identity // the user it grants access to (invitations of known users)
	email         string   // an invitation to an address that is not a user
	invitedBy     identity
	requireSignIn bool
	linkType      string // view, edit, embed
	linkScope     string // anonymous, organization, users
	linkToken     string
	password      string
	expires       time.Time
}

func (p *gPermission) expired(now time.Time) bool { return !p.expires.IsZero() && now.After(p.expires) }

// linkRef finds the permission behind a sharing link token.
type linkRef struct{ itemID, permID string }

// sharedScope is the widest scope among an item's permissions.
func sharedScope(perms []*gPermission) string {
	scope := "users"
	for _, p := range perms {
		switch p.linkScope {
		case "anonymous":
			return "anonymous"
		case "organization":
			scope = "organization"
		}
	}
	return scope
}

// permJSONLocked is a permission as Graph shows it; from is the folder it
// is inherited from, nil for the item's own.
func (s *Server) permJSONLocked(d *gDrive, p *gPermission, from *gItem) map[string]any {
	m := map[string]any{"id": p.id, "roles": slices.Clone(p.roles)}
	if p.linkType != "" {
		link := map[string]any{"type": p.linkType, "scope": p.linkScope, "webUrl": s.storage.URL + "/s/" + p.linkToken,
			"preventsDownload": false}
		if p.invitedBy.clientID != "" {
			link["application"] = map[string]any{"id": p.invitedBy.clientID, "displayName": p.invitedBy.clientID}
		}
		if p.linkType == "embed" {
			link["webHtml"] = `<iframe src="` + s.storage.URL + "/s/" + p.linkToken + `" width="98" height="120" frameborder="0" scrolling="no"></iframe>`
		}
		m["link"] = link
	}
	m["hasPassword"] = p.password != ""
	if p.grantee.id != "" {
		m["grantedTo"] = p.grantee.set()
		m["grantedToV2"] = p.grantee.set()
	}
	if p.email != "" || p.grantee.id != "" {
		inv := map[string]any{"email": cmpOr(p.email, p.grantee.email), "signInRequired": p.requireSignIn}
		if p.invitedBy.id != "" {
			inv["invitedBy"] = p.invitedBy.set()
		}
		m["invitation"] = inv
	}
	if !p.expires.IsZero() {
		m["expirationDateTime"] = driveTime(p.expires)
	}
	if from != nil {
		m["inheritedFrom"] = map[string]any{"driveId": d.id, "id": from.id, "path": "/drives/" + d.id + "/root:" + s.drives.pathLocked(from)}
	}
	return m
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// permissionsLocked lists the item's permissions: the owner's, its own,
// and those inherited from the folders above.
func (s *Server) permissionsLocked(d *gDrive, it *gItem) []map[string]any {
	st := s.drives
	var out []map[string]any
	if d.ownerKind == "user" {
		out = append(out, map[string]any{"id": "owner", "roles": []string{"owner"},
			"grantedTo": d.owner.set(), "grantedToV2": d.owner.set()})
	}
	for cur := it; cur != nil; cur = st.items[cur.parentID] {
		from := cur
		if cur == it {
			from = nil
		}
		for _, p := range cur.perms {
			if !p.expired(s.now()) {
				out = append(out, s.permJSONLocked(d, p, from))
			}
		}
	}
	return out
}

func (s *Server) servePermissions(w http.ResponseWriter, r *http.Request, d *gDrive, it *gItem, rest []string) {
	st := s.drives
	set := itemSet(d) + "('" + it.id + "')/permissions"
	if len(rest) == 0 {
		if r.Method != http.MethodGet {
			methodNotAllowed(w)
			return
		}
		st.mu.Lock()
		items := s.permissionsLocked(d, it)
		st.mu.Unlock()
		s.serveCollection(w, r, items, driveCollection(set))
		return
	}
	if len(rest) > 1 {
		unknownSegment(w, r)
		return
	}
	id := rest[0]
	switch r.Method {
	case http.MethodGet:
		st.mu.Lock()
		var found map[string]any
		for _, m := range s.permissionsLocked(d, it) {
			if m["id"] == id {
				found = m
			}
		}
		st.mu.Unlock()
		if found == nil {
			errNotFound().write(w)
			return
		}
		s.serveEntity(w, r, found, set)
	case http.MethodPatch:
		var body struct {
			Roles   []string `json:"roles"`
			Expires *string  `json:"expirationDateTime"`
		}
		if e := readDriveBody(r, &body); e != nil {
			e.write(w)
			return
		}
		for _, role := range body.Roles {
			if role != "read" && role != "write" {
				errInvalid("Invalid role '" + role + "': roles are read or write.").write(w)
				return
			}
		}
		var expires time.Time
		if body.Expires != nil && *body.Expires != "" {
			t, err := time.Parse(time.RFC3339, *body.Expires)
			if err != nil {
				errInvalid("Invalid expirationDateTime '" + *body.Expires + "'.").write(w)
				return
			}
			expires = t
		}
		st.mu.Lock()
		m, e := func() (map[string]any, *gErr) {
			p, e := st.ownPermLocked(it, id)
			if e != nil {
				return nil, e
			}
			if body.Roles != nil {
				p.roles = slices.Clone(body.Roles)
			}
			if body.Expires != nil {
				p.expires = expires
			}
			st.changedLocked(it)
			return s.permJSONLocked(d, p, nil), nil
		}()
		st.mu.Unlock()
		if e != nil {
			e.write(w)
			return
		}
		m["@odata.context"] = s.metadataURL(set, nil) + "/$entity"
		writeGraphJSON(w, http.StatusOK, m)
	case http.MethodDelete:
		st.mu.Lock()
		p, e := st.ownPermLocked(it, id)
		if e == nil {
			it.perms = slices.DeleteFunc(it.perms, func(x *gPermission) bool { return x == p })
			delete(st.links, p.linkToken)
			st.changedLocked(it)
		}
		st.mu.Unlock()
		if e != nil {
			e.write(w)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		methodNotAllowed(w)
	}
}

// ownPermLocked finds a permission the item holds itself; inherited and
// owner permissions cannot be changed there.
func (st *driveStore) ownPermLocked(it *gItem, id string) (*gPermission, *gErr) {
	if id == "owner" {
		return nil, &gErr{http.StatusForbidden, "accessDenied", "The owner's permission cannot be changed."}
	}
	for _, p := range it.perms {
		if p.id == id {
			return p, nil
		}
	}
	for cur := st.items[it.parentID]; cur != nil; cur = st.items[cur.parentID] {
		for _, p := range cur.perms {
			if p.id == id {
				return nil, errInvalid("The permission is inherited from '" + cur.name + "'; change it there.")
			}
		}
	}
	return nil, errNotFound()
}

func (s *Server) createLink(w http.ResponseWriter, r *http.Request, who identity, d *gDrive, it *gItem) {
	var body struct {
		Type     string `json:"type"`
		Scope    string `json:"scope"`
		Expires  string `json:"expirationDateTime"`
		Password string `json:"password"`
	}
	if e := readDriveBody(r, &body); e != nil {
		e.write(w)
		return
	}
	roles := map[string]string{"view": "read", "edit": "write", "embed": "read"}
	if roles[body.Type] == "" {
		errInvalid("Invalid link type '" + body.Type + "': it must be view, edit or embed.").write(w)
		return
	}
	scope := cmpOr(body.Scope, "organization")
	if scope != "anonymous" && scope != "organization" && scope != "users" {
		errInvalid("Invalid link scope '" + scope + "'.").write(w)
		return
	}
	var expires time.Time
	if body.Expires != "" {
		t, err := time.Parse(time.RFC3339, body.Expires)
		if err != nil {
			errInvalid("Invalid expirationDateTime '" + body.Expires + "'.").write(w)
			return
		}
		expires = t
	}
	st := s.drives
	st.mu.Lock()
	status := http.StatusOK
	var p *gPermission
	for _, x := range it.perms {
		if x.linkType == body.Type && x.linkScope == scope && !x.expired(s.now()) {
			p = x
		}
	}
	if p == nil {
		status = http.StatusCreated
		p = &gPermission{id: newGUID(), roles: []string{roles[body.Type]}, linkType: body.Type, linkScope: scope,
			linkToken: randomToken(), password: body.Password, expires: expires, invitedBy: who}
		it.perms = append(it.perms, p)
		st.links[p.linkToken] = linkRef{it.id, p.id}
		st.changedLocked(it)
	}
	m := s.permJSONLocked(d, p, nil)
	st.mu.Unlock()
	m["@odata.context"] = s.GraphURL() + "/v1.0/$metadata#permission"
	writeGraphJSON(w, status, m)
}

func (s *Server) invite(w http.ResponseWriter, r *http.Request, who identity, d *gDrive, it *gItem) {
	var body struct {
		Recipients []struct {
			Email    string `json:"email"`
			ObjectID string `json:"objectId"`
		} `json:"recipients"`
		Roles         []string `json:"roles"`
		RequireSignIn bool     `json:"requireSignIn"`
		Expires       string   `json:"expirationDateTime"`
		Password      string   `json:"password"`
	}
	if e := readDriveBody(r, &body); e != nil {
		e.write(w)
		return
	}
	if len(body.Recipients) == 0 {
		errInvalid("At least one recipient is required.").write(w)
		return
	}
	if len(body.Roles) == 0 {
		errInvalid("At least one role is required.").write(w)
		return
	}
	for _, role := range body.Roles {
		if role != "read" && role != "write" {
			errInvalid("Invalid role '" + role + "': roles are read or write.").write(w)
			return
		}
	}
	var expires time.Time
	if body.Expires != "" {
		t, err := time.Parse(time.RFC3339, body.Expires)
		if err != nil {
			errInvalid("Invalid expirationDateTime '" + body.Expires + "'.").write(w)
			return
		}
		expires = t
	}
	perms := make([]*gPermission, 0, len(body.Recipients))
	for _, rc := range body.Recipients {
		p := &gPermission{id: newGUID(), roles: slices.Clone(body.Roles), requireSignIn: body.RequireSignIn,
			password: body.Password, expires: expires, invitedBy: who}
		name := cmpOr(rc.Email, rc.ObjectID)
		if u, ok := s.lookupUser(name); ok {
			p.grantee = u
		} else if strings.Contains(rc.Email, "@") {
			p.email = rc.Email
		} else {
			errInvalid("The recipient '" + name + "' could not be resolved.").write(w)
			return
		}
		perms = append(perms, p)
	}
	st := s.drives
	st.mu.Lock()
	out := make([]map[string]any, 0, len(perms))
	for _, p := range perms {
		it.perms = append(it.perms, p)
		out = append(out, s.permJSONLocked(d, p, nil))
	}
	st.changedLocked(it)
	st.mu.Unlock()
	writeGraphJSON(w, http.StatusOK, map[string]any{
		"@odata.context": s.GraphURL() + "/v1.0/$metadata#Collection(permission)",
		"value":          out,
	})
}

// serveSharingLink opens a sharing link without signing in: anonymous
// links to files answer the content; other links want a signed-in user.
func (s *Server) serveSharingLink(w http.ResponseWriter, r *http.Request) {
	st := s.drives
	st.mu.Lock()
	ref, ok := st.links[r.PathValue("token")]
	it := st.items[ref.itemID]
	var p *gPermission
	if ok && it != nil && st.liveLocked(it) {
		for _, x := range it.perms {
			if x.id == ref.permID {
				p = x
			}
		}
	}
	var tok string
	switch {
	case p == nil || p.expired(s.now()):
	case p.linkScope != "anonymous":
		tok = "signin"
	case it.data != nil && (p.password == "" || r.URL.Query().Get("password") == p.password):
		tok = st.sign(tokenContent, it.id, "", s.now())
	default:
		tok = "denied"
	}
	st.mu.Unlock()
	switch tok {
	case "":
		errNotFound().write(w)
	case "signin":
		writeGraphError(w, http.StatusUnauthorized, "unauthenticated", "This link is for people signed in to the organization.")
	case "denied":
		writeGraphError(w, http.StatusForbidden, "accessDenied", "This link needs a password, or points to a folder.")
	default:
		s.redirect(w, tok)
	}
}
