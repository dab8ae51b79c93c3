package drive_test

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/drive"
	"github.com/go-o365/o365/internal/wiretest"
)

// FuzzDecodeItems feeds arbitrary bytes to the decoding of a page of
// items, as a list reads Graph's answers: it must never panic, and what
// decodes must encode and decode to the same value.
func FuzzDecodeItems(f *testing.F) {
	for _, e := range wiretest.Load(f, "testdata/examples.json") {
		if len(e.ResponseBody) > 0 {
			f.Add([]byte(e.ResponseBody))
		}
	}
	f.Add([]byte(`{"value":[{"id":"1","file":{"hashes":{"quickXorHash":"x"}},"size":-1,"createdDateTime":"not a time"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var page api.Page[*drive.DriveItem]
		if err := api.Unmarshal(data, &page); err != nil {
			return
		}
		again, err := api.Marshal(page)
		if err != nil {
			t.Fatalf("a decoded page does not encode: %v", err)
		}
		var twice api.Page[*drive.DriveItem]
		if err := api.Unmarshal(again, &twice); err != nil {
			t.Fatalf("the library's own encoding does not decode: %v\n%s", err, again)
		}
		third, _ := api.Marshal(twice)
		if string(third) != string(again) {
			t.Fatalf("encoding is not stable:\n%s\n%s", again, third)
		}
	})
}

// FuzzQuickXorHash compares the hash with its definition, bit by bit.
func FuzzQuickXorHash(f *testing.F) {
	for _, v := range quickXorVectors {
		b, _ := base64.StdEncoding.DecodeString(v.in)
		f.Add(b, uint8(7))
	}
	f.Fuzz(func(t *testing.T, data []byte, split uint8) {
		want := naiveQuickXor(data)
		h := drive.NewQuickXorHash()
		step := int(split)%200 + 1
		for rest := data; len(rest) > 0; {
			k := min(step, len(rest))
			h.Write(rest[:k])
			rest = rest[k:]
		}
		if got := base64.StdEncoding.EncodeToString(h.Sum(nil)); got != want {
			t.Fatalf("QuickXorHash(%x) = %s, want %s", data, got, want)
		}
	})
}

// pathRecorder answers every request with 404 after noting its URL, so a
// fuzz target sees exactly what the library would send.
type pathRecorder struct{ last *url.URL }

func (p *pathRecorder) Do(r *http.Request) (*http.Response, error) {
	p.last = r.URL
	if strings.HasSuffix(r.URL.Path, "/drive") {
		return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader(`{"id":"b!drive"}`)), Request: r}, nil
	}
	return nil, &api.GraphError{StatusCode: 404, Code: "itemNotFound"}
}
func (p *pathRecorder) Get(ctx context.Context, u string, params api.Params) (*http.Response, error) {
	req, _ := api.NewRequest(ctx, http.MethodGet, u, params, nil)
	return p.Do(req)
}
func (p *pathRecorder) Post(context.Context, string, any) (*http.Response, error)  { panic("unused") }
func (p *pathRecorder) Patch(context.Context, string, any) (*http.Response, error) { panic("unused") }
func (p *pathRecorder) Put(context.Context, string, any) (*http.Response, error)   { panic("unused") }
func (p *pathRecorder) Delete(context.Context, string) (*http.Response, error)     { panic("unused") }

type testProtocol struct{}

func (testProtocol) ServiceURL() string             { return "https://graph.example/v1.0" }
func (testProtocol) DefaultResource() string        { return "me" }
func (testProtocol) ResourcePath(r string) string   { return r }
func (testProtocol) ScopesFor(n ...string) []string { return n }

// FuzzItemPath checks that any path becomes a request whose path segments
// are exactly the path's names: nothing in a name can end the path early,
// start a query or a fragment, or add a segment.
func FuzzItemPath(f *testing.F) {
	for _, s := range []string{"a/b.txt", "100% #1 'q' (x) [y] ?z=1&w:2", "ünï/日本/😀", "%2F%3A", "a//b/", "a/../b", ":", "\x00\x7f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		rec := &pathRecorder{}
		d, err := drive.New(rec, testProtocol{}).DefaultDrive(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, s := range strings.Split(p, "/") {
			if s != "" {
				names = append(names, s)
			}
		}
		_, err = d.ItemByPath(context.Background(), p)
		var ge *api.GraphError
		if !errors.As(err, &ge) {
			// Refused before sending: only for paths that name nothing or
			// hold "." or "..".
			for _, n := range names {
				if n == "." || n == ".." {
					return
				}
			}
			if len(names) == 0 {
				return
			}
			t.Fatalf("ItemByPath(%q) failed before sending: %v", p, err)
		}
		if rec.last.RawQuery != "" || rec.last.Fragment != "" {
			t.Fatalf("ItemByPath(%q) sent a query or fragment: %s", p, rec.last)
		}
		escaped := rec.last.EscapedPath()
		rest, ok := strings.CutPrefix(escaped, "/v1.0/drives/b%21drive/root:/")
		if !ok || !strings.HasSuffix(rest, ":") {
			t.Fatalf("ItemByPath(%q) sent %s", p, escaped)
		}
		segs := strings.Split(strings.TrimSuffix(rest, ":"), "/")
		if len(segs) != len(names) {
			t.Fatalf("ItemByPath(%q) sent %d segments, want %d: %s", p, len(segs), len(names), escaped)
		}
		for i, s := range segs {
			if strings.ContainsAny(s, ":?#") {
				t.Fatalf("segment %q holds a raw delimiter", s)
			}
			if got, err := url.PathUnescape(s); err != nil || got != names[i] {
				t.Fatalf("segment %q decodes to %q, want %q", s, got, names[i])
			}
		}
	})
}
