package teams_test

import (
	"html"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/teams"
)

// FuzzMention checks that whatever the text and names, a message built
// with Mention carries one <at id> tag per mention, with the name
// escaped, and survives the library's JSON encoding and decoding.
func FuzzMention(f *testing.F) {
	f.Add("Hello World ", "Jane Smith", "Robin <Kline>")
	f.Add("", "", "&amp;")
	f.Add("<at id=\"0\">", "\"quoted\"", "日本語")
	f.Fuzz(func(t *testing.T, text, name1, name2 string) {
		msg := teams.Text(text).Mention("id-1", name1).Append(" ").Mention("id-2", name2)
		if msg.Body.ContentType != "html" || len(msg.Mentions) != 2 {
			t.Fatalf("got %+v", msg)
		}
		for i, name := range []string{name1, name2} {
			tag := `<at id="` + string(rune('0'+i)) + `">` + html.EscapeString(name) + `</at>`
			if !strings.Contains(msg.Body.Content, tag) {
				t.Errorf("body %q lacks %q", msg.Body.Content, tag)
			}
			if msg.Mentions[i].MentionText != name || msg.Mentions[i].ID != i {
				t.Errorf("mention %d: %+v", i, msg.Mentions[i])
			}
		}
		if !utf8.ValidString(msg.Body.Content) {
			return // JSON carries UTF-8: invalid bytes become U+FFFD on the wire
		}
		data, err := api.Marshal(msg)
		if err != nil {
			t.Fatal(err)
		}
		var back teams.NewMessage
		if err := api.Unmarshal(data, &back); err != nil {
			t.Fatal(err)
		}
		if back.Body != msg.Body || len(back.Mentions) != 2 {
			t.Errorf("round trip: %+v, want %+v", back, msg)
		}
	})
}

// FuzzDecodeChatMessage feeds arbitrary bytes to the decoder of a chat
// message page: an error or a value, never a panic.
func FuzzDecodeChatMessage(f *testing.F) {
	f.Add([]byte(`{"value":[{"id":"1","body":{"contentType":"html","content":"<at id=\"0\">x</at>"},"mentions":[{"id":0}]}]}`))
	f.Add([]byte(`{"value":[{"createdDateTime":"not a time"}]}`))
	f.Add([]byte(`{"value":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p api.Page[*teams.ChatMessage]
		_ = api.Decode(strings.NewReader(string(data)), &p, "chat messages page")
	})
}
