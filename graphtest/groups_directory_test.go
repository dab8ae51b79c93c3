package graphtest_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/go-o365/o365/graphtest"
)

// memberOfNames lists the displayName of each group in a memberOf answer.
func memberOfNames(t *testing.T, r graphResponse) []string {
	t.Helper()
	if r.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %v", r.StatusCode, r.body)
	}
	var names []string
	for _, v := range r.body["value"].([]any) {
		g := v.(map[string]any)
		if g["@odata.type"] != "#microsoft.graph.group" {
			t.Errorf("memberOf item type %v, want #microsoft.graph.group", g["@odata.type"])
		}
		names = append(names, g["displayName"].(string))
	}
	return names
}

func TestMemberOfDirectAndTransitive(t *testing.T) {
	f := newFixture(t)
	inner, err := f.srv.AddGroup(graphtest.Group{DisplayName: "Inner", MailNickname: "inner",
		SecurityEnabled: true, Members: []string{f.adele.UserPrincipalName}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.AddGroup(graphtest.Group{DisplayName: "Outer", MailNickname: "outer",
		GroupTypes: []string{"Unified"}, MailEnabled: true, Mail: "outer@contoso.com",
		Members: []string{inner.ID}, Owners: []string{f.alex.ID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.AddGroup(graphtest.Group{DisplayName: "Bad", Members: []string{"nobody@contoso.com"}}); err == nil {
		t.Error("AddGroup with an unknown member succeeded")
	}

	tok := userToken(t, f.srv, f.adele.UserPrincipalName)
	if got := memberOfNames(t, get(t, f.srv, tok, "/v1.0/me/memberOf")); !slices.Equal(got, []string{"Inner"}) {
		t.Errorf("memberOf = %v, want [Inner]", got)
	}
	if got := memberOfNames(t, get(t, f.srv, tok, "/v1.0/users/"+f.adele.ID+"/transitiveMemberOf")); !slices.Equal(got, []string{"Inner", "Outer"}) {
		t.Errorf("transitiveMemberOf = %v, want [Inner Outer]", got)
	}
	if got := memberOfNames(t, get(t, f.srv, tok, "/v1.0/users/"+f.alex.UserPrincipalName+"/memberOf")); len(got) != 0 {
		t.Errorf("an owner's memberOf = %v, want none", got)
	}

	if err := f.srv.AddGroupMember("outer@contoso.com", f.alex.UserPrincipalName); err != nil {
		t.Fatal(err)
	}
	if got := memberOfNames(t, get(t, f.srv, tok, "/v1.0/users/"+f.alex.ID+"/memberOf")); !slices.Equal(got, []string{"Outer"}) {
		t.Errorf("after AddGroupMember memberOf = %v, want [Outer]", got)
	}
	if gs := f.srv.Groups(); len(gs) != 2 || gs[0].Members[0] != f.adele.ID {
		t.Errorf("Groups() = %+v, want Inner then Outer with member ids resolved", gs)
	}
}
