package excel

import (
	"cmp"
	"context"
	"crypto/sha256"
	"fmt"
	"iter"
	"net/http"
	"strconv"

	"github.com/go-o365/o365/api"
)

// Worksheet is a sheet of the workbook (workbookWorksheet).
type Worksheet struct {
	ID         string `json:"id,omitempty"`
	Name       string `json:"name,omitempty"`
	Position   int    `json:"position"`             // zero-based
	Visibility string `json:"visibility,omitempty"` // Visible, Hidden, VeryHidden

	wb *Workbook
}

// call sends one workbook call and decodes its answer into a new T.
func call[T any](ctx context.Context, w *Workbook, method, path string, params api.Params, body any) (*T, error) {
	out := new(T)
	if err := w.do(ctx, method, path, params, body, out); err != nil {
		return nil, err
	}
	return out, nil
}

// workbookItem is a Table, Worksheet or NamedItem: each keeps the
// workbook it came from, for its own calls.
type workbookItem[T any] interface {
	*T
	setWorkbook(*Workbook)
}

func (t *Table) setWorkbook(w *Workbook)     { t.wb = w }
func (s *Worksheet) setWorkbook(w *Workbook) { s.wb = w }
func (n *NamedItem) setWorkbook(w *Workbook) { n.wb = w }

// callItem is call for a workbookItem, which comes back tied to w.
func callItem[T any, P workbookItem[T]](ctx context.Context, w *Workbook, method, path string, body any) (P, error) {
	out, err := call[T](ctx, w, method, path, nil, body)
	if err != nil {
		return nil, err
	}
	P(out).setWorkbook(w)
	return out, nil
}

// list yields the items of a workbook collection. Graph pages workbook
// collections with $top and $skip rather than @odata.nextLink, so with a
// batch size it asks page after page until one comes back short; a
// nextLink, when Graph sends one, is followed as it is, with the same
// bounds as api.Pager: a page asked for twice, or more than
// api.MaxEmptyPages empty pages with a next link in a row, end the
// iteration with api.ErrPagingLoop rather than follow a server for ever.
// So does a $skip page identical to one already read (a server that
// ignores $skip), since every item Graph lists here differs from the
// others by its id, name or index.
func list[T any](ctx context.Context, w *Workbook, path string, attach func(*T), opts ...api.ListOption) iter.Seq2[*T, error] {
	cfg := api.NewListConfig(opts...)
	return func(yield func(*T, error) bool) {
		if err := w.ready(); err != nil {
			yield(nil, err)
			return
		}
		next, skip, yielded, empty := w.base+path, 0, 0, 0
		fetched := map[string]bool{}
		var pages map[[sha256.Size]byte]bool // the $skip pages read, when paging so
		for {
			params := api.Params{}
			for k, v := range cfg.Params {
				params[k] = v
			}
			if cfg.BatchSize > 0 {
				params["$top"] = strconv.Itoa(cfg.BatchSize)
				if skip > 0 {
					params["$skip"] = strconv.Itoa(skip)
				}
			}
			asked, err := api.AddParams(next, params)
			if err != nil {
				yield(nil, err)
				return
			}
			if fetched[asked] {
				yield(nil, fmt.Errorf("o365: excel: %w: the next link %s repeats a page already read",
					api.ErrPagingLoop, api.RedactURL(asked)))
				return
			}
			fetched[asked] = true
			page := new(api.Page[*T])
			if err := w.doURL(ctx, http.MethodGet, next, params, nil, page); err != nil {
				yield(nil, err)
				return
			}
			if len(page.Value) == 0 && page.NextLink != "" {
				if empty++; empty > api.MaxEmptyPages {
					yield(nil, fmt.Errorf("o365: excel: %w: %d empty pages in a row, each with a next link",
						api.ErrPagingLoop, empty))
					return
				}
			} else {
				empty = 0
			}
			if cfg.BatchSize > 0 && page.NextLink == "" && len(page.Value) == cfg.BatchSize {
				raw, err := api.Marshal(page.Value)
				if err != nil {
					yield(nil, err)
					return
				}
				sum := sha256.Sum256(raw)
				if pages[sum] {
					yield(nil, fmt.Errorf("o365: excel: %w: the page at $skip=%d repeats one already read (the server ignores $skip)",
						api.ErrPagingLoop, skip))
					return
				}
				if pages == nil {
					pages = map[[sha256.Size]byte]bool{}
				}
				pages[sum] = true
			}
			for _, it := range page.Value {
				if it == nil {
					continue
				}
				if attach != nil {
					attach(it)
				}
				if !yield(it, nil) {
					return
				}
				yielded++
				if cfg.Limit > 0 && yielded >= cfg.Limit {
					return
				}
			}
			switch {
			case page.NextLink != "":
				next, cfg.Params, cfg.BatchSize = page.NextLink, nil, 0
			case cfg.BatchSize > 0 && len(page.Value) == cfg.BatchSize:
				skip += cfg.BatchSize
			default:
				return
			}
		}
	}
}

// failed is an iterator that yields err once.
func failed[T any](err error) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) { yield(nil, err) }
}

// Worksheets lists the workbook's worksheets in their order.
func (w *Workbook) Worksheets(ctx context.Context) iter.Seq2[*Worksheet, error] {
	return list(ctx, w, "/worksheets", func(s *Worksheet) { s.wb = w })
}

// Worksheet fetches a worksheet by name or id.
func (w *Workbook) Worksheet(ctx context.Context, nameOrID string) (*Worksheet, error) {
	if nameOrID == "" {
		return nil, fmt.Errorf("o365: excel: Worksheet: the name is empty")
	}
	return callItem[Worksheet](ctx, w, http.MethodGet, sheetPath(nameOrID), nil)
}

// AddWorksheet adds a worksheet at the end; an empty name lets Excel
// choose one ("Sheet2").
func (w *Workbook) AddWorksheet(ctx context.Context, name string) (*Worksheet, error) {
	body := map[string]string{}
	if name != "" {
		body["name"] = name
	}
	return callItem[Worksheet](ctx, w, http.MethodPost, "/worksheets/add", body)
}

func (s *Worksheet) ready(op string) error {
	if s == nil || s.wb == nil {
		return fmt.Errorf("o365: excel: %s: the Worksheet was not fetched from a workbook", op)
	}
	if s.ID == "" && s.Name == "" {
		return fmt.Errorf("o365: excel: %s: the Worksheet has no id", op)
	}
	return nil
}

func (s *Worksheet) path() string { return sheetPath(cmp.Or(s.ID, s.Name)) }

// Rename gives the worksheet a new name.
func (s *Worksheet) Rename(ctx context.Context, name string) error {
	if err := s.ready("Rename"); err != nil {
		return err
	}
	if name == "" {
		return fmt.Errorf("o365: excel: Rename %q: the new name is empty", s.Name)
	}
	got, err := call[Worksheet](ctx, s.wb, http.MethodPatch, s.path(), nil, map[string]string{"name": name})
	if err != nil {
		return err
	}
	s.Name, s.Position, s.Visibility = got.Name, got.Position, got.Visibility
	return nil
}

// Delete deletes the worksheet.
func (s *Worksheet) Delete(ctx context.Context) error {
	if err := s.ready("Delete"); err != nil {
		return err
	}
	return s.wb.do(ctx, http.MethodDelete, s.path(), nil, nil, nil)
}

// Range addresses cells of this worksheet: "A1:C3", "B2", "A:C". An
// address naming another worksheet, or a malformed one, is an error
// before any request.
func (s *Worksheet) Range(address string) (*Range, error) {
	if err := s.ready("Range"); err != nil {
		return nil, err
	}
	a, err := ParseAddress(address)
	if err != nil {
		return nil, err
	}
	if a.Sheet != "" && a.Sheet != s.Name {
		return nil, fmt.Errorf("o365: excel: range address %q names worksheet %q, not %q", address, a.Sheet, s.Name)
	}
	a.Sheet = s.Name
	r := s.wb.rangeAt(a)
	r.path = s.path() + "/range(address='" + escapeLocal(a) + "')"
	return r, nil
}

// UsedRange reads the smallest range that holds every used cell of the
// worksheet; with valuesOnly, cells that are only formatted do not
// count. An empty worksheet reports A1.
func (s *Worksheet) UsedRange(ctx context.Context, valuesOnly bool) (*RangeData, error) {
	if err := s.ready("UsedRange"); err != nil {
		return nil, err
	}
	p := s.path() + "/usedRange"
	if valuesOnly {
		p += "(valuesOnly=true)"
	}
	return call[RangeData](ctx, s.wb, http.MethodGet, p, nil, nil)
}

// Tables lists the worksheet's tables.
func (s *Worksheet) Tables(ctx context.Context) iter.Seq2[*Table, error] {
	if err := s.ready("Tables"); err != nil {
		return failed[Table](err)
	}
	return list(ctx, s.wb, s.path()+"/tables", func(t *Table) { t.wb = s.wb })
}

// AddTable makes a table of the range address of this worksheet
// ("A1:C4"). With hasHeaders its first row names the columns; without,
// Excel inserts a header row (Column1, Column2, …) above the data.
func (s *Worksheet) AddTable(ctx context.Context, address string, hasHeaders bool) (*Table, error) {
	r, err := s.Range(address)
	if err != nil {
		return nil, err
	}
	return s.wb.addTable(ctx, s.path()+"/tables/add", r.addr, hasHeaders)
}
