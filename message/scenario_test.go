package message_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"iter"
	"os"
	"path/filepath"
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

func TestSendArrivesInRecipientsInbox(t *testing.T) {
	e := o365test.NewMailTenant(t)
	ctx := context.Background()

	msg := e.Adele.NewMessage()
	msg.Subject = "Lunch?"
	msg.Body = message.ItemBody{ContentType: message.HTML, Content: "<p>The new cafeteria is open.</p>"}
	require.NoError(t, msg.To.Add(alex))
	require.NoError(t, msg.Cc.AddNamed("Sales team", sales))
	require.NoError(t, msg.Bcc.Add("someone@fabrikam.com"))
	require.NoError(t, msg.Send(ctx))

	got := folderMessages(t, e.Alex.Mailbox(), mailbox.Inbox)
	require.Len(t, got, 1)
	in := got[0]
	require.Equal(t, "Lunch?", in.Subject)
	require.Equal(t, adele, in.From.EmailAddress.Address)
	require.Equal(t, "Adele Vance", in.From.EmailAddress.Name)
	require.Equal(t, []string{alex}, in.To.Addresses())
	require.Equal(t, "Alex Wilber", in.To[0].EmailAddress.Name)
	require.Equal(t, "Sales team", in.Cc[0].EmailAddress.Name)
	require.Empty(t, in.Bcc, "recipients do not see Bcc")
	require.False(t, in.IsRead)
	require.False(t, in.IsDraft)
	require.Equal(t, message.HTML, in.Body.ContentType)
	require.Contains(t, in.Body.Content, "<p>The new cafeteria is open.</p>")
	require.Equal(t, "The new cafeteria is open.", in.BodyPreview)
	require.False(t, in.Received.IsZero())
	require.NotEmpty(t, in.ConversationID)
	require.NotEmpty(t, in.InternetMessageID)

	// The Cc went to an emulated user too; the Bcc left the tenant.
	require.ErrorIs(t, listErr(e.Adele.Mailbox(sales), mailbox.Inbox), api.ErrForbidden, "adele has no access to sales")
	salesAcct := o365test.MailSignIn(t, e.Srv, sales)
	require.Len(t, folderMessages(t, salesAcct.Mailbox(), mailbox.Inbox), 1)

	sent := 0
	q := query.New().Where(query.Eq("subject", "Lunch?"))
	for m, err := range e.Adele.Mailbox().SentFolder().Messages(ctx, o365.Query(q)) {
		require.NoError(t, err)
		require.True(t, m.IsRead)
		require.Equal(t, []string{"someone@fabrikam.com"}, m.Bcc.Addresses(), "the sender's copy keeps Bcc")
		sent++
	}
	require.Equal(t, 1, sent)
}

// folderMessages of a mailbox the caller cannot reach fails; this helper
// variant reports the error instead of failing the test.
func listErr(mb *mailbox.MailBox, folder string) error {
	for _, err := range mb.WellKnownFolder(folder).Messages(context.Background()) {
		if err != nil {
			return err
		}
	}
	return nil
}

func TestSaveSendsOnlyChangedFields(t *testing.T) {
	e := o365test.NewMailTenant(t)
	ctx := context.Background()
	acct, w := o365test.MailSignInRecorded(t, e.Srv, adele)

	msg := acct.NewMessage()
	msg.Subject = "Draft"
	msg.Importance = message.High
	require.NoError(t, msg.To.Add("Alex Wilber <"+alex+">"))
	require.NoError(t, msg.Save(ctx))
	require.NotEmpty(t, msg.ID)
	require.True(t, msg.IsDraft)
	require.Equal(t, message.High, msg.Importance)

	reqs := w.Take()
	require.Len(t, reqs, 1)
	require.Equal(t, "POST", reqs[0].Method)
	require.Equal(t, "/v1.0/me/messages", reqs[0].Path)
	require.JSONEq(t, `{"subject":"Draft","importance":"high","toRecipients":[{"emailAddress":{"name":"Alex Wilber","address":"`+alex+`"}}]}`, string(reqs[0].Body))

	// Nothing changed: no request.
	require.NoError(t, msg.Save(ctx))
	require.Empty(t, w.Take())

	msg.Subject = "Draft, revised"
	msg.Categories = append(msg.Categories, "Blue category")
	require.NoError(t, msg.Save(ctx))
	reqs = w.Take()
	require.Len(t, reqs, 1)
	require.Equal(t, "PATCH", reqs[0].Method)
	require.JSONEq(t, `{"subject":"Draft, revised","categories":["Blue category"]}`, string(reqs[0].Body))

	// Clearing a list sends an empty one.
	msg.To.Clear()
	require.NoError(t, msg.Save(ctx))
	reqs = w.Take()
	require.JSONEq(t, `{"toRecipients":[]}`, string(reqs[0].Body))

	back, err := acct.Mailbox().Message(ctx, msg.ID)
	require.NoError(t, err)
	require.Equal(t, "Draft, revised", back.Subject)
	require.Equal(t, []string{"Blue category"}, back.Categories)
	require.Empty(t, back.To)
	require.Equal(t, msg.ChangeKey, back.ChangeKey)
	require.Equal(t, mustFolderID(t, acct.Mailbox(), mailbox.Drafts), back.ParentFolderID)
}

func mustFolderID(t testing.TB, mb *mailbox.MailBox, name string) string {
	t.Helper()
	f := mb.WellKnownFolder(name)
	require.NoError(t, f.Refresh(context.Background()))
	return f.ID
}

func TestReadStateFlagAndCategories(t *testing.T) {
	e := o365test.NewMailTenant(t)
	ctx := context.Background()
	id, err := e.Srv.AddMessage(alex, "inbox", graphtest.MailMessage{Subject: "Review", From: adele, To: []string{alex}, Body: "Please review."})
	require.NoError(t, err)
	acct, w := o365test.MailSignInRecorded(t, e.Srv, alex)
	mb := acct.Mailbox()
	m, err := mb.Message(ctx, id)
	require.NoError(t, err)
	require.False(t, m.IsRead)

	m.Subject = "unsaved edit, not sent by MarkAsRead"
	require.NoError(t, m.MarkAsRead(ctx))
	reqs := w.Take()
	require.Len(t, reqs, 2) // the GET and the PATCH
	require.JSONEq(t, `{"isRead":true}`, string(reqs[1].Body))

	due := time.Date(2026, 12, 24, 17, 0, 0, 0, time.UTC)
	start := time.Date(2026, 12, 20, 9, 0, 0, 0, time.UTC)
	require.NoError(t, m.SetFlag(ctx, message.FollowupFlag{Status: message.Flagged, Start: start, Due: due}))
	require.NoError(t, m.SetCategories(ctx, "Red category", "Important"))

	back, err := mb.Message(ctx, id)
	require.NoError(t, err)
	require.True(t, back.IsRead)
	require.Equal(t, "Review", back.Subject)
	require.Equal(t, message.Flagged, back.Flag.Status)
	require.True(t, back.Flag.Due.Equal(due), "due %v", back.Flag.Due)
	require.True(t, back.Flag.Start.Equal(start))
	require.Equal(t, []string{"Red category", "Important"}, back.Categories)

	require.NoError(t, back.MarkAsUnread(ctx))
	require.NoError(t, back.SetFlag(ctx, message.FollowupFlag{}))
	again, err := mb.Message(ctx, id)
	require.NoError(t, err)
	require.False(t, again.IsRead)
	require.Equal(t, message.NotFlagged, again.Flag.Status)

	// A received message's subject cannot be changed: Graph says so.
	again.Subject = "changed"
	err = again.Save(ctx)
	var ge *api.GraphError
	require.ErrorAs(t, err, &ge)
	require.Equal(t, "ErrorInvalidPropertyUpdateSentMessage", ge.Code)
}

func TestReplyReplyAllForward(t *testing.T) {
	e := o365test.NewMailTenant(t)
	ctx := context.Background()
	orig := e.Adele.NewMessage()
	orig.Subject = "Plan"
	orig.Body = message.ItemBody{ContentType: message.Text, Content: "Here is the plan."}
	require.NoError(t, orig.To.Add(alex))
	require.NoError(t, orig.Cc.Add(sales))
	require.NoError(t, orig.Attach(message.File{Name: "plan.txt", Content: strings.NewReader("step 1")}))
	require.NoError(t, orig.Send(ctx))

	in := folderMessages(t, e.Alex.Mailbox(), mailbox.Inbox)[0]
	require.True(t, in.HasAttachments)
	require.NoError(t, in.Reply(ctx, "Looks good."))
	require.NoError(t, in.ReplyAll(ctx, "Agreed, all."))
	require.NoError(t, in.Forward(ctx, "FYI", message.Recipients{{EmailAddress: message.EmailAddress{Address: adele}}}))

	subjects := map[string]*message.Message{}
	for _, m := range folderMessages(t, e.Adele.Mailbox(), mailbox.Inbox) {
		subjects[m.Subject] = m
	}
	require.Contains(t, subjects, "RE: Plan")
	require.Contains(t, subjects, "FW: Plan")
	reply := subjects["RE: Plan"]
	require.Equal(t, alex, reply.From.EmailAddress.Address)
	require.Contains(t, reply.Body.Content, "Looks good.")
	require.Contains(t, reply.Body.Content, "Here is the plan.")
	require.Equal(t, in.ConversationID, reply.ConversationID)
	require.True(t, subjects["FW: Plan"].HasAttachments, "a forward carries the attachments")

	// Reply-all reached sales too (Cc of the original).
	salesAcct := o365test.MailSignIn(t, e.Srv, sales)
	var salesSubjects []string
	for _, m := range folderMessages(t, salesAcct.Mailbox(), mailbox.Inbox) {
		salesSubjects = append(salesSubjects, m.Subject)
	}
	require.ElementsMatch(t, []string{"Plan", "RE: Plan"}, salesSubjects)

	err := in.Forward(ctx, "x", nil)
	require.ErrorContains(t, err, "no recipients")
}

func TestCreateReplyDrafts(t *testing.T) {
	e := o365test.NewMailTenant(t)
	ctx := context.Background()
	_, err := e.Srv.AddMessage(alex, "inbox", graphtest.MailMessage{Subject: "Budget", From: adele, To: []string{alex}, Cc: []string{sales}, Body: "Numbers attached.", HTML: true})
	require.NoError(t, err)
	in := folderMessages(t, e.Alex.Mailbox(), mailbox.Inbox)[0]

	reply, err := in.CreateReply(ctx, "Thanks!")
	require.NoError(t, err)
	require.True(t, reply.IsDraft)
	require.Equal(t, "RE: Budget", reply.Subject)
	require.Equal(t, []string{adele}, reply.To.Addresses())

	all, err := in.CreateReplyAll(ctx, "")
	require.NoError(t, err)
	require.Equal(t, []string{adele}, all.To.Addresses())
	require.Equal(t, []string{sales}, all.Cc.Addresses())

	fwd, err := in.CreateForward(ctx, "see below", nil)
	require.NoError(t, err)
	require.Equal(t, "FW: Budget", fwd.Subject)
	require.Empty(t, fwd.To)
	require.Len(t, folderMessages(t, e.Alex.Mailbox(), mailbox.Drafts), 3)

	// Edit the draft and send it: only the change is saved, then it goes.
	require.NoError(t, fwd.To.Add(adele))
	fwd.Body.Content += "<p>Added a line.</p>"
	require.NoError(t, fwd.Send(ctx))
	require.Len(t, folderMessages(t, e.Alex.Mailbox(), mailbox.Drafts), 2)
	got := folderMessages(t, e.Adele.Mailbox(), mailbox.Inbox)
	require.Len(t, got, 1)
	require.Equal(t, "FW: Budget", got[0].Subject)
	require.Contains(t, got[0].Body.Content, "Added a line.")
	require.Contains(t, got[0].Body.Content, "Numbers attached.")
}

func TestMoveCopyDelete(t *testing.T) {
	e := o365test.NewMailTenant(t)
	ctx := context.Background()
	id, err := e.Srv.AddMessage(alex, "inbox", graphtest.MailMessage{Subject: "Keep", From: adele})
	require.NoError(t, err)
	mb := e.Alex.Mailbox()
	m, err := mb.Message(ctx, id)
	require.NoError(t, err)

	cp, err := m.Copy(ctx, mailbox.JunkEmail)
	require.NoError(t, err)
	require.NotEqual(t, m.ID, cp.ID)
	require.Equal(t, "Keep", cp.Subject)

	require.NoError(t, m.Move(ctx, mailbox.Archive))
	require.NotEqual(t, id, m.ID, "Exchange gives a moved message a new id")
	require.Equal(t, mustFolderID(t, mb, mailbox.Archive), m.ParentFolderID)
	require.Empty(t, folderMessages(t, mb, mailbox.Inbox))
	require.Len(t, folderMessages(t, mb, mailbox.Archive), 1)
	require.Len(t, folderMessages(t, mb, mailbox.JunkEmail), 1)

	_, err = mb.Message(ctx, id)
	require.ErrorIs(t, err, api.ErrNotFound)

	require.NoError(t, m.Delete(ctx))
	require.Empty(t, folderMessages(t, mb, mailbox.Archive))
	_, err = mb.Message(ctx, m.ID)
	require.ErrorIs(t, err, o365.ErrNotFound)

	unsaved := mb.NewMessage()
	require.ErrorIs(t, unsaved.Delete(ctx), message.ErrNotSaved)
	require.ErrorIs(t, unsaved.Move(ctx, mailbox.Archive), message.ErrNotSaved)
}

func TestMIMEContentAndSendMIME(t *testing.T) {
	e := o365test.NewMailTenant(t)
	ctx := context.Background()
	msg := e.Adele.NewMessage()
	msg.Subject = "Résumé attached"
	msg.Body = message.ItemBody{ContentType: message.Text, Content: "Hello Alex,\r\nsee the file."}
	require.NoError(t, msg.To.Add(alex))
	require.NoError(t, msg.Attach(message.File{Name: "cv.txt", Content: strings.NewReader("curriculum vitae")}))
	require.NoError(t, msg.Send(ctx))
	in := folderMessages(t, e.Alex.Mailbox(), mailbox.Inbox)[0]

	rc, err := in.MIMEContent(ctx)
	require.NoError(t, err)
	raw, err := io.ReadAll(rc)
	require.NoError(t, rc.Close())
	require.NoError(t, err)
	text := string(raw)
	require.Contains(t, text, "From: \"Adele Vance\" <"+adele+">")
	require.Contains(t, text, "To: \"Alex Wilber\" <"+alex+">")
	require.Contains(t, text, "Subject: =?utf-8?q?R=C3=A9sum=C3=A9_attached?=")
	require.Contains(t, text, "MIME-Version: 1.0")
	require.Contains(t, text, "multipart/mixed")
	require.Contains(t, text, `filename=cv.txt`)
	require.Contains(t, text, "Y3VycmljdWx1bSB2aXRhZQ==", "the attachment, base64")

	// Alex sends the same MIME on to Adele, as a raw message.
	fwd := strings.Replace(text, "To: \"Alex Wilber\" <"+alex+">", "To: "+adele, 1)
	fwd = strings.Replace(fwd, "From: \"Adele Vance\" <"+adele+">", "From: "+alex, 1)
	require.NoError(t, message.SendMIME(ctx, e.Alex, strings.NewReader(fwd)))
	got := folderMessages(t, e.Adele.Mailbox(), mailbox.Inbox)
	require.Len(t, got, 1)
	require.Equal(t, "Résumé attached", got[0].Subject)
	require.Equal(t, alex, got[0].From.EmailAddress.Address)
	require.True(t, got[0].HasAttachments)
	require.Contains(t, got[0].Body.Content, "see the file.")

	require.ErrorContains(t, message.SendMIME(ctx, e.Alex, strings.NewReader("")), "empty")
	big := strings.NewReader(strings.Repeat("x", 3<<20+1))
	require.ErrorContains(t, message.SendMIME(ctx, e.Alex, big), "too big")
}

func TestSmallAttachments(t *testing.T) {
	e := o365test.NewMailTenant(t)
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "report.csv")
	require.NoError(t, os.WriteFile(path, []byte("a,b\n1,2\n"), 0o600))

	msg := e.Adele.NewMessage()
	msg.Subject = "Files"
	msg.Body = message.ItemBody{ContentType: message.HTML, Content: `<p>Logo: <img src="cid:logo"></p>`}
	require.NoError(t, msg.To.Add(alex))
	var progress []int64
	require.NoError(t, msg.Attach(message.File{Path: path, Progress: func(sent, total int64) { progress = append(progress, sent) }}))
	require.NoError(t, msg.Attach(message.File{Name: "logo.png", Content: bytes.NewReader([]byte("\x89PNG....")), ContentID: "logo"}))
	note := e.Adele.NewMessage()
	note.Subject = "The note"
	note.Body = message.ItemBody{ContentType: message.Text, Content: "attached as an item"}
	require.NoError(t, msg.AttachItem("The note", note))
	require.NoError(t, msg.Save(ctx))
	require.Len(t, msg.Attachments, 3)
	require.Equal(t, []int64{8}, progress)
	require.NoError(t, msg.Send(ctx))

	in := folderMessages(t, e.Alex.Mailbox(), mailbox.Inbox)[0]
	require.True(t, in.HasAttachments)
	var names []string
	for a, err := range in.ListAttachments(ctx) {
		require.NoError(t, err)
		names = append(names, a.Name)
		switch a.Name {
		case "report.csv":
			require.Equal(t, "file", a.Kind())
			require.Equal(t, "text/csv; charset=utf-8", a.ContentType)
			require.Equal(t, []byte("a,b\n1,2\n"), a.ContentBytes)
			rc, err := a.Open(ctx)
			require.NoError(t, err)
			data, _ := io.ReadAll(rc)
			rc.Close()
			require.Equal(t, "a,b\n1,2\n", string(data))
		case "logo.png":
			require.True(t, a.IsInline)
			require.Equal(t, "logo", a.ContentID)
			require.Equal(t, "image/png", a.ContentType)
		case "The note":
			require.Equal(t, "item", a.Kind())
			full, err := in.Attachment(ctx, a.ID, o365.Query(query.New().Expand("microsoft.graph.itemattachment/item")))
			require.NoError(t, err)
			var item message.Message
			require.NoError(t, full.DecodeItem(&item))
			require.Equal(t, "The note", item.Subject)
			rc, err := a.Open(ctx)
			require.NoError(t, err)
			data, _ := io.ReadAll(rc)
			rc.Close()
			require.Contains(t, string(data), "Subject: The note")
			require.ErrorContains(t, a.DecodeItem(&item), "expand")
		}
	}
	require.ElementsMatch(t, []string{"report.csv", "logo.png", "The note"}, names)

	// Removing an attachment.
	for a, err := range in.ListAttachments(ctx) {
		require.NoError(t, err)
		if a.Name == "report.csv" {
			require.NoError(t, a.Delete(ctx))
		}
	}
	n := 0
	for _, err := range in.ListAttachments(ctx) {
		require.NoError(t, err)
		n++
	}
	require.Equal(t, 2, n)

	// Only inline attachments: hasAttachments stays false, as in Outlook.
	inl := e.Adele.NewMessage()
	require.NoError(t, inl.Attach(message.File{Name: "i.gif", Content: strings.NewReader("GIF89a"), ContentID: "i"}))
	require.NoError(t, inl.Save(ctx))
	back, err := e.Adele.Mailbox().Message(ctx, inl.ID)
	require.NoError(t, err)
	require.False(t, back.HasAttachments)

	// Attachments with the message, in one read.
	for m, err := range e.Alex.Mailbox().Inbox().Messages(ctx, mailbox.WithAttachments()) {
		require.NoError(t, err)
		require.Len(t, m.Attachments, 2)
		for _, a := range m.Attachments {
			if a.Name == "logo.png" {
				require.Equal(t, []byte("\x89PNG...."), a.ContentBytes)
				rc, err := a.Open(ctx)
				require.NoError(t, err)
				rc.Close()
			}
		}
	}
}

func TestAttachRefusesBadFiles(t *testing.T) {
	msg := message.New(nil, o365.NewMSGraphProtocol())
	require.ErrorContains(t, msg.Attach(message.File{}), "neither Path nor Content")
	require.ErrorContains(t, msg.Attach(message.File{Content: strings.NewReader("x")}), "no Name")
	require.ErrorContains(t, msg.Attach(message.File{Path: filepath.Join(t.TempDir(), "missing.pdf")}), "missing.pdf")
	require.ErrorContains(t, msg.Attach(message.File{Path: t.TempDir()}), "directory")
	require.ErrorContains(t, msg.Attach(message.File{Name: "pipe", Content: io.MultiReader()}), "cannot tell")
	require.ErrorContains(t, msg.Attach(message.File{Name: "huge.bin", Content: strings.NewReader(""), Size: 151 << 20}), "more than")
	require.ErrorContains(t, msg.AttachItem("", nil), "no name")
	require.ErrorContains(t, msg.AttachItem("x", map[string]any{"subject": "no type"}), "@odata.type")
	require.ErrorContains(t, msg.AttachItem("x", "not an object"), "not a JSON object")
}

func TestRecipientWithoutAddressIsRefused(t *testing.T) {
	e := o365test.NewMailTenant(t)
	acct, w := o365test.MailSignInRecorded(t, e.Srv, adele)
	msg := acct.NewMessage()
	msg.Subject = "broken"
	msg.To = message.Recipients{{EmailAddress: message.EmailAddress{Name: "Alex Wilber"}}}
	err := msg.Send(context.Background())
	require.ErrorIs(t, err, message.ErrInvalidAddress)
	require.ErrorContains(t, err, `toRecipients: recipient 0 ("Alex Wilber")`)
	require.ErrorContains(t, msg.Save(context.Background()), "no address")
	require.Empty(t, w.Take(), "nothing reached Graph")

	none := acct.NewMessage()
	require.ErrorContains(t, none.Send(context.Background()), "no recipients")

	// Graph itself refuses one too: a draft saved with a nameless,
	// addressless recipient by some other client cannot be sent.
	id, err := e.Srv.AddMessage(adele, "drafts", graphtest.MailMessage{Subject: "x", IsDraft: true, To: []string{""}})
	require.NoError(t, err)
	d, err := acct.Mailbox().Message(context.Background(), id)
	require.NoError(t, err)
	d.To = nil
	require.NoError(t, d.To.Add(alex))
	require.NoError(t, d.Send(context.Background()))
}

func TestMessageIDIsEscaped(t *testing.T) {
	e := o365test.NewMailTenant(t)
	ctx := context.Background()
	for _, id := range []string{"a/b?c#d", "../../users", "AAMkAGI2 THAtAAA=", "%2F"} {
		_, err := e.Adele.Mailbox().Message(ctx, id)
		var ge *api.GraphError
		require.ErrorAs(t, err, &ge, id)
		require.Equal(t, "ErrorInvalidIdMalformed", ge.Code, "id %q must reach the message route as one segment", id)
	}
	reqs := e.Srv.Requests()
	last := reqs[len(reqs)-1]
	require.Equal(t, "/v1.0/me/messages/%2F", last.Path)
	require.Empty(t, last.RawQuery)

	m := e.Adele.NewMessage()
	m.ID = "x/../../y"
	require.Error(t, m.MarkAsRead(ctx))
	reqs = e.Srv.Requests()
	require.Equal(t, "/v1.0/me/messages/x/../../y", reqs[len(reqs)-1].Path)
}

func TestInternetHeadersAndExtendedProperties(t *testing.T) {
	e := o365test.NewMailTenant(t)
	ctx := context.Background()
	const prop = "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color"
	msg := e.Adele.NewMessage()
	msg.Subject = "9/9/2018: concert"
	require.NoError(t, msg.To.Add(alex))
	msg.InternetMessageHeaders = []message.InternetMessageHeader{{Name: "x-custom-header-group-name", Value: "Nevada"}}
	msg.ExtendedProperties = []message.ExtendedProperty{{ID: prop, Value: "Green"}}
	require.NoError(t, msg.Save(ctx))

	q := query.New().Expand("singleValueExtendedProperties", query.New().Where(query.Eq("id", prop)))
	back, err := e.Adele.Mailbox().Message(ctx, msg.ID, o365.Query(q))
	require.NoError(t, err)
	require.Equal(t, []message.ExtendedProperty{{ID: prop, Value: "Green"}}, back.ExtendedProperties)

	require.NoError(t, back.Send(ctx))
	in := folderMessages(t, e.Alex.Mailbox(), mailbox.Inbox)[0]
	withHeaders, err := e.Alex.Mailbox().Message(ctx, in.ID, o365.Query(query.New().Select("internetMessageHeaders")))
	require.NoError(t, err)
	require.Contains(t, withHeaders.InternetMessageHeaders, message.InternetMessageHeader{Name: "x-custom-header-group-name", Value: "Nevada"})
	require.Empty(t, withHeaders.Subject, "$select returns only what it names")

	bad := e.Adele.NewMessage()
	bad.InternetMessageHeaders = []message.InternetMessageHeader{{Name: "Subject", Value: "no"}}
	var ge *api.GraphError
	require.ErrorAs(t, bad.Save(ctx), &ge)
	require.Equal(t, "InvalidInternetMessageHeader", ge.Code)
}

func TestModularMessage(t *testing.T) {
	e := o365test.NewMailTenant(t)
	ctx := context.Background()
	m := message.New(e.Adele.Connection(), e.Adele.Protocol())
	m.Subject = "from the pieces"
	require.NoError(t, m.To.Add(alex))
	require.NoError(t, m.Send(ctx))
	require.Equal(t, "from the pieces", folderMessages(t, e.Alex.Mailbox(), mailbox.Inbox)[0].Subject)
}

func TestGraphErrorsReachTheCaller(t *testing.T) {
	e := o365test.NewMailTenant(t)
	ctx := context.Background()
	e.Srv.FailNext(1, 503) // a POST is not retried after a 503
	m := e.Adele.NewMessage()
	m.Subject = "x"
	err := m.Save(ctx)
	require.ErrorIs(t, err, api.ErrServiceUnavailable)
	require.Empty(t, m.ID)
	// Bodies sent as JSON decode on the server as Graph's types: a bad
	// importance is refused with Graph's message.
	m2 := e.Adele.NewMessage()
	m2.Importance = "urgent"
	var ge *api.GraphError
	require.ErrorAs(t, m2.Save(ctx), &ge)
	require.Equal(t, "RequestBodyRead", ge.Code)
	require.True(t, errors.Is(err, api.ErrServiceUnavailable))
}

func TestUnboundMessagesDoNotPanic(t *testing.T) {
	ctx := context.Background()
	var m message.Message // a literal, or decoded by hand
	m.Subject = "x"
	require.NoError(t, m.To.Add(alex))
	require.ErrorIs(t, m.Save(ctx), message.ErrNotBound)
	require.ErrorIs(t, m.Send(ctx), message.ErrNotBound)
	m.ID = "AAMk="
	require.ErrorIs(t, m.MarkAsRead(ctx), message.ErrNotBound)
	_, err := m.MIMEContent(ctx)
	require.ErrorIs(t, err, message.ErrNotBound)
	require.ErrorIs(t, firstOf(m.ListAttachments(ctx)), message.ErrNotBound)
	unbound := message.NewFrom(nil)
	require.NoError(t, unbound.To.Add(alex))
	require.ErrorIs(t, unbound.Send(ctx), message.ErrNotBound)
	require.ErrorIs(t, message.SendMIME(ctx, nil, strings.NewReader("Subject: x\r\n\r\n")), message.ErrNotBound)
	require.ErrorIs(t, firstOf(message.List(ctx, nil, "http://x")), message.ErrNotBound)
	var a message.Attachment
	_, err = a.Open(ctx)
	require.Error(t, err)

	var mb mailbox.MailBox
	require.ErrorIs(t, firstOf(mb.Inbox().Messages(ctx)), mailbox.ErrNotBound)
	require.ErrorIs(t, firstOf(mb.Folders(ctx)), mailbox.ErrNotBound)
	_, err = mb.Folder(ctx, "Inbox")
	require.ErrorIs(t, err, mailbox.ErrNotBound)
	require.ErrorIs(t, mailbox.NewFrom(nil).Inbox().Refresh(ctx), mailbox.ErrNotBound)
	var f mailbox.Folder
	require.Error(t, f.Delete(ctx))
}

func firstOf[T any](seq iter.Seq2[T, error]) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}
