package drive_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/drive"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/internal/wiretest"
)

// TestExamplesRoundTrip decodes every OneDrive example response from
// Microsoft's documentation into the library's types and encodes it
// back, losing nothing the types model.
func TestExamplesRoundTrip(t *testing.T) {
	ex := wiretest.Load(t, "testdata/examples.json")
	item := wiretest.RoundTrip[drive.DriveItem]()
	items := wiretest.RoundTrip[api.Page[drive.DriveItem]]()
	perm := wiretest.RoundTrip[drive.Permission]()
	session := wiretest.RoundTrip[api.UploadSession]()
	cases := map[string]wiretest.Check{
		"drive-get#5":                     wiretest.RoundTrip[drive.Drive](),
		"drive-list#4":                    wiretest.RoundTrip[api.Page[drive.Drive]](),
		"drive-get-specialfolder#1":       item,
		"drive-get-specialfolder#2":       items,
		"drive-sharedwithme#1":            items,
		"drive-recent#1":                  items,
		"driveitem-get#1":                 item,
		"driveitem-list-children#3":       items,
		"driveitem-post-children#1":       item,
		"driveitem-update#1":              item,
		"driveitem-move#1":                item,
		"driveitem-put-content#1":         item,
		"driveitem-put-content#2":         item,
		"driveitem-createuploadsession#1": session,
		"driveitem-createuploadsession#2": session,
		"driveitem-createuploadsession#3": session,
		"driveitem-createuploadsession#4": item,
		"driveitem-createuploadsession#5": item,
		"driveitem-createuploadsession#8": session,
		"driveitem-createuploadsession#9": item,
		"driveitem-createlink#1":          perm,
		"driveitem-createlink#2":          perm,
		"driveitem-createlink#3":          perm,
		"driveitem-invite#1":              wiretest.RoundTrip[api.Page[drive.Permission]](),
		"driveitem-list-permissions#1":    wiretest.RoundTrip[api.Page[drive.Permission]](),
		"permission-get#1":                perm,
		"permission-update#1":             perm,
		"driveitem-list-versions#1":       wiretest.RoundTrip[api.Page[drive.Version]](),
		"driveitem-list-thumbnails#1":     wiretest.RoundTrip[api.Page[drive.ThumbnailSet]](),
		"driveitem-list-thumbnails#2":     wiretest.RoundTrip[drive.Thumbnail](),
		"driveitem-list-thumbnails#4":     items,
		"driveitem-search#1":              items,
		"driveitem-search#2":              items,
		"driveitem-delta#1":               items,
		"driveitem-delta#2":               items,
		"driveitem-delta#3":               items,
		"long-running-actions-overview#2": wiretest.RoundTrip[drive.OperationStatus](),
		"long-running-actions-overview#3": wiretest.RoundTrip[drive.OperationStatus](),
		"long-running-actions-overview#4": item,
		"driveitem-list-thumbnails#5":     wiretest.RoundTrip[api.Page[drive.ThumbnailSet]]("value[0].c300x400_crop"),
		"driveitem-createuploadsession#6": func(t *testing.T, b []byte) { errorBody(t, b, 409, "upload_name_conflict") },
	}
	wiretest.CheckResponses(t, ex, cases)
}

// errorBody checks an error example decodes as a Graph error.
func errorBody(t *testing.T, body []byte, status int, code string) {
	ge := api.ParseError(status, nil, body)
	if ge.Code != code || ge.Message == "" {
		t.Errorf("error example decoded as %+v", ge)
	}
}

// TestEmulatorSpeaksGraph performs the operations of Microsoft's examples
// against graphtest and checks that its answers carry every property name
// of the examples, and that the library's requests use only property
// names Microsoft's requests use.
func TestEmulatorSpeaksGraph(t *testing.T) {
	ex := wiretest.Load(t, "testdata/examples.json")
	e := newEnv(t)
	con := e.accounts[adele].Connection()
	d := e.drive(adele)
	root := e.root(adele)
	graph := e.srv.GraphURL() + "/v1.0"

	get := func(url string) []byte { t.Helper(); return wiretest.Get(e.ctx, t, con, url) }
	check := func(id string, got []byte, allowed ...string) {
		t.Helper()
		if missing := wiretest.MissingKeys(ex[id].ResponseBody, got, allowed...); len(missing) > 0 {
			t.Errorf("%s: graphtest's answer lacks %v\n%s", id, missing, got)
		}
	}
	checkRequest := func(id string, sent []byte) {
		t.Helper()
		// The library's names must be Microsoft's (reversed check).
		if extra := wiretest.MissingKeys(sent, ex[id].RequestBody); len(extra) > 0 {
			t.Errorf("%s: the library sent %v, names Microsoft's request does not use\nsent: %s", id, extra, sent)
		}
	}

	check("drive-get#5", get(graph+"/drives/"+d.ID))
	check("drive-list#4", get(graph+"/me/drives"))
	check("driveitem-get#1", get(graph+"/drives/"+d.ID+"/root"))
	check("drive-get-specialfolder#1", get(graph+"/me/drive/special/documents"))

	folder, err := root.CreateFolder(e.ctx, "New Folder", "rename")
	if err != nil {
		t.Fatal(err)
	}
	checkRequest("driveitem-post-children#1", e.wire.LastBody(t, "/children"))
	check("driveitem-post-children#1", get(graph+"/drives/"+d.ID+"/items/"+folder.ID))

	f := e.upload(root, "FileB.txt", []byte("The contents of the file goes here."))
	check("driveitem-put-content#1", get(graph+"/drives/"+d.ID+"/items/"+f.ID))
	check("driveitem-list-children#3", get(graph+"/drives/"+d.ID+"/root/children"))

	f.Name = "new-file-name.docx"
	if err := f.Update(e.ctx); err != nil {
		t.Fatal(err)
	}
	checkRequest("driveitem-update#1", e.wire.LastBody(t, f.ID))
	if err := f.Move(e.ctx, folder, "new-item-name.txt"); err != nil {
		t.Fatal(err)
	}
	checkRequest("driveitem-move#1", e.wire.LastBody(t, f.ID))
	check("driveitem-move#1", get(graph+"/drives/"+d.ID+"/items/"+f.ID))

	// Upload session: create, one chunk, status.
	s, err := root.CreateUploadSession(e.ctx, "largefile.dat", &drive.UploadOptions{Conflict: drive.ConflictRename})
	if err != nil {
		t.Fatal(err)
	}
	checkRequest("driveitem-createuploadsession#1", e.wire.LastBody(t, "createUploadSession"))
	resp, err := con.Post(e.ctx, graph+"/drives/"+d.ID+"/root:/other.dat:/createUploadSession", map[string]any{})
	if err != nil {
		t.Fatal(err)
	}
	created, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	check("driveitem-createuploadsession#1", created)
	chunkBody := bytes.Repeat([]byte("x"), drive.ChunkUnit)
	req, _ := http.NewRequest(http.MethodPut, s.UploadURL, bytes.NewReader(chunkBody))
	req.Header.Set("Content-Range", fmt.Sprintf("bytes 0-%d/%d", drive.ChunkUnit-1, 2*drive.ChunkUnit))
	check("driveitem-createuploadsession#2", plainDo(t, req))
	req, _ = http.NewRequest(http.MethodGet, s.UploadURL, nil)
	check("driveitem-createuploadsession#8", plainDo(t, req))

	// Sharing.
	if _, err := f.CreateLink(e.ctx, drive.LinkOptions{Type: drive.LinkView, Password: "ThisIsMyPrivatePassword", Scope: drive.ScopeAnonymous}); err != nil {
		t.Fatal(err)
	}
	checkRequest("driveitem-createlink#1", e.wire.LastBody(t, "createLink"))
	if _, err := folder.Invite(e.ctx, drive.Invitation{Recipients: []string{alex}, Message: "Here's the file that we're collaborating on.",
		RequireSignIn: true, SendInvitation: true, Roles: []string{"write"}, Password: "password123", Expiration: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	checkRequest("driveitem-invite#1", e.wire.LastBody(t, "invite"))
	if _, err := f.Invite(e.ctx, drive.Invitation{Recipients: []string{alex}}); err != nil {
		t.Fatal(err)
	}
	perms := get(graph + "/drives/" + d.ID + "/items/" + f.ID + "/permissions")
	check("driveitem-list-permissions#1", perms)
	var page api.Page[drive.Permission]
	api.Unmarshal(perms, &page)
	for _, p := range page.Value {
		if p.GrantedTo != nil && p.InheritedFrom == nil && p.ID != "owner" {
			check("permission-get#1", get(graph+"/drives/"+d.ID+"/items/"+f.ID+"/permissions/"+p.ID))
		}
	}

	// Versions and thumbnails.
	if err := f.Overwrite(e.ctx, strings.NewReader("v2"), 2, nil); err != nil {
		t.Fatal(err)
	}
	check("driveitem-list-versions#1", get(graph+"/drives/"+d.ID+"/items/"+f.ID+"/versions"))
	photo := e.upload(root, "my photo.png", pngImage(t, 120, 80))
	check("driveitem-list-thumbnails#1", get(graph+"/drives/"+d.ID+"/items/"+photo.ID+"/thumbnails"))
	check("driveitem-list-thumbnails#2", get(graph+"/drives/"+d.ID+"/items/"+photo.ID+"/thumbnails/0/small"))
	check("driveitem-list-thumbnails#4", get(graph+"/drives/"+d.ID+"/root/children?$expand=thumbnails"))

	// Search and delta.
	e.upload(root, "Contoso Project/plan.txt", []byte("plan"))
	check("driveitem-search#1", get(graph+"/drives/"+d.ID+"/root/search(q='Contoso Project')"))
	round := d.Delta("")
	o365test.Collect(t, round.Items(e.ctx))
	gone := e.upload(root, "file5.txt", []byte("5"))
	if err := gone.Delete(e.ctx); err != nil {
		t.Fatal(err)
	}
	e.upload(root, "file.txt", []byte("file"))
	check("driveitem-delta#2", get(round.Link()))
	check("driveitem-delta#3", get(graph+"/drives/"+d.ID+"/root/delta?token=latest"))

	// Copy and its monitor.
	e.srv.SetCopyPolls(1)
	resp, err = con.Post(e.ctx, graph+"/drives/"+d.ID+"/items/"+folder.ID+"/copy", map[string]any{"name": "Copy of New Folder"})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	monitor := resp.Header.Get("Location")
	req, _ = http.NewRequest(http.MethodGet, monitor, nil)
	check("long-running-actions-overview#2", plainDo(t, req))
	req, _ = http.NewRequest(http.MethodGet, monitor, nil)
	check("long-running-actions-overview#3", plainDo(t, req))
	if _, err := f.Copy(e.ctx, nil, "contoso plan (copy).txt"); err != nil {
		t.Fatal(err)
	}
	checkRequest("driveitem-copy#1", e.wire.LastBody(t, "/copy"))

	// Shared with me and recent.
	alexCon := e.accounts[alex].Connection()
	resp, err = alexCon.Get(e.ctx, graph+"/me/drive/sharedWithMe", nil)
	if err != nil {
		t.Fatal(err)
	}
	shared, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	check("drive-sharedwithme#1", shared)
	// Recent lists the user's own files; items of other drives (remoteItem)
	// are not tracked by the emulator.
	check("drive-recent#1", get(graph+"/me/drive/recent"), "value[].remoteItem", "value[].remoteItem.id",
		"value[].remoteItem.name", "value[].remoteItem.file", "value[].remoteItem.size", "value[].remoteItem.parentReference",
		"value[].remoteItem.parentReference.driveId", "value[].remoteItem.parentReference.id")
}

// plainDo sends req with a plain client (storage URLs need no token).
func plainDo(t *testing.T, req *http.Request) []byte {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		t.Fatalf("%s %s: %d %s", req.Method, req.URL.Path, resp.StatusCode, b)
	}
	return b
}
