package message_test

import (
	"reflect"
	"testing"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/message"
)

// FuzzDecodeMessage feeds Graph-like JSON to the message model: decoding
// must never panic, and what decodes must encode and decode to the same
// message.
func FuzzDecodeMessage(f *testing.F) {
	for _, s := range []string{
		`{"id":"AAMk=","subject":"hi","flag":{"flagStatus":"flagged","dueDateTime":{"dateTime":"2026-12-24T17:00:00.0000000","timeZone":"UTC"}}}`,
		`{"flag":{"startDateTime":{"dateTime":"2026-01-02T03:04:05","timeZone":"Pacific Standard Time"}}}`,
		`{"flag":{"dueDateTime":{"dateTime":"not a time","timeZone":"UTC"}}}`,
		`{"flag":{"dueDateTime":{"dateTime":"2026-01-02","timeZone":"Europe/Paris"}}}`,
		`{"toRecipients":[{"emailAddress":{"name":"A","address":"a@b.c"}}],"receivedDateTime":"2018-09-09T03:15:08Z"}`,
		`{"attachments":[{"@odata.type":"#microsoft.graph.fileAttachment","contentBytes":"SGk="}],"@removed":{"reason":"deleted"}}`,
		`{"flag":null,"body":null,"toRecipients":null}`, `[]`, `{"isRead":"true"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var m message.Message
		if err := api.Unmarshal(data, &m); err != nil {
			return
		}
		out, err := api.Marshal(&m)
		if err != nil {
			t.Fatalf("a decoded message does not encode: %v", err)
		}
		var back message.Message
		if err := api.Unmarshal(out, &back); err != nil {
			t.Fatalf("%s does not decode again: %v", out, err)
		}
		out2, _ := api.Marshal(&back)
		if !reflect.DeepEqual(out, out2) {
			t.Fatalf("round trip changed the message:\n%s\n%s", out, out2)
		}
	})
}
