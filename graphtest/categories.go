package graphtest

// Outlook master categories at /v1.0/me/outlook/masterCategories and
// /v1.0/users/{id}/outlook/masterCategories.
//
// Rules the emulator follows, as Graph does:
//
//   - Each mailbox starts with Outlook's six default categories: Red
//     category (preset0), Orange (preset1), Yellow (preset3), Green
//     (preset4), Blue (preset7) and Purple category (preset8).
//   - A category has an id, a displayName and a color: "none" or
//     "preset0" … "preset24" (read without regard to case, answered in
//     Graph's spelling); another value is 400. A new category without a
//     color gets "none".
//   - Names are unique without regard to case (409). Only the color can
//     be changed; a displayName in a PATCH is 400.
//   - Scopes: MailboxSettings.Read to read, MailboxSettings.ReadWrite to
//     write (see todo_store.go for other users' mailboxes).

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/go-o365/o365/graphtest/internal/odata"
	"github.com/go-o365/o365/graphtest/internal/personalinput"
)

type category struct {
	id, name, color string
}

func (c *category) json() map[string]any {
	return map[string]any{"id": c.id, "displayName": c.name, "color": c.color}
}

// defaultCategories are Outlook's categories of a new mailbox.
var defaultCategories = [][2]string{
	{"Red category", "preset0"}, {"Orange category", "preset1"}, {"Yellow category", "preset3"},
	{"Green category", "preset4"}, {"Blue category", "preset7"}, {"Purple category", "preset8"},
}

// categoriesOf returns user's master list, seeded on first use; d.mu is
// held.
func (d *personalData) categoriesOf(user string) []*category {
	cs, ok := d.cats[user]
	if !ok {
		for _, c := range defaultCategories {
			cs = append(cs, &category{id: newGUID(), name: c[0], color: c[1]})
		}
		d.cats[user] = cs
	}
	return cs
}

// categoryColor reads a categoryColor value.
func categoryColor(v any) (string, bool) {
	s, ok := v.(string)
	if !ok {
		return "", false
	}
	if strings.EqualFold(s, "none") {
		return "none", true
	}
	n, found := strings.CutPrefix(strings.ToLower(s), "preset")
	i, err := strconv.Atoi(n)
	if !found || err != nil || i < 0 || i > 24 || strconv.Itoa(i) != n {
		return s, false
	}
	return "preset" + n, true
}

func (s *Server) categoryRoutes() []route {
	var rs []route
	add := func(method, path string, h http.HandlerFunc) {
		rs = append(rs,
			route{method + " /v1.0/me/outlook/masterCategories" + path, h},
			route{method + " /v1.0/users/{uid}/outlook/masterCategories" + path, h})
	}
	add("GET", "", s.listCategories)
	add("POST", "", s.createCategory)
	add("GET", "/{cid}", s.onCategory)
	add("PATCH", "/{cid}", s.onCategory)
	add("DELETE", "/{cid}", s.onCategory)
	return rs
}

func categorySet(owner string) string { return userContext(owner, "/outlook/masterCategories") }

func (s *Server) listCategories(w http.ResponseWriter, r *http.Request) {
	req, ok := s.personalTarget(w, r, false, settingsScopes)
	if !ok {
		return
	}
	d := s.personalData()
	d.mu.Lock()
	var items []map[string]any
	for _, c := range d.categoriesOf(req.owner) {
		items = append(items, c.json())
	}
	d.mu.Unlock()
	s.serveCollection(w, r, items, collection{entitySet: categorySet(req.owner), pageSize: 100, maxTop: 1000, errorCode: "BadRequest"})
}

func (s *Server) createCategory(w http.ResponseWriter, r *http.Request) {
	req, ok := s.personalTarget(w, r, true, settingsScopes)
	if !ok {
		return
	}
	body, ok := readJSONObject(w, r, maxTodoRequest)
	if !ok {
		return
	}
	c := &category{id: newGUID(), color: "none"}
	for k, v := range body {
		switch k {
		case "id", "@odata.type", "@odata.context":
		case "displayName":
			name, ok := v.(string)
			if !ok {
				bodyReadError(w, odata.WrongType(k, "Edm.String"))
				return
			}
			c.name = name
		case "color":
			color, ok := categoryColor(v)
			if !ok {
				bodyReadError(w, personalinput.NotFound(color))
				return
			}
			c.color = color
		default:
			bodyReadError(w, odata.UnknownProperty(k, "microsoft.graph.outlookCategory"))
			return
		}
	}
	if strings.TrimSpace(c.name) == "" {
		writeGraphError(w, http.StatusBadRequest, "ErrorInvalidParameter", "The displayName of a category is required.")
		return
	}
	d := s.personalData()
	d.mu.Lock()
	cs := d.categoriesOf(req.owner)
	taken := slices.ContainsFunc(cs, func(x *category) bool { return strings.EqualFold(x.name, c.name) })
	if !taken {
		d.cats[req.owner] = append(cs, c)
	}
	d.mu.Unlock()
	if taken {
		writeGraphError(w, http.StatusConflict, "ErrorAlreadyExists", "A category with the name '"+c.name+"' already exists.")
		return
	}
	s.writeEntity(w, http.StatusCreated, c.json(), categorySet(req.owner))
}

// onCategory serves GET, PATCH and DELETE of one category.
func (s *Server) onCategory(w http.ResponseWriter, r *http.Request) {
	req, ok := s.personalTarget(w, r, r.Method != http.MethodGet, settingsScopes)
	if !ok {
		return
	}
	var color string
	if r.Method == http.MethodPatch {
		body, ok := readJSONObject(w, r, maxTodoRequest)
		if !ok {
			return
		}
		for k, v := range body {
			switch k {
			case "id", "@odata.type", "@odata.context":
			case "displayName":
				writeGraphError(w, http.StatusBadRequest, "ErrorInvalidParameter", "The displayName of a category cannot be changed.")
				return
			case "color":
				var ok bool
				if color, ok = categoryColor(v); !ok {
					bodyReadError(w, personalinput.NotFound(color))
					return
				}
			default:
				bodyReadError(w, odata.UnknownProperty(k, "microsoft.graph.outlookCategory"))
				return
			}
		}
	}
	d := s.personalData()
	d.mu.Lock()
	cs := d.categoriesOf(req.owner)
	i := slices.IndexFunc(cs, func(c *category) bool { return c.id == r.PathValue("cid") })
	var item map[string]any
	if i >= 0 {
		switch r.Method {
		case http.MethodDelete:
			d.cats[req.owner] = slices.Delete(slices.Clone(cs), i, i+1)
		case http.MethodPatch:
			if color != "" {
				cs[i].color = color
			}
			fallthrough
		default:
			item = maps.Clone(cs[i].json())
		}
	}
	d.mu.Unlock()
	switch {
	case i < 0:
		todoNotFound(w)
	case r.Method == http.MethodDelete:
		w.WriteHeader(http.StatusNoContent)
	default:
		s.writeEntity(w, http.StatusOK, item, categorySet(req.owner))
	}
}

// AddCategory adds a category to user's master list (seeded with
// Outlook's six first) and returns its id. color is "none" or "preset0"
// … "preset24".
func (s *Server) AddCategory(user, name, color string) (string, error) {
	ids, err := s.userIDs(user)
	if err != nil {
		return "", err
	}
	c, ok := categoryColor(color)
	if !ok {
		return "", fmt.Errorf("graphtest: AddCategory: colour %q is not none or preset0 to preset24", color)
	}
	d := s.personalData()
	d.mu.Lock()
	defer d.mu.Unlock()
	cat := &category{id: newGUID(), name: name, color: c}
	d.cats[ids[0]] = append(d.categoriesOf(ids[0]), cat)
	return cat.id, nil
}
