package sharepoint

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/drive"
)

// Sharepoint is the entry to SharePoint sites. Get one from
// account.Sharepoint(), or build one with New or NewFrom.
type Sharepoint struct {
	api.Component
}

// New builds a Sharepoint on a connection and a protocol.
func New(con api.Requester, protocol api.Protocol) *Sharepoint {
	return NewFrom(api.ParentOf(con, protocol))
}

// NewFrom builds a Sharepoint that inherits parent's connection and
// protocol.
func NewFrom(parent api.Parent) *Sharepoint {
	return &Sharepoint{Component: api.New(parent, nil)}
}

// Site is a SharePoint site (Graph's site).
type Site struct {
	api.Component `json:"-"`

	// ID is "{host name},{site collection id},{web id}".
	ID                   string               `json:"id"`
	Name                 string               `json:"name,omitempty"`
	DisplayName          string               `json:"displayName,omitempty"`
	Description          string               `json:"description,omitempty"`
	WebURL               string               `json:"webUrl,omitempty"`
	ETag                 string               `json:"eTag,omitempty"`
	CreatedBy            *drive.IdentitySet   `json:"createdBy,omitempty"`
	CreatedDateTime      time.Time            `json:"createdDateTime,omitzero"`
	LastModifiedBy       *drive.IdentitySet   `json:"lastModifiedBy,omitempty"`
	LastModifiedDateTime time.Time            `json:"lastModifiedDateTime,omitzero"`
	ParentReference      *drive.ItemReference `json:"parentReference,omitempty"`
	// Root is set on the root site of a site collection.
	Root           *drive.Root          `json:"root,omitempty"`
	SiteCollection *SiteCollection      `json:"siteCollection,omitempty"`
	SharepointIDs  *drive.SharepointIDs `json:"sharepointIds,omitempty"`
	IsPersonalSite bool                 `json:"isPersonalSite,omitempty"`
}

// RootSite fetches the tenant's root site.
func (sp *Sharepoint) RootSite(ctx context.Context) (*Site, error) {
	return sp.getSite(ctx, sp.BuildBaseURL("/sites/root"))
}

// Site fetches a site by its id ("{host},{collection id},{web id}").
func (sp *Sharepoint) Site(ctx context.Context, id string) (*Site, error) {
	if id == "" {
		return nil, errors.New("o365: Site: the id is empty")
	}
	return sp.getSite(ctx, sp.BuildBaseURL("/sites/"+drive.PathSegment(id)))
}

// SiteByPath fetches a site by host name and server-relative path, such
// as ("contoso.sharepoint.com", "/sites/marketing"); an empty path or
// "/" is the host's root site.
func (sp *Sharepoint) SiteByPath(ctx context.Context, hostname, path string) (*Site, error) {
	if hostname == "" || strings.ContainsAny(hostname, "/:?#") {
		return nil, fmt.Errorf("o365: SiteByPath: %q is not a host name", hostname)
	}
	u := "/sites/" + drive.PathSegment(hostname)
	if strings.Trim(path, "/") != "" {
		p, err := drive.EscapePath(path)
		if err != nil {
			return nil, err
		}
		u += ":/" + p
	}
	return sp.getSite(ctx, sp.BuildBaseURL(u))
}

// Search finds sites whose name or description match text ("*" lists
// every site the caller can see).
func (sp *Sharepoint) Search(ctx context.Context, text string, opts ...api.ListOption) iter.Seq2[*Site, error] {
	if strings.TrimSpace(text) == "" {
		return failed[*Site](errors.New("o365: Search: the text is empty"))
	}
	opts = append(opts, api.Param("search", text))
	return list(ctx, &sp.Component, sp.BuildBaseURL("/sites"), func(s *Site) { s.attach(sp) }, opts...)
}

func (sp *Sharepoint) getSite(ctx context.Context, url string) (*Site, error) {
	s := new(Site)
	if err := sp.GetJSON(ctx, url, nil, s); err != nil {
		return nil, err
	}
	s.attach(sp)
	return s, nil
}

// attach binds a decoded site to its connection, with "sites/{id}" as its
// main resource so that drive.NewFrom(site) reaches its libraries.
func (s *Site) attach(parent api.Parent) {
	s.Component = api.NewForResource(parent, "sites/"+drive.PathSegment(s.ID), nil)
}

// ErrNotBound is returned by the methods of a site, list or list item
// that was built by hand rather than fetched: it has no connection to
// make calls with.
var ErrNotBound = errors.New("was not fetched from SharePoint, so it has no connection (get it from a Sharepoint, Site or List)")

func (s *Site) ready(op string) error {
	if s == nil || s.Con() == nil {
		return fmt.Errorf("o365: %s: the Site %w", op, ErrNotBound)
	}
	if s.ID == "" {
		return fmt.Errorf("o365: %s: the Site has no id", op)
	}
	return nil
}

// Subsites lists the site's subsites.
func (s *Site) Subsites(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Site, error] {
	if err := s.ready("Subsites"); err != nil {
		return failed[*Site](err)
	}
	return list(ctx, &s.Component, s.BuildURL("/sites"), func(sub *Site) { sub.attach(s) }, opts...)
}

// DefaultDrive fetches the site's default document library.
func (s *Site) DefaultDrive(ctx context.Context) (*drive.Drive, error) {
	if err := s.ready("DefaultDrive"); err != nil {
		return nil, err
	}
	return drive.NewFrom(s).DefaultDrive(ctx)
}

// Drives lists the site's document libraries.
func (s *Site) Drives(ctx context.Context, opts ...api.ListOption) iter.Seq2[*drive.Drive, error] {
	if err := s.ready("Drives"); err != nil {
		return failed[*drive.Drive](err)
	}
	return drive.NewFrom(s).Drives(ctx, opts...)
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

// failed is an iterator that yields err once.
func failed[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}
