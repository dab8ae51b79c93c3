// Package orderhint makes Planner's order hints, after "Using order hints
// in Planner": clients send "{previous} {next}!" (either may be empty, and
// may itself be such a composed value); the service replaces it with a
// short value that sorts between the item's neighbours. A composed value
// sorts among the service's values exactly where it asks to be placed, so
// Place finds the neighbours by comparing it with the siblings' hints, and
// makes the new value from the digits 0-9A-Za-z, which sort in ASCII
// order. First is for items created without a hint, which go first, as
// Planner puts new tasks on top.
package orderhint

import "strings"

// hintDigits are the digits of the order hints graphtest makes, in
// ASCII order; '0' is the zero digit, which never ends a hint.
const hintDigits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// Place turns the composed hint a client sent into a service hint
// sorting between the siblings the composed value falls between.
func Place(composed string, siblings []string) string {
	var prev, next string
	for _, h := range siblings {
		if h < composed && h > prev {
			prev = h
		}
		if h > composed && (next == "" || h < next) {
			next = h
		}
	}
	return hintBetween(prev, next)
}

// First is the hint of an item created without one: before all its
// siblings.
func First(siblings []string) string {
	var first string
	for _, h := range siblings {
		if h != "" && (first == "" || h < first) {
			first = h
		}
	}
	return hintBetween("", first)
}

// hintBetween returns a hint that sorts after a and before b, where an
// empty b has no bound. a and b are made of hintDigits, a < b, and
// neither ends in the zero digit (a fractional midpoint, digit by digit).
func hintBetween(a, b string) string {
	if b != "" {
		n := 0
		for n < len(b) && hintDigit(a, n) == b[n] {
			n++
		}
		if n == len(b) {
			// a is not below b: no room, so go just after a.
			return a + hintDigits[len(hintDigits)/2:len(hintDigits)/2+1]
		}
		if n > 0 {
			return b[:n] + hintBetween(tail(a, n), b[n:])
		}
	}
	da := 0
	if a != "" {
		da = max(strings.IndexByte(hintDigits, a[0]), 0)
	}
	db := len(hintDigits)
	if b != "" {
		db = max(strings.IndexByte(hintDigits, b[0]), 0)
	}
	if db-da > 1 {
		return hintDigits[(da+db+1)/2 : (da+db+1)/2+1]
	}
	if len(b) > 1 {
		return b[:1]
	}
	return hintDigits[da:da+1] + hintBetween(tail(a, 1), "")
}

// hintDigit is s[i], or the zero digit past the end of s.
func hintDigit(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return hintDigits[0]
}

func tail(s string, n int) string {
	if n >= len(s) {
		return ""
	}
	return s[n:]
}
