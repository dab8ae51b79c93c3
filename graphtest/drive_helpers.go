package graphtest

import (
	"errors"
	"fmt"
	"strings"
)

// DriveOf returns the id of the default drive of owner: a user (id or
// user principal name; their OneDrive is provisioned on first use), a
// site (its id; its Documents library), or a group given a drive with
// AddGroupDrive.
func (s *Server) DriveOf(owner string) (string, error) {
	u, isUser := s.lookupUser(owner)
	st := s.drives
	st.mu.Lock()
	defer st.mu.Unlock()
	switch {
	case isUser:
		return st.userDriveLocked(u, s.now()).id, nil
	case st.siteLocked(owner) != nil:
		return st.siteLocked(owner).lists[0].driveID, nil
	}
	if d := st.ownedDriveLocked("group", owner); d != nil {
		return d.id, nil
	}
	return "", fmt.Errorf("graphtest: no user, site or group drive %q", owner)
}

// AddGroupDrive gives the group groupID a document library called name
// (Graph's /groups/{id}/drive) and returns the drive's id. The first
// drive added to a group is its default drive.
func (s *Server) AddGroupDrive(groupID, name string) string {
	st := s.drives
	st.mu.Lock()
	defer st.mu.Unlock()
	owner := identity{id: groupID, name: name}
	return st.newDriveLocked(gDrive{name: name, driveType: "documentLibrary", owner: owner, ownerKind: "group",
		ownerID: groupID, webURL: "https://" + DefaultSiteHost + "/sites/" + groupID + "/Shared%20Documents"}, s.now()).id
}

// AddFile stores data as the file at path ("Documents/plan.docx") in
// the drive driveID, creating the folders on the way, as the drive's
// owner. An existing file gets the data as a new version. It returns
// the file's item id.
func (s *Server) AddFile(driveID, path string, data []byte) (string, error) {
	c := s.drives.blocks.ContentOf(data)
	st := s.drives
	st.mu.Lock()
	defer st.mu.Unlock()
	d := st.drives[driveID]
	if d == nil {
		return "", fmt.Errorf("graphtest: no drive %q", driveID)
	}
	names := splitPath(path)
	if len(names) == 0 {
		return "", errors.New("graphtest: AddFile: empty path")
	}
	f, _, e := s.commitLocked(d, st.items[d.rootID], names[:len(names)-1], names[len(names)-1], "replace", c, d.owner)
	if e != nil {
		return "", fmt.Errorf("graphtest: AddFile %q: %s", path, e.message)
	}
	return f.id, nil
}

// FileContent returns the content of the file at path in the drive
// driveID, as a test's check of what a client uploaded.
func (s *Server) FileContent(driveID, path string) ([]byte, error) {
	st := s.drives
	st.mu.Lock()
	defer st.mu.Unlock()
	d := st.drives[driveID]
	if d == nil {
		return nil, fmt.Errorf("graphtest: no drive %q", driveID)
	}
	it := st.items[d.rootID]
	for _, name := range splitPath(path) {
		if it = st.childLocked(it, name); it == nil {
			return nil, fmt.Errorf("graphtest: no item %q in drive %s", path, driveID)
		}
	}
	if it.data == nil {
		return nil, fmt.Errorf("graphtest: %q is a folder", path)
	}
	return it.data.Bytes(), nil
}

func splitPath(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
