package redisstore_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-o365/o365/token"
	"github.com/go-o365/o365/token/internal/storetest"
	"github.com/go-o365/o365/token/redisstore"
	"github.com/redis/go-redis/v9"
)

const urlEnv = "O365_TEST_REDIS_URL"

// client is the one connection pool of this process, shared by every store
// the tests open.
var client = sync.OnceValues(func() (*redis.Client, error) {
	opt, err := redis.ParseURL(os.Getenv(urlEnv))
	if err != nil {
		return nil, fmt.Errorf("$%s: %w", urlEnv, err)
	}
	return redis.NewClient(opt), nil
})

// prefix maps a test namespace to a key prefix, with a hash tag as on a
// cluster.
func prefix(ns string) string { return "o365test:{" + ns + "}:" }

func open(_ context.Context, ns string, lease time.Duration) (token.Backend, error) {
	rdb, err := client()
	if err != nil {
		return nil, err
	}
	return redisstore.New(rdb, redisstore.Options{Prefix: prefix(ns), Lease: lease})
}

// keys lists the keys of namespace ns, sorted.
func keys(ctx context.Context, ns string) ([]string, error) {
	rdb, err := client()
	if err != nil {
		return nil, err
	}
	var out []string
	iter := rdb.Scan(ctx, 0, prefix(ns)+"*", 100).Iterator()
	for iter.Next(ctx) {
		out = append(out, iter.Val())
	}
	slices.Sort(out)
	return out, iter.Err()
}

// raw dumps every key of namespace ns with its value, as Redis holds it.
func raw(ctx context.Context, ns string) ([]byte, error) {
	rdb, err := client()
	if err != nil {
		return nil, err
	}
	names, err := keys(ctx, ns)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	for _, k := range names {
		var v any
		switch typ := rdb.Type(ctx, k).Val(); typ {
		case "hash":
			v, err = rdb.HGetAll(ctx, k).Result()
		case "zset":
			v, err = rdb.ZRangeWithScores(ctx, k, 0, -1).Result()
		case "string":
			v, err = rdb.Get(ctx, k).Result()
		default:
			err = fmt.Errorf("key %s has unexpected type %q", k, typ)
		}
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&buf, "%s = %v\n", k, v)
	}
	return buf.Bytes(), nil
}

func drop(ctx context.Context, ns string) error {
	rdb, err := client()
	if err != nil {
		return err
	}
	names, err := keys(ctx, ns)
	if err != nil || len(names) == 0 {
		return err
	}
	return rdb.Del(ctx, names...).Err()
}

var suite = storetest.Suite{Env: urlEnv, Open: open, Raw: raw, Drop: drop}

func TestMain(m *testing.M) { storetest.Main(m, suite) }

// TestStore runs the scenarios every shared store must pass against a real
// redis-server.
func TestStore(t *testing.T) { suite.Run(t) }

func newStore(t *testing.T, lease time.Duration) (*redisstore.Store, string) {
	t.Helper()
	storetest.RequireServer(t, urlEnv)
	ns := fmt.Sprintf("unit-%s-%d", strings.ReplaceAll(t.Name(), "/", "-"), time.Now().UnixNano())
	t.Cleanup(func() {
		if err := drop(context.Background(), ns); err != nil {
			t.Error(err)
		}
	})
	b, err := open(context.Background(), ns, lease)
	if err != nil {
		t.Fatal(err)
	}
	return b.(*redisstore.Store), ns
}

func TestNewRejectsNilClient(t *testing.T) {
	if _, err := redisstore.New(nil, redisstore.Options{}); err == nil || !strings.Contains(err.Error(), "nil client") {
		t.Fatalf("New(nil) err = %v, want one naming the nil client", err)
	}
}

func TestKeyLayout(t *testing.T) {
	s, ns := newStore(t, 0)
	ctx := context.Background()
	if err := s.Put(ctx, "adele@contoso.com", &token.Token{AccessToken: "a"}); err != nil {
		t.Fatal(err)
	}
	unlock, err := s.Lock(ctx, "adele@contoso.com")
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	got, err := keys(ctx, ns)
	if err != nil {
		t.Fatal(err)
	}
	p := prefix(ns)
	want := []string{p + "lease:adele@contoso.com", p + "seq", p + "tokens", p + "users"}
	if !slices.Equal(got, want) {
		t.Fatalf("keys = %q, want %q", got, want)
	}
}

// An unlock after the lease was lost reports it, and leaves the new
// holder's lease alone.
func TestUnlockAfterLeaseLost(t *testing.T) {
	s, ns := newStore(t, 0)
	ctx := context.Background()
	unlock, err := s.Lock(ctx, "u")
	if err != nil {
		t.Fatal(err)
	}
	// The lease expired and another process took it.
	rdb, _ := client()
	leaseKey := prefix(ns) + "lease:u"
	if err := rdb.Set(ctx, leaseKey, "other-owner", time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	err = unlock()
	if !errors.Is(err, redisstore.ErrLeaseLost) || !strings.Contains(err.Error(), `"u"`) {
		t.Fatalf("unlock after losing the lease: err = %v, want ErrLeaseLost naming the user", err)
	}
	if owner := rdb.Get(ctx, leaseKey).Val(); owner != "other-owner" {
		t.Fatalf("unlock removed another holder's lease (now %q)", owner)
	}
}

func TestLeaseExpires(t *testing.T) {
	s, ns := newStore(t, 5*time.Second)
	ctx := context.Background()
	unlock, err := s.Lock(ctx, "u")
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	rdb, _ := client()
	ttl := rdb.PTTL(ctx, prefix(ns)+"lease:u").Val()
	if ttl <= 0 || ttl > 5*time.Second {
		t.Fatalf("lease TTL = %v, want a positive TTL of at most the 5s lease", ttl)
	}
}

func TestCorruptTokenIsReportedWithoutItsValue(t *testing.T) {
	s, ns := newStore(t, 0)
	ctx := context.Background()
	rdb, _ := client()
	if err := rdb.HSet(ctx, prefix(ns)+"tokens", "u", `{"access_token":"SECRET`).Err(); err != nil {
		t.Fatal(err)
	}
	_, err := s.Get(ctx, "u")
	if err == nil || !strings.Contains(err.Error(), `"u"`) || strings.Contains(err.Error(), "SECRET") {
		t.Fatalf("Get of a corrupt token: err = %v, want one naming the user and not the value", err)
	}
}

func TestUnreachableServer(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	defer rdb.Close()
	s, err := redisstore.New(rdb, redisstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := s.Get(ctx, "u"); err == nil || errors.Is(err, token.ErrNotFound) {
		t.Errorf("Get: err = %v, want a connection error", err)
	}
	if _, err := s.Lock(ctx, "u"); err == nil || !strings.Contains(err.Error(), `refresh lease of "u"`) {
		t.Errorf("Lock: err = %v, want a connection error naming the lease", err)
	}
}

// BenchmarkStore runs the shared store benchmarks against the real
// server; RawGet is a plain go-redis HGET.
func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, func(b *testing.B) (token.Backend, func(context.Context) error) {
		storetest.RequireServer(b, urlEnv)
		ns := fmt.Sprintf("bench-%d", time.Now().UnixNano())
		b.Cleanup(func() { _ = drop(context.Background(), ns) })
		s, err := open(context.Background(), ns, 0)
		if err != nil {
			b.Fatal(err)
		}
		storetest.BenchSetup(b, s)
		rdb, _ := client()
		return s, func(ctx context.Context) error {
			return rdb.HGet(ctx, prefix(ns)+"tokens", storetest.BenchUser).Err()
		}
	})
}
