package drive

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// PathSegment escapes s as one segment of a Graph URL path. On top of
// url.PathEscape it escapes ':', which Graph reads as the start or end of
// a path (root:/a/b:), and keeps ',', which site ids are made of. The
// sharepoint package addresses sites and lists with it too.
func PathSegment(s string) string {
	e := url.PathEscape(s)
	e = strings.ReplaceAll(e, ":", "%3A")
	return strings.ReplaceAll(e, "%2C", ",")
}

// EscapePath turns a slash-separated path into its escaped form, segment
// by segment: "Q1 #2/100%.txt" becomes "Q1%20%232/100%25.txt". Empty
// segments (leading, trailing or doubled slashes) are dropped; "." and
// ".." are refused, since Graph has no such names and a server may
// resolve them against the URL. An empty result is no error: whether the
// path must name something is the caller's to say.
func EscapePath(p string) (string, error) {
	var segs []string
	for _, s := range strings.Split(p, "/") {
		switch s {
		case "":
			continue
		case ".", "..":
			return "", fmt.Errorf("o365: path %q: segment %q is not a name", p, s)
		}
		segs = append(segs, PathSegment(s))
	}
	return strings.Join(segs, "/"), nil
}

// escapePath is EscapePath for a path relative to a folder, which must
// name an item.
func escapePath(p string) (string, error) {
	e, err := EscapePath(p)
	if err == nil && e == "" {
		err = fmt.Errorf("o365: drive path %q names no item", p)
	}
	return e, err
}

// searchSegment is the function segment search(q='text'), with the text
// OData-quoted and then escaped for the path.
func searchSegment(text string) (string, error) {
	if strings.TrimSpace(text) == "" {
		return "", errors.New("o365: drive search: the text is empty")
	}
	return "search(q='" + PathSegment(strings.ReplaceAll(text, "'", "''")) + "')", nil
}

// needID reports an empty id, which would otherwise address the
// collection rather than an item.
func needID(what, id string) error {
	if id == "" {
		return fmt.Errorf("o365: %s: the id is empty", what)
	}
	return nil
}
