package graphtest

// SharePoint sites, lists, columns and list items.
//
// Sites live in the drive store (a site's document libraries are drives)
// under its lock. The tenant's root site is made on first use; AddSite
// adds more. Every site has a "Documents" library. Any user of the
// tenant may read and write every site: the emulator has no site
// membership.
//
// List items are filtered on their fields even when the fields are not
// expanded; like Graph, $filter and $orderby on a field that is not
// indexed need the header Prefer: HonorNonIndexedQueriesWarningMayFailRandomly.

import (
	"cmp"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultSiteHost is the SharePoint host name of the emulated tenant.
const DefaultSiteHost = "contoso.sharepoint.com"

// Site describes a SharePoint site to add with AddSite.
type Site struct {
	// ID is "{host},{site collection id},{web id}"; AddSite makes it.
	ID string
	// HostName defaults to DefaultSiteHost.
	HostName string
	// Path is the server-relative path, such as "/sites/marketing";
	// a subsite's path continues its parent's.
	Path        string
	Name        string // URL name; defaults to the last segment of Path
	DisplayName string
	Description string
	// ParentID makes the site a subsite of another.
	ParentID string
}

type siteStore struct {
	sites   []*gSite
	lookups map[string]int // user id -> SharePoint lookup id
}

func newSiteStore() *siteStore { return &siteStore{lookups: map[string]int{}} }

type gSite struct {
	Site
	collection        string
	created, modified time.Time
	lists             []*gList
}

type gList struct {
	id, name, displayName, description string
	template                           string
	siteID, driveID                    string
	columns                            []*gColumn
	items                              []*gListItem
	nextID                             int
	created, modified                  time.Time
	createdBy, modifiedBy              identity
	version                            int
}

type gColumn struct {
	id, name, displayName, description string
	kind                               string         // text, number, boolean, dateTime, choice, …
	facet                              map[string]any // the kind's properties
	indexed, readOnly, required        bool
	hidden                             bool
	group                              string
}

type gListItem struct {
	id                    int
	fields                map[string]any
	created, modified     time.Time
	createdBy, modifiedBy identity
	version               int
	tag                   string
	history               []itemVersion // earlier versions, oldest first
}

// itemVersion is a list item as it was before an update.
type itemVersion struct {
	fields   map[string]any
	modified time.Time
	by       identity
}

func (st *driveStore) itemVersionsLocked(l *gList, it *gListItem) []map[string]any {
	out := []map[string]any{{"id": strconv.Itoa(it.version) + ".0", "lastModifiedDateTime": driveTime(it.modified),
		"lastModifiedBy": it.modifiedBy.set(), "fields": st.fieldsJSONLocked(l, it)}}
	for n := len(it.history); n >= 1; n-- {
		v := it.history[n-1]
		fields := map[string]any{"id": strconv.Itoa(it.id)}
		for k, val := range v.fields {
			fields[k] = val
		}
		out = append(out, map[string]any{"id": strconv.Itoa(n) + ".0", "lastModifiedDateTime": driveTime(v.modified),
			"lastModifiedBy": v.by.set(), "fields": fields})
	}
	return out
}

// AddSite adds a site (with its "Documents" library) and returns it with
// its ID.
func (s *Server) AddSite(site Site) Site {
	st := s.drives
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.addSiteLocked(site, s.now()).Site
}

func (st *driveStore) addSiteLocked(site Site, now time.Time) *gSite {
	st.rootSiteLocked(now)
	site.HostName = cmp.Or(site.HostName, DefaultSiteHost)
	site.Path = "/" + strings.Trim(site.Path, "/")
	collection := newGUID()
	if p := st.siteLocked(site.ParentID); p != nil {
		collection = p.collection
		site.HostName = p.HostName
		if !strings.HasPrefix(strings.ToLower(site.Path), strings.ToLower(p.Path)+"/") {
			site.Path = strings.TrimRight(p.Path, "/") + site.Path
		}
	}
	return st.newSiteLocked(site, collection, now)
}

func (st *driveStore) newSiteLocked(site Site, collection string, now time.Time) *gSite {
	site.Name = cmp.Or(site.Name, lastSegment(site.Path))
	site.DisplayName = cmp.Or(site.DisplayName, site.Name)
	site.ID = site.HostName + "," + collection + "," + newGUID()
	g := &gSite{Site: site, collection: collection, created: now, modified: now}
	st.sites.sites = append(st.sites.sites, g)
	st.newListLocked(g, "Documents", "Shared Documents", "documentLibrary", nil, identity{}, now)
	return g
}

// lastSegment is the last segment of a server-relative path.
func lastSegment(p string) string {
	p = strings.Trim(p, "/")
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// rootSiteLocked returns the tenant's root site, making it on first use.
func (st *driveStore) rootSiteLocked(now time.Time) *gSite {
	for _, g := range st.sites.sites {
		if g.Path == "/" && g.HostName == DefaultSiteHost {
			return g
		}
	}
	return st.newSiteLocked(Site{HostName: DefaultSiteHost, Path: "/", Name: "", DisplayName: "Communication site",
		Description: "The organization's root site"}, newGUID(), now)
}

func (st *driveStore) siteLocked(id string) *gSite {
	if id == "" {
		return nil
	}
	for _, g := range st.sites.sites {
		if strings.EqualFold(g.ID, id) {
			return g
		}
	}
	return nil
}

func (st *driveStore) siteByPathLocked(host, p string) *gSite {
	p = "/" + strings.Trim(p, "/")
	for _, g := range st.sites.sites {
		if strings.EqualFold(g.HostName, host) && strings.EqualFold(g.Path, p) {
			return g
		}
	}
	return nil
}

func (s *Server) siteRoutes() []route {
	return []route{
		{"GET /v1.0/sites", s.searchSites},
		{"/v1.0/sites/{rest...}", s.serveSitePath},
	}
}

func (g *gSite) webURL() string {
	if g.Path == "/" {
		return "https://" + g.HostName
	}
	return "https://" + g.HostName + escapeURLPath(g.Path)
}

func (st *driveStore) siteJSONLocked(g *gSite) map[string]any {
	m := map[string]any{
		"id":                   g.ID,
		"name":                 g.Name,
		"displayName":          g.DisplayName,
		"description":          g.Description,
		"createdDateTime":      driveTime(g.created),
		"lastModifiedDateTime": driveTime(g.modified),
		"webUrl":               g.webURL(),
	}
	if g.ParentID == "" {
		m["siteCollection"] = map[string]any{"hostname": g.HostName}
	}
	if g.Path == "/" {
		m["root"] = map[string]any{}
	}
	return m
}

func (s *Server) searchSites(w http.ResponseWriter, r *http.Request) {
	q := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("search")))
	st := s.drives
	st.mu.Lock()
	st.rootSiteLocked(s.now())
	var items []map[string]any
	for _, g := range st.sites.sites {
		text := strings.ToLower(g.Name + " " + g.DisplayName + " " + g.Description)
		if q == "" || q == "*" || strings.Contains(text, q) {
			items = append(items, st.siteJSONLocked(g))
		}
	}
	st.mu.Unlock()
	s.serveCollection(w, r, items, driveCollection("sites"))
}

// serveSitePath answers /sites/root…, /sites/{id}…, /sites/{host}:/{path}:…
func (s *Server) serveSitePath(w http.ResponseWriter, r *http.Request) {
	segs := escapedSegments(r)[1:]
	st := s.drives
	now := s.now()
	st.mu.Lock()
	root := st.rootSiteLocked(now)
	var (
		g    *gSite
		rest []string
	)
	first, _ := url.PathUnescape(strings.TrimSuffix(segs[0], ":"))
	switch {
	case segs[0] == "root":
		g, rest = root, segs[1:]
	case strings.HasSuffix(segs[0], ":"):
		// {host}:/{path}[:/more]
		var parts []string
		i := 1
		for ; i < len(segs); i++ {
			name, _ := url.PathUnescape(strings.TrimSuffix(segs[i], ":"))
			parts = append(parts, name)
			if strings.HasSuffix(segs[i], ":") {
				i++
				break
			}
		}
		g, rest = st.siteByPathLocked(first, strings.Join(parts, "/")), segs[i:]
	default:
		g = st.siteLocked(first)
		if g == nil && !strings.Contains(first, ",") {
			g = st.siteByPathLocked(first, "/")
		}
		rest = segs[1:]
	}
	st.mu.Unlock()
	if g == nil {
		writeGraphError(w, http.StatusNotFound, "itemNotFound", "Requested site could not be found")
		return
	}
	s.serveSite(w, r, g, rest)
}

func (s *Server) serveSite(w http.ResponseWriter, r *http.Request, g *gSite, rest []string) {
	st := s.drives
	who := s.callerIdentity(callerOf(r))
	if len(rest) == 0 {
		if r.Method != http.MethodGet {
			methodNotAllowed(w)
			return
		}
		st.mu.Lock()
		m := st.siteJSONLocked(g)
		st.mu.Unlock()
		s.serveEntity(w, r, m, "sites")
		return
	}
	switch rest[0] {
	case "sites":
		if len(rest) != 1 || r.Method != http.MethodGet {
			unknownSegment(w, r)
			return
		}
		st.mu.Lock()
		var items []map[string]any
		for _, sub := range st.sites.sites {
			if sub.ParentID == g.ID {
				items = append(items, st.siteJSONLocked(sub))
			}
		}
		st.mu.Unlock()
		s.serveCollection(w, r, items, driveCollection("sites('"+g.ID+"')/sites"))
	case "drive":
		st.mu.Lock()
		d := st.drives[g.lists[0].driveID]
		st.mu.Unlock()
		s.serveDrive(w, r, who, d, rest[1:])
	case "drives":
		if len(rest) != 1 || r.Method != http.MethodGet {
			unknownSegment(w, r)
			return
		}
		st.mu.Lock()
		var drives []*gDrive
		for _, l := range g.lists {
			if l.driveID != "" {
				drives = append(drives, st.drives[l.driveID])
			}
		}
		st.mu.Unlock()
		s.serveDriveList(w, r, drives)
	case "lists":
		s.serveLists(w, r, who, g, rest[1:])
	default:
		unknownSegment(w, r)
	}
}

func (s *Server) serveLists(w http.ResponseWriter, r *http.Request, who identity, g *gSite, rest []string) {
	st := s.drives
	set := "sites('" + g.ID + "')/lists"
	if len(rest) == 0 {
		switch r.Method {
		case http.MethodGet:
			st.mu.Lock()
			items := make([]map[string]any, 0, len(g.lists))
			for _, l := range g.lists {
				items = append(items, st.listJSONLocked(g, l))
			}
			st.mu.Unlock()
			s.serveCollection(w, r, items, driveCollection(set))
		case http.MethodPost:
			s.createList(w, r, who, g)
		default:
			methodNotAllowed(w)
		}
		return
	}
	name, _ := url.PathUnescape(rest[0])
	st.mu.Lock()
	var l *gList
	for _, x := range g.lists {
		if x.id == name || strings.EqualFold(x.displayName, name) || strings.EqualFold(x.name, name) {
			l = x
			break
		}
	}
	st.mu.Unlock()
	if l == nil {
		writeGraphError(w, http.StatusNotFound, "itemNotFound", "The requested list could not be found.")
		return
	}
	rest = rest[1:]
	set += "('" + l.id + "')"
	switch {
	case len(rest) == 0 && r.Method == http.MethodGet:
		st.mu.Lock()
		m := st.listJSONLocked(g, l)
		st.mu.Unlock()
		s.serveEntity(w, r, m, "sites('"+g.ID+"')/lists")
	case rest[0] == "drive" && l.driveID != "":
		st.mu.Lock()
		d := st.drives[l.driveID]
		st.mu.Unlock()
		s.serveDrive(w, r, who, d, rest[1:])
	case rest[0] == "columns" && len(rest) == 1:
		s.serveColumns(w, r, l, set+"/columns")
	case rest[0] == "contentTypes" && len(rest) == 1 && r.Method == http.MethodGet:
		s.serveCollection(w, r, contentTypesOf(l), driveCollection(set+"/contentTypes"))
	case rest[0] == "items":
		s.serveListItems(w, r, who, g, l, rest[1:], set+"/items")
	default:
		unknownSegment(w, r)
	}
}

func (st *driveStore) listJSONLocked(g *gSite, l *gList) map[string]any {
	tag := `"` + strings.ToUpper(l.id) + "," + strconv.Itoa(l.version) + `"`
	m := map[string]any{
		"@odata.etag":          tag,
		"eTag":                 tag,
		"id":                   l.id,
		"name":                 l.name,
		"displayName":          l.displayName,
		"description":          l.description,
		"createdDateTime":      driveTime(l.created),
		"lastModifiedDateTime": driveTime(l.modified),
		"webUrl":               g.webURL() + "/" + url.PathEscape(l.name),
		"list":                 map[string]any{"contentTypesEnabled": false, "hidden": false, "template": l.template},
		"parentReference":      map[string]any{"siteId": g.ID},
	}
	if l.template != "documentLibrary" {
		m["webUrl"] = g.webURL() + "/Lists/" + url.PathEscape(l.name)
	}
	if set := l.createdBy.set(); set != nil {
		m["createdBy"], m["lastModifiedBy"] = set, l.modifiedBy.set()
	}
	return m
}

// columnKinds are the column type facets the emulator knows.
var columnKinds = []string{"text", "number", "boolean", "dateTime", "choice", "currency", "personOrGroup",
	"lookup", "hyperlinkOrPicture", "calculated", "geolocation", "term", "thumbnail", "contentApprovalStatus"}

var columnName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,254}$`)

// parseColumn reads a columnDefinition from a request.
func parseColumn(raw map[string]any) (*gColumn, *gErr) {
	name, _ := raw["name"].(string)
	if !columnName.MatchString(name) {
		return nil, errInvalid("Invalid column name '" + name + "': names start with a letter and hold letters, digits and '_'.")
	}
	c := &gColumn{id: newGUID(), name: name, group: "Custom Columns", kind: "text", facet: map[string]any{}}
	c.displayName, _ = raw["displayName"].(string)
	c.displayName = cmp.Or(c.displayName, name)
	c.description, _ = raw["description"].(string)
	c.indexed, _ = raw["indexed"].(bool)
	c.required, _ = raw["required"].(bool)
	c.hidden, _ = raw["hidden"].(bool)
	for _, k := range columnKinds {
		if f, ok := raw[k].(map[string]any); ok {
			c.kind, c.facet = k, f
			break
		}
	}
	return c, nil
}

func columnJSON(c *gColumn) map[string]any {
	return map[string]any{
		"id": c.id, "name": c.name, "displayName": c.displayName, "description": c.description,
		"columnGroup": c.group, "enforceUniqueValues": false, "hidden": c.hidden, "indexed": c.indexed,
		"readOnly": c.readOnly, "required": c.required, c.kind: c.facet,
	}
}

// defaultColumns are the columns every list starts with.
func defaultColumns(template string) []*gColumn {
	sys := func(name, display, kind string) *gColumn {
		return &gColumn{id: newGUID(), name: name, displayName: display, kind: kind, facet: map[string]any{},
			readOnly: true, group: "Base Columns"}
	}
	title := &gColumn{id: newGUID(), name: "Title", displayName: "Title", kind: "text", group: "Custom Columns",
		facet: map[string]any{"allowMultipleLines": false, "maxLength": 255}, indexed: true}
	// Created By and Modified By are left out: their internal names
	// (Author, Editor) are names Microsoft's own examples give columns.
	cols := []*gColumn{title, sys("Created", "Created", "dateTime"), sys("Modified", "Modified", "dateTime")}
	if template == "documentLibrary" {
		cols = append(cols, sys("FileLeafRef", "Name", "text"))
	}
	return cols
}

func contentTypesOf(l *gList) []map[string]any {
	ct := func(id, name, desc string) map[string]any {
		return map[string]any{"id": id, "name": name, "description": desc, "group": "List Content Types",
			"hidden": false, "readOnly": false, "sealed": false}
	}
	if l.template == "documentLibrary" {
		return []map[string]any{ct("0x0101", "Document", "Create a new document."), ct("0x0120", "Folder", "Create a new folder.")}
	}
	return []map[string]any{ct("0x01", "Item", "Create a new list item.")}
}

func (st *driveStore) newListLocked(g *gSite, displayName, name, template string, cols []*gColumn, who identity, now time.Time) *gList {
	l := &gList{id: newGUID(), name: name, displayName: displayName, template: template, siteID: g.ID,
		columns: append(defaultColumns(template), cols...), nextID: 1, created: now, modified: now,
		createdBy: who, modifiedBy: who, version: 1}
	if template == "documentLibrary" {
		d := st.newDriveLocked(gDrive{name: displayName, driveType: "documentLibrary", ownerKind: "site", ownerID: g.ID,
			siteID: g.ID, owner: identity{id: g.ID, name: g.DisplayName}, webURL: g.webURL() + "/" + url.PathEscape(name)}, now)
		d.listID = l.id
		l.driveID = d.id
	}
	g.lists = append(g.lists, l)
	return l
}

func (s *Server) createList(w http.ResponseWriter, r *http.Request, who identity, g *gSite) {
	var body struct {
		DisplayName string           `json:"displayName"`
		Description string           `json:"description"`
		Columns     []map[string]any `json:"columns"`
		List        struct {
			Template string `json:"template"`
		} `json:"list"`
	}
	if e := readDriveBody(r, &body); e != nil {
		e.write(w)
		return
	}
	if strings.TrimSpace(body.DisplayName) == "" {
		errInvalid("A list needs a displayName.").write(w)
		return
	}
	template := cmp.Or(body.List.Template, "genericList")
	if template != "genericList" && template != "documentLibrary" {
		errInvalid("List template '" + template + "' is not supported by the emulator (genericList, documentLibrary).").write(w)
		return
	}
	var cols []*gColumn
	for _, raw := range body.Columns {
		c, e := parseColumn(raw)
		if e != nil {
			e.write(w)
			return
		}
		for _, d := range append(defaultColumns(template), cols...) {
			if strings.EqualFold(d.name, c.name) {
				errInvalid("A column named '" + c.name + "' already exists.").write(w)
				return
			}
		}
		cols = append(cols, c)
	}
	st := s.drives
	st.mu.Lock()
	var m map[string]any
	exists := slices.ContainsFunc(g.lists, func(l *gList) bool { return strings.EqualFold(l.displayName, body.DisplayName) })
	if !exists {
		name := strings.ReplaceAll(body.DisplayName, " ", "")
		l := st.newListLocked(g, body.DisplayName, name, template, cols, who, s.now())
		l.description = body.Description
		m = st.listJSONLocked(g, l)
	}
	st.mu.Unlock()
	if exists {
		writeGraphError(w, http.StatusConflict, "nameAlreadyExists",
			"A list, survey, discussion board, or document library with the specified title already exists in this Web site.  Please choose another title.")
		return
	}
	m["@odata.context"] = s.metadataURL("sites('"+g.ID+"')/lists", nil) + "/$entity"
	writeGraphJSON(w, http.StatusCreated, m)
}

func (s *Server) serveColumns(w http.ResponseWriter, r *http.Request, l *gList, set string) {
	st := s.drives
	switch r.Method {
	case http.MethodGet:
		st.mu.Lock()
		items := make([]map[string]any, 0, len(l.columns))
		for _, c := range l.columns {
			items = append(items, columnJSON(c))
		}
		st.mu.Unlock()
		s.serveCollection(w, r, items, driveCollection(set))
	case http.MethodPost:
		var raw map[string]any
		if e := readDriveBody(r, &raw); e != nil {
			e.write(w)
			return
		}
		c, e := parseColumn(raw)
		if e != nil {
			e.write(w)
			return
		}
		st.mu.Lock()
		exists := slices.ContainsFunc(l.columns, func(x *gColumn) bool { return strings.EqualFold(x.name, c.name) })
		if !exists {
			l.columns = append(l.columns, c)
		}
		st.mu.Unlock()
		if exists {
			writeGraphError(w, http.StatusConflict, "nameAlreadyExists", "A column named '"+c.name+"' already exists.")
			return
		}
		m := columnJSON(c)
		m["@odata.context"] = s.metadataURL(set, nil) + "/$entity"
		writeGraphJSON(w, http.StatusCreated, m)
	default:
		methodNotAllowed(w)
	}
}

// lookupIDLocked is the SharePoint user lookup id of a user.
func (st *driveStore) lookupIDLocked(who identity) string {
	n, ok := st.sites.lookups[who.id]
	if !ok {
		n = len(st.sites.lookups) + 6
		st.sites.lookups[who.id] = n
	}
	return strconv.Itoa(n)
}

func (st *driveStore) fieldsJSONLocked(l *gList, it *gListItem) map[string]any {
	m := map[string]any{
		"@odata.etag":      `"` + it.tag + "," + strconv.Itoa(it.version) + `"`,
		"id":               strconv.Itoa(it.id),
		"ContentType":      contentTypesOf(l)[0]["name"],
		"Created":          driveTime(it.created),
		"Modified":         driveTime(it.modified),
		"AuthorLookupId":   st.lookupIDLocked(it.createdBy),
		"EditorLookupId":   st.lookupIDLocked(it.modifiedBy),
		"_UIVersionString": strconv.Itoa(it.version) + ".0",
		"Attachments":      false,
	}
	for k, v := range it.fields {
		m[k] = v
	}
	return m
}

func (st *driveStore) listItemJSONLocked(g *gSite, l *gList, it *gListItem) map[string]any {
	tag := `"` + it.tag + "," + strconv.Itoa(it.version) + `"`
	return map[string]any{
		"@odata.etag":          tag,
		"eTag":                 tag,
		"id":                   strconv.Itoa(it.id),
		"createdDateTime":      driveTime(it.created),
		"lastModifiedDateTime": driveTime(it.modified),
		"createdBy":            it.createdBy.set(),
		"lastModifiedBy":       it.modifiedBy.set(),
		"webUrl":               g.webURL() + "/Lists/" + url.PathEscape(l.name) + "/" + strconv.Itoa(it.id) + "_.000",
		"parentReference":      map[string]any{"id": l.id, "siteId": g.ID},
		"contentType":          map[string]any{"id": contentTypesOf(l)[0]["id"], "name": contentTypesOf(l)[0]["name"]},
		"fields":               st.fieldsJSONLocked(l, it),
	}
}

// expandFields reads $expand=fields, fields($select=a,b) or
// fields(select=a,b): whether fields are wanted and which (nil: all).
func expandFields(r *http.Request) (bool, []string) {
	q := r.URL.Query()
	// Graph takes system query options with or without their '$'.
	for _, e := range splitTop(cmp.Or(q.Get("$expand"), q.Get("expand"))) {
		name, inner, _ := strings.Cut(strings.TrimSpace(e), "(")
		if !strings.EqualFold(strings.TrimSpace(name), "fields") {
			continue
		}
		inner = strings.TrimSuffix(inner, ")")
		for _, opt := range strings.Split(inner, ";") {
			k, v, ok := strings.Cut(opt, "=")
			if ok && strings.EqualFold(strings.TrimPrefix(strings.TrimSpace(k), "$"), "select") {
				var sel []string
				for _, f := range strings.Split(v, ",") {
					sel = append(sel, strings.TrimSpace(f))
				}
				return true, sel
			}
		}
		return true, nil
	}
	return false, nil
}

// splitTop splits on commas outside parentheses.
func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, c := range s {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

var fieldRef = regexp.MustCompile(`fields/([A-Za-z_][A-Za-z0-9_]*)`)

// shapeItem shows fields as $expand asked: none, all, or the selected.
func shapeItem(expand bool, sel []string) func(map[string]any) map[string]any {
	return func(m map[string]any) map[string]any {
		out := make(map[string]any, len(m))
		for k, v := range m {
			if k != "fields" {
				out[k] = v
			}
		}
		if !expand {
			return out
		}
		fields, _ := m["fields"].(map[string]any)
		if sel == nil {
			out["fields"] = fields
			return out
		}
		picked := map[string]any{"@odata.etag": fields["@odata.etag"]}
		for _, f := range sel {
			if v, ok := fields[f]; ok {
				picked[f] = v
			}
		}
		out["fields"] = picked
		return out
	}
}

func (s *Server) serveListItems(w http.ResponseWriter, r *http.Request, who identity, g *gSite, l *gList, rest []string, set string) {
	st := s.drives
	expand, sel := expandFields(r)
	if len(rest) == 0 {
		switch r.Method {
		case http.MethodGet:
			if e := s.checkIndexed(r, l); e != nil {
				e.write(w)
				return
			}
			st.mu.Lock()
			items := make([]map[string]any, 0, len(l.items))
			for _, it := range l.items {
				items = append(items, st.listItemJSONLocked(g, l, it))
			}
			st.mu.Unlock()
			c := driveCollection(set)
			c.shape = shapeItem(expand, sel)
			s.serveCollection(w, r, items, c)
		case http.MethodPost:
			s.createListItem(w, r, who, g, l, set)
		default:
			methodNotAllowed(w)
		}
		return
	}
	id, err := strconv.Atoi(rest[0])
	st.mu.Lock()
	i := slices.IndexFunc(l.items, func(x *gListItem) bool { return x.id == id })
	st.mu.Unlock()
	if err != nil || i < 0 {
		writeGraphError(w, http.StatusNotFound, "itemNotFound", "The specified list item was not found.")
		return
	}
	it := l.items[i]
	switch {
	case len(rest) == 1 && r.Method == http.MethodGet:
		st.mu.Lock()
		m := shapeItem(expand, sel)(st.listItemJSONLocked(g, l, it))
		st.mu.Unlock()
		s.serveEntity(w, r, m, set)
	case len(rest) == 1 && r.Method == http.MethodDelete:
		st.mu.Lock()
		l.items = slices.DeleteFunc(l.items, func(x *gListItem) bool { return x == it })
		st.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	case len(rest) == 2 && rest[1] == "versions" && r.Method == http.MethodGet:
		st.mu.Lock()
		versions := st.itemVersionsLocked(l, it)
		st.mu.Unlock()
		s.serveCollection(w, r, versions, driveCollection(set+"('"+strconv.Itoa(id)+"')/versions"))
	case len(rest) == 2 && rest[1] == "fields" && r.Method == http.MethodGet:
		st.mu.Lock()
		m := st.fieldsJSONLocked(l, it)
		st.mu.Unlock()
		s.serveEntity(w, r, m, set+"('"+strconv.Itoa(id)+"')/fields")
	case (len(rest) == 2 && rest[1] == "fields" && r.Method == http.MethodPatch) || (len(rest) == 1 && r.Method == http.MethodPatch):
		var body map[string]any
		if e := readDriveBody(r, &body); e != nil {
			e.write(w)
			return
		}
		if len(rest) == 1 {
			body, _ = body["fields"].(map[string]any)
		}
		st.mu.Lock()
		e := checkFields(l, body)
		var m map[string]any
		if e == nil {
			old := make(map[string]any, len(it.fields))
			for k, v := range it.fields {
				old[k] = v
			}
			it.history = append(it.history, itemVersion{fields: old, modified: it.modified, by: it.modifiedBy})
			for k, v := range body {
				it.fields[k] = v
			}
			it.modified, it.modifiedBy = s.now(), who
			it.version++
			m = st.fieldsJSONLocked(l, it)
			if len(rest) == 1 {
				m = st.listItemJSONLocked(g, l, it)
			}
		}
		st.mu.Unlock()
		if e != nil {
			e.write(w)
			return
		}
		writeGraphJSON(w, http.StatusOK, m)
	default:
		unknownSegment(w, r)
	}
}

// checkIndexed refuses, as SharePoint does, $filter and $orderby on
// fields that are not indexed unless the client accepts the risk.
func (s *Server) checkIndexed(r *http.Request, l *gList) *gErr {
	if strings.Contains(r.Header.Get("Prefer"), "HonorNonIndexedQueriesWarningMayFailRandomly") {
		return nil
	}
	q := r.URL.Query()
	st := s.drives
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, opt := range []string{q.Get("$filter"), q.Get("$orderby")} {
		for _, m := range fieldRef.FindAllStringSubmatch(opt, -1) {
			i := slices.IndexFunc(l.columns, func(c *gColumn) bool { return c.name == m[1] })
			if i < 0 || !l.columns[i].indexed {
				return errInvalid("Field '" + m[1] + "' cannot be referenced in filter or orderby as it is not indexed. " +
					"Provide the 'Prefer: HonorNonIndexedQueriesWarningMayFailRandomly' header to allow this, but be warned that such queries may fail on large lists.")
			}
		}
	}
	return nil
}

// checkFields validates field values against the list's columns.
func checkFields(l *gList, fields map[string]any) *gErr {
	for k, v := range fields {
		if k == "@odata.etag" {
			continue
		}
		i := slices.IndexFunc(l.columns, func(c *gColumn) bool { return c.name == k })
		if i < 0 {
			return errInvalid("Field '" + k + "' is not recognized")
		}
		c := l.columns[i]
		if c.readOnly {
			return errInvalid("Field '" + k + "' is read-only")
		}
		if v == nil {
			continue
		}
		ok := true
		switch c.kind {
		case "text", "choice":
			_, ok = v.(string)
			if choices, _ := c.facet["choices"].([]any); ok && c.kind == "choice" && len(choices) > 0 {
				allow, _ := c.facet["allowTextEntry"].(bool)
				ok = allow || slices.Contains(choices, v)
			}
		case "number", "currency":
			_, ok = v.(float64)
		case "boolean":
			_, ok = v.(bool)
		case "dateTime":
			str, isStr := v.(string)
			_, err := time.Parse(time.RFC3339, str)
			ok = isStr && err == nil
		}
		if !ok {
			b, _ := json.Marshal(v)
			return errInvalid("Invalid value " + string(b) + " for field '" + k + "' of type " + c.kind + ".")
		}
	}
	return nil
}

func (s *Server) createListItem(w http.ResponseWriter, r *http.Request, who identity, g *gSite, l *gList, set string) {
	var body struct {
		Fields map[string]any `json:"fields"`
	}
	if e := readDriveBody(r, &body); e != nil {
		e.write(w)
		return
	}
	st := s.drives
	st.mu.Lock()
	e := checkFields(l, body.Fields)
	if e == nil {
		for _, c := range l.columns {
			if c.required && body.Fields[c.name] == nil {
				e = errInvalid("Field '" + c.name + "' is required.")
			}
		}
	}
	var m map[string]any
	if e == nil {
		now := s.now()
		it := &gListItem{id: l.nextID, fields: map[string]any{}, created: now, modified: now, createdBy: who, modifiedBy: who,
			version: 1, tag: strings.ToUpper(newGUID())}
		for k, v := range body.Fields {
			if k != "@odata.etag" {
				it.fields[k] = v
			}
		}
		l.nextID++
		l.items = append(l.items, it)
		m = st.listItemJSONLocked(g, l, it)
	}
	st.mu.Unlock()
	if e != nil {
		e.write(w)
		return
	}
	m["@odata.context"] = s.metadataURL(set, nil) + "/$entity"
	writeGraphJSON(w, http.StatusCreated, m)
}
