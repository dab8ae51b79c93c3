package graphtest

// Contact delta: GET /me/contacts/delta (the default folder) and
// /me/contactFolders/{id}/contacts/delta. The first round answers every
// contact of the folder, later rounds (from the @odata.deltaLink) what was
// created, changed or deleted since, deletions as @removed.

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/go-o365/o365/graphtest/internal/odata"
)

// contactTombstone is a deleted contact, kept for the delta rounds that
// must report it.
type contactTombstone struct {
	id, folder string
	seq        int64
}

// touched records a change to c.
func (b *addressBook) touched(c *contactItem) {
	b.seq++
	c.seq = b.seq
}

// removedContact records the deletion of c.
func (b *addressBook) removedContact(c *contactItem) {
	b.seq++
	b.removed = append(b.removed, contactTombstone{id: c.id, folder: c.folder, seq: b.seq})
}

// contactDeltaToken is a round's position: changes in (after, upto], and
// since > 0 for a round that follows an earlier one (which reports
// deletions).
type contactDeltaToken struct{ since, upto, after int64 }

func (t contactDeltaToken) encode() string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "graphtest-contacts-delta:%d:%d:%d", t.since, t.upto, t.after))
}

func decodeContactDeltaToken(s string) (contactDeltaToken, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return contactDeltaToken{}, false
	}
	var t contactDeltaToken
	if _, err := fmt.Sscanf(string(b), "graphtest-contacts-delta:%d:%d:%d", &t.since, &t.upto, &t.after); err != nil {
		return contactDeltaToken{}, false
	}
	return t, true
}

func (s *Server) contactsDelta(w http.ResponseWriter, r *http.Request) {
	req, ok := s.contactsTarget(w, r, false)
	if !ok {
		return
	}
	q := r.URL.Query()
	st := s.contacts
	st.mu.Lock()
	b := st.book(req.owner)
	folder := b.folderOf(r)
	if b.folder(folder) == nil {
		st.mu.Unlock()
		itemNotFound(w)
		return
	}
	tok := contactDeltaToken{upto: b.seq}
	for _, name := range []string{"$deltatoken", "$skiptoken"} {
		if v := q.Get(name); v != "" {
			t, ok := decodeContactDeltaToken(v)
			if !ok || t.upto > b.seq {
				st.mu.Unlock()
				writeGraphError(w, http.StatusGone, "SyncStateNotFound", "The sync state generation is not found or has expired. Resync from the start.")
				return
			}
			tok = t
			if name == "$deltatoken" {
				tok = contactDeltaToken{since: t.upto, upto: b.seq, after: t.upto}
			}
		}
	}
	var changes []map[string]any
	for _, c := range b.contacts {
		if c.folder == folder && c.seq > tok.after && c.seq <= tok.upto {
			item := maps.Clone(c.props)
			item["@odata.type"] = "#microsoft.graph.contact"
			item[deltaSeqKey] = c.seq
			changes = append(changes, item)
		}
	}
	if tok.since > 0 {
		for _, t := range b.removed {
			if t.folder == folder && t.seq > tok.after && t.seq <= tok.upto {
				changes = append(changes, map[string]any{"@odata.type": "#microsoft.graph.contact", "id": t.id,
					"@removed": map[string]any{"reason": "deleted"}, deltaSeqKey: t.seq})
			}
		}
	}
	st.mu.Unlock()
	slices.SortFunc(changes, func(a, b map[string]any) int { return cmp.Compare(a[deltaSeqKey].(int64), b[deltaSeqKey].(int64)) })
	_, fields, err := odata.Apply(nil, url.Values{"$select": q["$select"]})
	if err != nil {
		writeGraphError(w, http.StatusBadRequest, "BadRequest", err.Error())
		return
	}
	pageSize, preferred := deltaPageSize(r)
	body := map[string]any{"@odata.context": s.GraphURL() + "/v1.0/$metadata#Collection(contact)"}
	keep := url.Values{}
	if v := q.Get("$select"); v != "" {
		keep.Set("$select", v)
	}
	page := changes
	if len(changes) > pageSize {
		page = changes[:pageSize]
		next := tok
		next.after = page[pageSize-1][deltaSeqKey].(int64)
		keep.Set("$skiptoken", next.encode())
		body["@odata.nextLink"] = s.graphBase(r) + r.URL.EscapedPath() + "?" + strings.ReplaceAll(keep.Encode(), "%24", "$")
	} else {
		keep.Set("$deltatoken", contactDeltaToken{upto: tok.upto}.encode())
		body["@odata.deltaLink"] = s.graphBase(r) + r.URL.EscapedPath() + "?" + strings.ReplaceAll(keep.Encode(), "%24", "$")
	}
	out := make([]map[string]any, len(page))
	for i, it := range page {
		delete(it, deltaSeqKey)
		out[i] = odata.Project(it, fields)
		if rm, ok := it["@removed"]; ok {
			out[i]["@removed"] = rm
		}
	}
	body["value"] = out
	if preferred != "" {
		w.Header().Set("Preference-Applied", preferred)
	}
	writeGraphJSON(w, http.StatusOK, body)
}
