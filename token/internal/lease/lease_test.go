package lease_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/go-o365/o365/token/internal/lease"
)

// server is an in-memory lease table for one user, as a store keeps it.
// Expiry is left out: the tests drive ownership by hand.
type server struct {
	mu      sync.Mutex
	owner   string
	renewed chan struct{} // receives after each successful renewal
}

func (s *server) ops(owner string) lease.Ops {
	return lease.Ops{
		Take: func(context.Context) (bool, error) {
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.owner != "" {
				return false, nil
			}
			s.owner = owner
			return true, nil
		},
		Renew: func(context.Context) (bool, error) {
			s.mu.Lock()
			ok := s.owner == owner
			s.mu.Unlock()
			if ok {
				select {
				case s.renewed <- struct{}{}:
				default:
				}
			}
			return ok, nil
		},
		Release: func(context.Context) (bool, error) {
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.owner != owner {
				return false, nil
			}
			s.owner = ""
			return true, nil
		},
	}
}

func (s *server) setOwner(o string) {
	s.mu.Lock()
	s.owner = o
	s.mu.Unlock()
}

func TestAcquireWaitsForRelease(t *testing.T) {
	srv := &server{renewed: make(chan struct{}, 1)}
	ctx := context.Background()
	unlockA, err := lease.Acquire(ctx, time.Minute, srv.ops("a"))
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan error)
	go func() {
		unlockB, err := lease.Acquire(ctx, time.Minute, srv.ops("b"))
		if err == nil {
			err = unlockB()
		}
		got <- err
	}()
	if err := unlockA(); err != nil {
		t.Fatal(err)
	}
	if err := <-got; err != nil {
		t.Fatalf("waiter after release: %v", err)
	}
	if err := unlockA(); err != nil {
		t.Fatalf("second unlock: %v", err)
	}
}

func TestAcquireHonoursContext(t *testing.T) {
	srv := &server{owner: "someone else"}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := lease.Acquire(ctx, time.Minute, srv.ops("a")); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestAcquireReportsTakeErrors(t *testing.T) {
	boom := errors.New("server down")
	ops := lease.Ops{Take: func(context.Context) (bool, error) { return false, boom }}
	if _, err := lease.Acquire(context.Background(), time.Minute, ops); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the Take error", err)
	}
}

func TestRenewedWhileHeld(t *testing.T) {
	srv := &server{renewed: make(chan struct{}, 1)}
	unlock, err := lease.Acquire(context.Background(), 30*time.Millisecond, srv.ops("a"))
	if err != nil {
		t.Fatal(err)
	}
	<-srv.renewed
	<-srv.renewed
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
}

func TestLostLeaseIsReported(t *testing.T) {
	srv := &server{renewed: make(chan struct{}, 1)}
	unlock, err := lease.Acquire(context.Background(), 30*time.Millisecond, srv.ops("a"))
	if err != nil {
		t.Fatal(err)
	}
	// The lease expired and another holder took it.
	srv.setOwner("b")
	if err := unlock(); !errors.Is(err, lease.ErrLost) {
		t.Fatalf("unlock of a lost lease: err = %v, want ErrLost", err)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.owner != "b" {
		t.Fatalf("unlock released the new holder's lease (owner now %q)", srv.owner)
	}
}

func TestOwnersDiffer(t *testing.T) {
	if a, b := lease.Owner(), lease.Owner(); a == b {
		t.Fatal("two holdings got the same owner value")
	}
}

func TestLockNamesStoreAndUser(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := lease.Lock(ctx, "somestore", "u", time.Second, (&server{}).ops("me"))
	if !errors.Is(err, context.Canceled) || err.Error() != `somestore: refresh lease of "u": context canceled` {
		t.Fatalf("Lock with a canceled context: err = %v", err)
	}

	s := &server{}
	unlock, err := lease.Lock(context.Background(), "somestore", "u", time.Hour, s.ops("me"))
	if err != nil {
		t.Fatal(err)
	}
	s.setOwner("other")
	if err := unlock(); !errors.Is(err, lease.ErrLost) || err.Error() != `somestore: releasing refresh lease of "u": `+lease.ErrLost.Error() {
		t.Fatalf("unlock of a lost lease: err = %v", err)
	}
}
