// Package lease runs the client side of the refresh leases that the shared
// token stores (token/redisstore, token/sqlstore) keep on their servers: it
// waits for a lease, keeps it alive while its holder lives, and releases
// it. The stores supply the three server operations; the lease itself, with
// its expiry, lives on the server, so a holder that dies stops renewing and
// another process takes the lease over once it expires.
package lease

import (
	"context"
	crand "crypto/rand"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// ErrLost is returned by unlock when the lease had expired, and so may
// have been taken by another process, before it was released: the renewals
// did not reach the server in time.
var ErrLost = errors.New("refresh lease expired before it was released")

// Ops are a store's operations on one user's lease for one owner value.
// Each reports whether it acted.
type Ops struct {
	// Take takes the lease for its lifetime if it is free or expired.
	Take func(ctx context.Context) (bool, error)
	// Renew restarts the lifetime of the lease if the owner still holds it.
	Renew func(ctx context.Context) (bool, error)
	// Release removes the lease if the owner still holds it.
	Release func(ctx context.Context) (bool, error)
}

// Waiting for a taken lease backs off from firstWait to maxWait: short
// enough to notice a release quickly, long enough to spare the server.
const (
	firstWait = 5 * time.Millisecond
	maxWait   = 100 * time.Millisecond
)

// Owner returns a random value that identifies one holding of a lease.
func Owner() string { return crand.Text() }

// Acquire waits until ops.Take succeeds, or ctx ends or Take fails, then
// renews the lease every third of ttl until unlock is called. unlock stops
// the renewals and releases the lease; it returns an error wrapping ErrLost
// when the lease was lost meanwhile, and does nothing when called again.
func Acquire(ctx context.Context, ttl time.Duration, ops Ops) (unlock func() error, err error) {
	wait := firstWait
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ok, err := ops.Take(ctx)
		if err != nil {
			return nil, err
		}
		if ok {
			break
		}
		// Jitter keeps waiters that started together from polling together.
		timer.Reset(wait/2 + rand.N(wait/2+1))
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-timer.C:
		}
		wait = min(2*wait, maxWait)
	}

	// The renewals and the release outlive ctx, which may be a request's
	// that ends while the refresh it started is still being saved.
	bg := context.WithoutCancel(ctx)
	stop, done := make(chan struct{}), make(chan struct{})
	var lost bool // written by the renewer before done closes
	go func() {
		defer close(done)
		tick := time.NewTicker(max(ttl/3, time.Millisecond))
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			rctx, cancel := context.WithTimeout(bg, ttl)
			ok, err := ops.Renew(rctx)
			cancel()
			// A failed renewal is tried again at the next tick; a lease
			// found in other hands is gone for good.
			if err == nil && !ok {
				lost = true
				return
			}
		}
	}()
	return sync.OnceValue(func() error {
		close(stop)
		<-done
		rctx, cancel := context.WithTimeout(bg, ttl)
		defer cancel()
		released, err := ops.Release(rctx)
		switch {
		case err != nil:
			return err
		case lost || !released:
			return ErrLost
		}
		return nil
	}), nil
}

// Lock is Acquire for the refresh lease of username in a store, with
// errors that name the store and the user.
func Lock(ctx context.Context, store, username string, ttl time.Duration, ops Ops) (unlock func() error, err error) {
	release, err := Acquire(ctx, ttl, ops)
	if err != nil {
		return nil, fmt.Errorf("%s: refresh lease of %q: %w", store, username, err)
	}
	return func() error {
		if err := release(); err != nil {
			return fmt.Errorf("%s: releasing refresh lease of %q: %w", store, username, err)
		}
		return nil
	}, nil
}
