package redisstore_test

import (
	"context"
	"encoding/base64"
	"log"
	"os"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/token"
	"github.com/go-o365/o365/token/redisstore"
	"github.com/redis/go-redis/v9"
)

// Every worker of a service opens the same store; each user's token is
// then refreshed by one worker at a time, and the others reuse it.
func ExampleNew() {
	rdb := redis.NewClient(&redis.Options{Addr: "redis.internal:6379"})
	store, err := redisstore.New(rdb, redisstore.Options{})
	if err != nil {
		log.Fatal(err)
	}
	// Encrypted at rest with a key kept outside Redis.
	secret, err := base64.StdEncoding.DecodeString(os.Getenv("O365_TOKEN_KEY"))
	if err != nil {
		log.Fatal(err)
	}
	backend := token.Encrypted(store, token.Key{ID: "2025-06", Secret: secret})

	account := o365.NewAccount(o365.Credentials{ClientID: "my_client_id", ClientSecret: "my_client_secret"},
		o365.WithTokenBackend(backend))
	me, err := account.CurrentUser(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	log.Println(me.DisplayName)
}
