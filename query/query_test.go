package query_test

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/go-o365/o365/query"
)

func TestParams(t *testing.T) {
	tests := []struct {
		name string
		q    *query.Query
		want map[string]string
	}{
		{"empty", query.New(), map[string]string{}},
		{"zero value", &query.Query{}, map[string]string{}},
		{
			"brief example",
			query.New().Where(query.Eq("subject", "it's here")).OrderBy("receivedDateTime", query.Desc).Select("subject", "from"),
			map[string]string{"$filter": "subject eq 'it''s here'", "$orderby": "receivedDateTime desc", "$select": "subject,from"},
		},
		{
			"where calls are and-ed",
			query.New().Where(query.Eq("isRead", false)).Where(query.Or(query.Eq("a", 1), query.Eq("b", 2))),
			map[string]string{"$filter": "isRead eq false and (a eq 1 or b eq 2)"},
		},
		{"empty filter adds nothing", query.New().Where(query.Filter{}), map[string]string{}},
		{
			"select dedups and accumulates",
			query.New().Select("a", "b").Select("b", "c"),
			map[string]string{"$select": "a,b,c"},
		},
		{
			"orderby keys comma-joined",
			query.New().OrderBy("from/emailAddress/name", query.Asc).OrderBy("receivedDateTime", query.Desc),
			map[string]string{"$orderby": "from/emailAddress/name asc,receivedDateTime desc"},
		},
		{
			"paging and count",
			query.New().Top(10).Skip(20).Count(),
			map[string]string{"$top": "10", "$skip": "20", "$count": "true"},
		},
		{"top zero is sent", query.New().Top(5).Top(0), map[string]string{"$top": "0"}},
		{"search quoted", query.New().Search("pizza"), map[string]string{"$search": `"pizza"`}},
		{
			"search escapes backslash and quote",
			query.New().Search(`say "hi" \o/`),
			map[string]string{"$search": `"say \"hi\" \\o/"`},
		},
		{"search field form", query.New().Search("displayName:wa"), map[string]string{"$search": `"displayName:wa"`}},
		{"expand plain", query.New().Expand("attachments"), map[string]string{"$expand": "attachments"}},
		{"expand nil sub", query.New().Expand("attachments", nil), map[string]string{"$expand": "attachments"}},
		{
			"expand nested",
			query.New().Expand("attachments", query.New().Select("name", "size").Where(query.Gt("size", 1024))).Expand("extensions"),
			map[string]string{"$expand": "attachments($filter=size gt 1024;$select=name,size),extensions"},
		},
		{
			"expand nested twice",
			query.New().Expand("children", query.New().Expand("children", query.New().Top(1))),
			map[string]string{"$expand": "children($expand=children($top=1))"},
		},
		{
			"methods on nil query",
			(*query.Query)(nil).Top(3),
			map[string]string{"$top": "3"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.q.Params()
			if err != nil {
				t.Fatalf("Params: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Params = %q\nwant     %q", got, tt.want)
			}
		})
	}
}

func TestNilQueryParams(t *testing.T) {
	var q *query.Query
	got, err := q.Params()
	if err != nil || len(got) != 0 {
		t.Errorf("nil Params = %v, %v; want empty, nil", got, err)
	}
	if s := q.String(); s != "" {
		t.Errorf("nil String = %q, want empty", s)
	}
}

func TestFilterRendering(t *testing.T) {
	a, b, c := query.Eq("a", 1), query.Eq("b", 2), query.Eq("c", 3)
	tests := []struct {
		name string
		f    query.Filter
		want string
	}{
		{"eq", query.Eq("subject", "hi"), "subject eq 'hi'"},
		{"ne", query.Ne("importance", "low"), "importance ne 'low'"},
		{"gt", query.Gt("size", 10), "size gt 10"},
		{"ge", query.Ge("size", 10.5), "size ge 10.5"},
		{"lt", query.Lt("size", int8(-3)), "size lt -3"},
		{"le", query.Le("size", uint64(math.MaxUint64)), "size le 18446744073709551615"},
		{"null", query.Eq("parentFolderId", nil), "parentFolderId eq null"},
		{"nested path", query.Eq("from/emailAddress/address", "a@b.c"), "from/emailAddress/address eq 'a@b.c'"},
		{"cast path", query.Eq("microsoft.graph.fileAttachment/contentType", "text/plain"), "microsoft.graph.fileAttachment/contentType eq 'text/plain'"},
		{"annotation", query.Eq("@odata.type", "#microsoft.graph.user"), "@odata.type eq '#microsoft.graph.user'"},
		{"startswith", query.StartsWith("displayName", "O'Brien"), "startswith(displayName,'O''Brien')"},
		{"endswith", query.EndsWith("mail", "@x.com"), "endswith(mail,'@x.com')"},
		{"contains", query.Contains("subject", "a) or (b"), "contains(subject,'a) or (b')"},
		{"any", query.Any("emailAddresses", "a", query.Eq("a/address", "x")), "emailAddresses/any(a:a/address eq 'x')"},
		{"any non-empty", query.Any("attachments", "", query.Filter{}), "attachments/any()"},
		{"all", query.All("categories", "c", query.Ne("c", "Red")), "categories/all(c:c ne 'Red')"},
		{"any with or inside", query.Any("to", "r", query.Or(a, b)), "to/any(r:a eq 1 or b eq 2)"},
		{"and", query.And(a, b, c), "a eq 1 and b eq 2 and c eq 3"},
		{"or", query.Or(a, b, c), "a eq 1 or b eq 2 or c eq 3"},
		{"or inside and", query.And(a, query.Or(b, c)), "a eq 1 and (b eq 2 or c eq 3)"},
		{"and inside or", query.Or(query.And(a, b), c), "a eq 1 and b eq 2 or c eq 3"},
		{"and inside and", query.And(query.And(a, b), c), "a eq 1 and b eq 2 and c eq 3"},
		{"or inside or", query.Or(a, query.Or(b, c)), "a eq 1 or b eq 2 or c eq 3"},
		{"not comparison", query.Not(a), "not (a eq 1)"},
		{"not function", query.Not(query.StartsWith("s", "x")), "not startswith(s,'x')"},
		{"not and", query.Not(query.And(a, b)), "not (a eq 1 and b eq 2)"},
		{"not not", query.Not(query.Not(query.Contains("s", "x"))), "not not contains(s,'x')"},
		{"not inside and", query.And(query.Not(a), b), "not (a eq 1) and b eq 2"},
		{"and skips empty", query.And(query.Filter{}, a, query.Filter{}), "a eq 1"},
		{"and of one", query.And(query.Or(a, b)), "a eq 1 or b eq 2"},
		{"and of nothing", query.And(), ""},
		{"or of nothing", query.Or(), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.f.Err(); err != nil {
				t.Fatalf("Err: %v", err)
			}
			if got := tt.f.String(); got != tt.want {
				t.Errorf("String = %q\nwant     %q", got, tt.want)
			}
		})
	}
}

type importance string

func TestLiteral(t *testing.T) {
	s := "x"
	var nilStr *string
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"string", "abc", "'abc'"},
		{"empty string", "", "''"},
		{"quote", "it's", "'it''s'"},
		{"only quotes", "''", "''''''"},
		{"unicode", "Grüße 日本 🎉", "'Grüße 日本 🎉'"},
		{"operators stay inside", "x' or 1 eq 1 or 'a", "'x'' or 1 eq 1 or ''a'"},
		{"named string type", importance("high"), "'high'"},
		{"true", true, "true"},
		{"false", false, "false"},
		{"int", -42, "-42"},
		{"int16", int16(7), "7"},
		{"int32", int32(math.MinInt32), "-2147483648"},
		{"int64", int64(math.MaxInt64), "9223372036854775807"},
		{"uint", uint(7), "7"},
		{"uint8", uint8(255), "255"},
		{"uint16", uint16(1), "1"},
		{"uint32", uint32(4000000000), "4000000000"},
		{"float64", 1.25, "1.25"},
		{"float64 large", 1e21, "1e+21"},
		{"float32", float32(0.1), "0.1"},
		{"NaN", math.NaN(), "NaN"},
		{"+Inf", math.Inf(1), "INF"},
		{"-Inf", math.Inf(-1), "-INF"},
		{"time UTC", time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC), "2024-05-01T10:00:00Z"},
		{"time zone converted", time.Date(2024, 5, 1, 12, 0, 0, 0, time.FixedZone("CEST", 2*3600)), "2024-05-01T10:00:00Z"},
		{"time fraction", time.Date(2024, 5, 1, 10, 0, 0, 500_000_000, time.UTC), "2024-05-01T10:00:00.5Z"},
		{"nil", nil, "null"},
		{"nil pointer", nilStr, "null"},
		{"pointer", &s, "'x'"},
		{"time pointer", ptr(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)), "2024-01-02T03:04:05Z"},
		{"guid", query.GUID("cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46"), "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46"},
		{"guid upper case", query.GUID("CBDC14AB-D96C-4C30-B9F4-6ADA7CDC1D46"), "CBDC14AB-D96C-4C30-B9F4-6ADA7CDC1D46"},
		{"guid pointer", ptr(query.GUID("00000000-0000-0000-0000-000000000000")), "00000000-0000-0000-0000-000000000000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := query.Literal(tt.v)
			if err != nil {
				t.Fatalf("Literal(%#v): %v", tt.v, err)
			}
			if got != tt.want {
				t.Errorf("Literal(%#v) = %q, want %q", tt.v, got, tt.want)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// A GUID goes into the filter unquoted, so anything else is refused.
func TestGUIDLiteralRefusesOtherText(t *testing.T) {
	for _, g := range []string{"", "cbdc14ab", "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d4", "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46 or true",
		"cbdc14abxd96c-4c30-b9f4-6ada7cdc1d46", "gbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46", "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d4'"} {
		if lit, err := query.Literal(query.GUID(g)); !errors.Is(err, query.ErrUnsupportedValue) {
			t.Errorf("Literal(GUID(%q)) = %q, %v; want ErrUnsupportedValue", g, lit, err)
		}
	}
	if got := query.Eq("l/skuId", query.GUID("cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46")).String(); got != "l/skuId eq cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46" {
		t.Errorf("Eq = %q", got)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name   string
		q      *query.Query
		target error  // wrapped sentinel, if any
		substr string // must appear in the message
	}{
		{"space in field", query.New().Where(query.Eq("sub ject", 1)), query.ErrInvalidField, `"sub ject"`},
		{"quote in field", query.New().Where(query.Eq("a'b", 1)), query.ErrInvalidField, `Eq: field "a'b"`},
		{"paren in field", query.New().Where(query.StartsWith("f(x)", "a")), query.ErrInvalidField, "StartsWith"},
		{"empty field", query.New().Where(query.Gt("", 1)), query.ErrInvalidField, `field ""`},
		{"empty segment", query.New().Select("a//b"), query.ErrInvalidField, `Select: field "a//b"`},
		{"leading digit", query.New().OrderBy("1a", query.Asc), query.ErrInvalidField, "OrderBy"},
		{"dot edge", query.New().Select("a."), query.ErrInvalidField, `"a."`},
		{"expand field", query.New().Expand("a,b"), query.ErrInvalidField, `Expand: field "a,b"`},
		{"any collection", query.New().Where(query.Any("a b", "x", query.Eq("x", 1))), query.ErrInvalidField, "Any"},
		{"any variable", query.New().Where(query.Any("tags", "x:y", query.Eq("x", 1))), nil, `invalid lambda variable "x:y"`},
		{"all empty", query.New().Where(query.All("tags", "t", query.Filter{})), nil, "All"},
		{"or empty operand", query.New().Where(query.Or(query.Eq("a", 1), query.Filter{})), nil, "Or: empty condition"},
		{"not empty", query.New().Where(query.Not(query.Filter{})), nil, "Not: empty condition"},
		{"error inside and", query.New().Where(query.And(query.Eq("ok", 1), query.Not(query.Eq("no way", 2)))), query.ErrInvalidField, `"no way"`},
		{"slice value", query.New().Where(query.Eq("tags", []string{"a"})), query.ErrUnsupportedValue, "[]string"},
		{"struct value", query.New().Where(query.Eq("x", struct{}{})), query.ErrUnsupportedValue, "struct"},
		{"map value", query.New().Where(query.Eq("x", map[string]int{})), query.ErrUnsupportedValue, `Eq "x"`},
		{"invalid utf8", query.New().Where(query.Contains("x", "\xff")), query.ErrUnsupportedValue, "UTF-8"},
		{"search invalid utf8", query.New().Search("a\xfe"), query.ErrUnsupportedValue, "Search"},
		{"time out of range", query.New().Where(query.Lt("t", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC))), query.ErrUnsupportedValue, "years"},
		{"bad direction", query.New().OrderBy("a", query.Direction(5)), nil, "invalid direction 5"},
		{"negative top", query.New().Top(-1), nil, "Top(-1)"},
		{"negative skip", query.New().Skip(-2), nil, "Skip(-2)"},
		{"two sub-queries", query.New().Expand("a", query.New(), query.New()), nil, "at most one"},
		{"sub-query error", query.New().Expand("a", query.New().Select("b c")), query.ErrInvalidField, `"b c"`},
		{"first error wins", query.New().Select("x y").Top(-1), query.ErrInvalidField, `"x y"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			params, err := tt.q.Params()
			if err == nil {
				t.Fatalf("Params = %q, want error", params)
			}
			if params != nil {
				t.Errorf("Params returned %q alongside the error", params)
			}
			if tt.target != nil && !errors.Is(err, tt.target) {
				t.Errorf("error %q does not wrap %q", err, tt.target)
			}
			if !strings.Contains(err.Error(), tt.substr) {
				t.Errorf("error %q does not mention %q", err, tt.substr)
			}
			if s := tt.q.String(); s != "<"+err.Error()+">" {
				t.Errorf("String = %q, want the error", s)
			}
		})
	}
}

func TestExpandCycle(t *testing.T) {
	q := query.New()
	q.Expand("children", query.New().Expand("children", q))
	if _, err := q.Params(); err == nil || !strings.Contains(err.Error(), "contains its parent") {
		t.Errorf("Params of a cyclic query: err = %v", err)
	}
}

func TestSharedSubQuery(t *testing.T) {
	sub := query.New().Select("id")
	q := query.New().Expand("a", sub).Expand("b", sub)
	got, err := q.Params()
	if err != nil {
		t.Fatal(err)
	}
	if want := "a($select=id),b($select=id)"; got["$expand"] != want {
		t.Errorf("$expand = %q, want %q", got["$expand"], want)
	}
}

func TestFilterStringShowsError(t *testing.T) {
	f := query.Eq("a b", 1)
	if !errors.Is(f.Err(), query.ErrInvalidField) {
		t.Fatalf("Err = %v", f.Err())
	}
	if !strings.HasPrefix(f.String(), "<query: Eq") {
		t.Errorf("String = %q", f.String())
	}
	if f.IsEmpty() {
		t.Error("a failed filter must not count as empty")
	}
}

func TestDirectionString(t *testing.T) {
	for d, want := range map[query.Direction]string{query.Asc: "asc", query.Desc: "desc", 7: "Direction(7)"} {
		if got := d.String(); got != want {
			t.Errorf("Direction(%d).String() = %q, want %q", int(d), got, want)
		}
	}
}

// TestStringParsesBack checks that String is a real query string: a URL
// parser recovers exactly Params from it, whatever characters the values
// hold.
func TestStringParsesBack(t *testing.T) {
	queries := []*query.Query{
		query.New(),
		query.New().Where(query.Eq("subject", "a&b=c+d;e%f#g ?h 'i' \"j\" ü")).Select("a", "b").Top(5).Skip(1).Count(),
		query.New().Search(`x & y; "z"`).OrderBy("a", query.Desc),
		query.New().Expand("attachments", query.New().Select("name").Where(query.Contains("name", ";)"))),
	}
	for _, q := range queries {
		want, err := q.Params()
		if err != nil {
			t.Fatal(err)
		}
		values, err := url.ParseQuery(q.String())
		if err != nil {
			t.Fatalf("ParseQuery(%q): %v", q.String(), err)
		}
		got := map[string]string{}
		for k, vs := range values {
			if len(vs) != 1 {
				t.Fatalf("%q: option %s appears %d times", q.String(), k, len(vs))
			}
			got[k] = vs[0]
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("ParseQuery(%q) = %q\nwant %q", q.String(), got, want)
		}
	}
}

func TestStringOrder(t *testing.T) {
	q := query.New().Count().Top(2).OrderBy("a", query.Asc).Select("a").Search("s").Where(query.Eq("a", 1)).Expand("e").Skip(3)
	want := `$filter=a%20eq%201&$search=%22s%22&$select=a&$expand=e&$orderby=a%20asc&$top=2&$skip=3&$count=true`
	if got := q.String(); got != want {
		t.Errorf("String = %q\nwant     %q", got, want)
	}
}

// readStringLiteral reads an OData string literal at the start of s (which
// must begin with '), undoing the doubled-quote escape. It returns the value and what
// follows the closing quote; ok is false if the literal never closes.
func readStringLiteral(s string) (value, rest string, ok bool) {
	if !strings.HasPrefix(s, "'") {
		return "", s, false
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] != '\'' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == '\'' {
			b.WriteByte('\'')
			i++
			continue
		}
		return b.String(), s[i+1:], true
	}
	return "", "", false
}

// readSearchPhrase is readStringLiteral for $search's "…" with backslash
// escapes.
func readSearchPhrase(s string) (value, rest string, ok bool) {
	if !strings.HasPrefix(s, `"`) {
		return "", s, false
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 == len(s) {
				return "", "", false
			}
			i++
			b.WriteByte(s[i])
		case '"':
			return b.String(), s[i+1:], true
		default:
			b.WriteByte(s[i])
		}
	}
	return "", "", false
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "it's here", "'", "''", "' or 1 eq 1 or '", "a)", "\\'", "日本'語", "\x00'\n", "\xff'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		filter := query.Eq("subject", s)
		if !utf8.ValidString(s) {
			if !errors.Is(filter.Err(), query.ErrUnsupportedValue) {
				t.Fatalf("invalid UTF-8 %q accepted: %v", s, filter)
			}
			return
		}
		if err := filter.Err(); err != nil {
			t.Fatalf("Eq(%q): %v", s, err)
		}
		text := filter.String()
		const prefix = "subject eq "
		if text != prefix+"'"+strings.ReplaceAll(s, "'", "''")+"'" {
			t.Fatalf("Eq(%q) = %q", s, text)
		}
		value, rest, ok := readStringLiteral(strings.TrimPrefix(text, prefix))
		if !ok || rest != "" {
			t.Fatalf("literal of %q does not close at the end: rest %q, ok %v", s, rest, ok)
		}
		if value != s {
			t.Fatalf("literal of %q reads back as %q", s, value)
		}

		params, err := query.New().Search(s).Params()
		if err != nil {
			t.Fatalf("Search(%q): %v", s, err)
		}
		value, rest, ok = readSearchPhrase(params["$search"])
		if !ok || rest != "" || value != s {
			t.Fatalf("Search(%q) = %q reads back as %q, rest %q, ok %v", s, params["$search"], value, rest, ok)
		}
	})
}

// FuzzField checks that field validation never panics and never lets
// through a character that could end a path inside the query text.
func FuzzField(f *testing.F) {
	for _, s := range []string{"subject", "from/emailAddress/address", "a b", "a'b", "@odata.type", "x/any(", "é_1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, field string) {
		err := query.Eq(field, 1).Err()
		if err != nil {
			if !errors.Is(err, query.ErrInvalidField) || !strings.Contains(err.Error(), fmt.Sprintf("%q", field)) {
				t.Fatalf("Eq(%q): error %q should wrap ErrInvalidField and name the field", field, err)
			}
			return
		}
		if strings.ContainsAny(field, " \t\r\n'\"(),;:&=?#%+$") {
			t.Fatalf("field %q accepted", field)
		}
	})
}

func Example() {
	q := query.New().
		Where(query.Eq("subject", "it's here")).
		OrderBy("receivedDateTime", query.Desc).
		Select("subject", "from").
		Top(25)
	params, err := q.Params()
	if err != nil {
		fmt.Println("bad query:", err)
		return
	}
	fmt.Println(params["$filter"])
	fmt.Println(params["$orderby"])
	fmt.Println(params["$select"])
	fmt.Println(q)
	// Output:
	// subject eq 'it''s here'
	// receivedDateTime desc
	// subject,from
	// $filter=subject%20eq%20'it''s%20here'&$select=subject,from&$orderby=receivedDateTime%20desc&$top=25
}

func ExampleAny() {
	since := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	f := query.And(
		query.Ge("receivedDateTime", since),
		query.Any("toRecipients", "r", query.EndsWith("r/emailAddress/address", "@contoso.com")),
		query.Or(query.Eq("importance", "high"), query.Not(query.Eq("isRead", true))),
	)
	fmt.Println(f)
	// Output:
	// receivedDateTime ge 2024-05-01T10:00:00Z and toRecipients/any(r:endswith(r/emailAddress/address,'@contoso.com')) and (importance eq 'high' or not (isRead eq true))
}

func ExampleQuery_Expand() {
	q := query.New().Expand("attachments", query.New().Select("name", "size"))
	params, _ := q.Params()
	fmt.Println(params["$expand"])
	// Output:
	// attachments($select=name,size)
}

func ExampleQuery_Params_error() {
	_, err := query.New().Where(query.Eq("subject) or (1", "x")).Params()
	fmt.Println(err)
	// Output:
	// query: Eq: field "subject) or (1": not a valid OData member path
}
