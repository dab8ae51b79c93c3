package workbook_test

import (
	"testing"

	"github.com/go-o365/o365/graphtest/internal/workbook"
)

func TestParseSegment(t *testing.T) {
	for _, tc := range []struct {
		seg, name, key string
		args           map[string]string
	}{
		{"worksheets", "worksheets", "", nil},
		{"worksheets('Sheet 1')", "worksheets", "Sheet 1", map[string]string{}},
		{"Range(address='A1:B2')", "Range", "", map[string]string{"address": "A1:B2"}},
		{"range(address='''It''''s''!A1')", "range", "", map[string]string{"address": "'It''s'!A1"}},
		{"itemAt(index=6)", "itemAt", "", map[string]string{"index": "6"}},
		{"usedRange(valuesOnly=true)", "usedRange", "", map[string]string{"valuesonly": "true"}},
		{"image(width=0,height=0,fittingMode='fit')", "image", "", map[string]string{"width": "0", "height": "0", "fittingmode": "fit"}},
	} {
		name, key, args := workbook.ParseSegment(tc.seg)
		if name != tc.name || key != tc.key || len(args) != len(tc.args) {
			t.Errorf("%s: %q %q %v", tc.seg, name, key, args)
		}
		for k, v := range tc.args {
			if args[k] != v {
				t.Errorf("%s: %s = %q, want %q", tc.seg, k, args[k], v)
			}
		}
	}
}

// FuzzWorkbookSegments feeds request segments and addresses to the
// parsers the workbook routes use: they may refuse, never panic, and
// an address they accept lies inside the grid.
func FuzzWorkbookSegments(f *testing.F) {
	for _, s := range []string{"range(address='A1:B2')", "worksheets('x')", "itemAt(index=1)", "A1", "'a b'!$A$1:$C$3", "A:C", "2:4", "(", "a(b", "x(')", "A0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		workbook.ParseSegment(s)
		if a, err := workbook.ParseAddress(s); err == nil {
			if a.R1 < 1 || a.C1 < 1 || a.R2 > workbook.MaxRows || a.C2 > workbook.MaxCols || a.R1 > a.R2 || a.C1 > a.C2 {
				t.Fatalf("%q: %+v", s, a)
			}
		}
	})
}
