// Package odata is graphtest's OData query engine: $filter, $search,
// $orderby and $select over JSON-shaped items (map[string]any holding
// strings, float64 or json.Number, bool, nil, nested maps and []any).
//
// Errors. Apply returns a *Error for a query Graph would refuse.
// Its Code is "BadRequest" for malformed text, and
// "Request_UnsupportedQuery" for valid OData that the emulator does not
// evaluate (arithmetic, has, and functions other than startswith, endswith,
// contains, tolower and toupper); its Message is Graph-style text such as
// "Invalid filter clause: Syntax error at position 11 in 'subject eq'.".
// The caller answers 400 with that code and message.
//
// Where Graph's behaviour differs between workloads, the engine picks one
// rule and keeps it everywhere:
//
//   - Strings compare case-insensitively (both sides lower-cased): eq, ne,
//     gt…le, in, startswith, endswith, contains, $search and $orderby.
//     Outlook and the directory both ignore case, and tests that pass here
//     should pass against Graph.
//   - not binds tighter than and, which binds tighter than or; not applies
//     to the comparison after it, so "not a eq 1" means "not (a eq 1)".
//   - null follows OData: a missing field is null; "eq null" matches it,
//     "ne 'x'" matches it, and gt/ge/lt/le never match null.
//   - A Guid literal (skuId eq cbdc14ab-…, unquoted) compares as the
//     string it is written as, so case does not matter.
//   - A DateTimeOffset literal (2024-05-01T10:00:00Z, unquoted) compares
//     chronologically with string fields holding ISO 8601 times; the
//     emulator has no schema, so that is how it knows a field is a date.
//   - Values of unlike types never compare equal and never order (eq is
//     false, ne true), where Graph would often refuse the query: without a
//     schema the emulator cannot tell a type error from a missing field.
//   - $orderby is stable, puts nulls first when ascending, orders strings
//     that are all ISO 8601 times chronologically, and never reorders the
//     caller's slice.
//
// It lives apart from the HTTP emulator so the query language can be read,
// tested and fuzzed on its own; graphtest owns paging ($top, $skip,
// $skiptoken, $count) and the response envelope.
package odata

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Error is a query Graph would refuse with 400 Bad Request. Code is
// the Graph error code and Message its text.
type Error struct {
	Code    string
	Message string
}

// Error returns Message, Graph's text for the refusal.
func (e *Error) Error() string { return e.Message }

// Graph error codes for refused queries.
const (
	CodeBadRequest  = "BadRequest"
	CodeUnsupported = "Request_UnsupportedQuery"
)

func badRequest(format string, a ...any) *Error {
	return &Error{Code: CodeBadRequest, Message: fmt.Sprintf(format, a...)}
}

func unsupported(format string, a ...any) *Error {
	return &Error{Code: CodeUnsupported, Message: fmt.Sprintf(format, a...)}
}

// Apply filters ($filter), searches ($search) and orders ($orderby)
// items as the query in v asks. It returns the matching items in order,
// before $top/$skip paging, and the $select field list (nil for all).
// A malformed query returns an error whose text is Graph's message.
func Apply(items []map[string]any, v url.Values) (matched []map[string]any, selectFields []string, err error) {
	opts, err := singleOptions(v, "$filter", "$search", "$orderby", "$select")
	if err != nil {
		return nil, nil, err
	}
	var filter expr
	if s := opts["$filter"]; s != "" {
		if filter, err = parseFilter(s); err != nil {
			return nil, nil, err
		}
	}
	search, err := ParseSearch(opts["$search"])
	if err != nil {
		return nil, nil, err
	}
	keys, err := parseOrderBy(opts["$orderby"])
	if err != nil {
		return nil, nil, err
	}
	if selectFields, err = ParseSelect(opts["$select"]); err != nil {
		return nil, nil, err
	}
	matched = []map[string]any{}
	for _, item := range items {
		if (filter == nil || truthy(eval(filter, &scope{item: item}))) && search.Matches(item) {
			matched = append(matched, item)
		}
	}
	sortItems(matched, keys)
	return matched, selectFields, nil
}

// singleOptions reads the named options, refusing one given twice as
// Graph does rather than silently picking one.
func singleOptions(v url.Values, names ...string) (map[string]string, error) {
	opts := map[string]string{}
	for _, name := range names {
		switch vs := v[name]; len(vs) {
		case 0:
		case 1:
			opts[name] = strings.TrimSpace(vs[0])
		default:
			return nil, badRequest("Query option '%s' was specified more than once, but it must be specified at most once.", strings.TrimPrefix(name, "$"))
		}
	}
	return opts, nil
}

// Project keeps only fields (plus "id" and "@odata.*" annotations) of item;
// nil fields keeps everything.
func Project(item map[string]any, fields []string) map[string]any {
	return ProjectFields(item, fields, true)
}

// ProjectFields is Project, keeping "id" unselected only with keepID.
func ProjectFields(item map[string]any, fields []string, keepID bool) map[string]any {
	if fields == nil {
		return item
	}
	out := make(map[string]any, len(fields)+2)
	for k, val := range item {
		if (keepID && k == "id") || strings.HasPrefix(k, "@odata.") || selected(k, fields) {
			out[k] = val
		}
	}
	return out
}

// selected reports whether key is named by fields. Graph matches $select
// names without regard to case, and a path selects its first segment.
func selected(key string, fields []string) bool {
	for _, f := range fields {
		first, _, _ := strings.Cut(f, "/")
		if strings.EqualFold(first, key) {
			return true
		}
	}
	return false
}

// ParseSelect splits a $select list. "*" and an empty list select
// everything.
func ParseSelect(s string) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	var fields []string
	pos := 0
	for _, part := range strings.Split(s, ",") {
		f := strings.TrimSpace(part)
		switch {
		case f == "":
			// A stray comma selects nothing more.
		case f == "*":
			return nil, nil
		case !validPath(f):
			return nil, badRequest("Parsing OData Select and Expand failed: Syntax error at position %d in '%s'.", pos, s)
		default:
			fields = append(fields, f)
		}
		pos += len(part) + 1
	}
	return fields, nil
}

// validPath reports whether p is a member path: identifiers separated by
// '/'.
func validPath(p string) bool {
	if p == "" {
		return false
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "" {
			return false
		}
		for i, r := range seg {
			if !identRune(r, i == 0) {
				return false
			}
		}
	}
	return true
}

// identRune reports whether r can appear in an identifier (first: at its
// start). '.' and '@' take part in casts and annotations
// (microsoft.graph.fileAttachment, @odata.type); '$' in $it and $count.
func identRune(r rune, first bool) bool {
	switch {
	case unicode.IsLetter(r), r == '_', r == '@', r == '$':
		return true
	case unicode.IsDigit(r), r == '.':
		return !first
	}
	return false
}

// ---- $orderby ----

// sortKey is one $orderby key.
type sortKey struct {
	path []string
	desc bool
}

// parseOrderBy parses "path [asc|desc], …".
func parseOrderBy(s string) ([]sortKey, error) {
	if s == "" {
		return nil, nil
	}
	var keys []sortKey
	for _, part := range strings.Split(s, ",") {
		words := strings.Fields(part)
		if len(words) == 0 || len(words) > 2 || !validPath(words[0]) {
			return nil, badRequest("Invalid $orderby clause: '%s' is not a property path optionally followed by asc or desc.", strings.TrimSpace(part))
		}
		key := sortKey{path: strings.Split(words[0], "/")}
		if len(words) == 2 {
			switch strings.ToLower(words[1]) {
			case "asc":
			case "desc":
				key.desc = true
			default:
				return nil, badRequest("Invalid $orderby clause: unknown direction '%s' (use asc or desc).", words[1])
			}
		}
		keys = append(keys, key)
	}
	return keys, nil
}

// sortItems sorts items in place by keys; equal items keep their order.
func sortItems(items []map[string]any, keys []sortKey) {
	if len(keys) == 0 {
		return
	}
	slices.SortStableFunc(items, func(a, b map[string]any) int {
		sa, sb := &scope{item: a}, &scope{item: b}
		for _, k := range keys {
			c := orderValues(sa.resolve(k.path), sb.resolve(k.path))
			if k.desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return 0
	})
}

// orderValues is a total order for sorting: null first, then booleans,
// numbers, and strings; values of other kinds tie.
func orderValues(a, b any) int {
	if c := cmp.Compare(typeRank(a), typeRank(b)); c != 0 {
		return c
	}
	if sa, ok := a.(string); ok {
		if ta, tb, ok := bothTimes(sa, b.(string)); ok {
			return ta.Compare(tb)
		}
	}
	c, _ := order(a, b)
	return c
}

func typeRank(v any) int {
	switch v.(type) {
	case nil:
		return 0
	case bool:
		return 1
	case float64:
		return 2
	case time.Time:
		return 3
	case string:
		return 4
	}
	return 5
}

func bothTimes(a, b string) (time.Time, time.Time, bool) {
	ta, okA := parseTime(a)
	tb, okB := parseTime(b)
	return ta, tb, okA && okB
}

// ---- $search ----

// Search is a parsed $search: clauses joined by OR, each a list of
// phrases joined by AND. The zero value matches everything.
type Search struct {
	any [][]searchPhrase
}

// searchPhrase is one quoted phrase: every term must occur in field (in
// any string field when field is empty).
type searchPhrase struct {
	field []string
	terms []string
}

// searchField recognises the "field:terms" form of a phrase.
var searchField = regexp.MustCompile(`(?s)^([\p{L}_@][\p{L}\p{N}_.@/]*):(.*)$`)

// ParseSearch parses "phrase" ["AND"|"OR"] "phrase" …, where a phrase is
// double-quoted with \" and \\ escapes; phrases side by side must all
// match, as with AND.
func ParseSearch(s string) (Search, error) {
	var q Search
	if s == "" {
		return q, nil
	}
	group := []searchPhrase{}
	for pos := 0; ; {
		pos = skipSpace(s, pos)
		text, next, err := readPhrase(s, pos)
		if err != nil {
			return Search{}, err
		}
		group = append(group, newPhrase(text))
		pos = skipSpace(s, next)
		if pos == len(s) {
			break
		}
		switch word := leadingWord(s[pos:]); word {
		case "OR":
			q.any = append(q.any, group)
			group = []searchPhrase{}
			pos += len(word)
		case "AND":
			pos += len(word)
		}
	}
	q.any = append(q.any, group)
	return q, nil
}

func skipSpace(s string, pos int) int {
	for pos < len(s) && s[pos] == ' ' {
		pos++
	}
	return pos
}

func leadingWord(s string) string {
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[:i]
	}
	return s
}

// readPhrase reads the quoted phrase at s[pos:], returning its text and the
// position after the closing quote.
func readPhrase(s string, pos int) (string, int, error) {
	if pos >= len(s) || s[pos] != '"' {
		return "", 0, badRequest("Syntax error: $search expects a double-quoted phrase at position %d in '%s'.", pos, s)
	}
	var b strings.Builder
	for i := pos + 1; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			return b.String(), i + 1, nil
		case '\\':
			if i+1 < len(s) {
				i++
				c = s[i]
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, badRequest("Syntax error: unterminated $search phrase at position %d in '%s'.", pos, s)
}

func newPhrase(text string) searchPhrase {
	var p searchPhrase
	if m := searchField.FindStringSubmatch(text); m != nil {
		p.field = strings.Split(m[1], "/")
		text = m[2]
	}
	for _, t := range strings.Fields(text) {
		p.terms = append(p.terms, strings.ToLower(t))
	}
	return p
}

// Matches reports whether item satisfies the search.
func (q Search) Matches(item map[string]any) bool {
	if len(q.any) == 0 {
		return true
	}
	for _, group := range q.any {
		if allPhrasesMatch(group, item) {
			return true
		}
	}
	return false
}

func allPhrasesMatch(group []searchPhrase, item map[string]any) bool {
	for _, p := range group {
		if !p.matches(item) {
			return false
		}
	}
	return true
}

func (p searchPhrase) matches(item map[string]any) bool {
	var texts []string
	if p.field != nil {
		texts = searchableStrings((&scope{item: item}).resolve(p.field), texts)
	} else {
		texts = searchableStrings(item, texts)
	}
	for _, term := range p.terms {
		if !slices.ContainsFunc(texts, func(t string) bool { return strings.Contains(t, term) }) {
			return false
		}
	}
	return true
}

// searchableStrings appends the lower-cased strings found in v, walking
// into objects and arrays. Ids and annotations are skipped: they are not
// content, and a random id matching a term would make tests flaky.
func searchableStrings(v any, out []string) []string {
	switch x := v.(type) {
	case string:
		out = append(out, strings.ToLower(x))
	case map[string]any:
		for k, val := range x {
			if k != "id" && !strings.HasPrefix(k, "@odata.") {
				out = searchableStrings(val, out)
			}
		}
	default:
		if list, ok := asList(v); ok {
			for _, val := range list {
				out = searchableStrings(val, out)
			}
		}
	}
	return out
}

// ---- $filter: lexer ----

type tokenKind int

const (
	tokEOF    tokenKind = iota
	tokIdent            // name, keyword or path segment
	tokString           // 'text'; val holds the unescaped text
	tokNumber           // val holds the float64
	tokTime             // DateTimeOffset or Date literal; val holds the time.Time
	tokPunct            // one of ( ) / , :
)

type token struct {
	kind tokenKind
	text string // source text
	val  any
	pos  int // byte offset in the filter
}

func (t token) end() int { return t.pos + len(t.text) }

var (
	numberPattern = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)
	guidPattern   = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}([^0-9A-Za-z_.]|$)`)
	timePattern   = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2}))?$`)
)

// IsGUID reports whether s is exactly a GUID, by the pattern the filter
// lexer reads an unquoted Guid literal with, so ids the emulator accepts
// and ids a filter can name agree.
func IsGUID(s string) bool { return len(s) == 36 && guidPattern.MatchString(s) }

// lexer splits a filter into tokens.
type lexer struct {
	src  string
	pos  int
	toks []token
}

func lex(src string) ([]token, error) {
	l := &lexer{src: src}
	for l.pos < len(src) {
		if err := l.next(); err != nil {
			return nil, err
		}
	}
	l.toks = append(l.toks, token{kind: tokEOF, pos: len(src)})
	return l.toks, nil
}

func (l *lexer) next() error {
	c := l.src[l.pos]
	r, size := utf8.DecodeRuneInString(l.src[l.pos:])
	switch {
	case c == ' ' || c == '\t' || c == '\r' || c == '\n':
		l.pos++
		return nil
	case strings.IndexByte("()/,:", c) >= 0:
		l.emit(tokPunct, l.src[l.pos:l.pos+1], nil)
		return nil
	case c == '\'':
		return l.lexString()
	case guidPattern.MatchString(l.src[l.pos:]):
		// An Edm.Guid literal (skuId eq cbdc14ab-…) compares as the
		// string it is written as.
		text := l.src[l.pos : l.pos+36]
		l.emit(tokString, text, text)
		return nil
	case isDigit(c) || c == '-' && l.pos+1 < len(l.src) && isDigit(l.src[l.pos+1]):
		return l.lexNumberOrTime()
	case identRune(r, true):
		l.lexIdent()
		return nil
	}
	if r == utf8.RuneError && size <= 1 {
		return filterSyntax("Syntax error: invalid UTF-8 at position %d in '%s'.", l.pos, l.src)
	}
	return filterSyntax("Syntax error: character '%c' is not valid at position %d in '%s'.", r, l.pos, l.src)
}

func (l *lexer) emit(kind tokenKind, text string, val any) {
	l.toks = append(l.toks, token{kind: kind, text: text, val: val, pos: l.pos})
	l.pos += len(text)
}

// lexString reads a '…' literal, in which a doubled quote stands for one.
func (l *lexer) lexString() error {
	var b strings.Builder
	for i := l.pos + 1; i < len(l.src); i++ {
		if l.src[i] != '\'' {
			b.WriteByte(l.src[i])
			continue
		}
		if i+1 < len(l.src) && l.src[i+1] == '\'' {
			b.WriteByte('\'')
			i++
			continue
		}
		l.emit(tokString, l.src[l.pos:i+1], b.String())
		return nil
	}
	return filterSyntax("There is an unterminated string literal at position %d in '%s'.", l.pos, l.src)
}

// lexNumberOrTime reads an unquoted number or DateTimeOffset: both start
// with a digit, so the whole run is read and then classified.
func (l *lexer) lexNumberOrTime() error {
	end := l.pos + 1
	for end < len(l.src) && strings.IndexByte("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.:+-", l.src[end]) >= 0 {
		end++
	}
	text := l.src[l.pos:end]
	if numberPattern.MatchString(text) {
		if f, err := strconv.ParseFloat(text, 64); err == nil {
			l.emit(tokNumber, text, f)
			return nil
		}
	}
	if timePattern.MatchString(text) {
		if t, ok := parseTime(text); ok {
			l.emit(tokTime, text, t)
			return nil
		}
	}
	return filterSyntax("Syntax error: '%s' at position %d is not a valid literal in '%s'.", text, l.pos, l.src)
}

func (l *lexer) lexIdent() {
	end := l.pos
	for end < len(l.src) {
		r, size := utf8.DecodeRuneInString(l.src[end:])
		if !identRune(r, end == l.pos) {
			break
		}
		end += size
	}
	l.emit(tokIdent, l.src[l.pos:end], nil)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// parseTime reads the time formats Graph uses in JSON: RFC 3339, the same
// without a zone (dateTimeTimeZone.dateTime, read as UTC), and plain dates.
func parseTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04Z07:00", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func filterSyntax(format string, a ...any) *Error {
	return badRequest("Invalid filter clause: "+format, a...)
}

// ---- $filter: syntax tree ----

// expr is a node of a parsed filter.
type expr any

// literal is a constant: string, float64, bool, nil or time.Time.
type literal struct{ val any }

// member is a property path such as from/emailAddress/address.
type member struct{ path []string }

// notExpr is "not x".
type notExpr struct{ x expr }

// logical is "l and r" or "l or r".
type logical struct {
	op   string
	l, r expr
}

// comparison is "l op r" with op one of eq ne gt ge lt le.
type comparison struct {
	op   string
	l, r expr
}

// inExpr is "x in (a, b, …)".
type inExpr struct {
	x    expr
	list []expr
}

// call is a function call such as startswith(subject,'a').
type call struct {
	fn   string
	args []expr
}

// lambda is coll/any(v:body) or coll/all(v:body); body is nil for
// coll/any().
type lambda struct {
	coll     member
	all      bool
	variable string
	body     expr
}

// ---- $filter: parser ----

// maxDepth bounds nesting, so a hostile filter cannot exhaust the stack.
const maxDepth = 100

var (
	comparisonOps = []string{"eq", "ne", "gt", "ge", "lt", "le"}
	// unsupportedOps are OData operators the emulator does not evaluate.
	unsupportedOps = []string{"has", "add", "sub", "mul", "div", "divby", "mod"}
	// stringFuncs maps the functions the emulator evaluates to their arity.
	stringFuncs = map[string]int{"startswith": 2, "endswith": 2, "contains": 2, "tolower": 1, "toupper": 1}
	// odataFuncs are the other OData functions: valid, but not evaluated.
	odataFuncs = []string{"length", "indexof", "substring", "concat", "trim", "matchesPattern", "year", "month", "day",
		"hour", "minute", "second", "fractionalseconds", "totalseconds", "date", "time", "totaloffsetminutes",
		"now", "mindatetime", "maxdatetime", "round", "floor", "ceiling", "cast", "isof", "hassubset", "hassubsequence"}
)

type parser struct {
	src   string
	toks  []token
	i     int
	depth int
}

// parseFilter parses a $filter expression into a tree.
func parseFilter(src string) (expr, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks}
	start := p.peek()
	e, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if p.peek().kind != tokEOF {
		return nil, p.syntaxError(p.peek())
	}
	return e, p.wantCondition(e, start)
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) advance() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func (p *parser) isWord(words ...string) bool {
	t := p.peek()
	return t.kind == tokIdent && slices.Contains(words, t.text)
}

func (p *parser) isPunct(s string) bool {
	t := p.peek()
	return t.kind == tokPunct && t.text == s
}

func (p *parser) expectPunct(s string) error {
	if !p.isPunct(s) {
		return p.syntaxError(p.peek())
	}
	p.advance()
	return nil
}

func (p *parser) syntaxError(t token) error {
	return filterSyntax("Syntax error at position %d in '%s'.", t.pos, p.src)
}

// enter guards recursion; every nesting construct calls it.
func (p *parser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return filterSyntax("The recursion limit has been exceeded at position %d in '%s'.", p.peek().pos, p.src)
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

func (p *parser) parseOr() (expr, error) { return p.parseLogical("or", p.parseAnd) }

func (p *parser) parseAnd() (expr, error) { return p.parseLogical("and", p.parseNot) }

// parseLogical parses operands of next joined by op, left-associatively,
// checking each operand is a condition.
func (p *parser) parseLogical(op string, next func() (expr, error)) (expr, error) {
	start := p.peek()
	l, err := next()
	if err != nil {
		return nil, err
	}
	for p.isWord(op) {
		if err := p.wantCondition(l, start); err != nil {
			return nil, err
		}
		p.advance()
		start = p.peek()
		r, err := next()
		if err != nil {
			return nil, err
		}
		if err := p.wantCondition(r, start); err != nil {
			return nil, err
		}
		l = logical{op: op, l: l, r: r}
	}
	return l, nil
}

func (p *parser) parseNot() (expr, error) {
	if !p.isWord("not") {
		return p.parseComparison()
	}
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	p.advance()
	start := p.peek()
	x, err := p.parseNot()
	if err != nil {
		return nil, err
	}
	return notExpr{x}, p.wantCondition(x, start)
}

func (p *parser) parseComparison() (expr, error) {
	l, err := p.parseOperand()
	if err != nil {
		return nil, err
	}
	switch t := p.peek(); {
	case p.isWord(comparisonOps...):
		p.advance()
		r, err := p.parseOperand()
		if err != nil {
			return nil, err
		}
		return comparison{op: t.text, l: l, r: r}, nil
	case p.isWord("in"):
		p.advance()
		list, err := p.parseList()
		return inExpr{x: l, list: list}, err
	case p.isWord(unsupportedOps...):
		return nil, unsupported("Unsupported Query: the '%s' operator at position %d is not supported by the emulator.", t.text, t.pos)
	}
	return l, nil
}

// parseList parses the parenthesised operand list after in.
func (p *parser) parseList() ([]expr, error) {
	if err := p.expectPunct("("); err != nil {
		return nil, err
	}
	var list []expr
	for {
		x, err := p.parseOperand()
		if err != nil {
			return nil, err
		}
		list = append(list, x)
		if !p.isPunct(",") {
			break
		}
		p.advance()
	}
	return list, p.expectPunct(")")
}

// parseOperand parses what a comparison compares: a literal, a member
// path or lambda, a function call, or a parenthesised expression.
func (p *parser) parseOperand() (expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	t := p.peek()
	switch t.kind {
	case tokString, tokNumber, tokTime:
		p.advance()
		return literal{t.val}, nil
	case tokPunct:
		if t.text == "(" {
			return p.parseGroup()
		}
	case tokIdent:
		return p.parseIdent()
	}
	return nil, p.syntaxError(t)
}

func (p *parser) parseGroup() (expr, error) {
	p.advance()
	e, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	return e, p.expectPunct(")")
}

func (p *parser) parseIdent() (expr, error) {
	t := p.advance()
	switch t.text {
	case "true", "false":
		return literal{t.text == "true"}, nil
	case "null":
		return literal{nil}, nil
	}
	next := p.peek()
	switch {
	case next.kind == tokPunct && next.text == "(":
		return p.parseCall(t)
	case next.kind == tokString && next.pos == t.end() && strings.Contains(t.text, "."):
		// An enum literal such as microsoft.graph.importance'high'
		// compares as its member name.
		p.advance()
		return literal{next.val}, nil
	}
	return p.parsePath(t)
}

func (p *parser) parseCall(name token) (expr, error) {
	// Graph takes function names in any case: its own docs write
	// startsWith and endsWith.
	fn := strings.ToLower(name.text)
	arity, ok := stringFuncs[fn]
	switch {
	case !ok && slices.Contains(odataFuncs, name.text):
		return nil, unsupported("Unsupported Query: the function '%s' at position %d is not supported by the emulator.", name.text, name.pos)
	case !ok:
		return nil, badRequest("Invalid filter clause: An unknown function with name '%s' was found at position %d in '%s'.", name.text, name.pos, p.src)
	}
	p.advance() // (
	var args []expr
	for !p.isPunct(")") {
		if len(args) > 0 {
			if err := p.expectPunct(","); err != nil {
				return nil, err
			}
		}
		a, err := p.parseOperand()
		if err != nil {
			return nil, err
		}
		args = append(args, a)
	}
	p.advance() // )
	if len(args) != arity {
		return nil, badRequest("Invalid filter clause: No function signature for the function with name '%s' matches the specified arguments.", name.text)
	}
	return call{fn: fn, args: args}, nil
}

// parsePath parses first/second/… and an optional trailing lambda.
func (p *parser) parsePath(first token) (expr, error) {
	m := member{path: []string{first.text}}
	for p.isPunct("/") {
		p.advance()
		seg := p.peek()
		if seg.kind != tokIdent {
			return nil, p.syntaxError(seg)
		}
		p.advance()
		if (seg.text == "any" || seg.text == "all") && p.isPunct("(") {
			return p.parseLambda(m, seg.text == "all")
		}
		m.path = append(m.path, seg.text)
	}
	return m, nil
}

// parseLambda parses "(v:condition)" after coll/any or coll/all; "()" is
// allowed for any only.
func (p *parser) parseLambda(coll member, all bool) (expr, error) {
	p.advance() // (
	l := lambda{coll: coll, all: all}
	if p.isPunct(")") && !all {
		p.advance()
		return l, nil
	}
	v := p.advance()
	if v.kind != tokIdent || strings.ContainsAny(v.text, ".@$") {
		return nil, p.syntaxError(v)
	}
	if err := p.expectPunct(":"); err != nil {
		return nil, err
	}
	start := p.peek()
	body, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if err := p.wantCondition(body, start); err != nil {
		return nil, err
	}
	l.variable, l.body = v.text, body
	return l, p.expectPunct(")")
}

// wantCondition refuses an expression that cannot be true or false, such
// as a string literal used as a whole filter.
func (p *parser) wantCondition(e expr, start token) error {
	switch x := e.(type) {
	case member, notExpr, logical, comparison, inExpr, lambda:
		return nil
	case literal:
		if _, ok := x.val.(bool); ok {
			return nil
		}
	case call:
		if x.fn != "tolower" && x.fn != "toupper" {
			return nil
		}
	}
	return filterSyntax("The expression at position %d in '%s' is not a condition (true or false).", start.pos, p.src)
}

// ---- $filter: evaluation ----

// scope is what member paths resolve against: the item, and the lambda
// variables bound around the expression.
type scope struct {
	item     map[string]any
	variable string
	value    any
	outer    *scope
}

func (s *scope) bind(variable string, value any) *scope {
	return &scope{item: s.item, variable: variable, value: value, outer: s}
}

// resolve walks path from a lambda variable, when the first segment names
// one, or else from the item. Missing fields are nil.
func (s *scope) resolve(path []string) any {
	var cur any = s.item
	if v, ok := s.lookup(path[0]); ok {
		cur, path = v, path[1:]
	} else if path[0] == "$it" {
		path = path[1:]
	}
	for _, seg := range path {
		cur = step(cur, seg)
	}
	return normalize(cur)
}

func (s *scope) lookup(name string) (any, bool) {
	for ; s != nil; s = s.outer {
		if s.variable != "" && s.variable == name {
			return s.value, true
		}
	}
	return nil, false
}

// step moves one segment down from cur: a property, a type cast (kept only
// if @odata.type matches), or $count of a collection.
func step(cur any, seg string) any {
	if list, ok := asList(cur); ok && seg == "$count" {
		return float64(len(list))
	}
	obj, ok := cur.(map[string]any)
	if !ok {
		return nil
	}
	if v, ok := obj[seg]; ok {
		return v
	}
	// Graph matches property names without regard to case ($orderby=Subject).
	for k, v := range obj {
		if strings.EqualFold(k, seg) {
			return v
		}
	}
	if strings.Contains(seg, ".") {
		if t, _ := obj["@odata.type"].(string); strings.EqualFold(strings.TrimPrefix(t, "#"), seg) {
			return obj
		}
	}
	return nil
}

// normalize turns the number types an item may hold into float64, so
// comparisons see one numeric type.
func normalize(v any) any {
	switch x := v.(type) {
	case json.Number:
		if f, err := x.Float64(); err == nil {
			return f
		}
		return x.String()
	case int:
		return float64(x)
	case int32:
		return float64(x)
	case int64:
		return float64(x)
	case float32:
		return float64(x)
	}
	return v
}

// asList returns v as a list when it is one of the slice types items hold.
func asList(v any) ([]any, bool) {
	switch x := v.(type) {
	case []any:
		return x, true
	case []string:
		list := make([]any, len(x))
		for i, s := range x {
			list[i] = s
		}
		return list, true
	case []map[string]any:
		list := make([]any, len(x))
		for i, m := range x {
			list[i] = m
		}
		return list, true
	}
	return nil, false
}

func truthy(v any) bool {
	b, ok := v.(bool)
	return ok && b
}

// eval computes the value of e for the item in s: a bool for conditions,
// otherwise the operand's value.
func eval(e expr, s *scope) any {
	switch x := e.(type) {
	case literal:
		return x.val
	case member:
		return s.resolve(x.path)
	case notExpr:
		return !truthy(eval(x.x, s))
	case logical:
		l := truthy(eval(x.l, s))
		if x.op == "and" {
			return l && truthy(eval(x.r, s))
		}
		return l || truthy(eval(x.r, s))
	case comparison:
		return compareOp(x.op, eval(x.l, s), eval(x.r, s))
	case inExpr:
		v := eval(x.x, s)
		return slices.ContainsFunc(x.list, func(item expr) bool { return equal(v, eval(item, s)) })
	case call:
		return evalCall(x, s)
	case lambda:
		return evalLambda(x, s)
	}
	return nil
}

func evalCall(c call, s *scope) any {
	args := make([]string, len(c.args))
	for i, a := range c.args {
		str, ok := eval(a, s).(string)
		if !ok {
			return nil // null or another type: no match, as in OData
		}
		args[i] = str
	}
	switch c.fn {
	case "tolower":
		return strings.ToLower(args[0])
	case "toupper":
		return strings.ToUpper(args[0])
	}
	a, b := strings.ToLower(args[0]), strings.ToLower(args[1])
	switch c.fn {
	case "startswith":
		return strings.HasPrefix(a, b)
	case "endswith":
		return strings.HasSuffix(a, b)
	}
	return strings.Contains(a, b)
}

// evalLambda treats a missing collection as empty: any is false, all true.
func evalLambda(l lambda, s *scope) any {
	list, _ := asList(s.resolve(l.coll.path))
	if l.body == nil {
		return len(list) > 0
	}
	for _, v := range list {
		if truthy(eval(l.body, s.bind(l.variable, normalize(v)))) != l.all {
			return !l.all
		}
	}
	return l.all
}

func compareOp(op string, a, b any) bool {
	switch op {
	case "eq":
		return equal(a, b)
	case "ne":
		return !equal(a, b)
	}
	c, ok := order(a, b)
	if !ok {
		return false
	}
	switch op {
	case "gt":
		return c > 0
	case "ge":
		return c >= 0
	case "lt":
		return c < 0
	}
	return c <= 0
}

func equal(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	c, ok := order(a, b)
	return ok && c == 0
}

// order compares a and b when they are of comparable types: strings
// without regard to case, times chronologically (a string side is read as
// a time), numbers and booleans by value.
func order(a, b any) (int, bool) {
	switch x := a.(type) {
	case string:
		switch y := b.(type) {
		case string:
			return strings.Compare(strings.ToLower(x), strings.ToLower(y)), true
		case time.Time:
			t, ok := parseTime(x)
			return t.Compare(y), ok
		}
	case time.Time:
		switch y := b.(type) {
		case time.Time:
			return x.Compare(y), true
		case string:
			t, ok := parseTime(y)
			return x.Compare(t), ok
		}
	case float64:
		if y, ok := b.(float64); ok {
			return cmp.Compare(x, y), true
		}
	case bool:
		if y, ok := b.(bool); ok {
			return cmp.Compare(boolRank(x), boolRank(y)), true
		}
	}
	return 0, false
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
