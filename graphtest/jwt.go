package graphtest

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

// signingKey signs id tokens; its public half is served in the JWKS.
type signingKey struct {
	priv *rsa.PrivateKey
	cert *x509.Certificate
	kid  string // the certificate's SHA-1 thumbprint, as Entra ID uses
}

func newSigningKey(k *rsa.PrivateKey, cert *x509.Certificate) *signingKey {
	return &signingKey{priv: k, cert: cert, kid: thumbprint(cert)}
}

// thumbprint is the base64url SHA-1 hash of a certificate, the x5t value.
func thumbprint(cert *x509.Certificate) string {
	sum := sha1.Sum(cert.Raw)
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// sign returns an RS256 JWT with claims.
func (k *signingKey) sign(claims map[string]any) string {
	return SignJWT(k.priv, map[string]any{"typ": "JWT", "alg": "RS256", "kid": k.kid, "x5t": k.kid}, claims)
}

// jwks is the key set document of the discovery keys endpoint.
func (k *signingKey) jwks() map[string]any {
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

// SignJWT returns the compact RS256 JWT of header and claims signed with
// key; "alg" is set to RS256 whatever header says. Tests use it to build the
// client assertion of the certificate client-credentials flow.
func SignJWT(key *rsa.PrivateKey, header, claims map[string]any) string {
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

// ClientAssertion returns the client assertion a confidential app presents
// instead of a secret: a JWT signed with the private key of the app's
// Certificate, with iss and sub clientID, aud tokenURL (the full token
// endpoint URL) and a ten-minute lifetime.
func ClientAssertion(key *rsa.PrivateKey, cert *x509.Certificate, clientID, tokenURL string) string {
	now := time.Now()
	return SignJWT(key, map[string]any{"typ": "JWT", "x5t": thumbprint(cert)}, map[string]any{
		"aud": tokenURL,
		"iss": clientID,
		"sub": clientID,
		"jti": newGUID(),
		"nbf": now.Unix(),
		"iat": now.Unix(),
		"exp": now.Add(10 * time.Minute).Unix(),
	})
}

func rsaPublicKey(cert *x509.Certificate) (*rsa.PublicKey, bool) {
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	return pub, ok
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// verifyJWT checks the RS256 or PS256 signature of a compact JWT against pub and
// returns its claims. It does not check any claim.
func verifyJWT(token string, pub *rsa.PublicKey) (map[string]any, error) {
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

// NewCertificate returns a fresh self-signed certificate and its RSA
// private key, for an App's Certificate in tests of the certificate
// client-credentials flow.
func NewCertificate(commonName string) (*x509.Certificate, *rsa.PrivateKey, error) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, nil, err
	}
	cert, err := selfSigned(k, commonName)
	if err != nil {
		return nil, nil, err
	}
	return cert, k, nil
}

func selfSigned(k *rsa.PrivateKey, commonName string) (*x509.Certificate, error) {
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
