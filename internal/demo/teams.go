package demo

import "github.com/go-o365/o365/graphtest"

// TeamName is the team SeedTeams makes.
const TeamName = "Mark 8 Project Team"

// SeedTeams gives the demo tenant a team and a chat: the Mark 8 Project
// Team (a Microsoft 365 group of the three users, Adele its owner) with a
// General and a Design channel and OneNote installed, and a one-on-one
// chat in which Alex has asked Adele a question.
func SeedTeams(srv *graphtest.Server) error {
	adele, alex, megan := Users[0].UserPrincipalName, Users[1].UserPrincipalName, Users[2].UserPrincipalName
	g, err := srv.AddGroup(graphtest.Group{
		DisplayName:  TeamName,
		Description:  "Welcome to the team that we've assembled to create the Mark 8.",
		Mail:         "Mark8ProjectTeam@contoso.onmicrosoft.com",
		MailNickname: "Mark8ProjectTeam",
		MailEnabled:  true,
		GroupTypes:   []string{"Unified"},
		Visibility:   "Public",
		Members:      []string{adele, alex, megan},
		Owners:       []string{adele},
	})
	if err != nil {
		return err
	}
	if err := srv.AddTeam(g.ID, "Design"); err != nil {
		return err
	}
	if _, err := srv.InstallTeamsApp(g.ID, graphtest.TeamsApp{DisplayName: "OneNote", Version: "1.0.0",
		ShortDescription: "Capture and share ideas, to-do lists and other notes with your team."}); err != nil {
		return err
	}
	chat, err := srv.AddChat("oneOnOne", "", adele, alex)
	if err != nil {
		return err
	}
	_, err = srv.AddChatMessage(chat, alex, "Are we still on for the Mark 8 design review at 3?")
	return err
}
