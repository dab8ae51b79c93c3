// Package drive works with OneDrive and SharePoint document libraries
// through Microsoft Graph: drives, files and folders, uploads and
// downloads of any size, copies, sharing, versions and thumbnails.
//
// Start from a Storage (account.Storage(), or New(con, protocol)): it
// finds the default drive of its resource, lists drives, and gets a drive
// by id. A Drive gives its root folder, special folders, items by id or
// by path, recent and shared items, search, and delta rounds. A DriveItem
// is a file or a folder with Graph's properties as plain fields; its
// methods list children, create folders, update, move, copy, delete and
// restore, upload and download, share, and list versions and thumbnails.
//
//	st := account.Storage()
//	d, err := st.DefaultDrive(ctx)
//	root, err := d.Root(ctx)
//	f, err := os.Open("video.mp4")
//	info, _ := f.Stat()
//	item, err := root.Upload(ctx, "Videos/video.mp4", f, info.Size(), &drive.UploadOptions{
//		Progress: func(sent, total int64) { fmt.Printf("\r%d%%", sent*100/total) },
//	})
//
// Uploads up to 4 MiB go in one PUT; larger ones stream through an upload
// session in chunks that are multiples of 320 KiB (10 MiB by default, at
// most 60 MiB), holding one chunk in memory whatever the file size. A
// failed chunk is retried after asking the session what it holds, and a
// session interrupted for good comes back as an *UploadError whose
// session can be resumed later, from another process too
// (Storage.ResumeUpload).
//
// Downloads stream to an io.Writer. Graph redirects them to a
// pre-authenticated storage host, and the connection never sends the
// bearer token anywhere but the Graph host. Upload session and monitor
// URLs are credentials themselves and get no token either.
//
// Copies run in the background at Graph: Copy polls the monitor URL until
// the copy is done and returns the new item; the context ends the wait.
//
// Items fetched from a drive carry its connection, so their methods need
// no other argument than a context. A DriveItem built by hand cannot make
// calls: its methods return an error matching ErrNotBound.
package drive
