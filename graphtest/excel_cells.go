package graphtest

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"strconv"
	"strings"
)

const (
	xMaxCols = 16384
	xMaxRows = 1048576
)

// xBook is a workbook: worksheets in their order, tables and names.
type xBook struct {
	sheets    []*xSheet
	tables    []*xTable
	names     []*xName
	nextSheet int
	nextTable int
}

// xSheet holds its cells and formats sparsely, keyed by cellKey.
type xSheet struct {
	id, name, visibility string
	cells                map[uint64]xCell
	formats              map[uint64]xFormat
	colWidth             map[int]float64
	rowHeight            map[int]float64
}

// xCell is a cell's content: value is float64, string or bool; a
// formula cell has formula set and its value computed on reading.
type xCell struct {
	value   any
	formula string
	numFmt  string
}

// xFormat is a cell's format; empty fields are Excel's defaults.
type xFormat struct {
	bold, italic        *bool
	fontColor, fontName string
	fontSize            float64
	underline           string
	fill                string
	hAlign, vAlign      string
	wrap                *bool
}

func cellKey(row, col int) uint64 { return uint64(row)<<16 | uint64(col) }

func keyCell(k uint64) (row, col int) { return int(k >> 16), int(k & 0xffff) }

func newBook() *xBook {
	b := &xBook{}
	b.addSheet("Sheet1")
	return b
}

func (b *xBook) addSheet(name string) *xSheet {
	sh := &xSheet{id: fmt.Sprintf("{00000000-0001-0000-%04X-000000000000}", b.nextSheet<<8), name: name, visibility: "Visible",
		cells: map[uint64]xCell{}, formats: map[uint64]xFormat{}, colWidth: map[int]float64{}, rowHeight: map[int]float64{}}
	b.nextSheet++
	b.sheets = append(b.sheets, sh)
	return sh
}

// clone deep-copies the book for a non-persistent session.
func (b *xBook) clone() *xBook {
	c := &xBook{nextSheet: b.nextSheet, nextTable: b.nextTable}
	for _, sh := range b.sheets {
		cp := *sh
		cp.cells, cp.formats = maps.Clone(sh.cells), maps.Clone(sh.formats)
		cp.colWidth, cp.rowHeight = maps.Clone(sh.colWidth), maps.Clone(sh.rowHeight)
		c.sheets = append(c.sheets, &cp)
	}
	for _, t := range b.tables {
		cp := *t
		cp.columns = append([]xColumn(nil), t.columns...)
		cp.filters = maps.Clone(t.filters)
		c.tables = append(c.tables, &cp)
	}
	for _, n := range b.names {
		cp := *n
		c.names = append(c.names, &cp)
	}
	return c
}

func (b *xBook) sheetByName(name string) *xSheet {
	for _, sh := range b.sheets {
		if strings.EqualFold(sh.name, name) {
			return sh
		}
	}
	return nil
}

// sheet finds a worksheet by id or name.
func (b *xBook) sheet(key string) *xSheet {
	for _, sh := range b.sheets {
		if sh.id == key {
			return sh
		}
	}
	return b.sheetByName(key)
}

func (b *xBook) sheetByID(id string) *xSheet {
	for _, sh := range b.sheets {
		if sh.id == id {
			return sh
		}
	}
	return nil
}

// xAddr is a parsed address: 1-based bounds, and the sheet name if given.
type xAddr struct {
	sheet          string
	r1, c1, r2, c2 int
	wholeCols      bool
	wholeRows      bool
}

func (a xAddr) rows() int       { return a.r2 - a.r1 + 1 }
func (a xAddr) cols() int       { return a.c2 - a.c1 + 1 }
func (a xAddr) unbounded() bool { return a.wholeCols || a.wholeRows }

func (a xAddr) local() string {
	switch {
	case a.wholeCols:
		return colName(a.c1) + ":" + colName(a.c2)
	case a.wholeRows:
		return strconv.Itoa(a.r1) + ":" + strconv.Itoa(a.r2)
	}
	s := colName(a.c1) + strconv.Itoa(a.r1)
	if a.r1 != a.r2 || a.c1 != a.c2 {
		s += ":" + colName(a.c2) + strconv.Itoa(a.r2)
	}
	return s
}

// absolute is the address with '$' markers, as names show it.
func (a xAddr) absolute() string {
	s := "$" + colName(a.c1) + "$" + strconv.Itoa(a.r1)
	if a.r1 != a.r2 || a.c1 != a.c2 {
		s += ":$" + colName(a.c2) + "$" + strconv.Itoa(a.r2)
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

// parseXAddress reads "A1", "$A$1:$B$2", "Sheet1!A1:B2", "'Q1 sales'!A:C", "2:4".
func parseXAddress(s string) (xAddr, error) {
	var a xAddr
	s = strings.TrimPrefix(strings.TrimSpace(s), "=")
	ref := s
	if i := strings.LastIndexByte(s, '!'); i >= 0 {
		a.sheet, ref = unquoteArg(s[:i]), s[i+1:]
		if a.sheet == "" {
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
		a.wholeCols, r1, r2 = true, 1, xMaxRows
	case two && c1 == 0 && c2 == 0 && r1 > 0 && r2 > 0:
		a.wholeRows, c1, c2 = true, 1, xMaxCols
	default:
		return a, errorf("graphtest: %q is not an A1 address", s)
	}
	a.r1, a.r2, a.c1, a.c2 = min(r1, r2), max(r1, r2), min(c1, c2), max(c1, c2)
	return a, nil
}

func parseXRef(s string) (col, row int, ok bool) {
	s = strings.TrimPrefix(s, "$")
	i := 0
	for i < len(s) && (s[i] >= 'A' && s[i] <= 'Z' || s[i] >= 'a' && s[i] <= 'z') {
		col = col*26 + int(s[i]|0x20-'a'+1)
		i++
		if col > xMaxCols {
			return 0, 0, false
		}
	}
	rest := s[i:]
	if i > 0 {
		rest = strings.TrimPrefix(rest, "$")
	}
	if rest != "" {
		n, err := strconv.Atoi(rest)
		if err != nil || n < 1 || n > xMaxRows || rest[0] == '+' || rest[0] == '-' {
			return 0, 0, false
		}
		row = n
	}
	return col, row, col > 0 || row > 0
}

// xRange is a resolved range: its sheet and bounds.
type xRange struct {
	sheet *xSheet
	a     xAddr
}

func (rg xRange) address() string { return quoteSheetName(rg.sheet.name) + "!" + rg.a.local() }

// numeric reports whether s is a plain decimal number, which Excel
// stores as a number when it is written as text.
func numeric(s string) (float64, bool) {
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

// jsonScalar turns a decoded JSON value (numbers as json.Number) into a
// cell value; ok is false for arrays and objects.
func jsonScalar(v any) (any, bool) {
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

// setValue writes a value as Graph does: nil leaves the cell, "" clears
// it, "=…" is a formula, a numeric string is a number.
func (sh *xSheet) setValue(k uint64, v any) {
	if v == nil {
		return
	}
	c := sh.cells[k]
	switch x := v.(type) {
	case string:
		switch {
		case x == "":
			c.value, c.formula = nil, ""
		case strings.HasPrefix(x, "=") && len(x) > 1:
			c.value, c.formula = nil, x
		default:
			if f, ok := numeric(x); ok {
				c.value, c.formula = f, ""
			} else {
				c.value, c.formula = x, ""
			}
		}
	default:
		c.value, c.formula = x, ""
	}
	if c.value == nil && c.formula == "" && c.numFmt == "" {
		delete(sh.cells, k)
		return
	}
	sh.cells[k] = c
}

// writeGrid applies one grid of a range update: a 2-D array of the
// range's shape, or one value for every cell (Graph's single input
// copy). kind is values, formulas or numberFormat. With check it only
// checks the grid, so that a bad update changes nothing.
func (b *xBook) writeGrid(rg xRange, kind string, raw any, check bool) *excelErr {
	if raw == nil {
		return nil
	}
	if rg.a.unbounded() {
		return xInvalid("Cell properties can't be set on an unbounded range (whole columns or rows).")
	}
	apply := func(k uint64, v any) *excelErr {
		v, ok := jsonScalar(v)
		if !ok {
			return xInvalid("A cell value must be a number, a string, a boolean or null.")
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
			c := rg.sheet.cells[k]
			c.numFmt = s
			if s == "General" {
				c.numFmt = ""
			}
			if c.value == nil && c.formula == "" && c.numFmt == "" {
				delete(rg.sheet.cells, k)
			} else {
				rg.sheet.cells[k] = c
			}
		default:
			rg.sheet.setValue(k, v)
		}
		return nil
	}
	grid, isGrid := raw.([]any)
	if !isGrid {
		for r := rg.a.r1; r <= rg.a.r2; r++ {
			for c := rg.a.c1; c <= rg.a.c2; c++ {
				if e := apply(cellKey(r, c), raw); e != nil {
					return e
				}
			}
		}
		return nil
	}
	if len(grid) != rg.a.rows() {
		return xInvalid("The number of rows in the input array doesn't match the size or dimensions of the range.")
	}
	for i, row := range grid {
		cells, ok := row.([]any)
		if !ok || len(cells) != rg.a.cols() {
			return xInvalid("The number of columns in the input array doesn't match the size or dimensions of the range.")
		}
		for j, v := range cells {
			if e := apply(cellKey(rg.a.r1+i, rg.a.c1+j), v); e != nil {
				return e
			}
		}
	}
	return nil
}

// value is a cell's value, a formula's computed.
func (b *xBook) value(sh *xSheet, c xCell) any {
	if c.formula == "" {
		return c.value
	}
	v, err := evalFormula(b, sh, c.formula, 0)
	if err != "" {
		return err
	}
	return v
}

// valuesGrid is the range's values.
func (b *xBook) valuesGrid(sh *xSheet, a xAddr) [][]any {
	out := make([][]any, a.rows())
	flat := make([]any, a.rows()*a.cols())
	for i := range out {
		row := flat[i*a.cols() : (i+1)*a.cols()]
		for j := range row {
			c, ok := sh.cells[cellKey(a.r1+i, a.c1+j)]
			if ok {
				row[j] = b.value(sh, c)
			}
			if row[j] == nil {
				row[j] = ""
			}
		}
		out[i] = row
	}
	return out
}

// rangeJSON is a range as Graph shows it; sel, when not empty, names the
// properties to keep ($select).
func (b *xBook) rangeJSON(rg xRange, sel map[string]bool) map[string]any {
	a := rg.a
	m := map[string]any{
		"address": rg.address(), "addressLocal": rg.address(),
		"cellCount": a.rows() * a.cols(), "columnCount": a.cols(), "rowCount": a.rows(),
		"columnIndex": a.c1 - 1, "rowIndex": a.r1 - 1,
		"columnHidden": false, "rowHidden": false, "hidden": false,
	}
	want := func(k string) bool { return len(sel) == 0 || sel[strings.ToLower(k)] }
	if a.unbounded() {
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
				c, ok := rg.sheet.cells[cellKey(a.r1+i, a.c1+j)]
				var v any
				if ok {
					v = b.value(rg.sheet, c)
				}
				if g := grids["values"]; g != nil {
					g[i][j] = orEmpty(v)
				}
				if g := grids["text"]; g != nil {
					g[i][j] = cellText(v, c.numFmt)
				}
				if g := grids["formulas"]; g != nil {
					if c.formula != "" {
						g[i][j] = c.formula
					} else {
						g[i][j] = orEmpty(v)
					}
				}
				if g := grids["numberFormat"]; g != nil {
					g[i][j] = cmpOr(c.numFmt, "General")
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

func orEmpty(v any) any {
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

// cellText formats a value as Excel shows it: numbers with the decimals
// of a "0.00"-like format, or as short as they go.
func cellText(v any, numFmt string) string {
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

// usedRange is the smallest range holding the sheet's used cells (only
// those with values when valuesOnly); A1 when there is none.
func (b *xBook) usedRange(sh *xSheet, valuesOnly bool) xRange {
	r1, c1, r2, c2 := 0, 0, 0, 0
	see := func(k uint64) {
		r, c := keyCell(k)
		if r1 == 0 {
			r1, c1, r2, c2 = r, c, r, c
			return
		}
		r1, c1, r2, c2 = min(r1, r), min(c1, c), max(r2, r), max(c2, c)
	}
	for k, c := range sh.cells {
		if c.value != nil || c.formula != "" || !valuesOnly {
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
	return xRange{sh, xAddr{r1: r1, c1: c1, r2: r2, c2: c2}}
}

// forCells calls f for every stored cell key of the range, walking
// whichever is smaller: the range or the sheet's map.
func forCells[V any](m map[uint64]V, a xAddr, f func(k uint64)) {
	if a.rows()*a.cols() <= len(m) && !a.unbounded() {
		for r := a.r1; r <= a.r2; r++ {
			for c := a.c1; c <= a.c2; c++ {
				if _, ok := m[cellKey(r, c)]; ok {
					f(cellKey(r, c))
				}
			}
		}
		return
	}
	for k := range m {
		r, c := keyCell(k)
		if r >= a.r1 && r <= a.r2 && c >= a.c1 && c <= a.c2 {
			f(k)
		}
	}
}

// clearRange clears contents, formats or both.
func (b *xBook) clearRange(rg xRange, applyTo string) *excelErr {
	contents, formats := true, true
	switch strings.ToLower(applyTo) {
	case "", "all":
	case "contents":
		formats = false
	case "formats":
		contents = false
	default:
		return xInvalid("applyTo must be All, Formats or Contents.")
	}
	sh := rg.sheet
	if contents {
		forCells(sh.cells, rg.a, func(k uint64) {
			c := sh.cells[k]
			c.value, c.formula = nil, ""
			if c.numFmt == "" || formats {
				delete(sh.cells, k)
			} else {
				sh.cells[k] = c
			}
		})
	}
	if formats {
		forCells(sh.formats, rg.a, func(k uint64) { delete(sh.formats, k) })
		forCells(sh.cells, rg.a, func(k uint64) {
			c := sh.cells[k]
			c.numFmt = ""
			if c.value == nil && c.formula == "" {
				delete(sh.cells, k)
			} else {
				sh.cells[k] = c
			}
		})
	}
	return nil
}

// serveRange answers a range and what is below it: GET/PATCH the range,
// clear, format, format/font, format/fill.
func (wr *workbookRequest) serveRange(rg xRange, rest []string) {
	w, r, b := wr.w, wr.r, wr.book
	op := ""
	if len(rest) > 0 {
		op, _, _ = parseSegment(strings.Join(rest, "/"))
		op = strings.ToLower(op)
	}
	switch op {
	case "":
		if !wr.getOrPatch(func(body map[string]any) *excelErr { return b.writeGrids(rg, body) }) {
			return
		}
		sel := map[string]bool{}
		for _, f := range strings.Split(r.URL.Query().Get("$select"), ",") {
			if f = strings.TrimSpace(f); f != "" {
				sel[strings.ToLower(f)] = true
			}
		}
		out := b.rangeJSON(rg, sel)
		out["@odata.context"] = wr.base + "/$metadata#workbookRange"
		writeGraphJSON(w, http.StatusOK, out)
	case "clear":
		if r.Method != http.MethodPost {
			xMethod().write(w)
			return
		}
		var body struct {
			ApplyTo string `json:"applyTo"`
		}
		if e := readExcelBody(r, &body); e != nil {
			e.write(w)
			return
		}
		if e := b.clearRange(rg, body.ApplyTo); e != nil {
			e.write(w)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case "format", "format/font", "format/fill":
		wr.serveFormat(rg, op)
	default:
		xUnknown(rest[len(rest)-1]).write(w)
	}
}

// writeGrids writes the values, formulas and number formats a PATCH of
// the range sends, all of them checked before any is written.
func (b *xBook) writeGrids(rg xRange, body map[string]any) *excelErr {
	for _, check := range []bool{true, false} {
		for _, kind := range []string{"values", "formulas", "numberFormat"} {
			if e := b.writeGrid(rg, kind, body[kind], check); e != nil {
				return e
			}
		}
	}
	return nil
}

// getOrPatch lets a GET through and applies the body of a PATCH with
// apply, answering a bad body, apply's error or another method itself. It
// reports whether the handler goes on to answer with the item.
func (wr *workbookRequest) getOrPatch(apply func(body map[string]any) *excelErr) bool {
	switch wr.r.Method {
	case http.MethodGet:
		return true
	case http.MethodPatch:
		var body map[string]any
		if e := readExcelBody(wr.r, &body); e != nil {
			e.write(wr.w)
			return false
		}
		if e := apply(body); e != nil {
			e.write(wr.w)
			return false
		}
		return true
	}
	xMethod().write(wr.w)
	return false
}

// serveFormat reads or changes a range's format, font or fill.
func (wr *workbookRequest) serveFormat(rg xRange, op string) {
	if wr.getOrPatch(func(body map[string]any) *excelErr { return applyFormat(rg, op, body) }) {
		writeGraphJSON(wr.w, http.StatusOK, formatJSON(rg.sheet, rg.a, op))
	}
}

// applyFormat sets the properties of body on every cell of the range.
func applyFormat(rg xRange, op string, body map[string]any) *excelErr {
	sh, a := rg.sheet, rg.a
	str := func(k string) (string, bool, *excelErr) {
		v, ok := body[k]
		if !ok {
			return "", false, nil
		}
		s, isStr := v.(string)
		if !isStr {
			return "", false, xInvalid("The value of " + k + " must be a string.")
		}
		return s, true, nil
	}
	num := func(k string) (float64, bool, *excelErr) {
		v, ok := body[k]
		if !ok {
			return 0, false, nil
		}
		f, isNum := jsonScalar(v)
		n, isF := f.(float64)
		if !isNum || !isF || n < 0 {
			return 0, false, xInvalid("The value of " + k + " must be a positive number.")
		}
		return n, true, nil
	}
	boolean := func(k string) (*bool, *excelErr) {
		v, ok := body[k]
		if !ok {
			return nil, nil
		}
		bv, isB := v.(bool)
		if !isB {
			return nil, xInvalid("The value of " + k + " must be a boolean.")
		}
		return &bv, nil
	}
	var edits []func(*xFormat)
	switch op {
	case "format":
		if w, ok, e := num("columnWidth"); e != nil {
			return e
		} else if ok {
			for c := a.c1; c <= a.c2; c++ {
				sh.colWidth[c] = w
			}
		}
		if h, ok, e := num("rowHeight"); e != nil {
			return e
		} else if ok && !a.wholeCols {
			for r := a.r1; r <= a.r2; r++ {
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
					edits = append(edits, func(f *xFormat) { f.hAlign = s })
				} else {
					edits = append(edits, func(f *xFormat) { f.vAlign = s })
				}
			}
		}
		if wrap, e := boolean("wrapText"); e != nil {
			return e
		} else if wrap != nil {
			edits = append(edits, func(f *xFormat) { f.wrap = wrap })
		}
	case "format/font":
		for _, k := range []string{"bold", "italic"} {
			bv, e := boolean(k)
			if e != nil {
				return e
			}
			if bv != nil {
				if k == "bold" {
					edits = append(edits, func(f *xFormat) { f.bold = bv })
				} else {
					edits = append(edits, func(f *xFormat) { f.italic = bv })
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
					edits = append(edits, func(f *xFormat) { f.fontColor = s })
				case "name":
					edits = append(edits, func(f *xFormat) { f.fontName = s })
				default:
					edits = append(edits, func(f *xFormat) { f.underline = s })
				}
			}
		}
		if size, ok, e := num("size"); e != nil {
			return e
		} else if ok {
			edits = append(edits, func(f *xFormat) { f.fontSize = size })
		}
	case "format/fill":
		s, ok, e := str("color")
		if e != nil {
			return e
		}
		if ok {
			edits = append(edits, func(f *xFormat) { f.fill = s })
		}
	}
	if len(edits) == 0 {
		return nil
	}
	if a.unbounded() {
		return xInvalid("Cell formats can't be set on an unbounded range (whole columns or rows) here.")
	}
	for r := a.r1; r <= a.r2; r++ {
		for c := a.c1; c <= a.c2; c++ {
			k := cellKey(r, c)
			f := sh.formats[k]
			for _, e := range edits {
				e(&f)
			}
			sh.formats[k] = f
		}
	}
	return nil
}

// formatJSON reads a format back: a property whose value differs
// between the cells is null, as in Graph.
func formatJSON(sh *xSheet, a xAddr, op string) map[string]any {
	uniform := func(get func(f xFormat) any) any {
		var first any
		n := 0
		bounded := a
		if a.unbounded() {
			bounded = xAddr{r1: 1, c1: 1, r2: 1, c2: 1}
		}
		for r := bounded.r1; r <= bounded.r2; r++ {
			for c := bounded.c1; c <= bounded.c2; c++ {
				v := get(sh.formats[cellKey(r, c)])
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
			"bold":      uniform(func(f xFormat) any { return f.bold != nil && *f.bold }),
			"italic":    uniform(func(f xFormat) any { return f.italic != nil && *f.italic }),
			"color":     uniform(func(f xFormat) any { return cmpOr(f.fontColor, "#000000") }),
			"name":      uniform(func(f xFormat) any { return cmpOr(f.fontName, "Calibri") }),
			"size":      uniform(func(f xFormat) any { return cmpOrFloat(f.fontSize, 11) }),
			"underline": uniform(func(f xFormat) any { return cmpOr(f.underline, "None") }),
		}
	case "format/fill":
		return map[string]any{"color": uniform(func(f xFormat) any { return cmpOr(f.fill, "#FFFFFF") })}
	}
	width := any(nil)
	var first float64
	for c := a.c1; c <= a.c2; c++ {
		w := cmpOrFloat(sh.colWidth[c], 48)
		if c == a.c1 {
			first, width = w, w
		} else if w != first {
			width = nil
			break
		}
	}
	height := any(nil)
	if !a.wholeCols {
		for r := a.r1; r <= a.r2; r++ {
			h := cmpOrFloat(sh.rowHeight[r], 15)
			if r == a.r1 {
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
		"horizontalAlignment": uniform(func(f xFormat) any { return cmpOr(f.hAlign, "General") }),
		"verticalAlignment":   uniform(func(f xFormat) any { return cmpOr(f.vAlign, "Bottom") }),
		"wrapText":            uniform(func(f xFormat) any { return f.wrap != nil && *f.wrap }),
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
func evalFormula(b *xBook, sh *xSheet, formula string, depth int) (any, string) {
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
	b     *xBook
	sh    *xSheet
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
			if a, err := parseXAddress(part); err == nil && !a.unbounded() {
				for r := a.r1; r <= a.r2; r++ {
					for c := a.c1; c <= a.c2; c++ {
						if cell, ok := p.sh.cells[cellKey(r, c)]; ok {
							v := cell.value
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
			} else if f, ok := numeric(part); ok {
				nums = append(nums, f)
			} else {
				return 0, "#NAME?"
			}
		}
		v, e := aggregate(strings.ToLower(word), nums)
		if e != "" {
			return 0, e
		}
		return v.(float64), ""
	}
	a, err := parseXAddress(word)
	if err != nil || a.rows() != 1 || a.cols() != 1 {
		return 0, "#NAME?"
	}
	cell := p.sh.cells[cellKey(a.r1, a.c1)]
	v := cell.value
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

// aggregate computes SUM, AVERAGE, MAX, MIN or COUNT.
func aggregate(fn string, nums []float64) (any, string) {
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
