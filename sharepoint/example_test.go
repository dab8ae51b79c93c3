package sharepoint_test

import (
	"context"
	"fmt"
	"log"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/query"
	"github.com/go-o365/o365/sharepoint"
	"github.com/go-o365/o365/token"
)

// exampleSharepoint starts graphtest with a Marketing site and Adele
// signed in. In an application the account comes from o365.NewAccount
// with your app's credentials.
func exampleSharepoint() (*sharepoint.Sharepoint, func()) {
	srv := graphtest.NewServer()
	srv.AddApp(graphtest.App{ClientID: clientID, ClientSecret: secret})
	srv.AddUser(graphtest.User{UserPrincipalName: adele, DisplayName: "Adele Vance", Password: password})
	srv.AddSite(graphtest.Site{Path: "/sites/marketing", DisplayName: "Marketing"})
	acct := o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: secret},
		o365.WithCloud(o365.Cloud{Login: srv.LoginURL(), Graph: srv.GraphURL()}),
		o365.WithTokenBackend(token.NewMemoryBackend()),
		o365.WithAuthFlow(o365.PasswordFlow), o365.WithPassword(adele, password),
		o365.WithScopes("sharepoint_dl"))
	if _, err := acct.Authenticate(context.Background()); err != nil {
		log.Fatal(err)
	}
	return acct.Sharepoint(), srv.Close
}

// Find a site by path, make a list, add items and filter them on a field.
func Example() {
	sp, done := exampleSharepoint()
	defer done()
	ctx := context.Background()

	site, err := sp.SiteByPath(ctx, "contoso.sharepoint.com", "/sites/marketing")
	if err != nil {
		log.Fatal(err)
	}
	books, err := site.CreateList(ctx, sharepoint.ListDefinition{
		DisplayName: "Books",
		Columns: []sharepoint.ColumnDefinition{
			{Name: "Author", Text: &sharepoint.TextColumn{}},
			{Name: "PageCount", Number: &sharepoint.NumberColumn{}},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, b := range []map[string]any{
		{"Title": "The Dispossessed", "Author": "Ursula K. Le Guin", "PageCount": 387},
		{"Title": "Orlando", "Author": "Virginia Woolf", "PageCount": 333},
	} {
		if _, err := books.CreateItem(ctx, b); err != nil {
			log.Fatal(err)
		}
	}
	q := query.New().Where(query.Gt("fields/PageCount", 350))
	for it, err := range books.Items(ctx, o365.Query(q)) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(it.Fields["Title"], "by", it.Fields["Author"])
	}
	// Output:
	// The Dispossessed by Ursula K. Le Guin
}

// A site's document library is a drive.Drive.
func ExampleSite_DefaultDrive() {
	sp, done := exampleSharepoint()
	defer done()
	ctx := context.Background()
	site, err := sp.SiteByPath(ctx, "contoso.sharepoint.com", "/sites/marketing")
	if err != nil {
		log.Fatal(err)
	}
	docs, err := site.DefaultDrive(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(docs.Name, docs.DriveType)
	// Output:
	// Documents documentLibrary
}
