package teams_test

import (
	"testing"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/teams"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestJoinedTeamsComeFromGroupMembership(t *testing.T) {
	e := newEnv(t)
	// A second Unified group without a team is not a joined team.
	_, err := e.srv.AddGroup(graphtest.Group{DisplayName: "No team", GroupTypes: []string{"Unified"}, Members: []string{adeleUPN}})
	require.NoError(t, err)

	adele := o365test.Collect(t, e.signIn(adeleUPN, "teams").JoinedTeams(e.ctx))
	require.Len(t, adele, 1)
	assert.Equal(t, e.teamID, adele[0].ID)
	assert.Equal(t, "Mark 8 Project Team", adele[0].DisplayName)
	assert.Empty(t, o365test.Collect(t, e.signIn(meganUPN, "teams").JoinedTeams(e.ctx)))

	// Joining the group joins the team.
	require.NoError(t, e.srv.AddGroupMember(e.teamID, meganUPN))
	megan := o365test.Collect(t, e.signIn(meganUPN, "teams").JoinedTeams(e.ctx))
	require.Len(t, megan, 1)
	assert.Equal(t, e.teamID, megan[0].ID)
}

func TestGetTeam(t *testing.T) {
	e := newEnv(t)
	tm, err := e.signIn(alexUPN, "teams").Team(e.ctx, e.teamID)
	require.NoError(t, err)
	assert.Equal(t, e.teamID, tm.ID)
	assert.Equal(t, "Mark 8 Project Team", tm.DisplayName)
	assert.Equal(t, "public", tm.Visibility)
	require.NotNil(t, tm.Summary)
	assert.Equal(t, teams.TeamSummary{OwnersCount: 1, MembersCount: 2}, *tm.Summary)
	require.NotNil(t, tm.MessagingSettings)
	assert.True(t, tm.MessagingSettings.AllowUserEditMessages)

	_, err = e.signIn(meganUPN, "teams").Team(e.ctx, e.teamID)
	assert.ErrorIs(t, err, api.ErrForbidden, "Megan is not a member")
	_, err = e.signIn(alexUPN, "teams").Team(e.ctx, "00000000-0000-0000-0000-000000000000")
	assert.ErrorIs(t, err, api.ErrNotFound)
}

func TestAddTeamNeedsAUnifiedGroup(t *testing.T) {
	e := newEnv(t)
	sec, err := e.srv.AddGroup(graphtest.Group{DisplayName: "Security", SecurityEnabled: true})
	require.NoError(t, err)
	assert.ErrorContains(t, e.srv.AddTeam(sec.ID), "not a Microsoft 365 (Unified) group")
	assert.ErrorContains(t, e.srv.AddTeam(e.teamID), "already has a team")
	assert.ErrorContains(t, e.srv.AddTeam("nope"), `no group "nope"`)
}

func TestChannels(t *testing.T) {
	e := newEnv(t)
	tms := e.signIn(adeleUPN, "teams_all")
	tm := tms.TeamOf(e.teamID)

	names := func() []string {
		var out []string
		for _, c := range o365test.Collect(t, tm.Channels(e.ctx)) {
			assert.Equal(t, e.teamID, c.TeamID)
			out = append(out, c.DisplayName)
		}
		return out
	}
	assert.Equal(t, []string{"General", "Design"}, names())

	created, err := tm.CreateChannel(e.ctx, teams.NewChannel{DisplayName: "Architecture Discussion",
		Description: "This channel is where we debate all future architecture plans"})
	require.NoError(t, err)
	assert.Regexp(t, `^19:[0-9a-f]+@thread\.tacv2$`, created.ID)
	assert.Equal(t, "standard", created.MembershipType)
	assert.Equal(t, []string{"General", "Design", "Architecture Discussion"}, names())

	got, err := tm.Channel(e.ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, "This channel is where we debate all future architecture plans", got.Description)

	_, err = tm.CreateChannel(e.ctx, teams.NewChannel{DisplayName: "architecture discussion"})
	assert.ErrorIs(t, err, api.ErrConflict)

	require.NoError(t, got.Delete(e.ctx))
	_, err = tm.Channel(e.ctx, created.ID)
	assert.ErrorIs(t, err, api.ErrNotFound)
	assert.Equal(t, []string{"General", "Design"}, names())

	general := e.channel(tms, "General")
	assert.ErrorIs(t, general.Delete(e.ctx), api.ErrBadRequest, "the General channel stays")
}

func TestChannelMembers(t *testing.T) {
	e := newEnv(t)
	members := o365test.Collect(t, e.channel(e.signIn(alexUPN, "teams_all"), "Design").Members(e.ctx))
	require.Len(t, members, 2)
	byName := map[string]teams.ConversationMember{}
	for _, m := range members {
		byName[m.DisplayName] = m
	}
	assert.True(t, byName["Adele Vance"].IsOwner())
	assert.Equal(t, e.adele.ID, byName["Adele Vance"].UserID)
	assert.Equal(t, adeleUPN, byName["Adele Vance"].Email)
	assert.False(t, byName["Alex Wilber"].IsOwner())
	assert.Empty(t, byName["Alex Wilber"].Roles)
}

func TestUnknownTeamAndChannel(t *testing.T) {
	e := newEnv(t)
	tms := e.signIn(adeleUPN, allScopes...)
	_, err := tms.TeamOf("4d7ba3a0-9a6e-4a1f-8c1e-3f0a5d1c2b77").Channel(e.ctx, "19:x@thread.tacv2")
	assert.ErrorIs(t, err, api.ErrNotFound)
	_, err = tms.TeamOf(e.teamID).Channel(e.ctx, "19:0000@thread.tacv2")
	assert.ErrorIs(t, err, api.ErrNotFound)
	assert.ErrorIs(t, firstErr(tms.ChannelOf(e.teamID, "19:0000@thread.tacv2").Messages(e.ctx)), api.ErrNotFound)
	_, err = tms.ChannelOf(e.teamID, "19:0000@thread.tacv2").Send(e.ctx, teams.Text("hello"))
	assert.ErrorIs(t, err, api.ErrNotFound)
	_, err = e.channel(tms, "General").Message(e.ctx, "1234")
	assert.ErrorIs(t, err, api.ErrNotFound)
}

func TestScopesAreChecked(t *testing.T) {
	e := newEnv(t)
	tms := e.signIn(adeleUPN, "teams") // no channel messages
	assert.ErrorIs(t, firstErr(e.channel(tms, "General").Messages(e.ctx)), api.ErrForbidden)
	_, err := tms.TeamOf(e.teamID).CreateChannel(e.ctx, teams.NewChannel{DisplayName: "x"})
	assert.ErrorIs(t, err, api.ErrForbidden, "teams reads, teams_all creates")
	assert.ErrorIs(t, firstErr(tms.Chats(e.ctx)), api.ErrForbidden)
	_, err = e.signIn(adeleUPN, "chats").CreateChat(e.ctx, teams.OneOnOne, "", adeleUPN, alexUPN)
	assert.ErrorIs(t, err, api.ErrForbidden, "chats reads, chats_all creates")
}

func TestInstalledApps(t *testing.T) {
	e := newEnv(t)
	app, err := e.srv.InstallTeamsApp(e.teamID, graphtest.TeamsApp{DisplayName: "OneNote", Version: "1.0.0",
		ShortDescription: "Capture and share ideas, to-do lists and other notes with your team."})
	require.NoError(t, err)
	apps := o365test.Collect(t, e.signIn(alexUPN, "teams_all").TeamOf(e.teamID).InstalledApps(e.ctx))
	require.Len(t, apps, 1)
	require.NotNil(t, apps[0].Definition, "listed with $expand=teamsAppDefinition")
	assert.Equal(t, "OneNote", apps[0].Definition.DisplayName)
	assert.Equal(t, app.ID, apps[0].Definition.TeamsAppID)
	assert.NotEqual(t, app.ID, apps[0].ID, "the installation's id is not the app's")
	assert.ErrorIs(t, firstErr(e.signIn(meganUPN, "teams_all").TeamOf(e.teamID).InstalledApps(e.ctx)), api.ErrForbidden)
}
