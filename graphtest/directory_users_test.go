package graphtest_test

import (
	"maps"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/o365test"
)

// directoryExample is the response body of a directory.json example.
func directoryExample(t *testing.T, id string) map[string]any {
	return exampleBody(t, "directory/directory.json", id)
}

func scopedToken(t *testing.T, srv *graphtest.Server, upn string, scopes ...string) string {
	t.Helper()
	tok, err := srv.UserToken(upn, scopes...)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// fullUser is a user with every structural property set.
func fullUser(upn string) graphtest.User {
	return o365test.FullDirectory(1, func(int, string, string) string { return upn })[0]
}

// The user of Microsoft's "$select with identities" example, asked the
// same way, answers the example's body: the selected properties only, no
// id, and the @odata.context naming them.
func TestUserSelectMatchesMicrosoftExample(t *testing.T) {
	f := newFixture(t)
	want := directoryExample(t, "user-get.contrib#3")
	f.srv.AddUser(graphtest.User{
		ID: "87d349ed-44d7-43e1-9a83-5f2406dee5bd", UserPrincipalName: "AdeleV@contoso.com",
		DisplayName: "Adele Vance", GivenName: "Adele", Surname: "Vance", JobTitle: "Retail Manager",
		PostalCode: "98004", City: "Bellevue",
		Identities: []graphtest.UserIdentity{{SignInType: "userPrincipalName", Issuer: "contoso.com", IssuerAssignedID: "AdeleV@contoso.com"}},
	})
	tok := scopedToken(t, f.srv, alexUPN, "User.Read.All")
	r := get(t, f.srv, tok, "/v1.0/users/87d349ed-44d7-43e1-9a83-5f2406dee5bd?$select=displayName,givenName,postalCode,identities")
	if !reflect.DeepEqual(withoutContext(r.body), withoutContext(want)) {
		t.Errorf("answered\n%v\nwant Microsoft's example\n%v", r.body, want)
	}
	wantContext := strings.Replace(want["@odata.context"].(string), "https://graph.microsoft.com", f.srv.GraphURL(), 1)
	if r.body["@odata.context"] != wantContext {
		t.Errorf("@odata.context %v, want %s", r.body["@odata.context"], wantContext)
	}
}

// Microsoft's guest-users example: $filter on the user principal name,
// $select of identities, $count with ConsistencyLevel.
func TestUsersSelectGuestsMatchesMicrosoftExample(t *testing.T) {
	f := newFixture(t)
	want := directoryExample(t, "user-list.contrib#8")
	f.srv.AddUser(graphtest.User{
		ID: "39807bd1-3dde-48f3-8165-81ddd4e46de0", UserPrincipalName: "AdeleV_adatum.com#EXT#@contoso.com",
		DisplayName: "Adele Vance", Mail: "AdeleV@adatum.com", UserType: "Guest", CreationType: "Invitation",
		Identities: []graphtest.UserIdentity{{SignInType: "userPrincipalName", Issuer: "contoso.com", IssuerAssignedID: "AdeleV_adatum.com#EXT#@cntoso.com"}},
	})
	tok := scopedToken(t, f.srv, alexUPN, "User.Read.All")
	r := get(t, f.srv, tok, "/v1.0/users?$select=id,displayName,mail,identities&$filter=endsWith(userPrincipalName,'%23EXT%23@contoso.com')&$count=true",
		"ConsistencyLevel", "eventual")
	values, _ := r.body["value"].([]any)
	if len(values) != 1 || !reflect.DeepEqual(values[0], want["value"].([]any)[0]) {
		t.Fatalf("answered %v\nwant Microsoft's example %v", r.body, want)
	}
	wantContext := strings.Replace(want["@odata.context"].(string), "https://graph.microsoft.com", f.srv.GraphURL(), 1)
	if r.body["@odata.context"] != wantContext || r.body["@odata.count"] != 1.0 {
		t.Errorf("@odata.context %v, @odata.count %v", r.body["@odata.context"], r.body["@odata.count"])
	}
}

// Without $select a user answers Graph's eleven default properties, even
// with every other property set; $select answers any modelled property,
// names matched without regard to case, unset ones as null.
func TestUserDefaultSetAndSelect(t *testing.T) {
	f := newFixture(t)
	full := f.srv.AddUser(fullUser("full@contoso.onmicrosoft.com"))
	bare := f.srv.AddUser(graphtest.User{UserPrincipalName: "bare@contoso.onmicrosoft.com"})
	tok := scopedToken(t, f.srv, alexUPN, "User.Read.All")

	r := get(t, f.srv, tok, "/v1.0/users/"+full.ID)
	keys := slices.Sorted(maps.Keys(withoutContext(r.body)))
	if want := slices.Sorted(slices.Values(api.UserDefaultProperties)); !slices.Equal(keys, want) {
		t.Errorf("default set %v, want %v", keys, want)
	}
	list := get(t, f.srv, tok, "/v1.0/users")
	for _, v := range list.body["value"].([]any) {
		if got := slices.Sorted(maps.Keys(v.(map[string]any))); len(got) != 11 {
			t.Errorf("listed user has %v", got)
		}
	}

	all := strings.Join(api.UserAllProperties, ",")
	r = get(t, f.srv, tok, "/v1.0/users/"+full.ID+"?$select="+url.QueryEscape(all))
	for _, p := range api.UserAllProperties {
		v, ok := r.body[p]
		if !ok || v == nil {
			t.Errorf("full user: %s = %v (present %v)", p, v, ok)
		}
	}
	if len(withoutContext(r.body)) != len(api.UserAllProperties) {
		t.Errorf("answered %d properties, selected %d", len(withoutContext(r.body)), len(api.UserAllProperties))
	}
	if r.body["onPremisesExtensionAttributes"].(map[string]any)["extensionAttribute15"] != full.OnPremisesExtensionAttributes.Attributes[14] {
		t.Errorf("extensionAttribute15 = %v", r.body["onPremisesExtensionAttributes"])
	}
	if r.body["employeeHireDate"] != full.EmployeeHireDate.Format("2006-01-02T15:04:05Z") {
		t.Errorf("employeeHireDate = %v, want %v", r.body["employeeHireDate"], full.EmployeeHireDate)
	}

	// Unset: null, but collections Graph declares not nullable are empty.
	notNull := map[string]bool{"id": true, "userPrincipalName": true, "createdDateTime": true}
	arrays := map[string]bool{"businessPhones": true, "otherMails": true, "proxyAddresses": true, "imAddresses": true,
		"identities": true, "assignedLicenses": true, "assignedPlans": true, "provisionedPlans": true,
		"licenseAssignmentStates": true, "onPremisesProvisioningErrors": true}
	r = get(t, f.srv, tok, "/v1.0/users/"+bare.ID+"?$select="+url.QueryEscape(all))
	for _, p := range api.UserAllProperties {
		v, ok := r.body[p]
		switch {
		case !ok:
			t.Errorf("bare user: %s missing", p)
		case arrays[p]:
			if a, isArray := v.([]any); !isArray || len(a) != 0 {
				t.Errorf("bare user: %s = %v, want []", p, v)
			}
		case notNull[p]:
			if v == nil {
				t.Errorf("bare user: %s = null", p)
			}
		case v != nil:
			t.Errorf("bare user: %s = %v, want null", p, v)
		}
	}

	// Case: the answer spells the names as Graph does; no id unless named.
	r = get(t, f.srv, tok, "/v1.0/users/"+full.ID+"?$select=DEPARTMENT,City")
	if got := slices.Sorted(maps.Keys(withoutContext(r.body))); !slices.Equal(got, []string{"city", "department"}) ||
		r.body["department"] != full.Department {
		t.Errorf("$select=DEPARTMENT,City answered %v", r.body)
	}
	// $filter sees properties outside the default set.
	q := url.Values{"$filter": {"department eq '" + full.Department + "' and accountEnabled eq true"}, "$select": {"id"}}
	r = get(t, f.srv, tok, "/v1.0/users?"+q.Encode())
	if v := r.body["value"].([]any); len(v) != 1 || v[0].(map[string]any)["id"] != full.ID {
		t.Errorf("filtered %v", r.body)
	}
	// The manager answers the same way, with its type named.
	if err := f.srv.SetManager(bare.ID, full.ID); err != nil {
		t.Fatal(err)
	}
	r = get(t, f.srv, tok, "/v1.0/users/"+bare.ID+"/manager?$select=department,employeeOrgData")
	if got := slices.Sorted(maps.Keys(withoutContext(r.body))); !slices.Equal(got, []string{"@odata.type", "department", "employeeOrgData"}) {
		t.Errorf("manager answered %v", r.body)
	}
}

// A delegated caller with User.ReadBasic.All alone sees other users'
// properties outside the default set as null; their own, and everyone's
// with User.Read.All or as an app, in full.
func TestUserReadBasicScope(t *testing.T) {
	f := newFixture(t)
	full := f.srv.AddUser(fullUser("full@contoso.onmicrosoft.com"))
	path := "/v1.0/users/" + full.ID + "?$select=displayName,jobTitle,department,accountEnabled"
	basic := scopedToken(t, f.srv, alexUPN, "User.Read", "User.ReadBasic.All")
	r := get(t, f.srv, basic, path)
	if r.body["department"] != nil || r.body["accountEnabled"] != nil || r.body["displayName"] != full.DisplayName || r.body["jobTitle"] != full.JobTitle {
		t.Errorf("User.ReadBasic.All reading another user: %v", r.body)
	}
	list := get(t, f.srv, basic, "/v1.0/users?$select=id,department")
	for _, v := range list.body["value"].([]any) {
		if d := v.(map[string]any)["department"]; d != nil {
			t.Errorf("listed with User.ReadBasic.All: %v", v)
		}
	}
	own := get(t, f.srv, scopedToken(t, f.srv, full.UserPrincipalName, "User.ReadBasic.All"), path)
	if own.body["department"] != full.Department {
		t.Errorf("own profile: %v", own.body)
	}
	for _, scope := range []string{"User.Read.All", "Directory.Read.All"} {
		r := get(t, f.srv, scopedToken(t, f.srv, alexUPN, scope), path)
		if r.body["department"] != full.Department || r.body["accountEnabled"] != true {
			t.Errorf("%s: %v", scope, r.body)
		}
	}
	app, err := f.srv.AppToken(daemonID)
	if err != nil {
		t.Fatal(err)
	}
	if r := get(t, f.srv, app, path); r.body["department"] != full.Department {
		t.Errorf("app-only: %v", r.body)
	}
}

// AddUser keeps its own copies of the user's slices and pointers.
func TestAddUserCopiesProperties(t *testing.T) {
	f := newFixture(t)
	u := fullUser("copy@contoso.onmicrosoft.com")
	stored := f.srv.AddUser(u)
	u.OtherMails[0] = "changed@example.com"
	*u.AccountEnabled = false
	u.OnPremisesExtensionAttributes.Attributes[0] = "changed"
	u.AssignedLicenses[0].DisabledPlans[0] = "changed"
	tok := scopedToken(t, f.srv, alexUPN, "User.Read.All")
	r := get(t, f.srv, tok, "/v1.0/users/"+stored.ID+"?$select=otherMails,accountEnabled,onPremisesExtensionAttributes,assignedLicenses")
	if r.body["otherMails"].([]any)[0] == "changed@example.com" || r.body["accountEnabled"] != true ||
		r.body["onPremisesExtensionAttributes"].(map[string]any)["extensionAttribute1"] == "changed" ||
		r.body["assignedLicenses"].([]any)[0].(map[string]any)["disabledPlans"].([]any)[0] == "changed" {
		t.Errorf("the caller's changes reached the server: %v", r.body)
	}
	if stored.CreatedDateTime.IsZero() {
		t.Error("AddUser left CreatedDateTime unset")
	}
}

// Microsoft's licensed-users example: a lambda over assignedLicenses with
// an unquoted Guid literal, $select of the licences.
func TestUsersLicenseFilterMatchesMicrosoftExample(t *testing.T) {
	f := newFixture(t)
	want := directoryExample(t, "user-list.contrib#9")
	sku := "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46"
	f.srv.AddUser(graphtest.User{ID: "cb4954e8-467f-4a6d-a8c8-28b9034fadbc", UserPrincipalName: "admin@contoso.com",
		Mail: "admin@contoso.com", AssignedLicenses: []graphtest.UserLicense{{SkuID: sku}}})
	f.srv.AddUser(graphtest.User{ID: "81a133c2-bdf2-4e67-8755-7264366b04ee", UserPrincipalName: "DebraB@contoso.com",
		Mail: "DebraB@contoso.com", AssignedLicenses: []graphtest.UserLicense{{SkuID: sku}}})
	f.srv.AddUser(graphtest.User{UserPrincipalName: "other@contoso.com",
		AssignedLicenses: []graphtest.UserLicense{{SkuID: "6fd2c87f-b296-42f0-b197-1e91e994b900"}}})
	tok := scopedToken(t, f.srv, alexUPN, "User.Read.All")
	q := url.Values{"$select": {"id,mail,assignedLicenses"}, "$filter": {"assignedLicenses/any(u:u/skuId eq " + sku + ")"}}
	r := get(t, f.srv, tok, "/v1.0/users?"+q.Encode())
	if !reflect.DeepEqual(r.body["value"], want["value"]) {
		t.Errorf("answered\n%v\nwant Microsoft's example\n%v", r.body, want)
	}
	// Upper case matches too, as Guids compare; a GUID inside a word does not lex as one.
	q.Set("$filter", "assignedLicenses/any(u:u/skuId eq "+strings.ToUpper(sku)+")")
	if r := get(t, f.srv, tok, "/v1.0/users?"+q.Encode()); len(r.body["value"].([]any)) != 2 {
		t.Errorf("upper-case Guid: %v", r.body)
	}
	q.Set("$filter", "id eq "+sku+"x")
	if r := get(t, f.srv, tok, "/v1.0/users?"+q.Encode()); r.StatusCode != 400 {
		t.Errorf("Guid run into a word: %d %v", r.StatusCode, r.body)
	}
}
