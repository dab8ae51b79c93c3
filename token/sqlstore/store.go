// Package sqlstore keeps o365 tokens in PostgreSQL, so that every process
// and machine of a service shares them, and coordinates token refreshes
// among them: at most one refresh per user at a time across the cluster.
//
// It is a separate module (github.com/go-o365/o365/token/sqlstore) so that
// the core module does not depend on a database driver. It talks to
// PostgreSQL through pgx.
//
//	pool, err := pgxpool.New(ctx, "postgres://app@db.internal/app")
//	…
//	store, err := sqlstore.New(ctx, pool, sqlstore.Options{})
//	…
//	account := o365.NewAccount(creds, o365.WithTokenBackend(store))
//
// # Tables
//
// New creates two tables when they are missing (schema.sql in this
// package, also available as Schema, holds the same statements for
// migration tools):
//
//	o365_tokens          one row per user: username, token (jsonb with the
//	                     fields of token.Token), seq (first-stored order), updated_at
//	o365_tokens_leases   one row per refresh lease: username, owner, expires_at
//
// # Refresh leases
//
// Lock takes a lease on the user's refresh by inserting a row into the
// leases table, or by taking over a row whose expires_at has passed, in one
// INSERT … ON CONFLICT DO UPDATE … WHERE expires_at < clock_timestamp().
// While the holder lives it renews the lease every third of its lifetime;
// unlock deletes the row only if it still holds it. A holder that crashes
// stops renewing, so its lease expires and a waiting process takes over.
// Waiters poll with back-off. Leases are rows, not advisory locks, so
// they need no dedicated connection and survive a pooled connection's reuse;
// expiry uses the database's clock alone, so the clocks of the machines do
// not matter.
//
// Tokens are stored as they are given; wrap the store in token.Encrypted to
// keep them encrypted at rest.
package sqlstore

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-o365/o365/token"
	"github.com/go-o365/o365/token/internal/codec"
	"github.com/go-o365/o365/token/internal/lease"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Schema holds the statements that create the store's tables with their
// default names (schema.sql). New runs them unless Options.NoMigrate is set.
//
//go:embed schema.sql
var Schema string

// DefaultTable names the tokens table unless Options say otherwise.
const DefaultTable = "o365_tokens"

// DefaultLease is the lifetime of a refresh lease unless Options say
// otherwise: far longer than a token refresh takes, short enough that a
// crashed holder delays the others only briefly.
const DefaultLease = 30 * time.Second

// ErrLeaseLost is returned by the unlock function of Lock when the lease
// expired before it was released, so another process may have refreshed
// the same token concurrently: the renewals did not reach the database in
// time.
var ErrLeaseLost = lease.ErrLost

// Options configure a Store. The zero value gives the defaults.
type Options struct {
	// Table names the tokens table, optionally schema-qualified
	// ("auth.o365_tokens"); DefaultTable when empty. The leases table is
	// named after it, with "_leases" appended.
	Table string
	// Lease is the lifetime of a refresh lease (DefaultLease when zero or
	// negative; at least a millisecond): how long a crashed holder can
	// delay other processes.
	Lease time.Duration
	// NoMigrate makes New create nothing, for databases whose tables are
	// created by a migration tool from Schema; New then only checks that
	// the tables exist.
	NoMigrate bool
}

// Store is a token.Backend, token.Locker and token.Swapper on PostgreSQL.
// It is safe for concurrent use by goroutines, processes and machines.
type Store struct {
	pool           *pgxpool.Pool
	tokens, leases string // quoted identifiers
	lease          time.Duration
}

var (
	_ token.Backend = (*Store)(nil)
	_ token.Locker  = (*Store)(nil)
	_ token.Swapper = (*Store)(nil)
)

// New returns a store on the database that pool connects to, creating its
// tables when they are missing (see Options.NoMigrate). Processes may call
// New at the same time: the creation is serialised by a transaction-scoped
// advisory lock.
func New(ctx context.Context, pool *pgxpool.Pool, opts Options) (*Store, error) {
	if pool == nil {
		return nil, errors.New("sqlstore: New: nil pool")
	}
	if opts.Table == "" {
		opts.Table = DefaultTable
	}
	if opts.Lease <= 0 {
		opts.Lease = DefaultLease
	}
	opts.Lease = max(opts.Lease, time.Millisecond) // the servers count in milliseconds
	parts := strings.Split(opts.Table, ".")
	if len(parts) > 2 || slices.Contains(parts, "") {
		return nil, fmt.Errorf("sqlstore: New: table name %q is not NAME or SCHEMA.NAME", opts.Table)
	}
	leaseParts := slices.Clone(parts)
	leaseParts[len(leaseParts)-1] += "_leases"
	s := &Store{
		pool:   pool,
		tokens: pgx.Identifier(parts).Sanitize(),
		leases: pgx.Identifier(leaseParts).Sanitize(),
		lease:  opts.Lease,
	}
	if opts.NoMigrate {
		return s, s.checkTables(ctx)
	}
	return s, s.migrate(ctx)
}

func (s *Store) migrate(ctx context.Context) error {
	ddl := strings.NewReplacer("o365_tokens_leases", s.leases, "o365_tokens", s.tokens).Replace(Schema)
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("sqlstore: creating tables: %w", err)
	}
	defer tx.Rollback(ctx) // after Commit, does nothing
	// Concurrent CREATE TABLE IF NOT EXISTS can still collide in the
	// catalog; the lock makes concurrent New calls take turns.
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext('github.com/go-o365/o365/token/sqlstore'))"); err != nil {
		return fmt.Errorf("sqlstore: creating tables: %w", err)
	}
	if _, err := tx.Exec(ctx, ddl); err != nil {
		return fmt.Errorf("sqlstore: creating tables %s and %s: %w", s.tokens, s.leases, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("sqlstore: creating tables: %w", err)
	}
	return nil
}

func (s *Store) checkTables(ctx context.Context) error {
	for _, table := range []string{s.tokens, s.leases} {
		if _, err := s.pool.Exec(ctx, "SELECT FROM "+table+" LIMIT 0"); err != nil {
			return fmt.Errorf("sqlstore: table %s is not usable (create the tables from sqlstore.Schema, or leave Options.NoMigrate unset): %w", table, err)
		}
	}
	return nil
}

// Get returns the user's token, or an error wrapping token.ErrNotFound.
func (s *Store) Get(ctx context.Context, username string) (*token.Token, error) {
	var data []byte
	err := s.pool.QueryRow(ctx, "SELECT token FROM "+s.tokens+" WHERE username = $1", username).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("%w: %q", token.ErrNotFound, username)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: reading token of %q: %w", username, err)
	}
	return codec.Decode("sqlstore", username, data)
}

// Put stores t for username, replacing any token the user had; a new user
// goes to the end of Users.
func (s *Store) Put(ctx context.Context, username string, t *token.Token) error {
	data, err := codec.Encode("sqlstore", username, t)
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, "INSERT INTO "+s.tokens+" (username, token) VALUES ($1, $2) "+
		"ON CONFLICT (username) DO UPDATE SET token = excluded.token, updated_at = now()", username, data)
	if err != nil {
		return fmt.Errorf("sqlstore: storing token of %q: %w", username, err)
	}
	return nil
}

// Delete removes the user's token; deleting an absent user is not an error.
func (s *Store) Delete(ctx context.Context, username string) error {
	if _, err := s.pool.Exec(ctx, "DELETE FROM "+s.tokens+" WHERE username = $1", username); err != nil {
		return fmt.Errorf("sqlstore: deleting token of %q: %w", username, err)
	}
	return nil
}

// Users lists the stored usernames in the order they were first stored.
func (s *Store) Users(ctx context.Context) ([]string, error) {
	rows, err := s.pool.Query(ctx, "SELECT username FROM "+s.tokens+" ORDER BY seq")
	if err == nil {
		var users []string
		users, err = pgx.CollectRows(rows, pgx.RowTo[string])
		if err == nil {
			return users, nil
		}
	}
	return nil, fmt.Errorf("sqlstore: listing users: %w", err)
}

// Swap stores replacement for username if the stored token is still old,
// in one atomic statement, and reports whether it did.
func (s *Store) Swap(ctx context.Context, username string, old, replacement *token.Token) (bool, error) {
	was, err := codec.Encode("sqlstore", username, old)
	if err != nil {
		return false, err
	}
	data, err := codec.Encode("sqlstore", username, replacement)
	if err != nil {
		return false, err
	}
	tag, err := s.pool.Exec(ctx, "UPDATE "+s.tokens+" SET token = $3, updated_at = now() WHERE username = $1 AND token = $2",
		username, was, data)
	if err != nil {
		return false, fmt.Errorf("sqlstore: replacing token of %q: %w", username, err)
	}
	return tag.RowsAffected() == 1, nil
}

// Lock takes the user's refresh lease, waiting while another process holds
// it (or until ctx ends), and keeps it alive until unlock is called, so
// unlock must always be called. unlock returns an error wrapping
// ErrLeaseLost if the lease expired meanwhile; calling it again does
// nothing.
func (s *Store) Lock(ctx context.Context, username string) (unlock func() error, err error) {
	owner := lease.Owner()
	ms := float64(s.lease.Milliseconds())
	// exec runs a lease statement and reports whether it changed a row.
	exec := func(ctx context.Context, sql string, args ...any) (bool, error) {
		tag, err := s.pool.Exec(ctx, sql, args...)
		return err == nil && tag.RowsAffected() == 1, err
	}
	return lease.Lock(ctx, "sqlstore", username, s.lease, lease.Ops{
		Take: func(ctx context.Context) (bool, error) {
			return exec(ctx, "INSERT INTO "+s.leases+" AS l (username, owner, expires_at) "+
				"VALUES ($1, $2, clock_timestamp() + $3::float8 * interval '1 millisecond') "+
				"ON CONFLICT (username) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at "+
				"WHERE l.expires_at < clock_timestamp()", username, owner, ms)
		},
		Renew: func(ctx context.Context) (bool, error) {
			return exec(ctx, "UPDATE "+s.leases+" SET expires_at = clock_timestamp() + $3::float8 * interval '1 millisecond' "+
				"WHERE username = $1 AND owner = $2", username, owner, ms)
		},
		Release: func(ctx context.Context) (bool, error) {
			return exec(ctx, "DELETE FROM "+s.leases+" WHERE username = $1 AND owner = $2", username, owner)
		},
	})
}
