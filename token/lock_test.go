package token

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// safetyNet bounds a test that would otherwise hang on a broken lock; it is
// a deadline for failure, never a timing assertion.
func safetyNet(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func TestLockHonoursCancel(t *testing.T) {
	for _, kind := range lockKinds {
		t.Run(kind, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "o365_token.json")
			holder, waiter := newFileBackendWith(path, kind), newFileBackendWith(path, kind)
			unlock, err := holder.Lock(safetyNet(t), "u")
			if err != nil {
				t.Fatal(err)
			}

			ctx, cancel := context.WithCancel(safetyNet(t))
			done := make(chan error)
			go func() {
				_, err := waiter.Lock(ctx, "u")
				done <- err
			}()
			cancel()
			err = <-done
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Lock while held, then canceled: err = %v, want context.Canceled", err)
			}
			assertErrorMentions(t, err, path)

			if err := unlock(); err != nil {
				t.Fatal(err)
			}
			if err := unlock(); err != nil {
				t.Fatalf("second unlock: %v", err)
			}
			unlock2, err := waiter.Lock(safetyNet(t), "u")
			if err != nil {
				t.Fatalf("Lock after release: %v", err)
			}
			if err := unlock2(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestPutHonoursCancelWhileWriteLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "o365_token.json")
	unlock, err := lockFile(safetyNet(t), path+".lock")
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- NewFileBackend(path).Put(ctx, "u", sampleToken("u")) }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Put while another writer holds the lock, then canceled: err = %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("canceled Put wrote the file (stat err = %v)", err)
	}
}

func TestExclLockTakesOverStaleLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "refresh.lock")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-2 * staleAfter)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	unlock, err := exclLock(safetyNet(t), path)
	if err != nil {
		t.Fatalf("lock left by a dead holder was not taken over: %v", err)
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("unlock left the lock file behind (stat err = %v)", err)
	}
}
