package sharepoint

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"reflect"
	"strings"
	"time"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/drive"
)

// List is a SharePoint list or document library (Graph's list).
type List struct {
	api.Component `json:"-"`

	ID                   string               `json:"id"`
	Name                 string               `json:"name,omitempty"` // the URL name
	DisplayName          string               `json:"displayName,omitempty"`
	Description          string               `json:"description,omitempty"`
	WebURL               string               `json:"webUrl,omitempty"`
	ETag                 string               `json:"eTag,omitempty"`
	CreatedBy            *drive.IdentitySet   `json:"createdBy,omitempty"`
	CreatedDateTime      time.Time            `json:"createdDateTime,omitzero"`
	LastModifiedBy       *drive.IdentitySet   `json:"lastModifiedBy,omitempty"`
	LastModifiedDateTime time.Time            `json:"lastModifiedDateTime,omitzero"`
	List                 *ListInfo            `json:"list,omitempty"`
	ParentReference      *drive.ItemReference `json:"parentReference,omitempty"`
	SharepointIDs        *drive.SharepointIDs `json:"sharepointIds,omitempty"`

	sitePath string // "sites/{id}"
}

// ListDefinition describes a list to create.
type ListDefinition struct {
	DisplayName string // required
	Description string
	// Template is "genericList" (the default) or "documentLibrary".
	Template string
	// Columns are added to the template's own (Title, Created, …).
	Columns []ColumnDefinition
}

// Lists lists the site's lists and document libraries.
func (s *Site) Lists(ctx context.Context, opts ...api.ListOption) iter.Seq2[*List, error] {
	if err := s.ready("Lists"); err != nil {
		return failed[*List](err)
	}
	return list(ctx, &s.Component, s.BuildURL("/lists"), func(l *List) { l.attach(s) }, opts...)
}

// List fetches a list by id or by display name.
func (s *Site) List(ctx context.Context, idOrName string) (*List, error) {
	if err := s.ready("List"); err != nil {
		return nil, err
	}
	if idOrName == "" {
		return nil, errors.New("o365: List: the id or name is empty")
	}
	l := new(List)
	if err := s.GetJSON(ctx, s.BuildURL("/lists/"+drive.PathSegment(idOrName)), nil, l); err != nil {
		return nil, err
	}
	l.attach(s)
	return l, nil
}

// CreateList creates a list with the given columns.
func (s *Site) CreateList(ctx context.Context, def ListDefinition) (*List, error) {
	if err := s.ready("CreateList"); err != nil {
		return nil, err
	}
	if strings.TrimSpace(def.DisplayName) == "" {
		return nil, errors.New("o365: CreateList: the display name is empty")
	}
	for i, c := range def.Columns {
		if c.Name == "" {
			return nil, fmt.Errorf("o365: CreateList: column %d has no name", i)
		}
	}
	template := def.Template
	if template == "" {
		template = "genericList"
	}
	body := map[string]any{"displayName": def.DisplayName, "list": map[string]any{"template": template}}
	if def.Description != "" {
		body["description"] = def.Description
	}
	if len(def.Columns) > 0 {
		body["columns"] = def.Columns
	}
	l := new(List)
	if err := s.PostJSON(ctx, s.BuildURL("/lists"), body, l); err != nil {
		return nil, err
	}
	l.attach(s)
	return l, nil
}

func (l *List) attach(s *Site) {
	l.Component = s.Component
	l.sitePath = s.MainResource()
}

func (l *List) ready(op string) error {
	if l == nil || l.Con() == nil || l.sitePath == "" {
		return fmt.Errorf("o365: %s: the List %w", op, ErrNotBound)
	}
	if l.ID == "" {
		return fmt.Errorf("o365: %s: the List has no id", op)
	}
	return nil
}

// url is the list's service URL followed by rest.
func (l *List) url(rest string) string {
	return l.BuildBaseURL("/" + l.sitePath + "/lists/" + drive.PathSegment(l.ID) + rest)
}

// Columns lists the list's columns.
func (l *List) Columns(ctx context.Context, opts ...api.ListOption) iter.Seq2[*ColumnDefinition, error] {
	if err := l.ready("Columns"); err != nil {
		return failed[*ColumnDefinition](err)
	}
	return list(ctx, &l.Component, l.url("/columns"), func(*ColumnDefinition) {}, opts...)
}

// ContentTypes lists the list's content types.
func (l *List) ContentTypes(ctx context.Context, opts ...api.ListOption) iter.Seq2[*ContentType, error] {
	if err := l.ready("ContentTypes"); err != nil {
		return failed[*ContentType](err)
	}
	return list(ctx, &l.Component, l.url("/contentTypes"), func(*ContentType) {}, opts...)
}

// Drive fetches the drive of a document library.
func (l *List) Drive(ctx context.Context) (*drive.Drive, error) {
	if err := l.ready("Drive"); err != nil {
		return nil, err
	}
	return drive.NewForResource(l, l.sitePath+"/lists/"+drive.PathSegment(l.ID)).DefaultDrive(ctx)
}

// ListItem is an item of a list (Graph's listItem). Fields holds its
// column values by column name, as Graph sends them (numbers as float64).
type ListItem struct {
	api.Component `json:"-"`

	ID                   string               `json:"id"`
	ETag                 string               `json:"eTag,omitempty"`
	WebURL               string               `json:"webUrl,omitempty"`
	CreatedBy            *drive.IdentitySet   `json:"createdBy,omitempty"`
	CreatedDateTime      time.Time            `json:"createdDateTime,omitzero"`
	LastModifiedBy       *drive.IdentitySet   `json:"lastModifiedBy,omitempty"`
	LastModifiedDateTime time.Time            `json:"lastModifiedDateTime,omitzero"`
	ContentType          *ContentTypeInfo     `json:"contentType,omitempty"`
	ParentReference      *drive.ItemReference `json:"parentReference,omitempty"`
	SharepointIDs        *drive.SharepointIDs `json:"sharepointIds,omitempty"`
	Fields               map[string]any       `json:"fields,omitempty"`

	listURL string
	saved   map[string]any
}

// preferNonIndexed lets $filter and $orderby name fields that are not
// indexed; without it SharePoint refuses such queries.
const preferNonIndexed = "HonorNonIndexedQueriesWarningMayFailRandomly"

// Items lists the list's items with their fields ($expand=fields unless
// the query expands something itself). A query may filter and sort on
// fields ("fields/Color"); the Prefer header SharePoint wants for
// fields that are not indexed is sent with it.
func (l *List) Items(ctx context.Context, opts ...api.ListOption) iter.Seq2[*ListItem, error] {
	if err := l.ready("Items"); err != nil {
		return failed[*ListItem](err)
	}
	cfg := api.NewListConfig(opts...)
	var qp map[string]string
	if cfg.Query != nil {
		var err error
		if qp, err = cfg.Query.Params(); err != nil {
			return failed[*ListItem](err)
		}
	}
	if _, ok := qp["$expand"]; !ok && cfg.Params["$expand"] == "" {
		opts = append(opts, api.Param("$expand", "fields"))
	}
	if (qp["$filter"] != "" || qp["$orderby"] != "") && cfg.Header.Get("Prefer") == "" {
		opts = append(opts, api.Header("Prefer", preferNonIndexed))
	}
	base := l.url("/items")
	return list(ctx, &l.Component, base, func(it *ListItem) { it.attach(l.Component, base) }, opts...)
}

// Item fetches an item with its fields.
func (l *List) Item(ctx context.Context, id string) (*ListItem, error) {
	if err := l.ready("Item"); err != nil {
		return nil, err
	}
	if id == "" {
		return nil, errors.New("o365: Item: the id is empty")
	}
	it := new(ListItem)
	if err := l.GetJSON(ctx, l.url("/items/"+drive.PathSegment(id)), api.Params{"$expand": "fields"}, it); err != nil {
		return nil, err
	}
	it.attach(l.Component, l.url("/items"))
	return it, nil
}

// CreateItem adds an item with the given field values, keyed by column
// name.
func (l *List) CreateItem(ctx context.Context, fields map[string]any) (*ListItem, error) {
	if err := l.ready("CreateItem"); err != nil {
		return nil, err
	}
	if len(fields) == 0 {
		return nil, errors.New("o365: CreateItem: no fields")
	}
	it := new(ListItem)
	if err := l.PostJSON(ctx, l.url("/items"), map[string]any{"fields": fields}, it); err != nil {
		return nil, err
	}
	it.attach(l.Component, l.url("/items"))
	return it, nil
}

func (it *ListItem) attach(c api.Component, listURL string) {
	it.Component, it.listURL = c, listURL
	it.saved = cloneFields(it.Fields)
}

func (it *ListItem) ready(op string) error {
	if it == nil || it.Con() == nil || it.listURL == "" {
		return fmt.Errorf("o365: %s: the ListItem %w", op, ErrNotBound)
	}
	if it.ID == "" {
		return fmt.Errorf("o365: %s: the ListItem has no id", op)
	}
	return nil
}

// Update sends the fields changed since the item was loaded or saved
// (a field deleted from Fields is cleared), nothing when nothing
// changed, and takes Graph's answer as the new fields.
func (it *ListItem) Update(ctx context.Context) error {
	if err := it.ready("ListItem.Update"); err != nil {
		return err
	}
	changed := map[string]any{}
	for k, v := range it.Fields {
		if old, ok := it.saved[k]; !ok || !reflect.DeepEqual(old, v) {
			changed[k] = v
		}
	}
	for k := range it.saved {
		if _, ok := it.Fields[k]; !ok {
			changed[k] = nil
		}
	}
	if len(changed) == 0 {
		return nil
	}
	fields := map[string]any{}
	if err := it.PatchJSON(ctx, it.listURL+"/"+drive.PathSegment(it.ID)+"/fields", changed, &fields); err != nil {
		return err
	}
	delete(fields, "@odata.context")
	it.Fields = fields
	it.saved = cloneFields(fields)
	return nil
}

// ListItemVersion is an earlier (or the current) version of a list item
// (Graph's listItemVersion).
type ListItemVersion struct {
	ID                   string             `json:"id"` // "1.0", "2.0", …
	LastModifiedBy       *drive.IdentitySet `json:"lastModifiedBy,omitempty"`
	LastModifiedDateTime time.Time          `json:"lastModifiedDateTime,omitzero"`
	// Fields are the item's values in that version.
	Fields map[string]any `json:"fields,omitempty"`
}

// Versions lists the item's versions, newest (the current one) first.
func (it *ListItem) Versions(ctx context.Context, opts ...api.ListOption) iter.Seq2[*ListItemVersion, error] {
	if err := it.ready("ListItem.Versions"); err != nil {
		return failed[*ListItemVersion](err)
	}
	return list(ctx, &it.Component, it.listURL+"/"+drive.PathSegment(it.ID)+"/versions", func(*ListItemVersion) {}, opts...)
}

// Delete deletes the item.
func (it *ListItem) Delete(ctx context.Context) error {
	if err := it.ready("ListItem.Delete"); err != nil {
		return err
	}
	return it.Component.Delete(ctx, it.listURL+"/"+drive.PathSegment(it.ID))
}

// cloneFields copies field values deeply enough that edits to Fields
// (including to lists and objects inside) show up as changes.
func cloneFields(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = cloneValue(v)
	}
	return out
}

func cloneValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return cloneFields(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = cloneValue(e)
		}
		return out
	}
	return v
}
