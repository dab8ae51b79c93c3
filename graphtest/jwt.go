package graphtest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"time"

	"github.com/go-o365/o365/graphtest/internal/jwt"
)

// SignJWT returns the compact RS256 JWT of header and claims signed with
// key; "alg" is set to RS256 whatever header says. Tests use it to build the
// client assertion of the certificate client-credentials flow.
func SignJWT(key *rsa.PrivateKey, header, claims map[string]any) string {
	return jwt.Sign(key, header, claims)
}

// ClientAssertion returns the client assertion a confidential app presents
// instead of a secret: a JWT signed with the private key of the app's
// Certificate, with iss and sub clientID, aud tokenURL (the full token
// endpoint URL) and a ten-minute lifetime.
func ClientAssertion(key *rsa.PrivateKey, cert *x509.Certificate, clientID, tokenURL string) string {
	now := time.Now()
	return SignJWT(key, map[string]any{"typ": "JWT", "x5t": jwt.Thumbprint(cert)}, map[string]any{
		"aud": tokenURL,
		"iss": clientID,
		"sub": clientID,
		"jti": newGUID(),
		"nbf": now.Unix(),
		"iat": now.Unix(),
		"exp": now.Add(10 * time.Minute).Unix(),
	})
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// NewCertificate returns a fresh self-signed certificate and its RSA
// private key, for an App's Certificate in tests of the certificate
// client-credentials flow.
func NewCertificate(commonName string) (*x509.Certificate, *rsa.PrivateKey, error) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, nil, err
	}
	cert, err := jwt.SelfSigned(k, commonName)
	if err != nil {
		return nil, nil, err
	}
	return cert, k, nil
}
