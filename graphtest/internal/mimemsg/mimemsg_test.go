package mimemsg_test

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"

	"github.com/go-o365/o365/graphtest/internal/mimemsg"
)

// TestWriteRoundTrip writes a message with an in-memory file, a file read
// through Open and an attached message, and reads it back with the
// standard library: headers, body and every part's bytes survive, and
// base64 lines stay within MIME's 76 characters.
func TestWriteRoundTrip(t *testing.T) {
	who := func(name, addr string) map[string]any {
		return map[string]any{"emailAddress": map[string]any{"name": name, "address": addr}}
	}
	msg := map[string]any{
		"subject":      "Quarterly €",
		"from":         who("Adele", "adele@contoso.com"),
		"toRecipients": []any{who("Bob", "bob@contoso.com")},
		"body":         map[string]any{"contentType": "html", "content": "<p>Hi</p>"},
	}
	big := bytes.Repeat([]byte("0123456789"), 50)
	opened := false
	parts := []mimemsg.Part{
		{Name: "a.txt", ContentType: "text/plain", Content: []byte("hello")},
		{Name: "big.bin", ContentType: "application/octet-stream", Open: func() (io.ReadCloser, error) {
			opened = true
			return io.NopCloser(bytes.NewReader(big)), nil
		}},
		{Name: "fwd", Item: map[string]any{"@odata.type": "#microsoft.graph.message", "subject": "inner"}},
	}
	var buf bytes.Buffer
	if err := mimemsg.Write(&buf, msg, []any{map[string]any{"name": "X-Test", "value": "1"}}, parts); err != nil {
		t.Fatal(err)
	}
	m, err := mail.ReadMessage(&buf)
	if err != nil {
		t.Fatal(err)
	}
	subj, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if subj != "Quarterly €" || m.Header.Get("X-Test") != "1" || !strings.Contains(m.Header.Get("From"), "adele@contoso.com") || !strings.Contains(m.Header.Get("To"), "bob@contoso.com") {
		t.Fatalf("headers: %v", m.Header)
	}
	_, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	var got []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(p)
		data := raw
		if p.Header.Get("Content-Transfer-Encoding") == "base64" {
			for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\r\n") {
				if len(line) > 76 {
					t.Errorf("base64 line of %d characters", len(line))
				}
			}
			data, _ = base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(raw)), ""))
		}
		got = append(got, p.Header.Get("Content-Type")+"|"+string(data))
	}
	if len(got) != 4 || !strings.HasPrefix(got[0], "text/html") || !strings.Contains(got[0], "<p>Hi</p>") ||
		got[1] != "text/plain; name=a.txt|hello" || got[2] != "application/octet-stream; name=big.bin|"+string(big) ||
		!strings.HasPrefix(got[3], "message/rfc822|") || !strings.Contains(got[3], "Subject: inner") {
		t.Fatalf("parts: %q", got)
	}
	if !opened {
		t.Error("Open was not used")
	}
}

// TestWriteItemEvent checks an attached event comes out as iCalendar.
func TestWriteItemEvent(t *testing.T) {
	var buf bytes.Buffer
	mimemsg.WriteItem(&buf, map[string]any{"@odata.type": "#microsoft.graph.event", "subject": "Standup",
		"start": map[string]any{"dateTime": "2024-05-01T09:00:00.0000000"}, "end": map[string]any{"dateTime": "2024-05-01T09:15:00"}})
	for _, want := range []string{"BEGIN:VEVENT", "SUMMARY:Standup", "DTSTART:20240501T090000\r\n", "DTEND:20240501T091500\r\n"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("missing %q in %q", want, buf.String())
		}
	}
}
