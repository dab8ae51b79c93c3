package graphtest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// cloudHosts are the hosts of Microsoft's public cloud that the client of
// a TLS server (Server.Client) sends to the server: with them, clients
// configured for production (MSAL's authority
// https://login.microsoftonline.com/{tenant}, the Graph SDKs' base URL
// https://graph.microsoft.com/v1.0) reach the emulator unchanged.
var cloudHosts = []string{"login.microsoftonline.com", "graph.microsoft.com"}

// WithTLS serves the emulator over HTTPS instead of plain HTTP, as clients
// that insist on https authorities (MSAL) need. The certificate, made once
// per process, names the loopback addresses, localhost and the hosts
// login.microsoftonline.com and graph.microsoft.com; Server.Client trusts
// it and sends requests for those two hosts to the server, so a client
// given that http.Client works with production URLs. The drive storage
// host serves HTTPS with the same certificate.
func WithTLS() Option { return func(s *Server) { s.useTLS = true } }

// Certificate returns the certificate of a server started WithTLS (nil
// for a plain HTTP server), for clients that build their own trust pool.
func (s *Server) Certificate() *x509.Certificate {
	if !s.useTLS {
		return nil
	}
	return s.ts.Certificate()
}

// startHTTP starts an httptest server for h, over TLS when asked.
func (s *Server) startHTTP(h http.Handler) *httptest.Server {
	if !s.useTLS {
		return httptest.NewServer(h)
	}
	cert, err := sharedTLSCert()
	if err != nil {
		panic("graphtest: making the TLS certificate: " + err.Error())
	}
	ts := httptest.NewUnstartedServer(h)
	ts.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	ts.StartTLS()
	return ts
}

// client is Server.Client: httptest's client, which trusts the server's
// certificate, and for a TLS server one that also dials the server for
// Microsoft's cloud hosts.
func (s *Server) client() *http.Client {
	c := s.ts.Client()
	if !s.useTLS {
		return c
	}
	tr := c.Transport.(*http.Transport).Clone()
	addr := s.ts.Listener.Addr().String()
	var d net.Dialer
	tr.DialContext = func(ctx context.Context, network, target string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(target)
		if err == nil && isCloudHost(host) {
			target = addr
		}
		return d.DialContext(ctx, network, target)
	}
	c.Transport = tr
	return c
}

func isCloudHost(host string) bool {
	for _, h := range cloudHosts {
		if strings.EqualFold(host, h) {
			return true
		}
	}
	return false
}

// sharedTLSCert is the one certificate of every TLS server in the
// process: self-signed, so a client trusts it as its own root.
var sharedTLSCert = sync.OnceValues(func() (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{Organization: []string{"graphtest"}, CommonName: "graphtest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(10 * 365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              append([]string{"localhost", "example.com"}, cloudHosts...),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
})

// graphBase is the Graph base URL as the client addressed it, for the
// links the server answers (@odata.nextLink, @odata.deltaLink): a client
// of a TLS server that reached it as graph.microsoft.com gets links to
// that host, so it sends its token with them as it does to Graph.
func (s *Server) graphBase(r *http.Request) string {
	if s.useTLS && isCloudHost(hostOnly(r.Host)) {
		return "https://" + r.Host
	}
	return s.GraphURL()
}
