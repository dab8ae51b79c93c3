package o365

import "github.com/go-o365/o365/teams"

// Teams returns Microsoft Teams for the main resource, or for the user
// named by resource ("me", a user principal name, "users/{id}"):
// presence, joined teams with their channels and channel messages, and
// chats. Teams, channels and chats are reached by id from there.
func (a *Account) Teams(resource ...string) *teams.Teams {
	return teams.NewFrom(a, resource...)
}

// ClientID is the application (client) id the connection signs in as.
// Teams' presence sessions are named by it.
func (c *Connection) ClientID() string { return c.creds.ClientID }
