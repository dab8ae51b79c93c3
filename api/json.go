package api

// JSON engine. Every JSON encode and decode in the library goes through
// Marshal, Unmarshal and Decode, so the engine is switched here alone.
//
// The engine is github.com/go-json-experiment/json, the code Go ships as
// encoding/json/v2 behind GOEXPERIMENT=jsonv2; built with that experiment
// the module is an alias of the standard library's packages. It is
// configured for encoding/json's semantics (see jsonOptions), so models
// keep their v1 tags and behaviour. Decoding pages is the library's hot
// path, and on it the engine halves the time and the memory:
// BenchmarkDecodeUsersPage, a page of 1000 users (390 KB), medians of 10
// runs on 2 shared cores (±5-28%):
//
//	                                       time    memory    allocs
//	Decode before (encoding/json.Decoder)  2.8 ms  1.83 MiB  12.0k
//	Decode now (v2 engine, streaming)      1.4 ms  0.74 MiB   7.5k
//	encoding/json.Unmarshal                3.3 ms  0.83 MiB  12.0k
//	encoding/json, io.ReadAll + Unmarshal  3.3 ms  1.72 MiB  12.0k
//	v2 engine, Unmarshal                   1.1 ms  0.74 MiB   7.4k
//	v2 engine, io.ReadAll + Unmarshal      1.4 ms  1.64 MiB   7.5k
//	v2 engine, UnmarshalRead               1.2 ms  0.74 MiB   7.4k
//
// encoding/json's Decoder buffers the whole value before decoding it (as
// does ReadAll + Unmarshal); the v2 engine decodes from a 4 KiB window of
// the stream, so Decode streams. (Measured when User held the default
// properties alone; since it models the directory's properties a User is
// about 1 KB, and the page's slice of users dominates the memory of both
// engines: 3.8 MB and 7.5k allocations here against encoding/json's 3.9 MB
// and 12.0k. BenchmarkDecodeDirectoryUsersPage decodes users with every
// property filled.) Iterating 10 pages of 1000 users from
// graphtest (BenchmarkIterateUsers) takes 141 ms and 109 MiB through the
// pager against 147 ms and 120 MiB for a plain net/http + encoding/json
// loop: 0.96x, with graphtest's own work most of both. The cost: 0.7 MB
// more in a stripped binary and about 2 s more in a cold build. A file
// built only under GOEXPERIMENT=jsonv2 would have left ordinary builds,
// CI's included, on the slower engine.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

var (
	// jsonOptions are encoding/json's semantics, which the models' tags
	// are written for: omitempty omits false, 0, "", nil and empty
	// slices and maps; nil slices and maps encode as null; unknown
	// members are ignored; time.Time is RFC 3339; duplicate names and
	// invalid UTF-8 are accepted; map keys are sorted; errors are
	// encoding/json's types and words. One change: names match exactly,
	// as Graph spells them, where v1 would also take "DisplayName" for
	// displayName.
	jsonOptions = jsonv2.JoinOptions(
		jsonv1.DefaultOptionsV1(),
		jsonv2.MatchCaseInsensitiveNames(false),
	)
	// streamOptions are jsonOptions with errors reported the v2 way,
	// which is what lets a body be decoded as it streams in: v1's error
	// reporting checks the whole value's syntax before decoding any of
	// it, so the engine would first buffer the whole value (twice the
	// memory and half again the time on a page of users). Decode words
	// the errors itself.
	streamOptions = jsonv2.JoinOptions(
		jsonOptions,
		jsonv1.ReportErrorsWithLegacySemantics(false),
	)
)

// Marshal encodes v as JSON, as encoding/json.Marshal does.
func Marshal(v any) ([]byte, error) {
	return jsonv2.Marshal(v, jsonOptions)
}

// Unmarshal decodes data into v, as encoding/json.Unmarshal does, errors
// included, except that member names must match exactly.
func Unmarshal(data []byte, v any) error {
	return jsonv2.Unmarshal(data, v, jsonOptions)
}

// Decode reads one JSON value from r into v, decoding it as it streams in
// rather than buffering it whole first. It reads r to its end, which lets
// net/http reuse the connection of a response body; anything but
// whitespace after the value is an error.
//
// what names the document in errors ("users page", "token response"). A
// body that ends early is reported as truncated, and one with nothing but
// whitespace as empty, both wrapping io.ErrUnexpectedEOF; a value of the
// wrong kind is reported as encoding/json words it ("cannot unmarshal
// number into Go value of type string at "/id"").
func Decode(r io.Reader, v any, what string) error {
	sr := &sniffReader{r: r}
	err := jsonv2.UnmarshalRead(sr, v, streamOptions)
	var (
		semantic *jsonv2.SemanticError
		syntax   *jsontext.SyntacticError
	)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, io.ErrUnexpectedEOF) && !sr.data:
		return fmt.Errorf("o365: decoding %s: body is empty: %w", what, io.ErrUnexpectedEOF)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("o365: decoding %s: body is truncated: %w", what, io.ErrUnexpectedEOF)
	case errors.As(err, &semantic) && semantic.JSONKind != 0 && semantic.GoType != nil:
		return fmt.Errorf("o365: decoding %s: %w", what, typeError{semantic})
	case errors.As(err, &syntax) || errors.As(err, &semantic) || errors.Unwrap(err) == nil:
		return fmt.Errorf("o365: decoding %s: %w", what, err)
	default:
		// A read error, which the engine wraps in its own words.
		return fmt.Errorf("o365: decoding %s: %w", what, errors.Unwrap(err))
	}
}

// typeError is a JSON value of a kind its Go destination cannot take,
// worded as encoding/json words it.
type typeError struct{ err *jsonv2.SemanticError }

func (e typeError) Error() string {
	kind, ok := kindNames[e.err.JSONKind]
	if !ok {
		kind = e.err.JSONKind.String()
	}
	msg := "cannot unmarshal " + kind + " into Go value of type " + e.err.GoType.String()
	if e.err.JSONPointer != "" {
		msg += " at " + strconv.Quote(string(e.err.JSONPointer))
	}
	if e.err.Err != nil {
		msg += ": " + e.err.Err.Error()
	}
	return msg
}

func (e typeError) Unwrap() error { return e.err }

// kindNames are encoding/json's names of JSON kinds.
var kindNames = map[jsontext.Kind]string{
	'n': "null", 'f': "bool", 't': "bool", '"': "string", '0': "number", '{': "object", '[': "array",
}

// sniffReader passes reads through and notes whether anything other than
// JSON whitespace came by, telling an empty body from a truncated one.
type sniffReader struct {
	r    io.Reader
	data bool
}

func (s *sniffReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if !s.data {
		s.data = len(bytes.TrimLeft(p[:n], " \t\r\n")) > 0
	}
	return n, err
}
