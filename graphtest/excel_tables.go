package graphtest

import (
	"cmp"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// xTable is a table: a range of a sheet whose first row is its header.
type xTable struct {
	id, name, sheetID string
	r1, c1, r2, c2    int
	style             string
	showTotals        bool
	columns           []xColumn
	filters           map[string]map[string]any // by column id
	nextCol           int
}

type xColumn struct{ id, name string }

// xName is a defined name: a range (sheetID and bounds) or a constant.
type xName struct {
	name, comment string
	sheetID       string
	a             xAddr
	constant      any // when not a range
}

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

func sheetJSON(b *xBook, sh *xSheet) map[string]any {
	return map[string]any{"id": sh.id, "name": sh.name, "position": slices.Index(b.sheets, sh), "visibility": sh.visibility}
}

// serveWorksheets answers worksheets, worksheets/add, worksheets/{id}
// and what is below a worksheet.
func (wr *workbookRequest) serveWorksheets(rest []string, key string) {
	w, r, b := wr.w, wr.r, wr.book
	if key == "" && (len(rest) == 0 || strings.EqualFold(rest[0], "add")) {
		switch {
		case len(rest) == 0 && r.Method == http.MethodGet:
			items := make([]map[string]any, 0, len(b.sheets))
			for _, sh := range b.sheets {
				items = append(items, sheetJSON(b, sh))
			}
			wr.page(items, "worksheets")
		case r.Method == http.MethodPost && len(rest) <= 1:
			var body struct {
				Name string `json:"name"`
			}
			if e := readExcelBody(r, &body); e != nil {
				e.write(w)
				return
			}
			name := strings.TrimSpace(body.Name)
			if name == "" {
				for n := len(b.sheets) + 1; ; n++ {
					if name = "Sheet" + strconv.Itoa(n); b.sheetByName(name) == nil {
						break
					}
				}
			}
			if e := checkSheetName(b, name, nil); e != nil {
				e.write(w)
				return
			}
			sh := b.addSheet(name)
			wr.entity(http.StatusCreated, sheetJSON(b, sh), "worksheets")
		default:
			xMethod().write(w)
		}
		return
	}
	key, rest = keyOf(key, rest)
	sh := b.sheet(key)
	if sh == nil {
		xNotFound("worksheet '" + key + "'").write(w)
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
				e.write(w)
				return
			}
			if body.Name != nil {
				if e := checkSheetName(b, *body.Name, sh); e != nil {
					e.write(w)
					return
				}
				sh.name = *body.Name
			}
			if body.Position != nil {
				if *body.Position < 0 || *body.Position >= len(b.sheets) {
					xInvalid("The position is outside the worksheets.").write(w)
					return
				}
				i := slices.Index(b.sheets, sh)
				b.sheets = slices.Insert(slices.Delete(b.sheets, i, i+1), *body.Position, sh)
			}
			if body.Visibility != nil {
				switch *body.Visibility {
				case "Visible", "Hidden", "VeryHidden":
					sh.visibility = *body.Visibility
				default:
					xInvalid("visibility must be Visible, Hidden or VeryHidden.").write(w)
					return
				}
			}
		case http.MethodDelete:
			visible := 0
			for _, o := range b.sheets {
				if o.visibility == "Visible" {
					visible++
				}
			}
			if visible <= 1 && sh.visibility == "Visible" {
				(&excelErr{http.StatusBadRequest, "invalidRequest", "A workbook must contain at least one visible worksheet.", "invalidOperation"}).write(w)
				return
			}
			b.sheets = slices.DeleteFunc(b.sheets, func(o *xSheet) bool { return o == sh })
			b.tables = slices.DeleteFunc(b.tables, func(t *xTable) bool { return t.sheetID == sh.id })
			w.WriteHeader(http.StatusNoContent)
			return
		default:
			xMethod().write(w)
			return
		}
		wr.entity(http.StatusOK, sheetJSON(b, sh), "worksheets")
		return
	}
	name, k, args := parseSegment(rest[0])
	switch strings.ToLower(name) {
	case "range":
		addr, ok := args["address"]
		if !ok && k != "" {
			addr = k
		}
		a, err := parseXAddress(addr)
		if err != nil || (a.sheet != "" && !strings.EqualFold(a.sheet, sh.name)) {
			xInvalid("The argument is invalid or missing or has an incorrect format.").write(w)
			return
		}
		wr.serveRange(xRange{sh, a}, rest[1:])
	case "usedrange":
		wr.serveRange(b.usedRange(sh, strings.EqualFold(args["valuesonly"], "true")), rest[1:])
	case "tables":
		wr.serveTables(sh, rest[1:], k)
	default:
		xUnknown(rest[0]).write(w)
	}
}

func checkSheetName(b *xBook, name string, self *xSheet) *excelErr {
	if name == "" || len(name) > 31 || strings.ContainsAny(name, `:\/?*[]`) || strings.HasPrefix(name, "'") || strings.HasSuffix(name, "'") {
		return xInvalid("The worksheet name is invalid.")
	}
	if o := b.sheetByName(name); o != nil && o != self {
		return xExists()
	}
	return nil
}

func (b *xBook) table(key string) *xTable {
	for _, t := range b.tables {
		if t.id == key || strings.EqualFold(t.name, key) {
			return t
		}
	}
	return nil
}

// addr is the table's cells, its header row included.
func (t *xTable) addr() xAddr { return xAddr{r1: t.r1, c1: t.c1, r2: t.r2, c2: t.c2} }

func tableJSON(t *xTable) map[string]any {
	return map[string]any{
		"id": t.id, "name": t.name, "showHeaders": true, "showTotals": t.showTotals, "style": t.style,
		"highlightFirstColumn": false, "highlightLastColumn": false, "showBandedColumns": false,
		"showBandedRows": true, "showFilterButton": true, "legacyId": t.id,
	}
}

// serveTables answers tables of the workbook (on nil) or of a sheet.
func (wr *workbookRequest) serveTables(on *xSheet, rest []string, key string) {
	w, r, b := wr.w, wr.r, wr.book
	if key == "" && (len(rest) == 0 || strings.EqualFold(rest[0], "add")) {
		switch {
		case len(rest) == 0 && r.Method == http.MethodGet:
			items := []map[string]any{}
			for _, t := range b.tables {
				if on == nil || t.sheetID == on.id {
					items = append(items, tableJSON(t))
				}
			}
			wr.page(items, "tables")
		case len(rest) == 1 && r.Method == http.MethodPost:
			wr.addTable(on)
		default:
			xMethod().write(w)
		}
		return
	}
	key, rest = keyOf(key, rest)
	t := b.table(key)
	if t == nil || (on != nil && t.sheetID != on.id) {
		xNotFound("table '" + key + "'").write(w)
		return
	}
	sh := b.sheetByID(t.sheetID)
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
				e.write(w)
				return
			}
			if body.Name != nil {
				if o := b.table(*body.Name); o != nil && o != t {
					xExists().write(w)
					return
				}
				t.name = *body.Name
			}
			if body.Style != nil {
				t.style = *body.Style
			}
			if body.ShowTotals != nil {
				t.showTotals = *body.ShowTotals
			}
		case http.MethodDelete:
			b.clearRange(xRange{sh, t.addr()}, "All")
			b.tables = slices.DeleteFunc(b.tables, func(o *xTable) bool { return o == t })
			w.WriteHeader(http.StatusNoContent)
			return
		default:
			xMethod().write(w)
			return
		}
		wr.entity(http.StatusOK, tableJSON(t), "tables")
		return
	}
	name, k, args := parseSegment(rest[0])
	switch strings.ToLower(name) {
	case "range":
		wr.serveRange(xRange{sh, t.addr()}, rest[1:])
	case "columns":
		wr.serveColumns(t, sh, rest[1:], k)
	case "rows":
		wr.serveRows(t, sh, rest[1:])
	case "sort":
		if len(rest) != 2 || !strings.EqualFold(rest[1], "apply") || r.Method != http.MethodPost {
			xUnknown(rest[len(rest)-1]).write(w)
			return
		}
		wr.sortTable(t, sh)
	default:
		_ = args
		xUnknown(rest[0]).write(w)
	}
}

// addTable answers tables/add: a table over an address, with headers
// from its first row, or a header row inserted above it.
func (wr *workbookRequest) addTable(on *xSheet) {
	b := wr.book
	var body struct {
		Address    string `json:"address"`
		HasHeaders bool   `json:"hasHeaders"`
	}
	if e := readExcelBody(wr.r, &body); e != nil {
		e.write(wr.w)
		return
	}
	a, err := parseXAddress(body.Address)
	if err != nil || a.unbounded() {
		xInvalid("The argument is invalid or missing or has an incorrect format.").write(wr.w)
		return
	}
	sh := on
	switch {
	case a.sheet != "" && on != nil && !strings.EqualFold(a.sheet, on.name):
		xInvalid("The address names another worksheet.").write(wr.w)
		return
	case a.sheet != "":
		sh = b.sheetByName(a.sheet)
	case sh == nil:
		sh = b.sheets[0]
	}
	if sh == nil {
		xNotFound("worksheet '" + a.sheet + "'").write(wr.w)
		return
	}
	end := a.r2
	if !body.HasHeaders {
		end++ // the header row Excel inserts
	}
	for _, o := range b.tables {
		if o.sheetID == sh.id && o.r1 <= end && a.r1 <= o.r2 && o.c1 <= a.c2 && a.c1 <= o.c2 {
			xInvalid("A table can't overlap another table.").write(wr.w)
			return
		}
	}
	if !body.HasHeaders {
		shiftRows(sh, a.c1, a.c2, a.r1, 1)
		a.r2++
		for c := a.c1; c <= a.c2; c++ {
			sh.setValue(cellKey(a.r1, c), "Column"+strconv.Itoa(c-a.c1+1))
		}
	}
	b.nextTable++
	t := &xTable{id: strconv.Itoa(b.nextTable), sheetID: sh.id, r1: a.r1, c1: a.c1, r2: a.r2, c2: a.c2,
		style: "TableStyleMedium2", filters: map[string]map[string]any{}}
	for n := b.nextTable; ; n++ {
		if t.name = "Table" + strconv.Itoa(n); b.table(t.name) == nil {
			break
		}
	}
	seen := map[string]bool{}
	for c := a.c1; c <= a.c2; c++ {
		h := cellText(b.value(sh, sh.cells[cellKey(a.r1, c)]), "")
		if h == "" {
			h = "Column" + strconv.Itoa(c-a.c1+1)
		}
		for base, n := h, 2; seen[strings.ToLower(h)]; n++ {
			h = base + strconv.Itoa(n)
		}
		seen[strings.ToLower(h)] = true
		sh.setValue(cellKey(a.r1, c), h)
		t.nextCol++
		t.columns = append(t.columns, xColumn{id: strconv.Itoa(t.nextCol), name: h})
	}
	b.tables = append(b.tables, t)
	wr.entity(http.StatusCreated, tableJSON(t), "tables")
}

// shiftRows moves the cells of columns c1..c2 at row `from` and below
// by n rows: down for n > 0 (making room), up for n < 0 (removing rows
// from..from-n-1). Cells that would land above `from` or past the
// sheet's last row are dropped.
func shiftRows(sh *xSheet, c1, c2, from, n int) {
	type moved struct {
		k uint64
		c xCell
	}
	var ms []moved
	for k, c := range sh.cells {
		r, col := keyCell(k)
		if col >= c1 && col <= c2 && r >= from {
			ms = append(ms, moved{k, c})
		}
	}
	for _, m := range ms {
		delete(sh.cells, m.k)
	}
	for _, m := range ms {
		r, col := keyCell(m.k)
		if to := r + n; to >= from && to <= xMaxRows {
			sh.cells[cellKey(to, col)] = m.c
		}
	}
}

func (b *xBook) rowValues(sh *xSheet, t *xTable, row int) []any {
	out := make([]any, t.c2-t.c1+1)
	for c := t.c1; c <= t.c2; c++ {
		out[c-t.c1] = orEmpty(b.value(sh, sh.cells[cellKey(row, c)]))
	}
	return out
}

func (wr *workbookRequest) serveColumns(t *xTable, sh *xSheet, rest []string, key string) {
	b := wr.book
	colJSON := func(i int) map[string]any {
		vals := [][]any{}
		for r := t.r1; r <= t.r2; r++ {
			vals = append(vals, []any{orEmpty(b.value(sh, sh.cells[cellKey(r, t.c1+i)]))})
		}
		return map[string]any{"id": t.columns[i].id, "index": i, "name": t.columns[i].name, "values": vals}
	}
	if key == "" && len(rest) == 0 {
		if wr.r.Method != http.MethodGet {
			xMethod().write(wr.w)
			return
		}
		items := []map[string]any{}
		for i := range t.columns {
			items = append(items, colJSON(i))
		}
		wr.page(items, "columns")
		return
	}
	key, rest = keyOf(key, rest)
	i := slices.IndexFunc(t.columns, func(c xColumn) bool { return c.id == key || strings.EqualFold(c.name, key) })
	if i < 0 {
		xNotFound("column '" + key + "'").write(wr.w)
		return
	}
	col := t.columns[i]
	switch {
	case len(rest) == 0 && wr.r.Method == http.MethodGet:
		wr.entity(http.StatusOK, colJSON(i), "columns")
	case len(rest) == 1 && strings.EqualFold(rest[0], "filter") && wr.r.Method == http.MethodGet:
		var crit any
		if f, ok := t.filters[col.id]; ok {
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
				e.write(wr.w)
				return
			}
			if body.Criteria == nil || body.Criteria["filterOn"] == nil {
				xInvalid("criteria.filterOn is required.").write(wr.w)
				return
			}
			t.filters[col.id] = body.Criteria
		case "clear":
			delete(t.filters, col.id)
		default:
			xUnknown(rest[1]).write(wr.w)
			return
		}
		wr.w.WriteHeader(http.StatusOK)
	case len(rest) >= 1 && strings.EqualFold(rest[0], "range"):
		wr.serveRange(xRange{sh, xAddr{r1: t.r1, c1: t.c1 + i, r2: t.r2, c2: t.c1 + i}}, rest[1:])
	default:
		xUnknown(rest[len(rest)-1]).write(wr.w)
	}
}

func (wr *workbookRequest) serveRows(t *xTable, sh *xSheet, rest []string) {
	w, r, b := wr.w, wr.r, wr.book
	body := t.r2 - t.r1 // rows below the header
	rowJSON := func(i int) map[string]any {
		return map[string]any{"index": i, "values": [][]any{b.rowValues(sh, t, t.r1+1+i)}}
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
			e.write(w)
			return
		}
		cols := t.c2 - t.c1 + 1
		if len(in.Values) == 0 {
			xInvalid("values is required.").write(w)
			return
		}
		for _, row := range in.Values {
			if len(row) != cols {
				xInvalid("The number of values in a row doesn't match the number of columns of the table.").write(w)
				return
			}
			for j, v := range row {
				sv, ok := jsonScalar(v)
				if !ok {
					xInvalid("A cell value must be a number, a string, a boolean or null.").write(w)
					return
				}
				row[j] = sv
			}
		}
		at := body
		if in.Index != nil {
			if *in.Index < 0 || *in.Index > body {
				xInvalid("The index is outside the table's rows.").write(w)
				return
			}
			at = *in.Index
		}
		first := t.r1 + 1 + at
		if t.r2+len(in.Values) > xMaxRows {
			xInvalid("The rows would run past the end of the worksheet.").write(w)
			return
		}
		shiftRows(sh, t.c1, t.c2, first, len(in.Values))
		t.r2 += len(in.Values)
		out := make([][]any, len(in.Values))
		for i, row := range in.Values {
			for j, v := range row {
				sh.setValue(cellKey(first+i, t.c1+j), v)
			}
			out[i] = b.rowValues(sh, t, first+i)
		}
		wr.entity(http.StatusCreated, map[string]any{"index": at, "values": out}, "rows")
		return
	}
	if len(rest) == 1 {
		name, _, args := parseSegment(rest[0])
		i, ok := intArg(args, "index")
		if !strings.EqualFold(name, "itemAt") || !ok {
			xUnknown(rest[0]).write(w)
			return
		}
		if i < 0 || i >= body {
			xNotFound("row " + strconv.Itoa(i)).write(w)
			return
		}
		switch r.Method {
		case http.MethodGet:
			wr.entity(http.StatusOK, rowJSON(i), "rows")
		case http.MethodDelete:
			shiftRows(sh, t.c1, t.c2, t.r1+1+i, -1)
			t.r2--
			w.WriteHeader(http.StatusNoContent)
		default:
			xMethod().write(w)
		}
		return
	}
	xUnknown(rest[len(rest)-1]).write(w)
}

// sortTable answers sort/apply: a stable sort of the body rows.
func (wr *workbookRequest) sortTable(t *xTable, sh *xSheet) {
	var in struct {
		Fields []struct {
			Key       int   `json:"key"`
			Ascending *bool `json:"ascending"`
		} `json:"fields"`
		MatchCase bool `json:"matchCase"`
	}
	if e := readExcelBody(wr.r, &in); e != nil {
		e.write(wr.w)
		return
	}
	cols := t.c2 - t.c1 + 1
	if len(in.Fields) == 0 {
		xInvalid("fields is required.").write(wr.w)
		return
	}
	for _, f := range in.Fields {
		if f.Key < 0 || f.Key >= cols {
			xInvalid("A sort key is outside the table's columns.").write(wr.w)
			return
		}
	}
	type row struct {
		cells []xCell
		vals  []any
	}
	var rows []row
	for r := t.r1 + 1; r <= t.r2; r++ {
		rw := row{cells: make([]xCell, cols), vals: make([]any, cols)}
		for c := 0; c < cols; c++ {
			rw.cells[c] = sh.cells[cellKey(r, t.c1+c)]
			rw.vals[c] = wr.book.value(sh, rw.cells[c])
		}
		rows = append(rows, rw)
	}
	slices.SortStableFunc(rows, func(a, b row) int {
		for _, f := range in.Fields {
			c := compareCells(a.vals[f.Key], b.vals[f.Key], in.MatchCase)
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
			k := cellKey(t.r1+1+i, t.c1+c)
			if rw.cells[c] == (xCell{}) {
				delete(sh.cells, k)
			} else {
				sh.cells[k] = rw.cells[c]
			}
		}
	}
	wr.w.WriteHeader(http.StatusOK)
}

// compareCells orders values as Excel sorts them ascending: numbers,
// text, booleans, then blanks.
func compareCells(a, b any, matchCase bool) int {
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

func (b *xBook) name(key string) *xName {
	for _, n := range b.names {
		if strings.EqualFold(n.name, key) {
			return n
		}
	}
	return nil
}

func (b *xBook) nameJSON(n *xName) map[string]any {
	m := map[string]any{"name": n.name, "comment": n.comment, "scope": "Workbook", "visible": true}
	if sh := b.sheetByID(n.sheetID); n.constant == nil && sh != nil {
		m["type"], m["value"] = "Range", quoteSheetName(sh.name)+"!"+n.a.absolute()
		return m
	}
	switch n.constant.(type) {
	case float64:
		m["type"] = "Double"
	case bool:
		m["type"] = "Boolean"
	default:
		m["type"] = "String"
	}
	m["value"] = n.constant
	return m
}

// serveNames answers names, names/add, names/{name} and names/{name}/range.
func (wr *workbookRequest) serveNames(rest []string, key string) {
	w, r, b := wr.w, wr.r, wr.book
	if key == "" && (len(rest) == 0 || strings.EqualFold(rest[0], "add")) {
		switch {
		case len(rest) == 0 && r.Method == http.MethodGet:
			items := []map[string]any{}
			for _, n := range b.names {
				items = append(items, b.nameJSON(n))
			}
			wr.page(items, "names")
		case len(rest) == 1 && r.Method == http.MethodPost:
			var in struct {
				Name      string `json:"name"`
				Reference any    `json:"reference"`
				Comment   string `json:"comment"`
			}
			if e := readExcelBody(r, &in); e != nil {
				e.write(w)
				return
			}
			if in.Name == "" || in.Reference == nil {
				xInvalid("name and reference are required.").write(w)
				return
			}
			if b.name(in.Name) != nil {
				xExists().write(w)
				return
			}
			n := &xName{name: in.Name, comment: in.Comment}
			ref, isStr := in.Reference.(string)
			a, err := parseXAddress(ref)
			switch {
			case isStr && err == nil && a.sheet != "" && b.sheetByName(a.sheet) != nil:
				n.sheetID, n.a = b.sheetByName(a.sheet).id, a
			case isStr && strings.HasPrefix(ref, "="):
				v := strings.TrimPrefix(ref, "=")
				if f, ok := numeric(v); ok {
					n.constant = f
				} else {
					n.constant = unquoteArg(v)
				}
			default:
				sv, ok := jsonScalar(in.Reference)
				if !ok || sv == nil {
					xInvalid("The reference is invalid.").write(w)
					return
				}
				n.constant = sv
			}
			b.names = append(b.names, n)
			wr.entity(http.StatusCreated, b.nameJSON(n), "names")
		default:
			xMethod().write(w)
		}
		return
	}
	key, rest = keyOf(key, rest)
	n := b.name(key)
	if n == nil {
		xNotFound("name '" + key + "'").write(w)
		return
	}
	switch {
	case len(rest) == 0 && r.Method == http.MethodGet:
		wr.entity(http.StatusOK, b.nameJSON(n), "names")
	case len(rest) == 0 && r.Method == http.MethodDelete:
		b.names = slices.DeleteFunc(b.names, func(o *xName) bool { return o == n })
		w.WriteHeader(http.StatusNoContent)
	case len(rest) >= 1 && strings.HasPrefix(strings.ToLower(rest[0]), "range"):
		sh := b.sheetByID(n.sheetID)
		if n.constant != nil || sh == nil {
			xInvalid("The name does not refer to a range.").write(w)
			return
		}
		wr.serveRange(xRange{sh, n.a}, rest[1:])
	default:
		xUnknown(rest[len(rest)-1]).write(w)
	}
}

// serveFunction answers functions/{name}: sum, average, max, min and
// count of numbers, arrays and ranges ({"address": "Sheet1!A1:B2"}),
// and pmt.
func (wr *workbookRequest) serveFunction(rest []string) {
	w, r, b := wr.w, wr.r, wr.book
	if len(rest) != 1 || r.Method != http.MethodPost {
		xMethod().write(w)
		return
	}
	var args map[string]any
	if e := readExcelBody(r, &args); e != nil {
		e.write(w)
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
		var walk func(v any) *excelErr
		walk = func(v any) *excelErr {
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
				a, err := parseXAddress(addr)
				sh := b.sheets[0]
				if a.sheet != "" {
					sh = b.sheetByName(a.sheet)
				}
				if err != nil || sh == nil || a.unbounded() {
					return xInvalid("The argument is invalid or missing or has an incorrect format.")
				}
				forCells(sh.cells, a, func(k uint64) {
					if f, ok := b.value(sh, sh.cells[k]).(float64); ok {
						nums = append(nums, f)
					}
				})
			default:
				sv, _ := jsonScalar(x)
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
					if f, ok := numeric(y); ok {
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
				e.write(w)
				return
			}
		}
		if ferr == "" {
			value, ferr = aggregate(fn, nums)
		}
	case "pmt":
		num := func(k string, def float64, required bool) (float64, bool) {
			v, ok := args[k]
			if !ok {
				return def, !required
			}
			sv, _ := jsonScalar(v)
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
		(&excelErr{http.StatusNotImplemented, "notImplemented", "graphtest evaluates the functions sum, average, max, min, count and pmt only.", "notImplementedUncategorized"}).write(w)
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
