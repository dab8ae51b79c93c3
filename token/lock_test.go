package token

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// lockKinds are the lock implementations FileBackend can run on: the
// platform's own, and the lock-file fallback, tested here on every platform.
var lockKinds = []struct {
	name string
	lock func(context.Context, string) (func() error, error)
}{
	{"platform", lockFile},
	{"exclusive-file", exclLock},
}

func newFileBackendWith(path, kind string) *FileBackend {
	b := NewFileBackend(path)
	if kind == "exclusive-file" {
		b.lock = exclLock
	}
	return b
}

// safetyNet bounds a test that would otherwise hang on a broken lock; it is
// a deadline for failure, never a timing assertion.
func safetyNet(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// increment adds one to the counter token n times, each time under the
// refresh lock, as the Connection does for a refresh: lock, re-read, write,
// unlock. Without mutual exclusion some increments would be lost.
func increment(ctx context.Context, b *FileBackend, n int) error {
	for range n {
		unlock, err := b.Lock(ctx, "counter")
		if err != nil {
			return err
		}
		tok, err := b.Get(ctx, "counter")
		if err != nil {
			return err
		}
		v, err := strconv.Atoi(tok.AccessToken)
		if err != nil {
			return err
		}
		if err := b.Put(ctx, "counter", &Token{AccessToken: strconv.Itoa(v + 1)}); err != nil {
			return err
		}
		if err := unlock(); err != nil {
			return err
		}
	}
	return nil
}

func putMany(ctx context.Context, b *FileBackend, prefix string, n int) error {
	for i := range n {
		u := fmt.Sprintf("%s-u%d", prefix, i)
		if err := b.Put(ctx, u, sampleToken(u)); err != nil {
			return err
		}
	}
	return nil
}

func assertCounter(t *testing.T, b *FileBackend, want int) {
	t.Helper()
	if got := mustGet(t, b, "counter").AccessToken; got != strconv.Itoa(want) {
		t.Fatalf("counter = %s, want %d: increments were lost", got, want)
	}
}

func TestLockExcludesGoroutines(t *testing.T) {
	for _, k := range lockKinds {
		t.Run(k.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "o365_token.json")
			mustPut(t, newFileBackendWith(path, k.name), "counter", &Token{AccessToken: "0"})
			const workers, each = 4, 25
			ctx := safetyNet(t)
			var wg sync.WaitGroup
			errs := make(chan error, workers)
			for range workers {
				// Separate backends share no memory: only the lock file
				// can keep them apart.
				b := newFileBackendWith(path, k.name)
				wg.Go(func() { errs <- increment(ctx, b, each) })
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			assertCounter(t, NewFileBackend(path), workers*each)
		})
	}
}

func TestLockHonoursCancel(t *testing.T) {
	for _, k := range lockKinds {
		t.Run(k.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "o365_token.json")
			holder, waiter := newFileBackendWith(path, k.name), newFileBackendWith(path, k.name)
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

// Cross-process tests re-run this test binary as helper processes; the
// environment tells a helper what to do.
const (
	helperEnv     = "O365_TOKEN_TEST_HELPER"
	helperPathEnv = "O365_TOKEN_TEST_HELPER_PATH"
	helperLockEnv = "O365_TOKEN_TEST_HELPER_LOCK"
	helperIDEnv   = "O365_TOKEN_TEST_HELPER_ID"
	helperRounds  = 50
	// helperUsers is smaller than helperRounds because every Put rewrites
	// and syncs a document that grows with each user.
	helperUsers = 30
)

// TestHelperProcess is the body of a helper process, and does nothing in a
// normal test run.
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv(helperEnv)
	if mode == "" {
		return
	}
	// Start only when the parent closes stdin, so all helpers run at once.
	if _, err := io.Copy(io.Discard, os.Stdin); err != nil {
		t.Fatal(err)
	}
	b := newFileBackendWith(os.Getenv(helperPathEnv), os.Getenv(helperLockEnv))
	ctx := safetyNet(t)
	var err error
	switch mode {
	case "increment":
		err = increment(ctx, b, helperRounds)
	case "put":
		err = putMany(ctx, b, "p"+os.Getenv(helperIDEnv), helperUsers)
	default:
		err = fmt.Errorf("unknown helper mode %q", mode)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// runHelpers runs n helper processes in the given mode against path and
// waits for all of them.
func runHelpers(t *testing.T, n int, mode, path, lockKind string) {
	t.Helper()
	type helper struct {
		cmd   *exec.Cmd
		stdin io.Closer
		out   bytes.Buffer
	}
	helpers := make([]*helper, n)
	for i := range helpers {
		h := &helper{cmd: exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")}
		h.cmd.Env = append(os.Environ(),
			helperEnv+"="+mode, helperPathEnv+"="+path, helperLockEnv+"="+lockKind, helperIDEnv+"="+strconv.Itoa(i))
		h.cmd.Stdout, h.cmd.Stderr = &h.out, &h.out
		var err error
		if h.stdin, err = h.cmd.StdinPipe(); err != nil {
			t.Fatal(err)
		}
		if err := h.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		helpers[i] = h
	}
	for _, h := range helpers {
		h.stdin.Close()
	}
	for i, h := range helpers {
		if err := h.cmd.Wait(); err != nil {
			t.Errorf("helper %d: %v\n%s", i, err, h.out.String())
		}
	}
	if t.Failed() {
		t.FailNow()
	}
}

func TestCrossProcessRefreshLock(t *testing.T) {
	for _, k := range lockKinds {
		t.Run(k.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "o365_token.json")
			mustPut(t, newFileBackendWith(path, k.name), "counter", &Token{AccessToken: "0"})
			const procs = 3
			runHelpers(t, procs, "increment", path, k.name)
			assertCounter(t, NewFileBackend(path), procs*helperRounds)
		})
	}
}

func TestCrossProcessPutsKeepEveryUser(t *testing.T) {
	for _, k := range lockKinds {
		t.Run(k.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "o365_token.json")
			const procs = 2
			runHelpers(t, procs, "put", path, k.name)
			b := NewFileBackend(path)
			users, err := b.Users(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(users) != procs*helperUsers {
				t.Fatalf("%d users stored, want %d: updates were lost", len(users), procs*helperUsers)
			}
			for p := range procs {
				for i := range helperUsers {
					u := fmt.Sprintf("p%d-u%d", p, i)
					assertSameToken(t, mustGet(t, b, u), sampleToken(u))
				}
			}
		})
	}
}
