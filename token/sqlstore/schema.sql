-- Tables of github.com/go-o365/o365/token/sqlstore, for PostgreSQL 10 or later.
--
-- sqlstore.New runs this file itself unless Options.NoMigrate is set; run it
-- with a migration tool or psql where the application's database role may
-- not create tables. It is idempotent. For another table name (Options.Table),
-- replace o365_tokens with that name throughout, schema-qualified if need be.

-- One row per user. seq orders Users by when each user was first stored.
CREATE TABLE IF NOT EXISTS o365_tokens (
    seq        bigint GENERATED ALWAYS AS IDENTITY,
    username   text PRIMARY KEY,
    token      jsonb NOT NULL, -- the fields of token.Token; see token.Encrypted to encrypt the secret ones
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Refresh leases: at most one process per user refreshes a token at a time.
-- A row whose expires_at has passed belongs to a crashed holder, and the next
-- process to want the lease takes it over.
CREATE TABLE IF NOT EXISTS o365_tokens_leases (
    username   text PRIMARY KEY,
    owner      text NOT NULL,
    expires_at timestamptz NOT NULL
);
