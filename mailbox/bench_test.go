package mailbox_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/o365test"
)

// benchMessage is a plain struct for the net/http + encoding/json loop.
type benchMessage struct {
	ID               string    `json:"id"`
	Subject          string    `json:"subject"`
	ReceivedDateTime time.Time `json:"receivedDateTime"`
	IsRead           bool      `json:"isRead"`
	Categories       []string  `json:"categories"`
	Body             struct {
		ContentType string `json:"contentType"`
		Content     string `json:"content"`
	} `json:"body"`
	From struct {
		EmailAddress struct{ Name, Address string } `json:"emailAddress"`
	} `json:"from"`
	ToRecipients []struct {
		EmailAddress struct{ Name, Address string } `json:"emailAddress"`
	} `json:"toRecipients"`
	CcRecipients []struct {
		EmailAddress struct{ Name, Address string } `json:"emailAddress"`
	} `json:"ccRecipients"`
	Flag struct {
		FlagStatus string `json:"flagStatus"`
	} `json:"flag"`
}

// BenchmarkIterate10000 walks 10,000 realistic messages (2 KB HTML body,
// three To, one Cc, categories, a flag), 1000 to a page, through graphtest
// over loopback: the SDK's iterator next to a plain net/http +
// encoding/json loop against the same server.
func BenchmarkIterate10000(b *testing.B) {
	e := o365test.NewMailTenant(b)
	ctx := context.Background()
	html := strings.Repeat("<p>Line of the weekly report: numbers, \"quotes\" &amp; notes.</p>", 40)[:2000]
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 10000 {
		_, err := e.Srv.AddMessage(adele, "inbox", graphtest.MailMessage{
			Subject: fmt.Sprintf("Weekly report %d", i), Body: html, HTML: true,
			From: alex, To: []string{adele, alex, sales}, Cc: []string{alex},
			Categories: []string{"Blue category", "Reports"}, Flag: "flagged",
			Received: start.Add(time.Duration(i) * time.Minute),
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	inbox := e.Adele.Mailbox().Inbox()
	b.Run("o365", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			for _, err := range inbox.Messages(ctx, o365.BatchSize(1000)) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != 10000 {
				b.Fatal(n)
			}
		}
	})
	b.Run("plain-net-http", func(b *testing.B) {
		tok, err := e.Srv.UserToken(adele, "Mail.Read")
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			next := e.Srv.GraphURL() + "/v1.0/me/mailFolders/inbox/messages?$top=1000"
			for next != "" {
				req, _ := http.NewRequest("GET", next, nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				var page struct {
					Value    []benchMessage `json:"value"`
					NextLink string         `json:"@odata.nextLink"`
				}
				err = json.NewDecoder(resp.Body).Decode(&page)
				resp.Body.Close()
				if err != nil {
					b.Fatal(err)
				}
				n += len(page.Value)
				next = page.NextLink
			}
			if n != 10000 {
				b.Fatal(n)
			}
		}
	})
}
