package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/go-o365/o365/token"
)

// The contract scenarios follow token/backend_test.go, which holds the
// same contract for the core backends.

func (s Suite) contract(t *testing.T) {
	runContract(t, s.fresh)
}

func (s Suite) encryptedContract(t *testing.T) {
	runContract(t, func(t testing.TB) token.Backend { return token.Encrypted(s.fresh(t), Key1) })
}

// Contract runs the token.Backend contract against fresh, empty backends
// made by newBackend.
func Contract(t *testing.T, newBackend func(t testing.TB) token.Backend) {
	runContract(t, newBackend)
}

func runContract(t *testing.T, newBackend func(t testing.TB) token.Backend) {
	for _, c := range []struct {
		name string
		test func(t *testing.T, b token.Backend)
	}{
		{"Empty", contractEmpty},
		{"RoundTrip", contractRoundTrip},
		{"ReplaceKeepsOrder", contractReplaceKeepsOrder},
		{"Delete", contractDelete},
		{"Copies", contractCopies},
		{"RejectsBadPut", contractRejectsBadPut},
		{"ConcurrentPuts", contractConcurrentPuts},
	} {
		t.Run(c.name, func(t *testing.T) { c.test(t, newBackend(t)) })
	}
}

// SampleToken returns a token whose every field is set and whose secrets
// all contain access, so that tests can look for them.
func SampleToken(access string) *token.Token {
	return &token.Token{
		AccessToken:  access,
		TokenType:    "Bearer",
		RefreshToken: "refresh-" + access,
		// A zone other than UTC and sub-second precision must survive storage.
		Expiry:  time.Date(2030, 5, 6, 7, 8, 9, 123456789, time.FixedZone("CEST", 2*3600)),
		Scopes:  []string{"Mail.ReadWrite", "offline_access"},
		IDToken: "id-" + access,
	}
}

// AssertSameToken fails t unless got equals want, comparing the expiry as
// an instant.
func AssertSameToken(t testing.TB, got, want *token.Token) {
	t.Helper()
	if got == nil {
		t.Fatalf("got nil token, want %+v", want)
		return
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

func mustGet(t testing.TB, b token.Backend, user string) *token.Token {
	t.Helper()
	tok, err := b.Get(context.Background(), user)
	if err != nil {
		t.Fatalf("Get(%q): %v", user, err)
	}
	return tok
}

func mustPut(t testing.TB, b token.Backend, user string, tok *token.Token) {
	t.Helper()
	if err := b.Put(context.Background(), user, tok); err != nil {
		t.Fatalf("Put(%q): %v", user, err)
	}
}

func assertUsers(t testing.TB, b token.Backend, want ...string) {
	t.Helper()
	got, err := b.Users(context.Background())
	if err != nil {
		t.Fatalf("Users: %v", err)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("Users = %q, want %q", got, want)
	}
}

func contractEmpty(t *testing.T, b token.Backend) {
	_, err := b.Get(context.Background(), "nobody@example.com")
	if !errors.Is(err, token.ErrNotFound) {
		t.Fatalf("Get on empty backend: err = %v, want ErrNotFound", err)
	}
	assertUsers(t, b)
	if err := b.Delete(context.Background(), "nobody@example.com"); err != nil {
		t.Fatalf("Delete of absent user: %v", err)
	}
}

func contractRoundTrip(t *testing.T, b token.Backend) {
	users := []string{"adele@contoso.com", "Ünïcødé \"quoted\" user", "app-only", "with:colon {and} *glob*"}
	for i, u := range users {
		tok := SampleToken("access-" + strconv.Itoa(i))
		tok.AppOnly = u == "app-only"
		mustPut(t, b, u, tok)
	}
	for i, u := range users {
		want := SampleToken("access-" + strconv.Itoa(i))
		want.AppOnly = u == "app-only"
		AssertSameToken(t, mustGet(t, b, u), want)
	}
	assertUsers(t, b, users...)
	// A token with only the required field keeps its zero values.
	mustPut(t, b, "minimal", &token.Token{AccessToken: "x"})
	AssertSameToken(t, mustGet(t, b, "minimal"), &token.Token{AccessToken: "x"})
}

func contractReplaceKeepsOrder(t *testing.T, b token.Backend) {
	for _, u := range []string{"c", "a", "b"} {
		mustPut(t, b, u, SampleToken("old-"+u))
	}
	assertUsers(t, b, "c", "a", "b")

	mustPut(t, b, "a", SampleToken("new-a"))
	assertUsers(t, b, "c", "a", "b")
	AssertSameToken(t, mustGet(t, b, "a"), SampleToken("new-a"))
	AssertSameToken(t, mustGet(t, b, "b"), SampleToken("old-b"))
}

func contractDelete(t *testing.T, b token.Backend) {
	ctx := context.Background()
	for _, u := range []string{"c", "a", "b"} {
		mustPut(t, b, u, SampleToken(u))
	}
	if err := b.Delete(ctx, "a"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := b.Get(ctx, "a"); !errors.Is(err, token.ErrNotFound) {
		t.Fatalf("Get after Delete: err = %v, want ErrNotFound", err)
	}
	assertUsers(t, b, "c", "b")
	AssertSameToken(t, mustGet(t, b, "c"), SampleToken("c"))

	// Stored again, a deleted user counts as newly stored.
	mustPut(t, b, "a", SampleToken("a2"))
	assertUsers(t, b, "c", "b", "a")

	for _, u := range []string{"c", "b", "a", "a"} {
		if err := b.Delete(ctx, u); err != nil {
			t.Fatalf("Delete(%q): %v", u, err)
		}
	}
	assertUsers(t, b)
}

func contractCopies(t *testing.T, b token.Backend) {
	in := SampleToken("stored")
	mustPut(t, b, "u", in)
	in.AccessToken = "changed after Put"
	in.Scopes[0] = "changed after Put"

	out := mustGet(t, b, "u")
	AssertSameToken(t, out, SampleToken("stored"))
	out.AccessToken = "changed after Get"
	out.Scopes[0] = "changed after Get"
	AssertSameToken(t, mustGet(t, b, "u"), SampleToken("stored"))

	users, _ := b.Users(context.Background())
	users[0] = "changed"
	assertUsers(t, b, "u")
}

func contractRejectsBadPut(t *testing.T, b token.Backend) {
	if err := b.Put(context.Background(), "", SampleToken("x")); err == nil {
		t.Error("Put with empty username: want error")
	}
	if err := b.Put(context.Background(), "u", nil); err == nil {
		t.Error("Put of nil token: want error")
	}
	assertUsers(t, b)
}

func contractConcurrentPuts(t *testing.T, b token.Backend) {
	const workers, each = 8, 5
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				u := fmt.Sprintf("w%d-u%d", w, i)
				errs <- b.Put(context.Background(), u, SampleToken(u))
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
		AssertSameToken(t, mustGet(t, b, u), SampleToken(u))
	}
}
