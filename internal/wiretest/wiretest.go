// Package wiretest holds the machinery of the component packages'
// wire-fidelity tests: Microsoft's documented request and response
// examples (each package keeps its own copy in testdata), a round trip
// of a response through the library's types that reports what was lost,
// a comparison of property names between Microsoft's bodies and the
// emulator's or the library's, and a recorder of what the library sends.
package wiretest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
)

// Example is one entry of an examples file (see the package's
// testdata/README.md): a request and its response, as documented.
type Example struct {
	ID           string          `json:"id"`
	Method       string          `json:"method"`
	URL          string          `json:"url"`
	Status       int             `json:"status"`
	RequestBody  json.RawMessage `json:"request_body"`
	ResponseBody json.RawMessage `json:"response_body"`
}

// HasResponse says whether the example documents a response body;
// request-only examples have none.
func (e Example) HasResponse() bool {
	return len(e.ResponseBody) > 0 && string(e.ResponseBody) != "null"
}

// Load reads an examples file, keyed by example id.
func Load(t testing.TB, path string) map[string]Example {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var list []Example
	if err := json.Unmarshal(data, &list); err != nil {
		t.Fatal(err)
	}
	out := map[string]Example{}
	for _, e := range list {
		out[e.ID] = e
	}
	return out
}

// Check is a test of one example's response body.
type Check func(t *testing.T, body []byte)

// CheckResponses runs, as a subtest each, the check of every example
// with a response, and fails for an example that has no check: a new
// example must not go untested.
func CheckResponses(t *testing.T, examples map[string]Example, checks map[string]Check) {
	t.Helper()
	for id, e := range examples {
		if !e.HasResponse() {
			continue
		}
		check, ok := checks[id]
		if !ok {
			t.Errorf("example %s has no test", id)
			continue
		}
		t.Run(id, func(t *testing.T) { check(t, e.ResponseBody) })
	}
}

// RoundTrip returns a check that decodes a body into a new T with the
// library's JSON engine, encodes it again, and reports what was lost.
// unmodelled names the property paths the library leaves out on purpose.
func RoundTrip[T any](unmodelled ...string) Check {
	return func(t *testing.T, body []byte) {
		t.Helper()
		v := new(T)
		if err := api.Unmarshal(body, v); err != nil {
			t.Errorf("decoding into %T: %v", v, err)
			return
		}
		again, err := api.Marshal(v)
		if err != nil {
			t.Errorf("encoding %T: %v", v, err)
			return
		}
		var orig, round any
		json.Unmarshal(body, &orig)
		json.Unmarshal(again, &round)
		if lost := Lost(orig, round, "", unmodelled); len(lost) > 0 {
			sort.Strings(lost)
			t.Errorf("%T lost %v\nround trip: %s", v, lost, again)
		}
	}
}

// Lost lists the paths of properties of orig that a round trip lost or
// changed. A property that is absent after the trip is fine when its
// value was the zero value (Go's omitempty), and times compare as
// instants ("…:03.000Z" is "…:03Z"). unmodelled names properties the
// library does not model on purpose.
func Lost(orig, round any, path string, unmodelled []string) []string {
	if slices.Contains(unmodelled, path) {
		return nil
	}
	switch o := orig.(type) {
	case map[string]any:
		r, _ := round.(map[string]any)
		var lost []string
		for k, v := range o {
			p := strings.TrimPrefix(path+"."+k, ".")
			rv, ok := r[k]
			if !ok {
				if !isZero(v) && !slices.Contains(unmodelled, p) {
					lost = append(lost, p)
				}
				continue
			}
			lost = append(lost, Lost(v, rv, p, unmodelled)...)
		}
		return lost
	case []any:
		r, _ := round.([]any)
		if len(r) != len(o) {
			return []string{path + " (length)"}
		}
		var lost []string
		for i := range o {
			lost = append(lost, Lost(o[i], r[i], fmt.Sprintf("%s[%d]", path, i), unmodelled)...)
		}
		return lost
	case string:
		if r, ok := round.(string); ok && r != o {
			t1, err1 := time.Parse(time.RFC3339Nano, o)
			t2, err2 := time.Parse(time.RFC3339Nano, r)
			if err1 == nil && err2 == nil && t1.Equal(t2) {
				return nil
			}
		}
	}
	if fmt.Sprint(orig) != fmt.Sprint(round) {
		return []string{fmt.Sprintf("%s (%v became %v)", path, orig, round)}
	}
	return nil
}

func isZero(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case float64:
		return x == 0
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	}
	return false
}

// MissingKeys lists, sorted, the property paths of the JSON body want
// that the JSON body got lacks, but for those allowed. Array elements
// share their array's path ("value[].id"), so the paths of a collection
// are the union over its items; @odata.* members (paging, context) are
// left out.
func MissingKeys(want, got []byte, allowed ...string) []string {
	var w, g any
	json.Unmarshal(want, &w)
	json.Unmarshal(got, &g)
	wk, gk := map[string]bool{}, map[string]bool{}
	keysOf(w, "", wk)
	keysOf(g, "", gk)
	var missing []string
	for k := range wk {
		if !gk[k] && !slices.Contains(allowed, k) {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	return missing
}

func keysOf(v any, path string, out map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if strings.HasPrefix(k, "@odata.") {
				continue
			}
			p := strings.TrimPrefix(path+"."+k, ".")
			out[p] = true
			keysOf(val, p, out)
		}
	case []any:
		for _, e := range x {
			keysOf(e, path+"[]", out)
		}
	}
}

// Get reads url through con and returns the body, failing t on an error,
// for comparing the emulator's answers with Microsoft's.
func Get(ctx context.Context, t testing.TB, con *o365.Connection, url string) []byte {
	t.Helper()
	resp, err := con.Get(ctx, url, nil)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return b
}
