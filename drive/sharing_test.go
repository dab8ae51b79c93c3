package drive_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/drive"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/query"
)

func TestSharingLinks(t *testing.T) {
	e := newEnv(t)
	root := e.root(adele)
	f := e.upload(root, "flyer.txt", []byte("come to the party"))
	expires := time.Now().Add(48 * time.Hour).Truncate(time.Second)
	view, err := f.CreateLink(e.ctx, drive.LinkOptions{Type: drive.LinkView, Scope: drive.ScopeAnonymous, Expiration: expires})
	if err != nil {
		t.Fatal(err)
	}
	if view.Link == nil || view.Link.Type != "view" || view.Link.Scope != "anonymous" || !slices.Equal(view.Roles, []string{"read"}) ||
		!view.ExpirationDateTime.Equal(expires) || view.HasPassword {
		t.Fatalf("view link = %+v", view)
	}
	// An anonymous link opens without signing in.
	resp, err := http.Get(view.Link.WebURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "come to the party" {
		t.Fatalf("opening the link: %d %q", resp.StatusCode, body)
	}
	again, err := f.CreateLink(e.ctx, drive.LinkOptions{Type: drive.LinkView, Scope: drive.ScopeAnonymous})
	if err != nil || again.ID != view.ID {
		t.Fatalf("the same link again: %+v, %v", again, err)
	}
	edit, err := f.CreateLink(e.ctx, drive.LinkOptions{Type: drive.LinkEdit, Scope: drive.ScopeOrganization, Password: "p4ss"})
	if err != nil || !slices.Equal(edit.Roles, []string{"write"}) || !edit.HasPassword {
		t.Fatalf("edit link = %+v, %v", edit, err)
	}
	if resp, err := http.Get(edit.Link.WebURL); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("an organization link opened anonymously: %v %v", resp.StatusCode, err)
	}
	embed, err := f.CreateLink(e.ctx, drive.LinkOptions{Type: drive.LinkEmbed})
	if err != nil || embed.Link.WebHTML == "" {
		t.Fatalf("embed link = %+v, %v", embed, err)
	}
	for _, bad := range []drive.LinkOptions{{}, {Type: "share"}, {Type: drive.LinkView, Scope: "world"}} {
		if _, err := f.CreateLink(e.ctx, bad); err == nil {
			t.Errorf("CreateLink(%+v) did not fail", bad)
		}
	}
	if err := view.Delete(e.ctx); err != nil {
		t.Fatal(err)
	}
	if resp, err := http.Get(view.Link.WebURL); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Fatalf("a deleted link still opens: %v", err)
	}
}

func TestInviteSharesWithAnotherUser(t *testing.T) {
	e := newEnv(t)
	root := e.root(adele)
	folder := e.folder(root, "Shared")
	f := e.upload(folder, "budget.xlsx", []byte("numbers"))
	alexDrive := e.drive(alex)

	// Before: Alex cannot reach it.
	if _, err := e.accounts[alex].Storage().Drive(e.ctx, f.ParentReference.DriveID); !errors.Is(err, o365.ErrForbidden) {
		t.Fatalf("Alex reading Adele's drive: %v", err)
	}
	perms, err := folder.Invite(e.ctx, drive.Invitation{Recipients: []string{alex}, Roles: []string{"read"},
		Message: "for the meeting", RequireSignIn: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(perms) != 1 || perms[0].GrantedTo == nil || perms[0].GrantedTo.User.DisplayName != "Alex Wilber" ||
		perms[0].Invitation == nil || !perms[0].Invitation.SignInRequired {
		t.Fatalf("permissions = %+v", perms)
	}
	shared := o365test.Collect(t, alexDrive.SharedWithMe(e.ctx))
	if len(shared) != 1 || shared[0].RemoteItem == nil || shared[0].RemoteItem.Name != "Shared" {
		t.Fatalf("shared with Alex = %+v", shared)
	}
	// Alex acts on the shared folder through the remote item.
	kids := o365test.Collect(t, shared[0].Children(e.ctx))
	if len(kids) != 1 || string(e.download(kids[0], nil)) != "numbers" {
		t.Fatalf("Alex listing the shared folder: %+v", kids)
	}
	if err := kids[0].Overwrite(e.ctx, bytes.NewReader([]byte("x")), 1, nil); !errors.Is(err, o365.ErrForbidden) {
		t.Fatalf("Alex writing with read access: %v", err)
	}
	// The file's permissions show the folder's as inherited.
	fp := o365test.Collect(t, f.Permissions(e.ctx))
	var inherited *drive.Permission
	for _, p := range fp {
		if p.InheritedFrom != nil {
			inherited = p
		}
	}
	if inherited == nil || inherited.InheritedFrom.ID != folder.ID {
		t.Fatalf("file permissions = %+v", fp)
	}
	if err := inherited.Delete(e.ctx); !errors.Is(err, o365.ErrBadRequest) {
		t.Fatalf("deleting an inherited permission: %v", err)
	}
	// Granting write, then taking everything back.
	perms[0].Roles = []string{"write"}
	mark := e.wire.Mark()
	if err := perms[0].Update(e.ctx); err != nil {
		t.Fatal(err)
	}
	if reqs := e.wire.Since(mark); len(reqs) != 1 || reqs[0].Body != `{"roles":["write"]}` {
		t.Fatalf("permission update sent %+v", reqs)
	}
	if err := kids[0].Overwrite(e.ctx, bytes.NewReader([]byte("more numbers")), 12, nil); err != nil {
		t.Fatalf("Alex writing with write access: %v", err)
	}
	if err := perms[0].Delete(e.ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := kids[0].Download(e.ctx, io.Discard, nil); !errors.Is(err, o365.ErrForbidden) {
		t.Fatalf("Alex after the permission is gone: %v", err)
	}
	if n := len(o365test.Collect(t, alexDrive.SharedWithMe(e.ctx))); n != 0 {
		t.Fatalf("still %d items shared with Alex", n)
	}
	for _, bad := range []drive.Invitation{{}, {Recipients: []string{"not an address"}}, {Recipients: []string{alex}, Roles: []string{"owner"}}} {
		if _, err := f.Invite(e.ctx, bad); err == nil {
			t.Errorf("Invite(%+v) did not fail", bad)
		}
	}
	// An address that is not a user gets an invitation.
	ext, err := f.Invite(e.ctx, drive.Invitation{Recipients: []string{"guest@fabrikam.com"}, SendInvitation: true})
	if err != nil || ext[0].Invitation.Email != "guest@fabrikam.com" || ext[0].GrantedTo != nil {
		t.Fatalf("external invitation = %+v, %v", ext, err)
	}
}

func pngImage(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 200, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestThumbnails(t *testing.T) {
	e := newEnv(t)
	root := e.root(adele)
	photo := e.upload(root, "photo.png", pngImage(t, 400, 200))
	if photo.Image == nil || photo.Image.Width != 400 || photo.Image.Height != 200 {
		t.Fatalf("image facet = %+v", photo.Image)
	}
	sets := o365test.Collect(t, photo.ThumbnailSets(e.ctx))
	if len(sets) != 1 {
		t.Fatalf("thumbnail sets = %+v", sets)
	}
	s := sets[0]
	if s.Small.Width != 96 || s.Small.Height != 48 || s.Medium.Width != 176 || s.Large.Width != 400 {
		t.Fatalf("sizes: small %+v medium %+v large %+v", s.Small, s.Medium, s.Large)
	}
	var buf bytes.Buffer
	if _, err := s.Download(e.ctx, drive.ThumbnailSmall, &buf); err != nil {
		t.Fatal(err)
	}
	img, err := jpeg.Decode(&buf)
	if err != nil || img.Bounds().Dx() != 96 || img.Bounds().Dy() != 48 {
		t.Fatalf("small thumbnail: %v %v", img.Bounds(), err)
	}
	buf.Reset()
	if _, err := s.Download(e.ctx, "c50x50_crop", &buf); err != nil {
		t.Fatalf("custom size: %v", err)
	}
	// Listing children with $expand=thumbnails fills them in one request.
	e.upload(root, "notes.txt", []byte("no pictures here"))
	for _, it := range o365test.Collect(t, root.Children(e.ctx, o365.Query(query.New().Expand("thumbnails")))) {
		switch it.Name {
		case "photo.png":
			if len(it.Thumbnails) != 1 || it.Thumbnails[0].Medium.Height != 88 {
				t.Errorf("expanded thumbnails = %+v", it.Thumbnails)
				continue
			}
			buf.Reset()
			if _, err := it.Thumbnails[0].Download(e.ctx, drive.ThumbnailMedium, &buf); err != nil || buf.Len() == 0 {
				t.Errorf("expanded thumbnail download: %v", err)
			}
		case "notes.txt":
			if len(it.Thumbnails) != 0 {
				t.Errorf("a text file has thumbnails %+v", it.Thumbnails)
			}
		}
	}
}

func TestSearchRecentSharedAndDelta(t *testing.T) {
	e := newEnv(t)
	d := e.drive(adele)
	root := e.root(adele)
	plan := e.upload(root, "Contoso Project Plan.docx", []byte("plan"))
	e.upload(root, "Projects/contoso budget.xlsx", []byte("budget"))
	e.upload(root, "holiday.jpg", []byte("not really a jpeg"))
	var names []string
	for _, it := range o365test.Collect(t, d.Search(e.ctx, "contoso")) {
		names = append(names, it.Name)
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"Contoso Project Plan.docx", "contoso budget.xlsx"}) {
		t.Fatalf("search found %v", names)
	}
	projects, err := d.ItemByPath(e.ctx, "Projects")
	if err != nil {
		t.Fatal(err)
	}
	if found := o365test.Collect(t, projects.Search(e.ctx, "contoso")); len(found) != 1 {
		t.Fatalf("folder search found %d", len(found))
	}
	if _, err := collectErr(d.Search(e.ctx, "  ")); err == nil {
		t.Fatal("an empty search did not fail")
	}
	recent := o365test.Collect(t, d.Recent(e.ctx))
	if len(recent) != 3 || recent[0].Name != "holiday.jpg" {
		t.Fatalf("recent = %v", recent)
	}

	// Delta: a first round lists everything and ends with a link.
	round := d.Delta("", o365.BatchSize(2))
	all := o365test.Collect(t, round.Items(e.ctx))
	if len(all) != 5 || round.Link() == "" {
		t.Fatalf("first round: %d items, link %q", len(all), round.Link())
	}
	// Changes since: a rename, a new file, a deletion.
	plan.Name = "Plan.docx"
	if err := plan.Update(e.ctx); err != nil {
		t.Fatal(err)
	}
	e.upload(root, "new.txt", []byte("new"))
	gone, _ := d.ItemByPath(e.ctx, "holiday.jpg")
	if err := gone.Delete(e.ctx); err != nil {
		t.Fatal(err)
	}
	next := d.Delta(round.Link())
	changed := map[string]*drive.DriveItem{}
	for _, it := range o365test.Collect(t, next.Items(e.ctx)) {
		changed[it.ID] = it
	}
	if changed[plan.ID] == nil || changed[plan.ID].Name != "Plan.docx" || changed[gone.ID] == nil || changed[gone.ID].Deleted == nil {
		t.Fatalf("second round = %v", changed)
	}
	if _, ok := changed[projects.ID]; ok {
		t.Errorf("an unchanged folder came back")
	}
	if next.Link() == "" || next.Link() == round.Link() {
		t.Fatalf("second round link %q", next.Link())
	}
	// Nothing changed: an empty round.
	quiet := d.Delta(next.Link())
	if n := len(o365test.Collect(t, quiet.Items(e.ctx))); n != 0 {
		t.Fatalf("a quiet round has %d items", n)
	}
	// token=latest: only a link.
	latest := d.Delta("", api.Param("token", "latest"))
	if n := len(o365test.Collect(t, latest.Items(e.ctx))); n != 0 || latest.Link() == "" {
		t.Fatalf("latest round: %d items, link %q", n, latest.Link())
	}
	e.srv.ExpireDeltaTokens()
	if _, err := collectErr(d.Delta(latest.Link()).Items(e.ctx)); !errors.Is(err, o365.ErrSyncStateNotFound) {
		t.Fatalf("an expired link: %v, want ErrSyncStateNotFound", err)
	}
}

func collectErr[T any](seq func(func(T, error) bool)) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

// TestAppOnlyReachesEveryDrive uses the client-credentials flow: an app
// reaches any user's drive by naming the user.
func TestAppOnlyReachesEveryDrive(t *testing.T) {
	e := newEnv(t)
	e.upload(e.root(adele), "adele.txt", []byte("mine"))
	app := o365test.SignInApp(t, e.srv, o365.WithTenant("contoso"))
	d, err := app.Storage(adele).DefaultDrive(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	f, err := d.ItemByPath(e.ctx, "adele.txt")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.Download(e.ctx, &buf, nil); err != nil || buf.String() != "mine" {
		t.Fatalf("app download: %q, %v", buf.String(), err)
	}
	if _, err := app.Storage().DefaultDrive(e.ctx); !errors.Is(err, o365.ErrBadRequest) {
		t.Fatalf("/me/drive as an app: %v", err)
	}
}
