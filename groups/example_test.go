package groups_test

import (
	"context"
	"fmt"
	"log"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/groups"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/token"
)

// exampleAccount signs Adele in with the groups_all scope to a fresh
// emulator where she and Alex are in the Golf Assist group; stop closes
// the emulator.
func exampleAccount() (srv *graphtest.Server, account *o365.Account, stop func()) {
	srv = graphtest.NewServer()
	srv.AddApp(graphtest.App{ClientID: o365test.ClientID, ClientSecret: o365test.ClientSecret})
	srv.AddUser(graphtest.User{UserPrincipalName: adele, DisplayName: "Adele Vance", Password: password})
	srv.AddUser(graphtest.User{UserPrincipalName: alex, DisplayName: "Alex Wilber"})
	if _, err := srv.AddGroup(graphtest.Group{DisplayName: "Golf Assist", MailNickname: "golfassist",
		Mail: "golfassist@contoso.com", MailEnabled: true, GroupTypes: []string{"Unified"},
		Owners: []string{adele}, Members: []string{adele, alex}}); err != nil {
		log.Fatal(err)
	}
	account = o365.NewAccount(o365.Credentials{ClientID: o365test.ClientID, ClientSecret: o365test.ClientSecret},
		o365.WithCloud(o365.Cloud{Login: srv.LoginURL(), Graph: srv.GraphURL()}),
		o365.WithTokenBackend(token.NewMemoryBackend()),
		o365.WithScopes("basic", "groups_all"),
		o365.WithAuthFlow(o365.PasswordFlow), o365.WithPassword(adele, password))
	if _, err := account.Authenticate(context.Background()); err != nil {
		log.Fatal(err)
	}
	return srv, account, srv.Close
}

func ExampleGroups_MemberOf() {
	_, account, stop := exampleAccount()
	defer stop()
	ctx := context.Background()

	for g, err := range account.Groups().MemberOf(ctx, "me") {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(g.DisplayName, g.Mail, g.IsUnified())
		for m, err := range g.Members(ctx) {
			if err != nil {
				log.Fatal(err)
			}
			fmt.Println(" ", m.DisplayName)
		}
	}
	// Output:
	// Golf Assist golfassist@contoso.com true
	//   Adele Vance
	//   Alex Wilber
}

func ExampleGroup_StartConversation() {
	_, account, stop := exampleAccount()
	defer stop()
	ctx := context.Background()

	g, err := account.Groups().GroupByMail(ctx, "golfassist@contoso.com")
	if err != nil {
		log.Fatal(err)
	}
	c, err := g.StartConversation(ctx, "Saturday round", groups.Post{
		Body: groups.ItemBody{ContentType: "text", Content: "Tee time at 8?"}})
	if err != nil {
		log.Fatal(err)
	}
	if err := g.Reply(ctx, c.Threads[0].ID, groups.Post{Body: groups.ItemBody{ContentType: "text", Content: "In!"}}); err != nil {
		log.Fatal(err)
	}
	for p, err := range g.Posts(ctx, c.Threads[0].ID) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %s\n", p.Sender.EmailAddress.Name, p.Body.Content)
	}
	// Output:
	// Adele Vance: Tee time at 8?
	// Adele Vance: In!
}

func ExampleGroups_Create() {
	_, account, stop := exampleAccount()
	defer stop()
	ctx := context.Background()

	gs := account.Groups()
	if _, err := gs.Create(ctx, groups.NewGroup{DisplayName: "Library", MailNickname: "library books"}); err != nil {
		fmt.Println(err) // refused before any request
	}
	g, err := gs.Create(ctx, groups.NewGroup{DisplayName: "Library Assist", MailNickname: "library"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(g.DisplayName, g.Mail, g.Visibility)
	// Output:
	// groups: Create: mail nickname "library books" holds ' ', which a mail alias cannot
	// Library Assist library@contoso.onmicrosoft.com Public
}
