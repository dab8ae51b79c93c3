package demo

import (
	"time"

	"github.com/go-o365/o365/graphtest"
)

// SharedMailbox is the demo tenant's shared mailbox. SeedMail adds it;
// nobody has rights to it until GrantMailboxAccess.
var SharedMailbox = graphtest.User{
	UserPrincipalName: "sales@contoso.onmicrosoft.com",
	DisplayName:       "Contoso Sales",
	Mail:              "sales@contoso.onmicrosoft.com",
}

// SeedMail fills the demo mailboxes: mail from colleagues in the first
// user's Inbox (some read, some not), and customer orders in the shared
// mailbox.
func SeedMail(srv *graphtest.Server) error {
	srv.AddUser(SharedMailbox)
	me, alex, megan := Users[0].UserPrincipalName, Users[1].UserPrincipalName, Users[2].UserPrincipalName
	start := time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC)
	inbox := []graphtest.MailMessage{
		{Subject: "Welcome to the Retail team", From: megan, Body: "<p>Glad to have you with us.</p>", HTML: true, IsRead: true},
		{Subject: "Q1 store figures", From: alex, Body: "<p>The Q1 figures are in. Can you check the Seattle numbers?</p>", HTML: true, Categories: []string{"Reports"}},
		{Subject: "Team lunch on Friday", From: megan, Body: "Pizza at noon, on the 18th floor.", Cc: []string{alex}},
		{Subject: "Newsletter: spring collection", From: "news@fabrikam.com", Body: "<p>Our spring collection is here.</p>", HTML: true},
	}
	for i, m := range inbox {
		m.To = append(m.To, me)
		m.Received = start.Add(time.Duration(i) * 47 * time.Minute)
		if _, err := srv.AddMessage(me, "inbox", m); err != nil {
			return err
		}
	}
	orders := []string{"Order #1041: 12 chairs", "Order #1042: 3 desks", "Return request #88"}
	for i, subject := range orders {
		m := graphtest.MailMessage{Subject: subject, From: "orders@fabrikam.com", To: []string{SharedMailbox.UserPrincipalName},
			Received: start.Add(time.Duration(i) * time.Hour), Body: "Please confirm."}
		if _, err := srv.AddMessage(SharedMailbox.UserPrincipalName, "inbox", m); err != nil {
			return err
		}
	}
	return nil
}
