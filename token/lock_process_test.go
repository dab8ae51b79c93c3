package token_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/go-o365/o365/token"
	"github.com/go-o365/o365/token/internal/storetest"
)

// Refresh locks of file backends that share no memory, within a process
// and across processes, counting with storetest.Increment.

func putMany(ctx context.Context, b *token.FileBackend, prefix string, n int) error {
	for i := range n {
		u := fmt.Sprintf("%s-u%d", prefix, i)
		if err := b.Put(ctx, u, storetest.SampleToken(u)); err != nil {
			return err
		}
	}
	return nil
}

func assertCounter(t *testing.T, b *token.FileBackend, want int) {
	t.Helper()
	if got := mustGet(t, b, "counter").AccessToken; got != strconv.Itoa(want) {
		t.Fatalf("counter = %s, want %d: increments were lost", got, want)
	}
}

func TestLockExcludesGoroutines(t *testing.T) {
	for _, kind := range token.LockKinds {
		t.Run(kind, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "o365_token.json")
			mustPut(t, token.NewFileBackendWith(path, kind), "counter", &token.Token{AccessToken: "0"})
			const workers, each = 4, 25
			ctx := storetest.SafetyNet(t)
			var wg sync.WaitGroup
			errs := make(chan error, workers)
			for range workers {
				// Separate backends share no memory: only the lock file
				// can keep them apart.
				b := token.NewFileBackendWith(path, kind)
				wg.Go(func() { errs <- storetest.Increment(ctx, b, each) })
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			assertCounter(t, token.NewFileBackend(path), workers*each)
		})
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
	b := token.NewFileBackendWith(os.Getenv(helperPathEnv), os.Getenv(helperLockEnv))
	ctx := storetest.SafetyNet(t)
	var err error
	switch mode {
	case "increment":
		err = storetest.Increment(ctx, b, helperRounds)
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
	for _, kind := range token.LockKinds {
		t.Run(kind, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "o365_token.json")
			mustPut(t, token.NewFileBackendWith(path, kind), "counter", &token.Token{AccessToken: "0"})
			const procs = 3
			runHelpers(t, procs, "increment", path, kind)
			assertCounter(t, token.NewFileBackend(path), procs*helperRounds)
		})
	}
}

func TestCrossProcessPutsKeepEveryUser(t *testing.T) {
	for _, kind := range token.LockKinds {
		t.Run(kind, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "o365_token.json")
			const procs = 2
			runHelpers(t, procs, "put", path, kind)
			b := token.NewFileBackend(path)
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
					storetest.AssertSameToken(t, mustGet(t, b, u), storetest.SampleToken(u))
				}
			}
		})
	}
}
