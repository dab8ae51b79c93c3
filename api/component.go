package api

import (
	"context"
	"io"
	"net/http"
	"strings"

	"github.com/go-o365/o365/query"
)

// Component is the base every o365 component embeds (python-o365's
// ApiComponent). It carries the requester, the protocol and the main
// resource inherited from its parent, plus the component's own endpoint
// table, and offers URL building and JSON helpers.
//
// Build one with New; the zero value has no requester and cannot make
// calls.
type Component struct {
	con       Requester
	protocol  Protocol
	resource  string
	endpoints map[string]string
}

// New builds a component base that inherits parent's requester, protocol
// and main resource. endpoints maps keys to paths relative to the main
// resource, such as {"my_url_key": "/customendpoint"}.
func New(parent Parent, endpoints map[string]string) Component {
	return Component{
		con:       parent.Con(),
		protocol:  parent.Protocol(),
		resource:  parent.MainResource(),
		endpoints: endpoints,
	}
}

// NewForResource is New with the main resource replaced: resource is what
// a user names ("me", a UPN, "users/{id}", "groups/{id}", "sites/{id}")
// and is resolved through the parent's protocol. An empty resource keeps
// the parent's.
func NewForResource(parent Parent, resource string, endpoints map[string]string) Component {
	c := New(parent, endpoints)
	if resource != "" {
		c.resource = c.protocol.ResourcePath(resource)
	}
	return c
}

// Con returns the requester calls go through.
func (c *Component) Con() Requester { return c.con }

// Protocol returns the protocol URLs are built with.
func (c *Component) Protocol() Protocol { return c.protocol }

// MainResource returns the resolved resource path, e.g. "me" or
// "users/shared@example.com".
func (c *Component) MainResource() string { return c.resource }

// Endpoint returns the path registered under key, or "" when there is none.
func (c *Component) Endpoint(key string) string { return c.endpoints[key] }

// BuildURL joins the service URL, the main resource and endpoint:
// BuildURL("/mailFolders") is
// "https://graph.microsoft.com/v1.0/me/mailFolders". An absolute endpoint
// (one starting with http:// or https://) is returned unchanged.
func (c *Component) BuildURL(endpoint string) string {
	if isAbsolute(endpoint) {
		return endpoint
	}
	return c.protocol.ServiceURL() + "/" + c.resource + withSlash(endpoint)
}

// BuildBaseURL joins the service URL and endpoint, without the main
// resource: BuildBaseURL("/users") is "https://graph.microsoft.com/v1.0/users".
func (c *Component) BuildBaseURL(endpoint string) string {
	if isAbsolute(endpoint) {
		return endpoint
	}
	return c.protocol.ServiceURL() + withSlash(endpoint)
}

// NewQuery starts an OData query for this component's lists.
func (c *Component) NewQuery() *query.Query { return query.New() }

// GetJSON sends GET url and decodes the JSON answer into out (nil discards it).
func (c *Component) GetJSON(ctx context.Context, url string, params Params, out any) error {
	resp, err := c.con.Get(ctx, url, params)
	return decodeInto(resp, err, out)
}

// PostJSON sends body with POST and decodes the answer into out (nil discards it).
func (c *Component) PostJSON(ctx context.Context, url string, body, out any) error {
	resp, err := c.con.Post(ctx, url, body)
	return decodeInto(resp, err, out)
}

// PatchJSON sends body with PATCH and decodes the answer into out (nil discards it).
func (c *Component) PatchJSON(ctx context.Context, url string, body, out any) error {
	resp, err := c.con.Patch(ctx, url, body)
	return decodeInto(resp, err, out)
}

// PutJSON sends body with PUT and decodes the answer into out (nil discards it).
func (c *Component) PutJSON(ctx context.Context, url string, body, out any) error {
	resp, err := c.con.Put(ctx, url, body)
	return decodeInto(resp, err, out)
}

// Delete sends DELETE url.
func (c *Component) Delete(ctx context.Context, url string) error {
	resp, err := c.con.Delete(ctx, url)
	return decodeInto(resp, err, nil)
}

// DoJSON sends req and decodes the JSON answer into out (nil discards it).
func (c *Component) DoJSON(req *http.Request, out any) error {
	resp, err := c.con.Do(req)
	return decodeInto(resp, err, out)
}

// DecodeResponse decodes a 2xx JSON response into out and closes its body.
// A nil out, or a 204 No Content, discards the body. A body longer than
// its size limit (see SizeLimited; DefaultMaxResponseSize by default) is
// an error matching ErrResponseTooLarge.
func DecodeResponse(resp *http.Response, out any) error {
	defer resp.Body.Close()
	if out == nil || resp.StatusCode == http.StatusNoContent {
		// Draining lets the connection be reused; a body past the error
		// body's bound is not worth reading to get that.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
		return nil
	}
	what := "response"
	if resp.Request != nil {
		what = resp.Request.Method + " " + redactURL(resp.Request.URL.String()) + " response"
	}
	return Decode(capBody(resp.Body), out, what)
}

func decodeInto(resp *http.Response, err error, out any) error {
	if err != nil {
		return err
	}
	return DecodeResponse(resp, out)
}

func isAbsolute(s string) bool {
	return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
}

func withSlash(s string) string {
	if s == "" || s[0] == '/' {
		return s
	}
	return "/" + s
}
