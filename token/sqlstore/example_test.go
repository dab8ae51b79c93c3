package sqlstore_test

import (
	"context"
	"log"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/token/sqlstore"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Every worker of a service opens the same store; each user's token is
// then refreshed by one worker at a time, and the others reuse it.
func ExampleNew() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, "postgres://app@db.internal/app")
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	store, err := sqlstore.New(ctx, pool, sqlstore.Options{})
	if err != nil {
		log.Fatal(err)
	}
	account := o365.NewAccount(o365.Credentials{ClientID: "my_client_id", ClientSecret: "my_client_secret"},
		o365.WithTokenBackend(store))
	for _, user := range []string{"adele@contoso.com", "alex@contoso.com"} {
		view, err := account.As(user)
		if err != nil {
			log.Fatal(err)
		}
		me, err := view.CurrentUser(ctx)
		if err != nil {
			log.Fatal(err)
		}
		log.Println(me.DisplayName)
	}
}
