package graphtest

import (
	"cmp"
	"encoding/base64"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Delta tokens are change numbers, made opaque.

func deltaToken(seq int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("graphtest-delta:" + strconv.FormatInt(seq, 10)))
}

func parseDeltaToken(tok string) (int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimPrefix(string(b), "graphtest-delta:"), 10, 64)
	return n, err == nil && strings.HasPrefix(string(b), "graphtest-delta:")
}

// ExpireDeltaTokens makes every delta token issued so far expired: using
// one answers 410 Gone with resyncRequired, and the client must start
// over.
func (s *Server) ExpireDeltaTokens() {
	st := s.drives
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, d := range st.drives {
		d.minDelta = st.seq + 1
	}
}

func (s *Server) serveDelta(w http.ResponseWriter, r *http.Request, d *gDrive, folder *gItem, op string) {
	if !folder.folder {
		errInvalid("Delta is available on folders only.").write(w)
		return
	}
	tok := r.URL.Query().Get("token")
	if arg, ok := functionArg(op, "delta", "token"); ok {
		tok = arg
	}
	st := s.drives
	st.mu.Lock()
	var (
		items []map[string]any
		e     *gErr
	)
	since := int64(-1)
	switch tok {
	case "":
	case "latest":
		since = st.seq
	default:
		n, ok := parseDeltaToken(tok)
		switch {
		case !ok:
			e = errInvalid("Invalid delta token.")
		case n < d.minDelta:
			e = &gErr{http.StatusGone, "resyncRequired", "Resync required. Replace any local items with the server's version (including deletes) if you're sure that the service was up to date with your local changes when you last sync'd. Upload any local changes that the server doesn't know about."}
		}
		since = n
	}
	link := s.graphBase(r) + "/v1.0/drives/" + d.id + "/items/" + folder.id + "/delta?token=" + deltaToken(st.seq)
	if e == nil {
		items = s.deltaItemsLocked(d, folder, since)
	}
	st.mu.Unlock()
	if e != nil {
		e.write(w)
		return
	}
	c := driveCollection(itemSet(d))
	c.final = map[string]any{"@odata.deltaLink": link}
	s.serveCollection(w, r, items, c)
}

// deltaItemsLocked lists the folder's subtree: every live item, parents
// first, for a first round (since < 0); else the items changed after
// since, deleted ones included, in the order of their changes.
func (s *Server) deltaItemsLocked(d *gDrive, folder *gItem, since int64) []map[string]any {
	var picked []*gItem
	var walk func(*gItem)
	walk = func(f *gItem) {
		for _, c := range f.children {
			if since < 0 && c.deleted {
				continue
			}
			if since < 0 || c.seq > since {
				picked = append(picked, c)
			}
			if c.folder && !c.deleted {
				walk(c)
			}
		}
	}
	if since < 0 || folder.seq > since {
		picked = append(picked, folder)
	}
	walk(folder)
	if since >= 0 {
		slices.SortStableFunc(picked, func(a, b *gItem) int { return cmp.Compare(a.seq, b.seq) })
	}
	out := make([]map[string]any, 0, len(picked))
	for _, it := range picked {
		if it.deleted {
			out = append(out, map[string]any{"id": it.id, "name": it.name, "deleted": map[string]any{"state": "deleted"},
				"parentReference": map[string]any{"driveId": d.id, "driveType": d.driveType, "id": it.parentID}})
			continue
		}
		out = append(out, s.itemJSONLocked(d, it))
	}
	return out
}
