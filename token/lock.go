package token

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"sync"
	"time"
)

// Lock attempts back off from firstWait to maxWait: short enough that a
// waiter notices a released lock quickly, long enough not to spin.
const (
	firstWait = 5 * time.Millisecond
	maxWait   = 50 * time.Millisecond
)

// staleAfter is how old an exclusive lock file must be before another
// process takes it over, assuming its holder died. Holders keep their locks
// for a file write or one token refresh, far less than this.
const staleAfter = 30 * time.Second

// poll calls try until it takes the lock, fails, or ctx ends. Locks are
// polled rather than awaited in a blocking call so that ctx can interrupt
// the wait.
func poll(ctx context.Context, try func() (bool, error)) error {
	wait := firstWait
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if ok, err := try(); ok || err != nil {
			return err
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
		}
		wait = min(2*wait, maxWait)
	}
}

// exclLock takes a lock by creating path exclusively and releases it by
// removing path. It works wherever the file system honours O_EXCL, so it
// is the fallback where flock is missing. A lock file older than
// staleAfter is taken to belong to a crashed process and is removed; that
// takeover is best effort, as two waiters may both judge it stale.
func exclLock(ctx context.Context, path string) (func() error, error) {
	err := poll(ctx, func() (bool, error) {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			// The file's existence is the lock; a failed close changes nothing.
			_ = f.Close()
			return true, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return false, err
		}
		if fi, err := os.Stat(path); err == nil && time.Since(fi.ModTime()) > staleAfter {
			_ = os.Remove(path)
		}
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	return sync.OnceValue(func() error { return os.Remove(path) }), nil
}
