package token

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrDecrypt is wrapped by the errors of an Encrypted backend when a stored
// token cannot be decrypted: its key is not among the keys given, the key is
// wrong, the stored data was altered, or the token was stored unencrypted.
// The stored token is left as it is.
var ErrDecrypt = errors.New("token: cannot decrypt stored token")

// Key is an AES-256 key for Encrypted. Its ID is stored beside every value
// it encrypts, so that the backend can tell which key opens a token after
// the keys have been rotated.
type Key struct {
	// ID names the key: 1 to 64 ASCII letters, digits, '.', '_' or '-',
	// e.g. "2025-06". IDs are not secret.
	ID string
	// Secret is 32 random bytes (AES-256), e.g. from
	// `openssl rand -base64 32`, kept outside the token store.
	Secret []byte
}

// Swapper is implemented by backends that can replace a token on condition
// that it is still the one read (the stores in token/redisstore and
// token/sqlstore do). Encrypted uses it to write back a token re-encrypted
// with the current key without overwriting a token that another process
// stored in the meantime.
type Swapper interface {
	// Swap stores replacement for username if the stored token equals old
	// (as returned by Get), and reports whether it did.
	Swap(ctx context.Context, username string, old, replacement *Token) (bool, error)
}

// sealedPrefix starts every encrypted field. A version in the prefix
// leaves room for another format later.
const sealedPrefix = "enc:v1:"

// Encrypted returns a backend that stores tokens in b with their secret
// fields (access, refresh and ID token) encrypted with AES-256-GCM, so a
// copy of the store leaks no usable token. The other fields (token type,
// expiry, scopes, app-only) stay readable, and so do usernames. Each
// secret field is stored as "enc:v1:<key id>:<base64url of nonce and
// ciphertext>", sealed to its username and field name: a value copied to
// another user or field does not decrypt.
//
// The first key encrypts; every key decrypts. To rotate, put a new key
// first and keep the old ones after it: a token read with an older key is
// re-encrypted with the first key and written back. Where b implements
// Swapper the write-back replaces the token only if no other process has
// stored a newer one since the read; elsewhere it re-reads the token and
// writes only if it is unchanged, which leaves a short window in which a
// concurrent refresh in another process could be overwritten. Once every
// token has been read or refreshed, the old key can go.
//
// A token that cannot be decrypted (its key missing or wrong, its data
// altered, or stored unencrypted) gives an error wrapping ErrDecrypt that
// names the user and the key id; nothing is written or deleted.
//
// The returned backend implements Locker when b does, so refreshes stay
// coordinated. Keys are checked here; when they are invalid (none given, a
// secret not 32 bytes long, an ID malformed or repeated) every call
// returns the error saying so.
func Encrypted(b Backend, keys ...Key) Backend {
	e := &encrypted{b: b}
	e.aeads, e.err = newAEADs(keys)
	if l, ok := b.(Locker); ok {
		return &encryptedLocker{encrypted: e, l: l}
	}
	return e
}

type encrypted struct {
	b     Backend
	aeads []keyAEAD // aeads[0] encrypts
	err   error     // invalid keys
}

type keyAEAD struct {
	id   string
	aead cipher.AEAD
}

// encryptedLocker is an encrypted backend over a Locker; a separate type
// so that Encrypted claims Locker only when the wrapped backend has it.
type encryptedLocker struct {
	*encrypted
	l Locker
}

// Lock takes the wrapped backend's refresh lock.
func (e *encryptedLocker) Lock(ctx context.Context, username string) (func() error, error) {
	if e.err != nil {
		return nil, e.err
	}
	return e.l.Lock(ctx, username)
}

func newAEADs(keys []Key) ([]keyAEAD, error) {
	if len(keys) == 0 {
		return nil, errors.New("token: Encrypted: no key given")
	}
	out := make([]keyAEAD, 0, len(keys))
	for i, k := range keys {
		if !validKeyID(k.ID) {
			return nil, fmt.Errorf("token: Encrypted: key #%d: ID %q is not 1 to 64 letters, digits, '.', '_' or '-'", i+1, k.ID)
		}
		if len(k.Secret) != 32 {
			return nil, fmt.Errorf("token: Encrypted: key %q: secret is %d bytes, want 32 (AES-256)", k.ID, len(k.Secret))
		}
		if slices.ContainsFunc(out, func(a keyAEAD) bool { return a.id == k.ID }) {
			return nil, fmt.Errorf("token: Encrypted: key ID %q given twice", k.ID)
		}
		block, err := aes.NewCipher(k.Secret)
		if err != nil {
			return nil, fmt.Errorf("token: Encrypted: key %q: %w", k.ID, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("token: Encrypted: key %q: %w", k.ID, err)
		}
		out = append(out, keyAEAD{id: k.ID, aead: aead})
	}
	return out, nil
}

func validKeyID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range []byte(id) {
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-'
		if !ok {
			return false
		}
	}
	return true
}

// Get reads and decrypts the user's token, writing it back re-encrypted
// with the current key when an older key sealed it. A failed write-back
// does not fail the Get: the token is still valid, and the next read or
// refresh tries again.
func (e *encrypted) Get(ctx context.Context, username string) (*Token, error) {
	if e.err != nil {
		return nil, e.err
	}
	stored, err := e.b.Get(ctx, username)
	if err != nil {
		return nil, err
	}
	t, current, err := e.open(username, stored)
	if err != nil {
		return nil, err
	}
	if !current {
		e.reseal(ctx, username, stored, t)
	}
	return t, nil
}

// reseal writes t back, sealed with the current key, in place of stored.
func (e *encrypted) reseal(ctx context.Context, username string, stored, t *Token) {
	sealed, err := e.seal(username, t)
	if err != nil {
		return
	}
	if s, ok := e.b.(Swapper); ok {
		_, _ = s.Swap(ctx, username, stored, sealed)
		return
	}
	again, err := e.b.Get(ctx, username)
	if err != nil || !sameToken(again, stored) {
		return
	}
	_ = e.b.Put(ctx, username, sealed)
}

// Put encrypts t's secret fields with the current key and stores the result.
func (e *encrypted) Put(ctx context.Context, username string, t *Token) error {
	if e.err != nil {
		return e.err
	}
	if err := checkPut(username, t); err != nil {
		return err
	}
	sealed, err := e.seal(username, t)
	if err != nil {
		return err
	}
	return e.b.Put(ctx, username, sealed)
}

// Delete removes the user's token; it needs no key.
func (e *encrypted) Delete(ctx context.Context, username string) error {
	if e.err != nil {
		return e.err
	}
	return e.b.Delete(ctx, username)
}

// Users lists the stored usernames, which are not encrypted.
func (e *encrypted) Users(ctx context.Context) ([]string, error) {
	if e.err != nil {
		return nil, e.err
	}
	return e.b.Users(ctx)
}

// secretField is a field that Encrypted seals, with the name that binds
// its ciphertext to it.
type secretField struct {
	name string
	v    *string
}

func secretFields(t *Token) []secretField {
	return []secretField{
		{"access_token", &t.AccessToken},
		{"refresh_token", &t.RefreshToken},
		{"id_token", &t.IDToken},
	}
}

// additionalData binds a ciphertext to the user and field it was sealed for.
func additionalData(username, field string) []byte {
	return []byte("o365 token v1\x00" + username + "\x00" + field)
}

func (e *encrypted) seal(username string, t *Token) (*Token, error) {
	out := t.clone()
	k := e.aeads[0]
	for _, f := range secretFields(out) {
		if *f.v == "" {
			continue // nothing to hide; empty stays empty
		}
		nonce := make([]byte, k.aead.NonceSize(), k.aead.NonceSize()+len(*f.v)+k.aead.Overhead())
		if _, err := rand.Read(nonce); err != nil {
			return nil, fmt.Errorf("token: Encrypted: %w", err)
		}
		sealed := k.aead.Seal(nonce, nonce, []byte(*f.v), additionalData(username, f.name))
		*f.v = sealedPrefix + k.id + ":" + base64.RawURLEncoding.EncodeToString(sealed)
	}
	return out, nil
}

// open decrypts the secret fields of stored and reports whether they were
// all sealed with the current key.
func (e *encrypted) open(username string, stored *Token) (t *Token, current bool, err error) {
	t = stored.clone()
	current = true
	for _, f := range secretFields(t) {
		if *f.v == "" {
			continue
		}
		id, plain, err := e.openField(username, f.name, *f.v)
		if err != nil {
			return nil, false, err
		}
		*f.v = plain
		current = current && id == e.aeads[0].id
	}
	return t, current, nil
}

func (e *encrypted) openField(username, field, v string) (keyID, plain string, err error) {
	fail := func(format string, args ...any) (string, string, error) {
		return "", "", fmt.Errorf("%w: %s of %q: %s", ErrDecrypt, field, username, fmt.Sprintf(format, args...))
	}
	rest, ok := strings.CutPrefix(v, sealedPrefix)
	if !ok {
		return fail("stored unencrypted; store it again through the encrypted backend")
	}
	keyID, data, ok := strings.Cut(rest, ":")
	if !ok {
		return fail("malformed encrypted value")
	}
	i := slices.IndexFunc(e.aeads, func(a keyAEAD) bool { return a.id == keyID })
	if i < 0 {
		return fail("sealed with key %q, which is not among the keys given (%s)", keyID, e.keyIDs())
	}
	sealed, err := base64.RawURLEncoding.DecodeString(data)
	aead := e.aeads[i].aead
	if err != nil || len(sealed) < aead.NonceSize()+aead.Overhead() {
		return fail("malformed encrypted value (key %q)", keyID)
	}
	nonce, ciphertext := sealed[:aead.NonceSize()], sealed[aead.NonceSize():]
	out, err := aead.Open(nil, nonce, ciphertext, additionalData(username, field))
	if err != nil {
		return fail("key %q does not open it: wrong key secret, or the stored data was altered", keyID)
	}
	return keyID, string(out), nil
}

func (e *encrypted) keyIDs() string {
	ids := make([]string, len(e.aeads))
	for i, a := range e.aeads {
		ids[i] = fmt.Sprintf("%q", a.id)
	}
	return strings.Join(ids, ", ")
}

// sameToken reports whether a and b hold the same values.
func sameToken(a, b *Token) bool {
	return a.AccessToken == b.AccessToken && a.TokenType == b.TokenType &&
		a.RefreshToken == b.RefreshToken && a.Expiry.Equal(b.Expiry) &&
		slices.Equal(a.Scopes, b.Scopes) && a.IDToken == b.IDToken && a.AppOnly == b.AppOnly
}
