package odata_test

import (
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/go-o365/o365/graphtest/internal/odata"
	"github.com/go-o365/o365/query"
)

// odataItems is a small mailbox: strings with quotes and case differences,
// numbers, booleans, dates, nested objects, collections and nulls.
func odataItems() []map[string]any {
	return []map[string]any{
		{
			"id": "m1", "subject": "It's here", "size": 10.0, "isRead": true,
			"receivedDateTime": "2024-05-01T10:00:00Z", "importance": "high",
			"from":         map[string]any{"emailAddress": map[string]any{"name": "Alice", "address": "alice@contoso.com"}},
			"categories":   []any{"Red", "Blue"},
			"toRecipients": []any{map[string]any{"emailAddress": map[string]any{"address": "bob@contoso.com"}}},
		},
		{
			"id": "m2", "subject": "Lunch (today) or never", "size": 20.0, "isRead": false,
			"receivedDateTime": "2024-05-02T09:30:00.1234567Z", "importance": "normal",
			"from":         map[string]any{"emailAddress": map[string]any{"name": "Bob", "address": "bob@fabrikam.com"}},
			"categories":   []any{},
			"toRecipients": []any{map[string]any{"emailAddress": map[string]any{"address": "alice@contoso.com"}}, map[string]any{"emailAddress": map[string]any{"address": "carol@fabrikam.com"}}},
		},
		{
			"id": "m3", "subject": "it''s HERE", "size": 5.0, "isRead": false,
			"receivedDateTime": "2024-04-30T23:59:59+02:00", "importance": "low",
			"from":       map[string]any{"emailAddress": map[string]any{"name": "Ünal", "address": "unal@contoso.com"}},
			"categories": []any{"red"},
		},
		{
			"id": "m4", "subject": nil, "size": 20.0, "isRead": true,
			"receivedDateTime": "2024-05-03T00:00:00Z", "parentFolderId": "inbox",
			"@odata.type": "#microsoft.graph.eventMessage",
		},
	}
}

// odataIDs lists the ids of items, in order.
func odataIDs(items []map[string]any) []string {
	ids := []string{}
	for _, it := range items {
		ids = append(ids, fmt.Sprint(it["id"]))
	}
	return ids
}

func odataFilterIDs(t *testing.T, filter string) []string {
	t.Helper()
	matched, _, err := odata.Apply(odataItems(), url.Values{"$filter": {filter}})
	if err != nil {
		t.Fatalf("$filter=%s: %v", filter, err)
	}
	return odataIDs(matched)
}

func TestODataFilter(t *testing.T) {
	tests := []struct {
		filter string
		want   []string
	}{
		{"subject eq 'It''s here'", []string{"m1"}},
		{"subject eq 'it''s HERE'", []string{"m1"}}, // case-insensitive
		{"subject eq 'it''''s here'", []string{"m3"}},
		{"subject eq 'Lunch (today) or never'", []string{"m2"}},
		{"subject ne 'it''s here'", []string{"m2", "m3", "m4"}}, // null ne 'x' holds
		{"subject eq null", []string{"m4"}},
		{"subject ne null", []string{"m1", "m2", "m3"}},
		{"parentFolderId eq null", []string{"m1", "m2", "m3"}}, // missing is null
		{"size gt 10", []string{"m2", "m4"}},
		{"size ge 10", []string{"m1", "m2", "m4"}},
		{"size lt 10", []string{"m3"}},
		{"size le 10.0", []string{"m1", "m3"}},
		{"size eq 2e1", []string{"m2", "m4"}},
		{"size gt -1", []string{"m1", "m2", "m3", "m4"}},
		{"subject gt 'j'", []string{"m2"}},
		{"subject lt null", []string{}},
		{"isRead eq true", []string{"m1", "m4"}},
		{"isRead", []string{"m1", "m4"}},
		{"isRead ne true", []string{"m2", "m3"}},
		{"importance eq microsoft.graph.importance'high'", []string{"m1"}},
		{"receivedDateTime ge 2024-05-01T10:00:00Z", []string{"m1", "m2", "m4"}},
		{"receivedDateTime lt 2024-04-30T22:00:00Z", []string{"m3"}}, // 23:59:59+02:00 is 21:59:59Z
		{"receivedDateTime gt 2024-05-02T09:30:00.1Z", []string{"m2", "m4"}},
		{"receivedDateTime ge 2024-05-02", []string{"m2", "m4"}},
		{"receivedDateTime eq 2024-05-01T12:00+02:00", []string{"m1"}},
		{"from/emailAddress/address eq 'ALICE@contoso.com'", []string{"m1"}},
		{"from/emailAddress/name eq 'ünal'", []string{"m3"}},
		{"startswith(subject,'it')", []string{"m1", "m3"}},
		{"endswith(from/emailAddress/address,'@FABRIKAM.com')", []string{"m2"}},
		{"contains(subject,'(today)')", []string{"m2"}},
		{"contains(subject,'''')", []string{"m1", "m3"}},
		{"startswith(subject,'')", []string{"m1", "m2", "m3"}},
		{"not startswith(subject,'it')", []string{"m2", "m4"}},
		{"tolower(subject) eq 'it''s here'", []string{"m1"}},
		{"startswith(toupper(from/emailAddress/name),'A')", []string{"m1"}},
		{"categories/any(c:c eq 'red')", []string{"m1", "m3"}},
		{"categories/any(c: c eq 'blue')", []string{"m1"}},
		{"categories/any()", []string{"m1", "m3"}},
		{"categories/all(c:startswith(c,'r'))", []string{"m2", "m3", "m4"}}, // vacuous for empty and missing
		{"toRecipients/any(r:endswith(r/emailAddress/address,'@fabrikam.com'))", []string{"m2"}},
		{"toRecipients/any(r:r/emailAddress/address eq 'bob@contoso.com' or r/emailAddress/address eq 'carol@fabrikam.com')", []string{"m1", "m2"}},
		{"toRecipients/any(r:categories/any(c:c eq 'red'))", []string{"m1"}},
		{"categories/$count eq 1", []string{"m3"}},
		{"id in ('m1', 'M3')", []string{"m1", "m3"}},
		{"size in (5)", []string{"m3"}},
		{"microsoft.graph.eventMessage/parentFolderId eq 'inbox'", []string{"m4"}},
		{"@odata.type eq '#microsoft.graph.eventMessage'", []string{"m4"}},
		{"$it/size eq 5", []string{"m3"}},
		{"subject eq 10", []string{}}, // unlike types never compare equal
		{"size eq '10'", []string{}},
		{"size ne '10'", []string{"m1", "m2", "m3", "m4"}},
		{"((size eq 5))", []string{"m3"}},
		{"true", []string{"m1", "m2", "m3", "m4"}},
		{"  size   eq\t5 ", []string{"m3"}},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			if got := odataFilterIDs(t, tt.filter); !slices.Equal(got, tt.want) {
				t.Errorf("matched %v, want %v", got, tt.want)
			}
		})
	}
}

// TestODataFilterPrecedence uses boolean fields T (true) and F (false) so
// that each filter's value depends on how it groups.
func TestODataFilterPrecedence(t *testing.T) {
	items := []map[string]any{{"id": "x", "T": true, "F": false}}
	tests := []struct {
		filter string
		want   bool
	}{
		{"T or F and F", true},    // and binds tighter: T or (F and F)
		{"(T or F) and F", false}, // parentheses win
		{"F and F or T", true},
		{"F and (F or T)", false},
		{"not F and F", false}, // (not F) and F
		{"not (F and F)", true},
		{"not F or F", true},
		{"not T or T", true}, // (not T) or T
		{"not (T or T)", false},
		{"not not T", true},
		{"not F eq true", true}, // not applies to the comparison
		{"T eq false or T", true},
		{"F or F or T", true},
		{"T and T and F", false},
		{"T and not F and T", true},
	}
	for _, tt := range tests {
		matched, _, err := odata.Apply(items, url.Values{"$filter": {tt.filter}})
		if err != nil {
			t.Errorf("%s: %v", tt.filter, err)
			continue
		}
		if got := len(matched) == 1; got != tt.want {
			t.Errorf("%s = %v, want %v", tt.filter, got, tt.want)
		}
	}
}

func TestODataFilterErrors(t *testing.T) {
	tests := []struct {
		filter string
		code   string
		substr string
	}{
		{"subject eq 'it's here'", odata.CodeBadRequest, "Invalid filter clause: There is an unterminated string literal at position 21 in 'subject eq 'it's here''."},
		{"subject eq 'open", odata.CodeBadRequest, "unterminated string literal at position 11"},
		{"subject eq", odata.CodeBadRequest, "Syntax error at position 10 in 'subject eq'."},
		{"subject eq \"x\"", odata.CodeBadRequest, "character '\"' is not valid at position 11"},
		{"subject == 'x'", odata.CodeBadRequest, "character '=' is not valid"},
		{"(size eq 1", odata.CodeBadRequest, "Syntax error at position 10"},
		{"size eq 1)", odata.CodeBadRequest, "Syntax error at position 9"},
		{"size eq 1 size eq 2", odata.CodeBadRequest, "Syntax error at position 10"},
		{"size eq 1 and", odata.CodeBadRequest, "Syntax error at position 13"},
		{"'x'", odata.CodeBadRequest, "is not a condition"},
		{"size eq 1 and 5", odata.CodeBadRequest, "at position 14 in 'size eq 1 and 5' is not a condition"},
		{"not 'x'", odata.CodeBadRequest, "not a condition"},
		{"tolower(subject)", odata.CodeBadRequest, "not a condition"},
		{"categories/any(c:'x')", odata.CodeBadRequest, "not a condition"},
		{"categories/all()", odata.CodeBadRequest, "Syntax error"},
		{"categories/any(c c eq 'x')", odata.CodeBadRequest, "Syntax error"},
		{"categories/any(c.d:c eq 'x')", odata.CodeBadRequest, "Syntax error"},
		{"startswith(subject)", odata.CodeBadRequest, "No function signature for the function with name 'startswith'"},
		{"startswith(subject,'a','b')", odata.CodeBadRequest, "No function signature"},
		{"startswith(subject,", odata.CodeBadRequest, "Syntax error"},
		{"frobnicate(subject)", odata.CodeBadRequest, "An unknown function with name 'frobnicate'"},
		{"length(subject) gt 3", odata.CodeUnsupported, "function 'length'"},
		{"size add 1 eq 2", odata.CodeUnsupported, "the 'add' operator"},
		{"importance has 'high'", odata.CodeUnsupported, "'has'"},
		{"size eq 1.2.3", odata.CodeBadRequest, "'1.2.3' at position 8 is not a valid literal"},
		{"when eq 2024-13-01T00:00:00Z", odata.CodeBadRequest, "not a valid literal"},
		{"id in 'm1'", odata.CodeBadRequest, "Syntax error"},
		{"from/", odata.CodeBadRequest, "Syntax error at position 5"},
		{"subject eq '\xff'", odata.CodeBadRequest, ""},
		{"size eq \xff", odata.CodeBadRequest, "invalid UTF-8 at position 8"},
		{strings.Repeat("(", 200) + "true" + strings.Repeat(")", 200), odata.CodeBadRequest, "recursion limit"},
		{strings.Repeat("not ", 200) + "true", odata.CodeBadRequest, "recursion limit"},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			_, _, err := odata.Apply(odataItems(), url.Values{"$filter": {tt.filter}})
			if tt.substr == "" && err == nil {
				return // an invalid byte inside a literal is only data
			}
			var qe *odata.Error
			if !errors.As(err, &qe) {
				t.Fatalf("err = %v, want a *odata.Error", err)
			}
			if qe.Code != tt.code || !strings.Contains(qe.Message, tt.substr) {
				t.Errorf("error %s: %q\nwant %s containing %q", qe.Code, qe.Message, tt.code, tt.substr)
			}
			if !strings.HasPrefix(qe.Message, "Invalid filter clause: ") && qe.Code == odata.CodeBadRequest {
				t.Errorf("message %q lacks Graph's prefix", qe.Message)
			}
		})
	}
}

func TestODataDuplicateOption(t *testing.T) {
	_, _, err := odata.Apply(odataItems(), url.Values{"$filter": {"true", "true"}})
	var qe *odata.Error
	if !errors.As(err, &qe) || qe.Code != odata.CodeBadRequest || !strings.Contains(qe.Message, "'filter' was specified more than once") {
		t.Errorf("err = %v", err)
	}
}

func TestODataOrderBy(t *testing.T) {
	tests := []struct {
		orderby string
		want    []string
	}{
		{"", []string{"m1", "m2", "m3", "m4"}},
		{"size", []string{"m3", "m1", "m2", "m4"}}, // stable: m2 before m4
		{"size desc", []string{"m2", "m4", "m1", "m3"}},
		{"size desc,id desc", []string{"m4", "m2", "m1", "m3"}},
		{"size DESC, subject asc", []string{"m4", "m2", "m1", "m3"}}, // null subject first
		{"subject", []string{"m4", "m3", "m1", "m2"}},                // nulls first; ' sorts before s
		{"subject desc", []string{"m2", "m1", "m3", "m4"}},           // nulls last
		{"receivedDateTime", []string{"m3", "m1", "m2", "m4"}},       // chronological across zones
		{"receivedDateTime desc", []string{"m4", "m2", "m1", "m3"}},
		{"from/emailAddress/name", []string{"m4", "m1", "m2", "m3"}},
		{"isRead,size", []string{"m3", "m2", "m1", "m4"}},
	}
	for _, tt := range tests {
		t.Run(tt.orderby, func(t *testing.T) {
			items := odataItems()
			before := odataIDs(items)
			v := url.Values{}
			if tt.orderby != "" {
				v.Set("$orderby", tt.orderby)
			}
			matched, _, err := odata.Apply(items, v)
			if err != nil {
				t.Fatal(err)
			}
			if got := odataIDs(matched); !slices.Equal(got, tt.want) {
				t.Errorf("order %v, want %v", got, tt.want)
			}
			if after := odataIDs(items); !slices.Equal(after, before) {
				t.Errorf("caller's slice reordered to %v", after)
			}
		})
	}
}

func TestODataOrderByErrors(t *testing.T) {
	for _, s := range []string{"size up", "size asc desc", ",size", "a b c", "from/", "sub ject desc", "size;"} {
		_, _, err := odata.Apply(odataItems(), url.Values{"$orderby": {s}})
		var qe *odata.Error
		if !errors.As(err, &qe) || qe.Code != odata.CodeBadRequest || !strings.Contains(qe.Message, "$orderby") {
			t.Errorf("$orderby=%s: err = %v", s, err)
		}
	}
}

func TestODataSearch(t *testing.T) {
	tests := []struct {
		search string
		want   []string
	}{
		{`"here"`, []string{"m1", "m3"}},
		{`"HERE it"`, []string{"m1", "m3"}}, // every term, anywhere
		{`"it's"`, []string{"m1"}},
		{`"lunch alice"`, []string{"m2"}}, // terms may match different fields
		{`"contoso"`, []string{"m1", "m2", "m3"}},
		{`"from:contoso"`, []string{"m1", "m3"}},
		{`"from/emailAddress/name:bob"`, []string{"m2"}},
		{`"subject:alice"`, []string{}},
		{`"m1"`, []string{}}, // ids are not searched
		{`"eventMessage"`, []string{}},
		{`"(today)"`, []string{"m2"}},
		{`"say \"hi\""`, []string{}},
		{`"red" "blue"`, []string{"m1"}},
		{`"red" AND "here"`, []string{"m1", "m3"}},
		{`"lunch" OR "ünal"`, []string{"m2", "m3"}},
		{`"qq" OR "today" OR "alice"`, []string{"m1", "m2"}},
		{`""`, []string{"m1", "m2", "m3", "m4"}},
	}
	for _, tt := range tests {
		t.Run(tt.search, func(t *testing.T) {
			matched, _, err := odata.Apply(odataItems(), url.Values{"$search": {tt.search}})
			if err != nil {
				t.Fatal(err)
			}
			if got := odataIDs(matched); !slices.Equal(got, tt.want) {
				t.Errorf("matched %v, want %v", got, tt.want)
			}
		})
	}
}

func TestODataSearchEscapes(t *testing.T) {
	items := []map[string]any{{"id": "a", "subject": `say "hi" \o/`}, {"id": "b", "subject": "say hi"}}
	for _, s := range []string{`"\"hi\""`, `"\\o/"`} {
		matched, _, err := odata.Apply(items, url.Values{"$search": {s}})
		if err != nil {
			t.Fatal(err)
		}
		if got := odataIDs(matched); !slices.Equal(got, []string{"a"}) {
			t.Errorf("$search=%s matched %v, want [a]", s, got)
		}
	}
}

func TestODataSearchErrors(t *testing.T) {
	for _, s := range []string{`pizza`, `"open`, `"a" AND`, `"a" x`, `"a" OR "b`, `"a\`} {
		_, _, err := odata.Apply(odataItems(), url.Values{"$search": {s}})
		var qe *odata.Error
		if !errors.As(err, &qe) || qe.Code != odata.CodeBadRequest || !strings.Contains(qe.Message, "$search") {
			t.Errorf("$search=%s: err = %v", s, err)
		}
	}
}

func TestODataSelect(t *testing.T) {
	item := odataItems()[3]
	tests := []struct {
		sel        string
		wantFields []string
		wantKeys   []string
	}{
		{"", nil, []string{"@odata.type", "id", "isRead", "parentFolderId", "receivedDateTime", "size", "subject"}},
		{"*", nil, []string{"@odata.type", "id", "isRead", "parentFolderId", "receivedDateTime", "size", "subject"}},
		{"subject", []string{"subject"}, []string{"@odata.type", "id", "subject"}},
		{"Subject, size ,", []string{"Subject", "size"}, []string{"@odata.type", "id", "size", "subject"}},
		{"from/emailAddress,missing", []string{"from/emailAddress", "missing"}, []string{"@odata.type", "id"}},
	}
	for _, tt := range tests {
		t.Run(tt.sel, func(t *testing.T) {
			_, fields, err := odata.Apply([]map[string]any{item}, url.Values{"$select": {tt.sel}})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(fields, tt.wantFields) {
				t.Errorf("fields %q, want %q", fields, tt.wantFields)
			}
			got := odata.Project(item, fields)
			if keys := slices.Sorted(maps.Keys(got)); !slices.Equal(keys, tt.wantKeys) {
				t.Errorf("projected keys %q, want %q", keys, tt.wantKeys)
			}
			if len(item) != 7 {
				t.Errorf("project changed the item: %v", item)
			}
		})
	}
	if _, _, err := odata.Apply(nil, url.Values{"$select": {"a b"}}); err == nil || !strings.Contains(err.Error(), "Parsing OData Select and Expand failed") {
		t.Errorf("$select=a b: err = %v", err)
	}
}

func TestODataProjectNil(t *testing.T) {
	item := map[string]any{"id": "1", "x": 1.0}
	if got := odata.Project(item, nil); !reflect.DeepEqual(got, item) {
		t.Errorf("odata.Project(nil fields) = %v", got)
	}
}

func TestODataNumberTypes(t *testing.T) {
	items := []map[string]any{
		{"id": "a", "n": 3},
		{"id": "b", "n": int64(4)},
		{"id": "c", "n": "5"},
		{"id": "d", "n": float32(5)},
	}
	matched, _, err := odata.Apply(items, url.Values{"$filter": {"n ge 3.5"}, "$orderby": {"n desc"}})
	if err != nil {
		t.Fatal(err)
	}
	// The string "5" is not a number, so it never compares with one.
	if got := odataIDs(matched); !slices.Equal(got, []string{"d", "b"}) {
		t.Errorf("matched %v, want [d b]", got)
	}
}

// ---- the query package as the client ----

// TestODataQueryPackageRoundTrip builds random filters with package query,
// sends them through the URL encoding a client uses, and checks that
// applyQuery picks exactly the items a Go predicate for the same filter
// picks, in the requested order. Strings are drawn from quotes, operators,
// parentheses, mixed case and non-ASCII text, the inputs that break naive
// escaping.
func TestODataQueryPackageRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 40 {
		g := &filterGen{rng: rng}
		items := g.items(25)
		for range 50 {
			f, pred := g.filter(3)
			dir := query.Asc
			if rng.IntN(2) == 0 {
				dir = query.Desc
			}
			q := query.New().Where(f).OrderBy("n", dir).Select("subject")
			wire := q.String()
			values, err := url.ParseQuery(wire)
			if err != nil {
				t.Fatalf("ParseQuery(%q): %v", wire, err)
			}
			matched, fields, err := odata.Apply(items, values)
			if err != nil {
				t.Fatalf("round %d: $filter=%s: %v", round, values.Get("$filter"), err)
			}
			want := []string{}
			for _, it := range items {
				if pred(it) {
					want = append(want, it["id"].(string))
				}
			}
			if dir == query.Desc {
				slices.Reverse(want) // items are generated in ascending n
			}
			if got := odataIDs(matched); !slices.Equal(got, want) {
				t.Fatalf("round %d: $filter=%s\nmatched %v\nwant    %v", round, values.Get("$filter"), got, want)
			}
			if !slices.Equal(fields, []string{"subject"}) {
				t.Fatalf("$select gave %q", fields)
			}
		}
	}
}

// TestODataSearchRoundTrip checks query.Search against the engine with
// strings full of quotes and backslashes.
func TestODataSearchRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	g := &filterGen{rng: rng}
	items := g.items(25)
	for range 500 {
		text := strings.ReplaceAll(g.text(), ":", "") // keep to the any-field form
		values, err := url.ParseQuery(query.New().Search(text).String())
		if err != nil {
			t.Fatal(err)
		}
		matched, _, err := odata.Apply(items, values)
		if err != nil {
			t.Fatalf("$search=%s: %v", values.Get("$search"), err)
		}
		want := []string{}
		for _, it := range items {
			if searchPredicate(it, text) {
				want = append(want, it["id"].(string))
			}
		}
		if got := odataIDs(matched); !slices.Equal(got, want) {
			t.Fatalf("$search=%s\nmatched %v\nwant    %v", values.Get("$search"), got, want)
		}
	}
}

func searchPredicate(item map[string]any, text string) bool {
	var texts []string
	add := func(v any) {
		if s, ok := v.(string); ok {
			texts = append(texts, strings.ToLower(s))
		}
	}
	add(item["subject"])
	add(item["when"])
	if from, ok := item["from"].(map[string]any); ok {
		add(from["emailAddress"].(map[string]any)["address"])
	}
	for _, tag := range item["tags"].([]any) {
		add(tag)
	}
	for _, term := range strings.Fields(strings.ToLower(text)) {
		if !slices.ContainsFunc(texts, func(s string) bool { return strings.Contains(s, term) }) {
			return false
		}
	}
	return true
}

// filterGen makes random items and random filters with their predicates.
type filterGen struct {
	rng     *rand.Rand
	strings []string // strings placed in items, reused in filters so some match
}

var genPieces = []string{
	"a", "b", "A", "B", "z", "'", "''", `"`, `\`, " ", "(", ")", ",", "/", ":", "eq", " or ", " and ", "not ",
	"é", "É", "ß", "Σ", "σ", "日本", "🎉", "%", "&", "+", "#", ";", "=", "?", "$filter",
}

func (g *filterGen) text() string {
	if len(g.strings) > 0 && g.rng.IntN(2) == 0 {
		s := g.strings[g.rng.IntN(len(g.strings))]
		if g.rng.IntN(2) == 0 {
			s = strings.ToUpper(s)
		}
		if n := len(s); n > 0 && g.rng.IntN(3) == 0 {
			s = s[:g.rng.IntN(n)] // a prefix, possibly cutting a rune
			for !utf8.ValidString(s) {
				s = s[:len(s)-1]
			}
		}
		return s
	}
	var b strings.Builder
	for range g.rng.IntN(5) {
		b.WriteString(genPieces[g.rng.IntN(len(genPieces))])
	}
	return b.String()
}

func (g *filterGen) keep(s string) string {
	g.strings = append(g.strings, s)
	return s
}

// items makes n items with ascending n fields; some fields are null or
// missing.
func (g *filterGen) items(n int) []map[string]any {
	base := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	items := make([]map[string]any, n)
	for i := range items {
		it := map[string]any{"id": fmt.Sprintf("i%02d", i), "n": float64(i), "size": float64(g.rng.IntN(5)), "flag": g.rng.IntN(2) == 0}
		if g.rng.IntN(6) > 0 {
			it["subject"] = g.keep(g.text())
		} else if g.rng.IntN(2) == 0 {
			it["subject"] = nil
		}
		if g.rng.IntN(5) > 0 {
			it["when"] = base.Add(time.Duration(g.rng.IntN(72)) * time.Hour).In(time.FixedZone("", 3600*(g.rng.IntN(5)-2))).Format(time.RFC3339)
		}
		it["from"] = map[string]any{"emailAddress": map[string]any{"address": g.keep(g.text())}}
		tags := []any{}
		for range g.rng.IntN(4) {
			tags = append(tags, g.keep(g.text()))
		}
		it["tags"] = tags
		items[i] = it
	}
	return items
}

type predicate func(map[string]any) bool

// filter makes a random filter of at most depth levels and its predicate.
func (g *filterGen) filter(depth int) (query.Filter, predicate) {
	if depth == 0 || g.rng.IntN(3) == 0 {
		return g.leaf()
	}
	switch g.rng.IntN(3) {
	case 0:
		f, p := g.filter(depth - 1)
		return query.Not(f), func(it map[string]any) bool { return !p(it) }
	case 1:
		fs, ps := g.filters(depth)
		return query.And(fs...), func(it map[string]any) bool {
			return !slices.ContainsFunc(ps, func(p predicate) bool { return !p(it) })
		}
	}
	fs, ps := g.filters(depth)
	return query.Or(fs...), func(it map[string]any) bool {
		return slices.ContainsFunc(ps, func(p predicate) bool { return p(it) })
	}
}

func (g *filterGen) filters(depth int) ([]query.Filter, []predicate) {
	n := 2 + g.rng.IntN(2)
	fs, ps := make([]query.Filter, n), make([]predicate, n)
	for i := range n {
		fs[i], ps[i] = g.filter(depth - 1)
	}
	return fs, ps
}

var genOps = []string{"eq", "ne", "gt", "ge", "lt", "le"}

func (g *filterGen) leaf() (query.Filter, predicate) {
	op := genOps[g.rng.IntN(len(genOps))]
	switch g.rng.IntN(9) {
	case 0:
		s := g.text()
		return build(op, "subject", s), func(it map[string]any) bool { return compareStrings(op, it["subject"], s) }
	case 1:
		n := g.rng.IntN(6) - 1
		return build(op, "size", n), func(it map[string]any) bool { return compareNumbers(op, it["size"].(float64), float64(n)) }
	case 2:
		b := g.rng.IntN(2) == 0
		if op != "ne" {
			op = "eq"
		}
		return build(op, "flag", b), func(it map[string]any) bool { return (it["flag"] == b) == (op == "eq") }
	case 3:
		when := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(g.rng.IntN(72*4)) * 15 * time.Minute)
		return build(op, "when", when), func(it map[string]any) bool { return compareTimes(op, it["when"], when) }
	case 4:
		if op != "ne" {
			op = "eq"
		}
		return build(op, "subject", nil), func(it map[string]any) bool { return (it["subject"] == nil) == (op == "eq") }
	case 5:
		return g.stringCall("subject", func(it map[string]any) any { return it["subject"] })
	case 6:
		return g.stringCall("from/emailAddress/address", func(it map[string]any) any {
			return it["from"].(map[string]any)["emailAddress"].(map[string]any)["address"]
		})
	case 7:
		return g.lambda()
	}
	return query.Any("tags", "", query.Filter{}), func(it map[string]any) bool { return len(it["tags"].([]any)) > 0 }
}

func build(op, field string, v any) query.Filter {
	return map[string]func(string, any) query.Filter{
		"eq": query.Eq, "ne": query.Ne, "gt": query.Gt, "ge": query.Ge, "lt": query.Lt, "le": query.Le,
	}[op](field, v)
}

var genCalls = map[string]func(string, string) query.Filter{
	"startswith": query.StartsWith, "endswith": query.EndsWith, "contains": query.Contains,
}

func (g *filterGen) stringCall(field string, get func(map[string]any) any) (query.Filter, predicate) {
	fn := []string{"startswith", "endswith", "contains"}[g.rng.IntN(3)]
	s := g.text()
	return genCalls[fn](field, s), func(it map[string]any) bool { return callString(fn, get(it), s) }
}

func (g *filterGen) lambda() (query.Filter, predicate) {
	s := g.text()
	tags := func(it map[string]any) []any { return it["tags"].([]any) }
	switch g.rng.IntN(3) {
	case 0:
		return query.Any("tags", "t", query.Eq("t", s)), func(it map[string]any) bool {
			return slices.ContainsFunc(tags(it), func(v any) bool { return compareStrings("eq", v, s) })
		}
	case 1:
		return query.Any("tags", "t", query.StartsWith("t", s)), func(it map[string]any) bool {
			return slices.ContainsFunc(tags(it), func(v any) bool { return callString("startswith", v, s) })
		}
	}
	return query.All("tags", "t", query.Ne("t", s)), func(it map[string]any) bool {
		return !slices.ContainsFunc(tags(it), func(v any) bool { return compareStrings("eq", v, s) })
	}
}

// The predicates below state the engine's documented rules directly:
// strings compare lower-cased, null equals only null and never orders,
// and string fields compare with times as RFC 3339 instants.

func compareStrings(op string, field any, s string) bool {
	v, ok := field.(string)
	if !ok {
		return op == "ne"
	}
	return holds(op, strings.Compare(strings.ToLower(v), strings.ToLower(s)))
}

func compareNumbers(op string, a, b float64) bool {
	switch {
	case a < b:
		return holds(op, -1)
	case a > b:
		return holds(op, 1)
	}
	return holds(op, 0)
}

func compareTimes(op string, field any, when time.Time) bool {
	v, ok := field.(string)
	if !ok {
		return op == "ne"
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		panic(err)
	}
	return holds(op, t.Compare(when))
}

func holds(op string, c int) bool {
	switch op {
	case "eq":
		return c == 0
	case "ne":
		return c != 0
	case "gt":
		return c > 0
	case "ge":
		return c >= 0
	case "lt":
		return c < 0
	}
	return c <= 0
}

func callString(fn string, field any, s string) bool {
	v, ok := field.(string)
	if !ok {
		return false
	}
	v, s = strings.ToLower(v), strings.ToLower(s)
	switch fn {
	case "startswith":
		return strings.HasPrefix(v, s)
	case "endswith":
		return strings.HasSuffix(v, s)
	}
	return strings.Contains(v, s)
}

// FuzzODataLiteral checks that any string, written by package query and
// read by the engine, selects exactly the items holding that string.
func FuzzODataLiteral(f *testing.F) {
	for _, s := range []string{"", "it's here", "'", "''", "' or 1 eq 1 or '", "a)", `\'`, "日本'語", "x' or true or 'y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // package query refuses it, which its own fuzz test checks
		}
		items := []map[string]any{{"id": "same", "s": s}, {"id": "longer", "s": s + "x"}, {"id": "none"}}
		for _, tc := range []struct {
			f    query.Filter
			want []string
		}{
			{query.Eq("s", s), []string{"same"}},
			{query.Ne("s", s), []string{"longer", "none"}},
			{query.StartsWith("s", s), []string{"same", "longer"}},
			{query.Contains("s", s), []string{"same", "longer"}},
		} {
			params, err := query.New().Where(tc.f).Params()
			if err != nil {
				t.Fatalf("%v: %v", tc.f, err)
			}
			matched, _, err := odata.Apply(items, url.Values{"$filter": {params["$filter"]}})
			if err != nil {
				t.Fatalf("$filter=%s: %v", params["$filter"], err)
			}
			if got := odataIDs(matched); !slices.Equal(got, tc.want) {
				t.Fatalf("$filter=%s matched %v, want %v", params["$filter"], got, tc.want)
			}
		}
	})
}

// FuzzODataQuery checks that no query text makes the engine panic, and
// that every refusal is a *odata.Error with a Graph code and a message.
func FuzzODataQuery(f *testing.F) {
	f.Add("subject eq 'it''s here' and size gt 3", "size desc", `"here"`, "subject,size")
	f.Add("categories/any(c:c eq 'red') or not startswith(subject,'x')", "receivedDateTime", `"from:contoso" OR "red"`, "*")
	f.Add("receivedDateTime ge 2024-05-01T10:00:00Z", "from/emailAddress/name asc,id", `"a \"b\""`, "")
	f.Add("id in ('m1','m2') and (isRead or size le -1.5e2)", "", "", "")
	f.Add("((((", ",,", `"`, "a b")
	f.Fuzz(func(t *testing.T, filter, orderby, search, sel string) {
		v := url.Values{"$filter": {filter}, "$orderby": {orderby}, "$search": {search}, "$select": {sel}}
		matched, fields, err := odata.Apply(odataItems(), v)
		if err != nil {
			var qe *odata.Error
			if !errors.As(err, &qe) || qe.Message == "" || (qe.Code != odata.CodeBadRequest && qe.Code != odata.CodeUnsupported) {
				t.Fatalf("error %#v is not a well-formed odata.Error", err)
			}
			return
		}
		if len(matched) > 4 {
			t.Fatalf("matched %d items out of 4", len(matched))
		}
		for _, it := range matched {
			odata.Project(it, fields)
		}
	})
}
