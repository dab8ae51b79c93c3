package graphtest

// The directory around a user: their manager, direct reports and profile
// photo, at /v1.0/me/… and /v1.0/users/{id or userPrincipalName}/…. Like
// /users, these answer any authenticated caller. Managers and photos are
// set with Server.SetManager and Server.SetUserPhoto; a client sets a
// photo with PUT …/photo/$value, as Graph allows.

import (
	"fmt"
	"net/http"
	"slices"
)

func (s *Server) directoryRoutes() []route {
	var rs []route
	add := func(path string, h http.HandlerFunc) {
		rs = append(rs,
			route{"GET /v1.0/me" + path, h},
			route{"GET /v1.0/users/{uid}" + path, h})
	}
	add("/manager", s.getManager)
	add("/directReports", s.listDirectReports)
	add("/photo", s.getUserPhotoInfo)
	add("/photo/$value", s.getUserPhoto)
	rs = append(rs,
		route{"PUT /v1.0/me/photo/$value", s.putUserPhoto},
		route{"PUT /v1.0/users/{uid}/photo/$value", s.putUserPhoto})
	return rs
}

// putUserPhoto sets a user's profile photo: one's own with User.ReadWrite,
// anyone's with User.ReadWrite.All (the only permission of an app).
func (s *Server) putUserPhoto(w http.ResponseWriter, r *http.Request) {
	u, ok := s.directoryUser(w, r)
	if !ok {
		return
	}
	c := callerOf(r)
	if !hasScope(c, "User.ReadWrite.All") && (c.appOnly() || c.userID != u.ID || !hasScope(c, "User.ReadWrite")) {
		accessDenied(w)
		return
	}
	p, ok := readProfilePhoto(w, r)
	if !ok {
		return
	}
	s.contacts.mu.Lock()
	s.contacts.userPhotos[u.ID] = p
	s.contacts.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// directoryUser resolves the user r names ("me" when the path has no
// {uid}), answering the error itself when there is none.
func (s *Server) directoryUser(w http.ResponseWriter, r *http.Request) (*User, bool) {
	_, who, ok := addressedUser(w, r, "uid")
	if !ok {
		return nil, false
	}
	s.mu.Lock()
	u := s.userLocked(who)
	var copied User
	if u != nil {
		copied = *u
	}
	s.mu.Unlock()
	if u == nil {
		directoryNotFound(w, who)
		return nil, false
	}
	return &copied, true
}

func directoryNotFound(w http.ResponseWriter, what string) {
	writeGraphError(w, http.StatusNotFound, "Request_ResourceNotFound",
		"Resource '"+what+"' does not exist or one of its queried reference-property objects are not present.")
}

// userObjectType names a user's derived type where a directoryObject
// navigation (manager, directReports) answers it.
var userObjectType = map[string]any{"@odata.type": "#microsoft.graph.user"}

// directoryObjectJSON is a user as a directoryObject navigation (group
// members and owners) answers it: the default properties with the
// derived type named.
func directoryObjectJSON(u *User) map[string]any {
	m := userDefaultJSON(u)
	m["@odata.type"] = userObjectType["@odata.type"]
	return m
}

func (s *Server) getManager(w http.ResponseWriter, r *http.Request) {
	u, ok := s.directoryUser(w, r)
	if !ok {
		return
	}
	s.contacts.mu.Lock()
	managerID := s.contacts.managers[u.ID]
	s.contacts.mu.Unlock()
	var manager User
	s.mu.Lock()
	m := s.userLocked(managerID)
	if m != nil {
		manager = *m
	}
	s.mu.Unlock()
	if m == nil {
		directoryNotFound(w, "manager")
		return
	}
	s.serveDirectoryUser(w, r, &manager, "directoryObjects", userObjectType)
}

func (s *Server) listDirectReports(w http.ResponseWriter, r *http.Request) {
	u, ok := s.directoryUser(w, r)
	if !ok {
		return
	}
	s.contacts.mu.Lock()
	reports := map[string]bool{}
	for id, manager := range s.contacts.managers {
		if manager == u.ID {
			reports[id] = true
		}
	}
	s.contacts.mu.Unlock()
	var items []map[string]any
	who := callerOf(r)
	s.mu.Lock()
	for _, x := range s.users {
		if reports[x.ID] {
			item := userJSONFor(who, x)
			item["@odata.type"] = userObjectType["@odata.type"]
			items = append(items, item)
		}
	}
	s.mu.Unlock()
	c := directoryUsers
	c.entitySet = "directoryObjects"
	s.serveCollection(w, r, items, c)
}

// userPhoto returns the photo of the user r names, answering the error
// itself when there is none.
func (s *Server) userPhoto(w http.ResponseWriter, r *http.Request) (*profilePhoto, *User, bool) {
	u, ok := s.directoryUser(w, r)
	if !ok {
		return nil, nil, false
	}
	s.contacts.mu.Lock()
	p := s.contacts.userPhotos[u.ID]
	s.contacts.mu.Unlock()
	if p == nil {
		writeGraphError(w, http.StatusNotFound, "ImageNotFound",
			"Exception of type 'Microsoft.Fast.Profile.Core.Exception.ImageNotFoundException' was thrown.")
		return nil, nil, false
	}
	return p, u, true
}

func (s *Server) getUserPhotoInfo(w http.ResponseWriter, r *http.Request) {
	if p, u, ok := s.userPhoto(w, r); ok {
		s.serveProfilePhotoInfo(w, p, "users('"+u.ID+"')/photo")
	}
}

func (s *Server) getUserPhoto(w http.ResponseWriter, r *http.Request) {
	if p, _, ok := s.userPhoto(w, r); ok {
		serveProfilePhoto(w, p)
	}
}

// SetManager makes manager the manager of user (both named by id or user
// principal name); an empty manager removes user's manager.
func (s *Server) SetManager(user, manager string) error {
	if manager == "" {
		ids, err := s.userIDs(user)
		if err != nil {
			return err
		}
		s.contacts.mu.Lock()
		defer s.contacts.mu.Unlock()
		delete(s.contacts.managers, ids[0])
		return nil
	}
	ids, err := s.userIDs(user, manager)
	if err != nil {
		return err
	}
	id, managerID := ids[0], ids[1]
	if id == managerID {
		return fmt.Errorf("graphtest: SetManager: %q cannot manage themselves", user)
	}
	s.contacts.mu.Lock()
	defer s.contacts.mu.Unlock()
	s.contacts.managers[id] = managerID
	return nil
}

// SetUserPhoto sets the profile photo of user (id or user principal name)
// to data, an image of the given content type ("image/jpeg" when empty);
// nil data removes it.
func (s *Server) SetUserPhoto(user, contentType string, data []byte) error {
	ids, err := s.userIDs(user)
	if err != nil {
		return err
	}
	id := ids[0]
	if contentType == "" {
		contentType = "image/jpeg"
	}
	s.contacts.mu.Lock()
	defer s.contacts.mu.Unlock()
	if data == nil {
		delete(s.contacts.userPhotos, id)
		return nil
	}
	s.contacts.userPhotos[id] = newProfilePhoto(slices.Clone(data), contentType)
	return nil
}
