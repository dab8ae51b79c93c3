package message_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/message"
	"github.com/go-o365/o365/token"
)

// exampleTenant starts an emulated tenant with Adele and Alex signed in.
func exampleTenant() (srv *graphtest.Server, adeleAcct, alexAcct *o365.Account) {
	srv = graphtest.NewServer()
	srv.AddApp(graphtest.App{ClientID: o365test.ClientID, ClientSecret: o365test.ClientSecret})
	account := func(upn, name string) *o365.Account {
		srv.AddUser(graphtest.User{UserPrincipalName: upn, DisplayName: name, Password: passwords[upn]})
		a := o365.NewAccount(o365.Credentials{ClientID: o365test.ClientID, ClientSecret: o365test.ClientSecret},
			o365.WithCloud(o365.Cloud{Login: srv.LoginURL(), Graph: srv.GraphURL()}),
			o365.WithTokenBackend(token.NewMemoryBackend()),
			o365.WithAuthFlow(o365.PasswordFlow), o365.WithPassword(upn, passwords[upn]),
			o365.WithScopes("message_all"))
		if _, err := a.Authenticate(context.Background()); err != nil {
			log.Fatal(err)
		}
		return a
	}
	return srv, account(adele, "Adele Vance"), account(alex, "Alex Wilber")
}

func ExampleRecipients() {
	var to message.Recipients
	_ = to.Add("Alex Wilber <alexw@contoso.com>")
	_ = to.AddNamed("Adele Vance", "adelev@contoso.com")
	_ = to.Add("ALEXW@contoso.com") // already there
	if err := to.Add("not-an-address"); errors.Is(err, message.ErrInvalidAddress) {
		fmt.Println("refused:", err)
	}
	for r := range to.All() {
		fmt.Println(r)
	}
	// Output:
	// refused: message: invalid email address "not-an-address": mail: missing '@' or angle-addr
	// "Alex Wilber" <alexw@contoso.com>
	// "Adele Vance" <adelev@contoso.com>
}

func ExampleMessage_Send() {
	srv, adele, alex := exampleTenant()
	defer srv.Close()
	ctx := context.Background()

	msg := adele.NewMessage()
	msg.Subject = "Lunch?"
	msg.Body = message.ItemBody{ContentType: message.HTML, Content: "<p>The new cafeteria is open.</p>"}
	if err := msg.To.Add("AlexW@contoso.onmicrosoft.com"); err != nil {
		log.Fatal(err)
	}
	if err := msg.Send(ctx); err != nil {
		log.Fatal(err)
	}

	for m, err := range alex.Mailbox().Inbox().Messages(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %s (%s)\n", m.From.EmailAddress.Name, m.Subject, m.BodyPreview)
		if err := m.Reply(ctx, "Yes, at noon."); err != nil {
			log.Fatal(err)
		}
	}
	for m, err := range adele.Mailbox().Inbox().Messages(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %s\n", m.From.EmailAddress.Name, m.Subject)
	}
	// Output:
	// Adele Vance: Lunch? (The new cafeteria is open.)
	// Alex Wilber: RE: Lunch?
}

func ExampleMessage_Attach() {
	srv, adele, _ := exampleTenant()
	defer srv.Close()
	ctx := context.Background()

	msg := adele.NewMessage()
	msg.Subject = "The recording"
	_ = msg.To.Add("AlexW@contoso.onmicrosoft.com")
	video := bytes.NewReader(make([]byte, 10<<20)) // 10 MiB: through an upload session
	var last string
	err := msg.Attach(message.File{
		Name:    "meeting.mp4",
		Content: video,
		Progress: func(sent, total int64) {
			last = fmt.Sprintf("%d of %d bytes", sent, total)
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	_ = msg.Attach(message.File{Name: "notes.txt", Content: strings.NewReader("agenda")})
	if err := msg.Send(ctx); err != nil { // draft, upload, send
		log.Fatal(err)
	}
	fmt.Println("uploaded", last)
	for _, a := range msg.Attachments {
		fmt.Println(a.Name, a.Size)
	}
	// Output:
	// uploaded 10485760 of 10485760 bytes
	// meeting.mp4 10485760
	// notes.txt 6
}
