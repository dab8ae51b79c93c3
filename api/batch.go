package api

// JSON batching: many Graph requests in one POST /$batch.
//
// Requests are queued with Add (typed) or Batch.Add (untyped) from any
// component, then Send posts them in groups of at most MaxBatchSize. Graph
// resolves dependsOn only inside one batch, so requests that depend on each
// other, directly or through others (a "chain"), always travel together;
// Add refuses a request that would make a chain longer than one batch can
// hold. Sub-requests Graph answers with 429 or 503 are sent again, alone,
// after their Retry-After; everything else is final.

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// MaxBatchSize is the most requests Graph accepts in one JSON batch.
const MaxBatchSize = 20

var (
	// ErrBatchNotSent is the result of a batched request that Send has
	// not answered yet.
	ErrBatchNotSent = errors.New("o365: batch request not sent")
	// ErrInvalidBatchRequest is returned by Add for a request Graph
	// could not run in a batch (a URL on another host, a dependency on
	// another batch, a dependency chain longer than MaxBatchSize, …).
	ErrInvalidBatchRequest = errors.New("o365: invalid batch request")
)

// BatchRequest is one request to queue in a Batch.
type BatchRequest struct {
	// Method is GET, POST, PATCH, PUT or DELETE; empty means GET.
	Method string
	// URL is relative to the service root, as Graph wants it inside a
	// batch ("/me/messages?$top=5"), or a full URL under the batch's
	// service root (what Component.BuildURL returns, or an
	// @odata.nextLink), which Add makes relative.
	URL string
	// Header holds the request's own headers. Headers of the batch
	// (BatchSettings.Header) are added unless set here.
	Header http.Header
	// Body is encoded as NewRequest encodes bodies: nil sends none, a
	// []byte or an io.Reader (read in full by Add) is sent as it is,
	// anything else as JSON. Inside the batch document a JSON body is
	// inlined and any other is base64-encoded, as Graph requires, with a
	// Content-Type header (application/json for JSON, else the one in
	// Header, else application/octet-stream). A POST, PATCH or PUT
	// without a body sends {} because Graph refuses write requests
	// without one.
	Body any
	// DependsOn lists requests of the same Batch that Graph must finish
	// before this one; if one of them fails, Graph answers this one with
	// 424 Failed Dependency without running it.
	DependsOn []*BatchItem
}

// BatchSettings are what a batch takes from the connection it is built
// on, so that a throttled sub-request is treated like a throttled
// request. A Requester offers them with a method
// BatchSettings() BatchSettings, as *o365.Connection does; NewBatch uses
// DefaultBatchRetries and no headers otherwise.
type BatchSettings struct {
	// Retries is how many more times a request Graph answered with 429
	// or 503 is sent; 0 sends each request once.
	Retries int
	// Backoff is the wait before retry number n (0 for the first) when
	// none of the throttled answers says how long to wait in a
	// Retry-After header; nil means exponential from half a second to
	// 30 seconds, with jitter.
	Backoff func(n int) time.Duration
	// Header holds headers every request of the batch carries unless it
	// sets them itself (a connection's default headers: Graph does not
	// apply the headers of the POST /$batch to the requests inside).
	Header http.Header
}

// DefaultBatchRetries is Retries when the requester offers no settings.
const DefaultBatchRetries = 3

// Batch queues Graph requests and sends them through POST /$batch. Build
// one with NewBatch (or o365's Account.Batch); queue requests with Add;
// send them with Send. A Batch is safe for concurrent use, and can be used
// again after Send: the next Send sends what was queued since.
type Batch struct {
	// BatchSettings are taken from the requester by NewBatch and may be
	// changed before Send.
	BatchSettings

	con  Requester
	root string // the service URL, e.g. https://graph.microsoft.com/v1.0

	mu      sync.Mutex // guards the fields below and every item's state
	lastID  int
	pending []*BatchItem
}

// NewBatch starts an empty batch that sends through parent's requester
// (so as its user) to parent's service root.
func NewBatch(parent Parent) *Batch {
	b := &Batch{
		BatchSettings: BatchSettings{Retries: DefaultBatchRetries},
		con:           parent.Con(),
		root:          strings.TrimRight(parent.Protocol().ServiceURL(), "/"),
	}
	if s, ok := b.con.(interface{ BatchSettings() BatchSettings }); ok {
		b.BatchSettings = s.BatchSettings()
	}
	return b
}

// BatchItem is a request queued in a Batch and, once Send has run, its
// answer. Its methods are safe for concurrent use.
type BatchItem struct {
	b      *Batch
	id     string
	wire   wireRequest // without dependsOn, which depends on the batch sent
	deps   []*BatchItem
	chain  *batchChain // while queued: the requests it must travel with
	queued bool        // still waiting for a Send

	// The answer, once done.
	done   bool
	status int
	header http.Header
	body   []byte
	binary bool // body was base64 on the wire
	err    error
}

// Batched is a BatchItem whose response decodes into T; see Add.
type Batched[T any] struct {
	*BatchItem
}

// batchChain is a set of queued requests linked by dependsOn, which must
// go in one POST.
type batchChain struct {
	items []*BatchItem
}

// Add queues req in b and returns its handle, whose Result is the
// response decoded into T once b.Send has run. It fails with
// ErrInvalidBatchRequest, queuing nothing, when req cannot run in a batch.
func Add[T any](b *Batch, req BatchRequest) (*Batched[T], error) {
	it, err := b.Add(req)
	if err != nil {
		return nil, err
	}
	return &Batched[T]{it}, nil
}

// Result returns the response decoded into T: the zero T for an answer
// without a body (204 No Content, a 302 whose Location the header holds),
// the raw bytes for T = []byte, or the request's error (see
// BatchItem.Err).
func (r *Batched[T]) Result() (T, error) {
	var v T
	err := r.Decode(&v)
	return v, err
}

// Add queues req, for results that need no decoding or are decoded with
// BatchItem.Decode; the generic Add returns a typed handle. It fails with
// ErrInvalidBatchRequest, queuing nothing, when req cannot run in a
// batch: a URL outside the batch's service root, a body that does not
// encode, a dependency on a request of another Batch or one already
// sent, or a dependency chain longer than MaxBatchSize.
func (b *Batch) Add(req BatchRequest) (*BatchItem, error) {
	if b == nil || b.con == nil {
		return nil, fmt.Errorf("%w: the Batch was not made by NewBatch", ErrInvalidBatchRequest)
	}
	it := &BatchItem{b: b, queued: true}
	if err := b.encode(req, &it.wire); err != nil {
		return nil, err
	}
	invalid := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s %s: %s", ErrInvalidBatchRequest, it.wire.Method, RedactURL(it.wire.URL), fmt.Sprintf(format, args...))
	}

	b.mu.Lock()
	defer b.mu.Unlock()
	chains := []*batchChain{}
	size := 1
	for i, d := range req.DependsOn {
		switch {
		case d == nil:
			return nil, invalid("DependsOn[%d] is nil", i)
		case d.b != b:
			return nil, invalid("DependsOn[%d] belongs to another Batch; Graph resolves dependsOn only within one batch", i)
		case !d.queued:
			return nil, invalid("DependsOn[%d] (request %s) was sent by an earlier Send; dependsOn works only among requests sent together", i, d.id)
		case slices.Contains(it.deps, d):
			continue
		}
		it.deps = append(it.deps, d)
		if !slices.Contains(chains, d.chain) {
			chains = append(chains, d.chain)
			size += len(d.chain.items)
		}
	}
	if size > MaxBatchSize {
		return nil, invalid("it would join %d requests linked by dependsOn, and Graph runs at most %d in one batch", size, MaxBatchSize)
	}
	b.lastID++
	it.id = strconv.Itoa(b.lastID)
	it.wire.ID = it.id
	it.chain = &batchChain{items: []*BatchItem{it}}
	for _, c := range chains {
		for _, x := range c.items {
			x.chain = it.chain
		}
		it.chain.items = append(it.chain.items, c.items...)
	}
	b.pending = append(b.pending, it)
	return it, nil
}

// encode checks req and fills w with its wire form, without id and
// dependsOn.
func (b *Batch) encode(req BatchRequest, w *wireRequest) error {
	w.Method = strings.ToUpper(req.Method)
	if w.Method == "" {
		w.Method = http.MethodGet
	}
	invalid := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s %s: %s", ErrInvalidBatchRequest, w.Method, RedactURL(req.URL), fmt.Sprintf(format, args...))
	}
	switch w.Method {
	case http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete:
	default:
		return invalid("method %q cannot be batched", req.Method)
	}
	rel, err := RelativeURL(b.root, req.URL)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidBatchRequest, err)
	}
	w.URL = rel

	header := req.Header.Clone()
	if header == nil {
		header = http.Header{}
	}
	for k, vs := range b.Header {
		if _, set := header[k]; !set {
			header[k] = vs
		}
	}
	body, contentType := req.Body, header.Get("Content-Type")
	write := w.Method == http.MethodPost || w.Method == http.MethodPatch || w.Method == http.MethodPut
	if r, ok := body.(io.Reader); ok {
		data, err := io.ReadAll(r)
		if err != nil {
			return invalid("reading the body: %v", err)
		}
		body = data
	}
	switch v := body.(type) {
	case nil:
		if write {
			w.Body, contentType = json.RawMessage("{}"), "application/json"
		}
	case []byte:
		if contentType == "" {
			contentType = "application/octet-stream"
		}
		switch {
		case !isJSONType(contentType):
			w.Body, _ = Marshal(base64.StdEncoding.EncodeToString(v))
		case json.Valid(v):
			w.Body = json.RawMessage(v)
		default:
			return invalid("the body is not valid JSON, but its Content-Type is %q", contentType)
		}
	default:
		if contentType != "" && !isJSONType(contentType) {
			return invalid("a %T body is sent as JSON, but its Content-Type is %q; give a []byte body for other content", body, contentType)
		}
		data, err := Marshal(v)
		if err != nil {
			return invalid("encoding the body: %v", err)
		}
		w.Body, contentType = data, cmp.Or(contentType, "application/json")
	}
	if contentType != "" {
		header.Set("Content-Type", contentType)
	}
	if len(header) > 0 {
		w.Headers = make(map[string]string, len(header))
		for k, vs := range header {
			w.Headers[k] = strings.Join(vs, ", ")
		}
	}
	return nil
}

// Send posts every request queued since the last Send, in groups of at
// most MaxBatchSize that keep requests linked by dependsOn together, in
// the order they were added. Requests Graph answers with 429 or 503 (and
// those it then refused with 424 because they depend on one) are sent
// again, in a batch of their own, after the longest Retry-After among the
// answers (or Backoff), up to Retries times.
//
// Each request's outcome, success or Graph error, is on its handle; Send
// returns an error only when a POST /$batch itself fails (after the
// requester's own retries) or ctx ends. It then stops, and that error is
// also the result of every request left unanswered.
func (b *Batch) Send(ctx context.Context) error {
	b.mu.Lock()
	groups := group(b.pending)
	for _, it := range b.pending {
		it.queued, it.chain = false, nil
	}
	b.pending = nil
	b.mu.Unlock()

	for i, g := range groups {
		if err := b.run(ctx, g); err != nil {
			b.mu.Lock()
			for _, rest := range groups[i:] {
				for _, it := range rest {
					if !it.done {
						it.done, it.err = true, err
					}
				}
			}
			b.mu.Unlock()
			return err
		}
	}
	return nil
}

// group packs queued items into batches of at most MaxBatchSize: each
// chain goes whole into the first batch with room for it, and each batch
// lists its requests in the order they were added, which puts every
// request after those it depends on. b.mu must be held.
func group(items []*BatchItem) [][]*BatchItem {
	var groups [][]*BatchItem
	placed := map[*batchChain]bool{}
	order := make(map[*BatchItem]int, len(items))
	for i, it := range items {
		order[it] = i
	}
	for _, it := range items {
		c := it.chain
		if placed[c] {
			continue
		}
		placed[c] = true
		i := slices.IndexFunc(groups, func(g []*BatchItem) bool { return len(g)+len(c.items) <= MaxBatchSize })
		if i < 0 {
			groups = append(groups, nil)
			i = len(groups) - 1
		}
		groups[i] = append(groups[i], c.items...)
	}
	for _, g := range groups {
		slices.SortFunc(g, func(x, y *BatchItem) int { return order[x] - order[y] })
	}
	return groups
}

// run sends one group, then its throttled requests again until none is
// left or the retries are used up.
func (b *Batch) run(ctx context.Context, items []*BatchItem) error {
	for retry := 0; ; retry++ {
		answers, err := b.post(ctx, items)
		if err != nil {
			return err
		}
		var (
			again   []*BatchItem
			wait    time.Duration
			waitSet bool
		)
		for _, it := range items {
			a, ok := answers[it.id]
			if !ok {
				a = answer{err: fmt.Errorf("o365: Graph's batch answer has no response for request %s (%s %s)", it.id, it.wire.Method, RedactURL(it.wire.URL))}
			}
			throttled := a.status == http.StatusTooManyRequests || a.status == http.StatusServiceUnavailable
			// A request refused because a throttled one it depends on
			// did not run goes again with it.
			blocked := a.status == http.StatusFailedDependency && slices.ContainsFunc(it.deps, func(d *BatchItem) bool { return slices.Contains(again, d) })
			if retry >= b.Retries || !(throttled || blocked) {
				b.finish(it, a)
				continue
			}
			again = append(again, it)
			if d, ok := ParseRetryAfter(a.header.Get("Retry-After"), time.Now()); ok && throttled {
				wait, waitSet = max(wait, d), true
			}
		}
		if len(again) == 0 {
			return nil
		}
		if !waitSet {
			wait = b.backoff(retry)
		}
		if why := WaitLimit(ctx, wait, MaxRetryWait(b.con)); why != "" {
			// Not slept: the throttled answers are the last word, saying
			// how long the server asked to wait.
			for _, it := range again {
				a := answers[it.id]
				a.refused, a.wait = why, wait
				b.finish(it, a)
			}
			return nil
		}
		if err := sleep(ctx, wait); err != nil {
			// The throttled answers are the last word on these.
			for _, it := range again {
				b.finish(it, answers[it.id])
			}
			return err
		}
		items = again
	}
}

func (b *Batch) backoff(retry int) time.Duration {
	if b.Backoff != nil {
		return b.Backoff(retry)
	}
	d := min(500*time.Millisecond<<min(retry, 10), 30*time.Second)
	return d/2 + rand.N(d/2+1)
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

// post sends items as one POST /$batch and returns the answers by id.
func (b *Batch) post(ctx context.Context, items []*BatchItem) (map[string]answer, error) {
	doc := wireBatch{Requests: make([]wireRequest, len(items))}
	for i, it := range items {
		w := it.wire
		// Dependencies answered in an earlier round are not in this
		// batch, and Graph rejects a dependsOn naming an absent id.
		for _, d := range it.deps {
			if slices.Contains(items, d) {
				w.DependsOn = append(w.DependsOn, d.id)
			}
		}
		doc.Requests[i] = w
	}
	resp, err := b.con.Post(ctx, b.root+"/$batch", doc)
	if err != nil {
		return nil, err
	}
	var out wireBatchAnswer
	if err := DecodeResponse(resp, &out); err != nil {
		return nil, err
	}
	answers := make(map[string]answer, len(out.Responses))
	for _, r := range out.Responses {
		answers[r.ID] = r.answer()
	}
	return answers, nil
}

// answer is Graph's answer to one request, or why there is none.
type answer struct {
	status int
	header http.Header
	body   []byte
	binary bool
	err    error
	// refused says why a requested wait of wait was not slept before a
	// retry (RefuseWait); empty when it was, or none was asked.
	refused string
	wait    time.Duration
}

// finish records it's answer; an error status becomes a *GraphError.
func (b *Batch) finish(it *BatchItem, a answer) {
	if a.err == nil {
		switch {
		case a.status == 0:
			a.err = fmt.Errorf("o365: Graph's batch answer for request %s (%s %s) has no status", it.id, it.wire.Method, RedactURL(it.wire.URL))
		case a.status >= 400:
			e := ParseError(a.status, a.header, a.body)
			e.Method, e.URL = it.wire.Method, RedactURL(b.root+withSlash(it.wire.URL))
			if a.refused != "" {
				RefuseWait(e, a.wait, a.refused)
			}
			a.err = e
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	it.done = true
	it.status, it.header, it.body, it.binary, it.err = a.status, a.header, a.body, a.binary, a.err
}

// ID is the request's id in the batch document ("1", "2", …), unique
// within its Batch.
func (it *BatchItem) ID() string { return it.id }

// Status is the HTTP status Graph answered the request with; 0 before
// Send answers it or when the POST /$batch failed.
func (it *BatchItem) Status() int {
	it.b.mu.Lock()
	defer it.b.mu.Unlock()
	return it.status
}

// Header returns the headers of the request's answer (canonical keys),
// such as Location or Retry-After; nil before Send answers it.
func (it *BatchItem) Header() http.Header {
	it.b.mu.Lock()
	defer it.b.mu.Unlock()
	return it.header.Clone()
}

// Err is the request's outcome: nil for an answer below 400; a
// *GraphError decoded from the answer for an error status (424 when a
// request it depends on failed); the error of the POST /$batch when that
// failed; ErrBatchNotSent before Send answers it.
func (it *BatchItem) Err() error {
	it.b.mu.Lock()
	defer it.b.mu.Unlock()
	return it.errLocked()
}

func (it *BatchItem) errLocked() error {
	if !it.done {
		return fmt.Errorf("%w: request %s (%s %s)", ErrBatchNotSent, it.id, it.wire.Method, RedactURL(it.wire.URL))
	}
	return it.err
}

// Decode decodes the answer's body into out: JSON bodies as JSON; a
// binary body (base64 on the wire) as raw bytes into a *[]byte or
// *string, or as JSON otherwise (Graph base64-encodes some JSON answers,
// such as uploads). A missing body leaves out alone. It returns Err when
// the request failed.
func (it *BatchItem) Decode(out any) error {
	it.b.mu.Lock()
	err, body, binary := it.errLocked(), it.body, it.binary
	it.b.mu.Unlock()
	if err != nil || out == nil || len(body) == 0 {
		return err
	}
	switch p := out.(type) {
	case *[]byte:
		*p = bytes.Clone(body)
		return nil
	case *string:
		if binary {
			*p = string(body)
			return nil
		}
	}
	if err := Unmarshal(body, out); err != nil {
		return fmt.Errorf("o365: decoding the batch answer to %s %s: %w", it.wire.Method, RedactURL(it.wire.URL), err)
	}
	return nil
}

// RelativeURL turns rawURL into the form Graph wants inside a batch:
// relative to serviceURL ("https://graph.microsoft.com/v1.0"), such as
// "/me/messages?$top=5". A full URL must be under serviceURL: a batch
// runs on one host and one API version. A relative URL is returned as it
// is, unless it repeats the API version ("/v1.0/me"), which Graph would
// read as part of the path.
func RelativeURL(serviceURL, rawURL string) (string, error) {
	root, err := url.Parse(strings.TrimRight(serviceURL, "/"))
	if err != nil || root.Host == "" {
		return "", fmt.Errorf("o365: service URL %q is not an absolute URL", serviceURL)
	}
	invalid := func(format string, args ...any) error {
		return fmt.Errorf("URL %q: %s", RedactURL(rawURL), fmt.Sprintf(format, args...))
	}
	switch {
	case strings.TrimSpace(rawURL) == "":
		return "", invalid("empty")
	case strings.HasPrefix(rawURL, "//"):
		return "", invalid("a URL without a scheme names a host; use a path relative to %s", serviceURL)
	case hasScheme(rawURL):
	default:
		if p := "/" + strings.TrimPrefix(rawURL, "/"); strings.HasPrefix(strings.ToLower(p), strings.ToLower(root.Path)+"/") && root.Path != "" {
			return "", invalid("it repeats the API version %s; batch URLs are relative to %s", strings.Trim(root.Path, "/"), serviceURL)
		}
		return rawURL, nil
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", invalid("%v", unwrapURLErr(err))
	}
	if !strings.EqualFold(u.Scheme, root.Scheme) || !strings.EqualFold(u.Host, root.Host) {
		return "", invalid("it is on %s://%s, not on the Graph host %s://%s this batch is sent to", u.Scheme, u.Host, root.Scheme, root.Host)
	}
	path := u.EscapedPath()
	if !strings.HasPrefix(path, root.EscapedPath()+"/") {
		return "", invalid("it is not under the service root %s; a batch runs on one API version", serviceURL)
	}
	rel := strings.TrimPrefix(path, root.EscapedPath())
	if u.RawQuery != "" {
		rel += "?" + u.RawQuery
	}
	return rel, nil
}

// hasScheme reports whether s starts with a scheme and "://", in any
// case: a URL that names its host.
func hasScheme(s string) bool {
	scheme, _, ok := strings.Cut(s, "://")
	return ok && scheme != "" && !strings.ContainsAny(scheme, "/?#")
}

func unwrapURLErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// isJSONType reports whether a Content-Type is JSON (application/json or
// a +json type), whose bodies Graph inlines in batch documents.
func isJSONType(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// The batch document, as Microsoft's JSON batching page describes it.
type (
	wireBatch struct {
		Requests []wireRequest `json:"requests"`
	}
	wireRequest struct {
		ID        string            `json:"id"`
		Method    string            `json:"method"`
		URL       string            `json:"url"`
		DependsOn []string          `json:"dependsOn,omitempty"`
		Headers   map[string]string `json:"headers,omitempty"`
		Body      json.RawMessage   `json:"body,omitempty"`
	}
	wireBatchAnswer struct {
		Responses []wireResponse `json:"responses"`
	}
	wireResponse struct {
		ID      string          `json:"id"`
		Status  int             `json:"status"`
		Headers map[string]any  `json:"headers"`
		Body    json.RawMessage `json:"body"`
	}
)

// answer reads one response of the batch document. Header values are
// strings in Graph's answers; anything else is kept as its JSON text. A
// string body under a non-JSON Content-Type is base64, as Graph sends
// binary bodies; one that does not decode is kept as JSON.
func (r wireResponse) answer() answer {
	a := answer{status: r.Status, header: http.Header{}}
	for k, v := range r.Headers {
		s, ok := v.(string)
		if !ok {
			raw, _ := Marshal(v)
			s = string(raw)
		}
		a.header.Set(k, s)
	}
	body := bytes.TrimSpace(r.Body)
	if len(body) == 0 || string(body) == "null" {
		return a
	}
	a.body = body
	if body[0] == '"' && !isJSONType(a.header.Get("Content-Type")) {
		var s string
		if Unmarshal(body, &s) == nil {
			if data, ok := decodeBase64(s); ok {
				a.body, a.binary = data, true
			}
		}
	}
	return a
}

// decodeBase64 accepts standard and URL-safe base64, padded or not: the
// docs call Graph's encoding "base64 URL-encoded" while its answers use
// the standard alphabet.
func decodeBase64(s string) ([]byte, bool) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if data, err := enc.DecodeString(s); err == nil {
			return data, true
		}
	}
	return nil, false
}
