// Package storetest holds the scenarios every shared token store must pass:
// the token.Backend contract, the refresh lease (token.Locker) within a
// process and across processes, and encryption at rest through
// token.Encrypted. The stores in token/redisstore and token/sqlstore run
// them against real servers; this module runs them against the file
// backend, which keeps the scenarios themselves honest.
//
// Cross-process scenarios re-run the test binary as child processes; a
// store's TestMain hands control to Main so that a child does its part and
// exits instead of running the tests.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/go-o365/o365/token"
)

// Suite describes a store to the scenarios.
type Suite struct {
	// Env names the environment variable holding the server's URL, e.g.
	// O365_TEST_REDIS_URL. Without it the scenarios are skipped, or fail
	// when the CI variable is set. Empty means the store needs no server.
	Env string
	// Open opens the store on namespace ns (a key prefix, a table name, a
	// file, …) with the given lease (zero: the store's default). Stores
	// opened on one namespace share their tokens and leases; different
	// namespaces share nothing. Open runs in child processes too.
	Open func(ctx context.Context, ns string, lease time.Duration) (token.Backend, error)
	// Raw returns everything the server holds for namespace ns, as stored:
	// the scenarios look for plaintext tokens in it.
	Raw func(ctx context.Context, ns string) ([]byte, error)
	// Drop removes namespace ns after a test; nil leaves it.
	Drop func(ctx context.Context, ns string) error
	// NoLease marks a store whose refresh lock is no lease: one lock for
	// all users, released by the kernel when its holder dies (the file
	// backend's flock). The lease scenarios are left out for it.
	NoLease bool
}

// Run runs every scenario as a subtest of t.
func (s Suite) Run(t *testing.T) {
	s.requireServer(t)
	t.Run("Contract", s.contract)
	t.Run("EncryptedContract", s.encryptedContract)
	t.Run("Lock", s.lock)
	if _, ok := s.fresh(t).(token.Swapper); ok {
		t.Run("Swap", s.swap)
	}
	t.Run("Processes", s.processes)
	t.Run("Encryption", s.encryption)
}

// Main is a store's TestMain: in a child process started by a scenario it
// does the child's part and exits; otherwise it runs the tests.
func Main(m *testing.M, s Suite) {
	if mode := os.Getenv(childEnv); mode != "" {
		os.Exit(s.child(mode))
	}
	os.Exit(m.Run())
}

// RequireServer skips t when the environment variable env (a server URL)
// is unset, or fails it when the CI variable is set too: CI must run these
// tests, not skip them. It returns the URL.
func RequireServer(t testing.TB, env string) string {
	t.Helper()
	url := os.Getenv(env)
	switch {
	case url != "":
		return url
	case os.Getenv("CI") != "":
		t.Fatalf("$%s is unset but $CI is set: CI must start the servers with scripts/ci-services.sh", env)
	default:
		t.Skipf("$%s is unset: start throwaway servers with `eval \"$(scripts/ci-services.sh)\"` at the repository root, then run the tests again", env)
	}
	return ""
}

func (s Suite) requireServer(t *testing.T) {
	if s.Env != "" {
		RequireServer(t, s.Env)
	}
}

// namespace returns a fresh namespace for one test and drops it afterwards.
func (s Suite) namespace(t testing.TB) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	ns := "t" + hex.EncodeToString(b)
	if s.Drop != nil {
		t.Cleanup(func() {
			if err := s.Drop(context.Background(), ns); err != nil {
				t.Errorf("dropping namespace %s: %v", ns, err)
			}
		})
	}
	return ns
}

// open opens the store on ns, failing t on error.
func (s Suite) open(t testing.TB, ns string, lease time.Duration) token.Backend {
	t.Helper()
	b, err := s.Open(SafetyNet(t), ns, lease)
	if err != nil {
		t.Fatalf("opening the store on %s: %v", ns, err)
	}
	return b
}

// fresh opens the store on a fresh namespace.
func (s Suite) fresh(t testing.TB) token.Backend {
	t.Helper()
	return s.open(t, s.namespace(t), 0)
}

func (s Suite) raw(t testing.TB, ns string) []byte {
	t.Helper()
	data, err := s.Raw(SafetyNet(t), ns)
	if err != nil {
		t.Fatalf("reading the raw store: %v", err)
	}
	return data
}

// SafetyNet bounds a test that would otherwise hang on a broken lock; it
// is a deadline for failure, never a timing assertion.
func SafetyNet(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}
