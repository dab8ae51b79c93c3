package o365

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/go-o365/o365/token"
	"golang.org/x/oauth2"
)

// tokenGetter yields the access token a request carries.
type tokenGetter interface {
	token(ctx context.Context) (string, error)
	// reject marks an access token Graph refused (401) so the next call
	// renews it even though its expiry has not come.
	reject(accessToken string)
}

// userSource hands out one user's access token and renews it when stale.
// A renewal is single-flight: however many goroutines find the token
// stale at once, one renews it and the others wait and reuse the result.
// The renewed token is saved to the backend before anyone uses it, so a
// rotated refresh token is never lost (x/oauth2 issue 84).
type userSource struct {
	s    *shared
	user string
	sem  chan struct{} // held by the renewing goroutine

	mu       sync.RWMutex
	cached   *token.Token
	rejected string
}

func newUserSource(s *shared, user string) *userSource {
	return &userSource{s: s, user: user, sem: make(chan struct{}, 1)}
}

func (u *userSource) usable(t *token.Token) bool {
	return t.Valid() && t.AccessToken != u.rejected
}

func (u *userSource) load() *token.Token {
	u.mu.RLock()
	defer u.mu.RUnlock()
	if u.usable(u.cached) {
		return u.cached
	}
	return nil
}

func (u *userSource) store(t *token.Token) {
	u.mu.Lock()
	u.cached = t
	u.mu.Unlock()
}

func (u *userSource) reject(accessToken string) {
	u.mu.Lock()
	u.rejected = accessToken
	u.mu.Unlock()
}

func (u *userSource) token(ctx context.Context) (string, error) {
	if t := u.load(); t != nil {
		return t.AccessToken, nil
	}
	select {
	case u.sem <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-u.sem }()
	t, err := u.renew(ctx)
	if err != nil {
		return "", err
	}
	return t.AccessToken, nil
}

// renew runs with the semaphore held.
func (u *userSource) renew(ctx context.Context) (*token.Token, error) {
	if t := u.load(); t != nil {
		return t, nil // renewed by the goroutine we waited for
	}
	backend := u.s.cfg.backend
	stored, err := u.fresh(ctx)
	if err != nil || stored != nil && u.usable(stored) {
		return stored, err
	}
	if locker, ok := backend.(token.Locker); ok {
		unlock, err := locker.Lock(ctx, u.user)
		if err != nil {
			return nil, fmt.Errorf("o365: locking token of %q for refresh: %w", u.user, err)
		}
		defer unlock()
		// Another process may have refreshed while we waited for the lock.
		if stored, err = u.fresh(ctx); err != nil || stored != nil && u.usable(stored) {
			return stored, err
		}
	}
	renewed, err := u.s.renewToken(ctx, u.user, stored)
	if err != nil {
		return nil, err
	}
	if err := backend.Put(ctx, u.user, renewed); err != nil {
		return nil, fmt.Errorf("o365: saving renewed token of %q: %w", u.user, err)
	}
	u.store(renewed)
	return renewed, nil
}

// fresh reads the stored token and caches it when usable. It returns nil
// and no error when the backend has none.
func (u *userSource) fresh(ctx context.Context) (*token.Token, error) {
	t, err := u.s.cfg.backend.Get(ctx, u.user)
	if errors.Is(err, token.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("o365: reading token of %q: %w", u.user, err)
	}
	if u.usable(t) {
		u.store(t)
	}
	return t, nil
}

// renewToken gets a new token for user from what is stored (nil when
// nothing is): a refresh for delegated tokens, a new client-credentials
// grant for app-only ones.
func (s *shared) renewToken(ctx context.Context, user string, stored *token.Token) (*token.Token, error) {
	if s.cfg.flow == CredentialsFlow || stored != nil && stored.AppOnly {
		return s.appToken(ctx)
	}
	if stored == nil {
		return nil, fmt.Errorf("%w: no token stored for %q", ErrNotAuthenticated, user)
	}
	if stored.RefreshToken == "" {
		return nil, fmt.Errorf("%w: the token of %q expired and has no refresh token; authenticate again", ErrNotAuthenticated, user)
	}
	cfg := s.oauthConfig("")
	// An expired copy makes x/oauth2 refresh at once; it keeps the old
	// refresh token when the answer carries none.
	old := &oauth2.Token{RefreshToken: stored.RefreshToken, Expiry: expired}
	ot, err := cfg.TokenSource(s.oauthContext(ctx), old).Token()
	if err != nil {
		return nil, fmt.Errorf("o365: refreshing token of %q: %w", user, describeOAuthError(err))
	}
	t := token.FromOAuth2(ot)
	if len(t.Scopes) == 0 {
		t.Scopes = stored.Scopes
	}
	return t, nil
}

// externalSource adapts a caller-supplied oauth2.TokenSource.
type externalSource struct{ ts oauth2.TokenSource }

func (e externalSource) token(context.Context) (string, error) {
	t, err := e.ts.Token()
	if err != nil {
		return "", fmt.Errorf("o365: token source: %w", err)
	}
	return t.AccessToken, nil
}

func (externalSource) reject(string) {}
