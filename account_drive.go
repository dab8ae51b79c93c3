package o365

import (
	"github.com/go-o365/o365/drive"
	"github.com/go-o365/o365/sharepoint"
)

// Storage returns the OneDrive component (drives, files, uploads,
// sharing) of the main resource, or of resource when one is given: "me",
// a user principal name or id, "users/{id}", "groups/{id}" (a group's
// document libraries) or "sites/{id}" (a site's). Only the first
// resource given is used.
func (a *Account) Storage(resource ...string) *drive.Storage {
	if len(resource) > 0 && resource[0] != "" {
		return drive.NewForResource(a, resource[0])
	}
	return drive.NewFrom(a)
}

// Sharepoint returns the SharePoint component: sites, their document
// libraries, lists and list items.
func (a *Account) Sharepoint() *sharepoint.Sharepoint {
	return sharepoint.NewFrom(a)
}
