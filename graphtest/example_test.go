package graphtest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/go-o365/o365/graphtest"
	"golang.org/x/oauth2"
)

// A client signs in with the password grant and reads /me.
func Example() {
	srv := graphtest.NewServer()
	defer srv.Close()
	srv.AddApp(graphtest.App{ClientID: "my-app", Public: true})
	srv.AddUser(graphtest.User{UserPrincipalName: "adele@contoso.com", DisplayName: "Adele Vance", Password: "pw"})

	ctx := context.Background()
	conf := &oauth2.Config{
		ClientID: "my-app",
		Scopes:   []string{"User.Read"},
		Endpoint: oauth2.Endpoint{TokenURL: srv.LoginURL() + "/common/oauth2/v2.0/token", AuthStyle: oauth2.AuthStyleInParams},
	}
	tok, err := conf.PasswordCredentialsToken(ctx, "adele@contoso.com", "pw")
	if err != nil {
		fmt.Println(err)
		return
	}
	resp, err := conf.Client(ctx, tok).Get(srv.GraphURL() + "/v1.0/me")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	var me struct{ DisplayName, UserPrincipalName string }
	if err := json.NewDecoder(resp.Body).Decode(&me); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(me.DisplayName, me.UserPrincipalName)
	// Output: Adele Vance adele@contoso.com
}

// Throttle makes the next Graph requests answer 429 with Retry-After.
func ExampleServer_Throttle() {
	srv := graphtest.NewServer()
	defer srv.Close()
	srv.AddUser(graphtest.User{UserPrincipalName: "adele@contoso.com"})
	tok, _ := srv.UserToken("adele@contoso.com", "User.Read")
	srv.Throttle(1, "2")

	for range 2 {
		req, _ := http.NewRequest(http.MethodGet, srv.GraphURL()+"/v1.0/me", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		resp.Body.Close()
		fmt.Println(resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// Output:
	// 429 2
	// 200
}
