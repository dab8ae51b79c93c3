package graphtest

// JSON batching: POST /v1.0/$batch runs up to 20 requests through the same
// routes as single requests, as the caller of the batch, and answers
// {"responses":[{"id","status","headers","body"}]}.

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
)

// maxBatchRequests is Graph's limit of requests in one batch.
const maxBatchRequests = 20

// BatchedRequest is one request of a JSON batch as the server ran it.
type BatchedRequest struct {
	// Batch numbers the POST /$batch the request came in: 1 for the
	// first batch the server answered, 2 for the next, …
	Batch     int
	ID        string
	Method    string
	URL       string // as sent: relative to the service root
	DependsOn []string
	Header    http.Header // the request's own headers
	// Body is the body the request carried: the JSON as sent, or the
	// decoded bytes of a base64 body.
	Body []byte
	// Caller is the caller of the batch, as in Request.
	Caller string
	// Status is the status answered: 424 for a request not run because
	// one it depends on failed.
	Status int
}

// batchStore holds what JSON batching keeps: faults aimed at requests
// inside batches and the log of those requests.
type batchStore struct {
	mu      sync.Mutex
	faults  []Fault
	log     []BatchedRequest
	batches int

	// routes serves the requests inside batches; built on first use,
	// from the same route table as single requests.
	routesOnce sync.Once
	routes     http.Handler
}

func newBatchStore() *batchStore { return &batchStore{} }

func (s *Server) batchRoutes() []route {
	return []route{{"POST /v1.0/$batch", s.serveBatch}}
}

// InjectBatchFaults makes the next n requests run inside JSON batches
// answer f (its Status, Code, Message and Retry-After; Drop does not
// apply, and a zero Status means 500) in the batch's answer, which itself
// succeeds. Faults for single requests (InjectFaults) hit a POST /$batch
// as a whole instead.
func (s *Server) InjectBatchFaults(n int, f Fault) {
	if f.Status == 0 {
		f.Status = http.StatusInternalServerError
	}
	s.batch.mu.Lock()
	defer s.batch.mu.Unlock()
	for range n {
		s.batch.faults = append(s.batch.faults, f)
	}
}

// ThrottleBatchItems makes the next n requests run inside JSON batches
// answer 429 Too Many Requests, with Graph's throttling body and the
// Retry-After header retryAfter (omitted when empty), as Graph throttles
// the requests of a batch one by one.
func (s *Server) ThrottleBatchItems(n int, retryAfter string) {
	s.InjectBatchFaults(n, Fault{Status: http.StatusTooManyRequests, RetryAfter: retryAfter})
}

// BatchRequests returns a copy of the log of requests run inside JSON
// batches, in the order they were answered: a request always comes after
// those it depends on. Each POST /$batch itself is in Requests.
func (s *Server) BatchRequests() []BatchedRequest {
	s.batch.mu.Lock()
	defer s.batch.mu.Unlock()
	out := slices.Clone(s.batch.log)
	for i := range out {
		out[i].DependsOn = slices.Clone(out[i].DependsOn)
		out[i].Header = out[i].Header.Clone()
		out[i].Body = bytes.Clone(out[i].Body)
	}
	return out
}

// batchPart is one request of a batch document.
type batchPart struct {
	ID        string            `json:"id"`
	Method    string            `json:"method"`
	URL       string            `json:"url"`
	DependsOn []string          `json:"dependsOn"`
	Headers   map[string]string `json:"headers"`
	Body      json.RawMessage   `json:"body"`
}

// batchAnswer is one response of a batch answer.
type batchAnswer struct {
	ID      string            `json:"id"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    json.RawMessage   `json:"body,omitempty"`
}

// serveBatch answers POST /$batch. The batch as a whole is refused with
// 400 when it cannot be run: not Graph's document, more than 20
// requests, ids missing or repeated, dependsOn naming an absent id or
// going round in a circle, or a write request without a body and its
// Content-Type. Otherwise each request runs in turn, in the order listed
// except that a request waits for those it depends on, and the answer is
// 200 with one response per request, listed in the reverse of the order
// they ran: Graph promises no order, and clients must match ids.
func (s *Server) serveBatch(w http.ResponseWriter, r *http.Request) {
	var doc struct {
		Requests []batchPart `json:"requests"`
	}
	if err := json.NewDecoder(r.Body).Decode(&doc); err != nil || doc.Requests == nil {
		writeGraphError(w, http.StatusBadRequest, "BadRequest", "Invalid batch payload format.")
		return
	}
	order, msg := batchOrder(doc.Requests)
	if msg != "" {
		writeGraphError(w, http.StatusBadRequest, "BadRequest", msg)
		return
	}

	s.batch.mu.Lock()
	s.batch.batches++
	n := s.batch.batches
	s.batch.mu.Unlock()
	c := callerOf(r)
	status := map[string]int{}
	answers := make([]batchAnswer, 0, len(order))
	for _, p := range order {
		var a batchAnswer
		failed := slices.ContainsFunc(p.DependsOn, func(id string) bool { return status[id] >= 400 })
		entry := BatchedRequest{Batch: n, ID: p.ID, Method: strings.ToUpper(p.Method), URL: p.URL,
			DependsOn: slices.Clone(p.DependsOn), Header: http.Header{}, Caller: c.name()}
		for k, v := range p.Headers {
			entry.Header.Set(k, v)
		}
		body, bodyErr := partBody(p, entry.Header)
		entry.Body = body
		switch {
		case failed:
			a = s.runPart(r, p, nil, func(w http.ResponseWriter) {
				writeGraphError(w, http.StatusFailedDependency, "FailedDependency", "Failed dependency: a request this one depends on failed.")
			})
		case bodyErr != "":
			a = s.runPart(r, p, nil, func(w http.ResponseWriter) { writeGraphError(w, http.StatusBadRequest, "BadRequest", bodyErr) })
		default:
			if f, ok := s.nextBatchFault(); ok {
				a = s.runPart(r, p, nil, func(w http.ResponseWriter) { writeFault(w, f) })
			} else {
				a = s.runPart(r, p, body, nil)
			}
		}
		status[p.ID] = a.Status
		entry.Status = a.Status
		s.batch.mu.Lock()
		s.batch.log = append(s.batch.log, entry)
		s.batch.mu.Unlock()
		answers = append(answers, a)
	}
	slices.Reverse(answers)
	writeGraphJSON(w, http.StatusOK, map[string]any{"responses": answers})
}

// batchOrder checks a batch document and returns its requests in the
// order they run, or why the batch is refused.
func batchOrder(parts []batchPart) ([]batchPart, string) {
	switch {
	case len(parts) == 0:
		return nil, "Invalid batch payload format."
	case len(parts) > maxBatchRequests:
		return nil, fmt.Sprintf("The batch request contains %d requests, and the maximum number of requests in a batch is %d.", len(parts), maxBatchRequests)
	}
	ids := map[string]bool{}
	for _, p := range parts {
		switch {
		case p.ID == "":
			return nil, "Every request of a batch needs an id."
		case ids[p.ID]:
			return nil, "Request ids must be unique in a batch; id " + p.ID + " is repeated."
		case p.Method == "" || p.URL == "":
			return nil, "Request id " + p.ID + " needs a method and a url."
		case !slices.Contains(batchMethods, strings.ToUpper(p.Method)):
			return nil, "Request id " + p.ID + " has the method " + p.Method + ", which cannot be batched."
		}
		ids[p.ID] = true
		switch strings.ToUpper(p.Method) {
		case http.MethodPost, http.MethodPatch, http.MethodPut:
			if len(p.Body) == 0 || headerOf(p.Headers, "Content-Type") == "" {
				return nil, "Write request id : " + p.ID + " does not contain Content-Type header or body."
			}
		}
	}
	for _, p := range parts {
		for _, d := range p.DependsOn {
			if !ids[d] || d == p.ID {
				return nil, "Request id " + p.ID + " depends on id " + d + ", which is not another request of the batch."
			}
		}
	}
	order := make([]batchPart, 0, len(parts))
	ran := map[string]bool{}
	for len(order) < len(parts) {
		i := slices.IndexFunc(parts, func(p batchPart) bool {
			return !ran[p.ID] && !slices.ContainsFunc(p.DependsOn, func(d string) bool { return !ran[d] })
		})
		if i < 0 {
			return nil, "The dependsOn of the batch's requests go round in a circle."
		}
		ran[parts[i].ID] = true
		order = append(order, parts[i])
	}
	return order, ""
}

// partBody decodes a request's body. Graph takes either form under any
// Content-Type: a JSON string is base64 (standard or URL alphabet, padded
// or not; clients that batch streams send JSON bodies so too), and a JSON
// object or array is the body itself, which only a JSON Content-Type
// allows. The message says what is wrong.
func partBody(p batchPart, header http.Header) ([]byte, string) {
	raw := bytes.TrimSpace(p.Body)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
			if data, err := enc.DecodeString(s); err == nil {
				return data, ""
			}
		}
		return raw, "The body of request id " + p.ID + " is not valid base64."
	}
	if isJSONContent(header.Get("Content-Type")) {
		return raw, ""
	}
	return raw, "The body of request id " + p.ID + " is not JSON, so it must be a base64 string."
}

// runPart runs one request of a batch through the Graph routes as the
// batch's caller, or answers it with answer when that is not nil.
func (s *Server) runPart(outer *http.Request, p batchPart, body []byte, answer func(http.ResponseWriter)) batchAnswer {
	rec := httptest.NewRecorder()
	rec.Header().Set("request-id", newGUID())
	rec.Header().Set("client-request-id", outer.Header.Get("client-request-id"))
	if rec.Header().Get("client-request-id") == "" {
		rec.Header().Set("client-request-id", newGUID())
	}
	switch {
	case answer != nil:
		answer(rec)
	case namesHost(p.URL):
		writeGraphError(rec, http.StatusBadRequest, "BadRequest", "Invalid request URL: the url of a batched request is relative to the service root, such as /me.")
	default:
		s.runRoute(rec, outer, p, body)
	}
	a := batchAnswer{ID: p.ID, Status: rec.Code, Headers: map[string]string{}}
	for k, vs := range rec.Header() {
		if k != "Request-Id" && k != "Client-Request-Id" {
			a.Headers[k] = strings.Join(vs, ", ")
		}
	}
	out := rec.Body.Bytes()
	switch {
	case len(bytes.TrimSpace(out)) == 0 && rec.Code == http.StatusNoContent:
		a.Body = json.RawMessage("null")
	case len(bytes.TrimSpace(out)) == 0:
	case isJSONContent(rec.Header().Get("Content-Type")):
		a.Body = bytes.TrimSpace(out)
	default:
		a.Body, _ = json.Marshal(base64.StdEncoding.EncodeToString(out))
	}
	return a
}

// runRoute serves p through the route table, as a request of its own
// carrying the outer request's caller.
func (s *Server) runRoute(w http.ResponseWriter, outer *http.Request, p batchPart, body []byte) {
	path := "/v1.0/" + strings.TrimPrefix(p.URL, "/")
	if path == "/v1.0/$batch" || strings.HasPrefix(path, "/v1.0/$batch?") {
		writeGraphError(w, http.StatusBadRequest, "BadRequest", "A batch cannot contain another batch.")
		return
	}
	ctx := context.WithValue(outer.Context(), callerKey{}, callerOf(outer))
	req, err := http.NewRequestWithContext(ctx, strings.ToUpper(p.Method), s.URL+path, bytes.NewReader(body))
	if err != nil {
		writeGraphError(w, http.StatusBadRequest, "BadRequest", "Invalid request URL.")
		return
	}
	for k, v := range p.Headers {
		req.Header.Set(k, v)
	}
	req.Header.Set("Authorization", outer.Header.Get("Authorization"))
	req.Host = outer.Host // links answered inside name the host the batch went to
	s.batch.routesOnce.Do(func() {
		mux := http.NewServeMux()
		for _, rt := range s.graphRoutes() {
			mux.HandleFunc(rt.pattern, rt.handler)
		}
		mux.HandleFunc("/", unknownSegment)
		s.batch.routes = mux
	})
	normalizePath(req)
	normalizeActionBody(req)
	serveRoute(s.batch.routes, w, req)
}

func (s *Server) nextBatchFault() (Fault, bool) {
	s.batch.mu.Lock()
	defer s.batch.mu.Unlock()
	if len(s.batch.faults) == 0 {
		return Fault{}, false
	}
	f := s.batch.faults[0]
	s.batch.faults = s.batch.faults[1:]
	return f, true
}

// writeFault answers f as injectFault does for a single request.
func writeFault(w http.ResponseWriter, f Fault) {
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	def, ok := statusErrors[f.Status]
	if !ok {
		def = [2]string{"generalException", http.StatusText(f.Status)}
	}
	var extra map[string]any
	if f.Status == http.StatusTooManyRequests {
		extra = map[string]any{"code": "429", "message": "Please retry after", "status": "429"}
	}
	writeGraphErrorExtra(w, f.Status, cmp.Or(f.Code, def[0]), cmp.Or(f.Message, def[1]), extra)
}

// batchMethods are the methods a request of a batch may have.
var batchMethods = []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete}

// namesHost reports whether a batched request's URL is absolute (or
// scheme-relative) rather than relative to the service root.
func namesHost(u string) bool {
	scheme, _, ok := strings.Cut(u, "://")
	return strings.HasPrefix(u, "//") || ok && scheme != "" && !strings.ContainsAny(scheme, "/?#")
}

func headerOf(h map[string]string, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

func isJSONContent(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}
