package graphtest

import (
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/go-o365/o365/graphtest/internal/workbook"
)

func (wr *workbookRequest) entity(status int, m map[string]any, set string) {
	m["@odata.context"] = wr.base + "/$metadata#" + set + "/$entity"
	writeGraphJSON(wr.w, status, m)
}

// page answers a workbook collection, honouring $top and $skip.
func (wr *workbookRequest) page(items []map[string]any, set string) {
	q := wr.r.URL.Query()
	skip, _ := strconv.Atoi(q.Get("$skip"))
	skip = min(max(skip, 0), len(items))
	items = items[skip:]
	if top, err := strconv.Atoi(q.Get("$top")); err == nil && top >= 0 && top < len(items) {
		items = items[:top]
	}
	writeGraphJSON(wr.w, http.StatusOK, map[string]any{"@odata.context": wr.base + "/$metadata#" + set, "value": items})
}

// serveWorksheets answers worksheets, worksheets/add, worksheets/{id}
// and what is below a worksheet.
func (wr *workbookRequest) serveWorksheets(rest []string, key string) {
	w, r, b := wr.w, wr.r, wr.book
	if key == "" && (len(rest) == 0 || strings.EqualFold(rest[0], "add")) {
		switch {
		case len(rest) == 0 && r.Method == http.MethodGet:
			items := make([]map[string]any, 0, len(b.Sheets))
			for _, sh := range b.Sheets {
				items = append(items, workbook.SheetJSON(b, sh))
			}
			wr.page(items, "worksheets")
		case r.Method == http.MethodPost && len(rest) <= 1:
			var body struct {
				Name string `json:"name"`
			}
			if e := readExcelBody(r, &body); e != nil {
				writeExcelErr(w, e)
				return
			}
			name := strings.TrimSpace(body.Name)
			if name == "" {
				for n := len(b.Sheets) + 1; ; n++ {
					if name = "Sheet" + strconv.Itoa(n); b.SheetByName(name) == nil {
						break
					}
				}
			}
			if e := workbook.CheckSheetName(b, name, nil); e != nil {
				writeExcelErr(w, e)
				return
			}
			sh := b.AddSheet(name)
			wr.entity(http.StatusCreated, workbook.SheetJSON(b, sh), "worksheets")
		default:
			writeExcelErr(w, xMethod())
		}
		return
	}
	key, rest = keyOf(key, rest)
	sh := b.Sheet(key)
	if sh == nil {
		writeExcelErr(w, workbook.NotFound("worksheet '"+key+"'"))
		return
	}
	if len(rest) == 0 {
		switch r.Method {
		case http.MethodGet:
		case http.MethodPatch:
			var body struct {
				Name       *string `json:"name"`
				Position   *int    `json:"position"`
				Visibility *string `json:"visibility"`
			}
			if e := readExcelBody(r, &body); e != nil {
				writeExcelErr(w, e)
				return
			}
			if body.Name != nil {
				if e := workbook.CheckSheetName(b, *body.Name, sh); e != nil {
					writeExcelErr(w, e)
					return
				}
				sh.Name = *body.Name
			}
			if body.Position != nil {
				if *body.Position < 0 || *body.Position >= len(b.Sheets) {
					writeExcelErr(w, workbook.Invalid("The position is outside the worksheets."))
					return
				}
				i := slices.Index(b.Sheets, sh)
				b.Sheets = slices.Insert(slices.Delete(b.Sheets, i, i+1), *body.Position, sh)
			}
			if body.Visibility != nil {
				switch *body.Visibility {
				case "Visible", "Hidden", "VeryHidden":
					sh.Visibility = *body.Visibility
				default:
					writeExcelErr(w, workbook.Invalid("visibility must be Visible, Hidden or VeryHidden."))
					return
				}
			}
		case http.MethodDelete:
			visible := 0
			for _, o := range b.Sheets {
				if o.Visibility == "Visible" {
					visible++
				}
			}
			if visible <= 1 && sh.Visibility == "Visible" {
				writeExcelErr(w, &workbook.Error{Status: http.StatusBadRequest, Code: "invalidRequest", Message: "A workbook must contain at least one visible worksheet.", Inner: "invalidOperation"})
				return
			}
			b.Sheets = slices.DeleteFunc(b.Sheets, func(o *workbook.Sheet) bool { return o == sh })
			b.Tables = slices.DeleteFunc(b.Tables, func(t *workbook.Table) bool { return t.SheetID == sh.ID })
			w.WriteHeader(http.StatusNoContent)
			return
		default:
			writeExcelErr(w, xMethod())
			return
		}
		wr.entity(http.StatusOK, workbook.SheetJSON(b, sh), "worksheets")
		return
	}
	name, k, args := workbook.ParseSegment(rest[0])
	switch strings.ToLower(name) {
	case "range":
		addr, ok := args["address"]
		if !ok && k != "" {
			addr = k
		}
		a, err := workbook.ParseAddress(addr)
		if err != nil || (a.Sheet != "" && !strings.EqualFold(a.Sheet, sh.Name)) {
			writeExcelErr(w, workbook.Invalid("The argument is invalid or missing or has an incorrect format."))
			return
		}
		wr.serveRange(workbook.Range{Sheet: sh, Addr: a}, rest[1:])
	case "usedrange":
		wr.serveRange(b.UsedRange(sh, strings.EqualFold(args["valuesonly"], "true")), rest[1:])
	case "tables":
		wr.serveTables(sh, rest[1:], k)
	case "charts":
		wr.serveCharts(sh, rest[1:], k)
	default:
		writeExcelErr(w, xUnknown(rest[0]))
	}
}

// serveTables answers tables of the workbook (on nil) or of a sheet.
func (wr *workbookRequest) serveTables(on *workbook.Sheet, rest []string, key string) {
	w, r, b := wr.w, wr.r, wr.book
	if key == "" && (len(rest) == 0 || strings.EqualFold(rest[0], "add")) {
		switch {
		case len(rest) == 0 && r.Method == http.MethodGet:
			items := []map[string]any{}
			for _, t := range b.Tables {
				if on == nil || t.SheetID == on.ID {
					items = append(items, workbook.TableJSON(t))
				}
			}
			wr.page(items, "tables")
		case len(rest) == 1 && r.Method == http.MethodPost:
			wr.addTable(on)
		default:
			writeExcelErr(w, xMethod())
		}
		return
	}
	key, rest = keyOf(key, rest)
	t := b.Table(key)
	if t == nil || (on != nil && t.SheetID != on.ID) {
		writeExcelErr(w, workbook.NotFound("table '"+key+"'"))
		return
	}
	sh := b.SheetByID(t.SheetID)
	if len(rest) == 0 {
		switch r.Method {
		case http.MethodGet:
		case http.MethodPatch:
			var body struct {
				Name       *string `json:"name"`
				Style      *string `json:"style"`
				ShowTotals *bool   `json:"showTotals"`
			}
			if e := readExcelBody(r, &body); e != nil {
				writeExcelErr(w, e)
				return
			}
			if body.Name != nil {
				if o := b.Table(*body.Name); o != nil && o != t {
					writeExcelErr(w, workbook.Exists())
					return
				}
				t.Name = *body.Name
			}
			if body.Style != nil {
				t.Style = *body.Style
			}
			if body.ShowTotals != nil {
				t.ShowTotals = *body.ShowTotals
			}
		case http.MethodDelete:
			b.ClearRange(workbook.Range{Sheet: sh, Addr: t.Addr()}, "All")
			b.Tables = slices.DeleteFunc(b.Tables, func(o *workbook.Table) bool { return o == t })
			w.WriteHeader(http.StatusNoContent)
			return
		default:
			writeExcelErr(w, xMethod())
			return
		}
		wr.entity(http.StatusOK, workbook.TableJSON(t), "tables")
		return
	}
	name, k, args := workbook.ParseSegment(rest[0])
	switch strings.ToLower(name) {
	case "range":
		wr.serveRange(workbook.Range{Sheet: sh, Addr: t.Addr()}, rest[1:])
	case "columns":
		wr.serveColumns(t, sh, rest[1:], k)
	case "rows":
		wr.serveRows(t, sh, rest[1:])
	case "sort":
		if len(rest) != 2 || !strings.EqualFold(rest[1], "apply") || r.Method != http.MethodPost {
			writeExcelErr(w, xUnknown(rest[len(rest)-1]))
			return
		}
		wr.sortTable(t, sh)
	default:
		_ = args
		writeExcelErr(w, xUnknown(rest[0]))
	}
}

// addTable answers tables/add: a table over an address, with headers
// from its first row, or a header row inserted above it.
func (wr *workbookRequest) addTable(on *workbook.Sheet) {
	b := wr.book
	var body struct {
		Address    string `json:"address"`
		HasHeaders bool   `json:"hasHeaders"`
	}
	if e := readExcelBody(wr.r, &body); e != nil {
		writeExcelErr(wr.w, e)
		return
	}
	a, err := workbook.ParseAddress(body.Address)
	if err != nil || a.Unbounded() {
		writeExcelErr(wr.w, workbook.Invalid("The argument is invalid or missing or has an incorrect format."))
		return
	}
	sh := on
	switch {
	case a.Sheet != "" && on != nil && !strings.EqualFold(a.Sheet, on.Name):
		writeExcelErr(wr.w, workbook.Invalid("The address names another worksheet."))
		return
	case a.Sheet != "":
		sh = b.SheetByName(a.Sheet)
	case sh == nil:
		sh = b.Sheets[0]
	}
	if sh == nil {
		writeExcelErr(wr.w, workbook.NotFound("worksheet '"+a.Sheet+"'"))
		return
	}
	end := a.R2
	if !body.HasHeaders {
		end++ // the header row Excel inserts
	}
	for _, o := range b.Tables {
		if o.SheetID == sh.ID && o.R1 <= end && a.R1 <= o.R2 && o.C1 <= a.C2 && a.C1 <= o.C2 {
			writeExcelErr(wr.w, workbook.Invalid("A table can't overlap another table."))
			return
		}
	}
	if !body.HasHeaders {
		workbook.ShiftRows(sh, a.C1, a.C2, a.R1, 1)
		a.R2++
		for c := a.C1; c <= a.C2; c++ {
			sh.SetValue(workbook.CellKey(a.R1, c), "Column"+strconv.Itoa(c-a.C1+1))
		}
	}
	b.NextTable++
	t := &workbook.Table{ID: strconv.Itoa(b.NextTable), SheetID: sh.ID, R1: a.R1, C1: a.C1, R2: a.R2, C2: a.C2,
		Style: "TableStyleMedium2", Filters: map[string]map[string]any{}}
	for n := b.NextTable; ; n++ {
		if t.Name = "Table" + strconv.Itoa(n); b.Table(t.Name) == nil {
			break
		}
	}
	seen := map[string]bool{}
	for c := a.C1; c <= a.C2; c++ {
		h := workbook.CellText(b.Value(sh, sh.Cells[workbook.CellKey(a.R1, c)]), "")
		if h == "" {
			h = "Column" + strconv.Itoa(c-a.C1+1)
		}
		for base, n := h, 2; seen[strings.ToLower(h)]; n++ {
			h = base + strconv.Itoa(n)
		}
		seen[strings.ToLower(h)] = true
		sh.SetValue(workbook.CellKey(a.R1, c), h)
		t.NextCol++
		t.Columns = append(t.Columns, workbook.Column{ID: strconv.Itoa(t.NextCol), Name: h})
	}
	b.Tables = append(b.Tables, t)
	wr.entity(http.StatusCreated, workbook.TableJSON(t), "tables")
}

func (wr *workbookRequest) serveColumns(t *workbook.Table, sh *workbook.Sheet, rest []string, key string) {
	b := wr.book
	colJSON := func(i int) map[string]any {
		vals := [][]any{}
		for r := t.R1; r <= t.R2; r++ {
			vals = append(vals, []any{workbook.OrEmpty(b.Value(sh, sh.Cells[workbook.CellKey(r, t.C1+i)]))})
		}
		return map[string]any{"id": t.Columns[i].ID, "index": i, "name": t.Columns[i].Name, "values": vals}
	}
	if key == "" && len(rest) == 0 {
		if wr.r.Method != http.MethodGet {
			writeExcelErr(wr.w, xMethod())
			return
		}
		items := []map[string]any{}
		for i := range t.Columns {
			items = append(items, colJSON(i))
		}
		wr.page(items, "columns")
		return
	}
	key, rest = keyOf(key, rest)
	i := slices.IndexFunc(t.Columns, func(c workbook.Column) bool { return c.ID == key || strings.EqualFold(c.Name, key) })
	if i < 0 {
		writeExcelErr(wr.w, workbook.NotFound("column '"+key+"'"))
		return
	}
	col := t.Columns[i]
	switch {
	case len(rest) == 0 && wr.r.Method == http.MethodGet:
		wr.entity(http.StatusOK, colJSON(i), "columns")
	case len(rest) == 1 && strings.EqualFold(rest[0], "filter") && wr.r.Method == http.MethodGet:
		var crit any
		if f, ok := t.Filters[col.ID]; ok {
			crit = f
		}
		writeGraphJSON(wr.w, http.StatusOK, map[string]any{"criteria": crit})
	case len(rest) == 2 && strings.EqualFold(rest[0], "filter") && wr.r.Method == http.MethodPost:
		switch strings.ToLower(rest[1]) {
		case "apply":
			var body struct {
				Criteria map[string]any `json:"criteria"`
			}
			if e := readExcelBody(wr.r, &body); e != nil {
				writeExcelErr(wr.w, e)
				return
			}
			if body.Criteria == nil {
				writeExcelErr(wr.w, workbook.Invalid("criteria is required."))
				return
			}
			if e := workbook.CheckFilter(body.Criteria); e != nil {
				writeExcelErr(wr.w, e)
				return
			}
			t.Filters[col.ID] = body.Criteria
		case "clear":
			delete(t.Filters, col.ID)
		default:
			writeExcelErr(wr.w, xUnknown(rest[1]))
			return
		}
		wr.w.WriteHeader(http.StatusOK)
	case len(rest) >= 1 && strings.EqualFold(rest[0], "range"):
		wr.serveRange(workbook.Range{Sheet: sh, Addr: workbook.Addr{R1: t.R1, C1: t.C1 + i, R2: t.R2, C2: t.C1 + i}}, rest[1:])
	default:
		writeExcelErr(wr.w, xUnknown(rest[len(rest)-1]))
	}
}

func (wr *workbookRequest) serveRows(t *workbook.Table, sh *workbook.Sheet, rest []string) {
	w, r, b := wr.w, wr.r, wr.book
	body := t.R2 - t.R1 // rows below the header
	rowJSON := func(i int) map[string]any {
		return map[string]any{"index": i, "values": [][]any{b.RowValues(sh, t, t.R1+1+i)}}
	}
	if len(rest) > 0 && rest[0] == "$" {
		rest = rest[1:]
	}
	if len(rest) == 0 && r.Method == http.MethodGet {
		items := make([]map[string]any, 0, body)
		for i := 0; i < body; i++ {
			items = append(items, rowJSON(i))
		}
		wr.page(items, "rows")
		return
	}
	if (len(rest) == 0 || (len(rest) == 1 && strings.EqualFold(rest[0], "add"))) && r.Method == http.MethodPost {
		var in struct {
			Index  *int    `json:"index"`
			Values [][]any `json:"values"`
		}
		if e := readExcelBody(r, &in); e != nil {
			writeExcelErr(w, e)
			return
		}
		cols := t.C2 - t.C1 + 1
		if len(in.Values) == 0 {
			writeExcelErr(w, workbook.Invalid("values is required."))
			return
		}
		for _, row := range in.Values {
			if len(row) != cols {
				writeExcelErr(w, workbook.Invalid("The number of values in a row doesn't match the number of columns of the table."))
				return
			}
			for j, v := range row {
				sv, ok := workbook.Scalar(v)
				if !ok {
					writeExcelErr(w, workbook.Invalid("A cell value must be a number, a string, a boolean or null."))
					return
				}
				row[j] = sv
			}
		}
		at := body
		if in.Index != nil {
			if *in.Index < 0 || *in.Index > body {
				writeExcelErr(w, workbook.Invalid("The index is outside the table's rows."))
				return
			}
			at = *in.Index
		}
		if t.R2+len(in.Values) > workbook.MaxRows {
			writeExcelErr(w, workbook.Invalid("The rows would run past the end of the worksheet."))
			return
		}
		apply := func() (map[string]any, *workbook.Error) {
			// Checked again: an async add runs later, on the table as
			// it is then.
			if at > t.R2-t.R1 {
				return nil, workbook.Invalid("The index is outside the table's rows.")
			}
			if t.R2+len(in.Values) > workbook.MaxRows {
				return nil, workbook.Invalid("The rows would run past the end of the worksheet.")
			}
			first := t.R1 + 1 + at
			workbook.ShiftRows(sh, t.C1, t.C2, first, len(in.Values))
			t.R2 += len(in.Values)
			out := make([][]any, len(in.Values))
			for i, row := range in.Values {
				for j, v := range row {
					sh.SetValue(workbook.CellKey(first+i, t.C1+j), v)
				}
				out[i] = b.RowValues(sh, t, first+i)
			}
			return map[string]any{"index": at, "values": out}, nil
		}
		if wr.respondAsync() {
			wr.startRowOperation(apply)
			return
		}
		res, _ := apply()
		wr.entity(http.StatusCreated, res, "rows")
		return
	}
	if len(rest) == 1 {
		name, _, args := workbook.ParseSegment(rest[0])
		i, ok := intArg(args, "index")
		if !strings.EqualFold(name, "itemAt") || !ok {
			writeExcelErr(w, xUnknown(rest[0]))
			return
		}
		if i < 0 || i >= body {
			writeExcelErr(w, workbook.NotFound("row "+strconv.Itoa(i)))
			return
		}
		switch r.Method {
		case http.MethodGet:
			wr.entity(http.StatusOK, rowJSON(i), "rows")
		case http.MethodDelete:
			apply := func() (map[string]any, *workbook.Error) {
				if i >= t.R2-t.R1 {
					return nil, workbook.NotFound("row " + strconv.Itoa(i))
				}
				workbook.ShiftRows(sh, t.C1, t.C2, t.R1+1+i, -1)
				t.R2--
				return nil, nil
			}
			if wr.respondAsync() {
				wr.startRowOperation(apply)
				return
			}
			apply()
			w.WriteHeader(http.StatusNoContent)
		default:
			writeExcelErr(w, xMethod())
		}
		return
	}
	writeExcelErr(w, xUnknown(rest[len(rest)-1]))
}

// sortTable answers sort/apply: a stable sort of the body rows.
func (wr *workbookRequest) sortTable(t *workbook.Table, sh *workbook.Sheet) {
	var in struct {
		Fields []struct {
			Key       int   `json:"key"`
			Ascending *bool `json:"ascending"`
		} `json:"fields"`
		MatchCase bool `json:"matchCase"`
	}
	if e := readExcelBody(wr.r, &in); e != nil {
		writeExcelErr(wr.w, e)
		return
	}
	cols := t.C2 - t.C1 + 1
	if len(in.Fields) == 0 {
		writeExcelErr(wr.w, workbook.Invalid("fields is required."))
		return
	}
	for _, f := range in.Fields {
		if f.Key < 0 || f.Key >= cols {
			writeExcelErr(wr.w, workbook.Invalid("A sort key is outside the table's columns."))
			return
		}
	}
	type row struct {
		cells []workbook.Cell
		vals  []any
	}
	var rows []row
	for r := t.R1 + 1; r <= t.R2; r++ {
		rw := row{cells: make([]workbook.Cell, cols), vals: make([]any, cols)}
		for c := 0; c < cols; c++ {
			rw.cells[c] = sh.Cells[workbook.CellKey(r, t.C1+c)]
			rw.vals[c] = wr.book.Value(sh, rw.cells[c])
		}
		rows = append(rows, rw)
	}
	slices.SortStableFunc(rows, func(a, b row) int {
		for _, f := range in.Fields {
			c := workbook.CompareCells(a.vals[f.Key], b.vals[f.Key], in.MatchCase)
			if f.Ascending != nil && !*f.Ascending {
				// Blanks stay last whichever the order.
				if a.vals[f.Key] != nil && b.vals[f.Key] != nil {
					c = -c
				}
			}
			if c != 0 {
				return c
			}
		}
		return 0
	})
	for i, rw := range rows {
		for c := 0; c < cols; c++ {
			k := workbook.CellKey(t.R1+1+i, t.C1+c)
			if rw.cells[c] == (workbook.Cell{}) {
				delete(sh.Cells, k)
			} else {
				sh.Cells[k] = rw.cells[c]
			}
		}
	}
	wr.w.WriteHeader(http.StatusOK)
}

// serveNames answers names, names/add, names/{name} and names/{name}/range.
func (wr *workbookRequest) serveNames(rest []string, key string) {
	w, r, b := wr.w, wr.r, wr.book
	if key == "" && (len(rest) == 0 || strings.EqualFold(rest[0], "add")) {
		switch {
		case len(rest) == 0 && r.Method == http.MethodGet:
			items := []map[string]any{}
			for _, n := range b.Names {
				items = append(items, b.NameJSON(n))
			}
			wr.page(items, "names")
		case len(rest) == 1 && r.Method == http.MethodPost:
			var in struct {
				Name      string `json:"name"`
				Reference any    `json:"reference"`
				Comment   string `json:"comment"`
			}
			if e := readExcelBody(r, &in); e != nil {
				writeExcelErr(w, e)
				return
			}
			if in.Name == "" || in.Reference == nil {
				writeExcelErr(w, workbook.Invalid("name and reference are required."))
				return
			}
			if b.Name(in.Name) != nil {
				writeExcelErr(w, workbook.Exists())
				return
			}
			n := &workbook.Name{Name: in.Name, Comment: in.Comment}
			ref, isStr := in.Reference.(string)
			a, err := workbook.ParseAddress(ref)
			switch {
			case isStr && err == nil && a.Sheet != "" && b.SheetByName(a.Sheet) != nil:
				n.SheetID, n.Addr = b.SheetByName(a.Sheet).ID, a
			case isStr && strings.HasPrefix(ref, "="):
				v := strings.TrimPrefix(ref, "=")
				if f, ok := workbook.Numeric(v); ok {
					n.Constant = f
				} else {
					n.Constant = workbook.Unquote(v)
				}
			default:
				sv, ok := workbook.Scalar(in.Reference)
				if !ok || sv == nil {
					writeExcelErr(w, workbook.Invalid("The reference is invalid."))
					return
				}
				n.Constant = sv
			}
			b.Names = append(b.Names, n)
			wr.entity(http.StatusCreated, b.NameJSON(n), "names")
		default:
			writeExcelErr(w, xMethod())
		}
		return
	}
	key, rest = keyOf(key, rest)
	n := b.Name(key)
	if n == nil {
		writeExcelErr(w, workbook.NotFound("name '"+key+"'"))
		return
	}
	switch {
	case len(rest) == 0 && r.Method == http.MethodGet:
		wr.entity(http.StatusOK, b.NameJSON(n), "names")
	case len(rest) == 0 && r.Method == http.MethodDelete:
		b.Names = slices.DeleteFunc(b.Names, func(o *workbook.Name) bool { return o == n })
		w.WriteHeader(http.StatusNoContent)
	case len(rest) >= 1 && strings.HasPrefix(strings.ToLower(rest[0]), "range"):
		sh := b.SheetByID(n.SheetID)
		if n.Constant != nil || sh == nil {
			writeExcelErr(w, workbook.Invalid("The name does not refer to a range."))
			return
		}
		wr.serveRange(workbook.Range{Sheet: sh, Addr: n.Addr}, rest[1:])
	default:
		writeExcelErr(w, xUnknown(rest[len(rest)-1]))
	}
}

// serveFunction answers functions/{name}: sum, average, max, min and
// count of numbers, arrays and ranges ({"address": "Sheet1!A1:B2"}),
// and pmt.
func (wr *workbookRequest) serveFunction(rest []string) {
	w, r, b := wr.w, wr.r, wr.book
	if len(rest) != 1 || r.Method != http.MethodPost {
		writeExcelErr(w, xMethod())
		return
	}
	var args map[string]any
	if e := readExcelBody(r, &args); e != nil {
		writeExcelErr(w, e)
		return
	}
	fn := strings.ToLower(strings.TrimSuffix(rest[0], "()"))
	var (
		value any
		ferr  string
	)
	switch fn {
	case "sum", "average", "max", "min", "count":
		var nums []float64
		var walk func(v any) *workbook.Error
		walk = func(v any) *workbook.Error {
			switch x := v.(type) {
			case []any:
				for _, e := range x {
					if err := walk(e); err != nil {
						return err
					}
				}
			case map[string]any:
				addr, _ := x["address"].(string)
				if addr == "" {
					addr, _ = x["Address"].(string)
				}
				a, err := workbook.ParseAddress(addr)
				sh := b.Sheets[0]
				if a.Sheet != "" {
					sh = b.SheetByName(a.Sheet)
				}
				if err != nil || sh == nil || a.Unbounded() {
					return workbook.Invalid("The argument is invalid or missing or has an incorrect format.")
				}
				workbook.ForCells(sh.Cells, a, func(k uint64) {
					if f, ok := b.Value(sh, sh.Cells[k]).(float64); ok {
						nums = append(nums, f)
					}
				})
			default:
				sv, _ := workbook.Scalar(x)
				switch y := sv.(type) {
				case float64:
					nums = append(nums, y)
				case bool:
					if y {
						nums = append(nums, 1)
					} else {
						nums = append(nums, 0)
					}
				case string:
					if f, ok := workbook.Numeric(y); ok {
						nums = append(nums, f)
					} else {
						ferr = "#VALUE!"
					}
				}
			}
			return nil
		}
		keys := make([]string, 0, len(args))
		for k := range args {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if e := walk(args[k]); e != nil {
				writeExcelErr(w, e)
				return
			}
		}
		if ferr == "" {
			value, ferr = workbook.Aggregate(fn, nums)
		}
	case "pmt":
		num := func(k string, def float64, required bool) (float64, bool) {
			v, ok := args[k]
			if !ok {
				return def, !required
			}
			sv, _ := workbook.Scalar(v)
			f, isF := sv.(float64)
			return f, isF
		}
		rate, ok1 := num("rate", 0, true)
		nper, ok2 := num("nper", 0, true)
		pv, ok3 := num("pv", 0, true)
		fv, ok4 := num("fv", 0, false)
		typ, ok5 := num("type", 0, false)
		switch {
		case !(ok1 && ok2 && ok3 && ok4 && ok5):
			ferr = "#VALUE!"
		case nper == 0:
			ferr = "#NUM!"
		case rate == 0:
			value = -(pv + fv) / nper
		default:
			g := math.Pow(1+rate, nper)
			value = -(pv*g + fv) * rate / ((1 + rate*typ) * (g - 1))
		}
	default:
		writeExcelErr(w, &workbook.Error{Status: http.StatusNotImplemented, Code: "notImplemented", Message: "graphtest evaluates the functions sum, average, max, min, count and pmt only.", Inner: "notImplementedUncategorized"})
		return
	}
	out := map[string]any{
		"@odata.context": wr.base + "/$metadata#workbookFunctionResult",
		"@odata.type":    "#microsoft.graph.workbookFunctionResult",
		"value":          value,
		"error":          nil,
	}
	if ferr != "" {
		out["value"], out["error"] = nil, ferr
	}
	writeGraphJSON(w, http.StatusOK, out)
}
