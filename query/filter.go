package query

import (
	"errors"
	"fmt"
	"strings"
)

// Filter is a $filter condition. Build one with the functions of this
// package (Eq, StartsWith, Any, And, …); they render as they go and place
// parentheses where precedence needs them.
//
// The zero Filter is empty: it means "no condition". Where and And skip
// empty filters, so a condition can be built optionally.
//
// A Filter built from a bad field name or an unsupported value carries the
// error; Query.Params reports it.
type Filter struct {
	text string
	prec precedence
	err  error
}

// precedence orders the kinds of expression from loosest to tightest
// binding, so a parent knows when a child needs parentheses.
type precedence int

const (
	precEmpty   precedence = iota
	precOr                 // a or b
	precAnd                // a and b
	precCompare            // a eq b: looser than not in OData, hence below precNot
	precNot                // not a
	precPrimary            // f(a), a/any(…), (…)
)

// String returns the rendered condition, "" for an empty Filter, or the
// error text in angle brackets if the Filter has an error.
func (f Filter) String() string {
	if f.err != nil {
		return "<" + f.err.Error() + ">"
	}
	return f.text
}

// Err returns the mistake made while building f, or nil.
func (f Filter) Err() error { return f.err }

// IsEmpty reports whether f is the empty Filter (no condition).
func (f Filter) IsEmpty() bool { return f.err == nil && f.prec == precEmpty }

func failed(err error) Filter { return Filter{err: err} }

// atLeast renders f for a context that binds as tightly as min, adding
// parentheses when f binds more loosely.
func (f Filter) atLeast(min precedence) string {
	if f.prec < min {
		return "(" + f.text + ")"
	}
	return f.text
}

// Eq matches items whose field equals value. See Literal for the accepted
// value types; nil compares with null.
func Eq(field string, value any) Filter { return compare("Eq", "eq", field, value) }

// Ne matches items whose field differs from value.
func Ne(field string, value any) Filter { return compare("Ne", "ne", field, value) }

// Gt matches items whose field is greater than value.
func Gt(field string, value any) Filter { return compare("Gt", "gt", field, value) }

// Ge matches items whose field is greater than or equal to value.
func Ge(field string, value any) Filter { return compare("Ge", "ge", field, value) }

// Lt matches items whose field is less than value.
func Lt(field string, value any) Filter { return compare("Lt", "lt", field, value) }

// Le matches items whose field is less than or equal to value.
func Le(field string, value any) Filter { return compare("Le", "le", field, value) }

func compare(name, op, field string, value any) Filter {
	if err := checkField(name, field); err != nil {
		return failed(err)
	}
	lit, err := Literal(value)
	if err != nil {
		return failed(fmt.Errorf("query: %s %q: %w", name, field, err))
	}
	return Filter{text: field + " " + op + " " + lit, prec: precCompare}
}

// StartsWith matches items whose string field begins with s.
func StartsWith(field, s string) Filter { return call("StartsWith", "startswith", field, s) }

// EndsWith matches items whose string field ends with s.
func EndsWith(field, s string) Filter { return call("EndsWith", "endswith", field, s) }

// Contains matches items whose string field contains s.
func Contains(field, s string) Filter { return call("Contains", "contains", field, s) }

func call(name, fn, field, s string) Filter {
	if err := checkField(name, field); err != nil {
		return failed(err)
	}
	lit, err := Literal(s)
	if err != nil {
		return failed(fmt.Errorf("query: %s %q: %w", name, field, err))
	}
	return Filter{text: fn + "(" + field + "," + lit + ")", prec: precPrimary}
}

// Any matches items where f holds for at least one element of the
// collection field. Inside f, variable names the element:
//
//	Any("emailAddresses", "a", Eq("a/address", "x"))
//	// emailAddresses/any(a:a/address eq 'x')
//
// With an empty f, Any matches items whose collection is not empty
// (collection/any()), and variable is not used.
func Any(collection, variable string, f Filter) Filter {
	if f.IsEmpty() {
		if err := checkField("Any", collection); err != nil {
			return failed(err)
		}
		return Filter{text: collection + "/any()", prec: precPrimary}
	}
	return lambda("Any", "any", collection, variable, f)
}

// All matches items where f holds for every element of the collection
// field (vacuously for an empty collection). Inside f, variable names the
// element. f must not be empty.
func All(collection, variable string, f Filter) Filter {
	if f.IsEmpty() {
		return failed(fmt.Errorf("query: All %q: empty condition", collection))
	}
	return lambda("All", "all", collection, variable, f)
}

func lambda(name, op, collection, variable string, f Filter) Filter {
	if err := checkField(name, collection); err != nil {
		return failed(err)
	}
	if !validVariable(variable) {
		return failed(fmt.Errorf("query: %s %q: invalid lambda variable %q", name, collection, variable))
	}
	if f.err != nil {
		return f
	}
	return Filter{text: collection + "/" + op + "(" + variable + ":" + f.text + ")", prec: precPrimary}
}

// And matches items that satisfy every filter. Empty filters are skipped;
// And of nothing is the empty Filter, and And of one filter is that filter.
func And(f ...Filter) Filter { return join("And", "and", precAnd, f, true) }

// Or matches items that satisfy at least one filter. An empty filter among
// them is an error, since "no condition" would make the whole Or match
// everything, which is rarely what was meant. Or of nothing is the empty
// Filter.
func Or(f ...Filter) Filter { return join("Or", "or", precOr, f, false) }

func join(name, op string, prec precedence, fs []Filter, skipEmpty bool) Filter {
	parts := make([]string, 0, len(fs))
	var last Filter
	for _, f := range fs {
		if f.err != nil {
			return f
		}
		if f.IsEmpty() {
			if skipEmpty {
				continue
			}
			return failed(fmt.Errorf("query: %s: empty condition", name))
		}
		parts = append(parts, f.atLeast(prec))
		last = f
	}
	switch len(parts) {
	case 0:
		return Filter{}
	case 1:
		return last
	}
	return Filter{text: strings.Join(parts, " "+op+" "), prec: prec}
}

// Not matches items that do not satisfy f. f must not be empty.
func Not(f Filter) Filter {
	if f.err != nil {
		return f
	}
	if f.IsEmpty() {
		return failed(errors.New("query: Not: empty condition"))
	}
	return Filter{text: "not " + f.atLeast(precNot), prec: precNot}
}
