package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// Params are query-string parameters, such as {"$top": "10"}.
type Params map[string]string

// Encode renders p as a query string with keys in sorted order. Spaces
// become %20 rather than '+', which OData parsers do not all read as a
// space.
func (p Params) Encode() string {
	if len(p) == 0 {
		return ""
	}
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(queryEscape(k))
		b.WriteByte('=')
		b.WriteString(queryEscape(p[k]))
	}
	return b.String()
}

// queryEscape escapes like url.QueryEscape but writes a space as %20. A
// literal '+' is already escaped to %2B, so the replacement is safe.
func queryEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// AddParams returns rawURL with params merged into its query string;
// parameters already in rawURL are kept unless params names them too.
func AddParams(rawURL string, params Params) (string, error) {
	if len(params) == 0 {
		return rawURL, nil
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", invalidURL(rawURL, err)
	}
	merged := Params{}
	for k, vs := range u.Query() {
		if len(vs) > 0 {
			merged[k] = vs[0]
		}
	}
	for k, v := range params {
		merged[k] = v
	}
	u.RawQuery = merged.Encode()
	return u.String(), nil
}

// NewRequest builds a request the way the Requester verb helpers do.
//
// The body is sent as follows: nil sends no body; an io.Reader is streamed
// as it is (with Content-Type application/octet-stream unless the caller
// sets one later); a []byte is sent as it is; anything else is encoded as
// JSON with Content-Type application/json. Byte and JSON bodies can be
// replayed, so retries resend them in full.
func NewRequest(ctx context.Context, method, rawURL string, params Params, body any) (*http.Request, error) {
	full, err := AddParams(rawURL, params)
	if err != nil {
		return nil, err
	}
	var (
		rd          io.Reader
		contentType string
	)
	switch b := body.(type) {
	case nil:
	case []byte:
		rd, contentType = bytes.NewReader(b), "application/octet-stream"
	case io.Reader:
		rd, contentType = b, "application/octet-stream"
	default:
		data, err := Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("o365: encoding %s %s body: %w", method, redactURL(full), err)
		}
		rd, contentType = bytes.NewReader(data), "application/json"
	}
	req, err := http.NewRequestWithContext(ctx, method, full, rd)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			return nil, invalidURL(full, err)
		}
		return nil, fmt.Errorf("o365: building %s request: %w", method, err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json")
	return req, nil
}

// invalidURL reports a URL that does not parse. *url.Error would quote the
// URL whole, query string included, so only its cause is kept.
func invalidURL(raw string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fmt.Errorf("o365: invalid URL %q: %w", redactURL(raw), err)
}

// redactURL drops the query string, which may hold opaque credentials
// (upload session URLs carry them), so a URL can go into an error message.
func redactURL(raw string) string {
	if i := strings.IndexByte(raw, '?'); i >= 0 {
		return raw[:i]
	}
	return raw
}

// RedactURL is the form of a URL that may appear in errors and logs: the
// query string is removed because pre-authenticated URLs carry credentials
// there.
func RedactURL(raw string) string { return redactURL(raw) }
