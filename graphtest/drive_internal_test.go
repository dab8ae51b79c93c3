package graphtest

import (
	"bytes"
	"encoding/base64"
	"io"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// naiveQuickXor is Microsoft's QuickXorHash by its definition: byte i is
// XORed in at bit 11*i mod 160 of a circular 160-bit register, then the
// length is XORed into the last 8 bytes.
func naiveQuickXor(data []byte) string {
	var reg [20]byte
	for i, b := range data {
		start := i * 11 % 160
		for bit := range 8 {
			if b>>bit&1 == 1 {
				p := (start + bit) % 160
				reg[p/8] ^= 1 << (p % 8)
			}
		}
	}
	for i := range 8 {
		reg[12+i] ^= byte(uint64(len(data)) >> (8 * i))
	}
	return base64.StdEncoding.EncodeToString(reg[:])
}

// TestContentBlocks checks that content kept in deduplicated blocks reads
// back exactly, seeks, and hashes as the definition says, also when
// assembled from chunks that start anywhere.
func TestContentBlocks(t *testing.T) {
	bs := newBlockStore()
	r := rand.New(rand.NewPCG(1, 1))
	pattern := make([]byte, blockSize)
	for i := range pattern {
		pattern[i] = byte(r.Uint32())
	}
	var data []byte
	for range 5 {
		data = append(data, pattern...)
	}
	data = append(data, pattern[:777]...)
	c := bs.contentOf(data)
	if !bytes.Equal(c.bytes(), data) || c.size != int64(len(data)) {
		t.Fatal("content differs")
	}
	if n := len(bs.m); n != 2 {
		t.Errorf("five equal blocks and a tail are stored as %d blocks, want 2", n)
	}
	if got, want := c.quickXorHash(), naiveQuickXor(data); got != want {
		t.Errorf("quickXorHash = %s, want %s", got, want)
	}
	// Chunks of odd sizes, joined as an upload session joins them.
	var parts []*content
	for rest := data; len(rest) > 0; {
		k := min(len(rest), 1+r.IntN(100_000))
		parts = append(parts, bs.contentOf(rest[:k]))
		rest = rest[k:]
	}
	joined := concat(parts...)
	if !bytes.Equal(joined.bytes(), data) || joined.quickXorHash() != naiveQuickXor(data) {
		t.Fatal("joined chunks differ")
	}
	rd := joined.reader()
	for range 50 {
		off := r.Int64N(int64(len(data)))
		if _, err := rd.Seek(off, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 1+r.IntN(200_000))
		n, _ := io.ReadFull(rd, buf)
		if !bytes.Equal(buf[:n], data[off:off+int64(n)]) {
			t.Fatalf("reading %d bytes at %d differs", n, off)
		}
	}
	if _, err := bs.readContent(bytes.NewReader(data), 1000); err != errTooLarge {
		t.Errorf("a body over the limit: %v", err)
	}
}

func TestUploadSessionRanges(t *testing.T) {
	bs := newBlockStore()
	u := &uploadSession{size: 100}
	if got := u.nextExpected(); !slices.Equal(got, []string{"0-"}) {
		t.Fatalf("fresh: %v", got)
	}
	u.parts = []part{{start: 0, data: bs.contentOf(make([]byte, 26))}, {start: 50, data: bs.contentOf(make([]byte, 10))}}
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
