// Package categories is the master list of Outlook categories of a
// mailbox (Graph's outlookCategory under /outlook/masterCategories): the
// names, each with a colour, that the user tags messages, events,
// contacts and To Do tasks with (python-o365's Categories).
//
//	cats := account.OutlookCategories()
//	c, err := cats.Create(ctx, "Project Falcon", categories.Preset7) // blue
//	err = c.UpdateColor(ctx, categories.Preset4)                      // green
//	for c, err := range cats.List(ctx) { fmt.Println(c.DisplayName, c.Color.Name()) }
//
// An item carries its categories by name: set a message's, event's,
// contact's or task's Categories to []string{c.DisplayName}. A name is
// unique in the list (Graph answers 409 to a second one) and cannot be
// changed once made; only the colour can.
//
// Colours are the 25 preset constants Preset0 … Preset24 and None. What
// each looks like is up to the Outlook client; the names Color.Name gives
// are Outlook desktop's (Red, Orange, Brown, …). A colour outside that
// set is refused before any request is sent.
//
// Scopes: categories (MailboxSettings.Read) to read, categories_all
// (MailboxSettings.ReadWrite) to change.
package categories

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/query"
)

// Color is a category's colour: one of Graph's categoryColor preset
// constants.
type Color string

// The colours, with the name Outlook desktop shows for each.
const (
	None     Color = "none"     // no colour
	Preset0  Color = "preset0"  // Red
	Preset1  Color = "preset1"  // Orange
	Preset2  Color = "preset2"  // Brown
	Preset3  Color = "preset3"  // Yellow
	Preset4  Color = "preset4"  // Green
	Preset5  Color = "preset5"  // Teal
	Preset6  Color = "preset6"  // Olive
	Preset7  Color = "preset7"  // Blue
	Preset8  Color = "preset8"  // Purple
	Preset9  Color = "preset9"  // Cranberry
	Preset10 Color = "preset10" // Steel
	Preset11 Color = "preset11" // DarkSteel
	Preset12 Color = "preset12" // Gray
	Preset13 Color = "preset13" // DarkGray
	Preset14 Color = "preset14" // Black
	Preset15 Color = "preset15" // DarkRed
	Preset16 Color = "preset16" // DarkOrange
	Preset17 Color = "preset17" // DarkBrown
	Preset18 Color = "preset18" // DarkYellow
	Preset19 Color = "preset19" // DarkGreen
	Preset20 Color = "preset20" // DarkTeal
	Preset21 Color = "preset21" // DarkOlive
	Preset22 Color = "preset22" // DarkBlue
	Preset23 Color = "preset23" // DarkPurple
	Preset24 Color = "preset24" // DarkCranberry
)

// colorNames are Outlook desktop's names of Preset0 … Preset24.
var colorNames = [...]string{
	"Red", "Orange", "Brown", "Yellow", "Green", "Teal", "Olive", "Blue", "Purple", "Cranberry",
	"Steel", "DarkSteel", "Gray", "DarkGray", "Black", "DarkRed", "DarkOrange", "DarkBrown",
	"DarkYellow", "DarkGreen", "DarkTeal", "DarkOlive", "DarkBlue", "DarkPurple", "DarkCranberry",
}

// Preset returns the colour Preset{n}, for n from 0 to 24; any other n is
// an error.
func Preset(n int) (Color, error) {
	if n < 0 || n >= len(colorNames) {
		return "", fmt.Errorf("categories: preset %d out of range: colours are preset0 to preset24, or none", n)
	}
	return Color("preset" + strconv.Itoa(n)), nil
}

// ColorNamed returns the colour Outlook desktop calls name ("Red",
// "darkblue", "None"), compared without regard to case.
func ColorNamed(name string) (Color, error) {
	if strings.EqualFold(name, "none") {
		return None, nil
	}
	for i, n := range colorNames {
		if strings.EqualFold(n, name) {
			return Color("preset" + strconv.Itoa(i)), nil
		}
	}
	return "", fmt.Errorf("categories: no colour named %q", name)
}

// index is the preset number of c, or -1 for None; ok is false for
// anything else.
func (c Color) index() (int, bool) {
	if strings.EqualFold(string(c), string(None)) {
		return -1, true
	}
	s, found := strings.CutPrefix(strings.ToLower(string(c)), "preset")
	if !found || s == "" || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n >= len(colorNames) {
		return 0, false
	}
	return n, true
}

// Valid reports whether c is None or one of Preset0 … Preset24 (compared
// without regard to case, as Graph reads them).
func (c Color) Valid() bool {
	_, ok := c.index()
	return ok
}

// Name is the colour's name in Outlook desktop ("Red" for Preset0,
// "None"), or "" when c is not a valid colour.
func (c Color) Name() string {
	n, ok := c.index()
	switch {
	case !ok:
		return ""
	case n < 0:
		return "None"
	}
	return colorNames[n]
}

func (c Color) check() error {
	if !c.Valid() {
		return fmt.Errorf("categories: colour %q is not one of preset0 to preset24 or none", string(c))
	}
	return nil
}

// Category is one entry of the master list (Graph's outlookCategory).
type Category struct {
	api.Component `json:"-"`

	ID          string `json:"id,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
	Color       Color  `json:"color,omitempty"`
}

// Categories is a mailbox's master list of categories.
type Categories struct {
	api.Component
}

// New returns the categories of the protocol's default resource, using
// con for requests: the modular form, without an Account.
func New(con api.Requester, protocol api.Protocol) *Categories {
	return NewFrom(api.ParentOf(con, protocol))
}

// NewFrom returns the categories of parent's main resource, or of
// resource when one is given ("me", a user principal name, "users/{id}").
func NewFrom(parent api.Parent, resource ...string) *Categories {
	var r string
	if len(resource) > 0 {
		r = resource[0]
	}
	return &Categories{Component: api.NewForResource(parent, r, nil)}
}

const masterPath = "/outlook/masterCategories"

// ready refuses a Categories made by hand rather than by New, NewFrom or
// an Account: it has no connection to call Graph with.
func (cs *Categories) ready() error {
	if cs == nil || cs.Con() == nil || cs.Protocol() == nil {
		return errors.New("categories: the Categories has no connection; make it with New or NewFrom, or get it from an Account's OutlookCategories")
	}
	return nil
}

// List iterates over the master list (python-o365's list_categories).
// A new mailbox has Outlook's six: Red, Orange, Yellow, Green, Blue and
// Purple category.
func (cs *Categories) List(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Category, error] {
	return func(yield func(*Category, error) bool) {
		if err := cs.ready(); err != nil {
			yield(nil, err)
			return
		}
		for c, err := range api.List[*Category](ctx, cs.Con(), cs.BuildURL(masterPath), opts...) {
			if err != nil {
				yield(nil, err)
				return
			}
			c.Component = cs.Component
			if !yield(c, nil) {
				return
			}
		}
	}
}

// Get gets the category with the given id (python-o365's get_category).
// An unknown id gives an error matching api.ErrNotFound.
func (cs *Categories) Get(ctx context.Context, id string) (*Category, error) {
	if id == "" {
		return nil, errors.New("categories: Get: empty id")
	}
	if err := cs.ready(); err != nil {
		return nil, err
	}
	c := new(Category)
	if err := cs.GetJSON(ctx, cs.BuildURL(masterPath+"/"+url.PathEscape(id)), nil, c); err != nil {
		return nil, err
	}
	c.Component = cs.Component
	return c, nil
}

// ByName returns the category with the given name (compared without
// regard to case, as Outlook does). No such category gives an error
// matching api.ErrNotFound.
func (cs *Categories) ByName(ctx context.Context, name string) (*Category, error) {
	if name == "" {
		return nil, errors.New("categories: ByName: empty name")
	}
	q := query.New().Where(query.Eq("displayName", name))
	for c, err := range cs.List(ctx, api.Query(q)) {
		return c, err
	}
	return nil, fmt.Errorf("categories: no category named %q: %w", name, api.ErrNotFound)
}

// Create adds a category (python-o365's create_category). The name must
// be new to the list (Graph answers 409, api.ErrConflict); a colour
// outside Preset0 … Preset24 and None is refused before any request.
func (cs *Categories) Create(ctx context.Context, name string, color Color) (*Category, error) {
	if strings.TrimSpace(name) == "" {
		return nil, errors.New("categories: Create: empty name")
	}
	if err := color.check(); err != nil {
		return nil, err
	}
	if err := cs.ready(); err != nil {
		return nil, err
	}
	c := new(Category)
	if err := cs.PostJSON(ctx, cs.BuildURL(masterPath), Category{DisplayName: name, Color: color}, c); err != nil {
		return nil, err
	}
	c.Component = cs.Component
	return c, nil
}

// UpdateColor changes the category's colour, the one property Graph lets
// change (python-o365's Category.update_color).
func (c *Category) UpdateColor(ctx context.Context, color Color) error {
	if err := color.check(); err != nil {
		return err
	}
	if err := c.exists(); err != nil {
		return err
	}
	fresh := new(Category)
	if err := c.PatchJSON(ctx, c.BuildURL(masterPath+"/"+url.PathEscape(c.ID)), map[string]Color{"color": color}, fresh); err != nil {
		return err
	}
	fresh.Component = c.Component
	*c = *fresh
	return nil
}

// Delete removes the category from the master list. Items tagged with it
// keep the name, shown without a colour.
func (c *Category) Delete(ctx context.Context) error {
	if err := c.exists(); err != nil {
		return err
	}
	return c.Component.Delete(ctx, c.BuildURL(masterPath+"/"+url.PathEscape(c.ID)))
}

func (c *Category) exists() error {
	if c.Con() == nil {
		return errors.New("categories: no connection; get categories from a Categories")
	}
	if c.ID == "" {
		return errors.New("categories: the category has no id; create it with Categories.Create")
	}
	return nil
}
