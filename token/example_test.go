package token_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/go-o365/o365/token"
)

func ExampleNewFileBackend() {
	dir, err := os.MkdirTemp("", "o365")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	ctx := context.Background()
	backend := token.NewFileBackend(filepath.Join(dir, "o365_token.json"))
	for _, user := range []string{"adele@contoso.com", "megan@contoso.com"} {
		err := backend.Put(ctx, user, &token.Token{
			AccessToken:  "access token of " + user,
			RefreshToken: "refresh token of " + user,
			Expiry:       time.Now().Add(time.Hour),
		})
		if err != nil {
			log.Fatal(err)
		}
	}

	users, err := backend.Users(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(users)

	t, err := backend.Get(ctx, "megan@contoso.com")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.Valid())
	// Output:
	// [adele@contoso.com megan@contoso.com]
	// true
}
