package graphtest

// The wire forms Graph accepts beyond the ones the routes are written
// for: compressed request bodies and OData's function-call syntax. Real
// clients (Microsoft's SDKs among them) send these by default, so the
// server brings each request to its plain form before routing it.

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
)

// decodeBody replaces a body sent with Content-Encoding gzip or deflate
// by its decoded bytes, as Graph accepts both. It reports false, having
// answered, when the encoding is unknown or the body does not decode.
func decodeBody(w http.ResponseWriter, r *http.Request) bool {
	enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding")))
	if enc == "" || enc == "identity" || r.Body == nil || r.Body == http.NoBody {
		return true
	}
	var body io.ReadCloser
	switch enc {
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			writeGraphError(w, http.StatusBadRequest, "BadRequest", "The request body is not valid gzip: "+err.Error())
			return false
		}
		body = zr
	case "deflate":
		// HTTP's deflate is zlib-wrapped; some clients send raw deflate.
		br := bufio.NewReader(r.Body)
		if head, err := br.Peek(2); err == nil && (uint16(head[0])<<8|uint16(head[1]))%31 == 0 && head[0]&0x0f == 8 {
			zr, err := zlib.NewReader(br)
			if err != nil {
				writeGraphError(w, http.StatusBadRequest, "BadRequest", "The request body is not valid deflate: "+err.Error())
				return false
			}
			body = zr
		} else {
			body = flate.NewReader(br)
		}
	default:
		writeGraphError(w, http.StatusUnsupportedMediaType, "UnsupportedMediaType",
			"The Content-Encoding '"+enc+"' is not supported; use gzip or deflate.")
		return false
	}
	r.Body = struct {
		io.Reader
		io.Closer
	}{body, r.Body}
	r.Header.Del("Content-Encoding")
	r.Header.Del("Content-Length")
	r.ContentLength = -1
	return true
}

// normalizePath rewrites the request's path to the form the routes
// expect: a function called with empty parentheses (delta()) loses them,
// and a qualified name (microsoft.graph.delta, microsoft.graph.send) loses
// its namespace. Other function calls, such as drive's search(q='…') and
// delta(token='…'), keep their arguments for the handlers that read them.
func normalizePath(r *http.Request) {
	escaped := r.URL.EscapedPath()
	segs := strings.Split(escaped, "/")
	changed := false
	for i, seg := range segs {
		// Clients may escape the parentheses (delta%28%29).
		orig, err := url.PathUnescape(seg)
		if err != nil {
			continue
		}
		s := orig
		if rest, ok := cutPrefixFold(s, "microsoft.graph."); ok && rest != "" {
			s = rest
		}
		if name, ok := strings.CutSuffix(s, "()"); ok && isIdentifier(name) {
			s = name
		}
		if s != orig {
			segs[i], changed = escapeSegment(s), true
		}
	}
	if !changed {
		return
	}
	u := *r.URL
	u.RawPath = strings.Join(segs, "/")
	if p, err := url.PathUnescape(u.RawPath); err == nil {
		u.Path = p
	}
	r.URL = &u
	r.RequestURI = u.RequestURI()
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// isIdentifier reports whether s is an OData simple identifier.
func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		letter := c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// actionsWithParams are the actions whose parameters clients name in
// either case: Microsoft's SDKs send them capitalised, as Outlook's API
// declares them ("Message", "SaveToSentItems", "DestinationId",
// "Comment", "SendResponse", "AttachmentItem"), and Microsoft's docs show
// most in camelCase. Graph matches action parameters without regard to
// case.
var actionsWithParams = map[string]bool{
	"sendMail": true, "send": true, "reply": true, "replyAll": true, "forward": true,
	"createReply": true, "createReplyAll": true, "createForward": true,
	"move": true, "copy": true, "accept": true, "decline": true, "tentativelyAccept": true,
	"cancel": true, "snoozeReminder": true, "dismissReminder": true,
	"createUploadSession": true, "getSchedule": true, "findMeetingTimes": true,
}

// normalizeActionBody gives each top-level parameter of an action's JSON
// body both its camelCase and its PascalCase name (message and Message),
// so a handler finds it under the name it reads. Bodies that are not
// JSON objects are left as sent.
func normalizeActionBody(r *http.Request) {
	if r.Method != http.MethodPost || r.Body == nil || r.Body == http.NoBody {
		return
	}
	segs := strings.Split(strings.TrimSuffix(r.URL.Path, "/"), "/")
	if !actionsWithParams[segs[len(segs)-1]] {
		return
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(data))
	if err != nil {
		return
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(data, &obj) != nil {
		return
	}
	changed := false
	for k, v := range obj {
		if k == "" || strings.HasPrefix(k, "@") {
			continue
		}
		for _, alias := range []string{strings.ToLower(k[:1]) + k[1:], strings.ToUpper(k[:1]) + k[1:]} {
			if _, ok := obj[alias]; !ok {
				obj[alias] = v
				changed = true
			}
		}
	}
	if !changed {
		return
	}
	out, err := json.Marshal(obj)
	if err != nil {
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(out))
	r.ContentLength = int64(len(out))
}

// escapeSegment escapes a path segment, leaving the characters OData
// function calls are written with as they are.
func escapeSegment(s string) string {
	return strings.NewReplacer("%28", "(", "%29", ")", "%27", "'", "%3D", "=", "%2C", ",").Replace(url.PathEscape(s))
}

// countKey marks a request for a collection's $count segment; the
// collection that serves it records that it did.
type countKey struct{}

type countState struct{ served bool }

// serveRoute serves r through routes. A GET of a collection's $count
// segment (/users/$count, /me/mailFolders/inbox/messages/$count) is
// served as the collection itself, its query ($filter, $search) applied,
// and answered as Graph does: the number of matching items, as
// text/plain. $count after anything but a collection is an unknown
// segment.
func serveRoute(routes http.Handler, w http.ResponseWriter, r *http.Request) {
	base, ok := strings.CutSuffix(r.URL.Path, "/$count")
	if !ok || r.Method != http.MethodGet {
		routes.ServeHTTP(w, r)
		return
	}
	st := &countState{}
	inner := r.WithContext(context.WithValue(r.Context(), countKey{}, st))
	u := *r.URL
	u.Path, u.RawPath = base, ""
	if raw := r.URL.RawPath; raw != "" {
		raw = strings.TrimSuffix(strings.TrimSuffix(raw, "/$count"), "/%24count")
		if p, err := url.PathUnescape(raw); err == nil && p == base {
			u.RawPath = raw
		}
	}
	inner.URL = &u
	rec := httptest.NewRecorder()
	routes.ServeHTTP(rec, inner)
	if !st.served && rec.Code < http.StatusMultipleChoices {
		unknownSegment(w, r)
		return
	}
	maps.Copy(w.Header(), rec.Header())
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// countOnly reports whether r asks for a collection's $count segment,
// recording that a collection served it.
func countOnly(r *http.Request) bool {
	st, ok := r.Context().Value(countKey{}).(*countState)
	if ok {
		st.served = true
	}
	return ok
}
