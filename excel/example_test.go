package excel_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/excel"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/token"
)

// exampleAccount starts graphtest with Adele signed in. In an application
// the account comes from o365.NewAccount with your app's credentials.
func exampleAccount() (*o365.Account, *graphtest.Server) {
	srv := graphtest.NewServer()
	srv.AddApp(graphtest.App{ClientID: "app", ClientSecret: "secret"})
	srv.AddUser(graphtest.User{UserPrincipalName: adele, DisplayName: "Adele Vance", Password: password})
	acct := o365.NewAccount(o365.Credentials{ClientID: "app", ClientSecret: "secret"},
		o365.WithCloud(o365.Cloud{Login: srv.LoginURL(), Graph: srv.GraphURL()}),
		o365.WithTokenBackend(token.NewMemoryBackend()),
		o365.WithAuthFlow(o365.PasswordFlow), o365.WithPassword(adele, password),
		o365.WithScopes("excel", "onedrive"))
	if _, err := acct.Authenticate(context.Background()); err != nil {
		log.Fatal(err)
	}
	return acct, srv
}

// Open a workbook of a drive, write a block of figures with a total, and
// read it back.
func Example() {
	account, srv := exampleAccount()
	defer srv.Close()
	ctx := context.Background()
	d, err := account.Storage().DefaultDrive(ctx)
	if err != nil {
		log.Fatal(err)
	}
	root, err := d.Root(ctx)
	if err != nil {
		log.Fatal(err)
	}
	item, err := root.Upload(ctx, "Q1.xlsx", strings.NewReader("(workbook)"), 10, nil)
	if err != nil {
		log.Fatal(err)
	}

	wb, err := excel.Open(ctx, item)
	if err != nil {
		log.Fatal(err)
	}
	defer wb.Close(ctx)
	r, err := wb.Range("Sheet1!A1:B4")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := r.SetValues(ctx, [][]any{{"Region", "Sales"}, {"North", 1200}, {"South", 980}, {"Total", "=SUM(B2:B3)"}}); err != nil {
		log.Fatal(err)
	}
	data, err := r.Get(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, row := range data.Text {
		fmt.Println(strings.Join(row, "\t"))
	}
	fmt.Println(data.Formulas[3][1])
	// Output:
	// Region	Sales
	// North	1200
	// South	980
	// Total	2180
	// =SUM(B2:B3)
}

// A grid whose shape differs from the range's is refused before any
// request is sent.
func ExampleRange_SetValues_shape() {
	account, srv := exampleAccount()
	defer srv.Close()
	ctx := context.Background()
	d, _ := account.Storage().DefaultDrive(ctx)
	root, _ := d.Root(ctx)
	item, _ := root.Upload(ctx, "Shape.xlsx", strings.NewReader("x"), 1, nil)
	wb, err := excel.Open(ctx, item, excel.WithoutSession())
	if err != nil {
		log.Fatal(err)
	}
	r, _ := wb.Range("Sheet1!A1:C2")
	_, err = r.SetValues(ctx, [][]any{{1, 2, 3}, {4, 5}})
	fmt.Println(err)
	_, err = wb.Range("Sheet1!A0")
	fmt.Println(err)
	// Output:
	// o365: excel: values for Sheet1!A1:C2: row 2 has 2 value(s); the range has 3 column(s)
	// o365: excel: range address "Sheet1!A0": row of "A0" is outside 1 to 1048576
}

// A persistent session that lapsed is reported, so the caller can decide
// what to redo; a temporary one would have been replaced.
func ExampleErrSessionExpired() {
	account, srv := exampleAccount()
	defer srv.Close()
	ctx := context.Background()
	d, _ := account.Storage().DefaultDrive(ctx)
	root, _ := d.Root(ctx)
	item, _ := root.Upload(ctx, "Lapse.xlsx", strings.NewReader("x"), 1, nil)
	wb, err := excel.Open(ctx, item)
	if err != nil {
		log.Fatal(err)
	}
	srv.ExpireWorkbookSessions() // as if it stayed idle too long
	r, _ := wb.Range("Sheet1!A1")
	_, err = r.SetValues(ctx, [][]any{{"x"}})
	if errors.Is(err, excel.ErrSessionExpired) {
		fmt.Println("session expired; reopening")
		wb.Close(ctx) // stops the keep-alive; a lapsed session is no error
		wb, err = excel.Open(ctx, item)
		if err != nil {
			log.Fatal(err)
		}
		r, _ = wb.Range("Sheet1!A1")
		_, err = r.SetValues(ctx, [][]any{{"x"}})
	}
	fmt.Println(err)
	wb.Close(ctx)
	// Output:
	// session expired; reopening
	// <nil>
}
