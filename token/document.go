package token

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ErrCorrupt is wrapped by the errors of FileBackend and EnvBackend when the
// stored document cannot be decoded. Neither backend overwrites such a
// document: a human should look at it first.
var ErrCorrupt = errors.New("corrupt token file")

// formatVersion is the only document version this package reads and writes.
const formatVersion = 1

// document is the stored form shared by FileBackend and EnvBackend. Users is
// a list rather than an object so that the first-stored order survives.
//
// The token package uses encoding/json directly rather than the api
// package's engine switch: token files are small and off the hot path, and
// it keeps this package free of imports from the rest of the module.
type document struct {
	Version int     `json:"version"`
	Users   []entry `json:"users"`
}

type entry struct {
	Username string `json:"username"`
	Token    *Token `json:"token"`
}

func newDocument() *document {
	return &document{Version: formatVersion, Users: []entry{}}
}

func (d *document) index(username string) int {
	return slices.IndexFunc(d.Users, func(e entry) bool { return e.Username == username })
}

func (d *document) get(username string) (*Token, error) {
	i := d.index(username)
	if i < 0 {
		return nil, notFound(username)
	}
	return d.Users[i].Token.clone(), nil
}

func (d *document) put(username string, t *Token) {
	if i := d.index(username); i >= 0 {
		d.Users[i].Token = t.clone()
		return
	}
	d.Users = append(d.Users, entry{Username: username, Token: t.clone()})
}

// remove deletes the user and reports whether there was one to delete.
func (d *document) remove(username string) bool {
	i := d.index(username)
	if i < 0 {
		return false
	}
	d.Users = slices.Delete(d.Users, i, i+1)
	return true
}

func (d *document) usernames() []string {
	names := make([]string, len(d.Users))
	for i, e := range d.Users {
		names[i] = e.Username
	}
	return names
}

func (d *document) encode(indent bool) ([]byte, error) {
	if indent {
		b, err := json.MarshalIndent(d, "", "  ")
		return append(b, '\n'), err
	}
	return json.Marshal(d)
}

// decodeDocument parses a stored document. Every error wraps ErrCorrupt and
// describes the fault without quoting the input, which holds secrets.
func decodeDocument(data []byte) (*document, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, corrupt("empty")
	}
	var d document
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, corrupt(describeJSONError(err))
	}
	switch {
	case d.Version == 0:
		return nil, corrupt("no version")
	case d.Version != formatVersion:
		return nil, corrupt(fmt.Sprintf("unsupported version %d, want %d", d.Version, formatVersion))
	}
	seen := make(map[string]bool, len(d.Users))
	for i, e := range d.Users {
		switch {
		case e.Username == "":
			return nil, corrupt(fmt.Sprintf("user #%d has no username", i+1))
		case e.Token == nil:
			return nil, corrupt(fmt.Sprintf("user %q has no token", e.Username))
		case seen[e.Username]:
			return nil, corrupt(fmt.Sprintf("user %q appears twice", e.Username))
		}
		seen[e.Username] = true
	}
	if d.Users == nil {
		d.Users = []entry{}
	}
	return &d, nil
}

func corrupt(reason string) error {
	return fmt.Errorf("%w (%s)", ErrCorrupt, reason)
}

// describeJSONError rewords a decoding error, because encoding/json and
// time.Time quote the offending input, and the input holds tokens.
func describeJSONError(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var parse *time.ParseError
	switch {
	case errors.As(err, &syntax) && strings.HasPrefix(syntax.Error(), "unexpected end"):
		return fmt.Sprintf("truncated at byte %d", syntax.Offset)
	case errors.As(err, &syntax):
		return fmt.Sprintf("invalid JSON at byte %d", syntax.Offset)
	case errors.As(err, &typ) && typ.Field == "":
		return "not a JSON object"
	case errors.As(err, &typ):
		got, _, _ := strings.Cut(typ.Value, " ") // "number 42" carries the number
		return fmt.Sprintf("field %s holds a JSON %s, want %s", typ.Field, got, typ.Type)
	case errors.As(err, &parse), strings.HasPrefix(err.Error(), "Time."):
		return "expires_at is not an RFC 3339 time"
	default:
		return "invalid value"
	}
}
