package notify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"testing"

	"github.com/go-o365/o365/notify"
)

// FuzzDecode feeds notification bodies to Decode and to a Handler: no
// input may panic, the Handler answers only 202, 400 or 413, and nothing
// without the expected clientState is delivered.
func FuzzDecode(f *testing.F) {
	raw, err := os.ReadFile("testdata/examples.json")
	if err != nil {
		f.Fatal(err)
	}
	var doc struct {
		Examples []struct {
			Body json.RawMessage `json:"body"`
		} `json:"examples"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		f.Fatal(err)
	}
	for _, e := range doc.Examples {
		if e.Body != nil {
			f.Add([]byte(e.Body))
		}
	}
	for _, s := range []string{
		collection(notification(secret, "created")),
		`{"value":[]}`, `{"value":null}`, `{}`, `[]`, `null`, ``, `{"value":[{"subscriptionId":1}]}`,
		`{"value":[{"subscriptionExpirationDateTime":"2016-03-19T22:11:09.952Z","resourceData":null}]}`,
		`{"value":[{"clientState":"` + secret + `","lifecycleEvent":"missed"}]}`,
		"{\"value\":[{\"clientState\":\"\xff\"}]}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		notes, err := notify.Decode(bytes.NewReader(body))
		if err == nil {
			// What decodes re-encodes and decodes to as many notifications.
			again, err := json.Marshal(map[string]any{"value": notes})
			if err != nil {
				t.Fatalf("re-encoding %q: %v", body, err)
			}
			back, err := notify.Decode(bytes.NewReader(again))
			if err != nil || len(back) != len(notes) {
				t.Fatalf("round trip of %q: %d notifications, %v", body, len(back), err)
			}
		}
		h := &notify.Handler{
			ClientStates: []string{secret},
			MaxBodyBytes: 1 << 16,
			OnNotification: func(_ context.Context, n notify.Notification) error {
				if n.ClientState != secret {
					t.Fatalf("delivered a notification with clientState %q", n.ClientState)
				}
				return nil
			},
			OnLifecycle: func(_ context.Context, n notify.Notification) error {
				if n.ClientState != secret || n.LifecycleEvent == "" {
					t.Fatalf("delivered lifecycle %+v", n)
				}
				return nil
			},
		}
		w := serve(h, http.MethodPost, "/hook", string(body))
		switch w.Code {
		case http.StatusAccepted, http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("body %q answered %d", body, w.Code)
		}
	})
}
