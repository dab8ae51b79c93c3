package workbook

import (
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Table filters hide rows: the engine keeps each column's criteria as
// the client sent them (Table.Filters) and works out which rows they
// hide when a range is read, so rows added, deleted or sorted under a
// filter are judged as they are then, as Excel re-applies its filter.

// CheckFilter refuses criteria the engine cannot judge: an unknown or
// missing filterOn, a Custom filter without criterion1, a top or bottom
// filter whose criterion1 is not a positive count, a Values filter
// without values, a color filter without a color. Icon filters and
// dynamic criteria other than AboveAverage and BelowAverage are 501: the
// engine does not model icon sets or dates.
func CheckFilter(c map[string]any) *Error {
	on, _ := c["filterOn"].(string)
	switch strings.ToLower(on) {
	case "values":
		if _, ok := c["values"].([]any); !ok {
			return Invalid("criteria.values is required when filterOn is Values.")
		}
	case "custom":
		if str(c, "criterion1") == "" {
			return Invalid("criteria.criterion1 is required when filterOn is Custom.")
		}
		if op := strings.ToLower(str(c, "operator")); op != "" && op != "and" && op != "or" {
			return Invalid("criteria.operator must be And or Or.")
		}
	case "topitems", "bottomitems", "toppercent", "bottompercent":
		n, err := strconv.ParseFloat(str(c, "criterion1"), 64)
		if err != nil || n <= 0 || (strings.HasSuffix(strings.ToLower(on), "percent") && n > 100) {
			return Invalid("criteria.criterion1 must be a positive count (a percentage up to 100 for TopPercent and BottomPercent).")
		}
	case "cellcolor", "fontcolor":
		if str(c, "color") == "" {
			return Invalid("criteria.color is required when filterOn is CellColor or FontColor.")
		}
	case "dynamic":
		switch strings.ToLower(str(c, "dynamicCriteria")) {
		case "aboveaverage", "belowaverage":
		default:
			return &Error{http.StatusNotImplemented, "notImplemented", "graphtest filters dynamic criteria AboveAverage and BelowAverage only.", "notImplementedUncategorized"}
		}
	case "icon":
		return &Error{http.StatusNotImplemented, "notImplemented", "graphtest does not filter on icons.", "notImplementedUncategorized"}
	case "":
		return Invalid("criteria.filterOn is required.")
	default:
		return Invalid("criteria.filterOn must be Values, Custom, TopItems, TopPercent, BottomItems, BottomPercent, CellColor, FontColor, Dynamic or Icon.")
	}
	return nil
}

// str is a criteria field as text: a JSON string or number.
func str(c map[string]any, k string) string {
	switch x := c[k].(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}

// HiddenRows is the rows of sh that its tables' filters hide: a body row
// is hidden when its cell in any filtered column fails that column's
// criteria. Nil when nothing is hidden.
func (b *Book) HiddenRows(sh *Sheet) map[int]bool {
	var hidden map[int]bool
	for _, t := range b.Tables {
		if t.SheetID != sh.ID || len(t.Filters) == 0 {
			continue
		}
		for i, col := range t.Columns {
			crit, ok := t.Filters[col.ID]
			if !ok {
				continue
			}
			keep := b.columnFilter(sh, t.C1+i, t.R1+1, t.R2, crit)
			for r := t.R1 + 1; r <= t.R2; r++ {
				if !keep(r) {
					if hidden == nil {
						hidden = map[int]bool{}
					}
					hidden[r] = true
				}
			}
		}
	}
	return hidden
}

// columnFilter judges the rows r1..r2 of column col against crit.
func (b *Book) columnFilter(sh *Sheet, col, r1, r2 int, crit map[string]any) func(row int) bool {
	cell := func(r int) (any, Cell) {
		c := sh.Cells[CellKey(r, col)]
		return b.Value(sh, c), c
	}
	nums := func() []float64 {
		var out []float64
		for r := r1; r <= r2; r++ {
			if f, ok := b.Value(sh, sh.Cells[CellKey(r, col)]).(float64); ok {
				out = append(out, f)
			}
		}
		return out
	}
	on := strings.ToLower(str(crit, "filterOn"))
	switch on {
	case "values":
		want := map[string]bool{}
		vals, _ := crit["values"].([]any)
		for _, v := range vals {
			sv, _ := Scalar(v)
			want[strings.ToLower(CellText(sv, ""))] = true
		}
		// A blank cell is shown when "" is among the values.
		return func(r int) bool {
			v, c := cell(r)
			return want[strings.ToLower(CellText(v, c.numFmt))] || want[strings.ToLower(CellText(v, ""))]
		}
	case "custom":
		c1, c2 := str(crit, "criterion1"), str(crit, "criterion2")
		or := strings.EqualFold(str(crit, "operator"), "or")
		return func(r int) bool {
			v, _ := cell(r)
			ok := customMatch(v, c1)
			if c2 == "" {
				return ok
			}
			if or {
				return ok || customMatch(v, c2)
			}
			return ok && customMatch(v, c2)
		}
	case "topitems", "bottomitems", "toppercent", "bottompercent":
		all := nums()
		n, _ := strconv.ParseFloat(str(crit, "criterion1"), 64)
		count := int(n)
		if strings.HasSuffix(on, "percent") {
			count = int(math.Ceil(float64(len(all)) * n / 100))
		}
		count = min(max(count, 1), len(all))
		top := strings.HasPrefix(on, "top")
		if top {
			slices.SortFunc(all, func(a, b float64) int { return cmpFloat(b, a) })
		} else {
			slices.Sort(all)
		}
		if count == 0 {
			return func(int) bool { return false }
		}
		edge := all[count-1]
		return func(r int) bool {
			f, ok := b.Value(sh, sh.Cells[CellKey(r, col)]).(float64)
			return ok && (top && f >= edge || !top && f <= edge)
		}
	case "cellcolor", "fontcolor":
		want := strings.ToLower(str(crit, "color"))
		return func(r int) bool {
			f := sh.formats[CellKey(r, col)]
			got := f.fill
			if on == "fontcolor" {
				got = f.fontColor
			}
			return strings.ToLower(got) == want
		}
	case "dynamic":
		all := nums()
		avg := 0.0
		for _, f := range all {
			avg += f / float64(len(all))
		}
		above := strings.EqualFold(str(crit, "dynamicCriteria"), "aboveAverage")
		return func(r int) bool {
			f, ok := b.Value(sh, sh.Cells[CellKey(r, col)]).(float64)
			return ok && (above && f > avg || !above && f < avg)
		}
	}
	return func(int) bool { return true }
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// customMatch judges v against one custom criterion such as ">50",
// "<>East", "=a*" (wildcards * and ? in text) or "=" (blank).
func customMatch(v any, crit string) bool {
	op := "="
	for _, o := range []string{">=", "<=", "<>", ">", "<", "="} {
		if strings.HasPrefix(crit, o) {
			op, crit = o, crit[len(o):]
			break
		}
	}
	if want, ok := Numeric(crit); ok {
		f, isNum := v.(float64)
		if !isNum {
			return op == "<>"
		}
		switch op {
		case "=":
			return f == want
		case "<>":
			return f != want
		case ">":
			return f > want
		case "<":
			return f < want
		case ">=":
			return f >= want
		}
		return f <= want
	}
	text := strings.ToLower(CellText(v, ""))
	crit = strings.ToLower(crit)
	switch op {
	case "=":
		return wildMatch(crit, text)
	case "<>":
		return !wildMatch(crit, text)
	}
	if _, isNum := v.(float64); isNum || text == "" {
		return false
	}
	c := strings.Compare(text, crit)
	switch op {
	case ">":
		return c > 0
	case "<":
		return c < 0
	case ">=":
		return c >= 0
	}
	return c <= 0
}

// wildMatch matches s against pattern with Excel's wildcards: * any
// run, ? one character, ~ quoting the next.
func wildMatch(pattern, s string) bool {
	p, t := []rune(pattern), []rune(s)
	var match func(i, j int) bool
	memo := map[[2]int]bool{}
	match = func(i, j int) bool {
		if r, ok := memo[[2]int{i, j}]; ok {
			return r
		}
		var r bool
		switch {
		case i == len(p):
			r = j == len(t)
		case p[i] == '*':
			r = match(i+1, j) || (j < len(t) && match(i, j+1))
		case p[i] == '~' && i+1 < len(p):
			r = j < len(t) && t[j] == p[i+1] && match(i+2, j+1)
		case j < len(t) && (p[i] == '?' || p[i] == t[j]):
			r = match(i+1, j+1)
		}
		memo[[2]int{i, j}] = r
		return r
	}
	return match(0, 0)
}

// VisibleRows is the rows of a bounded range that no filter hides, in
// order. A whole-column or whole-row range is first cut to the sheet's
// used range, as a view of a million rows helps no one.
func (b *Book) VisibleRows(rg Range) (Addr, []int) {
	a := rg.Addr
	if a.Unbounded() {
		u := b.UsedRange(rg.Sheet, false).Addr
		a = Addr{R1: max(a.R1, u.R1), C1: max(a.C1, u.C1), R2: min(a.R2, u.R2), C2: min(a.C2, u.C2)}
		if a.R1 > a.R2 || a.C1 > a.C2 {
			return a, nil
		}
	}
	hidden := b.HiddenRows(rg.Sheet)
	rows := make([]int, 0, a.rows())
	for r := a.R1; r <= a.R2; r++ {
		if !hidden[r] {
			rows = append(rows, r)
		}
	}
	return a, rows
}

// ViewJSON is a workbookRangeView of the given rows of columns a.C1..a.C2:
// index is its place among its parent's rows (0 for the view itself).
func (b *Book) ViewJSON(sh *Sheet, a Addr, rows []int, index int) map[string]any {
	grids := map[string][][]any{}
	keys := []string{"values", "text", "formulas", "numberFormat", "valueTypes"}
	addrs := [][]any{}
	for _, r := range rows {
		row := Range{Sheet: sh, Addr: Addr{R1: r, C1: a.C1, R2: r, C2: a.C2}}
		m := b.RangeJSON(row, nil)
		for _, k := range keys {
			switch g := m[k].(type) {
			case [][]any:
				grids[k] = append(grids[k], g[0])
			}
		}
		cells := make([]any, 0, a.cols())
		for c := a.C1; c <= a.C2; c++ {
			cells = append(cells, quoteSheetName(sh.Name)+"!"+colName(c)+strconv.Itoa(r))
		}
		addrs = append(addrs, cells)
	}
	out := map[string]any{"index": index, "rowCount": len(rows), "columnCount": a.cols(), "cellAddresses": addrs}
	for _, k := range keys {
		g := grids[k]
		if g == nil {
			g = [][]any{}
		}
		out[k] = g
	}
	out["formulasLocal"], out["formulasR1C1"] = out["formulas"], out["formulas"]
	return out
}
