package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Every JSON encode and decode in the library goes through Marshal and
// Decode, so the JSON engine can be switched in one place.

// Marshal encodes v as JSON.
func Marshal(v any) ([]byte, error) {
	return json.Marshal(v)
}

// Unmarshal decodes data into v.
func Unmarshal(data []byte, v any) error {
	return json.Unmarshal(data, v)
}

// Decode reads one JSON value from r into v. what names the document in
// errors ("users page", "token response"); a body that ends early is
// reported as truncated rather than as a syntax error.
func Decode(r io.Reader, v any, what string) error {
	err := json.NewDecoder(r).Decode(v)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("o365: decoding %s: body is truncated: %w", what, err)
	case errors.Is(err, io.EOF):
		return fmt.Errorf("o365: decoding %s: body is empty: %w", what, io.ErrUnexpectedEOF)
	default:
		return fmt.Errorf("o365: decoding %s: %w", what, err)
	}
}
