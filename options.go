package o365

import (
	"crypto"
	"crypto/x509"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/token"
	"golang.org/x/oauth2"
)

// Credentials identify the application registered in Microsoft Entra ID:
// its client id and one proof of identity. Confidential clients give a
// ClientSecret, or a Certificate with its PrivateKey for the
// client-credentials flow with a signed client assertion; public clients
// give the ClientID alone.
//
// Printing Credentials (fmt, slog) never shows the secret or the key.
type Credentials struct {
	ClientID     string
	ClientSecret string
	Certificate  *x509.Certificate
	PrivateKey   crypto.Signer
}

// String shows the client id and which proofs are present, never their values.
func (c Credentials) String() string {
	return fmt.Sprintf("Credentials{ClientID: %q, ClientSecret: %s, Certificate: %t}",
		c.ClientID, redacted(c.ClientSecret), c.Certificate != nil)
}

// GoString is String, so %#v does not print the secret either.
func (c Credentials) GoString() string { return c.String() }

// LogValue keeps secrets out of structured logs.
func (c Credentials) LogValue() slog.Value { return slog.StringValue(c.String()) }

func redacted(s string) string {
	if s == "" {
		return "(none)"
	}
	return "(redacted)"
}

// AuthFlow selects how tokens are obtained.
type AuthFlow int

// The authentication flows. python-o365 calls these auth_flow_type values
// "authorization", "public", "credentials" and "password"; the device code
// flow is an addition.
const (
	// AuthorizationFlow is the authorization-code flow of a confidential
	// client (client id + secret), with PKCE. The default.
	AuthorizationFlow AuthFlow = iota
	// PublicFlow is the authorization-code flow of a public client (no
	// secret), with PKCE.
	PublicFlow
	// CredentialsFlow is the app-only client-credentials flow: no user,
	// the ".default" scope, no refresh token; tokens are re-acquired when
	// they expire.
	CredentialsFlow
	// DeviceCodeFlow shows a code for the user to enter on another device.
	DeviceCodeFlow
	// PasswordFlow is the legacy resource-owner password flow (WithPassword).
	PasswordFlow
)

// String names the flow.
func (f AuthFlow) String() string {
	switch f {
	case AuthorizationFlow:
		return "authorization"
	case PublicFlow:
		return "public"
	case CredentialsFlow:
		return "credentials"
	case DeviceCodeFlow:
		return "device_code"
	case PasswordFlow:
		return "password"
	}
	return fmt.Sprintf("AuthFlow(%d)", int(f))
}

// Option configures an Account or a Connection.
type Option func(*config)

type config struct {
	tenant         string
	scopes         []string
	flow           AuthFlow
	proxy          *proxySettings
	mainResource   string
	backend        token.Backend
	httpClient     *http.Client
	timeout        time.Duration
	retries        int
	backoffBase    time.Duration
	backoffMax     time.Duration
	maxRetryWait   time.Duration
	maxResponse    int64
	requestDelay   time.Duration
	cloud          Cloud
	redirectURI    string
	in             io.Reader
	out            io.Writer
	logger         *slog.Logger
	tokenSource    oauth2.TokenSource
	defaultHeaders http.Header
	localRedirect  bool
	username       string
	password       string
	protocol       Protocol

	resourceConcurrency    int
	resourceConcurrencySet bool
	resourceRate           float64
	resourceBurst          int
	maxConcurrency         int

	err error // the first invalid option, reported by every call
}

func newConfig(opts []Option) config {
	cfg := config{
		tenant:       "common",
		retries:      3,
		backoffBase:  500 * time.Millisecond,
		backoffMax:   30 * time.Second,
		maxRetryWait: api.DefaultMaxRetryWait,
		maxResponse:  api.DefaultMaxResponseSize,
		in:           os.Stdin,
		out:          os.Stdout,
	}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	cfg.cloud = cfg.cloud.withDefaults()
	if cfg.backend == nil {
		cfg.backend = token.NewFileBackend(DefaultTokenFile)
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	}
	return cfg
}

func (c *config) fail(format string, args ...any) {
	if c.err == nil {
		c.err = fmt.Errorf("o365: invalid option: "+format, args...)
	}
}

// DefaultTokenFile is where tokens are kept when no backend is given: a
// file in the working directory, as python-o365 does.
const DefaultTokenFile = "o365_token.json"

// WithTenant sets the tenant: an id, a domain, or "common" (default),
// "organizations" or "consumers". The credentials flow needs a real tenant.
func WithTenant(tenant string) Option {
	return func(c *config) {
		if tenant == "" {
			c.fail("WithTenant: empty tenant")
			return
		}
		c.tenant = tenant
	}
}

// WithScopes sets the scopes to request. Short names ("message_all",
// "basic", …) expand through ScopesFor; full scopes pass through.
func WithScopes(scopes ...string) Option {
	return func(c *config) { c.scopes = ScopesFor(scopes...) }
}

// WithAuthFlow selects the authentication flow (default AuthorizationFlow).
func WithAuthFlow(f AuthFlow) Option {
	return func(c *config) {
		if f < AuthorizationFlow || f > PasswordFlow {
			c.fail("WithAuthFlow: unknown flow %d", int(f))
			return
		}
		c.flow = f
	}
}

// WithProxy sends every request through the HTTP proxy at host:port,
// authenticating with username and password when they are not empty.
// Without it the environment's proxy settings (HTTPS_PROXY, NO_PROXY, …)
// apply.
func WithProxy(host string, port int, username, password string) Option {
	return func(c *config) {
		p, err := newProxySettings(host, port, username, password)
		if err != nil {
			c.fail("WithProxy: %v", err)
			return
		}
		c.proxy = p
	}
}

// WithMainResource sets the default resource of every component: "me"
// (default), a user principal name such as "shared_mail@example.com",
// "users/{id}", "groups/{id}" or "sites/{id}".
func WithMainResource(resource string) Option {
	return func(c *config) { c.mainResource = resource }
}

// WithTokenBackend sets where tokens are stored (default: the file
// o365_token.json in the working directory).
func WithTokenBackend(b token.Backend) Option {
	return func(c *config) {
		if b == nil {
			c.fail("WithTokenBackend: nil backend")
			return
		}
		c.backend = b
	}
}

// WithHTTPClient uses a copy of client for Graph and identity requests.
// Its Transport must be an *http.Transport (or nil) if a proxy is also set.
func WithHTTPClient(client *http.Client) Option {
	return func(c *config) { c.httpClient = client }
}

// WithTimeout bounds how long each attempt waits to connect and for the
// response headers. Bodies may stream for longer (large downloads);
// bound those with the context.
func WithTimeout(d time.Duration) Option {
	return func(c *config) { c.timeout = d }
}

// WithRetries sets how many times a throttled (429), unavailable (503) or
// timed-out (504) request is retried (default 3; 0 disables retries).
func WithRetries(n int) Option {
	return func(c *config) {
		if n < 0 {
			c.fail("WithRetries: negative count %d", n)
			return
		}
		c.retries = n
	}
}

// WithRetryBackoff sets the exponential back-off used when a retried
// answer has no Retry-After: the first wait is around base and waits
// never exceed max (defaults 500ms and 30s). Jitter is added.
func WithRetryBackoff(base, max time.Duration) Option {
	return func(c *config) {
		if base <= 0 || max < base {
			c.fail("WithRetryBackoff: need 0 < base <= max, got %v and %v", base, max)
			return
		}
		c.backoffBase, c.backoffMax = base, max
	}
}

// WithMaxRetryWait sets the longest wait a server may ask for with
// Retry-After before a retry (default 2 minutes; Microsoft's own retry
// handler stops at 180 s). A longer one is not slept: the call returns at
// once with a *GraphError matching ErrThrottled whose RetryAfter holds the
// requested wait, so the caller can reschedule. The same bound applies to
// $batch retries, upload sessions and long-running operation monitors. A
// wait that would outlast the context's deadline is not slept either.
func WithMaxRetryWait(d time.Duration) Option {
	return func(c *config) {
		if d < 0 {
			c.fail("WithMaxRetryWait: negative wait %v", d)
			return
		}
		c.maxRetryWait = d
	}
}

// WithMaxResponseSize sets the largest JSON answer decoded, in bytes
// (default 256 MiB, far beyond any real Graph page). A longer body is an
// error matching ErrResponseTooLarge rather than a growing heap. Streamed
// content (downloads) is not bounded: the caller reads it.
func WithMaxResponseSize(n int64) Option {
	return func(c *config) {
		if n <= 0 {
			c.fail("WithMaxResponseSize: need a positive size, got %d", n)
			return
		}
		c.maxResponse = n
	}
}

// WithRequestDelay keeps at least d between the starts of two requests of
// the connection (python-o365's requests_delay).
func WithRequestDelay(d time.Duration) Option {
	return func(c *config) { c.requestDelay = d }
}

// WithCloud selects the national cloud (CloudGlobal, CloudUSGov,
// CloudChina) or any pair of hosts, such as an emulator's.
func WithCloud(cloud Cloud) Option {
	return func(c *config) { c.cloud = cloud }
}

// WithRedirectURI sets the redirect URI of the authorization flow
// (default: the identity platform's native-client URI).
func WithRedirectURI(uri string) Option {
	return func(c *config) { c.redirectURI = uri }
}

// WithConsoleIO sets where the console flows print (the consent URL, the
// device code) and read the pasted redirected URL (default stdin/stdout).
func WithConsoleIO(in io.Reader, out io.Writer) Option {
	return func(c *config) {
		if in != nil {
			c.in = in
		}
		if out != nil {
			c.out = out
		}
	}
}

// WithLocalRedirect makes the authorization flow listen on a loopback
// address for the redirect, so nothing has to be pasted. The redirect URI
// becomes http://localhost:{port}/ (the port of WithRedirectURI when that
// is a loopback http URI, else a free one).
func WithLocalRedirect() Option {
	return func(c *config) { c.localRedirect = true }
}

// WithLogger sends structured logs to l. Secrets (tokens, client secret,
// proxy password, authorization codes) are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// WithTokenSource uses access tokens from ts (for example from an Azure
// identity library) instead of the built-in flows and the token backend.
func WithTokenSource(ts oauth2.TokenSource) Option {
	return func(c *config) { c.tokenSource = ts }
}

// WithDefaultHeaders adds h to every Graph request that does not set the
// same header itself, e.g. Prefer: IdType="ImmutableId".
func WithDefaultHeaders(h http.Header) Option {
	return func(c *config) { c.defaultHeaders = h.Clone() }
}

// WithPassword gives the user's name and password for PasswordFlow.
func WithPassword(username, password string) Option {
	return func(c *config) { c.username, c.password = username, password }
}

// WithProtocol replaces the default MSGraphProtocol of an Account (its
// host and main resource then come from p, not from WithCloud and
// WithMainResource).
func WithProtocol(p Protocol) Option {
	return func(c *config) { c.protocol = p }
}
