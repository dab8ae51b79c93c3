package jwt_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/go-o365/o365/graphtest/internal/jwt"
)

// TestSignVerify round-trips a token through Sign and Verify, and checks
// that Verify refuses a tampered payload, another key, and a token that is
// not three segments, and accepts PS256 as MSAL signs assertions.
func TestSignVerify(t *testing.T) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := jwt.SelfSigned(k, "test")
	if err != nil {
		t.Fatal(err)
	}
	pub, ok := jwt.PublicKey(cert)
	if !ok || pub.N.Cmp(k.N) != 0 {
		t.Fatal("PublicKey is not the certificate's key")
	}
	tok := jwt.NewKey(k, cert).Sign(map[string]any{"sub": "alice"})
	claims, err := jwt.Verify(tok, pub)
	if err != nil || claims["sub"] != "alice" {
		t.Fatalf("Verify = %v, %v", claims, err)
	}
	parts := strings.Split(tok, ".")
	forged := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"mallory"}`)) + "." + parts[2]
	if _, err := jwt.Verify(forged, pub); err == nil {
		t.Error("a tampered payload verified")
	}
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	if _, err := jwt.Verify(tok, &other.PublicKey); err == nil {
		t.Error("another key verified the token")
	}
	if _, err := jwt.Verify("a.b", pub); err == nil || !strings.Contains(err.Error(), "not well formed") {
		t.Errorf("two segments: %v", err)
	}

	head := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"PS256"}`))
	body := base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"app"}`))
	sum := sha256.Sum256([]byte(head + "." + body))
	sig, err := rsa.SignPSS(rand.Reader, k, crypto.SHA256, sum[:], nil)
	if err != nil {
		t.Fatal(err)
	}
	claims, err = jwt.Verify(head+"."+body+"."+base64.RawURLEncoding.EncodeToString(sig), pub)
	if err != nil || claims["iss"] != "app" {
		t.Errorf("PS256: %v, %v", claims, err)
	}
}

// TestJWKS checks that the key set names the key by the certificate's
// thumbprint, the kid the signed tokens carry.
func TestJWKS(t *testing.T) {
	k, _ := rsa.GenerateKey(rand.Reader, 2048)
	cert, err := jwt.SelfSigned(k, "signer")
	if err != nil {
		t.Fatal(err)
	}
	key := jwt.NewKey(k, cert)
	keys := key.JWKS()["keys"].([]map[string]any)
	if len(keys) != 1 || keys[0]["kid"] != jwt.Thumbprint(cert) || keys[0]["kty"] != "RSA" {
		t.Fatalf("JWKS = %v", keys)
	}
	head, _, _ := strings.Cut(key.Sign(nil), ".")
	raw, _ := base64.RawURLEncoding.DecodeString(head)
	if !strings.Contains(string(raw), `"kid":"`+jwt.Thumbprint(cert)+`"`) {
		t.Errorf("token header %s lacks the kid", raw)
	}
}
