package o365_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/token"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// appAccount is an app-only account that can read any user.
func appAccount(t *testing.T, srv *graphtest.Server, extra ...o365.Option) *o365.Account {
	opts := append(baseOptions(srv, token.NewMemoryBackend()), o365.WithAuthFlow(o365.CredentialsFlow), o365.WithTenant("contoso"))
	return o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: clientSecret}, append(opts, extra...)...)
}

func getUser(ctx context.Context, acct *o365.Account, upn string) error {
	resp, err := acct.Connection().Get(ctx, acct.Protocol().ServiceURL()+"/users/"+upn, nil)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func TestAtMostFourInFlightPerMailbox(t *testing.T) {
	srv := emulator(t)
	srv.SetDelay(5 * time.Millisecond)
	acct := appAccount(t, srv)
	var wg sync.WaitGroup
	for range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			assert.NoError(t, getUser(context.Background(), acct, adele))
		}()
	}
	wg.Wait()
	assert.Equal(t, o365.DefaultResourceConcurrency, srv.PeakInFlight(adele))
}

func TestMailboxesAreNotSerialised(t *testing.T) {
	srv := emulator(t)
	const mailboxes = 50
	for i := range mailboxes {
		srv.AddUser(graphtest.User{UserPrincipalName: fmt.Sprintf("box%02d@contoso.com", i)})
	}
	srv.SetDelay(50 * time.Millisecond)
	acct := appAccount(t, srv)
	var wg sync.WaitGroup
	for i := range mailboxes {
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				assert.NoError(t, getUser(context.Background(), acct, fmt.Sprintf("box%02d@contoso.com", i)))
			}()
		}
	}
	wg.Wait()
	for i := range mailboxes {
		assert.LessOrEqual(t, srv.PeakInFlight(fmt.Sprintf("box%02d@contoso.com", i)), 4)
	}
	// Serialised requests would never overlap; a limit per mailbox lets
	// the mailboxes run side by side.
	assert.GreaterOrEqual(t, srv.PeakInFlightTotal(), mailboxes)
}

func TestResourceConcurrencyIsConfigurable(t *testing.T) {
	srv := emulator(t)
	srv.SetDelay(5 * time.Millisecond)
	acct := appAccount(t, srv, o365.WithResourceConcurrency(1))
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			assert.NoError(t, getUser(context.Background(), acct, adele))
		}()
	}
	wg.Wait()
	assert.Equal(t, 1, srv.PeakInFlight(adele))
}

func TestResourceRateBudget(t *testing.T) {
	srv := emulator(t)
	acct := appAccount(t, srv, o365.WithResourceRate(20, 1))
	start := time.Now()
	for range 3 {
		require.NoError(t, getUser(context.Background(), acct, adele))
	}
	// One token at once, then one every 50ms: the third request cannot
	// start before 100ms.
	assert.GreaterOrEqual(t, time.Since(start), 100*time.Millisecond)
}

func TestLimiterOptionsAreValidated(t *testing.T) {
	for _, opt := range []o365.Option{o365.WithResourceConcurrency(-1), o365.WithResourceRate(0, 1), o365.WithMaxConcurrency(-2)} {
		acct := o365.NewAccount(o365.Credentials{ClientID: clientID}, opt, o365.WithTokenBackend(token.NewMemoryBackend()))
		_, err := acct.CurrentUser(context.Background())
		require.Error(t, err)
		assert.Contains(t, err.Error(), "invalid option")
	}
}
