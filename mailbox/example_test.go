package mailbox_test

import (
	"context"
	"fmt"
	"log"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/query"
	"github.com/go-o365/o365/token"
)

// exampleAccount starts an emulated tenant with Adele signed in and a few
// messages in her inbox.
func exampleAccount() (*graphtest.Server, *o365.Account) {
	srv := graphtest.NewServer()
	srv.AddApp(graphtest.App{ClientID: o365test.ClientID, ClientSecret: o365test.ClientSecret})
	srv.AddUser(graphtest.User{UserPrincipalName: adele, DisplayName: "Adele Vance", Password: passwords[adele]})
	srv.AddUser(graphtest.User{UserPrincipalName: sales, DisplayName: "Sales"})
	for i, s := range []string{"Quarterly numbers", "Team lunch", "Quarterly review"} {
		if _, err := srv.AddMessage(adele, "inbox", graphtest.MailMessage{Subject: s, From: "megan@contoso.com", IsRead: i == 1}); err != nil {
			log.Fatal(err)
		}
	}
	a := o365.NewAccount(o365.Credentials{ClientID: o365test.ClientID, ClientSecret: o365test.ClientSecret},
		o365.WithCloud(o365.Cloud{Login: srv.LoginURL(), Graph: srv.GraphURL()}),
		o365.WithTokenBackend(token.NewMemoryBackend()),
		o365.WithAuthFlow(o365.PasswordFlow), o365.WithPassword(adele, passwords[adele]),
		o365.WithScopes("message_all", "message_all_shared"))
	if _, err := a.Authenticate(context.Background()); err != nil {
		log.Fatal(err)
	}
	return srv, a
}

func ExampleFolder_Messages() {
	srv, account := exampleAccount()
	defer srv.Close()
	ctx := context.Background()

	q := query.New().
		Where(query.And(query.Eq("isRead", false), query.StartsWith("subject", "Quarterly"))).
		OrderBy("subject", query.Asc).
		Select("subject", "isRead")
	for m, err := range account.Mailbox().Inbox().Messages(ctx, o365.Query(q), o365.Limit(10)) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(m.Subject)
	}
	// Output:
	// Quarterly numbers
	// Quarterly review
}

func ExampleMailBox_Folder() {
	srv, account := exampleAccount()
	defer srv.Close()
	ctx := context.Background()
	mb := account.Mailbox()

	inbox, err := mb.Folder(ctx, "Inbox")
	if err != nil {
		log.Fatal(err)
	}
	projects, err := inbox.CreateChildFolder(ctx, "Projects", false)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(inbox.DisplayName, inbox.TotalItemCount, "messages")
	fmt.Println(projects.DisplayName, "is in", inbox.DisplayName, projects.ParentFolderID == inbox.ID)

	_, err = mb.Folder(ctx, "Nonexistent")
	fmt.Println(err)
	// Output:
	// Inbox 3 messages
	// Projects is in Inbox true
	// mailbox: folder not found: no folder named "Nonexistent" at the top level (and no folder has that id): o365: not found
}

func ExampleFolder_MessageDelta() {
	srv, account := exampleAccount()
	defer srv.Close()
	ctx := context.Background()
	inbox := account.Mailbox().Inbox()

	sync := inbox.MessageDelta("") // or a DeltaLink saved earlier
	n := 0
	for _, err := range sync.Changes(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		n++
	}
	fmt.Println("first round:", n, "messages")

	if _, err := srv.AddMessage(adele, "inbox", graphtest.MailMessage{Subject: "Just arrived"}); err != nil {
		log.Fatal(err)
	}
	for m, err := range sync.Changes(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("changed:", m.Subject)
	}
	// Output:
	// first round: 3 messages
	// changed: Just arrived
}

func ExampleMailBox_shared() {
	srv, account := exampleAccount()
	defer srv.Close()
	ctx := context.Background()
	if _, err := srv.AddMessage(sales, "inbox", graphtest.MailMessage{Subject: "Order #1042"}); err != nil {
		log.Fatal(err)
	}
	shared := account.Mailbox(sales)

	for _, err := range shared.Inbox().Messages(ctx) {
		fmt.Println(err != nil) // no rights yet: 403 ErrorAccessDenied
		break
	}
	_ = srv.GrantMailboxAccess(sales, adele)
	for m, err := range shared.Inbox().Messages(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(m.Subject)
	}
	// Output:
	// true
	// Order #1042
}
