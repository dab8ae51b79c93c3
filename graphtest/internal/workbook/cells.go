package workbook

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"strconv"
	"strings"
)

// The grid's bounds, Excel's: a whole-column address (A:C) runs to
// MaxRows, a whole-row one (2:4) to MaxCols.
const (
	MaxCols = 16384
	MaxRows = 1048576
)

// Book is a workbook: worksheets in their order, tables and names.
type Book struct {
	Sheets    []*Sheet
	Tables    []*Table
	Names     []*Name
	nextSheet int
	NextTable int
	nextChart int
}

// Sheet holds its cells and formats sparsely, keyed by CellKey.
type Sheet struct {
	ID, Name, Visibility string
	Cells                map[uint64]Cell
	Charts               []*Chart
	formats              map[uint64]format
	colWidth             map[int]float64
	rowHeight            map[int]float64
}

// Cell is a cell's content: value is float64, string or bool; a
// formula cell has formula set and its value computed on reading.
type Cell struct {
	Value   any
	formula string
	numFmt  string
}

// format is a cell's format; empty fields are Excel's defaults.
type format struct {
	bold, italic        *bool
	fontColor, fontName string
	fontSize            float64
	underline           string
	fill                string
	hAlign, vAlign      string
	wrap                *bool
}

// CellKey is the key of the cell at row and col (1-based) in a sheet's
// sparse maps: one integer, so a map lookup needs no struct hashing.
func CellKey(row, col int) uint64 { return uint64(row)<<16 | uint64(col) }

func keyCell(k uint64) (row, col int) { return int(k >> 16), int(k & 0xffff) }

// New is a new workbook with one worksheet, Sheet1, as Excel starts one.
func New() *Book {
	b := &Book{}
	b.AddSheet("Sheet1")
	return b
}

// AddSheet appends an empty, visible worksheet named name; the caller
// has checked the name (CheckSheetName).
func (b *Book) AddSheet(name string) *Sheet {
	sh := &Sheet{ID: fmt.Sprintf("{00000000-0001-0000-%04X-000000000000}", b.nextSheet<<8), Name: name, Visibility: "Visible",
		Cells: map[uint64]Cell{}, formats: map[uint64]format{}, colWidth: map[int]float64{}, rowHeight: map[int]float64{}}
	b.nextSheet++
	b.Sheets = append(b.Sheets, sh)
	return sh
}

// Clone deep-copies the book for a non-persistent session.
func (b *Book) Clone() *Book {
	c := &Book{nextSheet: b.nextSheet, NextTable: b.NextTable, nextChart: b.nextChart}
	for _, sh := range b.Sheets {
		cp := *sh
		cp.Cells, cp.formats = maps.Clone(sh.Cells), maps.Clone(sh.formats)
		cp.colWidth, cp.rowHeight = maps.Clone(sh.colWidth), maps.Clone(sh.rowHeight)
		cp.Charts = nil
		for _, ch := range sh.Charts {
			cc := *ch
			cp.Charts = append(cp.Charts, &cc)
		}
		c.Sheets = append(c.Sheets, &cp)
	}
	for _, t := range b.Tables {
		cp := *t
		cp.Columns = append([]Column(nil), t.Columns...)
		cp.Filters = maps.Clone(t.Filters)
		c.Tables = append(c.Tables, &cp)
	}
	for _, n := range b.Names {
		cp := *n
		c.Names = append(c.Names, &cp)
	}
	return c
}

// SheetByName finds a worksheet by name, ignoring case as Excel does.
func (b *Book) SheetByName(name string) *Sheet {
	for _, sh := range b.Sheets {
		if strings.EqualFold(sh.Name, name) {
			return sh
		}
	}
	return nil
}

// Sheet finds a worksheet by id or name.
func (b *Book) Sheet(key string) *Sheet {
	for _, sh := range b.Sheets {
		if sh.ID == key {
			return sh
		}
	}
	return b.SheetByName(key)
}

// SheetByID finds a worksheet by id only, for references (tables,
// names) that must not follow a rename.
func (b *Book) SheetByID(id string) *Sheet {
	for _, sh := range b.Sheets {
		if sh.ID == id {
			return sh
		}
	}
	return nil
}

// Addr is a parsed address: 1-based bounds, and the sheet name if given.
type Addr struct {
	Sheet          string
	R1, C1, R2, C2 int
	wholeCols      bool
	wholeRows      bool
}

func (a Addr) rows() int { return a.R2 - a.R1 + 1 }

func (a Addr) cols() int { return a.C2 - a.C1 + 1 }

// Unbounded reports whether a is whole columns or whole rows, whose
// cells Graph neither lists nor writes.
func (a Addr) Unbounded() bool { return a.wholeCols || a.wholeRows }

func (a Addr) local() string {
	switch {
	case a.wholeCols:
		return colName(a.C1) + ":" + colName(a.C2)
	case a.wholeRows:
		return strconv.Itoa(a.R1) + ":" + strconv.Itoa(a.R2)
	}
	s := colName(a.C1) + strconv.Itoa(a.R1)
	if a.R1 != a.R2 || a.C1 != a.C2 {
		s += ":" + colName(a.C2) + strconv.Itoa(a.R2)
	}
	return s
}

// absolute is the address with '$' markers, as names show it.
func (a Addr) absolute() string {
	s := "$" + colName(a.C1) + "$" + strconv.Itoa(a.R1)
	if a.R1 != a.R2 || a.C1 != a.C2 {
		s += ":$" + colName(a.C2) + "$" + strconv.Itoa(a.R2)
	}
	return s
}

func colName(n int) string {
	var b []byte
	for n > 0 {
		n--
		b = append([]byte{byte('A' + n%26)}, b...)
		n /= 26
	}
	return string(b)
}

func quoteSheetName(name string) string {
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.') {
			return "'" + strings.ReplaceAll(name, "'", "''") + "'"
		}
	}
	return name
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// ParseAddress reads "A1", "$A$1:$B$2", "Sheet1!A1:B2", "'Q1 sales'!A:C", "2:4".
func ParseAddress(s string) (Addr, error) {
	var a Addr
	s = strings.TrimPrefix(strings.TrimSpace(s), "=")
	ref := s
	if i := strings.LastIndexByte(s, '!'); i >= 0 {
		a.Sheet, ref = Unquote(s[:i]), s[i+1:]
		if a.Sheet == "" {
			return a, errorf("graphtest: address %q has an empty sheet name", s)
		}
	}
	first, second, two := strings.Cut(ref, ":")
	c1, r1, ok1 := parseXRef(first)
	c2, r2, ok2 := c1, r1, ok1
	if two {
		c2, r2, ok2 = parseXRef(second)
	}
	if !ok1 || !ok2 {
		return a, errorf("graphtest: %q is not an A1 address", s)
	}
	switch {
	case c1 > 0 && r1 > 0 && c2 > 0 && r2 > 0:
	case two && r1 == 0 && r2 == 0 && c1 > 0 && c2 > 0:
		a.wholeCols, r1, r2 = true, 1, MaxRows
	case two && c1 == 0 && c2 == 0 && r1 > 0 && r2 > 0:
		a.wholeRows, c1, c2 = true, 1, MaxCols
	default:
		return a, errorf("graphtest: %q is not an A1 address", s)
	}
	a.R1, a.R2, a.C1, a.C2 = min(r1, r2), max(r1, r2), min(c1, c2), max(c1, c2)
	return a, nil
}

func parseXRef(s string) (col, row int, ok bool) {
	s = strings.TrimPrefix(s, "$")
	i := 0
	for i < len(s) && (s[i] >= 'A' && s[i] <= 'Z' || s[i] >= 'a' && s[i] <= 'z') {
		col = col*26 + int(s[i]|0x20-'a'+1)
		i++
		if col > MaxCols {
			return 0, 0, false
		}
	}
	rest := s[i:]
	if i > 0 {
		rest = strings.TrimPrefix(rest, "$")
	}
	if rest != "" {
		n, err := strconv.Atoi(rest)
		if err != nil || n < 1 || n > MaxRows || rest[0] == '+' || rest[0] == '-' {
			return 0, 0, false
		}
		row = n
	}
	return col, row, col > 0 || row > 0
}

// Range is a resolved range: its sheet and bounds.
type Range struct {
	Sheet *Sheet
	Addr  Addr
}

// Address is the range's address as Graph shows it: Sheet1!A1:B2, the
// sheet name quoted when it needs to be.
func (rg Range) Address() string { return quoteSheetName(rg.Sheet.Name) + "!" + rg.Addr.local() }

// Numeric reports whether s is a plain decimal number, which Excel
// stores as a number when it is written as text.
func Numeric(s string) (float64, bool) {
	t := strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	if t == "" || !(t[0] >= '0' && t[0] <= '9' || t[0] == '.') {
		return 0, false
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// Scalar turns a decoded JSON value (numbers as json.Number) into a
// cell value; ok is false for arrays and objects.
func Scalar(v any) (any, bool) {
	switch x := v.(type) {
	case nil, string, bool:
		return x, true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case float64:
		return x, true
	}
	return nil, false
}

// SetValue writes a value as Graph does: nil leaves the cell, "" clears
// it, "=…" is a formula, a numeric string is a number.
func (sh *Sheet) SetValue(k uint64, v any) {
	if v == nil {
		return
	}
	c := sh.Cells[k]
	switch x := v.(type) {
	case string:
		switch {
		case x == "":
			c.Value, c.formula = nil, ""
		case strings.HasPrefix(x, "=") && len(x) > 1:
			c.Value, c.formula = nil, x
		default:
			if f, ok := Numeric(x); ok {
				c.Value, c.formula = f, ""
			} else {
				c.Value, c.formula = x, ""
			}
		}
	default:
		c.Value, c.formula = x, ""
	}
	if c.Value == nil && c.formula == "" && c.numFmt == "" {
		delete(sh.Cells, k)
		return
	}
	sh.Cells[k] = c
}

// writeGrid applies one grid of a range update: a 2-D array of the
// range's shape, or one value for every cell (Graph's single input
// copy). kind is values, formulas or numberFormat. With check it only
// checks the grid, so that a bad update changes nothing.
func (b *Book) writeGrid(rg Range, kind string, raw any, check bool) *Error {
	if raw == nil {
		return nil
	}
	if rg.Addr.Unbounded() {
		return Invalid("Cell properties can't be set on an unbounded range (whole columns or rows).")
	}
	apply := func(k uint64, v any) *Error {
		v, ok := Scalar(v)
		if !ok {
			return Invalid("A cell value must be a number, a string, a boolean or null.")
		}
		if check {
			return nil
		}
		switch kind {
		case "numberFormat":
			if v == nil {
				return nil
			}
			s, _ := v.(string)
			c := rg.Sheet.Cells[k]
			c.numFmt = s
			if s == "General" {
				c.numFmt = ""
			}
			if c.Value == nil && c.formula == "" && c.numFmt == "" {
				delete(rg.Sheet.Cells, k)
			} else {
				rg.Sheet.Cells[k] = c
			}
		default:
			rg.Sheet.SetValue(k, v)
		}
		return nil
	}
	grid, isGrid := raw.([]any)
	if !isGrid {
		for r := rg.Addr.R1; r <= rg.Addr.R2; r++ {
			for c := rg.Addr.C1; c <= rg.Addr.C2; c++ {
				if e := apply(CellKey(r, c), raw); e != nil {
					return e
				}
			}
		}
		return nil
	}
	if len(grid) != rg.Addr.rows() {
		return Invalid("The number of rows in the input array doesn't match the size or dimensions of the range.")
	}
	for i, row := range grid {
		cells, ok := row.([]any)
		if !ok || len(cells) != rg.Addr.cols() {
			return Invalid("The number of columns in the input array doesn't match the size or dimensions of the range.")
		}
		for j, v := range cells {
			if e := apply(CellKey(rg.Addr.R1+i, rg.Addr.C1+j), v); e != nil {
				return e
			}
		}
	}
	return nil
}

// Value is a cell's value, a formula's computed.
func (b *Book) Value(sh *Sheet, c Cell) any {
	if c.formula == "" {
		return c.Value
	}
	v, err := evalFormula(b, sh, c.formula, 0)
	if err != "" {
		return err
	}
	return v
}

// ValuesGrid is the range's values.
func (b *Book) ValuesGrid(sh *Sheet, a Addr) [][]any {
	out := make([][]any, a.rows())
	flat := make([]any, a.rows()*a.cols())
	for i := range out {
		row := flat[i*a.cols() : (i+1)*a.cols()]
		for j := range row {
			c, ok := sh.Cells[CellKey(a.R1+i, a.C1+j)]
			if ok {
				row[j] = b.Value(sh, c)
			}
			if row[j] == nil {
				row[j] = ""
			}
		}
		out[i] = row
	}
	return out
}

// RangeJSON is a range as Graph shows it; sel, when not empty, names the
// properties to keep ($select).
func (b *Book) RangeJSON(rg Range, sel map[string]bool) map[string]any {
	a := rg.Addr
	m := map[string]any{
		"address": rg.Address(), "addressLocal": rg.Address(),
		"cellCount": a.rows() * a.cols(), "columnCount": a.cols(), "rowCount": a.rows(),
		"columnIndex": a.C1 - 1, "rowIndex": a.R1 - 1,
		"columnHidden": false, "rowHidden": false, "hidden": false,
	}
	if hidden := b.HiddenRows(rg.Sheet); len(hidden) > 0 && !a.Unbounded() {
		// A range whose every row a filter hides reports them hidden.
		all := true
		for r := a.R1; r <= a.R2 && all; r++ {
			all = hidden[r]
		}
		m["rowHidden"], m["hidden"] = all, all
	}
	want := func(k string) bool { return len(sel) == 0 || sel[strings.ToLower(k)] }
	if a.Unbounded() {
		for _, k := range []string{"values", "text", "formulas", "formulasLocal", "formulasR1C1", "numberFormat", "valueTypes"} {
			m[k] = nil
		}
	} else {
		n, cols := a.rows(), a.cols()
		grids := map[string][][]any{}
		for _, k := range []string{"values", "text", "formulas", "numberFormat", "valueTypes"} {
			if want(k) || (k == "formulas" && (want("formulasLocal") || want("formulasR1C1"))) {
				g := make([][]any, n)
				flat := make([]any, n*cols)
				for i := range g {
					g[i] = flat[i*cols : (i+1)*cols]
				}
				grids[k] = g
			}
		}
		for i := 0; i < n; i++ {
			for j := 0; j < cols; j++ {
				c, ok := rg.Sheet.Cells[CellKey(a.R1+i, a.C1+j)]
				var v any
				if ok {
					v = b.Value(rg.Sheet, c)
				}
				if g := grids["values"]; g != nil {
					g[i][j] = OrEmpty(v)
				}
				if g := grids["text"]; g != nil {
					g[i][j] = CellText(v, c.numFmt)
				}
				if g := grids["formulas"]; g != nil {
					if c.formula != "" {
						g[i][j] = c.formula
					} else {
						g[i][j] = OrEmpty(v)
					}
				}
				if g := grids["numberFormat"]; g != nil {
					g[i][j] = cmp.Or(c.numFmt, "General")
				}
				if g := grids["valueTypes"]; g != nil {
					g[i][j] = valueType(v)
				}
			}
		}
		for k, g := range grids {
			m[k] = g
		}
		if f := grids["formulas"]; f != nil {
			m["formulasLocal"], m["formulasR1C1"] = f, f
		}
	}
	if len(sel) > 0 {
		for k := range m {
			if !sel[strings.ToLower(k)] {
				delete(m, k)
			}
		}
	}
	return m
}

// OrEmpty is v, or "" for an empty cell: Graph shows blanks as empty
// strings, never null.
func OrEmpty(v any) any {
	if v == nil {
		return ""
	}
	return v
}

func valueType(v any) string {
	switch x := v.(type) {
	case nil:
		return "Empty"
	case float64:
		return "Double"
	case bool:
		return "Boolean"
	case string:
		if x == "" {
			return "Empty"
		}
		if strings.HasPrefix(x, "#") && strings.HasSuffix(x, "!") || x == "#N/A" || x == "#NAME?" {
			return "Error"
		}
	}
	return "String"
}

// CellText formats a value as Excel shows it: numbers with the decimals
// of a "0.00"-like format, or as short as they go.
func CellText(v any, numFmt string) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		if x {
			return "TRUE"
		}
		return "FALSE"
	case float64:
		if dot := strings.IndexByte(numFmt, '.'); dot >= 0 && strings.Trim(numFmt, "0#,.") == "" {
			return strconv.FormatFloat(x, 'f', len(numFmt)-dot-1, 64)
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		return x
	}
	return fmt.Sprint(v)
}

// UsedRange is the smallest range holding the sheet's used cells (only
// those with values when valuesOnly); A1 when there is none.
func (b *Book) UsedRange(sh *Sheet, valuesOnly bool) Range {
	r1, c1, r2, c2 := 0, 0, 0, 0
	see := func(k uint64) {
		r, c := keyCell(k)
		if r1 == 0 {
			r1, c1, r2, c2 = r, c, r, c
			return
		}
		r1, c1, r2, c2 = min(r1, r), min(c1, c), max(r2, r), max(c2, c)
	}
	for k, c := range sh.Cells {
		if c.Value != nil || c.formula != "" || !valuesOnly {
			see(k)
		}
	}
	if !valuesOnly {
		for k := range sh.formats {
			see(k)
		}
	}
	if r1 == 0 {
		r1, c1, r2, c2 = 1, 1, 1, 1
	}
	return Range{sh, Addr{R1: r1, C1: c1, R2: r2, C2: c2}}
}

// ForCells calls f for every stored cell key of the range, walking
// whichever is smaller: the range or the sheet's map.
func ForCells[V any](m map[uint64]V, a Addr, f func(k uint64)) {
	if a.rows()*a.cols() <= len(m) && !a.Unbounded() {
		for r := a.R1; r <= a.R2; r++ {
			for c := a.C1; c <= a.C2; c++ {
				if _, ok := m[CellKey(r, c)]; ok {
					f(CellKey(r, c))
				}
			}
		}
		return
	}
	for k := range m {
		r, c := keyCell(k)
		if r >= a.R1 && r <= a.R2 && c >= a.C1 && c <= a.C2 {
			f(k)
		}
	}
}

// ClearRange clears contents, formats or both.
func (b *Book) ClearRange(rg Range, applyTo string) *Error {
	contents, formats := true, true
	switch strings.ToLower(applyTo) {
	case "", "all":
	case "contents":
		formats = false
	case "formats":
		contents = false
	default:
		return Invalid("applyTo must be All, Formats or Contents.")
	}
	sh := rg.Sheet
	if contents {
		ForCells(sh.Cells, rg.Addr, func(k uint64) {
			c := sh.Cells[k]
			c.Value, c.formula = nil, ""
			if c.numFmt == "" || formats {
				delete(sh.Cells, k)
			} else {
				sh.Cells[k] = c
			}
		})
	}
	if formats {
		ForCells(sh.formats, rg.Addr, func(k uint64) { delete(sh.formats, k) })
		ForCells(sh.Cells, rg.Addr, func(k uint64) {
			c := sh.Cells[k]
			c.numFmt = ""
			if c.Value == nil && c.formula == "" {
				delete(sh.Cells, k)
			} else {
				sh.Cells[k] = c
			}
		})
	}
	return nil
}

// WriteGrids writes the values, formulas and number formats a PATCH of
// the range sends, all of them checked before any is written.
func (b *Book) WriteGrids(rg Range, body map[string]any) *Error {
	for _, check := range []bool{true, false} {
		for _, kind := range []string{"values", "formulas", "numberFormat"} {
			if e := b.writeGrid(rg, kind, body[kind], check); e != nil {
				return e
			}
		}
	}
	return nil
}

// ApplyFormat sets the properties of body on every cell of the range.
func ApplyFormat(rg Range, op string, body map[string]any) *Error {
	sh, a := rg.Sheet, rg.Addr
	str := func(k string) (string, bool, *Error) {
		v, ok := body[k]
		if !ok {
			return "", false, nil
		}
		s, isStr := v.(string)
		if !isStr {
			return "", false, Invalid("The value of " + k + " must be a string.")
		}
		return s, true, nil
	}
	num := func(k string) (float64, bool, *Error) {
		v, ok := body[k]
		if !ok {
			return 0, false, nil
		}
		f, isNum := Scalar(v)
		n, isF := f.(float64)
		if !isNum || !isF || n < 0 {
			return 0, false, Invalid("The value of " + k + " must be a positive number.")
		}
		return n, true, nil
	}
	boolean := func(k string) (*bool, *Error) {
		v, ok := body[k]
		if !ok {
			return nil, nil
		}
		bv, isB := v.(bool)
		if !isB {
			return nil, Invalid("The value of " + k + " must be a boolean.")
		}
		return &bv, nil
	}
	var edits []func(*format)
	switch op {
	case "format":
		if w, ok, e := num("columnWidth"); e != nil {
			return e
		} else if ok {
			for c := a.C1; c <= a.C2; c++ {
				sh.colWidth[c] = w
			}
		}
		if h, ok, e := num("rowHeight"); e != nil {
			return e
		} else if ok && !a.wholeCols {
			for r := a.R1; r <= a.R2; r++ {
				sh.rowHeight[r] = h
			}
		}
		for _, k := range []string{"horizontalAlignment", "verticalAlignment"} {
			s, ok, e := str(k)
			if e != nil {
				return e
			}
			if ok {
				if k == "horizontalAlignment" {
					edits = append(edits, func(f *format) { f.hAlign = s })
				} else {
					edits = append(edits, func(f *format) { f.vAlign = s })
				}
			}
		}
		if wrap, e := boolean("wrapText"); e != nil {
			return e
		} else if wrap != nil {
			edits = append(edits, func(f *format) { f.wrap = wrap })
		}
	case "format/font":
		for _, k := range []string{"bold", "italic"} {
			bv, e := boolean(k)
			if e != nil {
				return e
			}
			if bv != nil {
				if k == "bold" {
					edits = append(edits, func(f *format) { f.bold = bv })
				} else {
					edits = append(edits, func(f *format) { f.italic = bv })
				}
			}
		}
		for _, k := range []string{"color", "name", "underline"} {
			s, ok, e := str(k)
			if e != nil {
				return e
			}
			if ok {
				switch k {
				case "color":
					edits = append(edits, func(f *format) { f.fontColor = s })
				case "name":
					edits = append(edits, func(f *format) { f.fontName = s })
				default:
					edits = append(edits, func(f *format) { f.underline = s })
				}
			}
		}
		if size, ok, e := num("size"); e != nil {
			return e
		} else if ok {
			edits = append(edits, func(f *format) { f.fontSize = size })
		}
	case "format/fill":
		s, ok, e := str("color")
		if e != nil {
			return e
		}
		if ok {
			edits = append(edits, func(f *format) { f.fill = s })
		}
	}
	if len(edits) == 0 {
		return nil
	}
	if a.Unbounded() {
		return Invalid("Cell formats can't be set on an unbounded range (whole columns or rows) here.")
	}
	for r := a.R1; r <= a.R2; r++ {
		for c := a.C1; c <= a.C2; c++ {
			k := CellKey(r, c)
			f := sh.formats[k]
			for _, e := range edits {
				e(&f)
			}
			sh.formats[k] = f
		}
	}
	return nil
}

// FormatJSON reads a format back: a property whose value differs
// between the cells is null, as in Graph.
func FormatJSON(sh *Sheet, a Addr, op string) map[string]any {
	uniform := func(get func(f format) any) any {
		var first any
		n := 0
		bounded := a
		if a.Unbounded() {
			bounded = Addr{R1: 1, C1: 1, R2: 1, C2: 1}
		}
		for r := bounded.R1; r <= bounded.R2; r++ {
			for c := bounded.C1; c <= bounded.C2; c++ {
				v := get(sh.formats[CellKey(r, c)])
				if n == 0 {
					first = v
				} else if v != first {
					return nil
				}
				n++
			}
		}
		return first
	}
	switch op {
	case "format/font":
		return map[string]any{
			"bold":      uniform(func(f format) any { return f.bold != nil && *f.bold }),
			"italic":    uniform(func(f format) any { return f.italic != nil && *f.italic }),
			"color":     uniform(func(f format) any { return cmp.Or(f.fontColor, "#000000") }),
			"name":      uniform(func(f format) any { return cmp.Or(f.fontName, "Calibri") }),
			"size":      uniform(func(f format) any { return cmpOrFloat(f.fontSize, 11) }),
			"underline": uniform(func(f format) any { return cmp.Or(f.underline, "None") }),
		}
	case "format/fill":
		return map[string]any{"color": uniform(func(f format) any { return cmp.Or(f.fill, "#FFFFFF") })}
	}
	width := any(nil)
	var first float64
	for c := a.C1; c <= a.C2; c++ {
		w := cmpOrFloat(sh.colWidth[c], 48)
		if c == a.C1 {
			first, width = w, w
		} else if w != first {
			width = nil
			break
		}
	}
	height := any(nil)
	if !a.wholeCols {
		for r := a.R1; r <= a.R2; r++ {
			h := cmpOrFloat(sh.rowHeight[r], 15)
			if r == a.R1 {
				first, height = h, h
			} else if h != first {
				height = nil
				break
			}
		}
	}
	return map[string]any{
		"columnWidth":         width,
		"rowHeight":           height,
		"horizontalAlignment": uniform(func(f format) any { return cmp.Or(f.hAlign, "General") }),
		"verticalAlignment":   uniform(func(f format) any { return cmp.Or(f.vAlign, "Bottom") }),
		"wrapText":            uniform(func(f format) any { return f.wrap != nil && *f.wrap }),
	}
}

func cmpOrFloat(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}

// evalFormula computes the few formulas the emulator knows: numbers,
// cell references, + - * / with parentheses, and SUM, AVERAGE, MAX, MIN,
// COUNT of ranges. Anything else is #NAME?; a cycle is #REF!.
func evalFormula(b *Book, sh *Sheet, formula string, depth int) (any, string) {
	if depth > 64 {
		return nil, "#REF!"
	}
	p := &fparser{b: b, sh: sh, s: strings.TrimPrefix(formula, "="), depth: depth}
	v, err := p.expr()
	if err == "" && p.peek() != 0 {
		err = "#NAME?"
	}
	if err != "" {
		return nil, err
	}
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return nil, "#DIV/0!"
	}
	return v, ""
}

type fparser struct {
	b     *Book
	sh    *Sheet
	s     string
	i     int
	depth int
}

func (p *fparser) peek() byte {
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
	if p.i >= len(p.s) {
		return 0
	}
	return p.s[p.i]
}

func (p *fparser) expr() (float64, string) {
	v, err := p.term()
	for err == "" {
		switch p.peek() {
		case '+':
			p.i++
			var t float64
			t, err = p.term()
			v += t
		case '-':
			p.i++
			var t float64
			t, err = p.term()
			v -= t
		default:
			return v, err
		}
	}
	return v, err
}

func (p *fparser) term() (float64, string) {
	v, err := p.factor()
	for err == "" {
		switch p.peek() {
		case '*':
			p.i++
			var t float64
			t, err = p.factor()
			v *= t
		case '/':
			p.i++
			var t float64
			if t, err = p.factor(); err == "" && t == 0 {
				return 0, "#DIV/0!"
			}
			v /= t
		default:
			return v, err
		}
	}
	return v, err
}

func (p *fparser) factor() (float64, string) {
	c := p.peek()
	switch {
	case c == '-':
		p.i++
		v, err := p.factor()
		return -v, err
	case c == '(':
		p.i++
		v, err := p.expr()
		if p.peek() != ')' {
			return 0, "#NAME?"
		}
		p.i++
		return v, err
	case c >= '0' && c <= '9' || c == '.':
		j := p.i
		for j < len(p.s) && (p.s[j] >= '0' && p.s[j] <= '9' || p.s[j] == '.') {
			j++
		}
		f, err := strconv.ParseFloat(p.s[p.i:j], 64)
		p.i = j
		if err != nil {
			return 0, "#NAME?"
		}
		return f, ""
	}
	j := p.i
	for j < len(p.s) && (p.s[j] >= 'A' && p.s[j] <= 'Z' || p.s[j] >= 'a' && p.s[j] <= 'z' || p.s[j] >= '0' && p.s[j] <= '9' || p.s[j] == '$' || p.s[j] == ':') {
		j++
	}
	word := p.s[p.i:j]
	p.i = j
	if p.peek() == '(' {
		p.i++
		k := strings.IndexByte(p.s[p.i:], ')')
		if k < 0 {
			return 0, "#NAME?"
		}
		arg := p.s[p.i : p.i+k]
		p.i += k + 1
		var nums []float64
		for _, part := range strings.Split(arg, ",") {
			part = strings.TrimSpace(part)
			if a, err := ParseAddress(part); err == nil && !a.Unbounded() {
				for r := a.R1; r <= a.R2; r++ {
					for c := a.C1; c <= a.C2; c++ {
						if cell, ok := p.sh.Cells[CellKey(r, c)]; ok {
							v := cell.Value
							if cell.formula != "" {
								var e string
								if v, e = evalFormula(p.b, p.sh, cell.formula, p.depth+1); e != "" {
									return 0, e
								}
							}
							if f, ok := v.(float64); ok {
								nums = append(nums, f)
							}
						}
					}
				}
			} else if f, ok := Numeric(part); ok {
				nums = append(nums, f)
			} else {
				return 0, "#NAME?"
			}
		}
		v, e := Aggregate(strings.ToLower(word), nums)
		if e != "" {
			return 0, e
		}
		return v.(float64), ""
	}
	a, err := ParseAddress(word)
	if err != nil || a.rows() != 1 || a.cols() != 1 {
		return 0, "#NAME?"
	}
	cell := p.sh.Cells[CellKey(a.R1, a.C1)]
	v := cell.Value
	if cell.formula != "" {
		var e string
		if v, e = evalFormula(p.b, p.sh, cell.formula, p.depth+1); e != "" {
			return 0, e
		}
	}
	switch x := v.(type) {
	case nil:
		return 0, ""
	case float64:
		return x, ""
	case bool:
		if x {
			return 1, ""
		}
		return 0, ""
	}
	return 0, "#VALUE!"
}

// Aggregate computes SUM, AVERAGE, MAX, MIN or COUNT.
func Aggregate(fn string, nums []float64) (any, string) {
	switch fn {
	case "sum":
		s := 0.0
		for _, n := range nums {
			s += n
		}
		return s, ""
	case "count":
		return float64(len(nums)), ""
	case "average":
		if len(nums) == 0 {
			return nil, "#DIV/0!"
		}
		s := 0.0
		for _, n := range nums {
			s += n
		}
		return s / float64(len(nums)), ""
	case "max", "min":
		if len(nums) == 0 {
			return 0.0, ""
		}
		m := nums[0]
		for _, n := range nums[1:] {
			if fn == "max" {
				m = max(m, n)
			} else {
				m = min(m, n)
			}
		}
		return m, ""
	}
	return nil, "#NAME?"
}
