package groups_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/groups"
	msg "github.com/go-o365/o365/message"
	"github.com/go-o365/o365/query"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestListFilterSearchCount(t *testing.T) {
	e := newEnv(t, graphtest.WithPageSize(2))
	gs := e.account(adele, "groups").Groups()

	all := collect(t, gs.List(e.ctx))
	assert.Equal(t, []string{"Golf Pros", "Golf Assist", "HR Taskforce", "Library"}, names(all), "two pages of two")
	assert.True(t, all[1].IsUnified())
	assert.False(t, all[0].IsUnified())
	assert.Equal(t, "golfassist@contoso.onmicrosoft.com", all[1].Mail)
	assert.False(t, all[1].CreatedDateTime.IsZero())

	unified := query.New().Where(query.Any("groupTypes", "t", query.Eq("t", "Unified"))).OrderBy("displayName", query.Desc)
	assert.Equal(t, []string{"Library", "HR Taskforce", "Golf Assist"}, names(collect(t, gs.List(e.ctx, o365.Query(unified)))))

	// $search looks in display names and descriptions.
	assert.ElementsMatch(t, []string{"Golf Pros", "Golf Assist"}, names(collect(t, gs.Search(e.ctx, "golf"))))
	assert.Equal(t, []string{"Golf Pros"}, names(collect(t, gs.Search(e.ctx, "coaches"))))
	assert.Empty(t, collect(t, gs.Search(e.ctx, `x" OR "displayName:golf`)), "quotes cannot end the phrase")
	_, err := collectErr(gs.Search(e.ctx, " "))
	assert.ErrorContains(t, err, "empty text")

	n, err := gs.Count(e.ctx, o365.Query(unified))
	require.NoError(t, err)
	assert.EqualValues(t, 3, n)
	n, err = gs.Count(e.ctx, api.Param("$search", `"displayName:golf"`))
	require.NoError(t, err)
	assert.EqualValues(t, 2, n)

	// Every page of every list carried ConsistencyLevel: eventual, which
	// $search and $count need.
	pages := 0
	for _, r := range e.srv.Requests() {
		if r.Path == "/v1.0/groups" {
			pages++
			assert.Equal(t, "eventual", r.Header.Get("ConsistencyLevel"), r.RawQuery)
		}
	}
	assert.GreaterOrEqual(t, pages, 7)
}

func TestGetByIDAndMail(t *testing.T) {
	e := newEnv(t)
	gs := e.account(alex, "groups").Groups()

	g := e.group(gs, e.golf.ID)
	assert.Equal(t, "Golf Assist", g.DisplayName)
	assert.Equal(t, []string{"Unified"}, g.GroupTypes)
	assert.Equal(t, "Public", g.Visibility)
	assert.True(t, g.MailEnabled)
	assert.Equal(t, []string{"SMTP:golfassist@contoso.onmicrosoft.com"}, g.ProxyAddresses)
	assert.Equal(t, "groups/"+e.golf.ID, g.Resource())

	byMail, err := gs.GroupByMail(e.ctx, "GolfAssist@Contoso.onmicrosoft.com")
	require.NoError(t, err)
	assert.Equal(t, e.golf.ID, byMail.ID)

	_, err = gs.Group(e.ctx, "00000000-0000-0000-0000-000000000000")
	assert.ErrorIs(t, err, o365.ErrNotFound)
	require.NotNil(t, graphError(err))
	assert.Equal(t, "Request_ResourceNotFound", graphError(err).Code)
	_, err = gs.GroupByMail(e.ctx, "nobody@contoso.onmicrosoft.com")
	assert.ErrorIs(t, err, o365.ErrNotFound)
	_, err = gs.Group(e.ctx, "")
	assert.ErrorContains(t, err, "empty id")
}

func TestMemberOf(t *testing.T) {
	e := newEnv(t)
	gs := e.account(megan, "groups", "users").Groups()

	assert.Equal(t, []string{"Golf Pros", "HR Taskforce"}, names(collect(t, gs.MemberOf(e.ctx, "me"))))
	// Megan is in Golf Assist through Golf Pros.
	assert.Equal(t, []string{"Golf Pros", "Golf Assist", "HR Taskforce"}, names(collect(t, gs.TransitiveMemberOf(e.ctx, "me"))))
	assert.Equal(t, []string{"Golf Assist"}, names(collect(t, gs.MemberOf(e.ctx, alex))))
	assert.Equal(t, []string{"Golf Assist"}, names(collect(t, gs.MemberOf(e.ctx, e.ids[alex]))))
	for _, g := range collect(t, gs.MemberOf(e.ctx, "me")) {
		assert.Equal(t, groups.TypeGroup, g.ODataType)
	}
	_, err := collectErr(gs.MemberOf(e.ctx, "ghost@contoso.onmicrosoft.com"))
	assert.ErrorIs(t, err, o365.ErrNotFound)
	_, err = collectErr(gs.MemberOf(e.ctx, ""))
	assert.ErrorContains(t, err, "empty user")

	// A group's own memberships.
	pros := e.group(gs, e.pros.ID)
	assert.Equal(t, []string{"Golf Assist"}, names(collect(t, pros.MemberOf(e.ctx))))
}

func TestMembersAndOwners(t *testing.T) {
	e := newEnv(t)
	gs := e.account(adele, "groups_all").Groups()
	golf := e.group(gs, e.golf.ID)

	members := collect(t, golf.Members(e.ctx))
	assert.Equal(t, []string{"Alex Wilber", "Golf Pros"}, objectNames(members))
	assert.True(t, members[0].IsUser())
	assert.Equal(t, alex, members[0].UserPrincipalName)
	assert.Equal(t, alex, members[0].User().UserPrincipalName)
	assert.True(t, members[1].IsGroup())
	assert.Equal(t, "golfpros", members[1].MailNickname)
	assert.Equal(t, []string{"Alex Wilber", "Golf Pros", "Megan Bowen"}, objectNames(collect(t, golf.TransitiveMembers(e.ctx))))
	assert.Equal(t, []string{"Adele Vance"}, objectNames(collect(t, golf.Owners(e.ctx))))

	// Add a member: POST …/members/$ref with the object's @odata.id.
	mark := e.wire.Mark()
	require.NoError(t, golf.AddMember(e.ctx, e.ids[megan]))
	sent := e.wire.Since(mark)
	require.Len(t, sent, 1)
	assert.Equal(t, http.MethodPost, sent[0].Method)
	assert.True(t, strings.HasSuffix(sent[0].URL, "/v1.0/groups/"+e.golf.ID+"/members/$ref"), sent[0].URL)
	assert.JSONEq(t, `{"@odata.id": "`+e.srv.GraphURL()+`/v1.0/directoryObjects/`+e.ids[megan]+`"}`, sent[0].Body)
	assert.Equal(t, []string{"Alex Wilber", "Golf Pros", "Megan Bowen"}, objectNames(collect(t, golf.Members(e.ctx))))

	// Twice: Graph's 400.
	err := golf.AddMember(e.ctx, e.ids[megan])
	require.Error(t, err)
	assert.ErrorIs(t, err, o365.ErrBadRequest)
	ge := graphError(err)
	require.NotNil(t, ge, "a *GraphError: %v", err)
	assert.Equal(t, http.StatusBadRequest, ge.StatusCode)
	assert.Contains(t, ge.Message, "One or more added object references already exist")

	// Unknown objects.
	assert.ErrorIs(t, golf.AddMember(e.ctx, "00000000-0000-0000-0000-00000000dead"), o365.ErrNotFound)
	assert.ErrorContains(t, golf.AddMember(e.ctx, ""), "empty member")

	require.NoError(t, golf.RemoveMember(e.ctx, e.ids[megan]))
	require.NoError(t, golf.RemoveMember(e.ctx, e.pros.ID))
	assert.Equal(t, []string{"Alex Wilber"}, objectNames(collect(t, golf.Members(e.ctx))))
	assert.ErrorIs(t, golf.RemoveMember(e.ctx, e.pros.ID), o365.ErrNotFound, "not a member any more")

	require.NoError(t, golf.AddOwner(e.ctx, e.ids[alex]))
	assert.Equal(t, []string{"Adele Vance", "Alex Wilber"}, objectNames(collect(t, golf.Owners(e.ctx))))
	assert.ErrorIs(t, golf.AddOwner(e.ctx, e.ids[alex]), o365.ErrBadRequest)
	require.NoError(t, golf.RemoveOwner(e.ctx, e.ids[adele]))
	assert.Equal(t, []string{"Alex Wilber"}, objectNames(collect(t, golf.Owners(e.ctx))))
	assert.ErrorIs(t, golf.RemoveOwner(e.ctx, e.ids[alex]), o365.ErrBadRequest, "the last owner stays")

	// The emulator's state agrees.
	for _, g := range e.srv.Groups() {
		if g.ID == e.golf.ID {
			assert.Equal(t, []string{e.ids[alex]}, g.Members)
			assert.Equal(t, []string{e.ids[alex]}, g.Owners)
		}
	}

	// A group not read through Groups cannot call Graph.
	_, err = collectErr((&groups.Group{ID: e.golf.ID}).Members(e.ctx))
	assert.ErrorIs(t, err, groups.ErrNotBound)
}

func TestCreateAndDelete(t *testing.T) {
	e := newEnv(t)
	acct := e.account(adele, "groups_all")
	gs := acct.Groups()

	mark := e.wire.Mark()
	g, err := gs.Create(e.ctx, groups.NewGroup{DisplayName: "Library Assist", Description: "Self help community for library",
		MailNickname: "libraryassist", Visibility: "Private", Members: []string{e.ids[alex], e.pros.ID}})
	require.NoError(t, err)
	sent := e.wire.Since(mark)
	require.Len(t, sent, 1)
	assert.JSONEq(t, `{"displayName": "Library Assist", "description": "Self help community for library",
		"groupTypes": ["Unified"], "mailEnabled": true, "mailNickname": "libraryassist", "securityEnabled": false,
		"visibility": "Private", "members@odata.bind": ["`+e.srv.GraphURL()+`/v1.0/directoryObjects/`+e.ids[alex]+`",
		"`+e.srv.GraphURL()+`/v1.0/directoryObjects/`+e.pros.ID+`"]}`, sent[0].Body)

	assert.NotEmpty(t, g.ID)
	assert.True(t, g.IsUnified())
	assert.Equal(t, "libraryassist@contoso.onmicrosoft.com", g.Mail)
	assert.Equal(t, "Private", g.Visibility)
	// Without owners, the caller owns it.
	assert.Equal(t, []string{"Adele Vance"}, objectNames(collect(t, g.Owners(e.ctx))))
	assert.Equal(t, []string{"Alex Wilber", "Golf Pros"}, objectNames(collect(t, g.Members(e.ctx))))
	// Its document library is there at once.
	d, err := acct.Storage(g.Resource()).DefaultDrive(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, "documentLibrary", d.DriveType)

	// Owners named explicitly.
	g2, err := gs.Create(e.ctx, groups.NewGroup{DisplayName: "Book Club", MailNickname: "bookclub", Owners: []string{e.ids[megan]}})
	require.NoError(t, err)
	assert.Equal(t, []string{"Megan Bowen"}, objectNames(collect(t, g2.Owners(e.ctx))))
	assert.Equal(t, "Public", g2.Visibility, "Graph's default for a Microsoft 365 group")

	// The same alias again.
	_, err = gs.Create(e.ctx, groups.NewGroup{DisplayName: "Book Club 2", MailNickname: "bookclub"})
	assert.ErrorIs(t, err, o365.ErrBadRequest)

	// Update sends what changed.
	desc, vis := "Books and e-books", "Public"
	mark = e.wire.Mark()
	require.NoError(t, g.Update(e.ctx, groups.GroupChanges{Description: &desc, Visibility: &vis}))
	sent = e.wire.Since(mark)
	require.Len(t, sent, 1)
	assert.Equal(t, http.MethodPatch, sent[0].Method)
	assert.JSONEq(t, `{"description": "Books and e-books", "visibility": "Public"}`, sent[0].Body)
	assert.Equal(t, "Public", g.Visibility)
	again := e.group(gs, g.ID)
	assert.Equal(t, "Books and e-books", again.Description)
	assert.Equal(t, "Library Assist", again.DisplayName)
	empty := " "
	assert.ErrorContains(t, g.Update(e.ctx, groups.GroupChanges{DisplayName: &empty}), "empty display name")
	mark = e.wire.Mark()
	require.NoError(t, g.Update(e.ctx, groups.GroupChanges{}))
	assert.Empty(t, e.wire.Since(mark), "nothing to change, nothing sent")

	require.NoError(t, g.Delete(e.ctx))
	_, err = gs.Group(e.ctx, g.ID)
	assert.ErrorIs(t, err, o365.ErrNotFound)
	require.NoError(t, gs.Delete(e.ctx, g2.ID))
	assert.ErrorIs(t, gs.Delete(e.ctx, g2.ID), o365.ErrNotFound)
}

func TestCreateRefusesBadInputBeforeSending(t *testing.T) {
	e := newEnv(t)
	gs := e.account(adele, "groups_all").Groups()
	mark := e.wire.Mark()
	for _, tc := range []struct {
		ng   groups.NewGroup
		want string
	}{
		{groups.NewGroup{MailNickname: "x"}, "empty display name"},
		{groups.NewGroup{DisplayName: "  ", MailNickname: "x"}, "empty display name"},
		{groups.NewGroup{DisplayName: "X"}, "empty mail nickname"},
		{groups.NewGroup{DisplayName: "X", MailNickname: "two words"}, `holds ' '`},
		{groups.NewGroup{DisplayName: "X", MailNickname: "a@b"}, `holds '@'`},
		{groups.NewGroup{DisplayName: "X", MailNickname: "café"}, `holds 'é'`},
		{groups.NewGroup{DisplayName: "X", MailNickname: strings.Repeat("a", 65)}, "longer than 64"},
		{groups.NewGroup{DisplayName: "X", MailNickname: "x", Owners: []string{""}}, "empty owner or member id"},
	} {
		_, err := gs.Create(e.ctx, tc.ng)
		assert.ErrorContains(t, err, tc.want, "%+v", tc.ng)
	}
	assert.Empty(t, e.wire.Since(mark), "bad input never reaches Graph")
	assert.ErrorContains(t, gs.Delete(e.ctx, ""), "empty id")
}

func TestScopes(t *testing.T) {
	e := newEnv(t)
	none := e.account(adele, "basic").Groups()
	_, err := collectErr(none.List(e.ctx))
	assert.ErrorIs(t, err, o365.ErrForbidden)

	reader := e.account(adele, "groups").Groups()
	_, err = reader.Create(e.ctx, groups.NewGroup{DisplayName: "X", MailNickname: "x"})
	assert.ErrorIs(t, err, o365.ErrForbidden, "Group.Read.All cannot create")
	golf := e.group(reader, e.golf.ID)
	assert.ErrorIs(t, golf.AddMember(e.ctx, e.ids[megan]), o365.ErrForbidden)

	// GroupMember.Read.All reads members; GroupMember.ReadWrite.All changes them.
	memberReader := e.account(alex, "GroupMember.ReadWrite.All").Groups()
	golf = e.group(memberReader, e.golf.ID)
	assert.Len(t, collect(t, golf.Members(e.ctx)), 2)
	require.NoError(t, golf.AddMember(e.ctx, e.ids[megan]))

	// An app-only caller reads and writes without scopes.
	app := e.app().Groups()
	assert.Len(t, collect(t, app.List(e.ctx)), 4)
	g, err := app.Create(e.ctx, groups.NewGroup{DisplayName: "App made", MailNickname: "appmade", Owners: []string{e.ids[megan]}})
	require.NoError(t, err)
	assert.Equal(t, "appmade@contoso.onmicrosoft.com", g.Mail)
	_, err = collectErr(app.MemberOf(e.ctx, "me"))
	assert.ErrorIs(t, err, o365.ErrBadRequest, "an app has no /me")
}

func TestConversations(t *testing.T) {
	e := newEnv(t)
	gs := e.account(adele, "groups_all").Groups()
	golf := e.group(gs, e.golf.ID)

	body := groups.ItemBody{ContentType: "html", Content: "<p>Tee time <b>Saturday</b> at 8?</p>"}
	c, err := golf.StartConversation(e.ctx, "Saturday round", groups.Post{Body: body,
		NewParticipants: []groups.Recipient{{EmailAddress: msg.EmailAddress{Name: "Megan Bowen", Address: megan}}}})
	require.NoError(t, err)
	require.NotEmpty(t, c.ID)
	require.Len(t, c.Threads, 1)
	threadID := c.Threads[0].ID
	assert.Equal(t, "Saturday round", c.Topic)

	convs := collect(t, golf.Conversations(e.ctx))
	require.Len(t, convs, 1)
	assert.Equal(t, "Saturday round", convs[0].Topic)
	assert.Equal(t, []string{"Adele Vance"}, convs[0].UniqueSenders)
	assert.Equal(t, "Tee time Saturday at 8?", convs[0].Preview)
	got, err := golf.Conversation(e.ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, c.ID, got.ID)

	// Alex replies to the thread; the reply comes last.
	alexGolf := e.group(e.account(alex, "groups_all").Groups(), e.golf.ID)
	require.NoError(t, alexGolf.Reply(e.ctx, threadID, groups.Post{Body: groups.ItemBody{ContentType: "text", Content: "Count me in"}}))
	posts := collect(t, golf.Posts(e.ctx, threadID))
	require.Len(t, posts, 2)
	assert.Equal(t, body.Content, posts[0].Body.Content)
	assert.Equal(t, adele, posts[0].Sender.EmailAddress.Address)
	assert.Equal(t, megan, posts[0].NewParticipants[0].EmailAddress.Address)
	assert.Equal(t, "Count me in", posts[1].Body.Content)
	assert.EqualValues(t, "text", posts[1].Body.ContentType)
	assert.Equal(t, "Alex Wilber", posts[1].From.EmailAddress.Name)
	assert.Equal(t, threadID, posts[1].ConversationThreadID)
	assert.Equal(t, c.ID, posts[1].ConversationID)

	threads := collect(t, golf.Threads(e.ctx))
	require.Len(t, threads, 1)
	assert.ElementsMatch(t, []string{"Adele Vance", "Alex Wilber"}, threads[0].UniqueSenders)
	assert.Equal(t, "Count me in", threads[0].Preview)
	assert.Equal(t, megan, threads[0].CcRecipients[0].EmailAddress.Address)
	assert.Len(t, collect(t, golf.ConversationThreads(e.ctx, c.ID)), 1)
	th, err := golf.Thread(e.ctx, threadID)
	require.NoError(t, err)
	assert.Equal(t, "Saturday round", th.Topic)

	// A second conversation lists first (latest first).
	_, err = golf.StartConversation(e.ctx, "Lost balls", groups.Post{Body: groups.ItemBody{Content: "Who has a spare?"}})
	require.NoError(t, err)
	assert.Len(t, collect(t, golf.Conversations(e.ctx)), 2)

	// Deleting a conversation takes its threads.
	lost, err := golf.StartConversation(e.ctx, "Typo", groups.Post{Body: groups.ItemBody{Content: "oops"}})
	require.NoError(t, err)
	require.NoError(t, golf.DeleteConversation(e.ctx, lost.ID))
	_, err = golf.Conversation(e.ctx, lost.ID)
	assert.ErrorIs(t, err, o365.ErrNotFound)
	assert.Len(t, collect(t, golf.Threads(e.ctx)), 2)

	// Bad input and unknown ids.
	_, err = golf.StartConversation(e.ctx, "", groups.Post{Body: body})
	assert.ErrorContains(t, err, "empty topic")
	assert.ErrorContains(t, golf.Reply(e.ctx, threadID, groups.Post{}), "without content")
	assert.ErrorIs(t, golf.Reply(e.ctx, "AAMkAGnope", groups.Post{Body: body}), o365.ErrNotFound)
	_, err = collectErr(golf.Posts(e.ctx, "AAMkAGnope"))
	assert.ErrorIs(t, err, o365.ErrNotFound)
	_, err = golf.Conversation(e.ctx, "AAMkAGnope")
	assert.ErrorIs(t, err, o365.ErrNotFound)

	// Reading needs Group.Read.All; posting Group.ReadWrite.All and a user.
	readerGolf := e.group(e.account(alex, "groups").Groups(), e.golf.ID)
	assert.Len(t, collect(t, readerGolf.Conversations(e.ctx)), 2)
	assert.ErrorIs(t, readerGolf.Reply(e.ctx, threadID, groups.Post{Body: body}), o365.ErrForbidden)
	appGolf := e.group(e.app().Groups(), e.golf.ID)
	assert.Len(t, collect(t, appGolf.Conversations(e.ctx)), 2)
	assert.ErrorIs(t, appGolf.Reply(e.ctx, threadID, groups.Post{Body: body}), o365.ErrForbidden)

	// A private group's conversations are its members' only.
	hrAsAdele := e.group(gs, e.hr.ID)
	_, err = collectErr(hrAsAdele.Conversations(e.ctx))
	assert.ErrorIs(t, err, o365.ErrForbidden)
	hrAsMegan := e.group(e.account(megan, "groups_all").Groups(), e.hr.ID)
	_, err = hrAsMegan.StartConversation(e.ctx, "Reviews", groups.Post{Body: groups.ItemBody{Content: "Due Friday"}})
	require.NoError(t, err)

	// A security group has no mailbox.
	pros := e.group(gs, e.pros.ID)
	_, err = collectErr(pros.Conversations(e.ctx))
	assert.ErrorIs(t, err, o365.ErrNotFound)
}

func TestCalendarAndDriveAsMainResource(t *testing.T) {
	e := newEnv(t)
	acct := e.account(alex, "groups_all", "calendar")
	golf := e.group(acct.Groups(), e.golf.ID)
	sched := acct.Schedule(golf.Resource())

	cal, err := sched.DefaultCalendar(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, "golfassist@contoso.onmicrosoft.com", cal.Owner.Address)

	ev := sched.NewEvent()
	ev.Subject = "Club championship"
	ev.Start = mustTime(t, "2026-06-06T09:00:00Z")
	ev.End = mustTime(t, "2026-06-06T15:00:00Z")
	require.NoError(t, ev.Save(e.ctx))
	require.NotEmpty(t, ev.ID)
	assert.Equal(t, "Golf Assist", ev.Organizer.EmailAddress.Name)

	var subjects []string
	for x, err := range sched.Events(e.ctx) {
		require.NoError(t, err)
		subjects = append(subjects, x.Subject)
	}
	assert.Equal(t, []string{"Club championship"}, subjects)
	view := collect(t, sched.CalendarView(e.ctx, mustTime(t, "2026-06-01T00:00:00Z"), mustTime(t, "2026-06-30T00:00:00Z")))
	require.Len(t, view, 1)
	got, err := sched.Event(e.ctx, ev.ID)
	require.NoError(t, err)
	assert.Equal(t, "Club championship", got.Subject)
	ev.Subject = "Club championship (final)"
	require.NoError(t, ev.Save(e.ctx))
	// The group's calendar is its own: Alex's is empty.
	assert.Empty(t, collect(t, acct.Schedule().Events(e.ctx)))
	require.NoError(t, ev.Delete(e.ctx))
	assert.Empty(t, collect(t, sched.Events(e.ctx)))

	// Graph's group calendar takes delegated callers only.
	_, err = e.app().Schedule(golf.Resource()).DefaultCalendar(e.ctx)
	assert.ErrorIs(t, err, o365.ErrForbidden)
	_, err = acct.Schedule("groups/00000000-0000-0000-0000-000000000000").DefaultCalendar(e.ctx)
	assert.ErrorIs(t, err, o365.ErrNotFound)

	// The document library.
	st := acct.Storage(golf.Resource())
	d, err := st.DefaultDrive(e.ctx)
	require.NoError(t, err)
	root, err := d.Root(e.ctx)
	require.NoError(t, err)
	_, err = root.Upload(e.ctx, "scores.csv", strings.NewReader("hole,par\n1,4\n"), int64(len("hole,par\n1,4\n")), nil)
	require.NoError(t, err)
	var files []string
	for it, err := range root.Children(e.ctx) {
		require.NoError(t, err)
		files = append(files, it.Name)
	}
	assert.Equal(t, []string{"scores.csv"}, files)
	data, err := e.srv.FileContent(d.ID, "scores.csv")
	require.NoError(t, err)
	assert.Equal(t, "hole,par\n1,4\n", string(data))
}

// A private group's document library is its members' and owners' only,
// whether reached through the group or by the drive's id; a public
// group's is open to any user.
func TestPrivateGroupDriveIsMembersOnly(t *testing.T) {
	e := newEnv(t)
	meganHR := e.account(megan, "groups_all", "onedrive_all").Storage(groups.Resource(e.hr.ID))
	d, err := meganHR.DefaultDrive(e.ctx)
	require.NoError(t, err)
	root, err := d.Root(e.ctx)
	require.NoError(t, err)
	_, err = root.Upload(e.ctx, "salaries.csv", strings.NewReader("name,pay\n"), int64(len("name,pay\n")), nil)
	require.NoError(t, err)

	alexAcct := e.account(alex, "groups_all", "onedrive_all")
	_, err = alexAcct.Storage(groups.Resource(e.hr.ID)).DefaultDrive(e.ctx)
	assert.ErrorIs(t, err, o365.ErrForbidden, "a non-member, through the group")
	_, err = alexAcct.Storage().Drive(e.ctx, d.ID)
	assert.ErrorIs(t, err, o365.ErrForbidden, "a non-member, by the drive's id")
	_, err = collectErr(alexAcct.Storage(groups.Resource(e.hr.ID)).Drives(e.ctx))
	assert.ErrorIs(t, err, o365.ErrForbidden, "a non-member, listing the group's drives")

	_, err = e.app().Storage(groups.Resource(e.hr.ID)).DefaultDrive(e.ctx)
	assert.NoError(t, err, "an app")
	_, err = alexAcct.Storage(groups.Resource(e.golf.ID)).DefaultDrive(e.ctx)
	assert.NoError(t, err, "a public group's drive")
}

func TestUnboundAndEmptyIDs(t *testing.T) {
	var g groups.Group
	assert.ErrorIs(t, g.Delete(t.Context()), groups.ErrNotBound)
	_, err := g.StartConversation(t.Context(), "x", groups.Post{Body: groups.ItemBody{Content: "y"}})
	assert.True(t, errors.Is(err, groups.ErrNotBound))
	assert.Equal(t, "groups/abc", groups.Resource("abc"))
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	require.NoError(t, err)
	return tm
}
