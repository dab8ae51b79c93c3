// Package query builds the OData system query options that Microsoft Graph
// list calls accept: $filter, $select, $expand, $orderby, $top, $skip,
// $search and $count.
//
//	q := query.New().
//		Where(query.Eq("subject", "it's here")).
//		OrderBy("receivedDateTime", query.Desc).
//		Select("subject", "from")
//	params, err := q.Params()
//	// params["$filter"] == "subject eq 'it''s here'"
//
// Values are rendered as OData literals by the package, never pasted as
// text: a string is quoted with every ' doubled, so user input cannot end
// the literal early and change the filter (python-o365 issue #1133). Field
// names are checked against the OData member-path syntax for the same
// reason.
//
// Building never fails loudly: a bad field name or an unsupported value is
// remembered and returned by Params, so a chain needs a single error check
// at its end, and nothing in this package panics on bad input.
//
// The package imports only the standard library, so the leaf package api
// and users' own code can both depend on it.
package query

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Direction is a sort direction for OrderBy.
type Direction int

const (
	// Asc sorts ascending (Graph's default).
	Asc Direction = iota
	// Desc sorts descending.
	Desc
)

// String returns "asc" or "desc", the OData spelling.
func (d Direction) String() string {
	switch d {
	case Asc:
		return "asc"
	case Desc:
		return "desc"
	}
	return "Direction(" + strconv.Itoa(int(d)) + ")"
}

// Query is an OData query under construction. Its methods modify the query
// and return it, so calls chain. The zero value is an empty query, and a
// nil *Query behaves as an empty one.
//
// A Query is not safe for concurrent modification.
type Query struct {
	filters []Filter
	selects []string
	expands []expansion
	orderBy []string
	search  string
	top     int
	skip    int
	hasTop  bool
	hasSkp  bool
	hasSrch bool
	count   bool
	err     error // the first mistake made while building
}

// expansion is one $expand item, with the nested options of its sub-query.
type expansion struct {
	field string
	sub   *Query
}

// New starts an empty query.
func New() *Query { return &Query{} }

// orNew lets methods called on a nil *Query start a fresh one instead of
// panicking.
func (q *Query) orNew() *Query {
	if q == nil {
		return New()
	}
	return q
}

// fail keeps the first error only: later ones are usually consequences.
func (q *Query) fail(err error) {
	if q.err == nil {
		q.err = err
	}
}

// Where adds a filter condition. Conditions from several Where calls must
// all hold (they are joined with "and"). An empty Filter adds nothing, which
// lets callers build conditions optionally.
func (q *Query) Where(f Filter) *Query {
	q = q.orNew()
	if f.err != nil {
		q.fail(f.err)
		return q
	}
	if !f.IsEmpty() {
		q.filters = append(q.filters, f)
	}
	return q
}

// Select asks for only the given fields ($select). Several calls add to the
// list; a field named twice is sent once.
func (q *Query) Select(fields ...string) *Query {
	q = q.orNew()
	for _, f := range fields {
		if err := checkField("Select", f); err != nil {
			q.fail(err)
			continue
		}
		if !slices.Contains(q.selects, f) {
			q.selects = append(q.selects, f)
		}
	}
	return q
}

// Expand asks for the related entities of a navigation property ($expand).
// An optional sub-query adds nested options, rendered as
// field($select=a,b;$filter=…). At most one sub-query may be given; a nil
// one adds no options. Several Expand calls are comma-joined.
//
// The sub-query is read when the query is rendered, not when Expand is
// called.
func (q *Query) Expand(field string, sub ...*Query) *Query {
	q = q.orNew()
	if err := checkField("Expand", field); err != nil {
		q.fail(err)
		return q
	}
	if len(sub) > 1 {
		q.fail(fmt.Errorf("query: Expand %q: got %d sub-queries, want at most one", field, len(sub)))
		return q
	}
	e := expansion{field: field}
	if len(sub) == 1 {
		e.sub = sub[0]
	}
	q.expands = append(q.expands, e)
	return q
}

// OrderBy sorts the results by field ($orderby). Several calls add sort
// keys in order of importance.
func (q *Query) OrderBy(field string, dir Direction) *Query {
	q = q.orNew()
	if err := checkField("OrderBy", field); err != nil {
		q.fail(err)
		return q
	}
	if dir != Asc && dir != Desc {
		q.fail(fmt.Errorf("query: OrderBy %q: invalid direction %d", field, int(dir)))
		return q
	}
	q.orderBy = append(q.orderBy, field+" "+dir.String())
	return q
}

// Top limits the number of results per page ($top). A negative n is an
// error reported by Params; the last call wins.
func (q *Query) Top(n int) *Query {
	q = q.orNew()
	if n < 0 {
		q.fail(fmt.Errorf("query: Top(%d): must not be negative", n))
		return q
	}
	q.top, q.hasTop = n, true
	return q
}

// Skip skips the first n results ($skip). A negative n is an error reported
// by Params; the last call wins.
func (q *Query) Skip(n int) *Query {
	q = q.orNew()
	if n < 0 {
		q.fail(fmt.Errorf("query: Skip(%d): must not be negative", n))
		return q
	}
	q.skip, q.hasSkp = n, true
	return q
}

// Search asks Graph for a free-text search ($search). The text is sent
// inside double quotes with \ and " escaped by a backslash, as Graph
// expects; "field:term" text searches one property of directory objects.
// The text must be valid UTF-8. The last call wins.
func (q *Query) Search(text string) *Query {
	q = q.orNew()
	if !utf8.ValidString(text) {
		q.fail(fmt.Errorf("query: Search: %w: text %q is not valid UTF-8", ErrUnsupportedValue, text))
		return q
	}
	q.search, q.hasSrch = text, true
	return q
}

// Count asks Graph to include the total number of matches ($count=true).
func (q *Query) Count() *Query {
	q = q.orNew()
	q.count = true
	return q
}

// Params renders the query as request parameters keyed by option name
// ("$filter", "$select", …), unescaped; options not set are absent. It
// returns the first mistake made while building the query, if any.
func (q *Query) Params() (map[string]string, error) {
	opts, err := q.options(nil)
	if err != nil {
		return nil, err
	}
	params := make(map[string]string, len(opts))
	for _, o := range opts {
		params[o.name] = o.value
	}
	return params, nil
}

// String returns the query as a URL query string with its options in a
// fixed order, percent-encoded so that url.ParseQuery gives back Params.
// It is meant for logs and tests. If the query has an error, String
// returns the error text in angle brackets.
func (q *Query) String() string {
	opts, err := q.options(nil)
	if err != nil {
		return "<" + err.Error() + ">"
	}
	var b strings.Builder
	for i, o := range opts {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(escapeQuery(o.name))
		b.WriteByte('=')
		b.WriteString(escapeQuery(o.value))
	}
	return b.String()
}

// option is one rendered query option.
type option struct{ name, value string }

// errCycle reports an Expand sub-query that (indirectly) contains itself;
// rendering it would never end.
var errCycle = errors.New("query: Expand sub-query contains its parent query")

// options renders q in a fixed order. active holds the queries being
// rendered further up, to stop on a cycle of Expand sub-queries.
func (q *Query) options(active map[*Query]bool) ([]option, error) {
	if q == nil {
		return nil, nil
	}
	if q.err != nil {
		return nil, q.err
	}
	if active[q] {
		return nil, errCycle
	}
	var opts []option
	add := func(name, value string) { opts = append(opts, option{name, value}) }
	if len(q.filters) > 0 {
		add("$filter", And(q.filters...).text)
	}
	if q.hasSrch {
		add("$search", quoteSearch(q.search))
	}
	if len(q.selects) > 0 {
		add("$select", strings.Join(q.selects, ","))
	}
	if len(q.expands) > 0 {
		exp, err := q.renderExpands(active)
		if err != nil {
			return nil, err
		}
		add("$expand", exp)
	}
	if len(q.orderBy) > 0 {
		add("$orderby", strings.Join(q.orderBy, ","))
	}
	if q.hasTop {
		add("$top", strconv.Itoa(q.top))
	}
	if q.hasSkp {
		add("$skip", strconv.Itoa(q.skip))
	}
	if q.count {
		add("$count", "true")
	}
	return opts, nil
}

// renderExpands renders the $expand list, nesting each sub-query's options
// in parentheses separated by ';' as OData requires.
func (q *Query) renderExpands(active map[*Query]bool) (string, error) {
	if active == nil {
		active = map[*Query]bool{}
	}
	active[q] = true
	defer delete(active, q)
	items := make([]string, 0, len(q.expands))
	for _, e := range q.expands {
		sub, err := e.sub.options(active)
		if err != nil {
			return "", err
		}
		if len(sub) == 0 {
			items = append(items, e.field)
			continue
		}
		nested := make([]string, len(sub))
		for i, o := range sub {
			nested[i] = o.name + "=" + o.value
		}
		items = append(items, e.field+"("+strings.Join(nested, ";")+")")
	}
	return strings.Join(items, ","), nil
}

// quoteSearch wraps text in double quotes for $search, escaping \ and " with
// a backslash so the text cannot end the quoted phrase early.
func quoteSearch(text string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(text) + `"`
}

// escapeQuery percent-encodes s for a URL query component, leaving the
// characters OData text is made of readable. ';' is encoded because
// url.ParseQuery rejects it as a separator.
func escapeQuery(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if readableInQuery(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func readableInQuery(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~$,'():/@*!", c) >= 0
}
