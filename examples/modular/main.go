// Command modular uses the library's pieces without an Account: a
// Connection, a Protocol, and components built from the pair (the shared
// base, a mailbox, messages), as python-o365's "Account Class and
// Modularity" section shows.
//
// It runs offline against the graphtest emulator.
package main

import (
	"context"
	"fmt"
	"io"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/internal/demo"
	"github.com/go-o365/o365/mailbox"
	"github.com/go-o365/o365/message"
	"github.com/go-o365/o365/query"
)

func main() { demo.Main(run, nil) }

func run(ctx context.Context, w io.Writer) error {
	srv := demo.Emulator()
	defer srv.Close()
	demo.Banner(w, srv)

	// The protocol: where Graph is and which resource calls address.
	protocol := o365.NewMSGraphProtocol()
	protocol.Host = srv.GraphURL()

	// The connection: credentials, scopes (expanded by the protocol), flow.
	con := o365.NewConnection(demo.Credentials,
		append(demo.Options(srv, nil), o365.WithScopes(protocol.ScopesFor("basic", "users", "message_all")...))...)
	user, err := con.Authenticate(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Connection authenticated %s with scopes %v\n\n", user, con.Scopes())

	// Any component can be built from the pair; this one is the shared
	// base itself, reading the signed-in user's profile.
	parent := o365.ParentOf(con, protocol)
	profile := o365.NewApiComponent(parent, nil)
	var me o365.User
	if err := profile.GetJSON(ctx, profile.BuildURL(""), nil, &me); err != nil {
		return err
	}
	fmt.Fprintf(w, "GET %s -> %s (%s)\n\n", profile.BuildURL(""), me.DisplayName, me.JobTitle)

	// The mail components, built from the same pair (API.md §6).
	if err := demo.SeedMail(srv); err != nil {
		return err
	}
	mb := mailbox.New(con, protocol)
	unread := query.New().Where(query.Eq("isRead", false)).OrderBy("receivedDateTime", query.Asc).Select("subject", "from")
	fmt.Fprintln(w, "Unread mail in the Inbox:")
	for m, err := range mb.Inbox().Messages(ctx, o365.Query(unread)) {
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %-32s from %s\n", m.Subject, m.From.EmailAddress.Address)
	}
	msg := message.NewFrom(mb) // inherits the connection, protocol and main resource
	if err := msg.To.Add(demo.Users[1].UserPrincipalName); err != nil {
		return err
	}
	msg.Subject = "Seattle numbers checked"
	if err := msg.Send(ctx); err != nil {
		return err
	}
	standalone := message.New(con, protocol) // or with no parent component at all
	fmt.Fprintf(w, "Sent %q; a message built from the pair alone addresses %s\n\n", msg.Subject, standalone.MainResource())

	// Lists are iterators; the query is escaped for OData.
	q := query.New().Where(query.StartsWith("jobTitle", "Marketing")).OrderBy("displayName", query.Asc).Select("displayName", "jobTitle")
	fmt.Fprintln(w, "Users whose job title starts with Marketing:")
	for u, err := range api.List[o365.User](ctx, con, profile.BuildBaseURL("/users"), o365.Query(q), o365.BatchSize(1)) {
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %-12s %s\n", u.DisplayName, u.JobTitle)
	}
	return nil
}
