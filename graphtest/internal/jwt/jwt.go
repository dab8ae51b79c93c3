// Package jwt is the token crypto of graphtest's identity platform: the
// RS256 signing key whose public half the discovery keys endpoint serves,
// compact JWT signing and verification (RS256, and PS256 as MSAL signs
// client assertions), certificate thumbprints and self-signed
// certificates. It checks signatures only; the token endpoint checks the
// claims, so Graph's claim rules stay next to the flows that apply them.
package jwt

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"time"
)

// Key signs id tokens; its public half is served in the JWKS.
type Key struct {
	priv *rsa.PrivateKey
	cert *x509.Certificate
	kid  string // the certificate's SHA-1 thumbprint, as Entra ID uses
}

// NewKey is the signing key of k, whose certificate cert names it (kid
// and x5t) in the tokens and the key set.
func NewKey(k *rsa.PrivateKey, cert *x509.Certificate) *Key {
	return &Key{priv: k, cert: cert, kid: Thumbprint(cert)}
}

// Thumbprint is the base64url SHA-1 hash of a certificate, the x5t value.
func Thumbprint(cert *x509.Certificate) string {
	sum := sha1.Sum(cert.Raw)
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// Sign returns an RS256 JWT with claims.
func (k *Key) Sign(claims map[string]any) string {
	return Sign(k.priv, map[string]any{"typ": "JWT", "alg": "RS256", "kid": k.kid, "x5t": k.kid}, claims)
}

// JWKS is the key set document of the discovery keys endpoint.
func (k *Key) JWKS() map[string]any {
	pub := &k.priv.PublicKey
	return map[string]any{"keys": []map[string]any{{
		"kty": "RSA",
		"use": "sig",
		"kid": k.kid,
		"x5t": k.kid,
		"n":   base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		"e":   base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
		"x5c": []string{base64.StdEncoding.EncodeToString(k.cert.Raw)},
	}}}
}

// Sign returns the compact RS256 JWT of header and claims signed with
// key; "alg" is set to RS256 whatever header says. It panics on an
// invalid key, a bug in the calling test.
func Sign(key *rsa.PrivateKey, header, claims map[string]any) string {
	h := map[string]any{}
	for k, v := range header {
		h[k] = v
	}
	h["alg"] = "RS256"
	hb, _ := json.Marshal(h)
	cb, _ := json.Marshal(claims)
	signed := b64(hb) + "." + b64(cb)
	sum := sha256.Sum256([]byte(signed))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		// Only an invalid key fails here, a bug in the calling test.
		panic("graphtest: signing JWT: " + err.Error())
	}
	return signed + "." + b64(sig)
}

// PublicKey is cert's RSA public key; ok is false for another algorithm.
func PublicKey(cert *x509.Certificate) (*rsa.PublicKey, bool) {
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	return pub, ok
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// Verify checks the RS256 or PS256 signature of a compact JWT against pub and
// returns its claims. It does not check any claim.
func Verify(token string, pub *rsa.PublicKey) (map[string]any, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, errors.New("JWT is not well formed")
	}
	var header struct{ Alg string }
	if err := decodeSegment(parts[0], &header); err != nil {
		return nil, err
	}
	if header.Alg != "RS256" && header.Alg != "PS256" {
		return nil, errors.New("unsupported JWT algorithm " + header.Alg)
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return nil, errors.New("JWT signature is not base64url")
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if header.Alg == "PS256" {
		// MSAL signs client assertions with RSA-PSS, which Entra ID accepts.
		err = rsa.VerifyPSS(pub, crypto.SHA256, sum[:], sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto})
	} else {
		err = rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig)
	}
	if err != nil {
		return nil, errors.New("JWT signature is not valid")
	}
	var claims map[string]any
	if err := decodeSegment(parts[1], &claims); err != nil {
		return nil, err
	}
	return claims, nil
}

func decodeSegment(seg string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return errors.New("JWT segment is not base64url")
	}
	if err := json.Unmarshal(b, v); err != nil {
		return errors.New("JWT segment is not JSON")
	}
	return nil
}

// SelfSigned is a self-signed certificate for k, valid from an hour ago
// for a year, as an app's or the token signer's.
func SelfSigned(k *rsa.PrivateKey, commonName string) (*x509.Certificate, error) {
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: commonName},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * 365 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}
