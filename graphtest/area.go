package graphtest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"sync"
	"time"
)

// What the Outlook areas (mail, contacts, calendar) answer alike: the
// user a request addresses, delegated access to shared data, JSON bodies,
// "not found" and @odata.context. Each area keeps its own scopes and
// rules; these are only the parts Graph answers the same way in all.

// sharedTarget is a request of an area whose data users share with
// delegates (contacts, calendars), resolved to the user it addresses.
type sharedTarget struct {
	owner  person
	caller caller
	now    time.Time
}

// areaScopes are the delegated scopes an area takes: for the caller's own
// data, and for data another user shared with them.
type areaScopes struct {
	read, write, readShared, writeShared []string
}

// resolveShared resolves whose data r is about ({uid}, or the caller for
// /me) and checks the caller may read it (or change it, for write): an
// app-only caller any user's, a delegated caller their own with scopes'
// own-data scopes, or another user's that user shared with them (shares,
// guarded by mu, maps {owner id, delegate id} to write access) with its
// shared scopes. It answers the error itself when not. It takes s.mu and
// then mu, one after the other.
func (s *Server) resolveShared(w http.ResponseWriter, r *http.Request, write bool, scopes areaScopes,
	mu *sync.Mutex, shares map[[2]string]bool) (sharedTarget, bool) {
	c, who, ok := addressedUser(w, r, "uid")
	if !ok {
		return sharedTarget{}, false
	}
	s.mu.Lock()
	u := s.userLocked(who)
	now := s.now()
	var owner person
	if u != nil {
		owner = personOf(u)
	}
	s.mu.Unlock()
	if u == nil {
		writeGraphError(w, http.StatusNotFound, "ErrorInvalidUser", "The requested user '"+who+"' is invalid.")
		return sharedTarget{}, false
	}
	allowed := c.appOnly()
	switch {
	case allowed:
	case owner.id == c.userID && write:
		allowed = hasScope(c, scopes.write...)
	case owner.id == c.userID:
		allowed = hasScope(c, scopes.read...)
	default:
		mu.Lock()
		canWrite, shared := shares[[2]string{owner.id, c.userID}]
		mu.Unlock()
		if write {
			allowed = shared && canWrite && hasScope(c, scopes.writeShared...)
		} else {
			allowed = shared && hasScope(c, scopes.readShared...)
		}
	}
	if !allowed {
		accessDenied(w)
		return sharedTarget{}, false
	}
	return sharedTarget{owner: owner, caller: c, now: now}, true
}

// addressedUser names the user r addresses: the path value param, or the
// signed-in user for /me, which app-only callers cannot use. It answers
// the error itself when there is none.
func addressedUser(w http.ResponseWriter, r *http.Request, param string) (c caller, who string, ok bool) {
	c = callerOf(r)
	who = r.PathValue(param)
	if who == "" {
		if c.appOnly() {
			writeGraphError(w, http.StatusBadRequest, "BadRequest", "/me request is only valid with delegated authentication flow.")
			return c, "", false
		}
		who = c.userID
	}
	return c, who, true
}

// hasScope reports whether the caller's token grants one of scopes,
// written bare ("Contacts.Read") or with Graph's resource prefix.
func hasScope(c caller, scopes ...string) bool {
	for _, have := range c.scopes {
		have = strings.TrimPrefix(have, "https://graph.microsoft.com/")
		for _, want := range scopes {
			if strings.EqualFold(have, want) {
				return true
			}
		}
	}
	return false
}

func accessDenied(w http.ResponseWriter) {
	writeGraphError(w, http.StatusForbidden, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
}

func folderExists(w http.ResponseWriter) {
	writeGraphError(w, http.StatusConflict, "ErrorFolderExists", "A folder with the specified name already exists.")
}

func itemNotFound(w http.ResponseWriter) {
	writeGraphError(w, http.StatusNotFound, "ErrorItemNotFound", "The specified object was not found in the store.")
}

// readJSONObject decodes a JSON object body of at most limit bytes,
// answering 400 when it is not one.
func readJSONObject(w http.ResponseWriter, r *http.Request, limit int64) (map[string]any, bool) {
	var body map[string]any
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	if err := dec.Decode(&body); err != nil || body == nil || dec.More() {
		writeGraphError(w, http.StatusBadRequest, "BadRequest",
			"Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
		return nil, false
	}
	return body, true
}

// userContext is the entity set path of one of a user's collections, for
// @odata.context: users('id')/contacts.
func userContext(owner, path string) string {
	return "users('" + owner + "')" + path
}

// writeEntity answers one item with status and the @odata.context of an
// entity of entitySet.
func (s *Server) writeEntity(w http.ResponseWriter, status int, item map[string]any, entitySet string) {
	out := maps.Clone(item)
	out["@odata.context"] = s.metadataURL(entitySet, nil) + "/$entity"
	writeGraphJSON(w, status, out)
}

// userIDs resolves users named by id or user principal name.
func (s *Server) userIDs(names ...string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, len(names))
	for i, name := range names {
		u := s.userLocked(name)
		if u == nil {
			return nil, fmt.Errorf("graphtest: no user %q", name)
		}
		ids[i] = u.ID
	}
	return ids, nil
}
