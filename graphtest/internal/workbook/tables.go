package workbook

import (
	"cmp"
	"slices"
	"strings"
)

// Table is a table: a range of a sheet whose first row is its header.
type Table struct {
	ID, Name, SheetID string
	R1, C1, R2, C2    int
	Style             string
	ShowTotals        bool
	Columns           []Column
	Filters           map[string]map[string]any // by column id
	NextCol           int
}

// Column is a table column: its id and header text.
type Column struct{ ID, Name string }

// Name is a defined name: a range (sheetID and bounds) or a constant.
type Name struct {
	Name, Comment string
	SheetID       string
	Addr          Addr
	Constant      any // when not a range
}

// SheetJSON is a worksheet as Graph shows it.
func SheetJSON(b *Book, sh *Sheet) map[string]any {
	return map[string]any{"id": sh.ID, "name": sh.Name, "position": slices.Index(b.Sheets, sh), "visibility": sh.Visibility}
}

// CheckSheetName refuses a name Excel refuses (empty, over 31
// characters, :\/?*[] or quotes at an end) or one another sheet than
// self has.
func CheckSheetName(b *Book, name string, self *Sheet) *Error {
	if name == "" || len(name) > 31 || strings.ContainsAny(name, `:\/?*[]`) || strings.HasPrefix(name, "'") || strings.HasSuffix(name, "'") {
		return Invalid("The worksheet name is invalid.")
	}
	if o := b.SheetByName(name); o != nil && o != self {
		return Exists()
	}
	return nil
}

// Table finds a table by id or name.
func (b *Book) Table(key string) *Table {
	for _, t := range b.Tables {
		if t.ID == key || strings.EqualFold(t.Name, key) {
			return t
		}
	}
	return nil
}

// Addr is the table's cells, its header row included.
func (t *Table) Addr() Addr { return Addr{R1: t.R1, C1: t.C1, R2: t.R2, C2: t.C2} }

// TableJSON is a table as Graph shows it.
func TableJSON(t *Table) map[string]any {
	return map[string]any{
		"id": t.ID, "name": t.Name, "showHeaders": true, "showTotals": t.ShowTotals, "style": t.Style,
		"highlightFirstColumn": false, "highlightLastColumn": false, "showBandedColumns": false,
		"showBandedRows": true, "showFilterButton": true, "legacyId": t.ID,
	}
}

// ShiftRows moves the cells of columns c1..c2 at row `from` and below
// by n rows: down for n > 0 (making room), up for n < 0 (removing rows
// from..from-n-1). Cells that would land above `from` or past the
// sheet's last row are dropped.
func ShiftRows(sh *Sheet, c1, c2, from, n int) {
	type moved struct {
		k uint64
		c Cell
	}
	var ms []moved
	for k, c := range sh.Cells {
		r, col := keyCell(k)
		if col >= c1 && col <= c2 && r >= from {
			ms = append(ms, moved{k, c})
		}
	}
	for _, m := range ms {
		delete(sh.Cells, m.k)
	}
	for _, m := range ms {
		r, col := keyCell(m.k)
		if to := r + n; to >= from && to <= MaxRows {
			sh.Cells[CellKey(to, col)] = m.c
		}
	}
}

// RowValues is the values of row of table t in sheet sh.
func (b *Book) RowValues(sh *Sheet, t *Table, row int) []any {
	out := make([]any, t.C2-t.C1+1)
	for c := t.C1; c <= t.C2; c++ {
		out[c-t.C1] = OrEmpty(b.Value(sh, sh.Cells[CellKey(row, c)]))
	}
	return out
}

// CompareCells orders values as Excel sorts them ascending: numbers,
// text, booleans, then blanks.
func CompareCells(a, b any, matchCase bool) int {
	rank := func(v any) int {
		switch x := v.(type) {
		case float64:
			return 0
		case string:
			if x == "" {
				return 3
			}
			return 1
		case bool:
			return 2
		}
		return 3
	}
	if ra, rb := rank(a), rank(b); ra != rb {
		return cmp.Compare(ra, rb)
	}
	switch x := a.(type) {
	case float64:
		return cmp.Compare(x, b.(float64))
	case string:
		y := b.(string)
		if !matchCase {
			x, y = strings.ToLower(x), strings.ToLower(y)
		}
		return cmp.Compare(x, y)
	case bool:
		y := b.(bool)
		if x == y {
			return 0
		}
		if !x {
			return -1
		}
		return 1
	}
	return 0
}

// Name finds a defined name, ignoring case.
func (b *Book) Name(key string) *Name {
	for _, n := range b.Names {
		if strings.EqualFold(n.Name, key) {
			return n
		}
	}
	return nil
}

// NameJSON is a defined name as Graph shows it: its range's absolute
// address, or its constant and that constant's type.
func (b *Book) NameJSON(n *Name) map[string]any {
	m := map[string]any{"name": n.Name, "comment": n.Comment, "scope": "Workbook", "visible": true}
	if sh := b.SheetByID(n.SheetID); n.Constant == nil && sh != nil {
		m["type"], m["value"] = "Range", quoteSheetName(sh.Name)+"!"+n.Addr.absolute()
		return m
	}
	switch n.Constant.(type) {
	case float64:
		m["type"] = "Double"
	case bool:
		m["type"] = "Boolean"
	default:
		m["type"] = "String"
	}
	m["value"] = n.Constant
	return m
}
