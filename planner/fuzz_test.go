package planner_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/planner"
)

// Reference keys: decoding undoes encoding for any URL, and the encoded
// key holds none of the characters OData property names cannot.
func FuzzReferenceKeys(f *testing.F) {
	for _, s := range []string{"https://contoso.com/a.docx", "http://a@b:1/x#y", "%2E%25", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		key := planner.EncodeReferenceKey(raw)
		if got := planner.DecodeReferenceKey(key); got != raw {
			t.Fatalf("Decode(Encode(%q)) = %q via %q", raw, got, key)
		}
		for _, c := range []byte(".:@#") {
			for i := 0; i < len(key); i++ {
				if key[i] == c {
					t.Fatalf("Encode(%q) = %q holds %q", raw, key, c)
				}
			}
		}
	})
}

// OrderHintBetween either refuses with ErrMalformedOrderHint or composes
// a hint that is valid to send and, between hints of Graph's kind (no
// spaces, no '!'), sorts between its neighbours. (Between composed hints
// the order can differ: Graph reads those by their structure.)
func FuzzOrderHintBetween(f *testing.F) {
	f.Add("5637", "adhg")
	f.Add("", "")
	f.Add("b", "a")
	f.Add("x\x00", "")
	f.Fuzz(func(t *testing.T, prev, next string) {
		h, err := planner.OrderHintBetween(prev, next)
		if err != nil {
			if !errors.Is(err, planner.ErrMalformedOrderHint) {
				t.Fatalf("error %v does not match ErrMalformedOrderHint", err)
			}
			return
		}
		if err := planner.CheckOrderHint(h); err != nil {
			t.Fatalf("OrderHintBetween(%q, %q) = %q, which CheckOrderHint refuses: %v", prev, next, h, err)
		}
		if strings.ContainsAny(prev+next, " !") {
			return
		}
		if (prev != "" && !(prev < h)) || (next != "" && !(h < next)) {
			t.Fatalf("OrderHintBetween(%q, %q) = %q does not sort between them", prev, next, h)
		}
	})
}

// Any JSON decodes into TaskDetails without a panic, and references that
// decode encode back to keys that decode to the same URLs.
func FuzzDecodeTaskDetails(f *testing.F) {
	f.Add([]byte(`{"references":{"https%3A//a%2Eb":{"alias":"x"}},"checklist":{"g":{"title":"t","isChecked":true}}}`))
	f.Add([]byte(`{"references":null}`))
	f.Add([]byte(`{"references":[1]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var d planner.TaskDetails
		if api.Unmarshal(data, &d) != nil {
			return
		}
		again, err := api.Marshal(&d)
		if err != nil {
			t.Fatalf("encoding decoded details: %v", err)
		}
		var back planner.TaskDetails
		if err := api.Unmarshal(again, &back); err != nil {
			t.Fatalf("decoding %s: %v", again, err)
		}
		for u := range d.References {
			if _, ok := back.References[u]; !ok {
				t.Fatalf("reference %q lost in %s", u, again)
			}
		}
	})
}
