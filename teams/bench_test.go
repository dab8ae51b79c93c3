package teams_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/teams"
)

const benchMessages = 1000

// messagesPage is one Graph page of n chat messages shaped like
// Microsoft's chatmessage-post example with a mention (every property
// present), about 1.8 KB each.
func messagesPage(n int) []byte {
	value := make([]map[string]any, n)
	for i := range value {
		id := fmt.Sprint(1616965872395 + i)
		value[i] = map[string]any{
			"@odata.type":          "#microsoft.graph.chatMessage",
			"id":                   id,
			"replyToId":            nil,
			"etag":                 id,
			"messageType":          "message",
			"createdDateTime":      "2021-03-28T21:11:12.395Z",
			"lastModifiedDateTime": "2021-03-28T21:11:12.395Z",
			"lastEditedDateTime":   nil,
			"deletedDateTime":      nil,
			"subject":              nil,
			"summary":              nil,
			"chatId":               "19:82fe7758-5bb3-4f0d-a43f-e555fd399c6f_8c0a1a67-50ce-4114-bb6c-da9c5dbcf6ca@unq.gbl.spaces",
			"importance":           "normal",
			"locale":               "en-us",
			"webUrl":               "https://teams.microsoft.com/l/message/19%3A82fe7758-5bb3-4f0d-a43f-e555fd399c6f_8c0a1a67-50ce-4114-bb6c-da9c5dbcf6ca%40unq.gbl.spaces/" + id + "?context=%7B%22contextType%22:%22chat%22%7D",
			"policyViolation":      nil,
			"eventDetail":          nil,
			"from": map[string]any{"application": nil, "device": nil, "conversation": nil, "user": map[string]any{
				"@odata.type": "#microsoft.graph.teamworkUserIdentity", "id": "8ea0e38b-efb3-4757-924a-5f94061cf8c2",
				"displayName": "Robin Kline", "userIdentityType": "aadUser", "tenantId": "e61ef81e-8bd8-476a-92e8-4a62f8426fca"}},
			"body": map[string]any{"contentType": "html",
				"content": fmt.Sprintf(`Message %d: the build is green, <at id="0">Jane Smith</at>, please take a look at the release notes before the review.`, i)},
			"channelIdentity": nil,
			"attachments":     []any{},
			"mentions": []any{map[string]any{"id": 0, "mentionText": "Jane Smith", "mentioned": map[string]any{
				"application": nil, "device": nil, "conversation": nil,
				"user": map[string]any{"id": "ef1c916a-3135-4417-ba27-8eb7bd084193", "displayName": "Jane Smith", "userIdentityType": "aadUser"}}}},
			"reactions": []any{map[string]any{"reactionType": "like", "createdDateTime": "2021-03-28T21:12:00.000Z",
				"user": map[string]any{"application": nil, "device": nil, "user": map[string]any{
					"id": "ef1c916a-3135-4417-ba27-8eb7bd084193", "displayName": nil, "userIdentityType": "aadUser"}}}},
			"messageHistory": []any{},
		}
	}
	page, err := api.Marshal(map[string]any{
		"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#chats('19%3A82fe7758-5bb3-4f0d-a43f-e555fd399c6f_8c0a1a67-50ce-4114-bb6c-da9c5dbcf6ca%40unq.gbl.spaces')/messages",
		"@odata.count":   n,
		"value":          value,
	})
	if err != nil {
		panic(err)
	}
	return page
}

// BenchmarkDecodeChatMessagesPage decodes a page of 1000 chat messages
// into the package's types: through the library's JSON engine
// (api.Decode, the v2 engine, streaming) and through plain encoding/json
// v1 into the same types, the reference.
func BenchmarkDecodeChatMessagesPage(b *testing.B) {
	page := messagesPage(benchMessages)
	check := func(b *testing.B, p *api.Page[*teams.ChatMessage]) {
		if len(p.Value) != benchMessages || p.Value[benchMessages-1].Mentions[0].Mentioned.User.DisplayName != "Jane Smith" {
			b.Fatal("decoded wrong")
		}
	}
	b.Run("o365", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		b.ReportAllocs()
		for b.Loop() {
			var p api.Page[*teams.ChatMessage]
			if err := api.Decode(bytes.NewReader(page), &p, "chat messages page"); err != nil {
				b.Fatal(err)
			}
			check(b, &p)
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		b.ReportAllocs()
		for b.Loop() {
			var p api.Page[*teams.ChatMessage]
			if err := json.NewDecoder(bytes.NewReader(page)).Decode(&p); err != nil {
				b.Fatal(err)
			}
			check(b, &p)
		}
	})
}

// TestBenchPageDecodesAlike checks the benchmark's two decoders agree, so
// the benchmark compares like with like.
func TestBenchPageDecodesAlike(t *testing.T) {
	page := messagesPage(3)
	var a, b api.Page[*teams.ChatMessage]
	if err := api.Decode(bytes.NewReader(page), &a, "page"); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(page, &b); err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) || len(a.Value) != 3 || a.Value[2].Reactions[0].ReactionType != "like" {
		t.Errorf("the decoders differ:\n%s\n%s", ja, jb)
	}
}
