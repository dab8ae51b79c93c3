package graphtest

import "net/http"

func (s *Server) userRoutes() []route {
	return []route{
		{"GET /v1.0/me", s.getMe},
		{"GET /v1.0/users", s.listUsers},
		{"GET /v1.0/users/{id}", s.getUser},
	}
}

// usersCollection pages like Graph's directory: up to 999 per page, no
// $skip, and $search/$count only with ConsistencyLevel: eventual.
var usersCollection = collection{
	entitySet: "users",
	pageSize:  100,
	maxTop:    999,
	noSkip:    true,
	eventual:  true,
	errorCode: "Request_BadRequest",
}

func (s *Server) getMe(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	if c.appOnly() {
		writeGraphError(w, http.StatusBadRequest, "BadRequest", "/me request is only valid with delegated authentication flow.")
		return
	}
	s.serveUser(w, r, c.userID)
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) {
	s.serveUser(w, r, r.PathValue("id"))
}

func (s *Server) serveUser(w http.ResponseWriter, r *http.Request, idOrUPN string) {
	s.mu.Lock()
	var u User
	found := s.userLocked(idOrUPN)
	if found != nil {
		u = *found
	}
	s.mu.Unlock()
	if found == nil {
		writeGraphError(w, http.StatusNotFound, "Request_ResourceNotFound",
			"Resource '"+idOrUPN+"' does not exist or one of its queried reference-property objects are not present.")
		return
	}
	s.serveDirectoryUser(w, r, &u, "users", nil)
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	full := queriesProperties(r.URL.Query())
	s.mu.Lock()
	items := make([]map[string]any, 0, len(s.users))
	for _, u := range s.users {
		if full {
			items = append(items, userJSONFor(c, u))
		} else {
			items = append(items, userDefaultJSON(u))
		}
	}
	s.mu.Unlock()
	s.serveCollection(w, r, items, directoryUsers)
}

// nullable maps an unset string property to JSON null, as Graph sends it.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
