package excel

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/drive"
)

// RangeData is a range as Graph reports it (workbookRange). The grids
// hold one entry per cell, row by row: Values are JSON numbers
// (float64), strings, booleans or nil; Formulas hold the formula of a
// cell ("=SUM(B2:B4)") or its constant; Text is each value as displayed;
// ValueTypes are Empty, String, Double, Boolean or Error. An unbounded
// range (whole columns or rows) reports no grids.
type RangeData struct {
	Address       string     `json:"address,omitempty"` // "Sheet1!A1:C3"
	AddressLocal  string     `json:"addressLocal,omitempty"`
	CellCount     int        `json:"cellCount,omitempty"`
	ColumnCount   int        `json:"columnCount,omitempty"`
	ColumnIndex   int        `json:"columnIndex,omitempty"` // zero-based
	RowCount      int        `json:"rowCount,omitempty"`
	RowIndex      int        `json:"rowIndex,omitempty"` // zero-based
	ColumnHidden  bool       `json:"columnHidden,omitempty"`
	RowHidden     bool       `json:"rowHidden,omitempty"`
	Hidden        bool       `json:"hidden,omitempty"`
	Values        [][]any    `json:"values,omitempty"`
	Formulas      [][]any    `json:"formulas,omitempty"`
	FormulasLocal [][]any    `json:"formulasLocal,omitempty"`
	FormulasR1C1  [][]any    `json:"formulasR1C1,omitempty"`
	NumberFormat  [][]any    `json:"numberFormat,omitempty"`
	Text          [][]string `json:"text,omitempty"`
	ValueTypes    [][]string `json:"valueTypes,omitempty"`
}

// RangeUpdate is what Range.Update writes. A nil grid is left alone; a
// grid must have the range's shape, and a nil cell in it leaves that
// cell alone (Graph's rule). A string starting with '=' in Values is a
// formula, as when typed into Excel.
type RangeUpdate struct {
	Values       [][]any `json:"values,omitempty"`
	Formulas     [][]any `json:"formulas,omitempty"`
	NumberFormat [][]any `json:"numberFormat,omitempty"`
}

// Clear modes of Range.Clear (Graph's applyTo).
const (
	ClearAll      = "All"      // contents and formats
	ClearFormats  = "Formats"  // formats only
	ClearContents = "Contents" // values and formulas only
)

// Range is a range of cells addressed in A1 form, on which reads and
// writes are made. Getting one makes no request; its address was checked
// when it was made.
type Range struct {
	wb   *Workbook
	addr Address
	path string // below the workbook URL
}

// Range addresses cells by an A1 address that names its worksheet, such
// as "Sheet1!A1:C3" or "'Q1 figures'!B2". A malformed address, or one
// without a worksheet, is an error before any request.
func (w *Workbook) Range(address string) (*Range, error) {
	a, err := ParseAddress(address)
	if err != nil {
		return nil, err
	}
	if a.Sheet == "" {
		return nil, fmt.Errorf("o365: excel: range address %q names no worksheet; write it like Sheet1!%s or use Worksheet.Range", address, address)
	}
	return w.rangeAt(a), nil
}

func (w *Workbook) rangeAt(a Address) *Range {
	return &Range{wb: w, addr: a, path: sheetPath(a.Sheet) + "/range(address='" + escapeLocal(a) + "')"}
}

// escapeLocal is the address without its sheet, as the range function's
// argument in a URL path.
func escapeLocal(a Address) string { return url.PathEscape(a.Local()) }

// sheetPath is the path of a worksheet by id or name.
func sheetPath(idOrName string) string { return "/worksheets/" + drive.PathSegment(idOrName) }

// Address is the range's address.
func (r *Range) Address() Address { return r.addr }

// Get reads the range: address, size, values, formulas, number formats,
// text and value types.
func (r *Range) Get(ctx context.Context) (*RangeData, error) {
	out := new(RangeData)
	if err := r.wb.do(ctx, http.MethodGet, r.path, nil, nil, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Values reads only the range's values, which is less for Graph to
// compute and send than Get when the range is large.
func (r *Range) Values(ctx context.Context) ([][]any, error) {
	out := new(RangeData)
	if err := r.wb.do(ctx, http.MethodGet, r.path, api.Params{"$select": "address,values"}, nil, out); err != nil {
		return nil, err
	}
	return out.Values, nil
}

// SetValues writes values, which must have the range's shape (a nil
// cell is left alone). A string starting with '=' becomes a formula.
// It returns the range as written.
func (r *Range) SetValues(ctx context.Context, values [][]any) (*RangeData, error) {
	return r.Update(ctx, RangeUpdate{Values: values})
}

// SetFormulas writes formulas such as "=SUM(A1:A3)"; the grid must have
// the range's shape, and a cell that is not a formula is a constant.
func (r *Range) SetFormulas(ctx context.Context, formulas [][]any) (*RangeData, error) {
	return r.Update(ctx, RangeUpdate{Formulas: formulas})
}

// SetNumberFormat writes number format codes ("0.00", "m/d/yyyy"); the
// grid must have the range's shape.
func (r *Range) SetNumberFormat(ctx context.Context, formats [][]any) (*RangeData, error) {
	return r.Update(ctx, RangeUpdate{NumberFormat: formats})
}

// Update writes the grids u holds. Each one must match the range's shape
// exactly, every row as long as the first; a mismatch, or writing cells
// of a whole-column or whole-row range (Graph refuses it), is an error
// before any request.
func (r *Range) Update(ctx context.Context, u RangeUpdate) (*RangeData, error) {
	if u.Values == nil && u.Formulas == nil && u.NumberFormat == nil {
		return nil, fmt.Errorf("o365: excel: updating %s: nothing to write", r.addr)
	}
	for _, g := range []struct {
		name string
		grid [][]any
	}{{"values", u.Values}, {"formulas", u.Formulas}, {"numberFormat", u.NumberFormat}} {
		if g.grid == nil {
			continue
		}
		if err := checkShape(r.addr, g.name, g.grid); err != nil {
			return nil, err
		}
	}
	out := new(RangeData)
	if err := r.wb.do(ctx, http.MethodPatch, r.path, nil, u, out); err != nil {
		return nil, err
	}
	return out, nil
}

// checkShape compares a grid with the range it is written to.
func checkShape(a Address, name string, grid [][]any) error {
	if a.Unbounded() {
		return fmt.Errorf("o365: excel: cannot write %s to %s: Graph does not write cells of whole columns or rows", name, a)
	}
	rows, cols := a.Rows(), a.Columns()
	if len(grid) != rows {
		return fmt.Errorf("o365: excel: %s for %s has %d row(s); the range has %d row(s) of %d column(s)", name, a, len(grid), rows, cols)
	}
	for i, row := range grid {
		if len(row) != cols {
			return fmt.Errorf("o365: excel: %s for %s: row %d has %d value(s); the range has %d column(s)", name, a, i+1, len(row), cols)
		}
	}
	return nil
}

// Clear clears the range: applyTo is ClearAll (the default when empty),
// ClearFormats or ClearContents.
func (r *Range) Clear(ctx context.Context, applyTo string) error {
	switch applyTo {
	case "":
		applyTo = ClearAll
	case ClearAll, ClearFormats, ClearContents:
	default:
		return fmt.Errorf("o365: excel: Clear %s: applyTo is %q; want All, Formats or Contents", r.addr, applyTo)
	}
	return r.wb.do(ctx, http.MethodPost, r.path+"/clear", nil, map[string]string{"applyTo": applyTo}, nil)
}

// RangeFormat is the layout of a range (workbookRangeFormat). Graph
// reports nil for a property whose value differs between the cells.
type RangeFormat struct {
	ColumnWidth *float64 `json:"columnWidth,omitempty"` // points
	RowHeight   *float64 `json:"rowHeight,omitempty"`   // points
	// HorizontalAlignment: General, Left, Center, Right, Fill, Justify,
	// CenterAcrossSelection, Distributed.
	HorizontalAlignment string `json:"horizontalAlignment,omitempty"`
	// VerticalAlignment: Top, Center, Bottom, Justify, Distributed.
	VerticalAlignment string `json:"verticalAlignment,omitempty"`
	WrapText          *bool  `json:"wrapText,omitempty"`
}

// RangeFont is the font of a range (workbookRangeFont). In an update,
// unset fields are left alone.
type RangeFont struct {
	Bold      *bool    `json:"bold,omitempty"`
	Italic    *bool    `json:"italic,omitempty"`
	Color     string   `json:"color,omitempty"` // "#FF0000"
	Name      string   `json:"name,omitempty"`  // "Calibri"
	Size      *float64 `json:"size,omitempty"`
	Underline string   `json:"underline,omitempty"` // None, Single, Double, SingleAccountant, DoubleAccountant
}

// RangeFill is the background of a range (workbookRangeFill).
type RangeFill struct {
	Color string `json:"color,omitempty"` // "#FFA500" or an HTML color name
}

// Ptr returns a pointer to v, for the optional fields of RangeFormat and
// RangeFont: excel.Ptr(true), excel.Ptr(14.0).
func Ptr[T any](v T) *T { return &v }

// Format reads the range's layout.
func (r *Range) Format(ctx context.Context) (*RangeFormat, error) {
	return call[RangeFormat](ctx, r.wb, http.MethodGet, r.path+"/format", nil, nil)
}

// SetFormat changes the range's layout: the fields set in f.
func (r *Range) SetFormat(ctx context.Context, f RangeFormat) (*RangeFormat, error) {
	return call[RangeFormat](ctx, r.wb, http.MethodPatch, r.path+"/format", nil, f)
}

// Font reads the range's font.
func (r *Range) Font(ctx context.Context) (*RangeFont, error) {
	return call[RangeFont](ctx, r.wb, http.MethodGet, r.path+"/format/font", nil, nil)
}

// SetFont changes the range's font: the fields set in f.
func (r *Range) SetFont(ctx context.Context, f RangeFont) (*RangeFont, error) {
	return call[RangeFont](ctx, r.wb, http.MethodPatch, r.path+"/format/font", nil, f)
}

// Fill reads the range's background color.
func (r *Range) Fill(ctx context.Context) (*RangeFill, error) {
	return call[RangeFill](ctx, r.wb, http.MethodGet, r.path+"/format/fill", nil, nil)
}

// SetFill sets the range's background color ("#FFA500", "orange").
func (r *Range) SetFill(ctx context.Context, color string) (*RangeFill, error) {
	if strings.TrimSpace(color) == "" {
		return nil, fmt.Errorf("o365: excel: SetFill %s: the color is empty", r.addr)
	}
	return call[RangeFill](ctx, r.wb, http.MethodPatch, r.path+"/format/fill", nil, RangeFill{Color: color})
}

// RangeView is the visible cells of a range (workbookRangeView): the
// rows that no filter hides, each grid holding only those rows.
// CellAddresses names each cell ("Sheet1!A3"), so a visible row can be
// traced back to its place in the sheet.
type RangeView struct {
	Index         int        `json:"index"`
	RowCount      int        `json:"rowCount"`
	ColumnCount   int        `json:"columnCount"`
	CellAddresses [][]string `json:"cellAddresses,omitempty"`
	Values        [][]any    `json:"values,omitempty"`
	Formulas      [][]any    `json:"formulas,omitempty"`
	FormulasLocal [][]any    `json:"formulasLocal,omitempty"`
	FormulasR1C1  [][]any    `json:"formulasR1C1,omitempty"`
	NumberFormat  [][]any    `json:"numberFormat,omitempty"`
	Text          [][]string `json:"text,omitempty"`
	ValueTypes    [][]string `json:"valueTypes,omitempty"`
}

// VisibleView reads the range's visible cells: with a table filter
// applied, only the rows the filter shows.
func (r *Range) VisibleView(ctx context.Context) (*RangeView, error) {
	if r == nil {
		return nil, errNoWorkbook
	}
	return call[RangeView](ctx, r.wb, http.MethodGet, r.path+"/visibleView", nil, nil)
}

// VisibleRows lists the range's visible rows one view each, Index
// counting the visible rows from 0. Options: o365.Limit, o365.BatchSize.
func (r *Range) VisibleRows(ctx context.Context, opts ...api.ListOption) iter.Seq2[*RangeView, error] {
	if r == nil {
		return failed[RangeView](errNoWorkbook)
	}
	return list[RangeView](ctx, r.wb, r.path+"/visibleView/rows", nil, opts...)
}
