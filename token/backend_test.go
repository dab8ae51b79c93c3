package token

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
)

// backends builds a fresh, empty instance of every backend, so that each
// contract test runs against all of them.
var backends = []struct {
	name string
	new  func(t *testing.T) Backend
}{
	{"memory", func(*testing.T) Backend { return NewMemoryBackend() }},
	{"file", func(t *testing.T) Backend {
		return NewFileBackend(filepath.Join(t.TempDir(), "o365_token.json"))
	}},
	{"env", func(t *testing.T) Backend {
		t.Setenv("O365_TOKEN_TEST", "")
		return NewEnvBackend("O365_TOKEN_TEST")
	}},
}

func forEachBackend(t *testing.T, test func(t *testing.T, b Backend)) {
	for _, bk := range backends {
		t.Run(bk.name, func(t *testing.T) { test(t, bk.new(t)) })
	}
}

func sampleToken(access string) *Token {
	return &Token{
		AccessToken:  access,
		TokenType:    "Bearer",
		RefreshToken: "refresh-" + access,
		// A zone other than UTC and sub-second precision must survive storage.
		Expiry:  time.Date(2030, 5, 6, 7, 8, 9, 123456789, time.FixedZone("CEST", 2*3600)),
		Scopes:  []string{"Mail.ReadWrite", "offline_access"},
		IDToken: "id-" + access,
	}
}

func assertSameToken(t *testing.T, got, want *Token) {
	t.Helper()
	if got == nil {
		t.Fatalf("got nil token, want %+v", want)
	}
	if !got.Expiry.Equal(want.Expiry) {
		t.Errorf("Expiry = %v, want %v", got.Expiry, want.Expiry)
	}
	g, w := *got, *want
	g.Expiry, w.Expiry = time.Time{}, time.Time{}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("token = %+v, want %+v", g, w)
	}
}

func mustGet(t *testing.T, b Backend, user string) *Token {
	t.Helper()
	tok, err := b.Get(context.Background(), user)
	if err != nil {
		t.Fatalf("Get(%q): %v", user, err)
	}
	return tok
}

func mustPut(t *testing.T, b Backend, user string, tok *Token) {
	t.Helper()
	if err := b.Put(context.Background(), user, tok); err != nil {
		t.Fatalf("Put(%q): %v", user, err)
	}
}

func assertUsers(t *testing.T, b Backend, want ...string) {
	t.Helper()
	got, err := b.Users(context.Background())
	if err != nil {
		t.Fatalf("Users: %v", err)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("Users = %q, want %q", got, want)
	}
}

func TestContractEmpty(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b Backend) {
		_, err := b.Get(context.Background(), "nobody@example.com")
		if !errors.Is(err, ErrNotFound) {
			t.Fatalf("Get on empty backend: err = %v, want ErrNotFound", err)
		}
		assertUsers(t, b)
		if err := b.Delete(context.Background(), "nobody@example.com"); err != nil {
			t.Fatalf("Delete of absent user: %v", err)
		}
	})
}

func TestContractRoundTrip(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b Backend) {
		users := []string{"adele@contoso.com", "Ünïcødé \"quoted\" user", "app-only"}
		for i, u := range users {
			tok := sampleToken("access-" + strconv.Itoa(i))
			tok.AppOnly = u == "app-only"
			mustPut(t, b, u, tok)
		}
		for i, u := range users {
			want := sampleToken("access-" + strconv.Itoa(i))
			want.AppOnly = u == "app-only"
			assertSameToken(t, mustGet(t, b, u), want)
		}
		// A token with only the required field keeps its zero values.
		mustPut(t, b, "minimal", &Token{AccessToken: "x"})
		assertSameToken(t, mustGet(t, b, "minimal"), &Token{AccessToken: "x"})
	})
}

func TestContractReplaceKeepsOrder(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b Backend) {
		for _, u := range []string{"c", "a", "b"} {
			mustPut(t, b, u, sampleToken("old-"+u))
		}
		assertUsers(t, b, "c", "a", "b")

		mustPut(t, b, "a", sampleToken("new-a"))
		assertUsers(t, b, "c", "a", "b")
		assertSameToken(t, mustGet(t, b, "a"), sampleToken("new-a"))
		assertSameToken(t, mustGet(t, b, "b"), sampleToken("old-b"))
	})
}

func TestContractDelete(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b Backend) {
		ctx := context.Background()
		for _, u := range []string{"c", "a", "b"} {
			mustPut(t, b, u, sampleToken(u))
		}
		if err := b.Delete(ctx, "a"); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if _, err := b.Get(ctx, "a"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Get after Delete: err = %v, want ErrNotFound", err)
		}
		assertUsers(t, b, "c", "b")
		assertSameToken(t, mustGet(t, b, "c"), sampleToken("c"))

		// Stored again, a deleted user counts as newly stored.
		mustPut(t, b, "a", sampleToken("a2"))
		assertUsers(t, b, "c", "b", "a")

		for _, u := range []string{"c", "b", "a", "a"} {
			if err := b.Delete(ctx, u); err != nil {
				t.Fatalf("Delete(%q): %v", u, err)
			}
		}
		assertUsers(t, b)
	})
}

func TestContractCopies(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b Backend) {
		in := sampleToken("stored")
		mustPut(t, b, "u", in)
		in.AccessToken = "changed after Put"
		in.Scopes[0] = "changed after Put"

		out := mustGet(t, b, "u")
		assertSameToken(t, out, sampleToken("stored"))
		out.AccessToken = "changed after Get"
		out.Scopes[0] = "changed after Get"
		assertSameToken(t, mustGet(t, b, "u"), sampleToken("stored"))

		users, _ := b.Users(context.Background())
		users[0] = "changed"
		assertUsers(t, b, "u")
	})
}

func TestContractRejectsBadPut(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b Backend) {
		if err := b.Put(context.Background(), "", sampleToken("x")); err == nil {
			t.Error("Put with empty username: want error")
		}
		if err := b.Put(context.Background(), "u", nil); err == nil {
			t.Error("Put of nil token: want error")
		}
		assertUsers(t, b)
	})
}

func TestContractConcurrentPuts(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b Backend) {
		const workers, each = 8, 5
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for w := range workers {
			wg.Go(func() {
				for i := range each {
					u := fmt.Sprintf("w%d-u%d", w, i)
					errs <- b.Put(context.Background(), u, sampleToken(u))
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		users, err := b.Users(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(users) != workers*each {
			t.Fatalf("%d users stored, want %d: %q", len(users), workers*each, users)
		}
		for _, u := range users {
			assertSameToken(t, mustGet(t, b, u), sampleToken(u))
		}
	})
}

func TestEnvBackendCorrupt(t *testing.T) {
	const secret = "SECRET-ACCESS-VALUE"
	value := `{"version":1,"users":[{"username":"u","token":{"access_token":"` + secret
	t.Setenv("O365_TOKEN_TEST", value)
	b := NewEnvBackend("O365_TOKEN_TEST")
	ctx := context.Background()

	errs := map[string]error{"Put": b.Put(ctx, "v", sampleToken("v")), "Delete": b.Delete(ctx, "u")}
	_, errs["Get"] = b.Get(ctx, "u")
	_, errs["Users"] = b.Users(ctx)
	for op, err := range errs {
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: err = %v, want ErrCorrupt", op, err)
			continue
		}
		assertErrorMentions(t, err, "O365_TOKEN_TEST", "truncated")
		assertErrorHides(t, err, secret)
	}
	if got := mustGetenv(t, "O365_TOKEN_TEST"); got != value {
		t.Errorf("corrupt variable was rewritten to %q", got)
	}
}

func TestEnvBackendReadsInjectedValue(t *testing.T) {
	t.Setenv("O365_TOKEN_TEST", `{"version":1,"users":[{"username":"ci@contoso.com","token":{"access_token":"a","refresh_token":"r"}}]}`)
	b := NewEnvBackend("O365_TOKEN_TEST")
	assertSameToken(t, mustGet(t, b, "ci@contoso.com"), &Token{AccessToken: "a", RefreshToken: "r"})

	// Another backend on the same variable sees what this one stores.
	mustPut(t, b, "second", sampleToken("s"))
	assertUsers(t, NewEnvBackend("O365_TOKEN_TEST"), "ci@contoso.com", "second")
}
