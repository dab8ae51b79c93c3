package graphtest

import (
	"bytes"
	"image"
	_ "image/gif" // thumbnails of GIF images
	_ "image/png" // thumbnails of PNG images
	"net/http"
	"strconv"
	"strings"

	"github.com/go-o365/o365/graphtest/internal/thumbnail"
)

// Versions: an item's earlier contents are "1.0", "2.0", …; the current
// content is the next number.

func currentVersionID(it *gItem) string { return strconv.Itoa(len(it.versions)+1) + ".0" }

// versionLocked finds an earlier version (or the current one) by id.
func versionLocked(it *gItem, id string) *gVersion {
	if id == currentVersionID(it) {
		return &gVersion{data: it.data, modified: it.modified, by: it.modifiedBy}
	}
	n, err := strconv.Atoi(strings.TrimSuffix(id, ".0"))
	if err != nil || n < 1 || n > len(it.versions) {
		return nil
	}
	return it.versions[n-1]
}

func versionJSON(id string, v *gVersion) map[string]any {
	return map[string]any{
		"id": id, "lastModifiedDateTime": driveTime(v.modified), "lastModifiedBy": v.by.set(), "size": v.data.Size(),
	}
}

func (s *Server) serveVersions(w http.ResponseWriter, r *http.Request, who identity, d *gDrive, it *gItem, rest []string) {
	if it.folder {
		errInvalid("Folders have no versions.").write(w)
		return
	}
	st := s.drives
	set := itemSet(d) + "('" + it.id + "')/versions"
	switch {
	case len(rest) == 0 && r.Method == http.MethodGet:
		st.mu.Lock()
		items := []map[string]any{versionJSON(currentVersionID(it), versionLocked(it, currentVersionID(it)))}
		for n := len(it.versions); n >= 1; n-- {
			items = append(items, versionJSON(strconv.Itoa(n)+".0", it.versions[n-1]))
		}
		st.mu.Unlock()
		s.serveCollection(w, r, items, driveCollection(set))
	case len(rest) == 1 && r.Method == http.MethodGet:
		st.mu.Lock()
		v := versionLocked(it, rest[0])
		st.mu.Unlock()
		if v == nil {
			errNotFound().write(w)
			return
		}
		s.serveEntity(w, r, versionJSON(rest[0], v), set)
	case len(rest) == 2 && rest[1] == "content" && r.Method == http.MethodGet:
		st.mu.Lock()
		v := versionLocked(it, rest[0])
		st.mu.Unlock()
		if v == nil {
			errNotFound().write(w)
			return
		}
		s.redirect(w, st.sign(tokenVersion, it.id, rest[0], s.now()))
	case len(rest) == 2 && rest[1] == "restoreVersion" && r.Method == http.MethodPost:
		st.mu.Lock()
		v := versionLocked(it, rest[0])
		if v != nil {
			st.setContentLocked(it, v.data, who, s.now())
		}
		st.mu.Unlock()
		if v == nil {
			errNotFound().write(w)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		unknownSegment(w, r)
	}
}

// Thumbnails: image files get set "0" with the standard sizes, fitted in
// a square of 96, 176 and 800 pixels without enlarging; custom sizes
// "c{w}x{h}" (optionally "_crop") fit in that box.

// imageSize reads the dimensions of an image file.
func imageSize(it *gItem) (w, h int, ok bool) {
	if it.data == nil || !strings.HasPrefix(it.mime, "image/") || it.data.Size() > thumbnail.MaxImageBytes {
		return 0, 0, false
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(it.data.Head(64 << 10)))
	if err != nil {
		return 0, 0, false
	}
	return cfg.Width, cfg.Height, true
}

func (s *Server) thumbnailJSONLocked(it *gItem, size string) map[string]any {
	w, h, ok := imageSize(it)
	boxW, boxH, okBox := thumbnail.Box(size)
	if !ok || !okBox {
		return nil
	}
	tw, th := thumbnail.Fit(w, h, boxW, boxH)
	return map[string]any{"width": tw, "height": th, "url": s.storageURL(s.drives.sign(tokenThumbnail, it.id, size, s.now()))}
}

// thumbnailSetsLocked is the thumbnails collection of an item.
func (s *Server) thumbnailSetsLocked(it *gItem) []map[string]any {
	if _, _, ok := imageSize(it); !ok {
		return []map[string]any{}
	}
	set := map[string]any{"id": "0"}
	for size := range thumbnail.Edges {
		set[size] = s.thumbnailJSONLocked(it, size)
	}
	return []map[string]any{set}
}

func (s *Server) serveThumbnails(w http.ResponseWriter, r *http.Request, d *gDrive, it *gItem, rest []string) {
	if r.Method != http.MethodGet {
		methodNotAllowed(w)
		return
	}
	st := s.drives
	set := itemSet(d) + "('" + it.id + "')/thumbnails"
	if len(rest) == 0 {
		st.mu.Lock()
		sets := s.thumbnailSetsLocked(it)
		st.mu.Unlock()
		s.serveCollection(w, r, sets, driveCollection(set))
		return
	}
	if rest[0] != "0" {
		errNotFound().write(w)
		return
	}
	st.mu.Lock()
	sets := s.thumbnailSetsLocked(it)
	var thumb map[string]any
	if len(rest) > 1 {
		thumb = s.thumbnailJSONLocked(it, rest[1])
	}
	st.mu.Unlock()
	switch {
	case len(sets) == 0:
		errNotFound().write(w)
	case len(rest) == 1:
		s.serveEntity(w, r, sets[0], set)
	case thumb == nil:
		errInvalid("Invalid thumbnail size '" + rest[1] + "'.").write(w)
	case len(rest) == 2:
		writeGraphJSON(w, http.StatusOK, thumb)
	case len(rest) == 3 && rest[2] == "content":
		s.redirect(w, st.sign(tokenThumbnail, it.id, rest[1], s.now()))
	default:
		unknownSegment(w, r)
	}
}
