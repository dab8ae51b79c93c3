package o365_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/token"
)

// Sizes of the paging benchmark: a directory of benchUsers users served
// in pages of benchPageSize.
const (
	benchUsers    = 10_000
	benchPageSize = 1000
)

// BenchmarkIterateUsers walks a directory of 10,000 users in 10 pages of
// 1000 from graphtest over loopback: through the library's pager, and
// through a plain net/http + encoding/json loop with the same token and
// the same URLs. graphtest runs in the process and builds each page from
// its whole directory, so its cost (time and allocations) is in both
// figures and dominates them; the ratio of the two is the figure.
func BenchmarkIterateUsers(b *testing.B) {
	ctx := context.Background()
	// The default page size gives 10 pages without $top: Graph's directory
	// accepts $top up to 999 only.
	srv := graphtest.NewServer(graphtest.WithPageSize(benchPageSize))
	b.Cleanup(srv.Close)
	srv.AddApp(graphtest.App{ClientID: clientID, ClientSecret: clientSecret})
	directory := benchDirectory(benchUsers)
	directory[0].Password = adelePass
	for _, u := range directory {
		srv.AddUser(u)
	}
	upn := directory[0].UserPrincipalName

	backend := token.NewMemoryBackend()
	acct := o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: clientSecret},
		append(baseOptions(srv, backend), o365.WithAuthFlow(o365.PasswordFlow), o365.WithPassword(upn, adelePass))...)
	if ok, err := acct.Authenticate(ctx); err != nil || !ok {
		b.Fatalf("authenticating: %v", err)
	}
	tok, err := backend.Get(ctx, upn)
	if err != nil {
		b.Fatal(err)
	}
	usersURL := srv.GraphURL() + "/v1.0/users"

	withLibrary := func() ([]string, error) {
		ids := make([]string, 0, benchUsers)
		for u, err := range api.List[api.User](ctx, acct.Connection(), usersURL) {
			if err != nil {
				return nil, err
			}
			ids = append(ids, u.ID)
		}
		return ids, nil
	}
	client := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	b.Cleanup(client.CloseIdleConnections)
	plain := func() ([]string, error) {
		ids := make([]string, 0, benchUsers)
		for next := usersURL; next != ""; {
			page, err := getPage(ctx, client, next, tok.AccessToken)
			if err != nil {
				return nil, err
			}
			for _, u := range page.Value {
				ids = append(ids, u.ID)
			}
			next = page.NextLink
		}
		return ids, nil
	}

	variants := []struct {
		name string
		list func() ([]string, error)
	}{
		{"o365", withLibrary},
		{"net-http", plain},
	}
	for _, v := range variants {
		ids, err := v.list()
		if err != nil {
			b.Fatalf("%s: %v", v.name, err)
		}
		if len(ids) != benchUsers || ids[0] != directory[0].ID || ids[benchUsers-1] != directory[benchUsers-1].ID {
			b.Fatalf("%s listed %d users, not the directory's %d in order", v.name, len(ids), benchUsers)
		}
	}
	for _, v := range variants {
		b.Run(v.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := v.list(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// getPage is the plain loop's request: GET with the bearer token, decode
// with encoding/json, read the body to its end so the connection is
// reused.
func getPage(ctx context.Context, client *http.Client, url, accessToken string) (*api.Page[api.User], error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	page := new(api.Page[api.User])
	if err := json.NewDecoder(resp.Body).Decode(page); err != nil {
		return nil, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return page, err
}

// benchDirectory makes n distinct users with every default property set;
// the same n gives the same users on every run.
func benchDirectory(n int) []graphtest.User {
	return o365test.Directory(n, func(i int, _, _ string) string {
		return fmt.Sprintf("user%05d@contoso.onmicrosoft.com", i)
	})
}
