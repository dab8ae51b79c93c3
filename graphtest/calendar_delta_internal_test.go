package graphtest

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzCalendarDeltaToken feeds the $skiptoken and $deltatoken a client
// sends back: a token is read only when it is one the emulator writes, and
// what it writes reads back unchanged.
func FuzzCalendarDeltaToken(f *testing.F) {
	f.Add(false, "abc", 0)
	f.Add(true, "0123456789abcdef", 12)
	f.Add(true, "a:b", -1)
	f.Add(true, "0:0", 57)
	f.Fuzz(func(t *testing.T, round bool, key string, offset int) {
		kind, other := "state", "round"
		if round {
			kind, other = other, kind
		}
		tok := calendarDeltaToken(kind, key, offset)
		k, off, ok := decodeCalendarDeltaToken(tok, kind)
		wantOK := key != "" && !strings.Contains(key, ":") && offset >= 0
		if ok != wantOK || ok && (k != key || off != offset) {
			t.Fatalf("%s %q %d: read back as %q %d %v", kind, key, offset, k, off, ok)
		}
		if _, _, ok := decodeCalendarDeltaToken(tok, other); ok {
			t.Fatalf("a %s token read as a %s token", kind, other)
		}
		if _, _, ok := decodeCalendarDeltaToken(key, kind); ok && !strings.HasPrefix(key, "Z3JhcGh0ZXN0") {
			t.Fatalf("%q read as a token", key)
		}
	})
}

// FuzzForwardRecipients feeds ToRecipients as a client sends it: every
// value is either refused with a Graph error or yields recipients that
// each have an address.
func FuzzForwardRecipients(f *testing.F) {
	f.Add(`[{"emailAddress":{"address":"megan@contoso.com","name":"Megan"}}]`)
	f.Add(`[{"EmailAddress":{"Address":"a@b.c"}},{"emailAddress":{}}]`)
	f.Add(`[]`)
	f.Add(`"megan@contoso.com"`)
	f.Add(`[{"emailAddress":"megan@contoso.com"}]`)
	f.Fuzz(func(t *testing.T, raw string) {
		var v any
		if json.Unmarshal([]byte(raw), &v) != nil {
			return
		}
		to, err := forwardRecipients(v)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a message")
			}
			return
		}
		if len(to) == 0 {
			t.Fatal("no recipients accepted")
		}
		for _, rc := range to {
			if a, _ := rc["address"].(string); !strings.Contains(a, "@") {
				t.Fatalf("address %q accepted", a)
			}
		}
	})
}
