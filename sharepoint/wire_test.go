package sharepoint_test

import (
	"strings"
	"testing"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/internal/wiretest"
	"github.com/go-o365/o365/sharepoint"
)

// TestExamplesRoundTrip decodes every SharePoint example response from
// Microsoft's documentation into the library's types and encodes it
// back, losing nothing the types model. Lists expanded with their
// columns and items are read through List.Columns and List.Items, so
// those expansions are not modelled.
func TestExamplesRoundTrip(t *testing.T) {
	ex := wiretest.Load(t, "testdata/examples.json")
	site := wiretest.RoundTrip[sharepoint.Site]()
	sites := wiretest.RoundTrip[api.Page[sharepoint.Site]]()
	lst := wiretest.RoundTrip[sharepoint.List]()
	item := wiretest.RoundTrip[sharepoint.ListItem]()
	cases := map[string]wiretest.Check{
		"site-get#1":               site,
		"site-getbypath#1":         site,
		"site-search#1":            sites,
		"site-list-subsites#1":     sites,
		"list-list#1":              wiretest.RoundTrip[api.Page[sharepoint.List]](),
		"list-get#1":               lst,
		"list-get#2":               lst,
		"list-get#3":               wiretest.RoundTrip[sharepoint.List]("columns", "items"),
		"list-create#1":            lst,
		"listitem-list#1":          wiretest.RoundTrip[api.Page[sharepoint.ListItem]](),
		"listitem-get#1":           item,
		"listitem-create#1":        item,
		"listitem-update#1":        wiretest.RoundTrip[map[string]any](),
		"listitem-list-versions#1": wiretest.RoundTrip[api.Page[sharepoint.ListItemVersion]](),
	}
	wiretest.CheckResponses(t, ex, cases)
	// The request bodies decode too, into what the library sends.
	var def struct {
		DisplayName string                        `json:"displayName"`
		Columns     []sharepoint.ColumnDefinition `json:"columns"`
		List        sharepoint.ListInfo           `json:"list"`
	}
	if err := api.Unmarshal(ex["list-create#1"].RequestBody, &def); err != nil || len(def.Columns) != 2 ||
		def.Columns[0].Text == nil || def.Columns[1].Number == nil || def.List.Template != "genericList" {
		t.Errorf("list-create#1 request decoded as %+v, %v", def, err)
	}
}

// TestEmulatorSpeaksGraph performs the operations of Microsoft's examples
// against graphtest and checks that its answers carry every property name
// of the examples, and that the library's requests use Microsoft's names.
func TestEmulatorSpeaksGraph(t *testing.T) {
	ex := wiretest.Load(t, "testdata/examples.json")
	e := newEnv(t)
	con := e.acct.Connection()
	graph := e.srv.GraphURL() + "/v1.0"
	get := func(url string) []byte { t.Helper(); return wiretest.Get(e.ctx, t, con, url) }
	check := func(id string, got []byte, allowed ...string) {
		t.Helper()
		if missing := wiretest.MissingKeys(ex[id].ResponseBody, got, allowed...); len(missing) > 0 {
			t.Errorf("%s: graphtest's answer lacks %v\n%s", id, missing, got)
		}
	}
	// checkRequest compares property names; below fields (user data:
	// column names) only the top level counts.
	checkRequest := func(id string, body []byte) {
		t.Helper()
		var extra []string
		for _, k := range wiretest.MissingKeys(body, ex[id].RequestBody) {
			if !strings.HasPrefix(k, "fields.") {
				extra = append(extra, k)
			}
		}
		if len(extra) > 0 {
			t.Errorf("%s: the library sent %v, names Microsoft's request does not use\nsent: %s", id, extra, body)
		}
	}
	site := graph + "/sites/" + e.marketing.ID
	check("site-get#1", get(site))
	check("site-getbypath#1", get(graph+"/sites/contoso.sharepoint.com:/sites/marketing"))
	check("site-search#1", get(graph+"/sites?search=marketing"))
	check("site-list-subsites#1", get(site+"/sites"))

	s, err := e.sp.Site(e.ctx, e.marketing.ID)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := s.CreateList(e.ctx, sharepoint.ListDefinition{DisplayName: "Inventory", Columns: []sharepoint.ColumnDefinition{
		{Name: "Name", Text: &sharepoint.TextColumn{}},
		{Name: "Color", Text: &sharepoint.TextColumn{}},
		{Name: "Quantity", Number: &sharepoint.NumberColumn{}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	checkRequest("list-create#1", e.wire.LastBody(t, "/lists"))
	check("list-create#1", get(site+"/lists/"+inv.ID))
	check("list-list#1", get(site+"/lists"))
	check("list-get#1", get(site+"/lists/"+inv.ID))
	check("list-get#2", get(site+"/lists/Inventory"))
	for _, f := range []map[string]any{{"Name": "Gadget", "Color": "Red", "Quantity": 503}, {"Name": "Widget", "Color": "Blue", "Quantity": 2357}} {
		if _, err := inv.CreateItem(e.ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	checkRequest("listitem-create#1", e.wire.LastBody(t, "/items"))
	check("listitem-create#1", get(site+"/lists/"+inv.ID+"/items/1"))
	check("listitem-list#1", get(site+"/lists/"+inv.ID+"/items?expand=fields(select=Name,Color,Quantity)"))
	check("listitem-get#1", get(site+"/lists/"+inv.ID+"/items/2?expand=fields"))
	it, err := inv.Item(e.ctx, "2")
	if err != nil {
		t.Fatal(err)
	}
	it.Fields["Color"], it.Fields["Quantity"] = "Fuchsia", 934
	if err := it.Update(e.ctx); err != nil {
		t.Fatal(err)
	}
	check("listitem-update#1", get(site+"/lists/"+inv.ID+"/items/2/fields"))
	check("listitem-list-versions#1", get(site+"/lists/"+inv.ID+"/items/2/versions"))
}
