// Package token holds OAuth tokens for o365 and the backends that store
// them, keyed by username so one backend serves many users.
//
// A Backend stores whole tokens; it never refreshes them. The Connection
// refreshes, and saves the new token through the backend before using it.
// Backends shared between processes also implement Locker so that only one
// process at a time refreshes a given user's token.
package token

import (
	"context"
	"errors"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// ErrNotFound is returned by Backend.Get when no token is stored for the user.
var ErrNotFound = errors.New("token: no token stored for this user")

// Token is what the backends store for one user.
type Token struct {
	AccessToken  string    `json:"access_token"`
	TokenType    string    `json:"token_type,omitempty"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	Expiry       time.Time `json:"expires_at,omitzero"`
	Scopes       []string  `json:"scopes,omitempty"`
	IDToken      string    `json:"id_token,omitempty"`
	// AppOnly marks a client-credentials token: it has no refresh token
	// and is re-acquired from the client's own credentials.
	AppOnly bool `json:"app_only,omitempty"`
}

// expiryDelta is how long before its expiry a token counts as stale, so
// a request never leaves with a token that expires in flight.
const expiryDelta = time.Minute

// Valid reports whether t has an access token that is not about to expire.
// A token without an expiry is taken as valid.
func (t *Token) Valid() bool {
	if t == nil || t.AccessToken == "" {
		return false
	}
	return t.Expiry.IsZero() || time.Now().Add(expiryDelta).Before(t.Expiry)
}

// OAuth2 converts t to an *oauth2.Token.
func (t *Token) OAuth2() *oauth2.Token {
	ot := &oauth2.Token{
		AccessToken:  t.AccessToken,
		TokenType:    t.TokenType,
		RefreshToken: t.RefreshToken,
		Expiry:       t.Expiry,
	}
	if t.IDToken != "" {
		ot = ot.WithExtra(map[string]any{"id_token": t.IDToken})
	}
	return ot
}

// FromOAuth2 converts an *oauth2.Token, keeping the ID token and the
// granted scopes when the token response carried them.
func FromOAuth2(ot *oauth2.Token) *Token {
	t := &Token{
		AccessToken:  ot.AccessToken,
		TokenType:    ot.TokenType,
		RefreshToken: ot.RefreshToken,
		Expiry:       ot.Expiry,
	}
	if id, ok := ot.Extra("id_token").(string); ok {
		t.IDToken = id
	}
	if s, ok := ot.Extra("scope").(string); ok && s != "" {
		t.Scopes = strings.Fields(s)
	}
	return t
}

// Backend stores tokens keyed by username. Implementations must be safe
// for concurrent use.
type Backend interface {
	// Get returns the user's token, or an error wrapping ErrNotFound.
	Get(ctx context.Context, username string) (*Token, error)
	// Put stores (or replaces) the user's token. A failed Put leaves the
	// previously stored tokens intact.
	Put(ctx context.Context, username string, t *Token) error
	// Delete removes the user's token; deleting an absent user is not an error.
	Delete(ctx context.Context, username string) error
	// Users lists the stored usernames, in the order they were first stored.
	Users(ctx context.Context) ([]string, error)
}

// Locker is implemented by backends shared between processes. Lock blocks
// until the caller holds the refresh lock for username (or ctx ends) and
// returns the function that releases it. While holding it, the caller
// re-reads the token, refreshes it only if it is still stale, and saves
// the result, so a refresh token is never redeemed twice.
type Locker interface {
	Lock(ctx context.Context, username string) (unlock func() error, err error)
}
