package demo

import (
	"time"

	"github.com/go-o365/o365/graphtest"
)

// Mark8 is the demo tenant's project group: a public Microsoft 365 group
// that Adele owns, with Alex and the Sales and Marketing group (Megan)
// as members. SeedGroups adds it.
var Mark8 = graphtest.Group{DisplayName: "Mark 8 Project Team", Description: "Everything about the Mark 8 launch",
	Mail: "Mark8ProjectTeam@contoso.onmicrosoft.com", MailNickname: "Mark8ProjectTeam", MailEnabled: true,
	GroupTypes: []string{"Unified"}, Visibility: "Public"}

// SeedGroups gives the demo tenant its groups: Mark 8 Project Team (see
// Mark8) with a conversation, an event two days from now and two files;
// Sales and Marketing, a security group; and Retail, a private Microsoft
// 365 group of Megan's that Adele is not in.
func SeedGroups(srv *graphtest.Server) error {
	adele, alex, megan := Users[0].UserPrincipalName, Users[1].UserPrincipalName, Users[2].UserPrincipalName
	sales, err := srv.AddGroup(graphtest.Group{DisplayName: "Sales and Marketing", Description: "Sales and marketing staff",
		MailNickname: "SalesAndMarketing", SecurityEnabled: true, Members: []string{megan}})
	if err != nil {
		return err
	}
	mark8 := Mark8
	mark8.Owners = []string{adele}
	mark8.Members = []string{adele, alex, sales.ID}
	team, err := srv.AddGroup(mark8)
	if err != nil {
		return err
	}
	if _, err := srv.AddGroup(graphtest.Group{DisplayName: "Retail", Description: "Store managers",
		Mail: "Retail@contoso.onmicrosoft.com", MailNickname: "Retail", MailEnabled: true, GroupTypes: []string{"Unified"},
		Visibility: "Private", Owners: []string{megan}, Members: []string{megan}}); err != nil {
		return err
	}
	if _, _, err := srv.AddConversation(team.ID, alex, "Mark 8 launch checklist",
		"<p>Packaging is signed off. Still open: <b>pricing</b> and the press kit.</p>"); err != nil {
		return err
	}
	review := time.Now().UTC().AddDate(0, 0, 2).Truncate(24 * time.Hour).Add(14 * time.Hour)
	if _, err := srv.AddGroupEvent(team.ID, map[string]any{
		"subject": "Mark 8 design review",
		"start":   map[string]any{"dateTime": review.Format("2006-01-02T15:04:05"), "timeZone": "UTC"},
		"end":     map[string]any{"dateTime": review.Add(time.Hour).Format("2006-01-02T15:04:05"), "timeZone": "UTC"},
	}); err != nil {
		return err
	}
	library, err := srv.DriveOf(team.ID)
	if err != nil {
		return err
	}
	return addFiles(srv, library, [][2]string{
		{"Mark 8 plan.docx", "Mark 8: launch in the spring."},
		{"Budget.xlsx", "item,cost\nPackaging,12000\n"},
	})
}
