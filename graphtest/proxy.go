package graphtest

import (
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
)

// Proxy is a forward HTTP proxy on loopback that demands basic
// authentication, for testing a client's proxy settings. It forwards
// plain-http requests (the emulator's); requests without the right
// Proxy-Authorization get 407.
type Proxy struct {
	*httptest.Server
	forwarded atomic.Int64
	refused   atomic.Int64
}

// NewProxy starts a proxy that accepts username and password (an empty
// username accepts everyone). Close it when done.
func NewProxy(username, password string) *Proxy {
	p := &Proxy{}
	want := ""
	if username != "" {
		want = "Basic " + base64.StdEncoding.EncodeToString([]byte(username+":"+password))
	}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if want != "" && r.Header.Get("Proxy-Authorization") != want {
			p.refused.Add(1)
			w.Header().Set("Proxy-Authenticate", `Basic realm="graphtest"`)
			w.WriteHeader(http.StatusProxyAuthRequired)
			return
		}
		if !r.URL.IsAbs() {
			http.Error(w, "graphtest proxy: not a proxy request", http.StatusBadRequest)
			return
		}
		p.forwarded.Add(1)
		p.forward(w, r)
	}))
	return p
}

// Forwarded counts the requests the proxy passed on.
func (p *Proxy) Forwarded() int64 { return p.forwarded.Load() }

// Refused counts the requests refused for missing or wrong credentials.
func (p *Proxy) Refused() int64 { return p.refused.Load() }

func (p *Proxy) forward(w http.ResponseWriter, r *http.Request) {
	out, err := http.NewRequestWithContext(r.Context(), r.Method, r.URL.String(), r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	out.Header = r.Header.Clone()
	out.Header.Del("Proxy-Authorization")
	out.ContentLength = r.ContentLength
	resp, err := http.DefaultTransport.RoundTrip(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}
