package workbook

import (
	"net/http"
	"strings"
)

// Error is an Excel API error answer: the HTTP status, Graph's code and
// message, and Inner, the second-level (innerError) code.
type Error struct {
	Status               int
	Code, Message, Inner string
}

// Error returns Message, so an *Error reads as the answer it becomes.
func (e *Error) Error() string { return e.Message }

// Invalid is Graph's 400 invalidArgument with msg.
func Invalid(msg string) *Error {
	return &Error{http.StatusBadRequest, "invalidArgument", msg, "invalidArgument"}
}

// NotFound is Graph's 404 itemNotFound for what.
func NotFound(what string) *Error {
	return &Error{http.StatusNotFound, "itemNotFound", "The requested resource doesn't exist: " + what + ".", "itemNotFound"}
}

// Exists is Graph's 400 ItemAlreadyExists, for a name already taken.
func Exists() *Error {
	return &Error{http.StatusBadRequest, "ItemAlreadyExists", "A resource with the same name or identifier already exists.", "itemAlreadyExists"}
}

// ParseSegment splits "worksheets('Sheet1')" into the name and its key
// ("Sheet1"), and "range(address='A1:B2')" into the name and its named
// arguments. A segment without parentheses has neither.
func ParseSegment(seg string) (name, key string, args map[string]string) {
	open := strings.IndexByte(seg, '(')
	if open < 0 || !strings.HasSuffix(seg, ")") {
		return seg, "", nil
	}
	name, inner := seg[:open], seg[open+1:len(seg)-1]
	args = map[string]string{}
	for inner != "" {
		var part string
		part, inner = cutArg(inner)
		k, v, named := strings.Cut(part, "=")
		if !named || strings.HasPrefix(strings.TrimSpace(part), "'") {
			key = Unquote(strings.TrimSpace(part))
			continue
		}
		args[strings.ToLower(strings.TrimSpace(k))] = Unquote(strings.TrimSpace(v))
	}
	return name, key, args
}

// cutArg takes one comma-separated argument, minding quotes.
func cutArg(s string) (string, string) {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\'':
			quoted = !quoted
		case ',':
			if !quoted {
				return s[:i], s[i+1:]
			}
		}
	}
	return s, ""
}

// Unquote strips an argument's quotes: single quotes, a doubled one
// inside standing for one (OData strings and sheet names), or double quotes.
func Unquote(s string) string {
	if len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
		return strings.ReplaceAll(s[1:len(s)-1], "''", "'")
	}
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}
