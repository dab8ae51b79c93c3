package drive_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/drive"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/token"
)

// exampleAccount starts graphtest with Adele signed in. In an application
// the account comes from o365.NewAccount with your app's credentials.
func exampleAccount() (*o365.Account, func()) {
	srv := graphtest.NewServer()
	srv.AddApp(graphtest.App{ClientID: clientID, ClientSecret: secret})
	srv.AddUser(graphtest.User{UserPrincipalName: adele, DisplayName: "Adele Vance", Password: password})
	acct := o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: secret},
		o365.WithCloud(o365.Cloud{Login: srv.LoginURL(), Graph: srv.GraphURL()}),
		o365.WithTokenBackend(token.NewMemoryBackend()),
		o365.WithAuthFlow(o365.PasswordFlow), o365.WithPassword(adele, password),
		o365.WithScopes("onedrive"))
	if _, err := acct.Authenticate(context.Background()); err != nil {
		log.Fatal(err)
	}
	return acct, srv.Close
}

// Upload a file of any size, list a folder, and download the file back.
func Example() {
	account, done := exampleAccount()
	defer done()
	ctx := context.Background()

	d, err := account.Storage().DefaultDrive(ctx)
	if err != nil {
		log.Fatal(err)
	}
	root, err := d.Root(ctx)
	if err != nil {
		log.Fatal(err)
	}
	report := strings.Repeat("quarterly figures\n", 400_000) // 6.9 MiB: an upload session
	f, err := root.Upload(ctx, "Reports/Q1.txt", strings.NewReader(report), int64(len(report)), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("uploaded", f.Name, f.Size, "bytes")

	reports, err := d.ItemByPath(ctx, "Reports")
	if err != nil {
		log.Fatal(err)
	}
	for it, err := range reports.Children(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("in Reports:", it.Name)
	}

	var back bytes.Buffer
	if _, err := f.Download(ctx, &back, &drive.DownloadOptions{Offset: 0, Length: 17}); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("first line: %q\n", back.String())
	// Output:
	// uploaded Q1.txt 7200000 bytes
	// in Reports: Q1.txt
	// first line: "quarterly figures"
}

// A progress callback follows a large upload chunk by chunk.
func ExampleDriveItem_Upload() {
	account, done := exampleAccount()
	defer done()
	ctx := context.Background()
	d, _ := account.Storage().DefaultDrive(ctx)
	root, _ := d.Root(ctx)

	data := bytes.Repeat([]byte{0xAB}, 10<<20)
	f, err := root.Upload(ctx, "disk.img", bytes.NewReader(data), int64(len(data)), &drive.UploadOptions{
		ChunkSize: 12 * drive.ChunkUnit, // 3.75 MiB
		Conflict:  drive.ConflictRename,
		Progress:  func(sent, total int64) { fmt.Printf("%d%%\n", sent*100/total) },
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(f.Name, f.File.Hashes.QuickXorHash == drive.QuickXorHashString(data))
	// Output:
	// 37%
	// 75%
	// 100%
	// disk.img true
}

// An upload that fails midway can be resumed, here or in another process,
// from the session URL alone.
func ExampleStorage_ResumeUpload() {
	account, done := exampleAccount()
	defer done()
	ctx := context.Background()
	st := account.Storage()
	d, _ := st.DefaultDrive(ctx)
	root, _ := d.Root(ctx)
	data := bytes.Repeat([]byte("0123456789"), 1<<20) // 10 MiB

	_, err := root.Upload(ctx, "big.bin", &failingReader{r: bytes.NewReader(data), n: 5 << 20}, int64(len(data)),
		&drive.UploadOptions{ChunkSize: 8 * drive.ChunkUnit})
	var ue *drive.UploadError
	if !errors.As(err, &ue) {
		log.Fatal(err)
	}
	url := ue.Session.UploadURL // save it; it is a credential

	// Later: the session says what it still expects, and only that is sent.
	f, err := st.ResumeUpload(ctx, &api.UploadSession{UploadURL: url}, bytes.NewReader(data), int64(len(data)),
		&drive.UploadOptions{ChunkSize: 8 * drive.ChunkUnit, Progress: func(sent, _ int64) { fmt.Println("at", sent) }})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(f.Name, f.Size)
	// Output:
	// at 5242880
	// at 7864320
	// at 10485760
	// big.bin 10485760
}

// Copy waits for Graph's background copy to finish.
func ExampleDriveItem_Copy() {
	account, done := exampleAccount()
	defer done()
	ctx := context.Background()
	d, _ := account.Storage().DefaultDrive(ctx)
	root, _ := d.Root(ctx)
	f, _ := root.Upload(ctx, "plan.txt", strings.NewReader("the plan"), 8, nil)
	archive, _ := root.CreateFolder(ctx, "Archive", drive.ConflictFail)

	copied, err := f.Copy(ctx, archive, "plan (2026).txt")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(copied.Name, copied.ParentReference.ID == archive.ID)

	// Copying again onto the same name fails at Graph: the monitor says so.
	_, err = f.Copy(ctx, archive, "plan (2026).txt")
	var failed *drive.OperationError
	fmt.Println(errors.As(err, &failed), failed.Status.Error.Code)
	// Output:
	// plan (2026).txt true
	// true nameAlreadyExists
}

// A delta round lists what changed since the previous one.
func ExampleDrive_Delta() {
	account, done := exampleAccount()
	defer done()
	ctx := context.Background()
	d, _ := account.Storage().DefaultDrive(ctx)
	root, _ := d.Root(ctx)

	first := d.Delta("")
	for _, err := range first.Items(ctx) {
		if err != nil {
			log.Fatal(err)
		}
	}
	link := first.Link() // keep it for next time

	root.Upload(ctx, "new.txt", strings.NewReader("new"), 3, nil)
	next := d.Delta(link)
	for it, err := range next.Items(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("changed:", it.Name)
	}
	// Output:
	// changed: root
	// changed: new.txt
}

// Share an item with a link and with a colleague.
func ExampleDriveItem_CreateLink() {
	account, done := exampleAccount()
	defer done()
	ctx := context.Background()
	d, _ := account.Storage().DefaultDrive(ctx)
	root, _ := d.Root(ctx)
	f, _ := root.Upload(ctx, "flyer.pdf", strings.NewReader("%PDF"), 4, nil)

	link, err := f.CreateLink(ctx, drive.LinkOptions{Type: drive.LinkView, Scope: drive.ScopeAnonymous})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(link.Link.Type, link.Link.Scope, link.Roles)
	// Output:
	// view anonymous [read]
}
