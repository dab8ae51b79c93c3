package sharepoint_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/query"
	"github.com/go-o365/o365/sharepoint"
)

func TestFindingSites(t *testing.T) {
	e := newEnv(t)
	root, err := e.sp.RootSite(e.ctx)
	if err != nil || root.Root == nil || root.SiteCollection == nil || root.SiteCollection.Hostname != graphtest.DefaultSiteHost {
		t.Fatalf("root site = %+v, %v", root, err)
	}
	byID := e.site(e.marketing.ID)
	if byID.DisplayName != "Marketing" || byID.WebURL != "https://contoso.sharepoint.com/sites/marketing" || byID.Root != nil {
		t.Fatalf("site by id = %+v", byID)
	}
	byPath, err := e.sp.SiteByPath(e.ctx, graphtest.DefaultSiteHost, "/sites/marketing")
	if err != nil || byPath.ID != e.marketing.ID {
		t.Fatalf("site by path = %+v, %v", byPath, err)
	}
	hostRoot, err := e.sp.SiteByPath(e.ctx, graphtest.DefaultSiteHost, "/")
	if err != nil || hostRoot.ID != root.ID {
		t.Fatalf("host root = %+v, %v", hostRoot, err)
	}
	if _, err := e.sp.SiteByPath(e.ctx, graphtest.DefaultSiteHost, "/sites/nowhere"); !errors.Is(err, o365.ErrNotFound) {
		t.Fatalf("unknown path: %v", err)
	}
	for _, bad := range []string{"", "contoso.sharepoint.com/sites", "host:1"} {
		if _, err := e.sp.SiteByPath(e.ctx, bad, "/x"); err == nil {
			t.Errorf("SiteByPath(%q) did not fail", bad)
		}
	}
	if _, err := e.sp.Site(e.ctx, ""); err == nil {
		t.Error("Site(\"\") did not fail")
	}
	var names []string
	for _, s := range o365test.Collect(t, e.sp.Search(e.ctx, "campaign")) {
		names = append(names, s.DisplayName)
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"Campaigns 2026", "Marketing"}) {
		t.Fatalf("search found %v", names)
	}
	if n := len(o365test.Collect(t, e.sp.Search(e.ctx, "*"))); n != 3 {
		t.Fatalf("search * found %d sites", n)
	}
	subs := o365test.Collect(t, byID.Subsites(e.ctx))
	if len(subs) != 1 || subs[0].ID != e.campaigns.ID || subs[0].WebURL != "https://contoso.sharepoint.com/sites/marketing/campaigns" {
		t.Fatalf("subsites = %+v", subs)
	}
	// A subsite's own calls go to it.
	if n := len(o365test.Collect(t, subs[0].Subsites(e.ctx))); n != 0 {
		t.Fatalf("the subsite has %d subsites", n)
	}
}

func TestSiteDocumentLibraries(t *testing.T) {
	e := newEnv(t)
	site := e.site(e.marketing.ID)
	docs, err := site.DefaultDrive(e.ctx)
	if err != nil || docs.DriveType != "documentLibrary" || docs.Name != "Documents" {
		t.Fatalf("default library = %+v, %v", docs, err)
	}
	root, err := docs.Root(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	brief := []byte("Spring campaign brief")
	f, err := root.Upload(e.ctx, "Briefs/spring.docx", bytes.NewReader(brief), int64(len(brief)), nil)
	if err != nil {
		t.Fatal(err)
	}
	if f.ParentReference.DriveID != docs.ID || f.ParentReference.SiteID != site.ID {
		t.Fatalf("uploaded into %+v", f.ParentReference)
	}
	if _, err := site.CreateList(e.ctx, sharepoint.ListDefinition{DisplayName: "Assets", Template: "documentLibrary"}); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range o365test.Collect(t, site.Drives(e.ctx)) {
		names = append(names, d.Name)
	}
	if !slices.Equal(names, []string{"Documents", "Assets"}) {
		t.Fatalf("libraries = %v", names)
	}
	assets, err := site.List(e.ctx, "Assets")
	if err != nil {
		t.Fatal(err)
	}
	ad, err := assets.Drive(e.ctx)
	if err != nil || ad.Name != "Assets" {
		t.Fatalf("the Assets library's drive = %+v, %v", ad, err)
	}
	var buf bytes.Buffer
	got, err := docs.ItemByPath(e.ctx, "Briefs/spring.docx")
	if err == nil {
		_, err = got.Download(e.ctx, &buf, nil)
	}
	if err != nil || !bytes.Equal(buf.Bytes(), brief) {
		t.Fatalf("reading back: %q, %v", buf.Bytes(), err)
	}
}

func booksList(t *testing.T, e *env) (*sharepoint.Site, *sharepoint.List) {
	site := e.site(e.marketing.ID)
	books, err := site.CreateList(e.ctx, sharepoint.ListDefinition{
		DisplayName: "Books",
		Description: "The team library",
		Columns: []sharepoint.ColumnDefinition{
			{Name: "Author", Text: &sharepoint.TextColumn{}, Indexed: true},
			{Name: "PageCount", Number: &sharepoint.NumberColumn{}},
			{Name: "Genre", Choice: &sharepoint.ChoiceColumn{Choices: []string{"Fiction", "Essay"}}},
			{Name: "Read", Boolean: &sharepoint.BooleanColumn{}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return site, books
}

func TestLists(t *testing.T) {
	e := newEnv(t)
	site, books := booksList(t, e)
	if books.DisplayName != "Books" || books.List == nil || books.List.Template != "genericList" {
		t.Fatalf("created list = %+v", books)
	}
	byName, err := site.List(e.ctx, "books")
	if err != nil || byName.ID != books.ID {
		t.Fatalf("list by name: %+v, %v", byName, err)
	}
	byID, err := site.List(e.ctx, books.ID)
	if err != nil || byID.DisplayName != "Books" || byID.Description != "The team library" {
		t.Fatalf("list by id: %+v, %v", byID, err)
	}
	var lists []string
	for _, l := range o365test.Collect(t, site.Lists(e.ctx)) {
		lists = append(lists, l.DisplayName+"/"+l.List.Template)
	}
	if !slices.Equal(lists, []string{"Documents/documentLibrary", "Books/genericList"}) {
		t.Fatalf("lists = %v", lists)
	}
	cols := map[string]*sharepoint.ColumnDefinition{}
	for _, c := range o365test.Collect(t, books.Columns(e.ctx)) {
		cols[c.Name] = c
	}
	if cols["Title"] == nil || cols["Author"] == nil || !cols["Author"].Indexed || cols["PageCount"].Number == nil ||
		cols["Genre"].Choice == nil || !slices.Equal(cols["Genre"].Choice.Choices, []string{"Fiction", "Essay"}) ||
		cols["Read"].Boolean == nil || cols["Created"] == nil || !cols["Created"].ReadOnly {
		t.Fatalf("columns = %v", cols)
	}
	cts := o365test.Collect(t, books.ContentTypes(e.ctx))
	if len(cts) != 1 || cts[0].Name != "Item" {
		t.Fatalf("content types = %+v", cts)
	}
	if _, err := site.CreateList(e.ctx, sharepoint.ListDefinition{DisplayName: "Books"}); !errors.Is(err, o365.ErrConflict) {
		t.Fatalf("a second Books list: %v", err)
	}
	mark := e.wire.Mark()
	if _, err := site.CreateList(e.ctx, sharepoint.ListDefinition{DisplayName: "  "}); err == nil {
		t.Error("a list without a name did not fail")
	}
	if _, err := site.CreateList(e.ctx, sharepoint.ListDefinition{DisplayName: "X", Columns: []sharepoint.ColumnDefinition{{}}}); err == nil {
		t.Error("a column without a name did not fail")
	}
	if n := len(e.wire.Since(mark)); n != 0 {
		t.Errorf("bad lists sent %d requests", n)
	}
	if _, err := site.List(e.ctx, "Missing"); !errors.Is(err, o365.ErrNotFound) {
		t.Fatalf("an unknown list: %v", err)
	}
}

func TestListItems(t *testing.T) {
	e := newEnv(t)
	_, books := booksList(t, e)
	seed := []map[string]any{
		{"Title": "The Dispossessed", "Author": "Ursula K. Le Guin", "PageCount": 387, "Genre": "Fiction"},
		{"Title": "The Left Hand of Darkness", "Author": "Ursula K. Le Guin", "PageCount": 304, "Genre": "Fiction"},
		{"Title": "A Room of One's Own", "Author": "Virginia Woolf", "PageCount": 172, "Genre": "Essay", "Read": true},
		{"Title": "Orlando", "Author": "Virginia Woolf", "PageCount": 333, "Genre": "Fiction"},
	}
	var created []*sharepoint.ListItem
	for _, f := range seed {
		it, err := books.CreateItem(e.ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		created = append(created, it)
	}
	if created[0].ID != "1" || created[0].Fields["Title"] != "The Dispossessed" || created[0].Fields["PageCount"] != 387.0 {
		t.Fatalf("created item = %+v", created[0])
	}

	mark := e.wire.Mark()
	all := o365test.Collect(t, books.Items(e.ctx, o365.BatchSize(3)))
	if len(all) != 4 || all[2].Fields["Title"] != "A Room of One's Own" || all[2].Fields["Read"] != true {
		t.Fatalf("items = %+v", all)
	}
	reqs := e.wire.Since(mark)
	if len(reqs) != 2 || !strings.Contains(reqs[0].URL, "%24expand=fields") {
		t.Fatalf("listing sent %+v", reqs)
	}
	if reqs[0].Header.Get("Prefer") != "" {
		t.Error("a list without a filter sent the Prefer header")
	}

	// Filtering on a field that is not indexed: the library sends the
	// header SharePoint wants, and the quote in the value is escaped.
	mark = e.wire.Mark()
	q := query.New().Where(query.And(query.Eq("fields/Genre", "Fiction"), query.Ge("fields/PageCount", 333))).
		OrderBy("fields/PageCount", query.Desc)
	var titles []string
	for _, it := range o365test.Collect(t, books.Items(e.ctx, o365.Query(q))) {
		titles = append(titles, it.Fields["Title"].(string))
	}
	if !slices.Equal(titles, []string{"The Dispossessed", "Orlando"}) {
		t.Fatalf("filtered = %v", titles)
	}
	if reqs := e.wire.Since(mark); reqs[0].Header.Get("Prefer") != "HonorNonIndexedQueriesWarningMayFailRandomly" {
		t.Fatalf("the filter went without the Prefer header: %v", reqs[0].Header)
	}
	quoted := o365test.Collect(t, books.Items(e.ctx, o365.Query(query.New().Where(query.Eq("fields/Title", "A Room of One's Own")))))
	if len(quoted) != 1 {
		t.Fatalf("a title with a quote matched %d items", len(quoted))
	}
	// Selected fields only.
	sel := query.New().Expand("fields", query.New().Select("Title"))
	for _, it := range o365test.Collect(t, books.Items(e.ctx, o365.Query(sel), o365.Limit(1))) {
		if _, ok := it.Fields["Author"]; ok || it.Fields["Title"] == nil {
			t.Fatalf("fields($select=Title) gave %v", it.Fields)
		}
	}

	// Without the header, SharePoint refuses: this is why it is sent.
	resp, err := e.acct.Connection().Get(e.ctx, e.srv.GraphURL()+"/v1.0/sites/"+e.marketing.ID+"/lists/"+books.ID+"/items",
		map[string]string{"$filter": "fields/Genre eq 'Essay'"})
	var ge *o365.GraphError
	if err == nil {
		resp.Body.Close()
	}
	if !errors.As(err, &ge) || !strings.Contains(ge.Message, "not indexed") {
		t.Fatalf("a filter without the header: %v", err)
	}

	// Update sends only what changed.
	it, err := books.Item(e.ctx, created[3].ID)
	if err != nil {
		t.Fatal(err)
	}
	it.Fields["Read"] = true
	it.Fields["PageCount"] = 336
	mark = e.wire.Mark()
	if err := it.Update(e.ctx); err != nil {
		t.Fatal(err)
	}
	reqs = e.wire.Since(mark)
	if len(reqs) != 1 || reqs[0].Method != "PATCH" || reqs[0].Body != `{"PageCount":336,"Read":true}` {
		t.Fatalf("update sent %+v", reqs)
	}
	if it.Fields["PageCount"] != 336.0 || it.Fields["_UIVersionString"] != "2.0" {
		t.Fatalf("after update: %v", it.Fields)
	}
	mark = e.wire.Mark()
	if err := it.Update(e.ctx); err != nil || len(e.wire.Since(mark)) != 0 {
		t.Fatalf("an update without changes: %v", err)
	}
	versions := o365test.Collect(t, it.Versions(e.ctx))
	if len(versions) != 2 || versions[0].ID != "2.0" || versions[1].Fields["PageCount"] != 333.0 {
		t.Fatalf("versions = %+v", versions)
	}

	// Bad input is refused, naming what was wrong.
	if _, err := books.CreateItem(e.ctx, map[string]any{"Title": "x", "Publisher": "Harper"}); !errors.As(err, &ge) || !strings.Contains(ge.Message, "Publisher") {
		t.Fatalf("an unknown field: %v", err)
	}
	if _, err := books.CreateItem(e.ctx, map[string]any{"PageCount": "many"}); !errors.As(err, &ge) || !strings.Contains(ge.Message, "PageCount") {
		t.Fatalf("a number field given text: %v", err)
	}
	if _, err := books.CreateItem(e.ctx, map[string]any{"Genre": "Poetry"}); !errors.Is(err, o365.ErrBadRequest) {
		t.Fatalf("a choice outside the list: %v", err)
	}
	if _, err := books.CreateItem(e.ctx, nil); err == nil {
		t.Fatal("an item without fields did not fail")
	}
	if _, err := books.Item(e.ctx, ""); err == nil {
		t.Fatal("Item(\"\") did not fail")
	}

	if err := created[0].Delete(e.ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := books.Item(e.ctx, created[0].ID); !errors.Is(err, o365.ErrNotFound) {
		t.Fatalf("a deleted item: %v", err)
	}
	var hand sharepoint.ListItem
	if err := hand.Update(e.ctx); !errors.Is(err, sharepoint.ErrNotBound) {
		t.Fatalf("a hand-made item: %v", err)
	}
}
