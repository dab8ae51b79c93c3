package query

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ErrInvalidField is wrapped by the errors for field names that are not
// OData member paths.
var ErrInvalidField = errors.New("not a valid OData member path")

// ErrUnsupportedValue is wrapped by the errors for values that have no
// OData literal form in this package.
var ErrUnsupportedValue = errors.New("unsupported value")

// Literal renders v as an OData literal, as the filter functions do:
//
//   - a string (or a type whose underlying type is string, such as an enum
//     type) is single-quoted with every ' doubled; it must be valid UTF-8;
//   - a bool is true or false;
//   - every integer and floating-point kind is written in decimal, with
//     NaN, INF and -INF for the special floats;
//   - a time.Time is an unquoted DateTimeOffset in UTC, such as
//     2024-05-01T10:00:00Z, with fractional seconds only when present;
//   - a GUID is written unquoted, as Graph compares Edm.Guid properties
//     (a licence's skuId) only with Guid literals;
//   - nil (or a nil pointer) is null, and a non-nil pointer renders what it
//     points to.
//
// Any other type is an error wrapping ErrUnsupportedValue.
func Literal(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "null", nil
	case time.Time:
		return timeLiteral(x)
	case GUID:
		return guidLiteral(x)
	}
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return "null", nil
		}
		rv = rv.Elem()
		switch x := rv.Interface().(type) {
		case time.Time:
			return timeLiteral(x)
		case GUID:
			return guidLiteral(x)
		}
	}
	return kindLiteral(rv)
}

func kindLiteral(rv reflect.Value) (string, error) {
	switch rv.Kind() {
	case reflect.String:
		return stringLiteral(rv.String())
	case reflect.Bool:
		return strconv.FormatBool(rv.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(rv.Uint(), 10), nil
	case reflect.Float32:
		return floatLiteral(rv.Float(), 32), nil
	case reflect.Float64:
		return floatLiteral(rv.Float(), 64), nil
	}
	return "", fmt.Errorf("%w of type %s", ErrUnsupportedValue, rv.Type())
}

// stringLiteral quotes s. Doubling ' is OData's only escape inside a
// string literal, and it is enough: the literal can end only at a single '.
func stringLiteral(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("%w: string %q is not valid UTF-8", ErrUnsupportedValue, s)
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'", nil
}

func floatLiteral(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "INF"
	case math.IsInf(f, -1):
		return "-INF"
	}
	return strconv.FormatFloat(f, 'g', -1, bits)
}

// timeLiteral writes t in UTC, because Graph compares instants and a fixed
// zone keeps logs and tests stable.
func timeLiteral(t time.Time) (string, error) {
	t = t.UTC()
	if y := t.Year(); y < 0 || y > 9999 {
		return "", fmt.Errorf("%w: time %v outside years 0-9999", ErrUnsupportedValue, t)
	}
	return t.Format(time.RFC3339Nano), nil
}

// checkField reports a field name that is not an OData member path, naming
// the builder method and the field.
func checkField(method, field string) error {
	if validPath(field) {
		return nil
	}
	return fmt.Errorf("query: %s: field %q: %w", method, field, ErrInvalidField)
}

// validPath reports whether p is a member path: segments separated by '/',
// each an identifier that may contain '.' (type casts such as
// microsoft.graph.fileAttachment) and '@' (annotations such as
// @odata.type). Anything else, notably spaces, quotes and parentheses,
// could change the meaning of the query text.
func validPath(p string) bool {
	if p == "" {
		return false
	}
	for _, seg := range strings.Split(p, "/") {
		if !validSegment(seg) {
			return false
		}
	}
	return true
}

func validSegment(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || r == '@' || unicode.IsLetter(r):
		case r == '.' || unicode.IsDigit(r):
			if i == 0 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// validVariable reports whether v can name a lambda variable: a plain
// identifier, since it starts member paths inside the lambda.
func validVariable(v string) bool {
	return validSegment(v) && !strings.ContainsAny(v, ".@")
}

// GUID is a value of an Edm.Guid property, such as the skuId of a
// licence: Literal writes it without quotes, which Graph needs to compare
// it (query.Eq("l/skuId", query.GUID(sku))).
type GUID string

// guidLiteral checks g has a GUID's form, 8-4-4-4-12 hexadecimal digits,
// so it cannot carry anything else into the filter unquoted.
func guidLiteral(g GUID) (string, error) {
	s := string(g)
	ok := len(s) == 36
	for i := 0; ok && i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			ok = c == '-'
		default:
			ok = '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
		}
	}
	if !ok {
		return "", fmt.Errorf("%w: %q is not a GUID", ErrUnsupportedValue, s)
	}
	return s, nil
}
