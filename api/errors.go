package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Sentinel errors matched by errors.Is against a *GraphError.
var (
	ErrBadRequest         = errors.New("o365: bad request")
	ErrUnauthorized       = errors.New("o365: unauthorized")
	ErrForbidden          = errors.New("o365: forbidden")
	ErrNotFound           = errors.New("o365: not found")
	ErrConflict           = errors.New("o365: conflict")
	ErrGone               = errors.New("o365: gone")
	ErrPreconditionFailed = errors.New("o365: precondition failed")
	ErrThrottled          = errors.New("o365: throttled")
	ErrServiceUnavailable = errors.New("o365: service unavailable")
	// ErrSyncStateNotFound reports an expired delta token: a 410 Gone,
	// or the code syncStateNotFound or resyncRequired whatever the
	// status. Start a new delta round from scratch.
	ErrSyncStateNotFound = errors.New("o365: delta sync state expired")
)

// GraphError is an error answer from Microsoft Graph (or the identity
// platform), decoded from
// {"error":{"code":…,"message":…,"innerError":{"request-id":…,"date":…}}}.
type GraphError struct {
	StatusCode      int           // HTTP status
	Code            string        // Graph error code, e.g. "ErrorItemNotFound"
	Message         string        // human-readable message from Graph
	InnerCode       string        // innerError.code when present
	RequestID       string        // request-id (from the body or the header)
	ClientRequestID string        // client-request-id
	Date            string        // innerError.date as sent
	RetryAfter      time.Duration // Retry-After of a 429/503, zero when absent
	Method          string        // request method
	URL             string        // request URL without its query string

	// waitRefused marks an answer whose Retry-After was longer than the
	// client allows (RefuseWait): a throttle, whatever its status.
	waitRefused bool
}

// Error describes the failure with its status, code, message and request id.
func (e *GraphError) Error() string {
	var b strings.Builder
	b.WriteString("o365: ")
	if e.Method != "" {
		b.WriteString(e.Method + " " + e.URL + ": ")
	}
	fmt.Fprintf(&b, "%d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.Code != "" {
		b.WriteString(": " + e.Code)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.RequestID != "" {
		b.WriteString(" (request-id " + e.RequestID + ")")
	}
	return b.String()
}

// Is matches the sentinel for the error's status (and code, for an expired
// delta token).
func (e *GraphError) Is(target error) bool {
	switch target {
	case ErrSyncStateNotFound:
		return e.StatusCode == http.StatusGone ||
			strings.EqualFold(e.Code, "syncStateNotFound") || strings.EqualFold(e.Code, "resyncRequired")
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrGone:
		return e.StatusCode == http.StatusGone
	case ErrPreconditionFailed:
		return e.StatusCode == http.StatusPreconditionFailed
	case ErrThrottled:
		// Graph throttles with 429; some services behind it answer 503
		// (or a gateway 504) with Retry-After instead.
		return e.StatusCode == http.StatusTooManyRequests || e.waitRefused ||
			(e.RetryAfter > 0 && (e.StatusCode == http.StatusServiceUnavailable || e.StatusCode == http.StatusGatewayTimeout))
	case ErrServiceUnavailable:
		return e.StatusCode == http.StatusServiceUnavailable
	}
	return false
}

// errorBody is Graph's error document. Graph spells the inner object both
// innerError and innererror, and the request id both request-id and
// requestId (see graph-reference/examples/errors.json).
type errorBody struct {
	// Error is Graph's error object, or the OAuth error code string the
	// identity platform sends; it is decoded once its kind is known.
	Error json.RawMessage `json:"error"`
	// The identity platform's token endpoint answers with OAuth errors.
	OAuthError       string `json:"error_description"`
	OAuthCorrelation string `json:"correlation_id"`
}

type errorObject struct {
	Code       string      `json:"code"`
	Message    string      `json:"message"`
	InnerError *innerError `json:"innerError"`
	Innererror *innerError `json:"innererror"`
}

type innerError struct {
	Code            string `json:"code"`
	Date            string `json:"date"`
	RequestID       string `json:"request-id"`
	RequestIDAlt    string `json:"requestId"`
	ClientRequestID string `json:"client-request-id"`
}

// maxErrorBody bounds how much of an error body is read.
const maxErrorBody = 64 << 10

// ErrorFromResponse builds a *GraphError from a non-2xx response and closes
// its body. A body that is not Graph's JSON error document (an HTML page
// from a proxy, a truncated document, plain text) still yields a
// *GraphError whose message says what was wrong with it.
func ErrorFromResponse(resp *http.Response) error {
	defer resp.Body.Close()
	data, readErr := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	e := ParseError(resp.StatusCode, resp.Header, data)
	// A body cut short by a failed read is not Graph's fault: say so
	// rather than calling it empty or truncated, unless what was read is
	// already a complete Graph error.
	if readErr != nil && e.Code == "" {
		e.Message = "error body could not be read: " + readErr.Error()
	}
	if resp.Request != nil {
		e.Method = resp.Request.Method
		e.URL = redactURL(resp.Request.URL.String())
	}
	return e
}

// ParseError decodes an error body. It never fails: whatever the body is,
// the result says what the server sent.
func ParseError(status int, header http.Header, body []byte) *GraphError {
	e := &GraphError{StatusCode: status}
	if header != nil {
		e.RequestID = header.Get("request-id")
		e.ClientRequestID = header.Get("client-request-id")
		e.RetryAfter, _ = ParseRetryAfter(header.Get("Retry-After"), time.Now())
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		e.Message = "empty error body"
		return e
	}
	var doc errorBody
	// Graph error bodies are small; decoding straight with encoding/json
	// gives precise syntax errors for the message below.
	err := json.Unmarshal(trimmed, &doc)
	var typeErr *json.UnmarshalTypeError
	switch {
	case err == nil:
	case errors.As(err, &typeErr) && trimmed[0] == '{':
		// A member of an unexpected type; the rest is still usable.
	case errors.As(err, &typeErr):
		// Valid JSON of another shape (an array, a string, …).
		e.Message = "error body is JSON but not Graph's error document: " + snippet(trimmed)
		return e
	default:
		e.Message = describeBadBody(header, trimmed, err)
		return e
	}
	if len(doc.Error) == 0 || string(doc.Error) == "null" {
		e.Message = "error body has no \"error\" object: " + snippet(trimmed)
		return e
	}
	if doc.Error[0] == '"' {
		// {"error":"invalid_grant","error_description":"AADSTS…"}
		_ = json.Unmarshal(doc.Error, &e.Code)
		e.Message = doc.OAuthError
		if e.RequestID == "" {
			e.RequestID = doc.OAuthCorrelation
		}
		return e
	}
	if doc.Error[0] != '{' {
		e.Message = "error body's \"error\" is not an object: " + snippet(trimmed)
		return e
	}
	var obj errorObject
	// A member of an unexpected type is left empty; the rest is still
	// Graph's answer.
	_ = json.Unmarshal(doc.Error, &obj)
	e.Code = obj.Code
	e.Message = obj.Message
	inner := obj.InnerError
	if inner == nil {
		inner = obj.Innererror
	}
	if inner != nil {
		e.InnerCode = inner.Code
		e.Date = inner.Date
		if id := firstNonEmpty(inner.RequestID, inner.RequestIDAlt); id != "" {
			e.RequestID = id
		}
		if inner.ClientRequestID != "" {
			e.ClientRequestID = inner.ClientRequestID
		}
	}
	return e
}

func describeBadBody(header http.Header, body []byte, err error) string {
	ct := ""
	if header != nil {
		ct, _, _ = mime.ParseMediaType(header.Get("Content-Type"))
	}
	var syntax *json.SyntaxError
	switch {
	case ct != "" && ct != "application/json":
		return fmt.Sprintf("error body is %s, not JSON: %s", ct, snippet(body))
	case body[0] == '<':
		return "error body is HTML or XML, not JSON: " + snippet(body)
	case errors.As(err, &syntax) && syntax.Offset >= int64(len(body)), errors.Is(err, io.ErrUnexpectedEOF):
		return "error body is truncated JSON: " + snippet(body)
	default:
		return "error body is malformed JSON (" + err.Error() + "): " + snippet(body)
	}
}

// snippet shortens a body for an error message, keeping it valid UTF-8 and
// on one line.
func snippet(b []byte) string {
	const max = 200
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	if len(s) > max {
		s = s[:max]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return strings.Join(strings.Fields(s), " ")
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// ParseRetryAfter reads a Retry-After header value: delay-seconds (Graph
// also sends fractions such as "2.128") or an HTTP date, relative to now.
// It reports false when the value is absent or unreadable; a date in the
// past gives zero.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		// 1<<31 seconds is far beyond any real Retry-After; the bound keeps
		// the conversion from overflowing.
		if secs < 0 || secs != secs || secs > 1<<31 {
			return 0, false
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d, true
		}
		return 0, true
	}
	return 0, false
}
