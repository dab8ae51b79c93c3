package orderhint_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/go-o365/o365/graphtest/internal/orderhint"
)

// TestPlaceBetweenNeighbours inserts items at random places, as clients
// compose "{previous} {next}!" from the hints they see, and checks every
// new hint sorts exactly where it was asked to go, stays short, and never
// ends in the zero digit (which would leave no room below it).
func TestPlaceBetweenNeighbours(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	var hints []string // kept sorted
	for i := range 500 {
		var h string
		pos := 0
		switch {
		case i%7 == 0:
			h = orderhint.First(hints)
		default:
			pos = r.IntN(len(hints) + 1)
			prev, next := "", ""
			if pos > 0 {
				prev = hints[pos-1]
			}
			if pos < len(hints) {
				next = hints[pos]
			}
			h = orderhint.Place(prev+" "+next+"!", hints)
		}
		if pos > 0 && h <= hints[pos-1] || pos < len(hints) && h >= hints[pos] {
			t.Fatalf("insert %d at %d: %q not between neighbours of %q", i, pos, h, hints)
		}
		if h == "" || strings.HasSuffix(h, "0") || len(h) > 40 {
			t.Fatalf("insert %d: bad hint %q", i, h)
		}
		hints = slices.Insert(hints, pos, h)
	}
	if !slices.IsSorted(hints) {
		t.Fatal("hints out of order")
	}
}

// TestFirst checks an item created without a hint goes before all.
func TestFirst(t *testing.T) {
	if h := orderhint.First(nil); h == "" {
		t.Fatal("first hint of no siblings is empty")
	}
	sib := []string{"V", "1", "k"}
	if h := orderhint.First(sib); h >= "1" {
		t.Errorf("First(%q) = %q, not before all", sib, h)
	}
}
