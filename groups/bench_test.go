package groups_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/groups"
	"github.com/go-o365/o365/internal/wiretest"
)

// groupsPage is one Graph page of n groups, each Microsoft's group-get
// example (every default property, about 1.5 KB) with its own id.
func groupsPage(b *testing.B, n int) []byte {
	b.Helper()
	one := string(wiretest.Load(b, "testdata/examples.json")["group-get#1"].ResponseBody)
	items := make([]string, n)
	for i := range items {
		items[i] = strings.Replace(one, "02bd9fd6-8f93-4758-87c3-1fb73740a315", fmt.Sprintf("%08d-8f93-4758-87c3-1fb73740a315", i), 1)
	}
	return []byte(`{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#groups","value":[` + strings.Join(items, ",") + `]}`)
}

// BenchmarkDecodeGroupsPage decodes a page of 1000 groups into the
// package's types through the library's JSON engine (api.Decode), and
// through plain encoding/json into the same types, the reference.
func BenchmarkDecodeGroupsPage(b *testing.B) {
	page := groupsPage(b, 1000)
	b.Run("api.Decode", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		b.ReportAllocs()
		for b.Loop() {
			var p api.Page[groups.Group]
			if err := api.Decode(bytes.NewReader(page), &p, "groups page"); err != nil || len(p.Value) != 1000 {
				b.Fatal(err, len(p.Value))
			}
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		b.ReportAllocs()
		for b.Loop() {
			var p api.Page[groups.Group]
			if err := json.Unmarshal(page, &p); err != nil || len(p.Value) != 1000 {
				b.Fatal(err, len(p.Value))
			}
		}
	})
}
