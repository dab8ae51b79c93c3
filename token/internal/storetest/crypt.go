package storetest

import (
	"bytes"
	"errors"
	"testing"

	"github.com/go-o365/o365/token"
)

// Test keys. Key1Wrong has Key1's ID but another secret, as a store
// opened with a mistyped secret would.
var (
	Key1      = token.Key{ID: "k1", Secret: bytes.Repeat([]byte{1}, 32)}
	Key2      = token.Key{ID: "k2", Secret: bytes.Repeat([]byte{2}, 32)}
	Key1Wrong = token.Key{ID: "k1", Secret: bytes.Repeat([]byte{9}, 32)}
)

// assertNoPlaintext fails t if raw contains any of the secrets.
func assertNoPlaintext(t testing.TB, raw []byte, secrets ...string) {
	t.Helper()
	if len(raw) == 0 {
		t.Fatal("the raw store is empty: nothing was checked")
	}
	for _, s := range secrets {
		if s != "" && bytes.Contains(raw, []byte(s)) {
			t.Errorf("the raw store holds a token in plaintext: %q", s)
		}
	}
}

func (s Suite) encryption(t *testing.T) {
	t.Run("NoPlaintextAtRest", func(t *testing.T) {
		ns := s.namespace(t)
		b := token.Encrypted(s.open(t, ns, 0), Key1)
		var secrets []string
		for _, u := range people {
			tok := SampleToken("SECRET-" + u)
			mustPut(t, b, u, tok)
			secrets = append(secrets, tok.AccessToken, tok.RefreshToken, tok.IDToken)
		}
		raw := s.raw(t, ns)
		assertNoPlaintext(t, raw, secrets...)
		if !bytes.Contains(raw, []byte("enc:v1:k1:")) {
			t.Errorf("the raw store holds no value sealed with key k1:\n%s", raw)
		}
		for _, u := range people {
			AssertSameToken(t, mustGet(t, b, u), SampleToken("SECRET-"+u))
		}
	})

	t.Run("WrongKeyDestroysNothing", func(t *testing.T) {
		ns := s.namespace(t)
		user := people[0]
		mustPut(t, token.Encrypted(s.open(t, ns, 0), Key1), user, SampleToken("SECRET"))
		raw := s.raw(t, ns)

		for _, keys := range [][]token.Key{{Key2}, {Key1Wrong}, {Key2, Key1Wrong}} {
			b := token.Encrypted(s.open(t, ns, 0), keys...)
			_, err := b.Get(SafetyNet(t), user)
			if !errors.Is(err, token.ErrDecrypt) {
				t.Fatalf("Get with keys %v: err = %v, want ErrDecrypt", keyIDs(keys), err)
			}
			assertErrorMentions(t, err, user, `"k1"`)
			assertErrorHides(t, err, "SECRET")
			assertUsers(t, b, user)
		}
		// A connection over the wrong key fails its call clearly and
		// leaves the stored token for the right key.
		srv := emulator(t)
		_, err := newAccount(srv, token.Encrypted(s.open(t, ns, 0), Key2)).CurrentUser(SafetyNet(t))
		if !errors.Is(err, token.ErrDecrypt) {
			t.Fatalf("call with the wrong key: err = %v, want ErrDecrypt", err)
		}
		assertErrorMentions(t, err, user, `"k1"`)
		if got := s.raw(t, ns); !bytes.Equal(got, raw) {
			t.Fatalf("a failed decryption changed the store:\nbefore %s\nafter  %s", raw, got)
		}
		AssertSameToken(t, mustGet(t, token.Encrypted(s.open(t, ns, 0), Key1), user), SampleToken("SECRET"))
	})

	t.Run("RotationReencryptsOnRead", func(t *testing.T) {
		ns := s.namespace(t)
		user := people[0]
		mustPut(t, token.Encrypted(s.open(t, ns, 0), Key1), user, SampleToken("SECRET"))

		rotated := token.Encrypted(s.open(t, ns, 0), Key2, Key1)
		AssertSameToken(t, mustGet(t, rotated, user), SampleToken("SECRET"))
		raw := s.raw(t, ns)
		if bytes.Contains(raw, []byte("enc:v1:k1:")) || !bytes.Contains(raw, []byte("enc:v1:k2:")) {
			t.Fatalf("after a read with the new key first, the store still holds values sealed with the old key:\n%s", raw)
		}
		// The old key can now go.
		AssertSameToken(t, mustGet(t, token.Encrypted(s.open(t, ns, 0), Key2), user), SampleToken("SECRET"))
	})
}

func keyIDs(keys []token.Key) []string {
	ids := make([]string, len(keys))
	for i, k := range keys {
		ids[i] = k.ID
	}
	return ids
}

func assertErrorMentions(t testing.TB, err error, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !bytes.Contains([]byte(err.Error()), []byte(p)) {
			t.Errorf("error %q does not mention %s", err, p)
		}
	}
}

func assertErrorHides(t testing.TB, err error, secret string) {
	t.Helper()
	if bytes.Contains([]byte(err.Error()), []byte(secret)) {
		t.Errorf("error %q reveals a token value", err)
	}
}
