package graphtest

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"
)

// graphContentType is what Graph sends with JSON bodies; clients that
// compare it to "application/json" verbatim are wrong, and this shows it.
const graphContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"

// route is one Graph endpoint: a net/http ServeMux pattern with its method,
// such as "GET /v1.0/users/{id}", whose wildcards the handler reads with
// r.PathValue. Handlers run after authentication; callerOf gives the caller.
type route struct {
	pattern string
	handler http.HandlerFunc
}

// graphRoutes is the route table of Graph. A resource adds its table here.
func (s *Server) graphRoutes() []route {
	return slices.Concat(
		s.userRoutes(),
		s.groupDirectoryRoutes(),
		s.groupRoutes(),
		s.mailRoutes(),
		s.contactRoutes(),
		s.todoRoutes(), s.categoryRoutes(), s.mailboxSettingsRoutes(),
		s.calendarRoutes(),
		s.driveRoutes(),
		s.subscriptionRoutes(),
		s.batchRoutes(),
		s.teamsRoutes(),
		s.plannerRoutes(),
	)
}

// caller is the principal of an authenticated Graph request and the scopes
// its token grants.
type caller struct {
	principal
	scopes []string
}

type callerKey struct{}

// callerOf returns the caller of an authenticated Graph request.
func callerOf(r *http.Request) caller {
	c, _ := r.Context().Value(callerKey{}).(caller)
	return c
}

// Fault is a failure injected into Graph requests.
type Fault struct {
	// Status is the HTTP status answered, e.g. 503.
	Status int
	// Code and Message make the Graph error body; empty ones get Graph's
	// usual values for Status.
	Code, Message string
	// RetryAfter, when not empty, is sent as the Retry-After header.
	RetryAfter string
	// Drop closes the connection without answering; Status is ignored.
	Drop bool
}

// InjectFaults makes the next n Graph requests fail with f, after any
// faults injected before. Identity requests are never affected.
func (s *Server) InjectFaults(n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults = append(s.faults, f)
	}
}

// Throttle makes the next n Graph requests answer 429 Too Many Requests
// with Graph's throttling body and the Retry-After header retryAfter
// (omitted when empty).
func (s *Server) Throttle(n int, retryAfter string) {
	s.InjectFaults(n, Fault{Status: http.StatusTooManyRequests, RetryAfter: retryAfter})
}

// FailNext makes the next n Graph requests answer status with a Graph
// error body. Use InjectFaults for a Retry-After header or another code.
func (s *Server) FailNext(n, status int) { s.InjectFaults(n, Fault{Status: status}) }

// DropNext makes the server close the connection of the next n Graph
// requests without answering them.
func (s *Server) DropNext(n int) { s.InjectFaults(n, Fault{Drop: true}) }

// statusErrors holds Graph's error code and message for the statuses a
// fault usually takes, from the docs page "Microsoft Graph error responses
// and resource types".
var statusErrors = map[int][2]string{
	http.StatusTooManyRequests:     {"TooManyRequests", "Please retry again later."},
	http.StatusInternalServerError: {"generalException", "There was an internal server error while processing the request."},
	http.StatusBadGateway:          {"generalException", "An unspecified error has occurred."},
	http.StatusServiceUnavailable:  {"serviceNotAvailable", "The service is temporarily unavailable for maintenance or is overloaded. You may repeat the request after a delay, the length of which may be specified in a Retry-After header."},
	http.StatusGatewayTimeout:      {"generalException", "The server, while acting as a proxy, did not receive a timely response from the upstream server it needed to access in attempting to complete the request."},
	http.StatusInsufficientStorage: {"quotaLimitReached", "The maximum storage quota has been reached."},
	509:                            {"activityLimitReached", "Your app has been throttled for exceeding the maximum bandwidth cap. Your app can retry the request again after more time has elapsed."},
}

// graphHandler serves Graph: every request gets its request ids, is logged,
// waits the delay, meets any injected fault, is authenticated, and is then
// routed.
func (s *Server) graphHandler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.graphRoutes() {
		mux.HandleFunc(rt.pattern, rt.handler)
	}
	mux.HandleFunc("/", unknownSegment)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		clientReqID := r.Header.Get("client-request-id")
		if clientReqID == "" {
			clientReqID = newGUID()
		}
		w.Header().Set("request-id", newGUID())
		w.Header().Set("client-request-id", clientReqID)

		s.mu.Lock()
		tok := s.access[bearerToken(r)]
		delay := s.delay
		s.mu.Unlock()
		target := s.targetUser(r, tok)
		s.inflight.enter(target)
		defer s.inflight.leave(target)
		entry := Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header.Clone()}
		if tok != nil {
			entry.Caller = tok.who.name()
		}
		rec := &recorder{ResponseWriter: w, log: func(status int) {
			entry.Status = status
			s.mu.Lock()
			s.requests = append(s.requests, entry)
			s.mu.Unlock()
		}}
		defer rec.logOnce(0)

		if delay > 0 && !sleep(r.Context(), delay) {
			return
		}
		if s.injectFault(rec, r) {
			return
		}
		c, status, code, msg := s.authenticate(r)
		if status != 0 {
			if status == http.StatusUnauthorized {
				rec.Header().Set("WWW-Authenticate", `Bearer realm="", authorization_uri="`+s.LoginURL()+
					`/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`)
			}
			writeGraphError(rec, status, code, msg)
			return
		}
		if !decodeBody(rec, r) {
			return
		}
		normalizePath(r)
		normalizeActionBody(r)
		serveRoute(mux, rec, r.WithContext(context.WithValue(r.Context(), callerKey{}, c)))
	})
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// injectFault answers r with the next injected fault, if any.
func (s *Server) injectFault(w *recorder, r *http.Request) bool {
	s.mu.Lock()
	if len(s.faults) == 0 {
		s.mu.Unlock()
		return false
	}
	f := s.faults[0]
	s.faults = s.faults[1:]
	s.mu.Unlock()

	if f.Drop {
		w.logOnce(0)
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			// Without hijacking (HTTP/2), aborting the handler resets the stream.
			panic(http.ErrAbortHandler)
		}
		conn.Close()
		return true
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	code, msg := f.Code, f.Message
	def, ok := statusErrors[f.Status]
	if !ok {
		def = [2]string{"generalException", http.StatusText(f.Status)}
	}
	if code == "" {
		code = def[0]
	}
	if msg == "" {
		msg = def[1]
	}
	var extra map[string]any
	if f.Status == http.StatusTooManyRequests {
		// As in Microsoft's throttling example.
		extra = map[string]any{"code": "429", "message": "Please retry after", "status": "429"}
	}
	writeGraphErrorExtra(w, f.Status, code, msg, extra)
	return true
}

func bearerToken(r *http.Request) string {
	scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}

// authenticate resolves the caller from the bearer token; a non-zero
// status is the error answer.
func (s *Server) authenticate(r *http.Request) (c caller, status int, code, msg string) {
	raw := bearerToken(r)
	if raw == "" {
		return c, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty."
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.access[raw]
	switch {
	case t == nil && !strings.Contains(raw, "."):
		return c, http.StatusUnauthorized, "InvalidAuthenticationToken",
			"IDX14100: JWT is not well formed, there are no dots (.).\nThe token needs to be in JWS or JWE Compact Serialization Format. (JWS): 'EncodedHeader.EndcodedPayload.EncodedSignature'. (JWE): 'EncodedProtectedHeader.EncodedEncryptedKey.EncodedInitializationVector.EncodedCiphertext.EncodedAuthenticationTag'."
	case t == nil:
		return c, http.StatusUnauthorized, "InvalidAuthenticationToken", "Invalid signature."
	case t.revoked:
		return c, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token has been revoked."
	case s.now().After(t.expires):
		return c, http.StatusUnauthorized, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired."
	}
	return caller{principal: t.who, scopes: slices.Clone(t.scopes)}, 0, "", ""
}

func unknownSegment(w http.ResponseWriter, r *http.Request) {
	segs := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	writeGraphError(w, http.StatusBadRequest, "BadRequest", "Resource not found for the segment '"+segs[len(segs)-1]+"'.")
}

// recorder logs a Graph request when its answer begins, so the log holds
// the request before the client can see the answer.
type recorder struct {
	http.ResponseWriter
	log    func(status int)
	logged bool
}

func (w *recorder) logOnce(status int) {
	if !w.logged {
		w.logged = true
		w.log(status)
	}
}

func (w *recorder) WriteHeader(status int) {
	w.logOnce(status)
	w.ResponseWriter.WriteHeader(status)
}

func (w *recorder) Write(b []byte) (int, error) {
	if !w.logged {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// writeGraphError answers a Graph error in Graph's format, with the
// request ids already set on w.
func writeGraphError(w http.ResponseWriter, status int, code, message string) {
	writeGraphErrorExtra(w, status, code, message, nil)
}

func writeGraphErrorExtra(w http.ResponseWriter, status int, code, message string, extra map[string]any) {
	inner := map[string]any{
		"date":              time.Now().UTC().Format("2006-01-02T15:04:05"),
		"request-id":        w.Header().Get("request-id"),
		"client-request-id": w.Header().Get("client-request-id"),
	}
	for k, v := range extra {
		inner[k] = v
	}
	writeJSON(w, status, "application/json", map[string]any{
		"error": map[string]any{"code": code, "message": message, "innerError": inner},
	})
}

// writeGraphJSON answers a Graph success body.
func writeGraphJSON(w http.ResponseWriter, status int, v any) {
	writeJSON(w, status, graphContentType, v)
}

func writeJSON(w http.ResponseWriter, status int, contentType string, v any) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}
