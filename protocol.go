package o365

import (
	"net/url"
	"strings"

	"github.com/go-o365/o365/api"
)

// DefaultAPIVersion is the Graph API version used when none is set.
const DefaultAPIVersion = "v1.0"

// MSGraphProtocol builds Microsoft Graph URLs and expands scopes. The zero
// value talks to the global cloud's Graph v1.0 as the signed-in user
// ("me"); set the fields to change that.
type MSGraphProtocol struct {
	// Host is the Graph root, e.g. "https://graph.microsoft.com"
	// (the default) or an emulator's URL. Plain http works when set
	// explicitly.
	Host string
	// APIVersion is "v1.0" (default) or "beta".
	APIVersion string
	// MainResource is the default resource of every component: "me"
	// (default), a user principal name or id (becomes "users/{upn}"),
	// or an explicit "users/…", "groups/…" or "sites/…" path.
	MainResource string
}

// NewMSGraphProtocol returns a protocol for the global Graph v1.0 with
// "me" as the main resource.
func NewMSGraphProtocol() *MSGraphProtocol {
	return &MSGraphProtocol{}
}

// ServiceURL is Host + "/" + APIVersion, without a trailing slash.
func (p *MSGraphProtocol) ServiceURL() string {
	host := p.Host
	if host == "" {
		host = CloudGlobal.Graph
	}
	version := p.APIVersion
	if version == "" {
		version = DefaultAPIVersion
	}
	return strings.TrimRight(host, "/") + "/" + version
}

// DefaultResource is the resolved main resource path.
func (p *MSGraphProtocol) DefaultResource() string {
	return p.ResourcePath(p.MainResource)
}

// ResourcePath resolves a resource as a user names it: "" and "me" give
// "me"; a path with a known prefix ("users/", "groups/", "sites/", "me/",
// "drives/") is kept; anything else (a UPN, an id) becomes "users/{it}"
// with the name escaped as one path segment.
func (p *MSGraphProtocol) ResourcePath(resource string) string {
	r := strings.Trim(strings.TrimSpace(resource), "/")
	if r == "" || strings.EqualFold(r, "me") {
		return "me"
	}
	for _, prefix := range []string{"users/", "groups/", "sites/", "me/", "drives/"} {
		if len(r) > len(prefix) && strings.EqualFold(r[:len(prefix)], prefix) {
			return r
		}
	}
	return "users/" + url.PathEscape(r)
}

// ScopesFor expands scope short names; see the package-level ScopesFor.
func (p *MSGraphProtocol) ScopesFor(names ...string) []string {
	return ScopesFor(names...)
}

var _ api.Protocol = (*MSGraphProtocol)(nil)
