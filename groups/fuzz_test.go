package groups_test

import (
	"bytes"
	"testing"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/groups"
	"github.com/go-o365/o365/internal/wiretest"
)

// FuzzDecode feeds Graph answers, Microsoft's examples first, to the
// decoders of every type of the package: they must return an error or a
// value, never panic, and a value must encode again.
func FuzzDecode(f *testing.F) {
	for _, e := range wiretest.Load(f, "testdata/examples.json") {
		if e.HasResponse() {
			f.Add([]byte(e.ResponseBody))
		}
		if len(e.RequestBody) > 0 {
			f.Add([]byte(e.RequestBody))
		}
	}
	f.Add([]byte(`{"value":[{"@odata.type":"#microsoft.graph.group","id":1}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		decode := func(v any) {
			if err := api.Decode(bytes.NewReader(data), v, "fuzz"); err == nil {
				if _, err := api.Marshal(v); err != nil {
					t.Errorf("%T decoded but does not encode: %v", v, err)
				}
			}
		}
		decode(new(groups.Group))
		decode(new(api.Page[groups.Group]))
		decode(new(api.Page[groups.DirectoryObject]))
		decode(new(groups.Conversation))
		decode(new(api.Page[groups.ConversationThread]))
		decode(new(api.Page[groups.Post]))
	})
}
