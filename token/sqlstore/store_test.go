package sqlstore_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-o365/o365/token"
	"github.com/go-o365/o365/token/internal/storetest"
	"github.com/go-o365/o365/token/sqlstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

const urlEnv = "O365_TEST_POSTGRES_URL"

// pool is the one connection pool of this process, shared by every store
// the tests open.
var pool = sync.OnceValues(func() (*pgxpool.Pool, error) {
	p, err := pgxpool.New(context.Background(), os.Getenv(urlEnv))
	if err != nil {
		return nil, fmt.Errorf("$%s: %w", urlEnv, err)
	}
	return p, nil
})

// table maps a test namespace to a table name.
func table(ns string) string { return "o365test_" + ns }

func open(ctx context.Context, ns string, lease time.Duration) (token.Backend, error) {
	p, err := pool()
	if err != nil {
		return nil, err
	}
	return sqlstore.New(ctx, p, sqlstore.Options{Table: table(ns), Lease: lease})
}

// raw dumps every row of namespace ns, as PostgreSQL holds it.
func raw(ctx context.Context, ns string) ([]byte, error) {
	p, err := pool()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	for _, tbl := range []string{table(ns), table(ns) + "_leases"} {
		rows, err := p.Query(ctx, "SELECT t::text FROM "+pgx.Identifier{tbl}.Sanitize()+" AS t ORDER BY 1")
		if err != nil {
			return nil, err
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&buf, "%s:\n%s\n", tbl, strings.Join(lines, "\n"))
	}
	return buf.Bytes(), nil
}

func drop(ctx context.Context, ns string) error {
	p, err := pool()
	if err != nil {
		return err
	}
	_, err = p.Exec(ctx, "DROP TABLE IF EXISTS "+pgx.Identifier{table(ns)}.Sanitize()+", "+pgx.Identifier{table(ns) + "_leases"}.Sanitize())
	return err
}

var suite = storetest.Suite{Env: urlEnv, Open: open, Raw: raw, Drop: drop}

func TestMain(m *testing.M) { storetest.Main(m, suite) }

// TestStore runs the scenarios every shared store must pass against a real
// PostgreSQL server.
func TestStore(t *testing.T) { suite.Run(t) }

// testPool returns the shared pool, or skips t without a server.
func testPool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	storetest.RequireServer(t, urlEnv)
	p, err := pool()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// newNS returns a namespace (table name) unique to t, dropped afterwards.
func newNS(t testing.TB) string {
	ns := fmt.Sprintf("u%d", time.Now().UnixNano())
	t.Cleanup(func() {
		if err := drop(context.Background(), ns); err != nil {
			t.Error(err)
		}
	})
	return ns
}

// newStore opens a store on a namespace unique to t, and returns it with
// its pool and namespace.
func newStore(t *testing.T) (*sqlstore.Store, *pgxpool.Pool, string) {
	t.Helper()
	p, ns := testPool(t), newNS(t)
	s, err := sqlstore.New(context.Background(), p, sqlstore.Options{Table: table(ns)})
	if err != nil {
		t.Fatal(err)
	}
	return s, p, ns
}

func TestNewRejectsBadInput(t *testing.T) {
	ctx := context.Background()
	if _, err := sqlstore.New(ctx, nil, sqlstore.Options{}); err == nil || !strings.Contains(err.Error(), "nil pool") {
		t.Errorf("New(nil pool) err = %v, want one naming the nil pool", err)
	}
	p := testPool(t)
	for _, name := range []string{"a.b.c", "a.", ".b"} {
		if _, err := sqlstore.New(ctx, p, sqlstore.Options{Table: name}); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%q", name)) {
			t.Errorf("New(Table %q) err = %v, want one naming the table", name, err)
		}
	}
}

// Processes starting together create the tables once, without colliding.
func TestConcurrentNew(t *testing.T) {
	p := testPool(t)
	ns := newNS(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			_, err := sqlstore.New(context.Background(), p, sqlstore.Options{Table: table(ns)})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// The shipped migration creates what New expects; with NoMigrate, New
// creates nothing and says what is missing.
func TestMigrationFile(t *testing.T) {
	p := testPool(t)
	ctx := context.Background()
	ns := newNS(t)
	opts := sqlstore.Options{Table: table(ns), NoMigrate: true}
	_, err := sqlstore.New(ctx, p, opts)
	if err == nil || !strings.Contains(err.Error(), table(ns)) || !strings.Contains(err.Error(), "sqlstore.Schema") {
		t.Fatalf("New with NoMigrate before the migration: err = %v, want one naming the table and the schema", err)
	}

	file, err := os.ReadFile("schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	if string(file) != sqlstore.Schema {
		t.Fatal("sqlstore.Schema differs from schema.sql")
	}
	// As a migration tool would run it, edited for another table name.
	migration := strings.ReplaceAll(string(file), "o365_tokens", table(ns))
	if _, err := p.Exec(ctx, migration); err != nil {
		t.Fatalf("running schema.sql: %v", err)
	}
	s, err := sqlstore.New(ctx, p, opts)
	if err != nil {
		t.Fatalf("New with NoMigrate after the migration: %v", err)
	}
	if err := s.Put(ctx, "u", storetest.SampleToken("a")); err != nil {
		t.Fatal(err)
	}
	unlock, err := s.Lock(ctx, "u")
	if err != nil {
		t.Fatal(err)
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
}

func TestSchemaQualifiedTable(t *testing.T) {
	p := testPool(t)
	ctx := context.Background()
	schema := fmt.Sprintf("o365test_schema_%d", time.Now().UnixNano())
	if _, err := p.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = p.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE") })
	s, err := sqlstore.New(ctx, p, sqlstore.Options{Table: schema + ".Tokens"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, "u", &token.Token{AccessToken: "a"}); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := p.QueryRow(ctx, `SELECT count(*) FROM `+schema+`."Tokens"`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("rows in %s.\"Tokens\" = %d, %v; want 1", schema, n, err)
	}
	if err := p.QueryRow(ctx, `SELECT count(*) FROM `+schema+`."Tokens_leases"`).Scan(&n); err != nil {
		t.Fatalf("leases table: %v", err)
	}
}

// An unlock after the lease was lost reports it, and leaves the new
// holder's lease alone.
func TestUnlockAfterLeaseLost(t *testing.T) {
	s, p, ns := newStore(t)
	ctx := context.Background()
	unlock, err := s.Lock(ctx, "u")
	if err != nil {
		t.Fatal(err)
	}
	// The lease expired and another process took it.
	leases := pgx.Identifier{table(ns) + "_leases"}.Sanitize()
	if _, err := p.Exec(ctx, "UPDATE "+leases+" SET owner = 'other-owner' WHERE username = 'u'"); err != nil {
		t.Fatal(err)
	}
	err = unlock()
	if !errors.Is(err, sqlstore.ErrLeaseLost) || !strings.Contains(err.Error(), `"u"`) {
		t.Fatalf("unlock after losing the lease: err = %v, want ErrLeaseLost naming the user", err)
	}
	var owner string
	if err := p.QueryRow(ctx, "SELECT owner FROM "+leases+" WHERE username = 'u'").Scan(&owner); err != nil || owner != "other-owner" {
		t.Fatalf("unlock removed another holder's lease (owner %q, %v)", owner, err)
	}
}

func TestCorruptTokenIsReportedWithoutItsValue(t *testing.T) {
	s, p, ns := newStore(t)
	ctx := context.Background()
	// Valid JSON, but not a token: the expiry is no time.
	_, err := p.Exec(ctx, "INSERT INTO "+pgx.Identifier{table(ns)}.Sanitize()+` (username, token) VALUES ('u', '{"access_token":"a","expires_at":"SECRET"}')`)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Get(ctx, "u")
	if err == nil || !strings.Contains(err.Error(), `"u"`) || strings.Contains(err.Error(), "SECRET") {
		t.Fatalf("Get of a corrupt token: err = %v, want one naming the user and not the value", err)
	}
}

// BenchmarkStore runs the shared store benchmarks against the real
// server; RawGet is a plain pgx SELECT.
func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, func(b *testing.B) (token.Backend, func(context.Context) error) {
		p := testPool(b)
		ns := newNS(b)
		s, err := open(context.Background(), ns, 0)
		if err != nil {
			b.Fatal(err)
		}
		storetest.BenchSetup(b, s)
		q := "SELECT token FROM " + pgx.Identifier{table(ns)}.Sanitize() + " WHERE username = $1"
		var data []byte
		return s, func(ctx context.Context) error {
			return p.QueryRow(ctx, q, storetest.BenchUser).Scan(&data)
		}
	})
}
