package storetest

import (
	"context"
	"testing"

	"github.com/go-o365/o365/token"
)

// BenchUser is the user whose token the benchmarks read and write.
const BenchUser = "adele@contoso.com"

// BenchSetup readies s for a benchmark: it stores BenchUser's token and
// has allocations reported.
func BenchSetup(b *testing.B, s token.Backend) {
	b.Helper()
	if err := s.Put(context.Background(), BenchUser, SampleToken("access")); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
}

// Bench runs the store benchmarks as sub-benchmarks of b. newStore
// returns a store readied with BenchSetup, and rawGet: the store's plain
// client reading BenchUser's token from the same server, the reference for
// Get. Each benchmark measures one round trip against the server.
func Bench(b *testing.B, newStore func(b *testing.B) (s token.Backend, rawGet func(context.Context) error)) {
	for _, c := range []struct {
		name string
		run  func(b *testing.B, s token.Backend, rawGet func(context.Context) error)
	}{
		{"Get", benchGet},
		{"RawGet", benchRawGet},
		{"Put", benchPut},
		{"LockUnlock", benchLockUnlock},
		{"EncryptedGet", benchEncryptedGet},
	} {
		b.Run(c.name, func(b *testing.B) {
			s, rawGet := newStore(b)
			c.run(b, s, rawGet)
		})
	}
}

// benchGet reads BenchUser's token.
func benchGet(b *testing.B, s token.Backend, _ func(context.Context) error) {
	ctx := context.Background()
	for b.Loop() {
		if _, err := s.Get(ctx, BenchUser); err != nil {
			b.Fatal(err)
		}
	}
}

// benchRawGet is the reference for benchGet.
func benchRawGet(b *testing.B, _ token.Backend, rawGet func(context.Context) error) {
	ctx := context.Background()
	for b.Loop() {
		if err := rawGet(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// benchPut stores BenchUser's token.
func benchPut(b *testing.B, s token.Backend, _ func(context.Context) error) {
	ctx := context.Background()
	tok := SampleToken("access")
	for b.Loop() {
		if err := s.Put(ctx, BenchUser, tok); err != nil {
			b.Fatal(err)
		}
	}
}

// benchLockUnlock takes and releases one uncontended refresh lease.
func benchLockUnlock(b *testing.B, s token.Backend, _ func(context.Context) error) {
	ctx := context.Background()
	l := s.(token.Locker)
	for b.Loop() {
		unlock, err := l.Lock(ctx, BenchUser)
		if err != nil {
			b.Fatal(err)
		}
		if err := unlock(); err != nil {
			b.Fatal(err)
		}
	}
}

// benchEncryptedGet reads BenchUser's token through token.Encrypted.
func benchEncryptedGet(b *testing.B, s token.Backend, _ func(context.Context) error) {
	e := token.Encrypted(s, Key1)
	ctx := context.Background()
	if err := e.Put(ctx, BenchUser, SampleToken("access")); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := e.Get(ctx, BenchUser); err != nil {
			b.Fatal(err)
		}
	}
}
