package mailbox_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/mailbox"
	"github.com/go-o365/o365/message"
	"github.com/go-o365/o365/query"
	"github.com/stretchr/testify/require"
)

func TestWellKnownFolders(t *testing.T) {
	e := o365test.NewMailTenant(t)
	ctx := context.Background()
	mb := e.Adele.Mailbox()

	var names []string
	for _, f := range o365test.Collect(t, mb.Folders(ctx)) {
		names = append(names, f.DisplayName)
		require.NotEmpty(t, f.ID)
		require.NotEmpty(t, f.ParentFolderID)
	}
	require.Equal(t, []string{"Archive", "Clutter", "Deleted Items", "Drafts", "Inbox", "Junk Email", "Outbox", "Sent Items"}, names)

	accessors := map[string]*mailbox.Folder{
		"Inbox": mb.Inbox(), "Junk Email": mb.JunkFolder(), "Deleted Items": mb.DeletedItemsFolder(),
		"Drafts": mb.DraftsFolder(), "Sent Items": mb.SentFolder(), "Outbox": mb.OutboxFolder(),
		"Archive": mb.ArchiveFolder(), "Clutter": mb.ClutterFolder(),
	}
	for name, f := range accessors {
		require.Equal(t, name, f.DisplayName, "no request needed for the name")
		wk := f.ID
		require.NoError(t, f.Refresh(ctx))
		require.NotEqual(t, wk, f.ID, "Refresh reads the real id of %s", name)
		require.Equal(t, name, f.DisplayName)
	}

	_, err := e.Srv.AddMessage(adele, "inbox", graphtest.MailMessage{Subject: "one"})
	require.NoError(t, err)
	_, err = e.Srv.AddMessage(adele, "inbox", graphtest.MailMessage{Subject: "two", IsRead: true})
	require.NoError(t, err)
	inbox := mb.Inbox()
	require.NoError(t, inbox.Refresh(ctx))
	require.Equal(t, 2, inbox.TotalItemCount)
	require.Equal(t, 1, inbox.UnreadItemCount)
}

func TestFindFolders(t *testing.T) {
	e := o365test.NewMailTenant(t)
	ctx := context.Background()
	mb := e.Adele.Mailbox()

	for _, name := range []string{"Inbox", "inbox", "Sent Items", "sentitems", "Junk Email"} {
		f, err := mb.Folder(ctx, name)
		require.NoError(t, err, name)
		require.NotEmpty(t, f.ID)
	}
	inbox, err := mb.Folder(ctx, "Inbox")
	require.NoError(t, err)
	byID, err := mb.Folder(ctx, inbox.ID)
	require.NoError(t, err)
	require.Equal(t, "Inbox", byID.DisplayName)

	projects, err := inbox.CreateChildFolder(ctx, "Projects", false)
	require.NoError(t, err)
	require.Equal(t, inbox.ID, projects.ParentFolderID)
	_, err = inbox.CreateChildFolder(ctx, "Projects", false)
	require.ErrorIs(t, err, api.ErrConflict)
	got, err := inbox.Folder(ctx, "projects")
	require.NoError(t, err)
	require.Equal(t, projects.ID, got.ID)

	// A name that does not exist, with a quote that must not break the
	// filter.
	_, err = mb.Folder(ctx, "Nobody's folder")
	require.ErrorIs(t, err, mailbox.ErrFolderNotFound)
	require.ErrorIs(t, err, api.ErrNotFound)
	require.ErrorContains(t, err, `no folder named "Nobody's folder" at the top level`)
	_, err = inbox.Folder(ctx, "Missing")
	require.ErrorIs(t, err, mailbox.ErrFolderNotFound)
	require.ErrorContains(t, err, `folder "Inbox"`)
	_, err = mb.Folder(ctx, " ")
	require.ErrorContains(t, err, "empty folder name")

	// Hidden folders are listed on request only.
	_, err = mb.CreateFolder(ctx, "Secret", true)
	require.NoError(t, err)
	require.Len(t, o365test.Collect(t, mb.Folders(ctx)), 8)
	require.Len(t, o365test.Collect(t, mb.Folders(ctx, mailbox.IncludeHidden())), 9)
	secret, err := mb.Folder(ctx, "Secret")
	require.NoError(t, err)
	require.True(t, secret.IsHidden)
}

func TestFolderLifecycle(t *testing.T) {
	e := o365test.NewMailTenant(t)
	ctx := context.Background()
	mb := e.Adele.Mailbox()
	inbox := mb.Inbox()

	clients, err := inbox.CreateChildFolder(ctx, "Clients", false)
	require.NoError(t, err)
	acme, err := clients.CreateChildFolder(ctx, "Acme", false)
	require.NoError(t, err)
	m := acme.NewMessage()
	m.Subject = "Contract"
	require.NoError(t, m.Save(ctx))
	require.Equal(t, acme.ID, m.ParentFolderID, "NewMessage of a folder is created there")

	require.NoError(t, clients.Refresh(ctx))
	require.Equal(t, 1, clients.ChildFolderCount)
	require.Len(t, o365test.Collect(t, clients.Folders(ctx)), 1)

	// Rename.
	require.NoError(t, clients.Update(ctx)) // unchanged: no request
	clients.DisplayName = "Customers"
	require.NoError(t, clients.Update(ctx))
	require.Equal(t, "Customers", clients.DisplayName)
	_, err = mb.Folder(ctx, "Inbox")
	require.NoError(t, err)
	got, err := inbox.Folder(ctx, "Customers")
	require.NoError(t, err)
	require.Equal(t, clients.ID, got.ID)
	clients.DisplayName = ""
	require.ErrorContains(t, clients.Update(ctx), "empty")
	clients.DisplayName = "Customers"

	// Copy the tree into Archive: folders and messages come along.
	archive := mb.ArchiveFolder()
	cp, err := clients.CopyTo(ctx, archive)
	require.NoError(t, err)
	require.NotEqual(t, clients.ID, cp.ID)
	cpAcme, err := cp.Folder(ctx, "Acme")
	require.NoError(t, err)
	msgs := o365test.Collect(t, cpAcme.Messages(ctx))
	require.Len(t, msgs, 1)
	require.Equal(t, "Contract", msgs[0].Subject)

	// Move the original to the top level.
	root := mb.WellKnownFolder(mailbox.Root)
	require.NoError(t, clients.MoveTo(ctx, root))
	require.NoError(t, root.Refresh(ctx))
	require.Equal(t, root.ID, clients.ParentFolderID)
	_, err = mb.Folder(ctx, "Customers")
	require.NoError(t, err)
	require.ErrorContains(t, clients.MoveTo(ctx, nil), "no destination")

	// Delete takes the subfolders and their messages.
	require.NoError(t, clients.Delete(ctx))
	_, err = mb.Folder(ctx, "Customers")
	require.ErrorIs(t, err, mailbox.ErrFolderNotFound)
	_, err = mb.Message(ctx, m.ID)
	require.ErrorIs(t, err, api.ErrNotFound)

	// Well-known folders stay.
	var ge *api.GraphError
	require.ErrorAs(t, mb.Inbox().Delete(ctx), &ge)
	require.Equal(t, "ErrorDeleteDistinguishedFolder", ge.Code)
}

func TestMessagesWithQueries(t *testing.T) {
	e := o365test.NewMailTenant(t)
	ctx := context.Background()
	base := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for i := range 25 {
		_, err := e.Srv.AddMessage(adele, "inbox", graphtest.MailMessage{
			Subject:    fmt.Sprintf("Report %02d", i),
			From:       alex,
			To:         []string{adele},
			Body:       fmt.Sprintf("weekly numbers %d", i),
			IsRead:     i%2 == 0,
			Importance: map[bool]string{true: "high", false: "normal"}[i%5 == 0],
			Categories: []string{"Reports"},
			Received:   base.Add(time.Duration(i) * time.Hour),
		})
		require.NoError(t, err)
	}
	_, err := e.Srv.AddMessage(adele, "inbox", graphtest.MailMessage{Subject: "It's here", From: "newsletter@fabrikam.com", Received: base.Add(-time.Hour)})
	require.NoError(t, err)
	acct, w := o365test.MailSignInRecorded(t, e.Srv, adele)
	inbox := acct.Mailbox().Inbox()

	// Default order: newest first; BatchSize pages lazily, Limit stops.
	msgs := o365test.Collect(t, inbox.Messages(ctx, o365.BatchSize(10), o365.Limit(15)))
	require.Len(t, msgs, 15)
	require.Equal(t, "Report 24", msgs[0].Subject)
	require.Len(t, w.Take(), 2, "two pages of ten for fifteen messages")

	all := o365test.Collect(t, inbox.Messages(ctx))
	require.Len(t, all, 26, "every page, 10 at a time by default")
	require.Len(t, w.Take(), 3)

	unread := query.New().Where(query.Eq("isRead", false)).OrderBy("receivedDateTime", query.Asc).Select("subject", "isRead")
	msgs = o365test.Collect(t, inbox.Messages(ctx, o365.Query(unread)))
	require.Len(t, msgs, 13)
	require.Equal(t, "It's here", msgs[0].Subject)
	require.Equal(t, "Report 01", msgs[1].Subject)
	require.Empty(t, msgs[1].From.EmailAddress.Address, "not selected")
	reqs := w.Take()
	require.Contains(t, reqs[0].Query, "%24select=subject%2CisRead")

	quote := query.New().Where(query.Eq("subject", "It's here"))
	msgs = o365test.Collect(t, inbox.Messages(ctx, o365.Query(quote)))
	require.Len(t, msgs, 1)

	from := query.New().Where(query.And(
		query.Eq("from/emailAddress/address", alex),
		query.Eq("importance", "high"),
		query.Ge("receivedDateTime", base.Add(10*time.Hour)),
	))
	msgs = o365test.Collect(t, inbox.Messages(ctx, o365.Query(from)))
	require.Len(t, msgs, 3) // 10, 15, 20

	search := query.New().Search("numbers 17")
	msgs = o365test.Collect(t, acct.Mailbox().Messages(ctx, o365.Query(search)))
	require.Len(t, msgs, 1)
	require.Equal(t, "Report 17", msgs[0].Subject)

	cats := query.New().Where(query.Any("categories", "c", query.Eq("c", "Reports")))
	require.Len(t, o365test.Collect(t, inbox.Messages(ctx, o365.Query(cats))), 25)

	bad := query.New().Where(query.Eq("subject", "x")).OrderBy("a b", query.Asc)
	require.ErrorContains(t, firstErr(inbox.Messages(ctx, o365.Query(bad))), "OrderBy")
}

func TestMessageDelta(t *testing.T) {
	e := o365test.NewMailTenant(t)
	ctx := context.Background()
	var ids []string
	for i := range 5 {
		id, err := e.Srv.AddMessage(adele, "inbox", graphtest.MailMessage{Subject: fmt.Sprintf("m%d", i)})
		require.NoError(t, err)
		ids = append(ids, id)
	}
	_, err := e.Srv.AddMessage(adele, "archive", graphtest.MailMessage{Subject: "elsewhere"})
	require.NoError(t, err)
	acct, w := o365test.MailSignInRecorded(t, e.Srv, adele)
	mb := acct.Mailbox()

	d := mb.Inbox().MessageDelta("")
	first := o365test.Collect(t, d.Changes(ctx, o365.BatchSize(2)))
	require.Len(t, first, 5)
	require.NotEmpty(t, d.DeltaLink)
	reqs := w.Take()
	require.Len(t, reqs, 3, "pages of two")
	for _, r := range reqs {
		require.Equal(t, "odata.maxpagesize=2", r.Header.Get("Prefer"), "every page asks like the first")
	}

	// Nothing changed: an empty round, same place.
	require.Empty(t, o365test.Collect(t, d.Changes(ctx)))

	// A new message, a changed one, a deleted one and one moved away.
	_, err = e.Srv.AddMessage(adele, "inbox", graphtest.MailMessage{Subject: "new"})
	require.NoError(t, err)
	m1, err := mb.Message(ctx, ids[1])
	require.NoError(t, err)
	require.NoError(t, m1.MarkAsRead(ctx))
	m2, err := mb.Message(ctx, ids[2])
	require.NoError(t, err)
	require.NoError(t, m2.Delete(ctx))
	m3, err := mb.Message(ctx, ids[3])
	require.NoError(t, err)
	require.NoError(t, m3.Move(ctx, mailbox.Archive))

	saved := d.DeltaLink
	changes := o365test.Collect(t, d.Changes(ctx))
	var subjects, removed []string
	for _, m := range changes {
		if m.Removed != nil {
			removed = append(removed, m.ID)
			continue
		}
		subjects = append(subjects, m.Subject)
	}
	require.ElementsMatch(t, []string{"new", "m1"}, subjects)
	require.ElementsMatch(t, []string{ids[2], ids[3]}, removed)
	require.NotEqual(t, saved, d.DeltaLink)

	// A round stopped early does not advance: the next one repeats it.
	again := mb.Inbox().MessageDelta(saved)
	for range again.Changes(ctx) {
		break
	}
	require.Equal(t, saved, again.DeltaLink)
	require.Len(t, o365test.Collect(t, again.Changes(ctx)), 4)

	// Expired tokens: a typed error, and a fresh start works.
	e.Srv.ExpireMailDeltaTokens()
	err = firstErr(d.Changes(ctx))
	require.ErrorIs(t, err, api.ErrSyncStateNotFound)
	d.DeltaLink = ""
	require.Len(t, o365test.Collect(t, d.Changes(ctx)), 4, "m0, m1, m4 and new")

	// $select is carried to later rounds by the link.
	sel := mb.Inbox().MessageDelta("")
	msgs := o365test.Collect(t, sel.Changes(ctx, o365.Query(query.New().Select("subject"))))
	require.NotEmpty(t, msgs[0].Subject)
	require.True(t, msgs[0].Received.IsZero())
	require.Contains(t, sel.DeltaLink, "select")
}

func TestSharedMailboxNeedsAGrant(t *testing.T) {
	e := o365test.NewMailTenant(t)
	ctx := context.Background()
	_, err := e.Srv.AddMessage(sales, "inbox", graphtest.MailMessage{Subject: "Order #1", From: "customer@fabrikam.com", To: []string{sales}})
	require.NoError(t, err)
	shared := e.Adele.Mailbox(sales)
	require.Equal(t, "users/"+sales, shared.MainResource())

	err = firstErr(shared.Inbox().Messages(ctx))
	var ge *api.GraphError
	require.ErrorAs(t, err, &ge)
	require.Equal(t, 403, ge.StatusCode)
	require.Equal(t, "ErrorAccessDenied", ge.Code)
	require.Equal(t, "Access is denied. Check credentials and try again.", ge.Message)
	require.ErrorIs(t, firstErr(shared.Folders(ctx)), o365.ErrForbidden)

	require.NoError(t, e.Srv.GrantMailboxAccess(sales, adele))
	msgs := o365test.Collect(t, shared.Inbox().Messages(ctx))
	require.Len(t, msgs, 1)
	require.Equal(t, "Order #1", msgs[0].Subject)

	// Everything works there: replying marks and moves in the shared box.
	order := msgs[0]
	require.NoError(t, order.MarkAsRead(ctx))
	require.NoError(t, order.Move(ctx, mailbox.Archive))
	require.Len(t, o365test.Collect(t, shared.ArchiveFolder().Messages(ctx)), 1)

	// Sending from the shared mailbox: from the shared address, saved in
	// its Sent Items.
	out := shared.NewMessage()
	out.Subject = "Your order"
	require.NoError(t, out.To.Add(alex))
	require.NoError(t, out.Send(ctx))
	in := o365test.Collect(t, e.Alex.Mailbox().Inbox().Messages(ctx))
	require.Len(t, in, 1)
	require.Equal(t, sales, in[0].From.EmailAddress.Address)
	require.Equal(t, sales, in[0].Sender.EmailAddress.Address)
	require.Len(t, o365test.Collect(t, shared.SentFolder().Messages(ctx)), 1)
	require.Empty(t, o365test.Collect(t, e.Adele.Mailbox().SentFolder().Messages(ctx)))

	// Alex has no grant; the .Shared scopes alone do not open it.
	require.ErrorIs(t, firstErr(e.Alex.Mailbox(sales).Inbox().Messages(ctx)), api.ErrForbidden)
	// A grant without the .Shared scopes does not either.
	noShared := o365test.MailSignIn(t, e.Srv, adele, "basic", "message_all")
	require.ErrorIs(t, firstErr(noShared.Mailbox(sales).Inbox().Messages(ctx)), api.ErrForbidden)

	require.NoError(t, e.Srv.RevokeMailboxAccess(sales, adele))
	require.ErrorIs(t, firstErr(shared.Inbox().Messages(ctx)), api.ErrForbidden)

	// A mailbox that does not exist.
	err = firstErr(e.Adele.Mailbox("nobody@contoso.onmicrosoft.com").Inbox().Messages(ctx))
	require.ErrorAs(t, err, &ge)
	require.Equal(t, "ErrorInvalidUser", ge.Code)
}

func TestSendAsAndOnBehalf(t *testing.T) {
	e := o365test.NewMailTenant(t)
	ctx := context.Background()
	send := func() error {
		m := e.Adele.NewMessage()
		m.Subject = "From sales"
		m.From = message.Recipient{EmailAddress: message.EmailAddress{Address: sales}}
		require.NoError(t, m.To.Add(alex))
		return m.Send(ctx)
	}
	var ge *api.GraphError
	require.ErrorAs(t, send(), &ge)
	require.Equal(t, "ErrorSendAsDenied", ge.Code)

	require.NoError(t, e.Srv.GrantSendOnBehalf(sales, adele))
	require.NoError(t, send())
	in := o365test.Collect(t, e.Alex.Mailbox().Inbox().Messages(ctx))
	require.Len(t, in, 1)
	require.Equal(t, sales, in[0].From.EmailAddress.Address, "on behalf of sales")
	require.Equal(t, adele, in[0].Sender.EmailAddress.Address, "sent by adele")
	// Sending on behalf opens nothing else.
	require.ErrorIs(t, firstErr(e.Adele.Mailbox(sales).Inbox().Messages(ctx)), api.ErrForbidden)

	require.NoError(t, e.Srv.GrantMailboxAccess(sales, adele))
	require.NoError(t, send())
	in = o365test.Collect(t, e.Alex.Mailbox().Inbox().Messages(ctx, o365.Limit(1)))
	require.Equal(t, sales, in[0].Sender.EmailAddress.Address, "send as: the sender is the shared mailbox")
}

func TestAppOnlyReachesAnyMailbox(t *testing.T) {
	e := o365test.NewMailTenant(t)
	ctx := context.Background()
	_, err := e.Srv.AddMessage(sales, "inbox", graphtest.MailMessage{Subject: "for the daemon"})
	require.NoError(t, err)
	daemon := o365.NewAccount(o365.Credentials{ClientID: o365test.ClientID, ClientSecret: o365test.ClientSecret},
		o365.WithCloud(o365.Cloud{Login: e.Srv.LoginURL(), Graph: e.Srv.GraphURL()}),
		o365.WithAuthFlow(o365.CredentialsFlow),
		o365.WithTokenBackend(newMemory()),
		o365.WithMainResource(sales))
	msgs := o365test.Collect(t, daemon.Mailbox().Inbox().Messages(ctx))
	require.Len(t, msgs, 1)
	// /me means nothing to an app.
	err = firstErr(daemon.Mailbox("me").Inbox().Messages(ctx))
	require.ErrorIs(t, err, api.ErrBadRequest)
	require.ErrorContains(t, err, "/me request is only valid with delegated authentication flow")
}

func TestScopesAreChecked(t *testing.T) {
	e := o365test.NewMailTenant(t)
	ctx := context.Background()
	readOnly := o365test.MailSignIn(t, e.Srv, adele, "basic", "mailbox")
	require.NoError(t, firstErr(readOnly.Mailbox().Inbox().Messages(ctx)))
	m := readOnly.NewMessage()
	m.Subject = "x"
	require.ErrorIs(t, m.Save(ctx), api.ErrForbidden)
	require.NoError(t, m.To.Add(alex))
	require.ErrorIs(t, m.Send(ctx), api.ErrForbidden)
	sendOnly := o365test.MailSignIn(t, e.Srv, adele, "basic", "message_send")
	require.NoError(t, m.To.Add(alex))
	m2 := sendOnly.NewMessage()
	require.NoError(t, m2.To.Add(alex))
	require.NoError(t, m2.Send(ctx), "sendMail needs Mail.Send only")
	require.ErrorIs(t, firstErr(sendOnly.Mailbox().Inbox().Messages(ctx)), api.ErrForbidden)
}

func TestWithAttachmentsAndMessageOptions(t *testing.T) {
	e := o365test.NewMailTenant(t)
	ctx := context.Background()
	m := e.Alex.NewMessage()
	m.Subject = "with file"
	m.Body = message.ItemBody{ContentType: message.HTML, Content: "<b>bold</b> move"}
	require.NoError(t, m.To.Add(adele))
	require.NoError(t, m.Attach(message.File{Name: "a.txt", Content: strings.NewReader("hello")}))
	require.NoError(t, m.Send(ctx))
	mb := e.Adele.Mailbox()
	msgs := o365test.Collect(t, mb.Messages(ctx, mailbox.WithAttachments()))
	require.Len(t, msgs, 1)
	require.Len(t, msgs[0].Attachments, 1)
	require.Equal(t, []byte("hello"), msgs[0].Attachments[0].ContentBytes)

	one, err := mb.Inbox().Message(ctx, msgs[0].ID, o365.Header("Prefer", `outlook.body-content-type="text"`))
	require.NoError(t, err)
	require.Equal(t, "with file", one.Subject)
	_, err = mb.SentFolder().Message(ctx, msgs[0].ID)
	require.ErrorIs(t, err, api.ErrNotFound, "the message is not in that folder")
	_, err = mb.Message(ctx, msgs[0].ID, o365.Query(query.New().Select("bad field")))
	require.Error(t, err)
	require.False(t, errors.Is(err, api.ErrNotFound))
}
