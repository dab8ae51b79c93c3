package storetest

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/go-o365/o365/token"
)

func locker(t testing.TB, b token.Backend) token.Locker {
	t.Helper()
	l, ok := b.(token.Locker)
	if !ok {
		t.Fatalf("%T does not implement token.Locker", b)
	}
	return l
}

func mustLock(t testing.TB, ctx context.Context, b token.Backend, user string) func() error {
	t.Helper()
	unlock, err := locker(t, b).Lock(ctx, user)
	if err != nil {
		t.Fatalf("Lock(%q): %v", user, err)
	}
	return unlock
}

// Increment adds one to the counter token n times, each time under the
// refresh lock, as the Connection does for a refresh: lock, re-read,
// write, unlock. Without mutual exclusion some increments would be lost.
func Increment(ctx context.Context, b token.Backend, n int) error {
	l := b.(token.Locker)
	for range n {
		unlock, err := l.Lock(ctx, "counter")
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
		if err := b.Put(ctx, "counter", &token.Token{AccessToken: strconv.Itoa(v + 1)}); err != nil {
			return err
		}
		if err := unlock(); err != nil {
			return err
		}
	}
	return nil
}

func (s Suite) lock(t *testing.T) {
	t.Run("ExcludesGoroutines", func(t *testing.T) {
		ns := s.namespace(t)
		mustPut(t, s.open(t, ns, 0), "counter", &token.Token{AccessToken: "0"})
		const workers, each = 4, 10
		ctx := SafetyNet(t)
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for range workers {
			// Separate stores share no memory: only the server can keep
			// them apart.
			b := s.open(t, ns, 0)
			wg.Go(func() { errs <- Increment(ctx, b, each) })
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if got := mustGet(t, s.open(t, ns, 0), "counter").AccessToken; got != strconv.Itoa(workers*each) {
			t.Fatalf("counter = %s, want %d: increments were lost", got, workers*each)
		}
	})

	t.Run("HonoursCancel", func(t *testing.T) {
		ns := s.namespace(t)
		holder, waiter := s.open(t, ns, 0), s.open(t, ns, 0)
		unlock := mustLock(t, SafetyNet(t), holder, "u")

		ctx, cancel := context.WithCancel(SafetyNet(t))
		done := make(chan error)
		go func() {
			_, err := locker(t, waiter).Lock(ctx, "u")
			done <- err
		}()
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("Lock while held, then canceled: err = %v, want context.Canceled", err)
		}
		if err := unlock(); err != nil {
			t.Fatal(err)
		}
		if err := unlock(); err != nil {
			t.Fatalf("second unlock: %v", err)
		}
		if err := mustLock(t, SafetyNet(t), waiter, "u")(); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("KeptByEncrypted", func(t *testing.T) {
		ns := s.namespace(t)
		holder := token.Encrypted(s.open(t, ns, 0), Key1)
		unlock := mustLock(t, SafetyNet(t), holder, "u")
		// The plain store sees the lock taken through the wrapper: were it
		// free, this Lock would take it at once.
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		if _, err := locker(t, s.open(t, ns, 0)).Lock(ctx, "u"); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Lock while held through Encrypted: err = %v, want context.DeadlineExceeded", err)
		}
		if err := unlock(); err != nil {
			t.Fatal(err)
		}
	})

	if s.NoLease {
		// The rest is about leases, which such a store does not have.
		return
	}

	t.Run("UsersAreIndependent", func(t *testing.T) {
		ns := s.namespace(t)
		a, b := s.open(t, ns, 0), s.open(t, ns, 0)
		unlockA := mustLock(t, SafetyNet(t), a, "adele")
		defer unlockA()
		// Were locks shared between users, this would wait until the
		// safety net fails the test.
		if err := mustLock(t, SafetyNet(t), b, "alex")(); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("KeptAliveWhileHeld", func(t *testing.T) {
		ns := s.namespace(t)
		// Renewals come every third of the lease; a second lets a loaded
		// machine be late with one by more than half a second.
		const lease = time.Second
		holder, waiter := s.open(t, ns, lease), s.open(t, ns, lease)
		unlock := mustLock(t, SafetyNet(t), holder, "u")
		// The holder lives, so its lease must outlast several lease
		// periods; a waiter that got it would refresh a second time.
		ctx, cancel := context.WithTimeout(context.Background(), 5*lease/2)
		defer cancel()
		if _, err := locker(t, waiter).Lock(ctx, "u"); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Lock while a live holder has the lease: err = %v, want context.DeadlineExceeded", err)
		}
		if err := unlock(); err != nil {
			t.Fatalf("unlock after keeping the lease alive: %v", err)
		}
		if err := mustLock(t, SafetyNet(t), waiter, "u")(); err != nil {
			t.Fatal(err)
		}
	})

}

// swap checks the conditional write that Encrypted relies on to write
// back re-encrypted tokens; Run runs it for stores that implement Swapper.
func (s Suite) swap(t *testing.T) {
	b := s.fresh(t)
	sw := b.(token.Swapper)
	ctx := SafetyNet(t)
	mustPut(t, b, "u", SampleToken("a"))
	stored := mustGet(t, b, "u")

	// Another process stored a newer token since the read: no swap.
	mustPut(t, b, "u", SampleToken("b"))
	if ok, err := sw.Swap(ctx, "u", stored, SampleToken("c")); err != nil || ok {
		t.Fatalf("Swap over a token changed since the read = %v, %v; want false, nil", ok, err)
	}
	AssertSameToken(t, mustGet(t, b, "u"), SampleToken("b"))

	current := mustGet(t, b, "u")
	if ok, err := sw.Swap(ctx, "u", current, SampleToken("c")); err != nil || !ok {
		t.Fatalf("Swap over the token read = %v, %v; want true, nil", ok, err)
	}
	AssertSameToken(t, mustGet(t, b, "u"), SampleToken("c"))

	// A deleted token is not brought back.
	if err := b.Delete(ctx, "u"); err != nil {
		t.Fatal(err)
	}
	if ok, err := sw.Swap(ctx, "u", current, SampleToken("d")); err != nil || ok {
		t.Fatalf("Swap over a deleted token = %v, %v; want false, nil", ok, err)
	}
	assertUsers(t, b)
}
