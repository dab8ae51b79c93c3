module github.com/go-o365/o365/token/redisstore

go 1.26.0

require (
	github.com/go-o365/o365 v0.0.0
	github.com/redis/go-redis/v9 v9.23.0
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/go-json-experiment/json v1.27.2 // indirect
	go.uber.org/atomic v1.12.0 // indirect
	golang.org/x/oauth2 v0.38.0 // indirect
	golang.org/x/sys v0.48.0 // indirect
)

// The store is developed with the core module beside it.
replace github.com/go-o365/o365 => ../..
