package mailbox_test

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/mailbox"
	"github.com/stretchr/testify/require"
)

// TestWireFidelity decodes every mail folder example of Microsoft's docs
// (testdata/graph-examples.json, see its README) into Folder, encodes it
// again, and checks that no property was lost.
func TestWireFidelity(t *testing.T) {
	data, err := os.ReadFile("testdata/graph-examples.json")
	require.NoError(t, err)
	var examples []struct {
		ID           string         `json:"id"`
		ResponseBody map[string]any `json:"response_body"`
	}
	require.NoError(t, json.Unmarshal(data, &examples))
	require.NotEmpty(t, examples)
	for _, ex := range examples {
		t.Run(ex.ID, func(t *testing.T) {
			raw, err := json.Marshal(ex.ResponseBody)
			require.NoError(t, err)
			var target any = new(mailbox.Folder)
			if _, ok := ex.ResponseBody["value"]; ok {
				target = new(api.Page[*mailbox.Folder])
			}
			require.NoError(t, api.Unmarshal(raw, target))
			again, err := api.Marshal(target)
			require.NoError(t, err)
			var back map[string]any
			require.NoError(t, json.Unmarshal(again, &back))
			requireKept(t, "", ex.ResponseBody, back)
		})
	}
}

func requireKept(t *testing.T, path string, want, got map[string]any) {
	t.Helper()
	for k, w := range want {
		if k == "@odata.context" {
			continue
		}
		g, ok := got[k]
		if !ok {
			require.True(t, w == nil || reflect.ValueOf(w).IsZero(), "%s/%s = %v was lost", path, k, w)
			continue
		}
		if wl, ok := w.([]any); ok && len(wl) > 0 {
			if _, isObj := wl[0].(map[string]any); isObj {
				gl := g.([]any)
				require.Len(t, gl, len(wl))
				for i := range wl {
					requireKept(t, path+"/"+k, wl[i].(map[string]any), gl[i].(map[string]any))
				}
				continue
			}
		}
		require.Equal(t, w, g, "%s/%s", path, strings.TrimPrefix(k, "/"))
	}
}
