// Package api is the leaf package every o365 component is built on.
//
// It holds the small interfaces that tie a component to the rest of the
// library (Requester for HTTP, Protocol for URL building and scopes, Parent
// for inheriting both), the Component base that python-o365 calls
// ApiComponent, Graph error decoding, JSON helpers, and lazy iterator paging.
//
// It imports nothing else of this module except the pure query builder, so
// every component package (mailbox, calendar, drive, …) can depend on it
// while the root package o365 depends on every component package without an
// import cycle. The root package re-exports the names users need
// (o365.ApiComponent, o365.Parent, o365.Params, …) as aliases.
package api

import (
	"context"
	"net/http"
)

// Requester sends HTTP requests to Microsoft Graph on behalf of the current
// user: it adds the bearer token, retries throttled requests and turns
// non-2xx answers into *GraphError. *o365.Connection implements it.
//
// Every method returns a response only for a 2xx status; the caller must
// close its body. Any other status comes back as a nil response and an
// error that errors.As can unwrap to *GraphError.
type Requester interface {
	// Do sends a prepared request. Use it when a call needs extra headers
	// or a streamed body; NewRequest builds one the same way the verb
	// helpers do.
	Do(req *http.Request) (*http.Response, error)
	// Get sends GET url with params encoded into its query string.
	Get(ctx context.Context, url string, params Params) (*http.Response, error)
	// Post sends body (see NewRequest for how it is encoded) with POST.
	Post(ctx context.Context, url string, body any) (*http.Response, error)
	// Patch sends body with PATCH.
	Patch(ctx context.Context, url string, body any) (*http.Response, error)
	// Put sends body with PUT.
	Put(ctx context.Context, url string, body any) (*http.Response, error)
	// Delete sends DELETE url.
	Delete(ctx context.Context, url string) (*http.Response, error)
}

// Protocol knows how Graph URLs are built and how scope short names expand.
// *o365.MSGraphProtocol implements it.
type Protocol interface {
	// ServiceURL is the API root without a trailing slash, e.g.
	// "https://graph.microsoft.com/v1.0".
	ServiceURL() string
	// DefaultResource is the resolved main resource path, e.g. "me" or
	// "users/shared@example.com".
	DefaultResource() string
	// ResourcePath resolves what a user names as a resource ("me", a UPN,
	// "users/{id}", "groups/{id}", "sites/{id}") to a URL path.
	ResourcePath(resource string) string
	// ScopesFor expands scope short names; unknown names pass through.
	ScopesFor(names ...string) []string
}

// Parent is anything a component can be built from: an *o365.Account, a
// connection and protocol pair (ParentOf), or another component.
type Parent interface {
	// Con is the requester calls go through.
	Con() Requester
	// Protocol builds URLs.
	Protocol() Protocol
	// MainResource is the resolved resource path calls are made against.
	MainResource() string
}

// ParentOf pairs a requester (usually an *o365.Connection) with a protocol
// so components can be used without an Account. The main resource is the
// protocol's default resource.
func ParentOf(con Requester, protocol Protocol) Parent {
	return pair{con: con, protocol: protocol}
}

type pair struct {
	con      Requester
	protocol Protocol
}

func (p pair) Con() Requester       { return p.con }
func (p pair) Protocol() Protocol   { return p.protocol }
func (p pair) MainResource() string { return p.protocol.DefaultResource() }
