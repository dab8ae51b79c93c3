package graphtest

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/go-o365/o365/graphtest/internal/blockstore"
)

func TestUploadSessionRanges(t *testing.T) {
	bs := blockstore.New()
	u := &uploadSession{size: 100}
	if got := u.nextExpected(); !slices.Equal(got, []string{"0-"}) {
		t.Fatalf("fresh: %v", got)
	}
	u.parts = []part{{start: 0, data: bs.ContentOf(make([]byte, 26))}, {start: 50, data: bs.ContentOf(make([]byte, 10))}}
	if got := u.nextExpected(); !slices.Equal(got, []string{"26-49", "60-"}) {
		t.Fatalf("with a gap: %v", got)
	}
	if !u.overlaps(20, 30) || !u.overlaps(59, 70) || u.overlaps(26, 49) || u.overlaps(60, 99) {
		t.Fatal("overlaps is wrong")
	}
}

func TestParseLocator(t *testing.T) {
	cases := []struct {
		segs      []string
		base, id  string
		path, ops []string
	}{
		{[]string{"root"}, "root", "", nil, nil},
		{[]string{"root", "children"}, "root", "", nil, []string{"children"}},
		{[]string{"root:", "a%20b", "c.txt:", "content"}, "root", "", []string{"a b", "c.txt"}, []string{"content"}},
		{[]string{"root:", "a", "b.txt"}, "root", "", []string{"a", "b.txt"}, nil},
		{[]string{"items", "01AB"}, "item", "01AB", nil, nil},
		{[]string{"items", "01AB:", "x%3Ay.txt:", "createUploadSession"}, "item", "01AB", []string{"x:y.txt"}, []string{"createUploadSession"}},
		{[]string{"special", "approot"}, "special", "approot", nil, nil},
		{[]string{"root", "search(q='it''s')"}, "root", "", nil, []string{"search(q='it''s')"}},
	}
	for _, c := range cases {
		loc, ok := parseLocator(c.segs)
		if !ok || loc.base != c.base || loc.id != c.id || !slices.Equal(loc.path, c.path) || !slices.Equal(loc.ops, c.ops) {
			t.Errorf("parseLocator(%v) = %+v, %v", c.segs, loc, ok)
		}
	}
	if q, ok := functionArg("search(q='it''s here')", "search", "q"); !ok || q != "it's here" {
		t.Errorf("functionArg = %q, %v", q, ok)
	}
}

// FuzzParseLocator checks the parser never panics on what a client may
// send, and that names escaped as the library escapes them come back.
func FuzzParseLocator(f *testing.F) {
	f.Add("a b/c#d/100%", "children")
	f.Add("x:y", "")
	f.Add("", "content")
	f.Fuzz(func(t *testing.T, p, op string) {
		parseLocator(strings.Split(p, "/"))
		var names, segs []string
		for _, n := range strings.Split(p, "/") {
			if n == "" {
				continue
			}
			names = append(names, n)
			segs = append(segs, strings.ReplaceAll(url.PathEscape(n), ":", "%3A"))
		}
		if len(names) == 0 || strings.ContainsAny(op, "/:%") {
			return
		}
		sent := append([]string{"root:"}, segs...)
		sent[len(sent)-1] += ":"
		if op != "" {
			sent = append(sent, url.PathEscape(op))
		}
		loc, ok := parseLocator(sent)
		if !ok || !slices.Equal(loc.path, names) {
			t.Fatalf("parseLocator(%v) = %+v, want path %q", sent, loc, names)
		}
		if op != "" && !slices.Equal(loc.ops, []string{op}) {
			t.Fatalf("parseLocator(%v) ops = %q, want %q", sent, loc.ops, op)
		}
	})
}
