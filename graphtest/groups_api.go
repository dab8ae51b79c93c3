package graphtest

// The /groups API: list (OData engine, ConsistencyLevel rules of the
// directory), get, create, update, delete; members and owners, listed as
// directory objects and changed through $ref; a group's own memberships.
//
// Rules the emulator follows, as Graph does:
//
//   - Scopes: a delegated caller reads groups, members and owners with
//     GroupMember.Read.All, Group.Read.All, Directory.Read.All or their
//     ReadWrite forms; creates, updates and deletes groups with
//     Group.ReadWrite.All or Directory.ReadWrite.All; changes members and
//     owners with GroupMember.ReadWrite.All, Group.ReadWrite.All or
//     Directory.ReadWrite.All. App-only callers may do all of it.
//     Refusals are 403 Authorization_RequestDenied.
//   - An unknown group is 404 Request_ResourceNotFound. Adding a member
//     or owner that is one already is 400 Request_BadRequest "One or more
//     added object references already exist for the following modified
//     properties: 'members'."; removing one that is not is 404.
//   - Creating needs displayName, mailNickname, mailEnabled and
//     securityEnabled; a Microsoft 365 group gets mail
//     {mailNickname}@{the tenant's domain} (the caller's, or
//     contoso.onmicrosoft.com), which must be unique, a drive, a
//     calendar and a mailbox for conversations. Without owners, a
//     delegated caller becomes the owner.

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// groupReadScopes are the delegated scopes that read groups, members and
// owners.
var groupReadScopes = []string{"GroupMember.Read.All", "Group.Read.All", "Directory.Read.All",
	"GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"}

// groupWriteScopes create, update and delete groups.
var groupWriteScopes = []string{"Group.ReadWrite.All", "Directory.ReadWrite.All"}

// groupMemberWriteScopes change members and owners.
var groupMemberWriteScopes = []string{"GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"}

// groupsCollection pages as /groups does: like /users.
var groupsCollection = func() collection {
	c := usersCollection
	c.entitySet = "groups"
	return c
}()

// directoryObjectsCollection pages members, owners and memberships.
var directoryObjectsCollection = func() collection {
	c := usersCollection
	c.entitySet = "directoryObjects"
	return c
}()

func (s *Server) groupRoutes() []route {
	return append([]route{
		{"GET /v1.0/groups", s.listGroups},
		{"POST /v1.0/groups", s.createGroup},
		{"GET /v1.0/groups/{gid}", s.getGroup},
		{"PATCH /v1.0/groups/{gid}", s.updateGroup},
		{"DELETE /v1.0/groups/{gid}", s.deleteGroup},
		{"GET /v1.0/groups/{gid}/members", s.listGroupObjects("members", false)},
		{"GET /v1.0/groups/{gid}/transitiveMembers", s.listGroupObjects("members", true)},
		{"GET /v1.0/groups/{gid}/owners", s.listGroupObjects("owners", false)},
		{"POST /v1.0/groups/{gid}/members/$ref", s.addGroupRef("members")},
		{"POST /v1.0/groups/{gid}/owners/$ref", s.addGroupRef("owners")},
		{"DELETE /v1.0/groups/{gid}/members/{oid}/$ref", s.removeGroupRef("members")},
		{"DELETE /v1.0/groups/{gid}/owners/{oid}/$ref", s.removeGroupRef("owners")},
		{"GET /v1.0/groups/{gid}/memberOf", s.listGroupMemberOf(false)},
		{"GET /v1.0/groups/{gid}/transitiveMemberOf", s.listGroupMemberOf(true)},
	}, s.groupContentRoutes()...)
}

// groupScopesAllow answers 403 unless the caller is app-only or its token
// grants one of scopes.
func groupScopesAllow(w http.ResponseWriter, r *http.Request, scopes []string) bool {
	c := callerOf(r)
	if c.appOnly() || hasScope(c, scopes...) {
		return true
	}
	writeGraphError(w, http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
	return false
}

// requestedGroup returns a copy of the group r names by {gid}, answering 404
// itself when there is none.
func (s *Server) requestedGroup(w http.ResponseWriter, r *http.Request) (Group, bool) {
	id := r.PathValue("gid")
	s.mu.Lock()
	g := s.groupLocked(id)
	var out Group
	if g != nil {
		out = g.clone()
	}
	s.mu.Unlock()
	if g == nil {
		directoryNotFound(w, id)
		return Group{}, false
	}
	return out, true
}

func (s *Server) listGroups(w http.ResponseWriter, r *http.Request) {
	if !groupScopesAllow(w, r, groupReadScopes) {
		return
	}
	s.mu.Lock()
	items := make([]map[string]any, 0, len(s.groups))
	for _, g := range s.groups {
		items = append(items, groupJSON(g))
	}
	s.mu.Unlock()
	s.serveCollection(w, r, items, groupsCollection)
}

func (s *Server) getGroup(w http.ResponseWriter, r *http.Request) {
	if !groupScopesAllow(w, r, groupReadScopes) {
		return
	}
	g, ok := s.requestedGroup(w, r)
	if !ok {
		return
	}
	s.serveEntity(w, r, groupJSON(&g), "groups")
}

// objectJSONLocked is the directory object with id as members and owners
// list it, or nil when there is none.
func (s *Server) objectJSONLocked(id string) map[string]any {
	if u := s.userLocked(id); u != nil {
		return directoryObjectJSON(u)
	}
	if g := s.groupLocked(id); g != nil {
		return groupObjectJSON(g)
	}
	return nil
}

// listGroupObjects answers a group's members (rel "members") or owners,
// with transitive the members of nested groups too.
func (s *Server) listGroupObjects(rel string, transitive bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !groupScopesAllow(w, r, groupReadScopes) {
			return
		}
		g, ok := s.requestedGroup(w, r)
		if !ok {
			return
		}
		s.mu.Lock()
		ids := g.Owners
		if rel == "members" {
			ids = g.Members
			if transitive {
				ids = s.transitiveMembersLocked(g.ID)
			}
		}
		var items []map[string]any
		for _, id := range ids {
			if m := s.objectJSONLocked(id); m != nil {
				items = append(items, m)
			}
		}
		s.mu.Unlock()
		s.serveCollection(w, r, items, directoryObjectsCollection)
	}
}

// transitiveMembersLocked returns the ids of the members of group and of
// every group nested in it, each once, nested groups included.
func (s *Server) transitiveMembersLocked(groupID string) []string {
	var out []string
	seen := map[string]bool{groupID: true}
	frontier := []string{groupID}
	for len(frontier) > 0 {
		g := s.groupLocked(frontier[0])
		frontier = frontier[1:]
		if g == nil {
			continue
		}
		for _, id := range g.Members {
			if seen[id] {
				continue
			}
			seen[id] = true
			out = append(out, id)
			if s.groupLocked(id) != nil {
				frontier = append(frontier, id)
			}
		}
	}
	return out
}

func (s *Server) listGroupMemberOf(transitive bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !groupScopesAllow(w, r, groupReadScopes) {
			return
		}
		g, ok := s.requestedGroup(w, r)
		if !ok {
			return
		}
		s.mu.Lock()
		var items []map[string]any
		for _, x := range s.memberOfLocked(g.ID, transitive) {
			items = append(items, groupObjectJSON(x))
		}
		s.mu.Unlock()
		s.serveCollection(w, r, items, directoryObjectsCollection)
	}
}

// directoryObjectIDFromURL reads the directory object id at the end of an
// @odata.id or @odata.bind URL: …/directoryObjects/{id}, …/users/{id},
// …/groups/{id}.
func directoryObjectIDFromURL(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", false
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(segs) < 2 {
		return "", false
	}
	switch segs[len(segs)-2] {
	case "directoryObjects", "users", "groups":
		return segs[len(segs)-1], true
	}
	return "", false
}

func (s *Server) addGroupRef(rel string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !groupScopesAllow(w, r, groupMemberWriteScopes) {
			return
		}
		body, ok := readJSONObject(w, r, 1<<16)
		if !ok {
			return
		}
		ref, _ := body["@odata.id"].(string)
		oid, ok := directoryObjectIDFromURL(ref)
		if !ok {
			writeGraphError(w, http.StatusBadRequest, "Request_BadRequest",
				"Invalid object identifier '"+ref+"'.")
			return
		}
		id := r.PathValue("gid")
		s.mu.Lock()
		g := s.groupLocked(id)
		var status int
		var code, msg string
		switch {
		case g == nil:
			status, code, msg = http.StatusNotFound, "Request_ResourceNotFound", "Resource '"+id+"' does not exist or one of its queried reference-property objects are not present."
		case s.userLocked(oid) == nil && (rel == "owners" || s.groupLocked(oid) == nil):
			status, code, msg = http.StatusNotFound, "Request_ResourceNotFound", "Resource '"+oid+"' does not exist or one of its queried reference-property objects are not present."
		default:
			obj := oid
			if u := s.userLocked(oid); u != nil {
				obj = u.ID
			} else {
				obj = s.groupLocked(oid).ID
			}
			list := &g.Members
			if rel == "owners" {
				list = &g.Owners
			}
			switch {
			case slices.Contains(*list, obj):
				status, code, msg = http.StatusBadRequest, "Request_BadRequest",
					"One or more added object references already exist for the following modified properties: '"+rel+"'."
			case obj == g.ID:
				status, code, msg = http.StatusBadRequest, "Request_BadRequest", "A group cannot be a member of itself."
			default:
				*list = append(*list, obj)
			}
		}
		s.mu.Unlock()
		if status != 0 {
			writeGraphError(w, status, code, msg)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) removeGroupRef(rel string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !groupScopesAllow(w, r, groupMemberWriteScopes) {
			return
		}
		id, oid := r.PathValue("gid"), r.PathValue("oid")
		s.mu.Lock()
		g := s.groupLocked(id)
		found := false
		lastOwner := false
		if g != nil {
			list := &g.Members
			if rel == "owners" {
				list = &g.Owners
			}
			i := slices.Index(*list, oid)
			if i < 0 {
				if u := s.userLocked(oid); u != nil {
					i = slices.Index(*list, u.ID)
				}
			}
			lastOwner = rel == "owners" && i >= 0 && len(*list) == 1 && g.unified()
			if i >= 0 && !lastOwner {
				*list = slices.Delete(*list, i, i+1)
				found = true
			}
		}
		s.mu.Unlock()
		switch {
		case g == nil:
			directoryNotFound(w, id)
		case lastOwner:
			writeGraphError(w, http.StatusBadRequest, "Request_BadRequest",
				"The group must have at least one owner, hence this owner cannot be removed.")
		case !found:
			directoryNotFound(w, oid)
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	}
}

func (s *Server) createGroup(w http.ResponseWriter, r *http.Request) {
	if !groupScopesAllow(w, r, groupWriteScopes) {
		return
	}
	body, ok := readJSONObject(w, r, 1<<20)
	if !ok {
		return
	}
	bad := func(msg string) { writeGraphError(w, http.StatusBadRequest, "Request_BadRequest", msg) }
	invalid := func(prop string) { bad("Invalid value specified for property '" + prop + "' of resource 'Group'.") }
	var g Group
	var ok1, ok2 bool
	g.DisplayName, _ = body["displayName"].(string)
	g.MailNickname, _ = body["mailNickname"].(string)
	g.MailEnabled, ok1 = body["mailEnabled"].(bool)
	g.SecurityEnabled, ok2 = body["securityEnabled"].(bool)
	g.Description, _ = body["description"].(string)
	g.Visibility, _ = body["visibility"].(string)
	g.Classification, _ = body["classification"].(string)
	g.PreferredLanguage, _ = body["preferredLanguage"].(string)
	switch {
	case strings.TrimSpace(g.DisplayName) == "":
		invalid("displayName")
		return
	case g.MailNickname == "" || strings.ContainsAny(g.MailNickname, ` @()\[]";:.<>,`):
		invalid("mailNickname")
		return
	case !ok1:
		invalid("mailEnabled")
		return
	case !ok2:
		invalid("securityEnabled")
		return
	}
	if types, ok := body["groupTypes"].([]any); ok {
		for _, t := range types {
			if s, ok := t.(string); ok {
				g.GroupTypes = append(g.GroupTypes, s)
			}
		}
	}
	if g.unified() && g.Visibility == "" {
		g.Visibility = "Public"
	}
	c := callerOf(r)
	binds := func(key string) ([]string, bool) {
		var ids []string
		list, _ := body[key].([]any)
		for _, v := range list {
			ref, _ := v.(string)
			id, ok := directoryObjectIDFromURL(ref)
			if !ok {
				bad("Invalid object identifier '" + ref + "'.")
				return nil, false
			}
			ids = append(ids, id)
		}
		return ids, true
	}
	if g.Owners, ok = binds("owners@odata.bind"); !ok {
		return
	}
	if g.Members, ok = binds("members@odata.bind"); !ok {
		return
	}
	if len(g.Owners) == 0 && !c.appOnly() {
		g.Owners = []string{c.userID}
	}
	s.mu.Lock()
	if g.MailEnabled {
		domain := "contoso.onmicrosoft.com"
		if _, d, ok := strings.Cut(c.upn, "@"); ok {
			domain = d
		}
		g.Mail = g.MailNickname + "@" + domain
	}
	taken := g.Mail != "" && s.groupLocked(g.Mail) != nil
	s.mu.Unlock()
	if taken {
		bad("Another object with the same value for property proxyAddresses already exists.")
		return
	}
	stored, err := s.AddGroup(g)
	if err != nil {
		bad(strings.TrimPrefix(err.Error(), "graphtest: "))
		return
	}
	s.writeEntity(w, http.StatusCreated, groupJSON(&stored), "groups")
}

// groupPatchable are the properties PATCH /groups/{id} changes.
var groupPatchable = []string{"displayName", "description", "visibility", "classification", "preferredLanguage", "mailNickname"}

func (s *Server) updateGroup(w http.ResponseWriter, r *http.Request) {
	if !groupScopesAllow(w, r, groupWriteScopes) {
		return
	}
	body, ok := readJSONObject(w, r, 1<<20)
	if !ok {
		return
	}
	for k, v := range body {
		if _, isString := v.(string); !slices.Contains(groupPatchable, k) || !isString {
			writeGraphError(w, http.StatusBadRequest, "Request_BadRequest",
				"Invalid value specified for property '"+k+"' of resource 'Group'.")
			return
		}
	}
	if name, ok := body["displayName"].(string); ok && strings.TrimSpace(name) == "" {
		writeGraphError(w, http.StatusBadRequest, "Request_BadRequest", "Invalid value specified for property 'displayName' of resource 'Group'.")
		return
	}
	id := r.PathValue("gid")
	s.mu.Lock()
	g := s.groupLocked(id)
	if g != nil {
		for k, v := range body {
			val := v.(string)
			switch k {
			case "displayName":
				g.DisplayName = val
			case "description":
				g.Description = val
			case "visibility":
				g.Visibility = val
			case "classification":
				g.Classification = val
			case "preferredLanguage":
				g.PreferredLanguage = val
			case "mailNickname":
				g.MailNickname = val
			}
		}
	}
	s.mu.Unlock()
	if g == nil {
		directoryNotFound(w, id)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) deleteGroup(w http.ResponseWriter, r *http.Request) {
	if !groupScopesAllow(w, r, groupWriteScopes) {
		return
	}
	id := r.PathValue("gid")
	s.mu.Lock()
	g := s.groupLocked(id)
	if g != nil {
		s.groups = slices.DeleteFunc(s.groups, func(x *Group) bool { return x == g })
		for _, x := range s.groups {
			x.Members = slices.DeleteFunc(x.Members, func(m string) bool { return m == g.ID })
		}
	}
	s.mu.Unlock()
	if g == nil {
		directoryNotFound(w, id)
		return
	}
	s.groupData.forget(g.ID)
	w.WriteHeader(http.StatusNoContent)
}

// groupDefaults are the default properties of a group that the emulator
// does not keep, as Graph sends them for a cloud group.
func groupDefaults(g *Group, m map[string]any) {
	proxies := []any{}
	if g.Mail != "" {
		proxies = append(proxies, "SMTP:"+g.Mail)
	}
	m["proxyAddresses"] = proxies
	m["renewedDateTime"] = g.CreatedDateTime.UTC().Format(time.RFC3339)
	m["deletedDateTime"] = nil
	m["expirationDateTime"] = nil
	m["isAssignableToRole"] = nil
	m["membershipRule"] = nil
	m["membershipRuleProcessingState"] = nil
	m["onPremisesDomainName"] = nil
	m["onPremisesLastSyncDateTime"] = nil
	m["onPremisesNetBiosName"] = nil
	m["onPremisesSamAccountName"] = nil
	m["onPremisesSecurityIdentifier"] = nil
	m["onPremisesSyncEnabled"] = nil
	m["onPremisesProvisioningErrors"] = []any{}
	m["preferredDataLocation"] = nil
	m["preferredLanguage"] = nullable(g.PreferredLanguage)
	m["resourceBehaviorOptions"] = []any{}
	m["resourceProvisioningOptions"] = []any{}
	m["securityIdentifier"] = "S-1-12-1-" + groupSIDOf(g.ID)
	m["theme"] = nil
}

// groupSIDOf derives a stable security identifier tail from a group id.
func groupSIDOf(id string) string {
	var h uint32 = 2166136261
	for i := 0; i < len(id); i++ {
		h = (h ^ uint32(id[i])) * 16777619
	}
	parts := make([]string, 4)
	for i := range parts {
		h = h*1664525 + 1013904223
		parts[i] = strconv.FormatUint(uint64(h), 10)
	}
	return strings.Join(parts, "-")
}
