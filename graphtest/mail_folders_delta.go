package graphtest

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/go-o365/o365/graphtest/internal/odata"
)

// mailFolderDelta serves /mailFolders/delta: every folder of the mailbox
// (the hierarchy flattened, hidden ones and the root left out), then from
// the delta link the folders created, renamed, moved or copied since, and
// deleted ones as @removed. Rounds page by Prefer odata.maxpagesize.
func (s *Server) mailFolderDelta(w http.ResponseWriter, r *http.Request) {
	s.inMailbox(w, r, needRead, func(x *mailReq) mailReply {
		q := r.URL.Query()
		x.st.recount(x.box)
		tok := mailDeltaToken{epoch: x.st.epoch, upto: x.st.seq}
		for _, name := range []string{"$deltatoken", "$skiptoken"} {
			if v := q.Get(name); v != "" {
				t, ok := decodeMailDeltaToken(v)
				if !ok || t.epoch != x.st.epoch {
					return mailError(http.StatusGone, "SyncStateNotFound", "The sync state generation is not found or has expired. Resync from the start.")
				}
				tok = t
				if name == "$deltatoken" {
					tok = mailDeltaToken{epoch: t.epoch, since: t.upto, upto: x.st.seq, after: t.upto}
				}
			}
		}
		pageSize, preferred := deltaPageSize(r)

		var changes []map[string]any
		for _, f := range x.box.folders {
			if f.wellKnown != mailRootFolder && !f.hidden && f.seq > tok.after && f.seq <= tok.upto {
				item := x.folderJSON(f)
				item["@odata.type"] = "#microsoft.graph.mailFolder"
				item[deltaSeqKey] = f.seq
				changes = append(changes, item)
			}
		}
		if tok.since > 0 {
			for _, t := range x.box.removedFolders {
				if t.seq > tok.after && t.seq <= tok.upto {
					changes = append(changes, map[string]any{"@odata.type": "#microsoft.graph.mailFolder", "id": t.id,
						"@removed": map[string]any{"reason": "deleted"}, deltaSeqKey: t.seq})
				}
			}
		}
		slices.SortFunc(changes, func(a, b map[string]any) int { return cmp.Compare(a[deltaSeqKey].(int64), b[deltaSeqKey].(int64)) })
		_, fields, err := odata.Apply(nil, url.Values{"$select": q["$select"]})
		if err != nil {
			return mailError(http.StatusBadRequest, "BadRequest", err.Error())
		}
		body := map[string]any{"@odata.context": s.GraphURL() + "/v1.0/$metadata#Collection(mailFolder)"}
		keep := url.Values{}
		if v := q.Get("$select"); v != "" {
			keep.Set("$select", v)
		}
		link := s.graphBase(r) + r.URL.EscapedPath() + "?"
		page := changes
		if len(changes) > pageSize {
			page = changes[:pageSize]
			next := tok
			next.after = page[pageSize-1][deltaSeqKey].(int64)
			keep.Set("$skiptoken", next.encode())
			body["@odata.nextLink"] = link + strings.ReplaceAll(keep.Encode(), "%24", "$")
		} else {
			keep.Set("$deltatoken", mailDeltaToken{epoch: tok.epoch, upto: tok.upto}.encode())
			body["@odata.deltaLink"] = link + strings.ReplaceAll(keep.Encode(), "%24", "$")
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
		return func(w http.ResponseWriter) {
			if preferred != "" {
				w.Header().Set("Preference-Applied", preferred)
			}
			writeGraphJSON(w, http.StatusOK, body)
		}
	})
}

// folderCounts are the counts a mailFolder carries: childFolderCount,
// totalItemCount, unreadItemCount.
type folderCounts struct{ children, total, unread int }

// countFolders computes every folder's counts in one pass over b.
func (b *mbox) countFolders() map[string]folderCounts {
	out := make(map[string]folderCounts, len(b.folders))
	for _, f := range b.folders {
		if f.parentID != "" {
			c := out[f.parentID]
			c.children++
			out[f.parentID] = c
		}
	}
	for _, m := range b.messages {
		c := out[m.folderID]
		c.total++
		if m.props["isRead"] != true {
			c.unread++
		}
		out[m.folderID] = c
	}
	return out
}

// recount marks as changed every folder of b whose counts moved since
// the last delta round looked: a message arrived, left or was read, or a
// child folder came or went. The counts are part of the mailFolder that
// delta hands out (mailfolder-delta.md's response example carries
// childFolderCount, unreadItemCount and totalItemCount, and the page says
// delta keeps a local store of the folders in sync without fetching them
// all again), so a folder whose counts changed is in the next round.
// Comparing only when a round is asked for keeps seeding and mail traffic
// free of the walk. st.mu must be held.
func (st *mailStore) recount(b *mbox) {
	counts := b.countFolders()
	for _, f := range b.folders {
		if c := counts[f.id]; c != f.counts {
			f.counts = c
			f.seq = st.next()
		}
	}
}
