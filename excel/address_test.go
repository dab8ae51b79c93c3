package excel_test

import (
	"testing"

	"github.com/go-o365/o365/excel"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseAddress(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want excel.Address
		out  string
	}{
		{"A1", excel.Address{Col1: 1, Row1: 1, Col2: 1, Row2: 1}, "A1"},
		{"b2:a1", excel.Address{Col1: 1, Row1: 1, Col2: 2, Row2: 2}, "A1:B2"},
		{"$C$3:$AA$10", excel.Address{Col1: 3, Row1: 3, Col2: 27, Row2: 10}, "C3:AA10"},
		{"Sheet1!A1:C3", excel.Address{Sheet: "Sheet1", Col1: 1, Row1: 1, Col2: 3, Row2: 3}, "Sheet1!A1:C3"},
		{"'Q1 sales'!B2", excel.Address{Sheet: "Q1 sales", Col1: 2, Row1: 2, Col2: 2, Row2: 2}, "'Q1 sales'!B2"},
		{"'It''s'!A1", excel.Address{Sheet: "It's", Col1: 1, Row1: 1, Col2: 1, Row2: 1}, "'It''s'!A1"},
		{"'2026'!A1", excel.Address{Sheet: "2026", Col1: 1, Row1: 1, Col2: 1, Row2: 1}, "'2026'!A1"},
		{"A:C", excel.Address{Col1: 1, Row1: 1, Col2: 3, Row2: excel.MaxRows, WholeColumns: true}, "A:C"},
		{"2:4", excel.Address{Col1: 1, Row1: 2, Col2: excel.MaxColumns, Row2: 4, WholeRows: true}, "2:4"},
		{"XFD1048576", excel.Address{Col1: excel.MaxColumns, Row1: excel.MaxRows, Col2: excel.MaxColumns, Row2: excel.MaxRows}, "XFD1048576"},
	} {
		got, err := excel.ParseAddress(tc.in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
		assert.Equal(t, tc.out, got.String(), tc.in)
	}
	a, _ := excel.ParseAddress("B2:D5")
	assert.Equal(t, 4, a.Rows())
	assert.Equal(t, 3, a.Columns())
	assert.False(t, a.Unbounded())
	assert.Equal(t, "A", excel.ColumnName(1))
	assert.Equal(t, "Z", excel.ColumnName(26))
	assert.Equal(t, "AA", excel.ColumnName(27))
	assert.Equal(t, "XFD", excel.ColumnName(16384))
}

// FuzzParseAddress checks that whatever is parsed writes back to an
// address that parses to the same thing, and that nothing panics.
func FuzzParseAddress(f *testing.F) {
	for _, s := range []string{"A1", "Sheet1!A1:C3", "'a''b'!$B$2", "A:C", "2:4", "XFD1048576", "A0", "'x!A1", "!", "A1:B", "1A"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := excel.ParseAddress(s)
		if err != nil {
			return
		}
		b, err := excel.ParseAddress(a.String())
		if err != nil {
			t.Fatalf("%q parsed to %+v, whose String %q does not parse: %v", s, a, a.String(), err)
		}
		if a != b {
			t.Fatalf("%q: %+v, then %+v through %q", s, a, b, a.String())
		}
		if a.Col1 < 1 || a.Col2 > excel.MaxColumns || a.Row1 < 1 || a.Row2 > excel.MaxRows || a.Col1 > a.Col2 || a.Row1 > a.Row2 {
			t.Fatalf("%q: bounds out of the grid: %+v", s, a)
		}
	})
}
