package o365_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/token"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

func staticSource(tok string) oauth2.TokenSource {
	return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok})
}

// graphStub is an httptest Graph for wire details; it records what
// arrives.
type graphStub struct {
	*httptest.Server
	mu       sync.Mutex
	arrivals []arrival
}

type arrival struct {
	at   time.Time
	auth string
	body string
	path string
}

func newGraphStub(t *testing.T, h func(n int, w http.ResponseWriter, r *http.Request)) *graphStub {
	g := &graphStub{}
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		g.mu.Lock()
		g.arrivals = append(g.arrivals, arrival{time.Now(), r.Header.Get("Authorization"), string(body), r.URL.Path})
		n := len(g.arrivals)
		g.mu.Unlock()
		h(n, w, r)
	}))
	t.Cleanup(g.Close)
	return g
}

func (g *graphStub) got() []arrival {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]arrival(nil), g.arrivals...)
}

func stubConnection(g *httptest.Server, opts ...o365.Option) *o365.Connection {
	base := []o365.Option{
		o365.WithCloud(o365.Cloud{Login: g.URL, Graph: g.URL}),
		o365.WithTokenSource(staticSource("tok-STATIC-zz9")),
		o365.WithTokenBackend(token.NewMemoryBackend()),
		o365.WithRetryBackoff(time.Millisecond, 5*time.Millisecond),
	}
	return o365.NewConnection(o365.Credentials{ClientID: clientID}, append(base, opts...)...)
}

func throttleThenOK(retryAfter func() string, times int) func(int, http.ResponseWriter, *http.Request) {
	return func(n int, w http.ResponseWriter, r *http.Request) {
		if n <= times {
			w.Header().Set("Retry-After", retryAfter())
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			io.WriteString(w, `{"error":{"code":"TooManyRequests","message":"Please retry again later."}}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"ok"}`)
	}
}

func TestRetryAfterSeconds(t *testing.T) {
	g := newGraphStub(t, throttleThenOK(func() string { return "1" }, 1))
	con := stubConnection(g.Server)
	resp, err := con.Get(context.Background(), g.URL+"/v1.0/me", nil)
	require.NoError(t, err)
	resp.Body.Close()
	got := g.got()
	require.Len(t, got, 2)
	assert.GreaterOrEqual(t, got[1].at.Sub(got[0].at), time.Second, "the retry must wait for Retry-After")
}

func TestRetryAfterHTTPDate(t *testing.T) {
	g := newGraphStub(t, throttleThenOK(func() string {
		return time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat)
	}, 1))
	con := stubConnection(g.Server)
	resp, err := con.Get(context.Background(), g.URL+"/v1.0/me", nil)
	require.NoError(t, err)
	resp.Body.Close()
	got := g.got()
	require.Len(t, got, 2)
	// The date has one-second resolution, so at least one second remains.
	assert.GreaterOrEqual(t, got[1].at.Sub(got[0].at), time.Second)
}

func TestRetriesGiveUpAfterConfiguredCount(t *testing.T) {
	srv := emulator(t)
	acct := newConsoleAccount(t, srv, token.NewMemoryBackend(), o365.WithRetries(2))
	signIn(t, srv, acct, adele)
	srv.Throttle(10, "0")
	_, err := acct.CurrentUser(context.Background())
	require.ErrorIs(t, err, o365.ErrThrottled)
	var ge *o365.GraphError
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, "TooManyRequests", ge.Code)
	assert.Len(t, srv.Requests(), 3, "one try and two retries")
}

func TestServiceUnavailableAndDroppedConnectionsAreRetried(t *testing.T) {
	srv := emulator(t)
	acct := newConsoleAccount(t, srv, token.NewMemoryBackend())
	signIn(t, srv, acct, adele)
	srv.FailNext(1, http.StatusServiceUnavailable)
	srv.DropNext(1)
	me, err := acct.CurrentUser(context.Background())
	require.NoError(t, err)
	assert.Equal(t, adele, me.UserPrincipalName)
}

func TestPostRetriedOnlyAfter429WithFullBody(t *testing.T) {
	g := newGraphStub(t, throttleThenOK(func() string { return "0" }, 1))
	con := stubConnection(g.Server)
	resp, err := con.Post(context.Background(), g.URL+"/v1.0/me/sendMail", map[string]string{"subject": "hello"})
	require.NoError(t, err)
	resp.Body.Close()
	got := g.got()
	require.Len(t, got, 2)
	assert.JSONEq(t, `{"subject":"hello"}`, got[1].body, "a retried POST must replay its body (msgraph-sdk-go #341)")

	unavailable := newGraphStub(t, func(n int, w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	con = stubConnection(unavailable.Server)
	_, err = con.Post(context.Background(), unavailable.URL+"/v1.0/me/sendMail", map[string]string{"subject": "hello"})
	require.ErrorIs(t, err, o365.ErrServiceUnavailable)
	assert.Len(t, unavailable.got(), 1, "Graph may have processed a POST that got 503: not retried")
}

// A 401 renews the token and resends the request, body included.
func TestUnauthorizedResendsTheBody(t *testing.T) {
	g := newGraphStub(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		io.WriteString(w, "{}")
	})
	con := stubConnection(g.Server)
	resp, err := con.Post(context.Background(), g.URL+"/v1.0/me/events", map[string]string{"subject": "review"})
	require.NoError(t, err)
	resp.Body.Close()
	got := g.got()
	require.Len(t, got, 2)
	assert.JSONEq(t, `{"subject":"review"}`, got[1].body)
}

func TestStreamedBodyIsNotRetried(t *testing.T) {
	g := newGraphStub(t, throttleThenOK(func() string { return "0" }, 5))
	con := stubConnection(g.Server)
	_, err := con.Put(context.Background(), g.URL+"/v1.0/me/drive/root:/a.bin:/content", io.MultiReader(strings.NewReader("abc")))
	require.ErrorIs(t, err, o365.ErrThrottled)
	assert.Len(t, g.got(), 1)
}

func TestContextCancelsBackoff(t *testing.T) {
	g := newGraphStub(t, throttleThenOK(func() string { return "30" }, 5))
	con := stubConnection(g.Server)
	ctx, cancel := context.WithCancel(context.Background())
	defer time.AfterFunc(50*time.Millisecond, cancel).Stop()
	_, err := con.Get(ctx, g.URL+"/v1.0/me", nil)
	require.ErrorIs(t, err, context.Canceled)
}

func TestRequestDelaySpacesRequests(t *testing.T) {
	g := newGraphStub(t, throttleThenOK(func() string { return "0" }, 0))
	con := stubConnection(g.Server, o365.WithRequestDelay(100*time.Millisecond))
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := con.Get(context.Background(), g.URL+"/v1.0/me", nil)
			if assert.NoError(t, err) {
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	got := g.got()
	require.Len(t, got, 3)
	// Three starts spaced 100ms apart span 200ms; allow for scheduling
	// noise between the start and the arrival.
	assert.GreaterOrEqual(t, got[2].at.Sub(got[0].at), 150*time.Millisecond)
}

func TestBearerNotSentAcrossHosts(t *testing.T) {
	storage := newGraphStub(t, func(n int, w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "file bytes")
	})
	var graphURL string
	graph := newGraphStub(t, func(n int, w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1.0/me/drive/items/1/content":
			http.Redirect(w, r, storage.URL+"/download/1?tempauth=x", http.StatusFound)
		case "/v1.0/moved":
			http.Redirect(w, r, graphURL+"/v1.0/target", http.StatusFound)
		default:
			io.WriteString(w, "{}")
		}
	})
	graphURL = graph.URL
	con := stubConnection(graph.Server)

	resp, err := con.Get(context.Background(), graph.URL+"/v1.0/me/drive/items/1/content", nil)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, "file bytes", string(body))
	require.Len(t, storage.got(), 1)
	assert.Empty(t, storage.got()[0].auth, "the bearer token leaked to the storage host")
	assert.Equal(t, "Bearer tok-STATIC-zz9", graph.got()[0].auth)

	// A request straight to another host never carries the token either.
	resp, err = con.Get(context.Background(), storage.URL+"/upload", nil)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Empty(t, storage.got()[1].auth)

	// An anonymous request (an upload session URL) goes without it even
	// to the Graph host.
	resp, err = con.Put(api.Anonymous(context.Background()), graph.URL+"/v1.0/upload/session-1", []byte("chunk"))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Empty(t, graph.got()[len(graph.got())-1].auth)

	// A redirect within the Graph host keeps it.
	resp, err = con.Get(context.Background(), graph.URL+"/v1.0/moved", nil)
	require.NoError(t, err)
	resp.Body.Close()
	last := graph.got()[len(graph.got())-1]
	assert.Equal(t, "/v1.0/target", last.path)
	assert.Equal(t, "Bearer tok-STATIC-zz9", last.auth)
}

// forwardProxy starts graphtest's forward proxy, which demands basic auth.
func forwardProxy(t *testing.T, user, pass string) *graphtest.Proxy {
	p := graphtest.NewProxy(user, pass)
	t.Cleanup(p.Close)
	return p
}

func hostPort(t *testing.T, rawURL string) (string, int) {
	u, err := url.Parse(rawURL)
	require.NoError(t, err)
	host, portStr, err := net.SplitHostPort(u.Host)
	require.NoError(t, err)
	port, err := strconv.Atoi(portStr)
	require.NoError(t, err)
	return host, port
}

func TestProxyWithBasicAuth(t *testing.T) {
	srv := emulator(t)
	proxy := forwardProxy(t, "proxyuser", "proxy-PASS-zz9")
	host, port := hostPort(t, proxy.URL)

	acct := newConsoleAccount(t, srv, token.NewMemoryBackend(), o365.WithProxy(host, port, "proxyuser", "proxy-PASS-zz9"))
	signIn(t, srv, acct, adele) // the token exchange goes through the proxy too
	tokenHops := proxy.Forwarded()
	assert.Positive(t, tokenHops)
	_, err := acct.CurrentUser(context.Background())
	require.NoError(t, err)
	assert.Equal(t, tokenHops+1, proxy.Forwarded())

	// Option 2: set (here: break) the proxy after construction.
	require.NoError(t, acct.Connection().SetProxy(host, port, "proxyuser", "wrong"))
	_, err = acct.CurrentUser(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "407")
	assert.Positive(t, proxy.Refused())
	assert.NotContains(t, err.Error(), "wrong")

	require.Error(t, acct.Connection().SetProxy("bad host/", 80, "", ""))
	require.Error(t, acct.Connection().SetProxy(host, 70000, "", ""))
}

func TestInvalidOptionIsReportedByCalls(t *testing.T) {
	acct := o365.NewAccount(o365.Credentials{ClientID: clientID}, o365.WithProxy("", 8080, "", ""), o365.WithTokenBackend(token.NewMemoryBackend()))
	_, err := acct.CurrentUser(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "WithProxy")
	_, err = acct.Authenticate(context.Background())
	assert.Contains(t, err.Error(), "WithProxy")
}

func TestBadBodiesGiveClearErrors(t *testing.T) {
	g := newGraphStub(t, func(n int, w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1.0/malformed":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"id": "1", "displayName": }`)
		case "/v1.0/truncated":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"id": "1", "displayName": "Ade`)
		case "/v1.0/html":
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			io.WriteString(w, `<html><body><h1>502 Bad Gateway</h1></body></html>`)
		}
	})
	con := stubConnection(g.Server, o365.WithRetries(0))
	c := api.New(o365.ParentOf(con, &o365.MSGraphProtocol{Host: g.URL}), nil)
	var u o365.User

	err := c.GetJSON(context.Background(), g.URL+"/v1.0/malformed", nil, &u)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "invalid character")
	assert.Contains(t, err.Error(), "/v1.0/malformed")

	err = c.GetJSON(context.Background(), g.URL+"/v1.0/truncated", nil, &u)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "truncated")

	err = c.GetJSON(context.Background(), g.URL+"/v1.0/html", nil, &u)
	var ge *o365.GraphError
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, http.StatusBadGateway, ge.StatusCode)
	assert.Contains(t, ge.Message, "text/html")
	assert.Contains(t, ge.Message, "502 Bad Gateway")
}

func TestDefaultHeadersAreSent(t *testing.T) {
	var seen atomic.Value
	g := newGraphStub(t, func(n int, w http.ResponseWriter, r *http.Request) {
		seen.Store(r.Header.Clone())
		io.WriteString(w, "{}")
	})
	con := stubConnection(g.Server, o365.WithDefaultHeaders(http.Header{"Prefer": {`IdType="ImmutableId"`}}))
	resp, err := con.Get(context.Background(), g.URL+"/v1.0/me", nil)
	require.NoError(t, err)
	resp.Body.Close()
	h := seen.Load().(http.Header)
	assert.Equal(t, `IdType="ImmutableId"`, h.Get("Prefer"))
	assert.NotEmpty(t, h.Get("User-Agent"))
}

// Every secret the suite handles stays out of error strings and logs.
func TestSecretsNeverInErrorsOrLogs(t *testing.T) {
	srv := emulator(t)
	var logs bytes.Buffer
	var logMu sync.Mutex
	logger := slog.New(slog.NewTextHandler(lockedWriter{&logs, &logMu}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	backend := token.NewMemoryBackend()
	proxy := forwardProxy(t, "proxyuser", "proxy-PASS-zz9")
	host, port := hostPort(t, proxy.URL)
	acct := newConsoleAccount(t, srv, backend, o365.WithLogger(logger), o365.WithProxy(host, port, "proxyuser", "proxy-PASS-zz9"))
	signIn(t, srv, acct, adele)

	var errs []error
	collect := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	srv.Throttle(10, "0")
	_, err := acct.CurrentUser(context.Background())
	collect(err)
	srv.ExpireAccessTokens()
	srv.RevokeRefreshTokens(adele)
	_, err = acct.CurrentUser(context.Background())
	collect(err)
	wrongSecret := o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: "wrong-SECRET-zz9"},
		append(baseOptions(srv, token.NewMemoryBackend()), o365.WithAuthFlow(o365.CredentialsFlow), o365.WithLogger(logger))...)
	_, err = wrongSecret.CurrentUser(context.Background())
	collect(err)
	pw := o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: clientSecret},
		append(baseOptions(srv, token.NewMemoryBackend()), o365.WithAuthFlow(o365.PasswordFlow), o365.WithPassword(adele, "bad-PASSWORD-zz9"), o365.WithLogger(logger))...)
	_, err = pw.Authenticate(context.Background())
	collect(err)
	require.NoError(t, acct.Connection().SetProxy(host, port, "proxyuser", "other-PASS-zz9"))
	_, err = acct.CurrentUser(context.Background())
	collect(err)
	require.Len(t, errs, 5)

	tok, err := backend.Get(context.Background(), adele)
	require.NoError(t, err)
	secrets := []string{clientSecret, "wrong-SECRET-zz9", "bad-PASSWORD-zz9", adelePass, "proxy-PASS-zz9", "other-PASS-zz9", tok.AccessToken, tok.RefreshToken}
	creds := o365.Credentials{ClientID: clientID, ClientSecret: clientSecret}
	printed := []string{creds.String(), strings.TrimSpace(sprintAll(creds))}
	logMu.Lock()
	logText := logs.String()
	logMu.Unlock()
	require.NotEmpty(t, logText)
	for _, s := range secrets {
		for _, e := range errs {
			assert.NotContains(t, e.Error(), s)
		}
		assert.NotContains(t, logText, s)
		for _, p := range printed {
			assert.NotContains(t, p, s)
		}
	}
	assert.False(t, errors.Is(errs[0], o365.ErrNotAuthenticated))
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// sprintAll prints v every way a careless caller might.
func sprintAll(v any) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%v %+v %#v %s\n", v, v, v, v)
	slog.New(slog.NewTextHandler(&b, nil)).Info("creds", "c", v)
	return b.String()
}
