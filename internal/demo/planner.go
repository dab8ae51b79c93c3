package demo

import "github.com/go-o365/o365/graphtest"

// PlannerGroupMail is the address of the demo tenant's Microsoft 365
// group, the one SeedPlanner creates.
const PlannerGroupMail = "launch@contoso.onmicrosoft.com"

// SeedPlanner gives the demo tenant a Microsoft 365 group, "Launch team",
// whose members are all of Users (Users[0] owns it), with a plan
// "Product launch". It returns the group's id.
func SeedPlanner(srv *graphtest.Server) (string, error) {
	members := make([]string, len(Users))
	for i, u := range Users {
		members[i] = u.UserPrincipalName
	}
	g, err := srv.AddGroup(graphtest.Group{
		DisplayName: "Launch team", Description: "Everyone working on the product launch",
		Mail: PlannerGroupMail, MailNickname: "launch", MailEnabled: true,
		GroupTypes: []string{"Unified"}, Visibility: "Private",
		Members: members, Owners: []string{Users[0].UserPrincipalName},
	})
	if err != nil {
		return "", err
	}
	if _, err := srv.AddPlan(g.ID, "Product launch"); err != nil {
		return "", err
	}
	return g.ID, nil
}
