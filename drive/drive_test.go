package drive_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/drive"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/query"
)

func TestDefaultDriveAndDrives(t *testing.T) {
	e := newEnv(t)
	st := e.accounts[adele].Storage()
	d, err := st.DefaultDrive(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d.ID == "" || d.DriveType != "business" || d.Owner == nil || d.Owner.User.DisplayName != "Adele Vance" || d.Quota == nil {
		t.Fatalf("default drive = %+v", d)
	}
	drives := o365test.Collect(t, st.Drives(e.ctx))
	if len(drives) != 1 || drives[0].ID != d.ID {
		t.Fatalf("Drives = %v, want the one default drive", drives)
	}
	byID, err := st.Drive(e.ctx, d.ID)
	if err != nil || byID.ID != d.ID || byID.Name != d.Name {
		t.Fatalf("Drive(id) = %+v, %v", byID, err)
	}
	if _, err := st.Drive(e.ctx, ""); err == nil {
		t.Fatal("Drive(\"\") did not fail")
	}
	if _, err := st.Drive(e.ctx, "b!nope"); !errors.Is(err, o365.ErrNotFound) {
		t.Fatalf("unknown drive: %v, want ErrNotFound", err)
	}
}

func TestAnotherUsersDriveIsForbidden(t *testing.T) {
	e := newEnv(t)
	_, err := e.accounts[alex].Storage(adele).DefaultDrive(e.ctx)
	if !errors.Is(err, o365.ErrForbidden) {
		t.Fatalf("Alex reading Adele's drive: %v, want ErrForbidden", err)
	}
	var ge *o365.GraphError
	if !errors.As(err, &ge) || ge.Code != "accessDenied" {
		t.Fatalf("error %v is not Graph's accessDenied", err)
	}
}

func TestGroupDrives(t *testing.T) {
	e := newEnv(t)
	id := e.srv.AddGroupDrive("0b6d3e8c-group", "Team Files")
	e.srv.AddGroupDrive("0b6d3e8c-group", "Archive")
	st := e.accounts[alex].Storage("groups/0b6d3e8c-group")
	d, err := st.DefaultDrive(e.ctx)
	if err != nil || d.ID != id || d.Name != "Team Files" || d.DriveType != "documentLibrary" {
		t.Fatalf("group default drive = %+v, %v", d, err)
	}
	names := []string{}
	for _, d := range o365test.Collect(t, st.Drives(e.ctx)) {
		names = append(names, d.Name)
	}
	if !slices.Equal(names, []string{"Team Files", "Archive"}) {
		t.Fatalf("group drives = %v", names)
	}
	root, err := d.Root(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	e.upload(root, "notes.txt", []byte("shared by the team"))
}

func TestRootSpecialItemAndPath(t *testing.T) {
	e := newEnv(t)
	d := e.drive(adele)
	root, err := d.Root(e.ctx)
	if err != nil || root.Root == nil || root.Folder == nil {
		t.Fatalf("root = %+v, %v", root, err)
	}
	docs, err := d.Special(e.ctx, drive.SpecialDocuments)
	if err != nil || docs.SpecialFolder == nil || docs.SpecialFolder.Name != "documents" || docs.Name != "Documents" {
		t.Fatalf("documents = %+v, %v", docs, err)
	}
	app, err := d.Special(e.ctx, drive.SpecialAppRoot)
	if err != nil || app.ParentReference == nil || !strings.HasSuffix(app.ParentReference.Path, "/Apps") {
		t.Fatalf("approot = %+v, %v", app, err)
	}
	if _, err := d.Special(e.ctx, "nonsense"); !errors.Is(err, o365.ErrBadRequest) {
		t.Fatalf("unknown special folder: %v", err)
	}
	f := e.upload(docs, "plan.txt", []byte("the plan"))
	byID, err := d.Item(e.ctx, f.ID)
	if err != nil || byID.Name != "plan.txt" || byID.Size != 8 || byID.File == nil {
		t.Fatalf("Item = %+v, %v", byID, err)
	}
	byPath, err := d.ItemByPath(e.ctx, "/Documents/plan.txt")
	if err != nil || byPath.ID != f.ID {
		t.Fatalf("ItemByPath = %+v, %v", byPath, err)
	}
	rel, err := docs.ItemByPath(e.ctx, "plan.txt")
	if err != nil || rel.ID != f.ID {
		t.Fatalf("folder.ItemByPath = %+v, %v", rel, err)
	}
	if _, err := d.ItemByPath(e.ctx, "Documents/missing.txt"); !errors.Is(err, o365.ErrNotFound) {
		t.Fatalf("missing path: %v", err)
	}
	for _, bad := range []string{"", "/", "a/../b", "./x"} {
		if _, err := d.ItemByPath(e.ctx, bad); err == nil {
			t.Errorf("ItemByPath(%q) did not fail", bad)
		}
	}
}

// TestReservedCharactersInPaths round-trips names holding every character
// that means something in a URL or to Graph's path syntax.
func TestReservedCharactersInPaths(t *testing.T) {
	e := newEnv(t)
	d := e.drive(adele)
	root := e.root(adele)
	names := []string{
		"100% sure #1 & 'quoted' (copy) [x] {y} ~z; a=b, c+d @home $5 !.txt",
		"ünïcødé 日本語 emoji 😀.txt",
		"percent %2F not a slash %3A.txt",
		"trailing dots...and spaces  inside.txt",
	}
	folder := e.folder(root, "Q1 #2 'drafts' %")
	for i, name := range names {
		data := []byte("file " + name)
		f := e.upload(folder, name, data)
		if f.Name != name {
			t.Errorf("uploaded %q, got name %q", name, f.Name)
		}
		got, err := d.ItemByPath(e.ctx, "Q1 #2 'drafts' %/"+name)
		if err != nil || got.ID != f.ID {
			t.Errorf("ItemByPath(%q) = %v, %v", name, got, err)
			continue
		}
		if !bytes.Equal(e.download(got, nil), data) {
			t.Errorf("content of %q differs", name)
		}
		stored, err := e.srv.FileContent(d.ID, "Q1 #2 'drafts' %/"+name)
		if err != nil || !bytes.Equal(stored, data) {
			t.Errorf("server holds %q = %q, %v", name, stored, err)
		}
		if i == 0 {
			found := o365test.Collect(t, d.Search(e.ctx, "'quoted'"))
			if len(found) != 1 || found[0].ID != f.ID {
				t.Errorf("search with quotes found %v", found)
			}
		}
	}
	// Names OneDrive refuses arrive whole (escaped) and are refused by
	// the service, not misread as query or path syntax.
	for _, bad := range []string{"what?.txt", "a:b.txt", "star*.txt"} {
		_, err := root.Upload(e.ctx, bad, strings.NewReader("x"), 1, nil)
		var ge *o365.GraphError
		if !errors.As(err, &ge) || ge.StatusCode != 400 || !strings.Contains(ge.Message, bad) {
			t.Errorf("upload of %q: %v, want 400 naming it", bad, err)
		}
	}
}

func TestChildrenPagingAndQuery(t *testing.T) {
	e := newEnv(t)
	root := e.root(adele)
	folder := e.folder(root, "many")
	for i := range 7 {
		e.upload(folder, string(rune('a'+i))+".txt", bytes.Repeat([]byte("x"), i+1))
	}
	e.folder(folder, "sub")
	mark := e.wire.Mark()
	all := o365test.Collect(t, folder.Children(e.ctx, o365.BatchSize(3)))
	if len(all) != 8 {
		t.Fatalf("got %d children, want 8", len(all))
	}
	pages := 0
	for _, s := range e.wire.Since(mark) {
		if strings.Contains(s.URL, "/children") {
			pages++
		}
	}
	if pages != 3 {
		t.Errorf("8 children in pages of 3 took %d requests, want 3", pages)
	}
	top := o365test.Collect(t, folder.Children(e.ctx, o365.Limit(2)))
	if len(top) != 2 {
		t.Errorf("Limit(2) gave %d", len(top))
	}
	q := query.New().Where(query.Gt("size", 4)).OrderBy("size", query.Desc).Select("name", "size")
	big := o365test.Collect(t, folder.Children(e.ctx, o365.Query(q)))
	var got []string
	for _, it := range big {
		got = append(got, it.Name)
	}
	if !slices.Equal(got, []string{"g.txt", "f.txt", "e.txt"}) {
		t.Errorf("size > 4 by size desc = %v", got)
	}
	if big[0].File != nil {
		t.Errorf("$select name,size still sent the file facet")
	}
	// A file has no children: Graph says so.
	var it *drive.DriveItem
	for c, err := range folder.Children(e.ctx, o365.Limit(1)) {
		if err != nil {
			t.Fatal(err)
		}
		it = c
	}
	for _, err := range it.Children(e.ctx) {
		if !errors.Is(err, o365.ErrBadRequest) {
			t.Errorf("children of a file: %v", err)
		}
	}
}

func TestCreateFolderConflicts(t *testing.T) {
	e := newEnv(t)
	root := e.root(adele)
	first := e.folder(root, "Reports")
	if first.Folder == nil || first.Name != "Reports" {
		t.Fatalf("folder = %+v", first)
	}
	if _, err := root.CreateFolder(e.ctx, "reports", drive.ConflictFail); !errors.Is(err, o365.ErrConflict) {
		t.Fatalf("fail on a taken name (any case): %v", err)
	}
	renamed, err := root.CreateFolder(e.ctx, "Reports", drive.ConflictRename)
	if err != nil || renamed.Name != "Reports 1" {
		t.Fatalf("rename: %+v, %v", renamed, err)
	}
	replaced, err := root.CreateFolder(e.ctx, "Reports", drive.ConflictReplace)
	if err != nil || replaced.ID == first.ID {
		t.Fatalf("replace: %+v, %v", replaced, err)
	}
	if _, err := e.drive(adele).Item(e.ctx, first.ID); !errors.Is(err, o365.ErrNotFound) {
		t.Fatalf("the replaced folder is still there: %v", err)
	}
	for _, bad := range []string{"", "a/b", ".."} {
		if _, err := root.CreateFolder(e.ctx, bad, ""); err == nil {
			t.Errorf("CreateFolder(%q) did not fail", bad)
		}
	}
	if _, err := root.CreateFolder(e.ctx, "x", "merge"); err == nil || !strings.Contains(err.Error(), "merge") {
		t.Errorf("unknown conflict behaviour: %v", err)
	}
}

func TestUpdateSendsOnlyChangedFields(t *testing.T) {
	e := newEnv(t)
	root := e.root(adele)
	f := e.upload(root, "draft.txt", []byte("text"))
	mark := e.wire.Mark()
	if err := f.Update(e.ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(e.wire.Since(mark)); n != 0 {
		t.Fatalf("Update with no change sent %d requests", n)
	}
	f.Name = "final.txt"
	if err := f.Update(e.ctx); err != nil {
		t.Fatal(err)
	}
	reqs := e.wire.Since(mark)
	if len(reqs) != 1 || reqs[0].Method != "PATCH" || reqs[0].Body != `{"name":"final.txt"}` {
		t.Fatalf("rename sent %+v", reqs)
	}
	f.Description = "the final text"
	mark = e.wire.Mark()
	if err := f.Update(e.ctx); err != nil {
		t.Fatal(err)
	}
	if reqs := e.wire.Since(mark); reqs[0].Body != `{"description":"the final text"}` {
		t.Fatalf("description update sent %s", reqs[0].Body)
	}
	got, err := e.drive(adele).ItemByPath(e.ctx, "final.txt")
	if err != nil || got.Description != "the final text" {
		t.Fatalf("after update: %+v, %v", got, err)
	}
	other := e.upload(root, "other.txt", []byte("o"))
	other.Name = "final.txt"
	if err := other.Update(e.ctx); !errors.Is(err, o365.ErrConflict) {
		t.Fatalf("renaming onto a taken name: %v", err)
	}
}

func TestMove(t *testing.T) {
	e := newEnv(t)
	root := e.root(adele)
	f := e.upload(root, "a.txt", []byte("a"))
	archive := e.folder(root, "Archive")
	if err := f.Move(e.ctx, archive, "b.txt"); err != nil {
		t.Fatal(err)
	}
	if f.Name != "b.txt" || f.ParentReference.ID != archive.ID {
		t.Fatalf("after move: %+v", f)
	}
	if _, err := e.drive(adele).ItemByPath(e.ctx, "Archive/b.txt"); err != nil {
		t.Fatal(err)
	}
	if err := archive.Move(e.ctx, archive, ""); !errors.Is(err, o365.ErrBadRequest) {
		t.Fatalf("moving a folder into itself: %v", err)
	}
	groupRoot := func() *drive.DriveItem {
		e.srv.AddGroupDrive("g1", "Team")
		d, err := e.accounts[adele].Storage("groups/g1").DefaultDrive(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		r, err := d.Root(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}()
	mark := e.wire.Mark()
	if err := f.Move(e.ctx, groupRoot, ""); err == nil || !strings.Contains(err.Error(), "Copy") {
		t.Fatalf("move across drives: %v", err)
	}
	if n := len(e.wire.Since(mark)); n != 0 {
		t.Fatalf("a move across drives sent %d requests", n)
	}
}

func TestDeleteAndRestore(t *testing.T) {
	e := newEnv(t)
	d := e.drive(adele)
	root := e.root(adele)
	f := e.upload(root, "gone.txt", []byte("soon gone"))
	if err := f.Delete(e.ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Item(e.ctx, f.ID); !errors.Is(err, o365.ErrNotFound) {
		t.Fatalf("deleted item still found: %v", err)
	}
	if err := f.Restore(e.ctx); err != nil {
		t.Fatal(err)
	}
	if got, err := d.ItemByPath(e.ctx, "gone.txt"); err != nil || got.ID != f.ID {
		t.Fatalf("restored item: %+v, %v", got, err)
	}
	if err := f.Restore(e.ctx); !errors.Is(err, o365.ErrBadRequest) {
		t.Fatalf("restoring a live item: %v", err)
	}
	if err := root.Delete(e.ctx); !errors.Is(err, o365.ErrForbidden) {
		t.Fatalf("deleting the root: %v", err)
	}
}

func TestHandMadeItemsFailClearly(t *testing.T) {
	var it drive.DriveItem
	notBound := func(err error) {
		t.Helper()
		if !errors.Is(err, drive.ErrNotBound) {
			t.Errorf("got %v, want ErrNotBound", err)
		}
	}
	e := newEnv(t)
	_, err := it.Download(e.ctx, &bytes.Buffer{}, nil)
	notBound(err)
	notBound(it.Delete(e.ctx))
	_, err = it.Upload(e.ctx, "x", strings.NewReader("x"), 1, nil)
	notBound(err)
	for _, err := range it.Children(e.ctx) {
		notBound(err)
	}
	var p drive.Permission
	notBound(p.Delete(e.ctx))
	var nilItem *drive.DriveItem
	notBound(nilItem.Update(e.ctx))
	root := e.root(adele)
	if _, err := root.Copy(e.ctx, nil, ""); err == nil {
		t.Error("copying beside itself without a new name did not fail")
	}
	var _ api.Requester = root.Con()
}
