package token

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"
)

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
