package graphtest

// Outlook contacts: each user's address book (the default Contacts folder,
// the contact folders under it, their contacts and contact photos), served
// at /v1.0/me/… and /v1.0/users/{id or userPrincipalName}/….
//
// Rules the emulator follows, as Graph does:
//
//   - /contacts is the default Contacts folder; /contactFolders lists the
//     folders directly under it, /contactFolders/{id}/childFolders the
//     folders under any folder. /contacts/{id} reaches a contact in any
//     folder. The default folder can be read by id (its id is the
//     parentFolderId of the folders under it) but not renamed, moved or
//     deleted.
//   - A contact has every property of Graph's contact: unset strings are
//     null, unset lists [] and unset addresses {}. A new contact without a
//     displayName gets one made of its given, middle and surname. Every
//     change renews changeKey, @odata.etag and lastModifiedDateTime.
//   - Bodies are checked against the contact type: an unknown property or
//     a value of the wrong type is refused with 400 RequestBodyRead;
//     read-only properties (id, changeKey, parentFolderId, …) are ignored.
//   - A folder name is unique among its siblings (409 ErrorFolderExists);
//     a folder moves by a PATCH of its parentFolderId; deleting a folder
//     deletes what it holds.
//   - /contacts/delta and /contactFolders/{id}/contacts/delta answer a
//     folder's contacts, then from the delta link what changed since,
//     deletions as @removed (contacts_delta.go).
//   - Scopes: a delegated caller needs Contacts.Read (Contacts.ReadWrite to
//     write) for their own contacts. Another user's contacts need that user
//     to have shared them (Server.ShareContacts) and Contacts.Read.Shared
//     (Contacts.ReadWrite.Shared to write). App-only callers reach every
//     user's contacts. Refusals are 403 ErrorAccessDenied.

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // so photo metadata can tell an image's size
	_ "image/jpeg"
	_ "image/png"
	"io"
	"maps"
	"mime"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-o365/o365/graphtest/internal/odata"
)

// contactStore holds every user's address book, plus the directory
// relations served by contacts_directory.go (managers and user photos).
type contactStore struct {
	mu         sync.Mutex
	books      map[string]*addressBook  // by user id
	shares     map[[2]string]bool       // {owner id, delegate id}: write allowed
	managers   map[string]string        // user id: their manager's user id
	userPhotos map[string]*profilePhoto // by user id
}

func newContactStore() *contactStore {
	return &contactStore{
		books:      map[string]*addressBook{},
		shares:     map[[2]string]bool{},
		managers:   map[string]string{},
		userPhotos: map[string]*profilePhoto{},
	}
}

// addressBook is one user's contacts.
type addressBook struct {
	rootID    string // the mailbox root, parent of the default folder
	defaultID string // the default Contacts folder
	folders   []*contactFolder
	contacts  []*contactItem
	// seq counts changes to contacts and removed keeps the deleted
	// ones, for delta (contacts_delta.go).
	seq     int64
	removed []contactTombstone
}

type contactFolder struct {
	id, name, parent string
}

type contactItem struct {
	id     string
	folder string
	seq    int64 // the change that last touched it
	// props is the contact as Graph answers it. Values are never changed
	// in place, only replaced, so a shallow copy taken under the lock can
	// be encoded after it is released.
	props map[string]any
	photo *profilePhoto
}

// profilePhoto is a stored image with its profilePhoto metadata (Graph's
// profilePhoto entity).
type profilePhoto struct {
	data          []byte
	contentType   string
	etag          string
	width, height int
}

func newProfilePhoto(data []byte, contentType string) *profilePhoto {
	p := &profilePhoto{data: data, contentType: contentType, etag: `"` + contactHex(4) + `"`}
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
		p.width, p.height = cfg.Width, cfg.Height
	}
	return p
}

// metadata is the profilePhoto entity describing p.
func (p *profilePhoto) metadata() map[string]any {
	id := "default"
	if p.width > 0 {
		id = fmt.Sprintf("%dX%d", p.width, p.height)
	}
	return map[string]any{
		"@odata.mediaContentType": p.contentType,
		"@odata.mediaEtag":        p.etag,
		"id":                      id,
		"width":                   p.width,
		"height":                  p.height,
	}
}

// book returns the address book of user id, creating it on first use.
// st.mu must be held.
func (st *contactStore) book(userID string) *addressBook {
	b := st.books[userID]
	if b == nil {
		b = &addressBook{rootID: newContactItemID(), defaultID: newContactItemID()}
		st.books[userID] = b
	}
	return b
}

func (b *addressBook) folder(id string) *contactFolder {
	if id == b.defaultID {
		return &contactFolder{id: b.defaultID, name: "Contacts", parent: b.rootID}
	}
	for _, f := range b.folders {
		if f.id == id {
			return f
		}
	}
	return nil
}

func (b *addressBook) contact(id string) *contactItem {
	for _, c := range b.contacts {
		if c.id == id {
			return c
		}
	}
	return nil
}

// under reports whether folder id is parent or lies below it.
func (b *addressBook) under(id, parent string) bool {
	for id != "" && id != b.rootID {
		if id == parent {
			return true
		}
		f := b.folder(id)
		if f == nil {
			return false
		}
		id = f.parent
	}
	return false
}

func (b *addressBook) nameTaken(parent, name, except string) bool {
	return slices.ContainsFunc(b.folders, func(f *contactFolder) bool {
		return f.parent == parent && f.id != except && strings.EqualFold(f.name, name)
	})
}

// contactHex returns n random bytes in upper-case hex.
func contactHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return fmt.Sprintf("%X", b)
}

func contactFolderJSON(f *contactFolder) map[string]any {
	return map[string]any{"id": f.id, "displayName": f.name, "parentFolderId": f.parent}
}

// newContactItemID makes an id shaped like Exchange's: URL-safe base64 with
// padding.
func newContactItemID() string {
	b := make([]byte, 46)
	rand.Read(b)
	copy(b, "\x00\x03\x24\x00") // "AAMkA…", as Exchange ids start
	return base64.URLEncoding.EncodeToString(b)
}

// ---- the contact type ----

type contactKind int

const (
	contactString contactKind = iota
	contactStrings
	contactEmails
	contactAddress
	contactDateTime
	contactReadOnly
)

// contactProps is Graph's contact type: every property and its kind.
var contactProps = map[string]contactKind{
	"id": contactReadOnly, "changeKey": contactReadOnly, "createdDateTime": contactReadOnly,
	"lastModifiedDateTime": contactReadOnly, "parentFolderId": contactReadOnly,
	"categories": contactStrings, "businessPhones": contactStrings, "homePhones": contactStrings,
	"imAddresses": contactStrings, "children": contactStrings,
	"emailAddresses":  contactEmails,
	"businessAddress": contactAddress, "homeAddress": contactAddress, "otherAddress": contactAddress,
	"birthday":      contactDateTime,
	"assistantName": contactString, "businessHomePage": contactString, "companyName": contactString,
	"department": contactString, "displayName": contactString, "fileAs": contactString,
	"generation": contactString, "givenName": contactString, "initials": contactString,
	"jobTitle": contactString, "manager": contactString, "middleName": contactString,
	"mobilePhone": contactString, "nickName": contactString, "officeLocation": contactString,
	"personalNotes": contactString, "profession": contactString, "spouseName": contactString,
	"surname": contactString, "title": contactString, "yomiCompanyName": contactString,
	"yomiGivenName": contactString, "yomiSurname": contactString,
}

var physicalAddressParts = []string{"street", "city", "state", "countryOrRegion", "postalCode"}

// contactBodyError is a request body Graph refuses: 400 with code RequestBodyRead.
type contactBodyError string

func (e contactBodyError) Error() string { return string(e) }

func unknownContactProperty(name, typ string) contactBodyError {
	return contactBodyError(odata.UnknownProperty(name, typ))
}

func wrongContactType(name, edm string) contactBodyError {
	return contactBodyError(odata.WrongType(name, edm))
}

// contactValues checks body against the contact type and returns the
// writable properties it sets, normalised as Graph answers them.
func contactValues(body map[string]any) (map[string]any, error) {
	out := map[string]any{}
	for name, v := range body {
		if strings.Contains(name, "@") {
			continue // annotations such as @odata.type
		}
		kind, ok := contactProps[name]
		if !ok {
			return nil, unknownContactProperty(name, "microsoft.graph.contact")
		}
		val, err := normaliseContactValue(name, kind, v)
		if err != nil {
			return nil, err
		}
		if kind != contactReadOnly {
			out[name] = val
		}
	}
	return out, nil
}

func normaliseContactValue(name string, kind contactKind, v any) (any, error) {
	switch kind {
	case contactReadOnly:
		return nil, nil
	case contactString:
		if _, ok := v.(string); !ok && v != nil {
			return nil, wrongContactType(name, "Edm.String")
		}
		if v == "" {
			return nil, nil
		}
		return v, nil
	case contactStrings:
		list, ok := v.([]any)
		if v == nil {
			return []any{}, nil
		}
		if !ok || slices.ContainsFunc(list, func(x any) bool { _, s := x.(string); return !s }) {
			return nil, wrongContactType(name, "Collection(Edm.String)")
		}
		return list, nil
	case contactEmails:
		list, ok := v.([]any)
		if v == nil {
			return []any{}, nil
		}
		if !ok {
			return nil, wrongContactType(name, "Collection(microsoft.graph.emailAddress)")
		}
		out := make([]any, 0, len(list))
		for _, e := range list {
			m, ok := e.(map[string]any)
			if !ok {
				return nil, wrongContactType(name, "microsoft.graph.emailAddress")
			}
			clean := map[string]any{"name": nil, "address": nil}
			for k, x := range m {
				if k != "name" && k != "address" {
					return nil, unknownContactProperty(k, "microsoft.graph.emailAddress")
				}
				if _, ok := x.(string); !ok && x != nil {
					return nil, wrongContactType(name+"/"+k, "Edm.String")
				}
				clean[k] = x
			}
			out = append(out, clean)
		}
		return out, nil
	case contactAddress:
		if v == nil {
			return map[string]any{}, nil
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, wrongContactType(name, "microsoft.graph.physicalAddress")
		}
		out := map[string]any{}
		for k, x := range m {
			if !slices.Contains(physicalAddressParts, k) {
				return nil, unknownContactProperty(k, "microsoft.graph.physicalAddress")
			}
			if _, ok := x.(string); !ok && x != nil {
				return nil, wrongContactType(name+"/"+k, "Edm.String")
			}
			if x != nil && x != "" {
				out[k] = x
			}
		}
		return out, nil
	case contactDateTime:
		if v == nil {
			return nil, nil
		}
		s, ok := v.(string)
		if !ok {
			return nil, wrongContactType(name, "Edm.DateTimeOffset")
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			// Microsoft's own examples send a bare date.
			if t, err = time.Parse(time.DateOnly, s); err != nil {
				return nil, contactBodyError("Cannot convert the literal '" + s + "' to the expected type 'Edm.DateTimeOffset'.")
			}
		}
		return t.UTC().Format("2006-01-02T15:04:05Z"), nil
	}
	return nil, fmt.Errorf("unknown kind %d", kind)
}

// newContactProps is a contact as Graph answers it right after creation:
// every property present, those not given null or empty.
func newContactProps(id, folder string, values map[string]any, now time.Time) map[string]any {
	p := map[string]any{}
	for name, kind := range contactProps {
		switch kind {
		case contactStrings, contactEmails:
			p[name] = []any{}
		case contactAddress:
			p[name] = map[string]any{}
		default:
			p[name] = nil
		}
	}
	maps.Copy(p, values)
	if p["displayName"] == nil {
		var parts []string
		for _, k := range []string{"givenName", "middleName", "surname"} {
			if s, ok := p[k].(string); ok && s != "" {
				parts = append(parts, s)
			}
		}
		if len(parts) > 0 {
			p["displayName"] = strings.Join(parts, " ")
		}
	}
	p["id"] = id
	p["parentFolderId"] = folder
	p["createdDateTime"] = now.UTC().Format("2006-01-02T15:04:05Z")
	touchContact(p, now)
	return p
}

// touchContact renews the change markers of a changed contact.
func touchContact(p map[string]any, now time.Time) {
	key := base64.StdEncoding.EncodeToString([]byte(contactHex(15)))[:40]
	p["changeKey"] = key
	p["@odata.etag"] = `W/"` + key + `"`
	p["lastModifiedDateTime"] = now.UTC().Format("2006-01-02T15:04:05Z")
}

// ---- routes ----

func (s *Server) contactRoutes() []route {
	var rs []route
	// Every route exists for the signed-in user and for a named user.
	add := func(method, path string, h http.HandlerFunc) {
		rs = append(rs,
			route{method + " /v1.0/me" + path, h},
			route{method + " /v1.0/users/{uid}" + path, h})
	}
	add("GET", "/contacts", s.listContacts)
	add("POST", "/contacts", s.createContact)
	add("GET", "/contacts/{cid}", s.getContact)
	add("PATCH", "/contacts/{cid}", s.updateContact)
	add("DELETE", "/contacts/{cid}", s.deleteContact)
	add("GET", "/contacts/delta", s.contactsDelta)
	add("GET", "/contactFolders/{fid}/contacts/delta", s.contactsDelta)
	add("GET", "/contacts/{cid}/photo", s.getContactPhotoInfo)
	add("GET", "/contacts/{cid}/photo/$value", s.getContactPhoto)
	add("PUT", "/contacts/{cid}/photo/$value", s.putContactPhoto)
	add("GET", "/contactFolders", s.listContactFolders)
	add("POST", "/contactFolders", s.createContactFolder)
	add("GET", "/contactFolders/{fid}", s.getContactFolder)
	add("PATCH", "/contactFolders/{fid}", s.updateContactFolder)
	add("DELETE", "/contactFolders/{fid}", s.deleteContactFolder)
	add("GET", "/contactFolders/{fid}/childFolders", s.listContactFolders)
	add("POST", "/contactFolders/{fid}/childFolders", s.createContactFolder)
	add("GET", "/contactFolders/{fid}/contacts", s.listContacts)
	add("POST", "/contactFolders/{fid}/contacts", s.createContact)
	add("GET", "/contactFolders/{fid}/contacts/{cid}", s.getContact)
	add("PATCH", "/contactFolders/{fid}/contacts/{cid}", s.updateContact)
	add("DELETE", "/contactFolders/{fid}/contacts/{cid}", s.deleteContact)
	return append(rs, s.directoryRoutes()...)
}

// Outlook collections page by 10 and accept $top up to 1000.
func contactsCollection(entitySet string) collection {
	return collection{entitySet: entitySet, pageSize: 10, maxTop: 1000, errorCode: "BadRequest"}
}

// contactsRequest is a contacts request resolved to its address book owner.
type contactsRequest struct {
	owner string // user id
	now   time.Time
}

// contactScopes are the delegated scopes of contacts, one's own and shared.
var contactScopes = areaScopes{
	read:        []string{"Contacts.Read", "Contacts.ReadWrite"},
	write:       []string{"Contacts.ReadWrite"},
	readShared:  []string{"Contacts.Read.Shared", "Contacts.ReadWrite.Shared"},
	writeShared: []string{"Contacts.ReadWrite.Shared"},
}

// maxContactRequest is the largest JSON body the contacts routes read.
const maxContactRequest = 4 << 20

// contactsTarget resolves whose contacts r is about and checks the caller
// may read them (or write them, for write), answering the error itself
// when not.
func (s *Server) contactsTarget(w http.ResponseWriter, r *http.Request, write bool) (contactsRequest, bool) {
	t, ok := s.resolveShared(w, r, write, contactScopes, &s.contacts.mu, s.contacts.shares)
	return contactsRequest{owner: t.owner.id, now: t.now}, ok
}

// contactsWrite resolves a request that changes contacts and reads its
// JSON body, answering the error itself when either fails.
func (s *Server) contactsWrite(w http.ResponseWriter, r *http.Request) (contactsRequest, map[string]any, bool) {
	req, ok := s.contactsTarget(w, r, true)
	if !ok {
		return req, nil, false
	}
	body, ok := readJSONObject(w, r, maxContactRequest)
	return req, body, ok
}

// listContacts serves /contacts (the default folder) and
// /contactFolders/{fid}/contacts.
func (s *Server) listContacts(w http.ResponseWriter, r *http.Request) {
	req, ok := s.contactsTarget(w, r, false)
	if !ok {
		return
	}
	st := s.contacts
	st.mu.Lock()
	b := st.book(req.owner)
	folder := b.folderOf(r)
	var items []map[string]any
	found := b.folder(folder) != nil
	for _, c := range b.contacts {
		if c.folder == folder {
			items = append(items, maps.Clone(c.props))
		}
	}
	st.mu.Unlock()
	if !found {
		itemNotFound(w)
		return
	}
	s.serveCollection(w, r, items, contactsCollection(userContext(req.owner, folderSet(r, "/contacts", "/contacts"))))
}

func (s *Server) createContact(w http.ResponseWriter, r *http.Request) {
	req, body, ok := s.contactsWrite(w, r)
	if !ok {
		return
	}
	values, err := contactValues(body)
	if err != nil {
		writeGraphError(w, http.StatusBadRequest, "RequestBodyRead", err.Error())
		return
	}
	st := s.contacts
	st.mu.Lock()
	b := st.book(req.owner)
	folder := b.folderOf(r)
	var props map[string]any
	if b.folder(folder) != nil {
		c := &contactItem{id: newContactItemID(), folder: folder}
		c.props = newContactProps(c.id, folder, values, req.now)
		b.contacts = append(b.contacts, c)
		b.touched(c)
		props = maps.Clone(c.props)
	}
	st.mu.Unlock()
	if props == nil {
		itemNotFound(w)
		return
	}
	s.PublishChange(req.owner, "contactFolders/"+folder+"/contacts", "created", props["id"].(string))
	s.writeEntity(w, http.StatusCreated, props, userContext(req.owner, "/contacts"))
}

// folderOf is the folder r names by {fid}, or the default Contacts folder.
func (b *addressBook) folderOf(r *http.Request) string {
	if fid := r.PathValue("fid"); fid != "" {
		return fid
	}
	return b.defaultID
}

// folderSet is the entity set of a collection r asks for: top, or child
// of the folder r names by {fid}.
func folderSet(r *http.Request, top, child string) string {
	if fid := r.PathValue("fid"); fid != "" {
		return "/contactFolders('" + fid + "')" + child
	}
	return top
}

// findContact looks up the contact of r, which must be in the folder the
// path names, if it names one. st.mu must be held.
func (b *addressBook) findContact(r *http.Request) *contactItem {
	c := b.contact(r.PathValue("cid"))
	if c == nil {
		return nil
	}
	if fid := r.PathValue("fid"); fid != "" && c.folder != fid {
		return nil
	}
	return c
}

// onContact runs fn under the store lock on owner's contact that r names,
// and answers 404 itself when there is none.
func (s *Server) onContact(w http.ResponseWriter, r *http.Request, owner string, fn func(b *addressBook, c *contactItem)) bool {
	st := s.contacts
	st.mu.Lock()
	b := st.book(owner)
	c := b.findContact(r)
	if c != nil {
		fn(b, c)
	}
	st.mu.Unlock()
	if c == nil {
		itemNotFound(w)
	}
	return c != nil
}

func (s *Server) getContact(w http.ResponseWriter, r *http.Request) {
	req, ok := s.contactsTarget(w, r, false)
	if !ok {
		return
	}
	var props map[string]any
	if s.onContact(w, r, req.owner, func(_ *addressBook, c *contactItem) { props = maps.Clone(c.props) }) {
		s.serveEntity(w, r, props, userContext(req.owner, "/contacts"))
	}
}

func (s *Server) updateContact(w http.ResponseWriter, r *http.Request) {
	req, body, ok := s.contactsWrite(w, r)
	if !ok {
		return
	}
	values, err := contactValues(body)
	if err != nil {
		writeGraphError(w, http.StatusBadRequest, "RequestBodyRead", err.Error())
		return
	}
	var props map[string]any
	var folder string
	found := s.onContact(w, r, req.owner, func(b *addressBook, c *contactItem) {
		next := maps.Clone(c.props)
		maps.Copy(next, values)
		touchContact(next, req.now)
		c.props = next
		b.touched(c)
		props = maps.Clone(next)
		folder = c.folder
	})
	if !found {
		return
	}
	s.PublishChange(req.owner, "contactFolders/"+folder+"/contacts", "updated", props["id"].(string))
	s.serveEntity(w, r, props, userContext(req.owner, "/contacts"))
}

func (s *Server) deleteContact(w http.ResponseWriter, r *http.Request) {
	req, ok := s.contactsTarget(w, r, true)
	if !ok {
		return
	}
	var folder, id string
	found := s.onContact(w, r, req.owner, func(b *addressBook, c *contactItem) {
		b.contacts = slices.DeleteFunc(b.contacts, func(x *contactItem) bool { return x == c })
		b.removedContact(c)
		folder, id = c.folder, c.id
	})
	if !found {
		return
	}
	s.PublishChange(req.owner, "contactFolders/"+folder+"/contacts", "deleted", id)
	w.WriteHeader(http.StatusNoContent)
}

// contactPhoto returns the photo of the contact r names; found reports
// whether the contact exists.
func (s *Server) contactPhoto(w http.ResponseWriter, r *http.Request) (p *profilePhoto, owner string, ok bool) {
	req, ok := s.contactsTarget(w, r, false)
	if !ok {
		return nil, "", false
	}
	if !s.onContact(w, r, req.owner, func(_ *addressBook, c *contactItem) { p = c.photo }) {
		return nil, "", false
	}
	if p == nil {
		writeGraphError(w, http.StatusNotFound, "ImageNotFound", "The photo wasn't found.")
		return nil, "", false
	}
	return p, req.owner, true
}

func (s *Server) getContactPhotoInfo(w http.ResponseWriter, r *http.Request) {
	if p, owner, ok := s.contactPhoto(w, r); ok {
		s.serveProfilePhotoInfo(w, p, userContext(owner, "/contacts('"+r.PathValue("cid")+"')/photo"))
	}
}

func (s *Server) getContactPhoto(w http.ResponseWriter, r *http.Request) {
	if p, _, ok := s.contactPhoto(w, r); ok {
		serveProfilePhoto(w, p)
	}
}

func (s *Server) serveProfilePhotoInfo(w http.ResponseWriter, p *profilePhoto, entitySet string) {
	s.writeEntity(w, http.StatusOK, p.metadata(), entitySet)
}

func serveProfilePhoto(w http.ResponseWriter, p *profilePhoto) {
	w.Header().Set("Content-Type", p.contentType)
	w.Header().Set("ETag", p.etag)
	w.WriteHeader(http.StatusOK)
	w.Write(p.data)
}

// maxContactPhotoSize is the largest contact photo Graph takes.
const maxContactPhotoSize = 4 << 20

func (s *Server) putContactPhoto(w http.ResponseWriter, r *http.Request) {
	req, ok := s.contactsTarget(w, r, true)
	if !ok {
		return
	}
	p, ok := readProfilePhoto(w, r)
	if !ok {
		return
	}
	if s.onContact(w, r, req.owner, func(_ *addressBook, c *contactItem) { c.photo = p }) {
		w.WriteHeader(http.StatusOK)
	}
}

// readProfilePhoto reads an image body, answering 400 when it is not one.
// The type is the request's image/* Content-Type or, sent as
// application/octet-stream (msgraph-sdk-go's default for a stream), what
// the bytes are. msgraph-sdk-go sends both its default and a type the
// caller adds, in no fixed order, so every Content-Type value is looked at.
func readProfilePhoto(w http.ResponseWriter, r *http.Request) (*profilePhoto, bool) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxContactPhotoSize))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeGraphError(w, http.StatusRequestEntityTooLarge, "ErrorRequestEntityTooLarge", "The photo is larger than 4 MB.")
		return nil, false
	case err != nil || len(data) == 0:
		writeGraphError(w, http.StatusBadRequest, "ErrorInvalidRequest", "The photo is empty.")
		return nil, false
	}
	mt, stream := "", false
	for _, v := range r.Header.Values("Content-Type") {
		t, _, _ := mime.ParseMediaType(v)
		if strings.HasPrefix(t, "image/") {
			mt = t
		}
		stream = stream || t == "application/octet-stream"
	}
	if sniffed := http.DetectContentType(data); mt == "" && stream && strings.HasPrefix(sniffed, "image/") {
		mt = sniffed
	}
	if mt == "" {
		writeGraphError(w, http.StatusBadRequest, "ErrorInvalidRequest", "The photo must have an image content type, such as image/jpeg.")
		return nil, false
	}
	return newProfilePhoto(data, mt), true
}

// listContactFolders serves /contactFolders (the folders under the
// default folder) and /contactFolders/{fid}/childFolders.
func (s *Server) listContactFolders(w http.ResponseWriter, r *http.Request) {
	req, ok := s.contactsTarget(w, r, false)
	if !ok {
		return
	}
	st := s.contacts
	st.mu.Lock()
	b := st.book(req.owner)
	parent := b.folderOf(r)
	found := b.folder(parent) != nil
	var items []map[string]any
	for _, f := range b.folders {
		if f.parent == parent {
			items = append(items, contactFolderJSON(f))
		}
	}
	st.mu.Unlock()
	if !found {
		itemNotFound(w)
		return
	}
	s.serveCollection(w, r, items, contactsCollection(userContext(req.owner, folderSet(r, "/contactFolders", "/childFolders"))))
}

// folderValues checks a contact folder body: displayName and
// parentFolderId are the writable properties.
func folderValues(body map[string]any) (name, parent *string, err error) {
	for k, v := range body {
		if strings.Contains(k, "@") || k == "id" {
			continue
		}
		if k != "displayName" && k != "parentFolderId" {
			return nil, nil, unknownContactProperty(k, "microsoft.graph.contactFolder")
		}
		str, ok := v.(string)
		if !ok {
			return nil, nil, wrongContactType(k, "Edm.String")
		}
		if k == "displayName" {
			name = &str
		} else {
			parent = &str
		}
	}
	return name, parent, nil
}

// contactFolderInput resolves a request that changes contact folders and
// reads the folder in its body, which must have a name when create; it
// answers the error itself when any of that fails.
func (s *Server) contactFolderInput(w http.ResponseWriter, r *http.Request, create bool) (req contactsRequest, name, parent *string, ok bool) {
	req, body, ok := s.contactsWrite(w, r)
	if !ok {
		return req, nil, nil, false
	}
	name, parent, err := folderValues(body)
	if err != nil {
		writeGraphError(w, http.StatusBadRequest, "RequestBodyRead", err.Error())
		return req, nil, nil, false
	}
	if create && name == nil || name != nil && strings.TrimSpace(*name) == "" {
		writeGraphError(w, http.StatusBadRequest, "ErrorInvalidRequest", "The folder name must not be empty.")
		return req, nil, nil, false
	}
	return req, name, parent, true
}

func (s *Server) createContactFolder(w http.ResponseWriter, r *http.Request) {
	req, name, parent, ok := s.contactFolderInput(w, r, true)
	if !ok {
		return
	}
	st := s.contacts
	st.mu.Lock()
	b := st.book(req.owner)
	under := b.defaultID
	if fid := r.PathValue("fid"); fid != "" {
		under = fid
	} else if parent != nil && *parent != "" {
		under = *parent
	}
	var (
		out    map[string]any
		status = http.StatusCreated
	)
	switch {
	case b.folder(under) == nil:
		status = http.StatusNotFound
	case b.nameTaken(under, *name, ""):
		status = http.StatusConflict
	default:
		f := &contactFolder{id: newContactItemID(), name: *name, parent: under}
		b.folders = append(b.folders, f)
		out = contactFolderJSON(f)
	}
	st.mu.Unlock()
	switch status {
	case http.StatusNotFound:
		itemNotFound(w)
	case http.StatusConflict:
		folderExists(w)
	default:
		s.writeEntity(w, status, out, userContext(req.owner, "/contactFolders"))
	}
}

func (s *Server) getContactFolder(w http.ResponseWriter, r *http.Request) {
	req, ok := s.contactsTarget(w, r, false)
	if !ok {
		return
	}
	st := s.contacts
	st.mu.Lock()
	var out map[string]any
	if f := st.book(req.owner).folder(r.PathValue("fid")); f != nil {
		out = contactFolderJSON(f)
	}
	st.mu.Unlock()
	if out == nil {
		itemNotFound(w)
		return
	}
	s.serveEntity(w, r, out, userContext(req.owner, "/contactFolders"))
}

func (s *Server) updateContactFolder(w http.ResponseWriter, r *http.Request) {
	req, name, parent, ok := s.contactFolderInput(w, r, false)
	if !ok {
		return
	}
	st := s.contacts
	st.mu.Lock()
	b := st.book(req.owner)
	fid := r.PathValue("fid")
	f := b.folder(fid)
	var fail func()
	switch {
	case f == nil:
		fail = func() { itemNotFound(w) }
	case fid == b.defaultID:
		fail = func() {
			writeGraphError(w, http.StatusBadRequest, "ErrorInvalidRequest", "The default Contacts folder cannot be renamed or moved.")
		}
	case parent != nil && b.folder(*parent) == nil:
		fail = func() { itemNotFound(w) }
	case parent != nil && b.under(*parent, fid):
		fail = func() {
			writeGraphError(w, http.StatusBadRequest, "ErrorMoveCopyFailed", "A folder cannot be moved into itself or one of its subfolders.")
		}
	}
	var out map[string]any
	if fail == nil {
		newName, newParent := f.name, f.parent
		if name != nil {
			newName = *name
		}
		if parent != nil {
			newParent = *parent
		}
		if b.nameTaken(newParent, newName, f.id) {
			fail = func() { folderExists(w) }
		} else {
			f.name, f.parent = newName, newParent
			out = contactFolderJSON(f)
		}
	}
	st.mu.Unlock()
	if fail != nil {
		fail()
		return
	}
	s.serveEntity(w, r, out, userContext(req.owner, "/contactFolders"))
}

func (s *Server) deleteContactFolder(w http.ResponseWriter, r *http.Request) {
	req, ok := s.contactsTarget(w, r, true)
	if !ok {
		return
	}
	st := s.contacts
	st.mu.Lock()
	b := st.book(req.owner)
	fid := r.PathValue("fid")
	f := b.folder(fid)
	isDefault := fid == b.defaultID
	if f != nil && !isDefault {
		doomed := map[string]bool{}
		for _, x := range b.folders {
			if b.under(x.id, fid) {
				doomed[x.id] = true
			}
		}
		b.folders = slices.DeleteFunc(b.folders, func(x *contactFolder) bool { return doomed[x.id] })
		b.contacts = slices.DeleteFunc(b.contacts, func(c *contactItem) bool {
			if doomed[c.folder] {
				b.removedContact(c)
			}
			return doomed[c.folder]
		})
	}
	st.mu.Unlock()
	switch {
	case f == nil:
		itemNotFound(w)
	case isDefault:
		writeGraphError(w, http.StatusForbidden, "ErrorDeleteDistinguishedFolder", "Distinguished folders cannot be deleted.")
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// ---- helpers for tests ----

// ShareContacts lets delegate read owner's contacts (and write them, when
// write is true), as when owner shares their Contacts folder in Outlook.
// The delegate's token also needs Contacts.Read.Shared (or
// Contacts.ReadWrite.Shared). Users are named by id or user principal
// name.
func (s *Server) ShareContacts(owner, delegate string, write bool) error {
	ids, err := s.userIDs(owner, delegate)
	if err != nil {
		return err
	}
	s.contacts.mu.Lock()
	defer s.contacts.mu.Unlock()
	s.contacts.shares[[2]string{ids[0], ids[1]}] = write
	return nil
}

// AddContact creates a contact for user (id or user principal name) in
// the folder with id folderID, or in the default Contacts folder when
// folderID is empty, and returns its id. contact is shaped like the body
// of Graph's POST /contacts, e.g. {"givenName": "Pavel",
// "emailAddresses": []any{map[string]any{"address": "pavelb@fabrikam.com"}}};
// it is checked as Graph checks that body.
func (s *Server) AddContact(user, folderID string, contact map[string]any) (string, error) {
	// Round-trip through JSON so the values have the types a request body
	// decodes to ([]any, not []string).
	raw, err := json.Marshal(contact)
	if err != nil {
		return "", fmt.Errorf("graphtest: AddContact: %w", err)
	}
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		return "", fmt.Errorf("graphtest: AddContact: %w", err)
	}
	values, err := contactValues(body)
	if err != nil {
		return "", fmt.Errorf("graphtest: AddContact: %w", err)
	}
	ids, err := s.userIDs(user)
	if err != nil {
		return "", err
	}
	id := ids[0]
	s.mu.Lock()
	now := s.now()
	s.mu.Unlock()
	st := s.contacts
	st.mu.Lock()
	defer st.mu.Unlock()
	b := st.book(id)
	if folderID == "" {
		folderID = b.defaultID
	}
	if b.folder(folderID) == nil {
		return "", fmt.Errorf("graphtest: AddContact: user %q has no contact folder %q", user, folderID)
	}
	c := &contactItem{id: newContactItemID(), folder: folderID}
	c.props = newContactProps(c.id, folderID, values, now)
	b.contacts = append(b.contacts, c)
	b.touched(c)
	return c.id, nil
}

// AddContactFolder creates a contact folder named name for user, under
// the folder with id parentID or under the default Contacts folder when
// parentID is empty, and returns its id.
func (s *Server) AddContactFolder(user, parentID, name string) (string, error) {
	ids, err := s.userIDs(user)
	if err != nil {
		return "", err
	}
	id := ids[0]
	if name == "" {
		return "", errors.New("graphtest: AddContactFolder: empty name")
	}
	st := s.contacts
	st.mu.Lock()
	defer st.mu.Unlock()
	b := st.book(id)
	if parentID == "" {
		parentID = b.defaultID
	}
	switch {
	case b.folder(parentID) == nil:
		return "", fmt.Errorf("graphtest: AddContactFolder: user %q has no contact folder %q", user, parentID)
	case b.nameTaken(parentID, name, ""):
		return "", fmt.Errorf("graphtest: AddContactFolder: a folder named %q exists already", name)
	}
	f := &contactFolder{id: newContactItemID(), name: name, parent: parentID}
	b.folders = append(b.folders, f)
	return f.id, nil
}
