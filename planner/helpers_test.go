package planner_test

import (
	"iter"
	"testing"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/o365test"
)

const (
	adele    = "AdeleV@contoso.onmicrosoft.com"
	alex     = "AlexW@contoso.onmicrosoft.com"
	megan    = "MeganB@contoso.onmicrosoft.com"
	password = "pass-word"
)

// tenant is an emulated tenant with a Microsoft 365 group whose members
// are Adele and Alex (Megan is not one), and a plan in it.
type tenant struct {
	srv                *graphtest.Server
	adele, alex, megan graphtest.User
	groupID, planID    string
}

func newTenant(t testing.TB) *tenant {
	t.Helper()
	srv := o365test.NewServer(t)
	tn := &tenant{srv: srv,
		adele: srv.AddUser(graphtest.User{UserPrincipalName: adele, DisplayName: "Adele Vance", Password: password}),
		alex:  srv.AddUser(graphtest.User{UserPrincipalName: alex, DisplayName: "Alex Wilber", Password: password}),
		megan: srv.AddUser(graphtest.User{UserPrincipalName: megan, DisplayName: "Megan Bowen", Password: password}),
	}
	g, err := srv.AddGroup(graphtest.Group{DisplayName: "Launch team", MailNickname: "launch", Mail: "launch@contoso.onmicrosoft.com",
		MailEnabled: true, GroupTypes: []string{"Unified"}, Members: []string{adele, alex}, Owners: []string{adele}})
	if err != nil {
		t.Fatal(err)
	}
	tn.groupID = g.ID
	if tn.planID, err = srv.AddPlan(g.ID, "Product launch"); err != nil {
		t.Fatal(err)
	}
	return tn
}

// signIn returns an account signed in as upn with scopes (short names).
func (tn *tenant) signIn(t testing.TB, upn string, scopes ...string) *o365.Account {
	t.Helper()
	if len(scopes) == 0 {
		scopes = []string{"planner_all"}
	}
	return o365test.SignIn(t, tn.srv, upn, password, o365.WithScopes(scopes...))
}

// firstErr is the first error seq yields, nil if it ends without one: a
// check on it fails when the iterator yields nothing, where a loop over
// seq would check nothing.
func firstErr[T any](seq iter.Seq2[T, error]) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}
