package excel

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"net/http"
	"strconv"

	"github.com/go-o365/o365/api"
)

// Table is an Excel table (workbookTable): a range with a header row,
// named columns, and rows that can be added, sorted and filtered.
type Table struct {
	ID                   string `json:"id,omitempty"`
	Name                 string `json:"name,omitempty"`
	ShowHeaders          bool   `json:"showHeaders"`
	ShowTotals           bool   `json:"showTotals"`
	Style                string `json:"style,omitempty"`
	HighlightFirstColumn bool   `json:"highlightFirstColumn,omitempty"`
	HighlightLastColumn  bool   `json:"highlightLastColumn,omitempty"`
	ShowBandedColumns    bool   `json:"showBandedColumns,omitempty"`
	ShowBandedRows       bool   `json:"showBandedRows,omitempty"`
	ShowFilterButton     bool   `json:"showFilterButton,omitempty"`
	LegacyID             string `json:"legacyId,omitempty"`

	wb *Workbook
}

// TableColumn is a column of a table (workbookTableColumn); Values holds
// its header and every cell, one per row.
type TableColumn struct {
	ID     string  `json:"id,omitempty"`
	Index  int     `json:"index"`
	Name   string  `json:"name,omitempty"`
	Values [][]any `json:"values,omitempty"`
}

// TableRow is a row of a table's body (workbookTableRow). Index is
// zero-based, the first row below the header being 0; Values holds one
// row (several for the answer of AddRows).
type TableRow struct {
	Index  int     `json:"index"`
	Values [][]any `json:"values,omitempty"`
}

// SortField is one key of a sort: Key is the zero-based column of the
// table.
type SortField struct {
	Key        int    `json:"key"`
	Ascending  bool   `json:"ascending"`
	SortOn     string `json:"sortOn,omitempty"`     // Value (default), CellColor, FontColor, Icon
	Color      string `json:"color,omitempty"`      // for CellColor and FontColor
	DataOption string `json:"dataOption,omitempty"` // Normal, TextAsNumber
	Icon       *Icon  `json:"icon,omitempty"`
}

// Icon is a cell icon of a conditional format, for sorts and filters on icons.
type Icon struct {
	Set   string `json:"set,omitempty"`
	Index int    `json:"index"`
}

// FilterCriteria is a column filter (workbookFilterCriteria). FilterOn
// says which fields count: Values (the cell values listed in Values),
// Custom (Criterion1, Operator, Criterion2, such as ">50" And "<100"),
// TopItems, TopPercent, BottomItems, BottomPercent (Criterion1 is the
// count), CellColor, FontColor (Color), Dynamic (DynamicCriteria), Icon.
type FilterCriteria struct {
	FilterOn        string `json:"filterOn,omitempty"`
	Criterion1      string `json:"criterion1,omitempty"`
	Criterion2      string `json:"criterion2,omitempty"`
	Operator        string `json:"operator,omitempty"` // And, Or
	Values          []any  `json:"values,omitempty"`
	Color           string `json:"color,omitempty"`
	DynamicCriteria string `json:"dynamicCriteria,omitempty"`
	Icon            *Icon  `json:"icon,omitempty"`
}

// filter is Graph's workbookFilter.
type filter struct {
	Criteria *FilterCriteria `json:"criteria"`
}

func tablePath(idOrName string) string { return "/tables/" + pathSeg(idOrName) }

// Tables lists the workbook's tables. Options: o365.Limit, o365.BatchSize.
func (w *Workbook) Tables(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Table, error] {
	return list(ctx, w, "/tables", func(t *Table) { t.wb = w }, opts...)
}

// Table fetches a table by name or id.
func (w *Workbook) Table(ctx context.Context, nameOrID string) (*Table, error) {
	if nameOrID == "" {
		return nil, fmt.Errorf("o365: excel: Table: the name is empty")
	}
	return callItem[Table](ctx, w, http.MethodGet, tablePath(nameOrID), nil)
}

// AddTable makes a table of a range given with its worksheet
// ("Sheet1!A1:C4"); see Worksheet.AddTable.
func (w *Workbook) AddTable(ctx context.Context, address string, hasHeaders bool) (*Table, error) {
	r, err := w.Range(address)
	if err != nil {
		return nil, err
	}
	return w.addTable(ctx, "/tables/add", r.addr, hasHeaders)
}

func (w *Workbook) addTable(ctx context.Context, path string, a Address, hasHeaders bool) (*Table, error) {
	if a.Unbounded() {
		return nil, fmt.Errorf("o365: excel: AddTable: %s is whole columns or rows; give a bounded range", a)
	}
	body := map[string]any{"address": a.String(), "hasHeaders": hasHeaders}
	return callItem[Table](ctx, w, http.MethodPost, path, body)
}

func (t *Table) ready(op string) error {
	if t == nil || t.wb == nil {
		return fmt.Errorf("o365: excel: %s: the Table was not fetched from a workbook", op)
	}
	if t.ID == "" && t.Name == "" {
		return fmt.Errorf("o365: excel: %s: the Table has no id", op)
	}
	return nil
}

func (t *Table) path() string { return tablePath(cmp.Or(t.ID, t.Name)) }

// Delete deletes the table, and its data with it.
func (t *Table) Delete(ctx context.Context) error {
	if err := t.ready("Delete"); err != nil {
		return err
	}
	return t.wb.do(ctx, http.MethodDelete, t.path(), nil, nil, nil)
}

// Range reads the table's whole range, header included.
func (t *Table) Range(ctx context.Context) (*RangeData, error) {
	if err := t.ready("Range"); err != nil {
		return nil, err
	}
	return call[RangeData](ctx, t.wb, http.MethodGet, t.path()+"/range", nil, nil)
}

// Columns lists the table's columns, each with its values.
func (t *Table) Columns(ctx context.Context) iter.Seq2[*TableColumn, error] {
	if err := t.ready("Columns"); err != nil {
		return failed[TableColumn](err)
	}
	return list[TableColumn](ctx, t.wb, t.path()+"/columns", nil)
}

// Rows lists the rows of the table's body. Options: o365.Limit, and
// o365.BatchSize to read a long table a page ($top) at a time.
func (t *Table) Rows(ctx context.Context, opts ...api.ListOption) iter.Seq2[*TableRow, error] {
	if err := t.ready("Rows"); err != nil {
		return failed[TableRow](err)
	}
	return list[TableRow](ctx, t.wb, t.path()+"/rows", nil, opts...)
}

// AddRows appends rows to the table in one call; see AddRowsAt. It asks
// Graph to respond async and, when Graph answers 202, waits for the
// operation (ctx ending the wait), so a big add does not time out.
func (t *Table) AddRows(ctx context.Context, values [][]any) (*TableRow, error) {
	return t.addRows(ctx, nil, values)
}

// AddRowsAt inserts rows before the body row index (zero-based), moving
// the rows below it down, in one call. Every row must be as long as the
// first (and as the table is wide, which Graph checks).
func (t *Table) AddRowsAt(ctx context.Context, index int, values [][]any) (*TableRow, error) {
	if index < 0 {
		return nil, fmt.Errorf("o365: excel: AddRowsAt: index %d is negative", index)
	}
	return t.addRows(ctx, &index, values)
}

func (t *Table) addRows(ctx context.Context, index *int, values [][]any) (*TableRow, error) {
	if err := t.ready("AddRows"); err != nil {
		return nil, err
	}
	if len(values) == 0 || len(values[0]) == 0 {
		return nil, fmt.Errorf("o365: excel: AddRows to table %q: no values", t.Name)
	}
	for i, row := range values {
		if len(row) != len(values[0]) {
			return nil, fmt.Errorf("o365: excel: AddRows to table %q: row %d has %d value(s), row 1 has %d", t.Name, i+1, len(row), len(values[0]))
		}
	}
	body := struct {
		Index  *int    `json:"index"`
		Values [][]any `json:"values"`
	}{index, values}
	return call[TableRow](respondAsync(ctx), t.wb, http.MethodPost, t.path()+"/rows/add", nil, body)
}

// DeleteRow deletes the body row index (zero-based); the rows below move
// up. Like AddRows it waits for Graph's operation when answered 202.
func (t *Table) DeleteRow(ctx context.Context, index int) error {
	if err := t.ready("DeleteRow"); err != nil {
		return err
	}
	if index < 0 {
		return fmt.Errorf("o365: excel: DeleteRow: index %d is negative", index)
	}
	return t.wb.do(respondAsync(ctx), http.MethodDelete, t.path()+"/rows/itemAt(index="+strconv.Itoa(index)+")", nil, nil, nil)
}

// Sort sorts the table's body by fields, the first one first.
func (t *Table) Sort(ctx context.Context, matchCase bool, fields ...SortField) error {
	if err := t.ready("Sort"); err != nil {
		return err
	}
	if len(fields) == 0 {
		return fmt.Errorf("o365: excel: Sort table %q: no fields", t.Name)
	}
	body := map[string]any{"fields": fields, "matchCase": matchCase}
	return t.wb.do(ctx, http.MethodPost, t.path()+"/sort/apply", nil, body, nil)
}

func (t *Table) columnPath(op, column string) (string, error) {
	if err := t.ready(op); err != nil {
		return "", err
	}
	if column == "" {
		return "", fmt.Errorf("o365: excel: %s on table %q: the column is empty", op, t.Name)
	}
	return t.path() + "/columns/" + pathSeg(column), nil
}

// ApplyFilter filters the table on a column (its id or name): rows whose
// cell does not meet criteria are hidden.
func (t *Table) ApplyFilter(ctx context.Context, column string, criteria FilterCriteria) error {
	p, err := t.columnPath("ApplyFilter", column)
	if err != nil {
		return err
	}
	if criteria.FilterOn == "" {
		return fmt.Errorf("o365: excel: ApplyFilter on %q: criteria.FilterOn is empty", column)
	}
	return t.wb.do(ctx, http.MethodPost, p+"/filter/apply", nil, filter{Criteria: &criteria}, nil)
}

// Filter reads the filter of a column; nil when there is none.
func (t *Table) Filter(ctx context.Context, column string) (*FilterCriteria, error) {
	p, err := t.columnPath("Filter", column)
	if err != nil {
		return nil, err
	}
	f, err := call[filter](ctx, t.wb, http.MethodGet, p+"/filter", nil, nil)
	if err != nil {
		return nil, err
	}
	return f.Criteria, nil
}

// ClearFilter removes the filter of a column.
func (t *Table) ClearFilter(ctx context.Context, column string) error {
	p, err := t.columnPath("ClearFilter", column)
	if err != nil {
		return err
	}
	return t.wb.do(ctx, http.MethodPost, p+"/filter/clear", nil, struct{}{}, nil)
}

// VisibleView reads the visible cells of the table's range, header
// included: the rows its filters show.
func (t *Table) VisibleView(ctx context.Context) (*RangeView, error) {
	if err := t.ready("VisibleView"); err != nil {
		return nil, err
	}
	return call[RangeView](ctx, t.wb, http.MethodGet, t.path()+"/range/visibleView", nil, nil)
}
