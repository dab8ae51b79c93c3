package excel

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"

	"github.com/go-o365/o365/drive"
)

// NamedItem is a defined name of the workbook (workbookNamedItem), such
// as "Totals" for "=Sheet1!$B$5". Value is what the name refers to
// ("Sheet1!$B$5" for a Range), as Graph sends it.
type NamedItem struct {
	Name    string `json:"name,omitempty"`
	Type    string `json:"type,omitempty"` // Range, String, Integer, Double, Boolean, Error
	Value   any    `json:"value,omitempty"`
	Visible bool   `json:"visible"`
	Comment string `json:"comment,omitempty"`
	Scope   string `json:"scope,omitempty"` // Workbook, or the worksheet's name

	wb *Workbook
}

// pathSeg escapes a name or id for one URL path segment.
func pathSeg(s string) string { return drive.PathSegment(s) }

// Names lists the workbook's defined names.
func (w *Workbook) Names(ctx context.Context) iter.Seq2[*NamedItem, error] {
	return list(ctx, w, "/names", func(n *NamedItem) { n.wb = w })
}

// Name fetches a defined name.
func (w *Workbook) Name(ctx context.Context, name string) (*NamedItem, error) {
	if name == "" {
		return nil, fmt.Errorf("o365: excel: Name: the name is empty")
	}
	return callItem[NamedItem](ctx, w, http.MethodGet, "/names/"+pathSeg(name), nil)
}

// AddName defines name as reference, a formula such as "=Sheet1!$A$1:$C$3"
// (checked as an address, without the '=', when it is one), with an
// optional comment.
func (w *Workbook) AddName(ctx context.Context, name, reference, comment string) (*NamedItem, error) {
	if name == "" || reference == "" {
		return nil, fmt.Errorf("o365: excel: AddName: the name and the reference must both be given")
	}
	body := map[string]string{"name": name, "reference": reference}
	if comment != "" {
		body["comment"] = comment
	}
	return callItem[NamedItem](ctx, w, http.MethodPost, "/names/add", body)
}

// Range reads the range a name refers to. A name that is not a range
// (a constant) gets Graph's error.
func (n *NamedItem) Range(ctx context.Context) (*RangeData, error) {
	if n == nil || n.wb == nil {
		return nil, fmt.Errorf("o365: excel: Range: the NamedItem was not fetched from a workbook")
	}
	return call[RangeData](ctx, n.wb, http.MethodGet, "/names/"+pathSeg(n.Name)+"/range", nil, nil)
}

// FunctionResult is the answer of a workbook function
// (workbookFunctionResult): Value, or Error holding an Excel error such
// as "#NUM!".
type FunctionResult struct {
	Value any    `json:"value"`
	Error string `json:"error,omitempty"`
}

// Err is the result's Excel error as a Go error, nil when there is none.
func (r *FunctionResult) Err() error {
	if r == nil || r.Error == "" {
		return nil
	}
	return fmt.Errorf("o365: excel: the function returned %s", r.Error)
}

// Function calls one of Excel's worksheet functions through Graph
// (POST …/workbook/functions/{name}) with its arguments by name, e.g.
// Function(ctx, "pmt", map[string]any{"rate": 0.035, "nper": 20, "pv": -2000})
// or Function(ctx, "sum", map[string]any{"values": []any{1, 2, RangeArg("Sheet1!B2:B4")}}).
// An Excel error ("#DIV/0!") comes back in the result's Error, not as err.
func (w *Workbook) Function(ctx context.Context, name string, args map[string]any) (*FunctionResult, error) {
	if name == "" {
		return nil, fmt.Errorf("o365: excel: Function: the name is empty")
	}
	if args == nil {
		args = map[string]any{}
	}
	return call[FunctionResult](ctx, w, http.MethodPost, "/functions/"+url.PathEscape(name), nil, args)
}

// RangeArg is a function argument that refers to cells ("Sheet1!B2:B4"),
// as Graph takes it: {"address": "Sheet1!B2:B4"}.
func RangeArg(address string) map[string]string { return map[string]string{"address": address} }
