package planner

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrMalformedOrderHint is matched (errors.Is) by the error of an order
// hint Planner would refuse, reported before any request is sent.
var ErrMalformedOrderHint = errors.New("planner: malformed order hint")

// firstHint is the hint of an item placed in a list with no neighbours
// known: OrderHintBetween("", "").
const firstHint = " !"

// OrderHintBetween returns the order hint that places an item between
// the items whose hints are prev and next, in the form "Using order
// hints in Planner" documents: "{prev} {next}!". An empty prev places it
// first, an empty next last; both empty suits the first item of an empty
// list (" !"). prev and next are hints as Graph returned them, or values
// an earlier OrderHintBetween composed, which Graph reads by their
// structure, so composed values can be combined again before Graph
// replaces them. Between hints Graph returned the result also sorts
// where it asks to be, so a client can order items by it meanwhile.
// Characters outside ' ' to '~', or a prev
// that does not sort before next, give an error matching
// ErrMalformedOrderHint.
func OrderHintBetween(prev, next string) (string, error) {
	if err := checkHintChars("previous", prev); err != nil {
		return "", err
	}
	if err := checkHintChars("next", next); err != nil {
		return "", err
	}
	if prev != "" && next != "" && prev >= next {
		return "", fmt.Errorf("%w: previous hint %q does not sort before next hint %q", ErrMalformedOrderHint, prev, next)
	}
	return prev + " " + next + "!", nil
}

// CheckOrderHint reports whether hint can be sent to Planner: a value
// Graph returned cannot be sent back as it is (Planner answers 400), only
// one made by OrderHintBetween, which ends in '!' and holds only the
// characters ' ' to '~'. The error matches ErrMalformedOrderHint.
func CheckOrderHint(hint string) error {
	if err := checkHintChars("", hint); err != nil {
		return err
	}
	if !strings.HasSuffix(hint, "!") {
		return fmt.Errorf("%w: %q does not end in '!'; make one with OrderHintBetween from the neighbours' hints", ErrMalformedOrderHint, hint)
	}
	return nil
}

func checkHintChars(which, h string) error {
	for i := 0; i < len(h); i++ {
		if c := h[i]; c < ' ' || c > '~' {
			name := "hint"
			if which != "" {
				name = which + " hint"
			}
			return fmt.Errorf("%w: %s %q has byte %#x at %d, outside ' ' to '~'", ErrMalformedOrderHint, name, h, c, i)
		}
	}
	return nil
}

// checkHint checks an order hint about to be sent as property of what.
func checkHint(what, property, hint string) error {
	if err := CheckOrderHint(hint); err != nil {
		return fmt.Errorf("planner: %s %s: %w", what, property, err)
	}
	return nil
}

// SortBuckets sorts buckets into board order: by OrderHint, compared by
// the ordinal value of its characters as Planner compares them.
func SortBuckets(buckets []*Bucket) {
	slices.SortStableFunc(buckets, func(a, b *Bucket) int { return strings.Compare(a.OrderHint, b.OrderHint) })
}

// SortTasks sorts tasks into a plan's or bucket's list order: by
// OrderHint.
func SortTasks(tasks []*Task) {
	slices.SortStableFunc(tasks, func(a, b *Task) int { return strings.Compare(a.OrderHint, b.OrderHint) })
}
