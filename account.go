package o365

import (
	"context"

	"github.com/go-o365/o365/api"
)

// User is a Microsoft Graph user (see api.User).
type User = api.User

// Account is where users of the library start: it wraps a Connection
// (HTTP, OAuth flows, the token backend holding every user's token) and a
// Protocol (URL building, main resource, scopes), and hands out the
// components that work on mail, contacts, calendars and files.
//
// One Account holds many authenticated users. Calls are made as the
// current user: the one set by SetUsername, else the one authenticated
// last, else the first in the token backend. As returns a view bound to
// one user, for serving several users from parallel goroutines. An
// Account is safe for concurrent use.
type Account struct {
	con      *Connection
	protocol Protocol
}

// NewAccount builds an account for the app identified by creds. Options
// are listed with their functions (WithTenant, WithScopes, WithAuthFlow,
// …); an invalid option is reported by the first call that needs it.
func NewAccount(creds Credentials, opts ...Option) *Account {
	con := NewConnection(creds, opts...)
	protocol := con.cfg.protocol
	if protocol == nil {
		protocol = &MSGraphProtocol{Host: con.cfg.cloud.Graph, MainResource: con.cfg.mainResource}
	}
	return &Account{con: con, protocol: protocol}
}

// Connection returns the account's connection.
func (a *Account) Connection() *Connection { return a.con }

// Con returns the connection as a Requester, so an Account is a Parent
// of components.
func (a *Account) Con() Requester { return a.con }

// Protocol returns the account's protocol.
func (a *Account) Protocol() Protocol { return a.protocol }

// MainResource returns the resolved main resource path ("me",
// "users/shared@example.com", …).
func (a *Account) MainResource() string { return a.protocol.DefaultResource() }

// Authenticate runs the configured authentication flow (see
// Connection.Authenticate) and makes the signed-in user current. It is
// only needed when no token is stored for the user yet.
func (a *Account) Authenticate(ctx context.Context) (bool, error) {
	if _, err := a.con.Authenticate(ctx); err != nil {
		return false, err
	}
	return true, nil
}

// AuthorizationURL is the first half of the web-app flow: send the user
// to the returned URL and keep the state until RequestToken.
func (a *Account) AuthorizationURL(ctx context.Context, redirectURI string) (string, *AuthState, error) {
	return a.con.AuthorizationURL(ctx, redirectURI)
}

// RequestToken is the second half of the web-app flow: it exchanges the
// code of the URL the browser came back with and makes that user current.
func (a *Account) RequestToken(ctx context.Context, redirectedURL string, st *AuthState) error {
	_, err := a.con.RequestToken(ctx, redirectedURL, st)
	return err
}

// IsAuthenticated reports whether the current user has a token that is
// valid or renewable without the user.
func (a *Account) IsAuthenticated() bool {
	return a.con.IsAuthenticated(context.Background())
}

// Username returns the current user ("" when none is authenticated).
func (a *Account) Username() string { return a.con.Username() }

// SetUsername makes username the current user for every later call of
// this account and of the components made from it. It fails with
// ErrUnknownUser when the token backend holds no token for username.
func (a *Account) SetUsername(username string) error {
	return a.con.SetUsername(context.Background(), username)
}

// Usernames lists every user the token backend holds a token for.
func (a *Account) Usernames() ([]string, error) {
	return a.con.Usernames(context.Background())
}

// As returns a view of the account bound to username: calls made through
// it, and through components made from it, always use that user's token,
// whatever SetUsername does meanwhile. It fails with ErrUnknownUser when
// the backend holds no token for username.
func (a *Account) As(username string) (*Account, error) {
	if a.con.cfg.err != nil {
		return nil, a.con.cfg.err
	}
	if err := a.con.known(context.Background(), username); err != nil {
		return nil, err
	}
	return &Account{con: a.con.forUser(username), protocol: a.protocol}, nil
}

// CurrentUser fetches the profile of the main resource: the signed-in
// user for "me", or the named user.
func (a *Account) CurrentUser(ctx context.Context) (*User, error) {
	c := api.New(a, nil)
	u := new(User)
	if err := c.GetJSON(ctx, c.BuildURL(""), nil, u); err != nil {
		return nil, err
	}
	return u, nil
}
