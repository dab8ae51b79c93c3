package o365

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// DefaultResourceConcurrency is how many requests to one mailbox (or any
// one target resource) a Connection has in flight at once: Graph's
// documented limit for Outlook resources is four concurrent requests per
// app and mailbox.
const DefaultResourceConcurrency = 4

// WithResourceConcurrency sets how many requests to one target resource
// (a mailbox, a user's drive, a group, a site) may be in flight at once
// (default DefaultResourceConcurrency; 0 removes the limit).
func WithResourceConcurrency(n int) Option {
	return func(c *config) {
		if n < 0 {
			c.fail("WithResourceConcurrency: negative limit %d", n)
			return
		}
		c.resourceConcurrency = n
		c.resourceConcurrencySet = true
	}
}

// WithResourceRate sets a request-rate budget per target resource:
// perSecond requests a second on average, with bursts of up to burst
// (default: no rate budget).
func WithResourceRate(perSecond float64, burst int) Option {
	return func(c *config) {
		if perSecond <= 0 || burst < 1 {
			c.fail("WithResourceRate: need a positive rate and burst, got %v and %d", perSecond, burst)
			return
		}
		c.resourceRate, c.resourceBurst = perSecond, burst
	}
}

// WithMaxConcurrency caps the requests in flight over the whole
// connection (default: no cap). Waiting requests are then served round
// robin across target resources, so one busy mailbox cannot starve the
// others.
func WithMaxConcurrency(n int) Option {
	return func(c *config) {
		if n < 0 {
			c.fail("WithMaxConcurrency: negative limit %d", n)
			return
		}
		c.maxConcurrency = n
	}
}

// limiter admits requests: at most perTarget in flight per target
// resource, at most total in flight overall, and a token-bucket rate per
// target. Waiters of one target are served in order; targets take turns.
type limiter struct {
	perTarget int // 0: no limit
	total     int // 0: no limit
	rate      float64
	burst     int

	mu       sync.Mutex
	inflight int
	targets  map[string]*target
	turns    []*target // targets with waiters, in round-robin order
}

type target struct {
	name     string
	inflight int
	waiters  []chan struct{}
	tokens   float64
	last     time.Time
	queued   bool // in limiter.turns
}

func newLimiter(cfg config) *limiter {
	per := DefaultResourceConcurrency
	if cfg.resourceConcurrencySet {
		per = cfg.resourceConcurrency
	}
	return &limiter{perTarget: per, total: cfg.maxConcurrency, rate: cfg.resourceRate, burst: cfg.resourceBurst,
		targets: map[string]*target{}}
}

// acquire waits until a request to name may start, and returns the
// function that ends it.
func (l *limiter) acquire(ctx context.Context, name string) (func(), error) {
	if err := l.waitRate(ctx, name); err != nil {
		return nil, err
	}
	l.mu.Lock()
	t := l.target(name)
	if len(t.waiters) == 0 && l.fits(t) {
		l.start(t)
		l.mu.Unlock()
		return l.releaser(t), nil
	}
	ready := make(chan struct{})
	t.waiters = append(t.waiters, ready)
	if !t.queued {
		t.queued = true
		l.turns = append(l.turns, t)
	}
	l.mu.Unlock()
	select {
	case <-ready:
		return l.releaser(t), nil
	case <-ctx.Done():
		l.mu.Lock()
		defer l.mu.Unlock()
		select {
		case <-ready: // admitted just now: give the slot back
			l.finish(t)
		default:
			t.waiters = removeWaiter(t.waiters, ready)
		}
		return nil, ctx.Err()
	}
}

func (l *limiter) target(name string) *target {
	t, ok := l.targets[name]
	if !ok {
		t = &target{name: name, tokens: float64(l.burst)}
		l.targets[name] = t
	}
	return t
}

func (l *limiter) fits(t *target) bool {
	return (l.perTarget == 0 || t.name == "" || t.inflight < l.perTarget) && (l.total == 0 || l.inflight < l.total)
}

func (l *limiter) start(t *target) {
	t.inflight++
	l.inflight++
}

func (l *limiter) releaser(t *target) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			l.finish(t)
			l.mu.Unlock()
		})
	}
}

// finish ends a request and admits waiters, one target at a time in
// turn. Called with l.mu held.
func (l *limiter) finish(t *target) {
	t.inflight--
	l.inflight--
	for progressed := true; progressed; {
		progressed = false
		for i := 0; i < len(l.turns); i++ {
			w := l.turns[i]
			if len(w.waiters) == 0 {
				w.queued = false
				l.turns = append(l.turns[:i], l.turns[i+1:]...)
				i--
				continue
			}
			if !l.fits(w) {
				continue
			}
			l.start(w)
			close(w.waiters[0])
			w.waiters = w.waiters[1:]
			// Move the served target to the back: the others go first next.
			l.turns = append(append(l.turns[:i], l.turns[i+1:]...), w)
			progressed = true
			break
		}
	}
	if t.inflight == 0 && len(t.waiters) == 0 && l.rate == 0 {
		delete(l.targets, t.name)
	}
}

func removeWaiter(ws []chan struct{}, c chan struct{}) []chan struct{} {
	for i, w := range ws {
		if w == c {
			return append(ws[:i], ws[i+1:]...)
		}
	}
	return ws
}

// waitRate takes a token from the target's bucket, waiting for one when
// the budget is spent.
func (l *limiter) waitRate(ctx context.Context, name string) error {
	if l.rate == 0 {
		return nil
	}
	l.mu.Lock()
	t := l.target(name)
	now := time.Now()
	if !t.last.IsZero() {
		t.tokens = min(float64(l.burst), t.tokens+now.Sub(t.last).Seconds()*l.rate)
	}
	t.last = now
	t.tokens-- // may go negative: a reservation for a later token
	wait := time.Duration(0)
	if t.tokens < 0 {
		wait = time.Duration(-t.tokens / l.rate * float64(time.Second))
	}
	l.mu.Unlock()
	if err := sleep(ctx, wait); err != nil {
		l.mu.Lock()
		t.tokens++ // the reservation is not used
		l.mu.Unlock()
		return err
	}
	return nil
}

// targetOf names the resource a Graph request addresses, for the
// limiter: "users/{id}", "groups/{id}", "sites/{id}", "drives/{id}", or
// "me/{user}" for the signed-in user. Anything else has no per-target
// limit ("").
func targetOf(u *url.URL, user string) string {
	path := u.EscapedPath()
	// Skip the API version segment ("/v1.0/", "/beta/").
	path = strings.TrimPrefix(path, "/")
	if i := strings.IndexByte(path, '/'); i >= 0 {
		path = path[i+1:]
	}
	seg := strings.SplitN(path, "/", 3)
	kind := strings.ToLower(seg[0])
	switch kind {
	case "me":
		return "me/" + strings.ToLower(user)
	case "users", "groups", "sites", "drives":
		if len(seg) < 2 || seg[1] == "" {
			return ""
		}
		id, err := url.PathUnescape(seg[1])
		if err != nil {
			id = seg[1]
		}
		return kind + "/" + strings.ToLower(id)
	}
	return ""
}

// releaseOnClose ends a request's slot when its body is closed or read
// to the end, so a streamed download counts as in flight while it lasts.
type releaseOnClose struct {
	io.ReadCloser
	release func()
	limit   int64 // how much of the body may be decoded (api.SizeLimited)
}

// MaxResponseSize is how much of the body api.DecodeResponse decodes.
func (r *releaseOnClose) MaxResponseSize() int64 { return r.limit }

func (r *releaseOnClose) Read(p []byte) (int, error) {
	n, err := r.ReadCloser.Read(p)
	if err == io.EOF {
		r.release()
	}
	return n, err
}

func (r *releaseOnClose) Close() error {
	r.release()
	return r.ReadCloser.Close()
}

func holdUntilClosed(resp *http.Response, release func(), limit int64) *http.Response {
	resp.Body = &releaseOnClose{ReadCloser: resp.Body, release: release, limit: limit}
	return resp
}
