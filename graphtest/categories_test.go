package graphtest_test

import (
	"net/http"
	"net/url"
	"testing"
)

func TestMasterCategories(t *testing.T) {
	f := newFixture(t)
	tok := todoToken(t, f.srv, f.adele.UserPrincipalName, "MailboxSettings.ReadWrite")

	list := graphDo(t, f.srv, tok, "GET", "/v1.0/me/outlook/masterCategories", nil)
	requireStatus(t, list, http.StatusOK)
	_, want := personalExample(t, "categories.json", "outlookuser-list-mastercategories#1")
	hasExampleKeys(t, "outlookuser-list-mastercategories#1", want, list.body)
	got, seeded := list.body["value"].([]any), want["value"].([]any)
	if len(got) != len(seeded) {
		t.Fatalf("%d categories, want Outlook's %d", len(got), len(seeded))
	}
	for i := range seeded {
		g, w := got[i].(map[string]any), seeded[i].(map[string]any)
		if g["displayName"] != w["displayName"] || g["color"] != w["color"] {
			t.Errorf("category %d = %v, want %v", i, g, w)
		}
	}

	req, want := personalExample(t, "categories.json", "outlookuser-post-mastercategories#1")
	created := graphDo(t, f.srv, tok, "POST", "/v1.0/me/outlook/masterCategories", req)
	requireStatus(t, created, http.StatusCreated)
	hasExampleKeys(t, "outlookuser-post-mastercategories#1", want, created.body)
	id := url.PathEscape(created.body["id"].(string))
	if r := graphDo(t, f.srv, tok, "POST", "/v1.0/me/outlook/masterCategories", map[string]any{"displayName": "project EXPENSES"}); r.StatusCode != http.StatusConflict {
		t.Errorf("a second category of the same name: %d", r.StatusCode)
	}

	upd := graphDo(t, f.srv, tok, "PATCH", "/v1.0/me/outlook/masterCategories/"+id, map[string]any{"color": "Preset24"})
	requireStatus(t, upd, http.StatusOK)
	if upd.body["color"] != "preset24" || upd.body["displayName"] != "Project expenses" {
		t.Errorf("updated %v", upd.body)
	}
	for _, body := range []map[string]any{{"color": "preset25"}, {"color": "red"}, {"displayName": "Renamed"}, {"colour": "preset1"}} {
		if r := graphDo(t, f.srv, tok, "PATCH", "/v1.0/me/outlook/masterCategories/"+id, body); r.StatusCode != http.StatusBadRequest {
			t.Errorf("PATCH %v: %d", body, r.StatusCode)
		}
	}
	if r := graphDo(t, f.srv, tok, "POST", "/v1.0/me/outlook/masterCategories", map[string]any{"displayName": "x", "color": "preset-1"}); r.StatusCode != http.StatusBadRequest {
		t.Errorf("POST with preset-1: %d", r.StatusCode)
	}
	requireStatus(t, graphDo(t, f.srv, tok, "DELETE", "/v1.0/me/outlook/masterCategories/"+id, nil), http.StatusNoContent)
	requireStatus(t, graphDo(t, f.srv, tok, "GET", "/v1.0/me/outlook/masterCategories/"+id, nil), http.StatusNotFound)

	read := todoToken(t, f.srv, f.adele.UserPrincipalName, "MailboxSettings.Read")
	requireStatus(t, graphDo(t, f.srv, read, "GET", "/v1.0/me/outlook/masterCategories", nil), http.StatusOK)
	requireStatus(t, graphDo(t, f.srv, read, "POST", "/v1.0/me/outlook/masterCategories", map[string]any{"displayName": "y"}), http.StatusForbidden)
	alex := todoToken(t, f.srv, alexUPN, "MailboxSettings.ReadWrite")
	requireStatus(t, graphDo(t, f.srv, alex, "GET", "/v1.0/users/"+f.adele.ID+"/outlook/masterCategories", nil), http.StatusForbidden)
	if err := f.srv.GrantMailboxAccess(f.adele.ID, alexUPN); err != nil {
		t.Fatal(err)
	}
	requireStatus(t, graphDo(t, f.srv, alex, "GET", "/v1.0/users/"+f.adele.ID+"/outlook/masterCategories", nil), http.StatusOK)
	app, err := f.srv.AppToken(daemonID)
	if err != nil {
		t.Fatal(err)
	}
	requireStatus(t, graphDo(t, f.srv, app, "GET", "/v1.0/users/"+f.adele.UserPrincipalName+"/outlook/masterCategories", nil), http.StatusOK)

	if _, err := f.srv.AddCategory(alexUPN, "Seeded", "preset30"); err == nil {
		t.Error("AddCategory takes preset30")
	}
	if _, err := f.srv.AddCategory(alexUPN, "Seeded", "preset3"); err != nil {
		t.Fatal(err)
	}
	r := graphDo(t, f.srv, alex, "GET", "/v1.0/me/outlook/masterCategories?$filter=displayName%20eq%20'Seeded'", nil)
	if v := r.body["value"].([]any); len(v) != 1 || v[0].(map[string]any)["color"] != "preset3" {
		t.Errorf("seeded category: %v", r.body)
	}
}
