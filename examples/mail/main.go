// Command mail reads the inbox with a query, sends a message with a large
// attachment (uploaded in chunks, with a progress bar), replies to a
// message, moves one to the Archive, and reads a shared mailbox.
//
// With no credentials in the environment it runs offline against the
// graphtest emulator: Adele signs in, colleagues have written to her, and
// a shared Sales mailbox is opened to her halfway through. Against a real
// tenant, set O365_CLIENT_ID, O365_CLIENT_SECRET (omit it for a public
// client) and O365_TENANT, and optionally O365_SHARED_MAILBOX; the app
// needs Mail.ReadWrite, Mail.Send and, for the shared mailbox,
// Mail.ReadWrite.Shared. The message goes to yourself. Tokens are kept in
// o365_token.json.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/internal/demo"
	"github.com/go-o365/o365/mailbox"
	"github.com/go-o365/o365/message"
	"github.com/go-o365/o365/query"
)

// scopes the example needs: the profile, full mail, shared mailboxes.
var scopes = []string{"basic", "message_all", "message_all_shared"}

// attachmentSize is the size of the generated attachment: over 3 MiB, so
// it goes through an upload session.
const attachmentSize = 12 << 20

func main() { demo.Main(offline, realTenant) }

func offline(ctx context.Context, w io.Writer) error {
	srv, account, err := demo.Start(ctx, w, demo.SeedMail, scopes...)
	if err != nil {
		return err
	}
	defer srv.Close()
	me := demo.Users[0].UserPrincipalName
	grant := func() error {
		fmt.Fprintf(w, "(the emulator's administrator gives %s full access to %s)\n", me, demo.SharedMailbox.UserPrincipalName)
		return srv.GrantMailboxAccess(demo.SharedMailbox.UserPrincipalName, me)
	}
	return run(ctx, w, account, demo.Users[1].UserPrincipalName, demo.SharedMailbox.UserPrincipalName, grant)
}

func realTenant(ctx context.Context, w io.Writer) error {
	account, err := demo.RealTenant(ctx, scopes...)
	if err != nil {
		return err
	}
	return run(ctx, w, account, account.Username(), os.Getenv("O365_SHARED_MAILBOX"), nil)
}

// run is the tour: recipient gets the large attachment, shared is a
// mailbox to read (skipped when empty), and grant, when set, opens it
// after a first refusal.
func run(ctx context.Context, w io.Writer, account *o365.Account, recipient, shared string, grant func() error) error {
	mb := account.Mailbox()

	fmt.Fprintln(w, "== Unread mail in the Inbox, oldest first")
	q := query.New().Where(query.Eq("isRead", false)).
		OrderBy("receivedDateTime", query.Asc).
		Select("subject", "from", "receivedDateTime", "isRead")
	var unread []*message.Message
	for m, err := range mb.Inbox().Messages(ctx, o365.Query(q), o365.Limit(10)) {
		if err != nil {
			return err
		}
		unread = append(unread, m)
		fmt.Fprintf(w, "  %s  %-28s %s\n", m.Received.Format("Jan 2 15:04"), m.From.EmailAddress.Address, m.Subject)
	}

	fmt.Fprintln(w, "\n== Sending a message with a 12 MiB attachment")
	msg := mb.NewMessage()
	msg.Subject = "Store walkthrough recording"
	msg.Body = message.ItemBody{ContentType: message.HTML, Content: "<p>Here is the recording of this morning's walkthrough.</p>"}
	if err := msg.To.Add(recipient); err != nil {
		return err
	}
	bar := progressBar(w, "walkthrough.mp4")
	err := msg.Attach(message.File{
		Name:     "walkthrough.mp4",
		Content:  &recording{size: attachmentSize},
		Size:     attachmentSize,
		Progress: bar,
	})
	if err != nil {
		return err
	}
	if err := msg.Send(ctx); err != nil { // a draft, an upload session, then send
		return err
	}
	fmt.Fprintf(w, "  sent to %s\n", recipient)

	if len(unread) > 0 {
		first := unread[0]
		fmt.Fprintf(w, "\n== Replying to %q\n", first.Subject)
		if err := first.Reply(ctx, "Thanks, I'll take a look today."); err != nil {
			return err
		}
		if err := first.MarkAsRead(ctx); err != nil {
			return err
		}
		fmt.Fprintf(w, "  replied to %s and marked it read\n", first.From.EmailAddress.Address)

		last := unread[len(unread)-1]
		fmt.Fprintf(w, "\n== Moving %q to the Archive\n", last.Subject)
		if err := last.Move(ctx, mailbox.Archive); err != nil {
			return err
		}
		archive := mb.ArchiveFolder()
		if err := archive.Refresh(ctx); err != nil {
			return err
		}
		fmt.Fprintf(w, "  the Archive holds %d message(s)\n", archive.TotalItemCount)
	}

	if shared == "" {
		return nil
	}
	fmt.Fprintf(w, "\n== The shared mailbox %s\n", shared)
	sharedBox := account.Mailbox(shared)
	err = listSubjects(ctx, w, sharedBox)
	if errors.Is(err, o365.ErrForbidden) && grant != nil {
		fmt.Fprintf(w, "  refused: %v\n", err)
		if err := grant(); err != nil {
			return err
		}
		err = listSubjects(ctx, w, sharedBox)
	}
	return err
}

func listSubjects(ctx context.Context, w io.Writer, mb *mailbox.MailBox) error {
	for m, err := range mb.Inbox().Messages(ctx, o365.Limit(10)) {
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %-28s %s\n", m.From.EmailAddress.Address, m.Subject)
	}
	return nil
}

// progressBar draws an upload's progress on one line.
func progressBar(w io.Writer, name string) func(sent, total int64) {
	return func(sent, total int64) {
		const width = 30
		done := int(sent * width / total)
		fmt.Fprintf(w, "\r  %s [%s%s] %3d%%", name, strings.Repeat("#", done), strings.Repeat(".", width-done), sent*100/total)
		if sent == total {
			fmt.Fprintln(w)
		}
	}
}

// recording generates the attachment's bytes as they are read, so the
// example holds no 12 MiB buffer (and neither does the upload).
type recording struct{ size, off int64 }

func (r *recording) Read(p []byte) (int, error) {
	if r.off >= r.size {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), r.size-r.off))
	for i := range n {
		p[i] = byte(r.off + int64(i))
	}
	r.off += int64(n)
	return n, nil
}
