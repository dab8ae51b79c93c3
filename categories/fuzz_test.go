package categories_test

import (
	"strings"
	"testing"

	"github.com/go-o365/o365/categories"
)

// FuzzColor checks colour parsing: a valid colour has a name that reads
// back to it, an invalid one has none, and nothing panics.
func FuzzColor(f *testing.F) {
	for _, s := range []string{"preset0", "Preset24", "none", "preset25", "preset07", "preset-1", "", "red"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := categories.Color(s)
		if !c.Valid() {
			if c.Name() != "" {
				t.Fatalf("invalid %q has name %q", s, c.Name())
			}
			return
		}
		back, err := categories.ColorNamed(c.Name())
		if err != nil || !strings.EqualFold(string(back), s) {
			t.Fatalf("%q: name %q reads back as %q, %v", s, c.Name(), back, err)
		}
	})
}
