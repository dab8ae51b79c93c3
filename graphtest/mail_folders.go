package graphtest

import (
	"net/http"
	"slices"
	"strings"

	"github.com/go-o365/o365/graphtest/internal/odata"
)

// folderJSON is a mailFolder with its counts.
func (x *mailReq) folderJSON(f *mfolder) map[string]any {
	c := x.box.countFolders()[f.id]
	children, total, unread := c.children, c.total, c.unread
	return map[string]any{
		"id":               f.id,
		"displayName":      f.name,
		"parentFolderId":   nullable(f.parentID),
		"childFolderCount": children,
		"unreadItemCount":  unread,
		"totalItemCount":   total,
		"isHidden":         f.hidden,
	}
}

// folderOf is the folder a folder route addresses ({folder}), or the root
// for /mailFolders itself.
func (x *mailReq) folderOf() (*mfolder, mailReply) {
	id := x.r.PathValue("folder")
	if id == "" {
		return x.box.folder(mailRootFolder), nil
	}
	f := x.box.folder(id)
	if f == nil {
		return nil, mailNotFound(id)
	}
	return f, nil
}

// childOfParent checks the route's {parent}, when it has one: the folder
// addressed as mailFolders/{parent}/childFolders/{folder} must be a child
// of that parent, or Outlook finds no such item.
func (x *mailReq) childOfParent() mailReply {
	pid := x.r.PathValue("parent")
	if pid == "" {
		return nil
	}
	parent := x.box.folder(pid)
	if parent == nil {
		return mailNotFound(pid)
	}
	id := x.r.PathValue("folder")
	if f := x.box.folder(id); f == nil || f.parentID != parent.id {
		return mailNotFound(id)
	}
	return nil
}

func (s *Server) listMailFolders(w http.ResponseWriter, r *http.Request) {
	s.inMailbox(w, r, needRead, func(x *mailReq) mailReply {
		parent, rep := x.folderOf()
		if rep != nil {
			return rep
		}
		hidden := strings.EqualFold(r.URL.Query().Get("includeHiddenFolders"), "true")
		var fs []*mfolder
		for _, f := range x.box.folders {
			if f.parentID == parent.id && (hidden || !f.hidden) {
				fs = append(fs, f)
			}
		}
		slices.SortFunc(fs, func(a, b *mfolder) int { return strings.Compare(strings.ToLower(a.name), strings.ToLower(b.name)) })
		items := make([]map[string]any, len(fs))
		for i, f := range fs {
			items[i] = x.folderJSON(f)
		}
		set := x.entitySet("mailFolders")
		if r.PathValue("folder") != "" {
			set = x.entitySet("mailFolders('" + parent.id + "')/childFolders")
		}
		return func(w http.ResponseWriter) {
			s.serveCollection(w, r, items, collection{entitySet: set, pageSize: 10, maxTop: 1000, errorCode: "BadRequest"})
		}
	})
}

func (s *Server) getMailFolder(w http.ResponseWriter, r *http.Request) {
	s.inMailbox(w, r, needRead, func(x *mailReq) mailReply {
		f, rep := x.folderOf()
		if rep != nil {
			return rep
		}
		item := x.folderJSON(f)
		return func(w http.ResponseWriter) { s.serveEntity(w, r, item, x.entitySet("mailFolders")) }
	})
}

// mailFolderInput reads the body of a folder create or update.
func mailFolderInput(body map[string]any) (name string, hidden *bool, rep mailReply) {
	for k, v := range body {
		switch k {
		case "displayName":
			s, ok := v.(string)
			if !ok || strings.TrimSpace(s) == "" {
				return "", nil, mailBadValue(k, v)
			}
			name = s
		case "isHidden":
			b, ok := v.(bool)
			if !ok {
				return "", nil, mailBadValue(k, v)
			}
			hidden = &b
		case "id", "parentFolderId", "childFolderCount", "unreadItemCount", "totalItemCount", "@odata.type", "@odata.context":
		default:
			return "", nil, mailError(http.StatusBadRequest, "RequestBodyRead",
				odata.UnknownProperty(k, "microsoft.graph.mailFolder"))
		}
	}
	return name, hidden, nil
}

var errMailFolderExists mailReply = folderExists

// folderNameTaken reports whether parent has a child named name (other than f).
func (x *mailReq) folderNameTaken(parentID, name string, f *mfolder) bool {
	for _, c := range x.box.folders {
		if c != f && c.parentID == parentID && strings.EqualFold(c.name, name) {
			return true
		}
	}
	return false
}

func (s *Server) createMailFolder(w http.ResponseWriter, r *http.Request) {
	s.inMailboxBody(w, r, needWrite, func(x *mailReq, body map[string]any) mailReply {
		parent, rep := x.folderOf()
		if rep != nil {
			return rep
		}
		name, hidden, rep := mailFolderInput(body)
		if rep != nil {
			return rep
		}
		if name == "" {
			return mailError(http.StatusBadRequest, "ErrorInvalidRequest", "The displayName property is required.")
		}
		if x.folderNameTaken(parent.id, name, nil) {
			return errMailFolderExists
		}
		f := &mfolder{id: newMailFolderID(), parentID: parent.id, name: name, hidden: hidden != nil && *hidden}
		x.box.folders[f.id] = f
		f.seq = x.st.next()
		item := x.folderJSON(f)
		return s.mailEntity(http.StatusCreated, item, x.entitySet("mailFolders"))
	})
}

func (s *Server) updateMailFolder(w http.ResponseWriter, r *http.Request) {
	s.inMailboxBody(w, r, needWrite, func(x *mailReq, body map[string]any) mailReply {
		f, rep := x.folderOf()
		if rep != nil {
			return rep
		}
		name, _, rep := mailFolderInput(body)
		if rep != nil {
			return rep
		}
		if name != "" {
			if x.folderNameTaken(f.parentID, name, f) {
				return errMailFolderExists
			}
			f.name = name
			f.seq = x.st.next()
		}
		item := x.folderJSON(f)
		return s.mailEntity(http.StatusOK, item, x.entitySet("mailFolders"))
	})
}

// folderSubtree lists f and every folder under it.
func (x *mailReq) folderSubtree(f *mfolder) []*mfolder {
	out := []*mfolder{f}
	for i := 0; i < len(out); i++ {
		for _, c := range x.box.folders {
			if c.parentID == out[i].id {
				out = append(out, c)
			}
		}
	}
	return out
}

func (s *Server) deleteMailFolder(w http.ResponseWriter, r *http.Request) {
	s.inMailbox(w, r, needWrite, func(x *mailReq) mailReply {
		f, rep := x.folderOf()
		if rep != nil {
			return rep
		}
		if f.wellKnown != "" {
			return mailError(http.StatusBadRequest, "ErrorDeleteDistinguishedFolder", "Distinguished folders cannot be deleted.")
		}
		for _, sub := range x.folderSubtree(f) {
			for _, m := range x.box.messages {
				if m.folderID == sub.id {
					x.removeMessage(m)
				}
			}
			delete(x.box.folders, sub.id)
			x.box.removedFolders = append(x.box.removedFolders, mailTombstone{id: sub.id, folderID: sub.parentID, seq: x.st.next()})
		}
		return func(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }
	})
}

func (s *Server) moveMailFolder(w http.ResponseWriter, r *http.Request) {
	s.moveOrCopyFolder(w, r, true)
}
func (s *Server) copyMailFolder(w http.ResponseWriter, r *http.Request) {
	s.moveOrCopyFolder(w, r, false)
}

func (s *Server) moveOrCopyFolder(w http.ResponseWriter, r *http.Request, move bool) {
	s.inMailboxBody(w, r, needWrite, func(x *mailReq, body map[string]any) mailReply {
		f, rep := x.folderOf()
		if rep != nil {
			return rep
		}
		dest, rep := x.destination(body)
		if rep != nil {
			return rep
		}
		tree := x.folderSubtree(f)
		if slices.Contains(tree, dest) {
			return mailError(http.StatusBadRequest, "ErrorMoveCopyFailed", "A folder cannot be moved or copied into itself or one of its subfolders.")
		}
		if f.wellKnown != "" && move {
			return mailError(http.StatusBadRequest, "ErrorMoveDistinguishedFolder", "Distinguished folders cannot be moved.")
		}
		if x.folderNameTaken(dest.id, f.name, f) {
			return errMailFolderExists
		}
		result := f
		if move {
			f.parentID = dest.id
			f.seq = x.st.next()
		} else {
			result = x.copyMailTree(f, dest.id)
		}
		item := x.folderJSON(result)
		return s.mailEntity(http.StatusOK, item, x.entitySet("mailFolders"))
	})
}

// copyMailTree copies f, its messages and its subfolders under parentID.
func (x *mailReq) copyMailTree(f *mfolder, parentID string) *mfolder {
	cp := &mfolder{id: newMailFolderID(), parentID: parentID, name: f.name, hidden: f.hidden}
	var msgs, subs []string
	for id, m := range x.box.messages {
		if m.folderID == f.id {
			msgs = append(msgs, id)
		}
	}
	for id, c := range x.box.folders {
		if c.parentID == f.id {
			subs = append(subs, id)
		}
	}
	x.box.folders[cp.id] = cp
	cp.seq = x.st.next()
	for _, id := range msgs {
		x.copyMailMessage(x.box.messages[id], cp, nil)
	}
	for _, id := range subs {
		x.copyMailTree(x.box.folders[id], cp.id)
	}
	return cp
}
