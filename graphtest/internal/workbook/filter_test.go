package workbook

import "testing"

func TestWildMatch(t *testing.T) {
	for _, c := range []struct {
		p, s string
		want bool
	}{
		{"a*", "apple", true}, {"a*", "banana", false}, {"?d", "ed", true}, {"?d", "eddy", false},
		{"*an*", "banana", true}, {"~*", "*", true}, {"~*", "x", false}, {"", "", true}, {"*", "", true},
	} {
		if got := wildMatch(c.p, c.s); got != c.want {
			t.Errorf("wildMatch(%q, %q) = %v", c.p, c.s, got)
		}
	}
}

func TestCustomMatch(t *testing.T) {
	for _, c := range []struct {
		v    any
		crit string
		want bool
	}{
		{50.0, ">40", true}, {50.0, "<=50", true}, {50.0, "<>50", false}, {"x", ">40", false},
		{"x", "<>40", true}, {"Blue", "=blue", true}, {"Blue", "<>Bl*", false}, {nil, "=", true},
		{"pear", ">fig", true}, {"fig", ">=pear", false}, {12.0, "12", true},
	} {
		if got := customMatch(c.v, c.crit); got != c.want {
			t.Errorf("customMatch(%v, %q) = %v", c.v, c.crit, got)
		}
	}
}
