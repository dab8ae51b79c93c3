package drive

import (
	"context"
	"iter"
	"time"

	"github.com/go-o365/o365/api"
)

// Storage is the entry to the drives of one resource: a user's OneDrive,
// a group's or a site's document libraries (python-o365's Storage). Get
// one from account.Storage(), or build one with New or NewFrom.
type Storage struct {
	api.Component
}

// New builds a Storage on a connection and a protocol, for the protocol's
// default resource.
func New(con api.Requester, protocol api.Protocol) *Storage {
	return NewFrom(api.ParentOf(con, protocol))
}

// NewFrom builds a Storage that inherits parent's connection, protocol
// and main resource (an account, a sharepoint.Site, another component).
func NewFrom(parent api.Parent) *Storage {
	return &Storage{Component: api.New(parent, nil)}
}

// NewForResource builds a Storage for resource instead of parent's main
// resource: "me", a user principal name or id, "users/{id}",
// "groups/{id}" or "sites/{id}". An empty resource keeps parent's.
func NewForResource(parent api.Parent, resource string) *Storage {
	return &Storage{Component: api.NewForResource(parent, resource, nil)}
}

// Drive is a OneDrive or a document library (Graph's drive).
type Drive struct {
	api.Component `json:"-"`

	ID                   string         `json:"id"`
	Name                 string         `json:"name,omitempty"`
	Description          string         `json:"description,omitempty"`
	DriveType            string         `json:"driveType,omitempty"` // personal, business, documentLibrary
	WebURL               string         `json:"webUrl,omitempty"`
	ETag                 string         `json:"eTag,omitempty"`
	CreatedBy            *IdentitySet   `json:"createdBy,omitempty"`
	CreatedDateTime      time.Time      `json:"createdDateTime,omitzero"`
	LastModifiedBy       *IdentitySet   `json:"lastModifiedBy,omitempty"`
	LastModifiedDateTime time.Time      `json:"lastModifiedDateTime,omitzero"`
	Owner                *IdentitySet   `json:"owner,omitempty"`
	Quota                *Quota         `json:"quota,omitempty"`
	SharepointIDs        *SharepointIDs `json:"sharePointIds,omitempty"`
	ParentReference      *ItemReference `json:"parentReference,omitempty"`

	// path is the drive's URL path below the service root: "drives/{id}",
	// or the path it was reached by ("me/drive") while its id is unknown.
	path string
}

// DefaultDrive fetches the resource's default drive: a user's OneDrive,
// a group's or a site's default document library.
func (s *Storage) DefaultDrive(ctx context.Context) (*Drive, error) {
	d := new(Drive)
	if err := s.GetJSON(ctx, s.BuildURL("/drive"), nil, d); err != nil {
		return nil, err
	}
	d.attach(s.Component, s.MainResource()+"/drive")
	return d, nil
}

// Drives lists the resource's drives (a user's OneDrive, a group's or a
// site's document libraries).
func (s *Storage) Drives(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Drive, error] {
	return list(ctx, &s.Component, s.BuildURL("/drives"), func(d *Drive) { d.attach(s.Component, "") }, opts...)
}

// Drive fetches a drive by id.
func (s *Storage) Drive(ctx context.Context, id string) (*Drive, error) {
	if err := needID("Drive", id); err != nil {
		return nil, err
	}
	d := new(Drive)
	if err := s.GetJSON(ctx, s.BuildBaseURL("/drives/"+PathSegment(id)), nil, d); err != nil {
		return nil, err
	}
	d.attach(s.Component, "")
	return d, nil
}

// attach gives a decoded drive its connection. via is the path it was
// fetched by, kept for the calls Graph offers only there (special
// folders, recent, shared with me) when it is the user's own drive.
func (d *Drive) attach(c api.Component, via string) {
	d.Component = c
	switch {
	case via != "":
		d.path = via
	case d.ID != "":
		d.path = "drives/" + PathSegment(d.ID)
	}
}

// url is the service URL of the drive followed by rest.
func (d *Drive) url(rest string) string {
	return d.BuildBaseURL("/" + d.base() + rest)
}

// base is the drive's path, preferring the by-id form once the id is
// known: items then carry their drive with them.
func (d *Drive) base() string {
	if d.ID != "" {
		return "drives/" + PathSegment(d.ID)
	}
	if d.path != "" {
		return d.path
	}
	return d.MainResource() + "/drive"
}

// list walks a collection, attaching each element to its connection.
func list[T any](ctx context.Context, c *api.Component, url string, attach func(*T), opts ...api.ListOption) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		for v, err := range api.List[*T](ctx, c.Con(), url, opts...) {
			if err != nil {
				yield(nil, err)
				return
			}
			if v == nil {
				continue
			}
			attach(v)
			if !yield(v, nil) {
				return
			}
		}
	}
}
