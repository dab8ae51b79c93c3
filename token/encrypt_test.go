package token_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/go-o365/o365/token"
	"github.com/go-o365/o365/token/internal/storetest"
)

var (
	key1 = storetest.Key1
	key2 = storetest.Key2
)

func TestEncryptedContract(t *testing.T) {
	t.Run("memory", func(t *testing.T) {
		storetest.Contract(t, func(testing.TB) token.Backend { return token.Encrypted(token.NewMemoryBackend(), key1) })
	})
	t.Run("file", func(t *testing.T) {
		storetest.Contract(t, func(t testing.TB) token.Backend {
			return token.Encrypted(token.NewFileBackend(filepath.Join(t.TempDir(), "tokens.json")), key2, key1)
		})
	})
}

func ctx() context.Context { return context.Background() }

func mustPut(t *testing.T, b token.Backend, user string, tok *token.Token) {
	t.Helper()
	if err := b.Put(ctx(), user, tok); err != nil {
		t.Fatalf("Put(%q): %v", user, err)
	}
}

func mustGet(t *testing.T, b token.Backend, user string) *token.Token {
	t.Helper()
	tok, err := b.Get(ctx(), user)
	if err != nil {
		t.Fatalf("Get(%q): %v", user, err)
	}
	return tok
}

func assertDecryptError(t *testing.T, err error, parts ...string) {
	t.Helper()
	if !errors.Is(err, token.ErrDecrypt) {
		t.Fatalf("err = %v, want ErrDecrypt", err)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not mention %s", err, p)
		}
	}
	if strings.Contains(err.Error(), "SECRET") {
		t.Errorf("error %q reveals a token value", err)
	}
}

func TestEncryptedFileHoldsNoPlaintext(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tokens.json")
	b := token.Encrypted(token.NewFileBackend(path), key1)
	mustPut(t, b, "adele@contoso.com", storetest.SampleToken("SECRET-A"))
	mustPut(t, b, "app", &token.Token{AccessToken: "SECRET-APP", AppOnly: true})

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"SECRET"} {
		if bytes.Contains(data, []byte(s)) {
			t.Fatalf("token file holds %q in plaintext:\n%s", s, data)
		}
	}
	// Non-secret fields stay readable, for operators.
	for _, s := range []string{`"enc:v1:k1:`, `"Mail.ReadWrite"`, `"app_only": true`, `"adele@contoso.com"`} {
		if !bytes.Contains(data, []byte(s)) {
			t.Errorf("token file lacks %s:\n%s", s, data)
		}
	}
	// An app-only token has no refresh token; empty stays empty.
	raw := mustGet(t, token.NewFileBackend(path), "app")
	if raw.RefreshToken != "" || raw.IDToken != "" {
		t.Errorf("empty secret fields were filled: %+v", raw)
	}
}

func TestEncryptedKeepsLocker(t *testing.T) {
	if _, ok := token.Encrypted(token.NewFileBackend(filepath.Join(t.TempDir(), "t.json")), key1).(token.Locker); !ok {
		t.Error("Encrypted over a FileBackend lost its Locker")
	}
	if _, ok := token.Encrypted(token.NewMemoryBackend(), key1).(token.Locker); ok {
		t.Error("Encrypted over a MemoryBackend claims a Locker it does not have")
	}
}

func TestEncryptedRejectsBadKeys(t *testing.T) {
	for _, c := range []struct {
		name string
		keys []token.Key
		want string
	}{
		{"none", nil, "no key"},
		{"short secret", []token.Key{{ID: "k", Secret: make([]byte, 16)}}, `key "k": secret is 16 bytes, want 32`},
		{"empty ID", []token.Key{{Secret: make([]byte, 32)}}, "key #1: ID"},
		{"ID with colon", []token.Key{key1, {ID: "a:b", Secret: make([]byte, 32)}}, `key #2: ID "a:b"`},
		{"repeated ID", []token.Key{key1, storetest.Key1Wrong}, `key ID "k1" given twice`},
	} {
		t.Run(c.name, func(t *testing.T) {
			inner := token.NewMemoryBackend()
			mustPut(t, inner, "u", &token.Token{AccessToken: "x"})
			b := token.Encrypted(inner, c.keys...)
			_, getErr := b.Get(ctx(), "u")
			_, usersErr := b.Users(ctx())
			for _, err := range []error{getErr, usersErr, b.Put(ctx(), "u", &token.Token{AccessToken: "y"}), b.Delete(ctx(), "u")} {
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Errorf("err = %v, want one mentioning %q", err, c.want)
				}
			}
			if got := mustGet(t, inner, "u").AccessToken; got != "x" {
				t.Errorf("a backend with invalid keys changed the store: access token %q", got)
			}
		})
	}
}

func TestEncryptedWrongKeyDestroysNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tokens.json")
	mustPut(t, token.Encrypted(token.NewFileBackend(path), key1), "adele", storetest.SampleToken("SECRET"))
	before, _ := os.ReadFile(path)

	_, err := token.Encrypted(token.NewFileBackend(path), key2).Get(ctx(), "adele")
	assertDecryptError(t, err, `"adele"`, `key "k1"`, `not among the keys given ("k2")`)

	_, err = token.Encrypted(token.NewFileBackend(path), storetest.Key1Wrong).Get(ctx(), "adele")
	assertDecryptError(t, err, `"adele"`, `key "k1" does not open it`)

	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Fatalf("a failed decryption rewrote the file:\nbefore %s\nafter  %s", before, after)
	}
}

func TestEncryptedDetectsTampering(t *testing.T) {
	inner := token.NewMemoryBackend()
	b := token.Encrypted(inner, key1)
	mustPut(t, b, "adele", storetest.SampleToken("SECRET-A"))
	mustPut(t, b, "alex", storetest.SampleToken("SECRET-B"))
	sealedA, sealedB := mustGet(t, inner, "adele"), mustGet(t, inner, "alex")

	// Alex's sealed refresh token copied into Adele's entry does not open:
	// ciphertexts are bound to their user.
	moved := *sealedA
	moved.RefreshToken = sealedB.RefreshToken
	mustPut(t, inner, "adele", &moved)
	_, err := b.Get(ctx(), "adele")
	assertDecryptError(t, err, `refresh_token of "adele"`, "altered")

	// Nor does one field's ciphertext open as another's.
	swapped := *sealedA
	swapped.AccessToken = sealedA.IDToken
	mustPut(t, inner, "adele", &swapped)
	_, err = b.Get(ctx(), "adele")
	assertDecryptError(t, err, `access_token of "adele"`)

	// A flipped bit is caught.
	data, _ := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(sealedA.AccessToken, "enc:v1:k1:"))
	data[len(data)-1] ^= 1
	flipped := *sealedA
	flipped.AccessToken = "enc:v1:k1:" + base64.RawURLEncoding.EncodeToString(data)
	mustPut(t, inner, "adele", &flipped)
	_, err = b.Get(ctx(), "adele")
	assertDecryptError(t, err, `access_token of "adele"`, "altered")
}

func TestEncryptedRefusesPlaintext(t *testing.T) {
	inner := token.NewMemoryBackend()
	mustPut(t, inner, "adele", &token.Token{AccessToken: "SECRET-PLAIN"})
	_, err := token.Encrypted(inner, key1).Get(ctx(), "adele")
	assertDecryptError(t, err, `access_token of "adele"`, "stored unencrypted")
}

// writeBackInners are the two ways Encrypted writes a re-sealed token
// back: re-reading before the write, or a conditional Swap.
var writeBackInners = []struct {
	name  string
	inner func(t *testing.T) token.Backend
}{
	{"reread", func(t *testing.T) token.Backend { return token.NewFileBackend(filepath.Join(t.TempDir(), "t.json")) }},
	{"swapper", func(*testing.T) token.Backend { return &swapMemory{MemoryBackend: token.NewMemoryBackend()} }},
}

// A token sealed with an older key is written back sealed with the first
// key, and then opens without the old key.
func TestEncryptedRotation(t *testing.T) {
	for _, c := range writeBackInners {
		t.Run(c.name, func(t *testing.T) {
			inner := c.inner(t)
			mustPut(t, token.Encrypted(inner, key1), "adele", storetest.SampleToken("SECRET"))
			got := mustGet(t, token.Encrypted(inner, key2, key1), "adele")
			if got.RefreshToken != "refresh-SECRET" {
				t.Fatalf("rotated read returned %+v", got)
			}
			if sealed := mustGet(t, inner, "adele").AccessToken; !strings.HasPrefix(sealed, "enc:v1:k2:") {
				t.Fatalf("stored access token after rotation = %.12s…, want sealed with k2", sealed)
			}
			if got := mustGet(t, token.Encrypted(inner, key2), "adele"); got.AccessToken != "SECRET" {
				t.Fatalf("read with the new key alone = %+v", got)
			}
		})
	}
}

// A write-back never replaces a token that another process stored after
// the read: the rotated refresh token in it would be lost.
func TestEncryptedRotationKeepsNewerToken(t *testing.T) {
	for _, c := range writeBackInners {
		t.Run(c.name, func(t *testing.T) {
			inner := c.inner(t)
			mustPut(t, token.Encrypted(inner, key1), "adele", storetest.SampleToken("OLD"))
			// Another process refreshes right after this one's read.
			var racing token.Backend = &afterFirstGet{Backend: inner, then: func() {
				mustPut(t, token.Encrypted(inner, key2), "adele", storetest.SampleToken("NEW"))
			}}
			if sw, ok := inner.(token.Swapper); ok {
				racing = struct {
					token.Backend
					token.Swapper
				}{racing, sw}
			}
			if got := mustGet(t, token.Encrypted(racing, key2, key1), "adele"); got.AccessToken != "OLD" {
				t.Fatalf("read = %q, want the token as read", got.AccessToken)
			}
			if got := mustGet(t, token.Encrypted(inner, key2), "adele"); got.AccessToken != "NEW" {
				t.Fatalf("stored token = %q after the write-back, want the newer token NEW", got.AccessToken)
			}
		})
	}
}

// swapMemory is a MemoryBackend with Swap, as the shared stores have.
type swapMemory struct {
	*token.MemoryBackend
	mu sync.Mutex
}

func (m *swapMemory) Put(ctx context.Context, user string, t *token.Token) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.MemoryBackend.Put(ctx, user, t)
}

func (m *swapMemory) Swap(ctx context.Context, user string, old, replacement *token.Token) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	cur, err := m.MemoryBackend.Get(ctx, user)
	if errors.Is(err, token.ErrNotFound) {
		return false, nil
	}
	if err != nil || fmt.Sprint(*cur) != fmt.Sprint(*old) {
		return false, err
	}
	return true, m.MemoryBackend.Put(ctx, user, replacement)
}

// afterFirstGet runs then once, after its first Get has read the store.
type afterFirstGet struct {
	token.Backend
	once sync.Once
	then func()
}

func (a *afterFirstGet) Get(ctx context.Context, user string) (*token.Token, error) {
	t, err := a.Backend.Get(ctx, user)
	a.once.Do(a.then)
	return t, err
}

// FuzzEncryptedGet feeds arbitrary stored values to an encrypted backend:
// it must never panic, and must open only what its key sealed. (Each fuzz
// worker seals its own seed, with its own random nonce.)
func FuzzEncryptedGet(f *testing.F) {
	inner := token.NewMemoryBackend()
	b := token.Encrypted(inner, key1)
	if err := b.Put(ctx(), "u", &token.Token{AccessToken: "a"}); err != nil {
		f.Fatal(err)
	}
	sealed, _ := inner.Get(ctx(), "u")
	f.Add(sealed.AccessToken)
	f.Add("enc:v1:k1:")
	f.Add("enc:v1:k9:AAAA")
	f.Add("enc:v1:k1:" + strings.Repeat("A", 40))
	f.Add("plain")
	f.Fuzz(func(t *testing.T, stored string) {
		m := token.NewMemoryBackend()
		if err := m.Put(ctx(), "u", &token.Token{AccessToken: stored}); err != nil {
			t.Fatal(err)
		}
		got, err := token.Encrypted(m, key1).Get(ctx(), "u")
		switch {
		case err == nil && stored != "" && got.AccessToken != "a":
			// Only "a" was ever sealed with key1, for this user and field.
			t.Fatalf("opened a value it never sealed: %q -> %q", stored, got.AccessToken)
		case err != nil && !errors.Is(err, token.ErrDecrypt):
			t.Fatalf("err = %v, want ErrDecrypt", err)
		}
	})
}

func ExampleEncrypted() {
	// Keys come from outside the token store: a secret manager, an
	// environment variable. The first key encrypts; older ones still decrypt.
	current := token.Key{ID: "2025-06", Secret: bytes.Repeat([]byte{7}, 32)}
	previous := token.Key{ID: "2025-01", Secret: bytes.Repeat([]byte{3}, 32)}
	backend := token.Encrypted(token.NewMemoryBackend(), current, previous)

	_ = backend.Put(context.Background(), "adele@contoso.com", &token.Token{AccessToken: "eyJ0…", RefreshToken: "1.AR…"})
	t, err := backend.Get(context.Background(), "adele@contoso.com")
	fmt.Println(t.RefreshToken, err)
	// Output: 1.AR… <nil>
}
