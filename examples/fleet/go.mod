module github.com/go-o365/o365/examples/fleet

go 1.26.0

require (
	github.com/go-o365/o365 v0.0.0
	github.com/go-o365/o365/token/redisstore v0.0.0
	github.com/go-o365/o365/token/sqlstore v0.0.0
	github.com/jackc/pgx/v5 v5.12.0
	github.com/redis/go-redis/v9 v9.23.0
	github.com/stretchr/testify v1.12.1
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/go-json-experiment/json v1.27.2 // indirect
	github.com/jackc/pgpassfile v1.0.0 // indirect
	github.com/jackc/pgservicefile v0.0.0-20240606120523-5a60cdf6a761 // indirect
	github.com/jackc/puddle/v2 v2.2.3 // indirect
	go.uber.org/atomic v1.12.0 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/oauth2 v0.38.0 // indirect
	golang.org/x/sync v0.22.0 // indirect
	golang.org/x/sys v0.48.0 // indirect
	golang.org/x/text v0.41.0 // indirect
)

// The example is developed with the core module and the stores beside it.
replace (
	github.com/go-o365/o365 => ../..
	github.com/go-o365/o365/token/redisstore => ../../token/redisstore
	github.com/go-o365/o365/token/sqlstore => ../../token/sqlstore
)
