package message_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/message"
)

// plainMessage is what a program on net/http and encoding/json alone
// would decode a message into: the same properties, plain types.
type plainMessage struct {
	ODataEtag                  string           `json:"@odata.etag"`
	ID                         string           `json:"id"`
	CreatedDateTime            time.Time        `json:"createdDateTime"`
	LastModifiedDateTime       time.Time        `json:"lastModifiedDateTime"`
	ChangeKey                  string           `json:"changeKey"`
	Categories                 []string         `json:"categories"`
	ReceivedDateTime           time.Time        `json:"receivedDateTime"`
	SentDateTime               time.Time        `json:"sentDateTime"`
	HasAttachments             bool             `json:"hasAttachments"`
	InternetMessageID          string           `json:"internetMessageId"`
	Subject                    string           `json:"subject"`
	BodyPreview                string           `json:"bodyPreview"`
	Importance                 string           `json:"importance"`
	ParentFolderID             string           `json:"parentFolderId"`
	ConversationID             string           `json:"conversationId"`
	ConversationIndex          string           `json:"conversationIndex"`
	IsDeliveryReceiptRequested bool             `json:"isDeliveryReceiptRequested"`
	IsReadReceiptRequested     bool             `json:"isReadReceiptRequested"`
	IsRead                     bool             `json:"isRead"`
	IsDraft                    bool             `json:"isDraft"`
	WebLink                    string           `json:"webLink"`
	InferenceClassification    string           `json:"inferenceClassification"`
	Body                       plainBody        `json:"body"`
	Sender                     plainRecipient   `json:"sender"`
	From                       plainRecipient   `json:"from"`
	ToRecipients               []plainRecipient `json:"toRecipients"`
	CcRecipients               []plainRecipient `json:"ccRecipients"`
	BccRecipients              []plainRecipient `json:"bccRecipients"`
	ReplyTo                    []plainRecipient `json:"replyTo"`
	Flag                       struct {
		FlagStatus    string  `json:"flagStatus"`
		StartDateTime plainDT `json:"startDateTime"`
		DueDateTime   plainDT `json:"dueDateTime"`
	} `json:"flag"`
}

type plainBody struct {
	ContentType string `json:"contentType"`
	Content     string `json:"content"`
}

type plainRecipient struct {
	EmailAddress struct {
		Name    string `json:"name"`
		Address string `json:"address"`
	} `json:"emailAddress"`
}

type plainDT struct {
	DateTime string `json:"dateTime"`
	TimeZone string `json:"timeZone"`
}

type plainPage struct {
	Value    []plainMessage `json:"value"`
	NextLink string         `json:"@odata.nextLink"`
}

// realisticMessage is a message as Graph sends it: 2 KB of HTML body,
// three To recipients, one Cc, categories and a flag with dates.
func realisticMessage(i int) map[string]any {
	rcpt := func(name string) map[string]any {
		return map[string]any{"emailAddress": map[string]any{"name": name, "address": strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@contoso.onmicrosoft.com"}}
	}
	html := "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head><body><div>" +
		strings.Repeat(fmt.Sprintf("<p>Line %d of the weekly report: numbers, \"quotes\" &amp; notes.</p>", i), 30)[:1900] + "</div></body></html>"
	t := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute).Format(time.RFC3339)
	return map[string]any{
		"@odata.etag":                `W/"CQAAABYAAAC4ofQHEIqCSbQPot83AFcbAAAnjjuZ"`,
		"id":                         fmt.Sprintf("AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OABGAAAAAAAiQ8W967B7TKBjgx9rVEURBwAiIsqMbYjsT5e-T7KzowPTAAAAAAEMAAAiIsqMbYjsT5e-T7KzowPTAA%05d=", i),
		"createdDateTime":            t,
		"lastModifiedDateTime":       t,
		"changeKey":                  "CQAAABYAAAC4ofQHEIqCSbQPot83AFcbAAAnjjuZ",
		"categories":                 []any{"Blue category", "Reports"},
		"receivedDateTime":           t,
		"sentDateTime":               t,
		"hasAttachments":             false,
		"internetMessageId":          fmt.Sprintf("<MWHPR22MB1120%05d@MWHPR22MB1120.namprd22.prod.outlook.com>", i),
		"subject":                    fmt.Sprintf("Weekly report %d", i),
		"bodyPreview":                "Line of the weekly report: numbers, \"quotes\" & notes. Line of the weekly report: numbers, \"quotes\" & notes.",
		"importance":                 "normal",
		"parentFolderId":             "AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OAAuAAAAAAAiQ8W967B7TKBjgx9rVEURAQAiIsqMbYjsT5e-T7KzowPTAAAAAAEMAAA=",
		"conversationId":             "AAQkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OAAQAKIcqkxHeGWa1bM1jU-CTQo=",
		"conversationIndex":          "AQHTJWSHSywMzSz8o0OJud48nG50GQ==",
		"isDeliveryReceiptRequested": false,
		"isReadReceiptRequested":     false,
		"isRead":                     i%3 == 0,
		"isDraft":                    false,
		"webLink":                    "https://outlook.office365.com/owa/?ItemID=AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OABGAAAAAAAiQ8W967B7TKBjgx9rVEURBwAiIsqMbYjsT5e%2BT7KzowPTAAAAAAEMAAA%3D&exvsurl=1&viewmodel=ReadMessageItem",
		"inferenceClassification":    "focused",
		"body":                       map[string]any{"contentType": "html", "content": html},
		"sender":                     rcpt("Megan Bowen"),
		"from":                       rcpt("Megan Bowen"),
		"toRecipients":               []any{rcpt("Adele Vance"), rcpt("Alex Wilber"), rcpt("Lee Gu")},
		"ccRecipients":               []any{rcpt("Nestor Wilke")},
		"bccRecipients":              []any{},
		"replyTo":                    []any{},
		"flag": map[string]any{
			"flagStatus":    "flagged",
			"startDateTime": map[string]any{"dateTime": "2026-03-02T00:00:00.0000000", "timeZone": "UTC"},
			"dueDateTime":   map[string]any{"dateTime": "2026-03-06T00:00:00.0000000", "timeZone": "UTC"},
		},
	}
}

var page1000 = sync.OnceValue(func() []byte {
	msgs := make([]any, 1000)
	for i := range msgs {
		msgs[i] = realisticMessage(i)
	}
	data, err := json.Marshal(map[string]any{
		"@odata.context":  "https://graph.microsoft.com/v1.0/$metadata#users('me')/messages",
		"value":           msgs,
		"@odata.nextLink": "https://graph.microsoft.com/v1.0/me/messages?$top=1000&$skip=1000",
	})
	if err != nil {
		panic(err)
	}
	return data
})

// BenchmarkDecodePage decodes one page of 1000 realistic messages (about
// 4 MB) into the SDK's types, next to encoding/json v1 and the JSON v2
// engine decoding the same bytes into plain structs.
func BenchmarkDecodePage(b *testing.B) {
	data := page1000()
	b.Run("o365", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			var p api.Page[*message.Message]
			if err := api.Decode(bytes.NewReader(data), &p, "page"); err != nil || len(p.Value) != 1000 {
				b.Fatal(err, len(p.Value))
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			var p plainPage
			if err := json.NewDecoder(bytes.NewReader(data)).Decode(&p); err != nil || len(p.Value) != 1000 {
				b.Fatal(err)
			}
		}
	})
	b.Run("json-v2", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			var p plainPage
			if err := jsonv2.UnmarshalRead(bytes.NewReader(data), &p); err != nil || len(p.Value) != 1000 {
				b.Fatal(err)
			}
		}
	})
}

// heapPeak samples the live heap while running, for peak-heap figures.
type heapPeak struct {
	stop chan struct{}
	done chan struct{}
	peak atomic.Uint64
}

func watchHeap() *heapPeak {
	h := &heapPeak{stop: make(chan struct{}), done: make(chan struct{})}
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(h.done)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > h.peak.Load() {
				h.peak.Store(v)
			}
			select {
			case <-h.stop:
				return
			case <-t.C:
			}
		}
	}()
	return h
}

// MB stops sampling and returns the peak in MB.
func (h *heapPeak) MB() float64 {
	close(h.stop)
	<-h.done
	return float64(h.peak.Load()) / 1e6
}

const uploadSize = 100 << 20

// BenchmarkUpload100MB attaches 100 MB to a draft through graphtest (in
// this process: its heap counts too), next to a plain net/http loop
// sending the same chunks to an upload session. peak-heap-MB is the
// largest live heap seen while uploading.
func BenchmarkUpload100MB(b *testing.B) {
	e := o365test.NewMailTenant(b)
	ctx := context.Background()
	b.Run("o365", func(b *testing.B) {
		b.SetBytes(uploadSize)
		b.ReportAllocs()
		runtime.GC()
		peak := watchHeap()
		for b.Loop() {
			msg := e.Adele.NewMessage()
			msg.Subject = "100 MB"
			if err := msg.Attach(message.File{Name: "big.bin", Content: &pattern{n: uploadSize}, Size: uploadSize}); err != nil {
				b.Fatal(err)
			}
			if err := msg.Save(ctx); err != nil {
				b.Fatal(err)
			}
			if err := msg.Delete(ctx); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(peak.MB(), "peak-heap-MB")
	})
	b.Run("plain-net-http", func(b *testing.B) {
		tok, err := e.Srv.UserToken(adele, "Mail.ReadWrite")
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(uploadSize)
		b.ReportAllocs()
		runtime.GC()
		peak := watchHeap()
		buf := make([]byte, api.DefaultChunkSize)
		for b.Loop() {
			id := plainCall(b, "POST", e.Srv.GraphURL()+"/v1.0/me/messages", tok, `{"subject":"100 MB"}`)["id"].(string)
			sess := plainCall(b, "POST", e.Srv.GraphURL()+"/v1.0/me/messages/"+id+"/attachments/createUploadSession", tok,
				fmt.Sprintf(`{"AttachmentItem":{"attachmentType":"file","name":"big.bin","size":%d}}`, uploadSize))
			src := &pattern{n: uploadSize}
			for off := int64(0); off < uploadSize; off += int64(len(buf)) {
				n, _ := io.ReadFull(src, buf[:min(int64(len(buf)), uploadSize-off)])
				req, _ := http.NewRequest("PUT", sess["uploadUrl"].(string), bytes.NewReader(buf[:n]))
				req.Header.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", off, off+int64(n)-1, uploadSize))
				resp, err := http.DefaultClient.Do(req)
				if err != nil || resp.StatusCode >= 300 {
					b.Fatal(err, resp)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			plainCall(b, "DELETE", e.Srv.GraphURL()+"/v1.0/me/messages/"+id, tok, "")
		}
		b.ReportMetric(peak.MB(), "peak-heap-MB")
	})
}

func plainCall(b *testing.B, method, u, tok, body string) map[string]any {
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode >= 300 {
		b.Fatal(err, resp)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return out
}
