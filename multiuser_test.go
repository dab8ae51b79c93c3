package o365_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/token"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSwitchingUsers(t *testing.T) {
	srv := emulator(t)
	acct := newConsoleAccount(t, srv, token.NewMemoryBackend())
	signIn(t, srv, acct, adele)
	signIn(t, srv, acct, alex) // a new authentication makes that user current

	users, err := acct.Usernames()
	require.NoError(t, err)
	assert.Equal(t, []string{adele, alex}, users)

	me, err := acct.CurrentUser(context.Background())
	require.NoError(t, err)
	assert.Equal(t, alex, me.UserPrincipalName)

	require.NoError(t, acct.SetUsername(adele))
	me, err = acct.CurrentUser(context.Background())
	require.NoError(t, err)
	assert.Equal(t, adele, me.UserPrincipalName)

	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, alex, reqs[0].Caller)
	assert.Equal(t, adele, reqs[1].Caller)

	err = acct.SetUsername("nobody@contoso.com")
	require.ErrorIs(t, err, o365.ErrUnknownUser)
	assert.Contains(t, err.Error(), "nobody@contoso.com")
	assert.Equal(t, adele, acct.Username(), "a failed switch keeps the current user")
}

func TestFirstUserInBackendIsCurrentByDefault(t *testing.T) {
	srv := emulator(t)
	backend := token.NewMemoryBackend()
	first := newConsoleAccount(t, srv, backend)
	signIn(t, srv, first, alex)
	signIn(t, srv, first, adele)

	// A new account over the same backend starts as the first stored user.
	second := o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: clientSecret}, baseOptions(srv, backend)...)
	assert.Equal(t, alex, second.Username())
	me, err := second.CurrentUser(context.Background())
	require.NoError(t, err)
	assert.Equal(t, alex, me.UserPrincipalName)
}

func TestNoUserIsNotAuthenticated(t *testing.T) {
	srv := emulator(t)
	acct := o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: clientSecret}, baseOptions(srv, token.NewMemoryBackend())...)
	_, err := acct.CurrentUser(context.Background())
	require.ErrorIs(t, err, o365.ErrNotAuthenticated)
	assert.Empty(t, srv.Requests(), "nothing may be sent without a token")
	_, err = acct.As(adele)
	require.ErrorIs(t, err, o365.ErrUnknownUser)
}

// Many goroutines act as two users at once, through As views and through
// SetUsername on a shared account; every call lands as the user it was
// made for. Run with -race.
func TestConcurrentUsers(t *testing.T) {
	srv := emulator(t)
	acct := newConsoleAccount(t, srv, token.NewMemoryBackend())
	signIn(t, srv, acct, adele)
	signIn(t, srv, acct, alex)

	views := map[string]*o365.Account{}
	for _, u := range []string{adele, alex} {
		v, err := acct.As(u)
		require.NoError(t, err)
		views[u] = v
	}
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for i := range 100 {
		user := []string{adele, alex}[i%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			me, err := views[user].CurrentUser(context.Background())
			if err != nil {
				errs <- err
				return
			}
			if me.UserPrincipalName != user {
				errs <- fmt.Errorf("call made for %s landed as %s", user, me.UserPrincipalName)
			}
		}()
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Switching the shared account races with the views above,
			// which must not be affected by it.
			_ = acct.SetUsername(user)
			_ = acct.Username()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	callers := map[string]int{}
	for _, r := range srv.Requests() {
		callers[r.Caller]++
	}
	assert.Equal(t, map[string]int{adele: 50, alex: 50}, callers)
}
