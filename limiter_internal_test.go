package o365

import (
	"context"
	"net/url"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// waitQueued spins until name has n waiters.
func waitQueued(l *limiter, name string, n int) {
	for {
		l.mu.Lock()
		t := l.targets[name]
		got := t != nil && len(t.waiters) == n
		l.mu.Unlock()
		if got {
			return
		}
		runtime.Gosched()
	}
}

// With a connection-wide cap, a mailbox with a long queue does not starve
// a mailbox that asks later: targets take turns.
func TestLimiterSharesFairly(t *testing.T) {
	l := newLimiter(config{maxConcurrency: 1})
	ctx := context.Background()
	first, err := l.acquire(ctx, "users/busy")
	require.NoError(t, err)

	order := make(chan string, 20)
	for range 10 {
		go func() {
			release, err := l.acquire(ctx, "users/busy")
			if err == nil {
				order <- "busy"
				release()
			}
		}()
	}
	waitQueued(l, "users/busy", 10)
	go func() {
		release, err := l.acquire(ctx, "users/quiet")
		if err == nil {
			order <- "quiet"
			release()
		}
	}()
	waitQueued(l, "users/quiet", 1)

	first()
	var got []string
	for range 11 {
		got = append(got, <-order)
	}
	assert.Contains(t, got[:2], "quiet", "the quiet mailbox waited behind the whole busy queue: %v", got)
}

func TestLimiterCancelledWaiterLeavesNoSlot(t *testing.T) {
	l := newLimiter(config{resourceConcurrency: 1, resourceConcurrencySet: true})
	hold, err := l.acquire(context.Background(), "users/a")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := l.acquire(ctx, "users/a")
		done <- err
	}()
	waitQueued(l, "users/a", 1)
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	hold()
	again, err := l.acquire(context.Background(), "users/a")
	require.NoError(t, err, "the slot must be free again")
	again()
	l.mu.Lock()
	defer l.mu.Unlock()
	assert.Zero(t, l.inflight)
}

func TestTargetOf(t *testing.T) {
	cases := map[string]string{
		"https://graph.microsoft.com/v1.0/me/messages":                     "me/adele@x.com",
		"https://graph.microsoft.com/v1.0/users/Shared%40x.com/messages":   "users/shared@x.com",
		"https://graph.microsoft.com/v1.0/users/shared@x.com/mailFolders":  "users/shared@x.com",
		"https://graph.microsoft.com/beta/groups/g1/drive/root":            "groups/g1",
		"https://graph.microsoft.com/v1.0/sites/root/lists":                "sites/root",
		"https://graph.microsoft.com/v1.0/$batch":                          "",
		"https://graph.microsoft.com/v1.0/users":                           "",
		"https://graph.microsoft.com/v1.0/users?$filter=startswith(a,'b')": "",
	}
	for raw, want := range cases {
		u, err := url.Parse(raw)
		require.NoError(t, err)
		assert.Equal(t, want, targetOf(u, "Adele@x.com"), raw)
	}
}
