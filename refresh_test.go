package o365_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/token"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// expire rewrites the stored token of user so it looks expired locally.
func expire(t testing.TB, backend token.Backend, user string) {
	t.Helper()
	tok, err := backend.Get(context.Background(), user)
	require.NoError(t, err)
	tok.Expiry = time.Now().Add(-time.Hour)
	require.NoError(t, backend.Put(context.Background(), user, tok))
}

func TestExactlyOneRefreshFor100Goroutines(t *testing.T) {
	srv := emulator(t)
	backend := token.NewMemoryBackend()
	acct := newConsoleAccount(t, srv, backend)
	signIn(t, srv, acct, adele)
	before, err := backend.Get(context.Background(), adele)
	require.NoError(t, err)

	// A fresh account over the stored, now expired, token.
	expire(t, backend, adele)
	srv.ExpireAccessTokens()
	fresh := o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: clientSecret}, baseOptions(srv, backend)...)

	var wg sync.WaitGroup
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := fresh.CurrentUser(context.Background())
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	assert.Equal(t, 1, srv.TokenRequests("refresh_token"))

	after, err := backend.Get(context.Background(), adele)
	require.NoError(t, err)
	assert.NotEqual(t, before.RefreshToken, after.RefreshToken, "the rotated refresh token must be saved")
	assert.True(t, after.Expiry.After(time.Now()))
}

// Graph rejects a token before its local expiry (revoked, or expired
// early): the connection renews once and the call succeeds.
func TestUnauthorizedRenewsOnce(t *testing.T) {
	srv := emulator(t)
	acct := newConsoleAccount(t, srv, token.NewMemoryBackend())
	signIn(t, srv, acct, adele)
	srv.ExpireAccessTokens()
	_, err := acct.CurrentUser(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, srv.TokenRequests("refresh_token"))
}

func TestRevokedRefreshTokenAsksForAuthentication(t *testing.T) {
	srv := emulator(t)
	backend := token.NewMemoryBackend()
	acct := newConsoleAccount(t, srv, backend)
	signIn(t, srv, acct, adele)
	expire(t, backend, adele)
	srv.ExpireAccessTokens()
	srv.RevokeRefreshTokens(adele)
	fresh := o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: clientSecret}, baseOptions(srv, backend)...)
	_, err := fresh.CurrentUser(context.Background())
	var ae *o365.AuthError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "invalid_grant", ae.Code)
	assert.Contains(t, err.Error(), adele)
}

// Two OS processes share a token file holding an expired token; both make
// a call; exactly one refresh reaches the identity platform (the other
// process reuses the token saved by the first). With refresh-token
// rotation, a second refresh would even fail.
func TestOneRefreshAcrossProcesses(t *testing.T) {
	srv := emulator(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "o365_token.json")
	backend := token.NewFileBackend(path)
	acct := newConsoleAccount(t, srv, backend)
	signIn(t, srv, acct, adele)
	expire(t, backend, adele)
	srv.ExpireAccessTokens()

	const procs = 4
	var wg sync.WaitGroup
	outs := make([][]byte, procs)
	errs := make([]error, procs)
	for i := range procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "O365_HELPER_PROCESS=1", "O365_HELPER_FILE="+path,
				"O365_HELPER_LOGIN="+srv.LoginURL(), "O365_HELPER_GRAPH="+srv.GraphURL())
			outs[i], errs[i] = cmd.CombinedOutput()
		}()
	}
	wg.Wait()
	for i := range procs {
		require.NoError(t, errs[i], "child %d: %s", i, outs[i])
		assert.Contains(t, string(outs[i]), "child-ok "+adele)
	}
	assert.Equal(t, 1, srv.TokenRequests("refresh_token"))
}

// refreshChild is the child process of TestOneRefreshAcrossProcesses,
// started through TestMain.
func refreshChild() int {
	acct := o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: clientSecret},
		o365.WithCloud(o365.Cloud{Login: os.Getenv("O365_HELPER_LOGIN"), Graph: os.Getenv("O365_HELPER_GRAPH")}),
		o365.WithTokenBackend(token.NewFileBackend(os.Getenv("O365_HELPER_FILE"))))
	me, err := acct.CurrentUser(context.Background())
	if err != nil {
		fmt.Println("child-error", err)
		return 3
	}
	fmt.Println("child-ok", me.UserPrincipalName)
	return 0
}
