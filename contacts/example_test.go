package contacts_test

import (
	"context"
	"fmt"
	"log"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/contacts"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/query"
	"github.com/go-o365/o365/token"
)

// exampleAccount signs Adele in to a fresh emulator with the scopes the
// examples need; stop closes the emulator.
func exampleAccount() (srv *graphtest.Server, account *o365.Account, stop func()) {
	srv = graphtest.NewServer()
	srv.AddApp(graphtest.App{ClientID: clientID, ClientSecret: clientSecret})
	for _, u := range []graphtest.User{
		{UserPrincipalName: adele, DisplayName: "Adele Vance", JobTitle: "Retail Manager", Password: password},
		{UserPrincipalName: alex, DisplayName: "Alex Wilber", JobTitle: "Marketing Assistant"},
		{UserPrincipalName: megan, DisplayName: "Megan Bowen", JobTitle: "Marketing Manager"},
	} {
		srv.AddUser(u)
	}
	account = o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: clientSecret},
		o365.WithCloud(o365.Cloud{Login: srv.LoginURL(), Graph: srv.GraphURL()}),
		o365.WithTokenBackend(token.NewMemoryBackend()),
		o365.WithScopes("basic", "address_book_all", "users"),
		o365.WithAuthFlow(o365.PasswordFlow), o365.WithPassword(adele, password))
	if _, err := account.Authenticate(context.Background()); err != nil {
		log.Fatal(err)
	}
	return srv, account, srv.Close
}

func ExampleAddressBook_NewContact() {
	_, account, stop := exampleAccount()
	defer stop()
	ctx := context.Background()

	c := account.AddressBook().NewContact()
	c.GivenName, c.Surname = "Pavel", "Bansky"
	c.EmailAddresses = []contacts.EmailAddress{{Name: "Pavel Bansky", Address: "pavelb@fabrikam.com"}}
	if err := c.Save(ctx); err != nil { // created
		log.Fatal(err)
	}
	c.JobTitle = "Engineer"
	changes, _ := c.Changes()
	fmt.Println("changed:", changes)
	if err := c.Save(ctx); err != nil { // only jobTitle is sent
		log.Fatal(err)
	}
	fmt.Println(c.DisplayName, "-", c.JobTitle)
	// Output:
	// changed: map[jobTitle:Engineer]
	// Pavel Bansky - Engineer
}

func ExampleAddressBook_Contacts() {
	srv, account, stop := exampleAccount()
	defer stop()
	for _, name := range []string{"Carol", "Alice", "Bob"} {
		if _, err := srv.AddContact(adele, "", map[string]any{"givenName": name, "surname": "Example"}); err != nil {
			log.Fatal(err)
		}
	}

	q := query.New().OrderBy("givenName", query.Asc)
	for c, err := range account.AddressBook().Contacts(context.Background(), o365.Query(q), o365.Limit(2)) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(c.DisplayName)
	}
	// Output:
	// Alice Example
	// Bob Example
}

func ExampleFolder_CreateFolder() {
	_, account, stop := exampleAccount()
	defer stop()
	ctx := context.Background()
	book := account.AddressBook()

	work, err := book.CreateFolder(ctx, "Work")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := work.CreateFolder(ctx, "Clients"); err != nil {
		log.Fatal(err)
	}
	clients, err := work.FolderByName(ctx, "clients")
	if err != nil {
		log.Fatal(err)
	}
	if err := clients.Rename(ctx, "Customers"); err != nil {
		log.Fatal(err)
	}
	fmt.Println(clients.DisplayName, clients.ParentFolderID == work.ID)
	// Output:
	// Customers true
}

func ExampleDirectory_Search() {
	_, account, stop := exampleAccount()
	defer stop()

	// Display name, mail and user principal name are searched.
	for u, err := range account.Directory().Search(context.Background(), "wilber") {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.DisplayName, "-", u.JobTitle)
	}
	// Output:
	// Alex Wilber - Marketing Assistant
}

func ExampleDirectory_Manager() {
	srv, account, stop := exampleAccount()
	defer stop()
	if err := srv.SetManager(alex, megan); err != nil {
		log.Fatal(err)
	}

	boss, err := account.Directory().Manager(context.Background(), alex)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(boss.DisplayName)
	// Output:
	// Megan Bowen
}
