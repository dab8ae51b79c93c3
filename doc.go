// Package o365 is a client for Microsoft 365 through Microsoft Graph,
// built around one Account as python-o365 is.
//
// An Account wraps a Connection and a Protocol. The Connection owns the
// HTTP client (proxy, timeouts), retries throttled requests, runs the
// OAuth flows on golang.org/x/oauth2, and draws each user's token from a
// token.Backend keyed by username, refreshing it once however many
// goroutines need it. The Protocol (MSGraphProtocol) builds Graph URLs,
// resolves the main resource and expands scope short names.
//
// One Account holds many users: calls use the current user, set with
// SetUsername or by the last Authenticate, or the first user in the
// backend; As returns a view bound to one user for concurrent work.
//
// Components (mail, contacts, calendar, drive, SharePoint, and your own)
// embed ApiComponent, which lives in package api so that component
// packages need not import this one; this package re-exports it with
// aliases. Package graphtest emulates Graph and the identity platform for
// tests, and package query builds OData queries.
package o365
