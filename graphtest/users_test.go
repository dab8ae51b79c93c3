package graphtest_test

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/go-o365/o365/graphtest"
)

// withoutContext drops @odata.context, which Microsoft's examples leave out.
func withoutContext(body map[string]any) map[string]any {
	out := maps.Clone(body)
	delete(out, "@odata.context")
	return out
}

func TestMeMatchesMicrosoftExample(t *testing.T) {
	f := newFixture(t)
	r := get(t, f.srv, userToken(t, f.srv, f.adele.UserPrincipalName), "/v1.0/me")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %v", r.StatusCode, r.body)
	}
	if want := exampleBody(t, "users.json", "user-get#2"); !reflect.DeepEqual(withoutContext(r.body), want) {
		t.Errorf("/me =\n%v\nwant Microsoft's example\n%v", r.body, want)
	}
	if got, want := r.body["@odata.context"], f.srv.GraphURL()+"/v1.0/$metadata#users/$entity"; got != want {
		t.Errorf("@odata.context = %v, want %s", got, want)
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Errorf("Content-Type %q", r.Header.Get("Content-Type"))
	}
}

func TestGetUserByUPNOrID(t *testing.T) {
	f := newFixture(t)
	tok := userToken(t, f.srv, alexUPN)
	want := exampleBody(t, "users.json", "user-get#1")
	for _, key := range []string{
		f.adele.UserPrincipalName,
		strings.ToLower(f.adele.UserPrincipalName),
		f.adele.ID,
		url.PathEscape(f.adele.UserPrincipalName),
	} {
		r := get(t, f.srv, tok, "/v1.0/users/"+key)
		if r.StatusCode != http.StatusOK || !reflect.DeepEqual(withoutContext(r.body), want) {
			t.Errorf("/users/%s = %d %v, want Microsoft's example", key, r.StatusCode, r.body)
		}
	}

	// Unset properties are null, and businessPhones an empty array, as Graph sends them.
	r := get(t, f.srv, tok, "/v1.0/users/"+f.alex.ID)
	if v, ok := r.body["jobTitle"]; !ok || v != nil {
		t.Errorf("jobTitle = %v (present %v), want null", v, ok)
	}
	if v, ok := r.body["businessPhones"].([]any); !ok || len(v) != 0 {
		t.Errorf("businessPhones = %#v, want []", r.body["businessPhones"])
	}

	r = get(t, f.srv, tok, "/v1.0/users/nobody@contoso.onmicrosoft.com")
	checkGraphError(t, r, http.StatusNotFound, "Request_ResourceNotFound",
		"Resource 'nobody@contoso.onmicrosoft.com' does not exist or one of its queried reference-property objects are not present.")
}

func TestMeNeedsDelegatedToken(t *testing.T) {
	f := newFixture(t)
	app, err := f.srv.AppToken(daemonID)
	if err != nil {
		t.Fatal(err)
	}
	checkGraphError(t, get(t, f.srv, app, "/v1.0/me"), http.StatusBadRequest, "BadRequest",
		"/me request is only valid with delegated authentication flow.")
	if r := get(t, f.srv, app, "/v1.0/users/"+f.adele.ID); r.StatusCode != http.StatusOK {
		t.Errorf("app-only /users/{id}: %d", r.StatusCode)
	}
}

// addUsers adds n users after the fixture's two and returns every id in
// directory order.
func addUsers(f *fixture, n int) []string {
	ids := []string{f.adele.ID, f.alex.ID}
	for i := range n {
		u := f.srv.AddUser(graphtest.User{UserPrincipalName: fmt.Sprintf("u%02d@contoso.onmicrosoft.com", i), DisplayName: fmt.Sprintf("User %02d", i)})
		ids = append(ids, u.ID)
	}
	return ids
}

// collect follows @odata.nextLink verbatim from path, with header on every
// page, and returns the ids seen and each page's size.
func collect(t *testing.T, srv *graphtest.Server, tok, path string, header ...string) (ids []string, sizes []int) {
	t.Helper()
	next := path
	for next != "" {
		r := get(t, srv, tok, next, header...)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %v", next, r.StatusCode, r.body)
		}
		if got, want := r.body["@odata.context"], srv.GraphURL()+"/v1.0/$metadata#users"; got != want {
			t.Errorf("@odata.context = %v, want %s", got, want)
		}
		page, _ := r.body["value"].([]any)
		sizes = append(sizes, len(page))
		for _, it := range page {
			ids = append(ids, it.(map[string]any)["id"].(string))
		}
		next, _ = r.body["@odata.nextLink"].(string)
		if len(sizes) > 100 {
			t.Fatal("nextLink never ends")
		}
	}
	return ids, sizes
}

func TestUsersPaging(t *testing.T) {
	f := newFixture(t)
	want := addUsers(f, 7)
	tok := userToken(t, f.srv, alexUPN)

	ids, sizes := collect(t, f.srv, tok, "/v1.0/users?$top=4")
	if !slices.Equal(ids, want) || !slices.Equal(sizes, []int{4, 4, 1}) {
		t.Errorf("pages %v of %v, want pages [4 4 1] of %v", sizes, ids, want)
	}

	r := get(t, f.srv, tok, "/v1.0/users?$top=4")
	next, _ := r.body["@odata.nextLink"].(string)
	u, err := url.Parse(next)
	if err != nil || u.Query().Get("$top") != "4" || u.Query().Get("$skiptoken") == "" {
		t.Errorf("nextLink %q lacks $top or $skiptoken", next)
	}
	if !strings.HasPrefix(next, f.srv.GraphURL()+"/v1.0/users?") {
		t.Errorf("nextLink %q is not an absolute Graph URL", next)
	}

	// Without $top, pages follow the default page size (100), so one page.
	if _, sizes := collect(t, f.srv, tok, "/v1.0/users"); !slices.Equal(sizes, []int{9}) {
		t.Errorf("default paging %v", sizes)
	}
}

func TestUsersPageSizeOption(t *testing.T) {
	f := newFixture(t, graphtest.WithPageSize(3))
	want := addUsers(f, 5)
	ids, sizes := collect(t, f.srv, userToken(t, f.srv, alexUPN), "/v1.0/users")
	if !slices.Equal(ids, want) || !slices.Equal(sizes, []int{3, 3, 1}) {
		t.Errorf("pages %v of %v", sizes, ids)
	}
}

func TestUsersNextLinkKeepsQuery(t *testing.T) {
	f := newFixture(t)
	addUsers(f, 3)
	tok := userToken(t, f.srv, alexUPN)
	q := url.Values{
		"$select":  {"id,displayName"},
		"$filter":  {"startswith(userPrincipalName,'u')"},
		"$orderby": {"displayName"},
		"$top":     {"1"},
	}
	r := get(t, f.srv, tok, "/v1.0/users?"+q.Encode(), "ConsistencyLevel", "eventual")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("%d %v", r.StatusCode, r.body)
	}
	next, _ := r.body["@odata.nextLink"].(string)
	u, err := url.Parse(next)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range q {
		if got := u.Query()[k]; !slices.Equal(got, v) {
			t.Errorf("nextLink %s = %v, want %v", k, got, v)
		}
	}
}

func TestUsersAdvancedQueriesNeedEventualConsistency(t *testing.T) {
	f := newFixture(t)
	tok := userToken(t, f.srv, alexUPN)
	search := `/v1.0/users?$search="displayName:a"&$top=1`

	checkGraphError(t, get(t, f.srv, tok, search), http.StatusBadRequest, "Request_UnsupportedQuery",
		"Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'")
	checkGraphError(t, get(t, f.srv, tok, "/v1.0/users?$count=true"), http.StatusBadRequest, "Request_UnsupportedQuery",
		"$count is not currently supported.")

	r := get(t, f.srv, tok, search, "ConsistencyLevel", "eventual")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("with ConsistencyLevel: %d %v", r.StatusCode, r.body)
	}
	next, _ := r.body["@odata.nextLink"].(string)
	if next == "" {
		t.Fatal("no nextLink")
	}
	// Every page is an advanced query: the header is needed on the next one too.
	if r := get(t, f.srv, tok, next); r.StatusCode != http.StatusBadRequest || r.errorCode() != "Request_UnsupportedQuery" {
		t.Errorf("nextLink without ConsistencyLevel: %d %v", r.StatusCode, r.body)
	}
	if r := get(t, f.srv, tok, next, "ConsistencyLevel", "eventual"); r.StatusCode != http.StatusOK {
		t.Errorf("nextLink with ConsistencyLevel: %d %v", r.StatusCode, r.body)
	}

	r = get(t, f.srv, tok, "/v1.0/users?$count=true&$top=1", "ConsistencyLevel", "eventual")
	if r.body["@odata.count"] != 2.0 {
		t.Errorf("@odata.count = %v, want 2", r.body["@odata.count"])
	}
	if r := get(t, f.srv, tok, "/v1.0/users", "ConsistencyLevel", "eventual"); r.body["@odata.count"] != nil {
		t.Errorf("@odata.count without $count=true: %v", r.body["@odata.count"])
	}
}

func TestUsersRejectsBadPaging(t *testing.T) {
	f := newFixture(t)
	tok := userToken(t, f.srv, alexUPN)
	for query, msg := range map[string]string{
		"$top=1000":          "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.",
		"$top=0":             "Invalid page size specified: '0'. Must be between 1 and 999 inclusive.",
		"$skip=1":            "'$skip' is not supported by the service.",
		"$skiptoken=garbage": "The provided $skiptoken is not valid.",
	} {
		checkGraphError(t, get(t, f.srv, tok, "/v1.0/users?"+query), http.StatusBadRequest, "Request_BadRequest", msg)
	}
}
