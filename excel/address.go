package excel

import (
	"fmt"
	"strconv"
	"strings"
)

// Excel's grid limits: columns A to XFD, rows 1 to 1,048,576.
const (
	MaxColumns = 16384
	MaxRows    = 1048576
)

// Address is a parsed A1-style range address such as "Sheet1!A1:C3",
// "'Q1 figures'!$B$2", "A:C" (whole columns) or "2:4" (whole rows).
// Rows and columns count from 1. A whole-column address has Row1 = 1 and
// Row2 = MaxRows, a whole-row one Col1 = 1 and Col2 = MaxColumns.
type Address struct {
	Sheet        string // "" when the address names no worksheet
	Col1, Row1   int    // top-left cell
	Col2, Row2   int    // bottom-right cell (equal to the top-left for one cell)
	WholeColumns bool   // "A:C"
	WholeRows    bool   // "2:4"
}

// ParseAddress reads an A1-style address. It accepts an optional sheet
// name before '!' (quoted with single quotes when it holds spaces or
// punctuation, a quote inside written twice), absolute markers ('$'),
// one cell or two corners in any order, whole columns ("A:C") and whole
// rows ("2:4"). Anything else is an error that names what is wrong.
func ParseAddress(s string) (Address, error) {
	var a Address
	if strings.TrimSpace(s) == "" {
		return a, fmt.Errorf("o365: excel: empty range address")
	}
	ref := s
	if i := strings.LastIndexByte(s, '!'); i >= 0 {
		sheet, err := parseSheetName(s[:i])
		if err != nil {
			return a, fmt.Errorf("o365: excel: range address %q: %w", s, err)
		}
		a.Sheet, ref = sheet, s[i+1:]
	}
	if ref == "" {
		return a, fmt.Errorf("o365: excel: range address %q names no cells", s)
	}
	first, second, two := strings.Cut(ref, ":")
	c1, r1, err := parseRef(first)
	if err != nil {
		return a, fmt.Errorf("o365: excel: range address %q: %w", s, err)
	}
	c2, r2 := c1, r1
	if two {
		if c2, r2, err = parseRef(second); err != nil {
			return a, fmt.Errorf("o365: excel: range address %q: %w", s, err)
		}
	}
	switch {
	case c1 > 0 && r1 > 0 && c2 > 0 && r2 > 0:
	case two && r1 == 0 && r2 == 0 && c1 > 0 && c2 > 0:
		a.WholeColumns, r1, r2 = true, 1, MaxRows
	case two && c1 == 0 && c2 == 0 && r1 > 0 && r2 > 0:
		a.WholeRows, c1, c2 = true, 1, MaxColumns
	case !two && (c1 == 0 || r1 == 0):
		return a, fmt.Errorf("o365: excel: range address %q: a single cell needs a column and a row, like A1", s)
	default:
		return a, fmt.Errorf("o365: excel: range address %q mixes a cell with a whole row or column", s)
	}
	a.Col1, a.Col2 = min(c1, c2), max(c1, c2)
	a.Row1, a.Row2 = min(r1, r2), max(r1, r2)
	return a, nil
}

// parseSheetName reads the part before '!': a bare name or a quoted one.
func parseSheetName(s string) (string, error) {
	if s == "" {
		return "", fmt.Errorf("the worksheet name before '!' is empty")
	}
	if s[0] == '\'' {
		if len(s) < 3 || s[len(s)-1] != '\'' {
			return "", fmt.Errorf("the quoted worksheet name %s is not closed", s)
		}
		inner := s[1 : len(s)-1]
		if strings.Contains(strings.ReplaceAll(inner, "''", ""), "'") {
			return "", fmt.Errorf("a quote inside the worksheet name %s must be written twice", s)
		}
		return strings.ReplaceAll(inner, "''", "'"), nil
	}
	if strings.ContainsAny(s, " '!:[]*?/\\") {
		return "", fmt.Errorf("the worksheet name %q must be quoted, like '%s'", s, strings.ReplaceAll(s, "'", "''"))
	}
	return s, nil
}

// parseRef reads "A1", "$A$1", "A" (column only) or "1" (row only); a
// part that is absent is 0.
func parseRef(s string) (col, row int, err error) {
	orig := s
	s = strings.TrimPrefix(s, "$")
	i := 0
	for i < len(s) && isLetter(s[i]) {
		col = col*26 + int(upper(s[i])-'A'+1)
		i++
		if col > MaxColumns {
			return 0, 0, fmt.Errorf("column of %q is beyond XFD, the last column", orig)
		}
	}
	rest := s[i:]
	if i > 0 {
		rest = strings.TrimPrefix(rest, "$")
	}
	if rest != "" {
		n, perr := strconv.Atoi(rest)
		if perr != nil || rest[0] == '+' || rest[0] == '-' {
			return 0, 0, fmt.Errorf("%q is not a cell reference like A1", orig)
		}
		if n < 1 || n > MaxRows {
			return 0, 0, fmt.Errorf("row of %q is outside 1 to %d", orig, MaxRows)
		}
		row = n
	}
	if col == 0 && row == 0 {
		return 0, 0, fmt.Errorf("%q is not a cell reference like A1", orig)
	}
	return col, row, nil
}

func isLetter(b byte) bool { return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') }

func upper(b byte) byte {
	if b >= 'a' {
		return b - 'a' + 'A'
	}
	return b
}

// Rows is the number of rows the address spans.
func (a Address) Rows() int { return a.Row2 - a.Row1 + 1 }

// Columns is the number of columns the address spans.
func (a Address) Columns() int { return a.Col2 - a.Col1 + 1 }

// Unbounded reports a whole-column or whole-row address, which Graph
// does not let cell values be written to.
func (a Address) Unbounded() bool { return a.WholeColumns || a.WholeRows }

// String writes the address back in A1 form, with the sheet name quoted
// when it needs to be.
func (a Address) String() string {
	var b strings.Builder
	if a.Sheet != "" {
		b.WriteString(QuoteSheet(a.Sheet))
		b.WriteByte('!')
	}
	b.WriteString(a.Local())
	return b.String()
}

// Local is the address without its sheet name, e.g. "A1:C3".
func (a Address) Local() string {
	switch {
	case a.WholeColumns:
		return ColumnName(a.Col1) + ":" + ColumnName(a.Col2)
	case a.WholeRows:
		return strconv.Itoa(a.Row1) + ":" + strconv.Itoa(a.Row2)
	}
	s := ColumnName(a.Col1) + strconv.Itoa(a.Row1)
	if a.Col2 != a.Col1 || a.Row2 != a.Row1 {
		s += ":" + ColumnName(a.Col2) + strconv.Itoa(a.Row2)
	}
	return s
}

// QuoteSheet quotes a worksheet name for an address when it holds
// anything but letters, digits, '_' and '.'.
func QuoteSheet(name string) string {
	plain := name != ""
	for i := 0; i < len(name) && plain; i++ {
		c := name[i]
		plain = isLetter(c) || (c >= '0' && c <= '9') || c == '_' || c == '.'
	}
	if plain && !(name[0] >= '0' && name[0] <= '9') {
		return name
	}
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}

// ColumnName turns a 1-based column number into its letters: 1 is "A",
// 27 is "AA", 16384 is "XFD".
func ColumnName(n int) string {
	var b [4]byte
	i := len(b)
	for n > 0 {
		n--
		i--
		b[i] = byte('A' + n%26)
		n /= 26
	}
	return string(b[i:])
}
