package o365

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/token"
)

// Connection sends requests to Microsoft Graph for the current user. It
// owns the HTTP client (proxy, timeouts), retries throttled requests,
// spaces requests when asked to, runs the OAuth flows, and draws each
// user's token from the token backend, refreshing it once however many
// goroutines need it.
//
// A Connection is safe for concurrent use. It implements api.Requester,
// so components can be built on it directly (see ParentOf).
type Connection struct {
	*shared
	// pinned is the user of a view made by forUser; empty means the
	// shared current user.
	pinned string
}

// shared is the state every view of a connection has in common.
type shared struct {
	cfg         config
	creds       Credentials
	client      *http.Client
	proxy       *proxyHolder
	graphHost   string
	graphScheme string
	in          *bufio.Reader // one reader, so text pasted ahead is not lost
	inMu        sync.Mutex

	mu      sync.Mutex
	current string
	sources map[string]*userSource

	delayMu   sync.Mutex
	nextStart time.Time

	limits *limiter
}

// NewConnection builds a connection from the app's credentials and
// options (the same options as NewAccount). An invalid option is reported
// by every call made through the connection.
func NewConnection(creds Credentials, opts ...Option) *Connection {
	cfg := newConfig(opts)
	s := &shared{
		cfg:     cfg,
		creds:   creds,
		proxy:   &proxyHolder{},
		in:      bufio.NewReader(cfg.in),
		sources: map[string]*userSource{},
		limits:  newLimiter(cfg),
	}
	if cfg.proxy != nil {
		s.proxy.set(cfg.proxy)
	}
	if u, err := url.Parse(cfg.cloud.Graph); err != nil || u.Host == "" {
		s.cfg.fail("WithCloud: Graph URL %q is not an absolute URL", cfg.cloud.Graph)
	} else {
		s.graphHost = strings.ToLower(u.Host)
		s.graphScheme = strings.ToLower(u.Scheme)
	}
	client, err := buildClient(cfg, s.proxy)
	if err != nil {
		s.cfg.fail("%v", err)
		client = &http.Client{}
	}
	s.client = client
	return &Connection{shared: s}
}

// SetProxy routes later requests through the HTTP proxy at host:port,
// with basic authentication when username is not empty. An empty host
// returns to the environment's proxy settings.
func (c *Connection) SetProxy(host string, port int, username, password string) error {
	if host == "" {
		c.proxy.set(nil)
	} else {
		p, err := newProxySettings(host, port, username, password)
		if err != nil {
			return fmt.Errorf("o365: SetProxy: %w", err)
		}
		c.proxy.set(p)
	}
	c.client.CloseIdleConnections()
	return nil
}

// HTTPClient returns the client requests go through. Requests sent with
// it directly carry no token.
func (c *Connection) HTTPClient() *http.Client { return c.client }

// Scopes returns the scopes requested by the delegated flows, without the
// OpenID scopes the connection adds itself.
func (c *Connection) Scopes() []string { return append([]string(nil), c.cfg.scopes...) }

// Flow returns the configured authentication flow.
func (c *Connection) Flow() AuthFlow { return c.cfg.flow }

// Backend returns the token backend.
func (c *Connection) Backend() token.Backend { return c.cfg.backend }

// forUser returns a view of the connection bound to username.
func (c *Connection) forUser(username string) *Connection {
	return &Connection{shared: c.shared, pinned: username}
}

// Username returns the user calls are made as: the pinned user of a view
// (Account.As), else the one set by SetUsername or the last
// authentication, else the first user in the token backend ("" when the
// backend holds none or cannot be read).
func (c *Connection) Username() string {
	u, _ := c.user(context.Background())
	return u
}

// SetUsername makes username the current user of the connection (and of
// every Account and component sharing it). It fails with ErrUnknownUser
// when the token backend holds no token for that user.
func (c *Connection) SetUsername(ctx context.Context, username string) error {
	if c.cfg.err != nil {
		return c.cfg.err
	}
	if err := c.known(ctx, username); err != nil {
		return err
	}
	c.mu.Lock()
	c.current = username
	c.mu.Unlock()
	return nil
}

// known checks that the backend holds a token for username.
func (c *Connection) known(ctx context.Context, username string) error {
	_, err := c.cfg.backend.Get(ctx, username)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, token.ErrNotFound):
		return fmt.Errorf("%w: %q has no token in the backend; authenticate as that user first", ErrUnknownUser, username)
	default:
		return fmt.Errorf("o365: looking up %q: %w", username, err)
	}
}

// Usernames lists every user the token backend holds a token for.
func (c *Connection) Usernames(ctx context.Context) ([]string, error) {
	users, err := c.cfg.backend.Users(ctx)
	if err != nil {
		return nil, fmt.Errorf("o365: listing users: %w", err)
	}
	return users, nil
}

// user resolves whose token a request uses.
func (c *Connection) user(ctx context.Context) (string, error) {
	if c.pinned != "" {
		return c.pinned, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.current != "" {
		return c.current, nil
	}
	if c.cfg.flow == CredentialsFlow {
		// App-only tokens belong to the application; they are acquired on
		// first use without anyone signing in.
		c.current = c.creds.ClientID
		return c.current, nil
	}
	users, err := c.cfg.backend.Users(ctx)
	if err != nil {
		return "", fmt.Errorf("o365: reading token backend: %w", err)
	}
	if len(users) == 0 {
		return "", ErrNotAuthenticated
	}
	c.current = users[0]
	return c.current, nil
}

func (c *Connection) setCurrent(username string) {
	c.mu.Lock()
	c.current = username
	c.mu.Unlock()
}

// source returns the token source of username, creating it once.
func (c *Connection) source(username string) *userSource {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.sources[username]
	if !ok {
		s = newUserSource(c.shared, username)
		c.sources[username] = s
	}
	return s
}

// IsAuthenticated reports whether the current user has a token that is
// valid or can be renewed without the user (a refresh token, or app-only
// credentials).
func (c *Connection) IsAuthenticated(ctx context.Context) bool {
	if c.cfg.tokenSource != nil {
		return true
	}
	u, err := c.user(ctx)
	if err != nil {
		return false
	}
	if c.cfg.flow == CredentialsFlow {
		return true
	}
	t, err := c.cfg.backend.Get(ctx, u)
	return err == nil && (t.Valid() || t.RefreshToken != "")
}

// Get sends GET rawURL with params added to its query string.
func (c *Connection) Get(ctx context.Context, rawURL string, params Params) (*http.Response, error) {
	return c.send(ctx, http.MethodGet, rawURL, params, nil)
}

// Post sends body with POST; see api.NewRequest for how bodies are encoded.
func (c *Connection) Post(ctx context.Context, rawURL string, body any) (*http.Response, error) {
	return c.send(ctx, http.MethodPost, rawURL, nil, body)
}

// Patch sends body with PATCH.
func (c *Connection) Patch(ctx context.Context, rawURL string, body any) (*http.Response, error) {
	return c.send(ctx, http.MethodPatch, rawURL, nil, body)
}

// Put sends body with PUT.
func (c *Connection) Put(ctx context.Context, rawURL string, body any) (*http.Response, error) {
	return c.send(ctx, http.MethodPut, rawURL, nil, body)
}

// Delete sends DELETE rawURL.
func (c *Connection) Delete(ctx context.Context, rawURL string) (*http.Response, error) {
	return c.send(ctx, http.MethodDelete, rawURL, nil, nil)
}

func (c *Connection) send(ctx context.Context, method, rawURL string, params Params, body any) (*http.Response, error) {
	req, err := api.NewRequest(ctx, method, rawURL, params, body)
	if err != nil {
		return nil, err
	}
	return c.Do(req)
}

// Do sends req as the current user and returns its response when the
// status is 2xx (the caller closes the body); any other status is
// returned as a *GraphError.
//
// The bearer token is added only when req goes to the Graph host and its
// context is not api.Anonymous, and is dropped if a redirect leads
// elsewhere. 429, 503 and 504 answers are
// retried up to the configured count, waiting for Retry-After when the
// answer has one and backing off exponentially with jitter when not; a
// POST is retried only after a 429, which Graph guarantees it did not
// process. Connection failures are retried for idempotent methods. A 401
// answer to a token that looked valid renews the token once and retries.
// A request whose body cannot be replayed (a plain io.Reader) is not
// retried once its body has been sent.
//
// Requests to one target resource (a mailbox, a drive, a group, a site)
// are limited to WithResourceConcurrency in flight at once (four by
// default, Graph's limit for Outlook resources), optionally to a rate
// budget (WithResourceRate) and a connection-wide cap
// (WithMaxConcurrency) shared fairly between targets. A successful
// response holds its slot until its body is closed or read to the end.
func (c *Connection) Do(req *http.Request) (*http.Response, error) {
	if c.cfg.err != nil {
		return nil, c.cfg.err
	}
	ctx := req.Context()
	graph := c.isGraph(req.URL)
	authed := graph && !api.IsAnonymous(ctx)
	var (
		src  tokenGetter
		user string
	)
	if authed {
		var err error
		if src, user, err = c.tokenGetter(ctx); err != nil {
			return nil, err
		}
	}
	renewed := false
	for attempt, sent := 0, 0; ; attempt, sent = attempt+1, sent+1 {
		if err := c.waitTurn(ctx); err != nil {
			return nil, err
		}
		r, err := c.prepare(req, sent > 0)
		if err != nil {
			return nil, err
		}
		var tok string
		if authed {
			if tok, err = src.token(ctx); err != nil {
				return nil, err
			}
			r.Header.Set("Authorization", "Bearer "+tok)
		}
		release := func() {}
		if graph {
			if release, err = c.limits.acquire(ctx, targetOf(r.URL, user)); err != nil {
				return nil, err
			}
		}
		start := time.Now()
		resp, err := c.client.Do(r)
		if err != nil {
			release()
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			netErr := fmt.Errorf("o365: %s %s: %w", req.Method, api.RedactURL(req.URL.String()), unwrapURLError(err))
			if attempt < c.cfg.retries && idempotent(req.Method) && replayable(req) {
				c.log(ctx, slog.LevelWarn, "retrying after connection error", req, attempt, "error", err.Error())
				if err := sleep(ctx, c.backoff(attempt)); err != nil {
					return nil, err
				}
				continue
			}
			return nil, netErr
		}
		c.log(ctx, slog.LevelDebug, "graph request", req, attempt, "status", resp.StatusCode, "elapsed", time.Since(start))
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			return holdUntilClosed(resp, release, c.cfg.maxResponse), nil
		}
		release() // the error body is small; its slot is not needed to read it
		if resp.StatusCode == http.StatusUnauthorized && authed && !renewed && replayable(req) {
			renewed = true
			src.reject(tok)
			discard(resp)
			attempt-- // a renewal does not use up a retry
			continue
		}
		if attempt < c.cfg.retries && retryable(req.Method, resp.StatusCode) && replayable(req) {
			wait, ok := api.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
			if !ok {
				wait = c.backoff(attempt)
			}
			if why := api.WaitLimit(ctx, wait, c.cfg.maxRetryWait); why != "" {
				c.log(ctx, slog.LevelWarn, "not waiting to retry", req, attempt, "status", resp.StatusCode, "wait", wait)
				return nil, api.RefuseWait(api.ErrorFromResponse(resp).(*api.GraphError), wait, why)
			}
			c.log(ctx, slog.LevelInfo, "retrying throttled request", req, attempt, "status", resp.StatusCode, "wait", wait)
			discard(resp)
			if err := sleep(ctx, wait); err != nil {
				return nil, err
			}
			continue
		}
		return nil, api.ErrorFromResponse(resp)
	}
}

// prepare copies req for one attempt, with the default headers and, when
// the body was sent before, a fresh copy of it.
func (c *Connection) prepare(req *http.Request, resend bool) (*http.Request, error) {
	r := req.Clone(req.Context())
	if resend && req.Body != nil && req.Body != http.NoBody {
		body, err := req.GetBody()
		if err != nil {
			return nil, fmt.Errorf("o365: replaying request body: %w", err)
		}
		r.Body = body
	}
	for k, vs := range c.cfg.defaultHeaders {
		if _, set := r.Header[k]; !set {
			r.Header[k] = vs
		}
	}
	if r.Header.Get("User-Agent") == "" {
		r.Header.Set("User-Agent", userAgent)
	}
	return r, nil
}

const userAgent = "o365-go/1"

// isGraph reports whether u is on the configured Graph base: the same host
// and scheme, so that an http:// link on the Graph host gets no token.
func (c *Connection) isGraph(u *url.URL) bool {
	return strings.EqualFold(u.Host, c.graphHost) && strings.EqualFold(u.Scheme, c.graphScheme)
}

// MaxRetryWait is the longest server-requested wait the connection
// sleeps (WithMaxRetryWait); components that wait on a server's word
// read it through api.MaxRetryWait.
func (c *Connection) MaxRetryWait() time.Duration { return c.cfg.maxRetryWait }

// tokenGetter picks where the request's token comes from, and whose it is.
func (c *Connection) tokenGetter(ctx context.Context) (tokenGetter, string, error) {
	if c.cfg.tokenSource != nil {
		return externalSource{c.cfg.tokenSource}, "", nil
	}
	u, err := c.user(ctx)
	if err != nil {
		return nil, "", err
	}
	return c.source(u), u, nil
}

// waitTurn keeps WithRequestDelay between request starts.
func (c *Connection) waitTurn(ctx context.Context) error {
	if c.cfg.requestDelay <= 0 {
		return nil
	}
	c.delayMu.Lock()
	now := time.Now()
	start := c.nextStart
	if start.Before(now) {
		start = now
	}
	c.nextStart = start.Add(c.cfg.requestDelay)
	c.delayMu.Unlock()
	return sleep(ctx, time.Until(start))
}

// backoff is the wait before retry number attempt+1: exponential from
// the base, capped, with full jitter in its upper half so that many
// clients do not retry in step.
func (c *Connection) backoff(attempt int) time.Duration {
	d := c.cfg.backoffBase << min(attempt, 20)
	if d <= 0 || d > c.cfg.backoffMax {
		d = c.cfg.backoffMax
	}
	return d/2 + rand.N(d/2+1)
}

func (c *Connection) log(ctx context.Context, level slog.Level, msg string, req *http.Request, attempt int, args ...any) {
	if !c.cfg.logger.Enabled(ctx, level) {
		return
	}
	args = append(args, "method", req.Method, "url", api.RedactURL(req.URL.String()), "attempt", attempt+1)
	c.cfg.logger.Log(ctx, level, msg, args...)
}

func retryable(method string, status int) bool {
	switch status {
	case http.StatusTooManyRequests:
		return true
	case http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return method != http.MethodPost
	}
	return false
}

func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// replayable reports whether req's body can be sent again.
func replayable(req *http.Request) bool {
	return req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
}

func discard(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// unwrapURLError drops *url.Error's wrapping, whose text repeats the
// full URL (query string included) that the caller already names
// redacted.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// buildClient makes the HTTP client: a copy of the user's client or a new
// one, whose transport takes the proxy from holder (or the environment)
// and whose redirects never carry the Authorization header to another
// host.
func buildClient(cfg config, holder *proxyHolder) (*http.Client, error) {
	client := &http.Client{}
	if cfg.httpClient != nil {
		copied := *cfg.httpClient
		client = &copied
	}
	switch t := client.Transport.(type) {
	case nil:
		client.Transport = newTransport(http.DefaultTransport.(*http.Transport).Clone(), cfg, holder)
	case *http.Transport:
		client.Transport = newTransport(t.Clone(), cfg, holder)
	default:
		if cfg.proxy != nil {
			return nil, errors.New("WithProxy: the HTTP client's Transport is not an *http.Transport, so the proxy cannot be set on it")
		}
	}
	userCheck := client.CheckRedirect
	client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if !strings.EqualFold(req.URL.Host, via[0].URL.Host) || !strings.EqualFold(req.URL.Scheme, via[0].URL.Scheme) {
			req.Header.Del("Authorization")
		}
		if userCheck != nil {
			return userCheck(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return client, nil
}

func newTransport(t *http.Transport, cfg config, holder *proxyHolder) *http.Transport {
	t.Proxy = holder.proxyFor
	if cfg.timeout > 0 {
		t.ResponseHeaderTimeout = cfg.timeout
		t.TLSHandshakeTimeout = cfg.timeout
		dialer := &net.Dialer{Timeout: cfg.timeout, KeepAlive: 30 * time.Second}
		t.DialContext = dialer.DialContext
	}
	return t
}

// proxySettings is a validated proxy address.
type proxySettings struct {
	url *url.URL
}

func newProxySettings(host string, port int, username, password string) (*proxySettings, error) {
	host = strings.TrimSpace(host)
	scheme := "http"
	if i := strings.Index(host, "://"); i >= 0 {
		scheme, host = host[:i], host[i+3:]
	}
	switch {
	case host == "" || strings.ContainsAny(host, "/?#@ "):
		return nil, fmt.Errorf("proxy host %q is not a host name", host)
	case port <= 0 || port > 65535:
		return nil, fmt.Errorf("proxy port %d is out of range", port)
	case scheme != "http" && scheme != "https" && scheme != "socks5":
		return nil, fmt.Errorf("proxy scheme %q is not http, https or socks5", scheme)
	}
	u := &url.URL{Scheme: scheme, Host: net.JoinHostPort(host, strconv.Itoa(port))}
	if username != "" {
		u.User = url.UserPassword(username, password)
	}
	return &proxySettings{url: u}, nil
}

// proxyHolder lets SetProxy change the proxy of a transport in use.
type proxyHolder struct {
	mu sync.RWMutex
	p  *proxySettings
}

func (h *proxyHolder) set(p *proxySettings) {
	h.mu.Lock()
	h.p = p
	h.mu.Unlock()
}

func (h *proxyHolder) proxyFor(req *http.Request) (*url.URL, error) {
	h.mu.RLock()
	p := h.p
	h.mu.RUnlock()
	if p == nil {
		return http.ProxyFromEnvironment(req)
	}
	return p.url, nil
}

var _ api.Requester = (*Connection)(nil)
