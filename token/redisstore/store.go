// Package redisstore keeps o365 tokens in Redis, so that every process and
// machine of a service shares them, and coordinates token refreshes among
// them: at most one refresh per user at a time across the cluster.
//
// It is a separate module (github.com/go-o365/o365/token/redisstore) so
// that the core module does not depend on a Redis client.
//
//	rdb := redis.NewClient(&redis.Options{Addr: "localhost:6379"})
//	store, err := redisstore.New(rdb, redisstore.Options{})
//	…
//	account := o365.NewAccount(creds, o365.WithTokenBackend(store))
//
// # Keys
//
// With the default prefix "{o365}:" the store uses:
//
//	{o365}:tokens         hash: username -> token as JSON (the fields of token.Token)
//	{o365}:users          sorted set: username, scored by when it was first stored
//	{o365}:seq            counter behind those scores
//	{o365}:lease:<user>   string: the refresh lease's owner, with the lease's expiry
//
// The braces are a Redis Cluster hash tag: they put every key of a store in
// one slot, as the scripts that change two keys at once require.
//
// # Refresh leases
//
// Lock takes a lease on the user's refresh with SET NX PX and a random
// owner value. While the holder lives it renews the lease every third of
// its lifetime; unlock deletes it only if it still holds it (a Lua
// compare-and-delete). A holder that crashes stops renewing, so its lease
// expires and a waiting process takes over. Waiters poll with back-off.
//
// Tokens are stored as they are given; wrap the store in token.Encrypted to
// keep them encrypted at rest.
package redisstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/go-o365/o365/token"
	"github.com/go-o365/o365/token/internal/codec"
	"github.com/go-o365/o365/token/internal/lease"
	"github.com/redis/go-redis/v9"
)

// DefaultLease is the lifetime of a refresh lease unless Options say
// otherwise: far longer than a token refresh takes, short enough that a
// crashed holder delays the others only briefly.
const DefaultLease = 30 * time.Second

// DefaultPrefix starts the name of every key unless Options say otherwise.
const DefaultPrefix = "{o365}:"

// ErrLeaseLost is returned by the unlock function of Lock when the lease
// expired before it was released, so another process may have refreshed
// the same token concurrently: the renewals did not reach Redis in time.
var ErrLeaseLost = lease.ErrLost

// Options configure a Store. The zero value gives the defaults.
type Options struct {
	// Prefix starts the name of every key of the store (DefaultPrefix when
	// empty). Stores with different prefixes on one server share nothing.
	// On Redis Cluster it must contain a hash tag, e.g. "{o365-prod}:".
	Prefix string
	// Lease is the lifetime of a refresh lease (DefaultLease when zero or
	// negative; at least a millisecond): how long a crashed holder can
	// delay other processes.
	Lease time.Duration
}

// Store is a token.Backend, token.Locker and token.Swapper on Redis. It is
// safe for concurrent use by goroutines, processes and machines.
type Store struct {
	rdb                        redis.UniversalClient
	tokens, users, seq, leases string
	lease                      time.Duration
}

var (
	_ token.Backend = (*Store)(nil)
	_ token.Locker  = (*Store)(nil)
	_ token.Swapper = (*Store)(nil)
)

// New returns a store on the Redis server (or cluster, or sentinel setup)
// that client talks to. It does no I/O: an unreachable server shows in the
// first call.
func New(client redis.UniversalClient, opts Options) (*Store, error) {
	if client == nil {
		return nil, errors.New("redisstore: New: nil client")
	}
	if opts.Prefix == "" {
		opts.Prefix = DefaultPrefix
	}
	if opts.Lease <= 0 {
		opts.Lease = DefaultLease
	}
	opts.Lease = max(opts.Lease, time.Millisecond) // the servers count in milliseconds
	return &Store{
		rdb:    client,
		tokens: opts.Prefix + "tokens",
		users:  opts.Prefix + "users",
		seq:    opts.Prefix + "seq",
		leases: opts.Prefix + "lease:",
		lease:  opts.Lease,
	}, nil
}

// The scripts keep the token hash and the order of users in step.
var (
	putScript = redis.NewScript(`
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then
  redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), ARGV[1])
end
return 1`)
	deleteScript = redis.NewScript(`
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1`)
	swapScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
  return 1
end
return 0`)
	renewScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`)
	releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`)
)

// Get returns the user's token, or an error wrapping token.ErrNotFound.
func (s *Store) Get(ctx context.Context, username string) (*token.Token, error) {
	data, err := s.rdb.HGet(ctx, s.tokens, username).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("%w: %q", token.ErrNotFound, username)
	}
	if err != nil {
		return nil, fmt.Errorf("redisstore: reading token of %q: %w", username, err)
	}
	return codec.Decode("redisstore", username, data)
}

// Put stores t for username, replacing any token the user had; a new user
// goes to the end of Users.
func (s *Store) Put(ctx context.Context, username string, t *token.Token) error {
	data, err := codec.Encode("redisstore", username, t)
	if err != nil {
		return err
	}
	if err := putScript.Run(ctx, s.rdb, []string{s.tokens, s.users, s.seq}, username, data).Err(); err != nil {
		return fmt.Errorf("redisstore: storing token of %q: %w", username, err)
	}
	return nil
}

// Delete removes the user's token; deleting an absent user is not an error.
func (s *Store) Delete(ctx context.Context, username string) error {
	if err := deleteScript.Run(ctx, s.rdb, []string{s.tokens, s.users}, username).Err(); err != nil {
		return fmt.Errorf("redisstore: deleting token of %q: %w", username, err)
	}
	return nil
}

// Users lists the stored usernames in the order they were first stored.
func (s *Store) Users(ctx context.Context) ([]string, error) {
	users, err := s.rdb.ZRange(ctx, s.users, 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("redisstore: listing users: %w", err)
	}
	return users, nil
}

// Swap stores replacement for username if the stored token is still old,
// in one atomic step, and reports whether it did.
func (s *Store) Swap(ctx context.Context, username string, old, replacement *token.Token) (bool, error) {
	was, err := codec.Encode("redisstore", username, old)
	if err != nil {
		return false, err
	}
	data, err := codec.Encode("redisstore", username, replacement)
	if err != nil {
		return false, err
	}
	n, err := swapScript.Run(ctx, s.rdb, []string{s.tokens}, username, was, data).Int()
	if err != nil {
		return false, fmt.Errorf("redisstore: replacing token of %q: %w", username, err)
	}
	return n == 1, nil
}

// Lock takes the user's refresh lease, waiting while another process holds
// it (or until ctx ends), and keeps it alive until unlock is called, so
// unlock must always be called. unlock returns an error wrapping
// ErrLeaseLost if the lease expired meanwhile; calling it again does
// nothing.
func (s *Store) Lock(ctx context.Context, username string) (unlock func() error, err error) {
	key, owner := s.leases+username, lease.Owner()
	ms := s.lease.Milliseconds()
	return lease.Lock(ctx, "redisstore", username, s.lease, lease.Ops{
		Take: func(ctx context.Context) (bool, error) {
			return s.rdb.SetNX(ctx, key, owner, s.lease).Result()
		},
		Renew: func(ctx context.Context) (bool, error) {
			n, err := renewScript.Run(ctx, s.rdb, []string{key}, owner, ms).Int()
			return n == 1, err
		},
		Release: func(ctx context.Context) (bool, error) {
			n, err := releaseScript.Run(ctx, s.rdb, []string{key}, owner).Int()
			return n == 1, err
		},
	})
}
