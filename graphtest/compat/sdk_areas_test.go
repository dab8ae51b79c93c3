package compat_test

// msgraph-sdk-go's fluent request builders through the areas graphtest
// emulates beyond mail, calendar, contacts and files: groups, Teams,
// Planner, To Do, Outlook categories and mailbox settings, and Excel.

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
	"github.com/go-o365/o365/graphtest"
	abstractions "github.com/microsoft/kiota-abstractions-go"
	absser "github.com/microsoft/kiota-abstractions-go/serialization"
	khttp "github.com/microsoft/kiota-http-go"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
	"github.com/microsoftgraph/msgraph-sdk-go/communications"
	"github.com/microsoftgraph/msgraph-sdk-go/drives"
	"github.com/microsoftgraph/msgraph-sdk-go/groups"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
	"github.com/microsoftgraph/msgraph-sdk-go/planner"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// areaScopes are the delegated scopes of the area tests' tokens.
var areaScopes = []string{
	"User.Read", "User.ReadBasic.All", "Group.ReadWrite.All", "Directory.Read.All",
	"Files.ReadWrite.All", "Sites.ReadWrite.All", "Calendars.ReadWrite",
	"Team.ReadBasic.All", "Channel.ReadBasic.All", "Channel.Create", "ChannelMessage.Send",
	"ChannelMessage.Read.All", "ChannelMessage.ReadWrite", "Chat.ReadWrite", "Chat.Create", "Presence.ReadWrite", "Presence.Read.All",
	"Tasks.ReadWrite", "MailboxSettings.ReadWrite",
}

func (te *tenant) areaClient(t testing.TB, upn string) (*msgraphsdk.GraphServiceClient, *msgraphsdk.GraphRequestAdapter) {
	t.Helper()
	tok, err := te.srv.UserToken(upn, areaScopes...)
	require.NoError(t, err)
	return sdkClient(t, te.srv, tok)
}

// salesGroup adds the Microsoft 365 group the area tests share: Adele
// owns it, Adele and Megan are members.
func (te *tenant) salesGroup(t testing.TB) graphtest.Group {
	t.Helper()
	g, err := te.srv.AddGroup(graphtest.Group{DisplayName: "Sales", Description: "Sales team",
		Mail: "sales@contoso.com", MailNickname: "sales", MailEnabled: true, GroupTypes: []string{"Unified"},
		Visibility: "Public", Members: []string{"adele@contoso.com", "megan@contoso.com"},
		Owners: []string{"adele@contoso.com"}})
	require.NoError(t, err)
	return g
}

// statusOf is the HTTP status of an error the SDK returned.
func statusOf(err error) int {
	var e interface{ GetStatusCode() int }
	if errors.As(err, &e) {
		return e.GetStatusCode()
	}
	return 0
}

func untypedRows(rows ...[]any) absser.UntypedNodeable {
	var out []absser.UntypedNodeable
	for _, r := range rows {
		var cells []absser.UntypedNodeable
		for _, v := range r {
			switch x := v.(type) {
			case string:
				cells = append(cells, absser.NewUntypedString(x))
			case float64:
				cells = append(cells, absser.NewUntypedDouble(x))
			case int:
				cells = append(cells, absser.NewUntypedInteger(int32(x)))
			}
		}
		out = append(out, absser.NewUntypedArray(cells))
	}
	return absser.NewUntypedArray(out)
}

// plain turns an untyped node the SDK decoded into Go values.
func plain(n absser.UntypedNodeable) any {
	switch x := n.(type) {
	case *absser.UntypedArray:
		var out []any
		for _, e := range x.GetValue() {
			out = append(out, plain(e))
		}
		return out
	case *absser.UntypedString:
		return *x.GetValue()
	case *absser.UntypedDouble:
		return *x.GetValue()
	case *absser.UntypedFloat:
		return float64(*x.GetValue())
	case *absser.UntypedInteger:
		return float64(*x.GetValue())
	case *absser.UntypedLong:
		return float64(*x.GetValue())
	case *absser.UntypedBoolean:
		return *x.GetValue()
	case *absser.UntypedNull, nil:
		return nil
	}
	return n
}

func TestSDKGroups(t *testing.T) {
	te := newTenant(t)
	client, _ := te.areaClient(t, "adele@contoso.com")
	ctx := context.Background()
	sales := te.salesGroup(t)
	_, err := te.srv.AddGroup(graphtest.Group{DisplayName: "Auditors", MailNickname: "auditors",
		SecurityEnabled: true, Members: []string{"megan@contoso.com"}})
	require.NoError(t, err)

	op(t, sdk, "groups: list with $filter (groupTypes/any)", func(t *testing.T) {
		list, err := client.Groups().Get(ctx, &groups.GroupsRequestBuilderGetRequestConfiguration{
			QueryParameters: &groups.GroupsRequestBuilderGetQueryParameters{
				Filter: ptr("groupTypes/any(c:c eq 'Unified')"), Select: []string{"id", "displayName", "groupTypes"}}})
		require.NoError(t, err)
		require.Len(t, list.GetValue(), 1)
		assert.Equal(t, "Sales", *list.GetValue()[0].GetDisplayName())
		assert.Equal(t, []string{"Unified"}, list.GetValue()[0].GetGroupTypes())
		sec, err := client.Groups().Get(ctx, &groups.GroupsRequestBuilderGetRequestConfiguration{
			QueryParameters: &groups.GroupsRequestBuilderGetQueryParameters{Filter: ptr("startswith(displayName,'Aud')")}})
		require.NoError(t, err)
		require.Len(t, sec.GetValue(), 1)
		assert.True(t, *sec.GetValue()[0].GetSecurityEnabled())
	})
	op(t, sdk, "groups: get", func(t *testing.T) {
		g, err := client.Groups().ByGroupId(sales.ID).Get(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, "sales@contoso.com", *g.GetMail())
		assert.Equal(t, "Public", *g.GetVisibility())
	})
	var created string
	op(t, sdk, "groups: create a Unified group", func(t *testing.T) {
		g := models.NewGroup()
		g.SetDisplayName(ptr("Marketing"))
		g.SetDescription(ptr("Marketing campaigns"))
		g.SetMailEnabled(ptr(true))
		g.SetMailNickname(ptr("marketing"))
		g.SetSecurityEnabled(ptr(false))
		g.SetGroupTypes([]string{"Unified"})
		g.SetAdditionalData(map[string]any{
			"owners@odata.bind": []string{"https://graph.microsoft.com/v1.0/users/" + te.adele.ID},
		})
		out, err := client.Groups().Post(ctx, g, nil)
		require.NoError(t, err)
		require.NotNil(t, out.GetId())
		created = *out.GetId()
		assert.Equal(t, []string{"Unified"}, out.GetGroupTypes())
		owners, err := client.Groups().ByGroupId(created).Owners().Get(ctx, nil)
		require.NoError(t, err)
		require.Len(t, owners.GetValue(), 1)
		assert.Equal(t, te.adele.ID, *owners.GetValue()[0].GetId())
	})
	op(t, sdk, "groups: members list and add via $ref", func(t *testing.T) {
		require.NotEmpty(t, created)
		ref := models.NewReferenceCreate()
		ref.SetOdataId(ptr("https://graph.microsoft.com/v1.0/directoryObjects/" + te.megan.ID))
		require.NoError(t, client.Groups().ByGroupId(created).Members().Ref().Post(ctx, ref, nil))
		members, err := client.Groups().ByGroupId(created).Members().Get(ctx, nil)
		require.NoError(t, err)
		var ids []string
		for _, m := range members.GetValue() {
			ids = append(ids, *m.GetId())
			u, ok := m.(models.Userable)
			require.True(t, ok, "a member is typed by @odata.type")
			assert.NotEmpty(t, *u.GetUserPrincipalName())
		}
		assert.Contains(t, ids, te.megan.ID)
		err = client.Groups().ByGroupId(created).Members().Ref().Post(ctx, ref, nil)
		assert.Equal(t, 400, statusOf(err), "a member added twice")
	})
	op(t, sdk, "groups: memberOf of a user", func(t *testing.T) {
		of, err := client.Users().ByUserId(te.megan.ID).MemberOf().Get(ctx, nil)
		require.NoError(t, err)
		var names []string
		for _, o := range of.GetValue() {
			g, ok := o.(models.Groupable)
			require.True(t, ok)
			names = append(names, *g.GetDisplayName())
		}
		assert.ElementsMatch(t, []string{"Sales", "Auditors", "Marketing"}, names)
	})
	op(t, sdk, "groups: conversations, threads and reply", func(t *testing.T) {
		convID, threadID, err := te.srv.AddConversation(sales.ID, "megan@contoso.com", "Q3 targets", "<p>Numbers attached</p>")
		require.NoError(t, err)
		convs, err := client.Groups().ByGroupId(sales.ID).Conversations().Get(ctx, nil)
		require.NoError(t, err)
		require.Len(t, convs.GetValue(), 1)
		assert.Equal(t, "Q3 targets", *convs.GetValue()[0].GetTopic())
		threads, err := client.Groups().ByGroupId(sales.ID).Conversations().ByConversationId(convID).Threads().Get(ctx, nil)
		require.NoError(t, err)
		require.Len(t, threads.GetValue(), 1)
		assert.Equal(t, threadID, *threads.GetValue()[0].GetId())
		post := models.NewPost()
		post.SetBody(textBody("Looks good"))
		body := groups.NewItemThreadsItemReplyPostRequestBody()
		body.SetPost(post)
		require.NoError(t, client.Groups().ByGroupId(sales.ID).Threads().ByConversationThreadId(threadID).Reply().Post(ctx, body, nil))
		posts, err := client.Groups().ByGroupId(sales.ID).Threads().ByConversationThreadId(threadID).Posts().Get(ctx, nil)
		require.NoError(t, err)
		require.Len(t, posts.GetValue(), 2)
		assert.Contains(t, *posts.GetValue()[1].GetBody().GetContent(), "Looks good")
	})
	op(t, sdk, "groups: /groups/{id}/drive and its root children", func(t *testing.T) {
		d, err := client.Groups().ByGroupId(sales.ID).Drive().Get(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, "documentLibrary", *d.GetDriveType())
		items := client.Drives().ByDriveId(*d.GetId()).Items()
		_, err = items.ByDriveItemId("root:/pitch.txt:").Content().Put(ctx, []byte("our pitch"), nil)
		require.NoError(t, err)
		kids, err := items.ByDriveItemId("root").Children().Get(ctx, nil)
		require.NoError(t, err)
		require.Len(t, kids.GetValue(), 1)
		assert.Equal(t, "pitch.txt", *kids.GetValue()[0].GetName())
	})
	op(t, sdk, "groups: group events list and create", func(t *testing.T) {
		day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 2)
		_, err := te.srv.AddGroupEvent(sales.ID, map[string]any{"subject": "Kick-off",
			"start": map[string]any{"dateTime": day.Add(9 * time.Hour).Format("2006-01-02T15:04:05"), "timeZone": "UTC"},
			"end":   map[string]any{"dateTime": day.Add(10 * time.Hour).Format("2006-01-02T15:04:05"), "timeZone": "UTC"}})
		require.NoError(t, err)
		ev := models.NewEvent()
		ev.SetSubject(ptr("Review"))
		start, end := models.NewDateTimeTimeZone(), models.NewDateTimeTimeZone()
		start.SetDateTime(ptr(day.Add(14 * time.Hour).Format("2006-01-02T15:04:05")))
		start.SetTimeZone(ptr("UTC"))
		end.SetDateTime(ptr(day.Add(15 * time.Hour).Format("2006-01-02T15:04:05")))
		end.SetTimeZone(ptr("UTC"))
		ev.SetStart(start)
		ev.SetEnd(end)
		out, err := client.Groups().ByGroupId(sales.ID).Events().Post(ctx, ev, nil)
		require.NoError(t, err)
		assert.Equal(t, "sales@contoso.com", *out.GetOrganizer().GetEmailAddress().GetAddress(), "the group organizes")
		list, err := client.Groups().ByGroupId(sales.ID).Events().Get(ctx, nil)
		require.NoError(t, err)
		var subjects []string
		for _, e := range list.GetValue() {
			subjects = append(subjects, *e.GetSubject())
		}
		assert.ElementsMatch(t, []string{"Kick-off", "Review"}, subjects)
	})
}

func TestSDKTeams(t *testing.T) {
	te := newTenant(t)
	ctx := context.Background()
	sales := te.salesGroup(t)
	require.NoError(t, te.srv.AddTeam(sales.ID, "Deals"))
	// A token from MSAL, so that it names the app: setPresence's
	// sessionId is the caller's application id.
	te.srv.AddApp(graphtest.App{ClientID: cliID, Public: true})
	app, err := public.New(cliID, public.WithAuthority(te.srv.LoginURL()+"/"+te.srv.TenantID()),
		public.WithHTTPClient(te.srv.Client()))
	require.NoError(t, err)
	dc, err := app.AcquireTokenByDeviceCode(ctx, areaScopes)
	require.NoError(t, err)
	res, err := dc.AuthenticationResult(ctx) // Adele, signed in to the browser, approves
	require.NoError(t, err)
	client, _ := sdkClient(t, te.srv, res.AccessToken)

	op(t, sdk, "teams: joinedTeams and team get", func(t *testing.T) {
		joined, err := client.Me().JoinedTeams().Get(ctx, nil)
		require.NoError(t, err)
		require.Len(t, joined.GetValue(), 1)
		assert.Equal(t, sales.ID, *joined.GetValue()[0].GetId())
		team, err := client.Teams().ByTeamId(sales.ID).Get(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, "Sales", *team.GetDisplayName())
	})
	var channelID string
	op(t, sdk, "teams: channels list and create", func(t *testing.T) {
		list, err := client.Teams().ByTeamId(sales.ID).Channels().Get(ctx, nil)
		require.NoError(t, err)
		var names []string
		for _, c := range list.GetValue() {
			names = append(names, *c.GetDisplayName())
		}
		assert.ElementsMatch(t, []string{"General", "Deals"}, names)
		c := models.NewChannel()
		c.SetDisplayName(ptr("Leads"))
		c.SetDescription(ptr("New leads"))
		mt := models.STANDARD_CHANNELMEMBERSHIPTYPE
		c.SetMembershipType(&mt)
		out, err := client.Teams().ByTeamId(sales.ID).Channels().Post(ctx, c, nil)
		require.NoError(t, err)
		channelID = *out.GetId()
		assert.Equal(t, "Leads", *out.GetDisplayName())
	})
	op(t, sdk, "teams: channel message send, reply, list replies", func(t *testing.T) {
		require.NotEmpty(t, channelID)
		msgs := client.Teams().ByTeamId(sales.ID).Channels().ByChannelId(channelID).Messages()
		m := models.NewChatMessage()
		m.SetBody(textBody("New lead: Fabrikam"))
		posted, err := msgs.Post(ctx, m, nil)
		require.NoError(t, err)
		assert.Equal(t, te.adele.ID, *posted.GetFrom().GetUser().GetId())
		r := models.NewChatMessage()
		r.SetBody(textBody("I'll call them"))
		reply, err := msgs.ByChatMessageId(*posted.GetId()).Replies().Post(ctx, r, nil)
		require.NoError(t, err)
		assert.Equal(t, *posted.GetId(), *reply.GetReplyToId())
		replies, err := msgs.ByChatMessageId(*posted.GetId()).Replies().Get(ctx, nil)
		require.NoError(t, err)
		require.Len(t, replies.GetValue(), 1)
		assert.Equal(t, "I'll call them", *replies.GetValue()[0].GetBody().GetContent())
		list, err := msgs.Get(ctx, nil)
		require.NoError(t, err)
		require.Len(t, list.GetValue(), 1)
	})
	op(t, sdk, "teams: channel messages delta with its delta link", func(t *testing.T) {
		require.NotEmpty(t, channelID)
		msgs := client.Teams().ByTeamId(sales.ID).Channels().ByChannelId(channelID).Messages()
		resp, err := msgs.Delta().GetAsDeltaGetResponse(ctx, nil)
		require.NoError(t, err)
		require.Len(t, resp.GetValue(), 1, "the post of the test before")
		require.NotNil(t, resp.GetOdataDeltaLink())
		link := *resp.GetOdataDeltaLink()
		assert.True(t, strings.HasPrefix(link, "https://graph.microsoft.com/v1.0/"), link)
		m := models.NewChatMessage()
		m.SetBody(textBody("Contoso signed"))
		_, err = msgs.Post(ctx, m, nil)
		require.NoError(t, err)
		changes, err := msgs.Delta().WithUrl(link).GetAsDeltaGetResponse(ctx, nil)
		require.NoError(t, err)
		require.Len(t, changes.GetValue(), 1)
		assert.Equal(t, "Contoso signed", *changes.GetValue()[0].GetBody().GetContent())
	})
	op(t, sdk, "teams: channel message edit, softDelete, undoSoftDelete", func(t *testing.T) {
		require.NotEmpty(t, channelID)
		msgs := client.Teams().ByTeamId(sales.ID).Channels().ByChannelId(channelID).Messages()
		m := models.NewChatMessage()
		m.SetBody(textBody("Meeting at 2"))
		posted, err := msgs.Post(ctx, m, nil)
		require.NoError(t, err)
		one := msgs.ByChatMessageId(*posted.GetId())
		edit := models.NewChatMessage()
		edit.SetBody(textBody("Meeting at 3"))
		_, err = one.Patch(ctx, edit, nil) // 204: the SDK returns no message
		require.NoError(t, err)
		got, err := one.Get(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, "Meeting at 3", *got.GetBody().GetContent())
		require.NotNil(t, got.GetLastEditedDateTime())
		require.NoError(t, one.SoftDelete().Post(ctx, nil))
		got, err = one.Get(ctx, nil)
		require.NoError(t, err)
		require.NotNil(t, got.GetDeletedDateTime())
		require.NoError(t, one.UndoSoftDelete().Post(ctx, nil))
		got, err = one.Get(ctx, nil)
		require.NoError(t, err)
		assert.Nil(t, got.GetDeletedDateTime())
		assert.Equal(t, "Meeting at 3", *got.GetBody().GetContent())
	})
	op(t, sdk, "teams: chat create, message send, chats with $expand=members", func(t *testing.T) {
		member := func(id string) models.ConversationMemberable {
			m := models.NewAadUserConversationMember()
			m.SetRoles([]string{"owner"})
			m.SetAdditionalData(map[string]any{"user@odata.bind": "https://graph.microsoft.com/v1.0/users('" + id + "')"})
			return m
		}
		c := models.NewChat()
		ct := models.GROUP_CHATTYPE
		c.SetChatType(&ct)
		c.SetTopic(ptr("Offsite"))
		c.SetMembers([]models.ConversationMemberable{member(te.adele.ID), member(te.megan.ID)})
		chat, err := client.Chats().Post(ctx, c, nil)
		require.NoError(t, err)
		assert.Equal(t, "Offsite", *chat.GetTopic())
		m := models.NewChatMessage()
		m.SetBody(textBody("Friday?"))
		sent, err := client.Chats().ByChatId(*chat.GetId()).Messages().Post(ctx, m, nil)
		require.NoError(t, err)
		assert.Equal(t, *chat.GetId(), *sent.GetChatId())
		list, err := client.Me().Chats().Get(ctx, &users.ItemChatsRequestBuilderGetRequestConfiguration{
			QueryParameters: &users.ItemChatsRequestBuilderGetQueryParameters{Expand: []string{"members"}}})
		require.NoError(t, err)
		require.Len(t, list.GetValue(), 1)
		var names []string
		for _, mem := range list.GetValue()[0].GetMembers() {
			names = append(names, *mem.GetDisplayName())
			_, ok := mem.(models.AadUserConversationMemberable)
			assert.True(t, ok, "members typed as aadUserConversationMember")
		}
		assert.ElementsMatch(t, []string{"Adele Vance", "Megan Bowen"}, names)
		msgs, err := client.Chats().ByChatId(*chat.GetId()).Messages().Get(ctx, nil)
		require.NoError(t, err)
		require.Len(t, msgs.GetValue(), 1)
		assert.Equal(t, "Friday?", *msgs.GetValue()[0].GetBody().GetContent())
	})
	op(t, sdk, "presence: get, setPresence, getPresencesByUserId", func(t *testing.T) {
		p, err := client.Me().Presence().Get(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, "Offline", *p.GetAvailability())
		body := users.NewItemPresenceSetPresencePostRequestBody()
		body.SetSessionId(ptr(cliID))
		body.SetAvailability(ptr("Busy"))
		body.SetActivity(ptr("InACall"))
		body.SetExpirationDuration(absser.NewDuration(0, 0, 0, 1, 0, 0, 0))
		require.NoError(t, client.Users().ByUserId(te.adele.ID).Presence().SetPresence().Post(ctx, body, nil))
		p, err = client.Users().ByUserId(te.adele.ID).Presence().Get(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, "Busy", *p.GetAvailability())
		assert.Equal(t, "InACall", *p.GetActivity())
		ids := communications.NewGetPresencesByUserIdPostRequestBody()
		ids.SetIds([]string{te.adele.ID, te.megan.ID})
		all, err := client.Communications().GetPresencesByUserId().PostAsGetPresencesByUserIdPostResponse(ctx, ids, nil)
		require.NoError(t, err)
		got := map[string]string{}
		for _, p := range all.GetValue() {
			got[*p.GetId()] = *p.GetAvailability()
		}
		assert.Equal(t, map[string]string{te.adele.ID: "Busy", te.megan.ID: "Offline"}, got)
	})
}

// etagOf is the @odata.etag the SDK left in an entity's additional data.
func etagOf(t testing.TB, p interface{ GetAdditionalData() map[string]any }) string {
	t.Helper()
	v, ok := p.GetAdditionalData()["@odata.etag"]
	require.True(t, ok, "@odata.etag in the answer")
	s, ok := v.(*string)
	require.True(t, ok, "@odata.etag a string, not %T", v)
	return *s
}

func ifMatch(etag string) *abstractions.RequestHeaders {
	h := abstractions.NewRequestHeaders()
	h.Add("If-Match", etag)
	h.Add("Prefer", "return=representation")
	return h
}

func TestSDKPlanner(t *testing.T) {
	te := newTenant(t)
	client, _ := te.areaClient(t, "adele@contoso.com")
	ctx := context.Background()
	sales := te.salesGroup(t)

	var planID, bucketID, taskID string
	op(t, sdk, "planner: create plan in a group", func(t *testing.T) {
		p := models.NewPlannerPlan()
		p.SetTitle(ptr("Launch"))
		c := models.NewPlannerPlanContainer()
		c.SetUrl(ptr("https://graph.microsoft.com/v1.0/groups/" + sales.ID))
		p.SetContainer(c)
		out, err := client.Planner().Plans().Post(ctx, p, nil)
		require.NoError(t, err)
		planID = *out.GetId()
		assert.Equal(t, sales.ID, *out.GetContainer().GetContainerId())
		assert.Equal(t, models.GROUP_PLANNERCONTAINERTYPE, *out.GetContainer().GetTypeEscaped())
		inGroup, err := client.Groups().ByGroupId(sales.ID).Planner().Plans().Get(ctx, nil)
		require.NoError(t, err)
		require.Len(t, inGroup.GetValue(), 1)
		assert.Equal(t, "Launch", *inGroup.GetValue()[0].GetTitle())
	})
	op(t, sdk, "planner: bucket create", func(t *testing.T) {
		require.NotEmpty(t, planID)
		b := models.NewPlannerBucket()
		b.SetName(ptr("To do"))
		b.SetPlanId(ptr(planID))
		b.SetOrderHint(ptr(" !"))
		out, err := client.Planner().Buckets().Post(ctx, b, nil)
		require.NoError(t, err)
		bucketID = *out.GetId()
		assert.Equal(t, planID, *out.GetPlanId())
	})
	op(t, sdk, "planner: task create with assignments", func(t *testing.T) {
		require.NotEmpty(t, bucketID)
		task := models.NewPlannerTask()
		task.SetPlanId(ptr(planID))
		task.SetBucketId(ptr(bucketID))
		task.SetTitle(ptr("Write press release"))
		// The SDK has no plannerAssignment model: an open map it is.
		as := models.NewPlannerAssignments()
		as.SetAdditionalData(map[string]any{te.megan.ID: map[string]any{
			"@odata.type": "#microsoft.graph.plannerAssignment", "orderHint": " !"}})
		task.SetAssignments(as)
		out, err := client.Planner().Tasks().Post(ctx, task, nil)
		require.NoError(t, err)
		taskID = *out.GetId()
		assigned := out.GetAssignments().GetAdditionalData()
		require.Contains(t, assigned, te.megan.ID)
		assert.NotEmpty(t, etagOf(t, out))
	})
	op(t, sdk, "planner: task update with If-Match; stale etag 412", func(t *testing.T) {
		require.NotEmpty(t, taskID)
		cur, err := client.Planner().Tasks().ByPlannerTaskId(taskID).Get(ctx, nil)
		require.NoError(t, err)
		etag := etagOf(t, cur)
		patch := models.NewPlannerTask()
		patch.SetPercentComplete(ptr(int32(50)))
		upd, err := client.Planner().Tasks().ByPlannerTaskId(taskID).Patch(ctx, patch,
			&planner.TasksPlannerTaskItemRequestBuilderPatchRequestConfiguration{Headers: ifMatch(etag)})
		require.NoError(t, err)
		require.NotNil(t, upd, "Prefer: return=representation answers the task")
		assert.EqualValues(t, 50, *upd.GetPercentComplete())
		assert.NotEqual(t, etag, etagOf(t, upd))
		stale := models.NewPlannerTask()
		stale.SetPercentComplete(ptr(int32(100)))
		_, err = client.Planner().Tasks().ByPlannerTaskId(taskID).Patch(ctx, stale,
			&planner.TasksPlannerTaskItemRequestBuilderPatchRequestConfiguration{Headers: ifMatch(etag)})
		require.Error(t, err)
		assert.Equal(t, 412, statusOf(err))
		var odataErr *odataerrors.ODataError
		require.ErrorAs(t, err, &odataErr)
		// Planner's errors carry an empty code; the message says why.
		assert.Contains(t, *odataErr.GetErrorEscaped().GetMessage(), "If-Match")
	})
	op(t, sdk, "planner: task details update", func(t *testing.T) {
		require.NotEmpty(t, taskID)
		details := client.Planner().Tasks().ByPlannerTaskId(taskID).Details()
		cur, err := details.Get(ctx, nil)
		require.NoError(t, err)
		patch := models.NewPlannerTaskDetails()
		patch.SetDescription(ptr("Draft by Friday"))
		cl := models.NewPlannerChecklistItems()
		cl.SetAdditionalData(map[string]any{"95e27074-6c4a-447a-aa24-9d718a0b86fa": map[string]any{
			"@odata.type": "#microsoft.graph.plannerChecklistItem", "title": "Quote from CEO", "isChecked": false}})
		patch.SetChecklist(cl)
		upd, err := details.Patch(ctx, patch, &planner.TasksItemDetailsRequestBuilderPatchRequestConfiguration{Headers: ifMatch(etagOf(t, cur))})
		require.NoError(t, err)
		require.NotNil(t, upd)
		assert.Equal(t, "Draft by Friday", *upd.GetDescription())
		got, err := details.Get(ctx, nil)
		require.NoError(t, err)
		require.Contains(t, got.GetChecklist().GetAdditionalData(), "95e27074-6c4a-447a-aa24-9d718a0b86fa")
	})
}

func TestSDKToDoAndOutlook(t *testing.T) {
	te := newTenant(t)
	client, _ := te.areaClient(t, "adele@contoso.com")
	ctx := context.Background()

	var listID, taskID string
	op(t, sdk, "todo: lists list and create", func(t *testing.T) {
		lists, err := client.Me().Todo().Lists().Get(ctx, nil)
		require.NoError(t, err)
		require.NotEmpty(t, lists.GetValue(), "the default Tasks list")
		l := models.NewTodoTaskList()
		l.SetDisplayName(ptr("Travel"))
		out, err := client.Me().Todo().Lists().Post(ctx, l, nil)
		require.NoError(t, err)
		listID = *out.GetId()
		lists, err = client.Me().Todo().Lists().Get(ctx, nil)
		require.NoError(t, err)
		var names []string
		for _, l := range lists.GetValue() {
			names = append(names, *l.GetDisplayName())
		}
		assert.Contains(t, names, "Travel")
	})
	// The first delta round, before any task, gives the link that later
	// reports the changes.
	var deltaLink string
	op(t, sdk, "todo: task delta", func(t *testing.T) {
		require.NotEmpty(t, listID)
		resp, err := client.Me().Todo().Lists().ByTodoTaskListId(listID).Tasks().Delta().GetAsDeltaGetResponse(ctx, nil)
		require.NoError(t, err)
		require.NotNil(t, resp.GetOdataDeltaLink())
		deltaLink = *resp.GetOdataDeltaLink()
		assert.True(t, strings.HasPrefix(deltaLink, "https://graph.microsoft.com/v1.0/"), deltaLink)
	})
	op(t, sdk, "todo: create task with due date", func(t *testing.T) {
		require.NotEmpty(t, listID)
		task := models.NewTodoTask()
		task.SetTitle(ptr("Book flights"))
		due := models.NewDateTimeTimeZone()
		due.SetDateTime(ptr("2030-03-01T00:00:00"))
		due.SetTimeZone(ptr("UTC"))
		task.SetDueDateTime(due)
		imp := models.HIGH_IMPORTANCE
		task.SetImportance(&imp)
		out, err := client.Me().Todo().Lists().ByTodoTaskListId(listID).Tasks().Post(ctx, task, nil)
		require.NoError(t, err)
		taskID = *out.GetId()
		assert.True(t, strings.HasPrefix(*out.GetDueDateTime().GetDateTime(), "2030-03-01T00:00:00"))
		assert.Equal(t, models.NOTSTARTED_TASKSTATUS, *out.GetStatus())
	})
	op(t, sdk, "todo: checklist item", func(t *testing.T) {
		require.NotEmpty(t, taskID)
		item := models.NewChecklistItem()
		item.SetDisplayName(ptr("Window seat"))
		items := client.Me().Todo().Lists().ByTodoTaskListId(listID).Tasks().ByTodoTaskId(taskID).ChecklistItems()
		out, err := items.Post(ctx, item, nil)
		require.NoError(t, err)
		assert.False(t, *out.GetIsChecked())
		list, err := items.Get(ctx, nil)
		require.NoError(t, err)
		require.Len(t, list.GetValue(), 1)
		assert.Equal(t, "Window seat", *list.GetValue()[0].GetDisplayName())
	})
	op(t, sdk, "todo: small file attachment", func(t *testing.T) {
		require.NotEmpty(t, taskID)
		atts := client.Me().Todo().Lists().ByTodoTaskListId(listID).Tasks().ByTodoTaskId(taskID).Attachments()
		a := models.NewTaskFileAttachment()
		a.SetName(ptr("itinerary.txt"))
		a.SetContentBytes([]byte("LIS 09:40"))
		out, err := atts.Post(ctx, a, nil)
		require.NoError(t, err)
		require.NotNil(t, out.GetId())
		got, err := atts.ByAttachmentBaseId(*out.GetId()).Get(ctx, nil)
		require.NoError(t, err)
		file, ok := got.(models.TaskFileAttachmentable)
		require.True(t, ok, "the SDK reads a %T", got)
		assert.Equal(t, []byte("LIS 09:40"), file.GetContentBytes())
		list, err := atts.Get(ctx, nil)
		require.NoError(t, err)
		require.Len(t, list.GetValue(), 1)
		task, err := client.Me().Todo().Lists().ByTodoTaskListId(listID).Tasks().ByTodoTaskId(taskID).Get(ctx, nil)
		require.NoError(t, err)
		assert.True(t, *task.GetHasAttachments())
	})
	op(t, sdk, "todo: attachment upload session, chunks to attachmentSessions/{id}/content", func(t *testing.T) {
		require.NotEmpty(t, taskID)
		tasks := client.Me().Todo().Lists().ByTodoTaskListId(listID).Tasks().ByTodoTaskId(taskID)
		data := bytes.Repeat([]byte("0123456789"), 400_000) // 4 MB
		info := models.NewAttachmentInfo()
		file := models.FILE_ATTACHMENTTYPE
		info.SetAttachmentType(&file)
		info.SetName(ptr("boarding-pass.pdf"))
		info.SetSize(ptr(int64(len(data))))
		body := users.NewItemTodoListsItemTasksItemAttachmentsCreateUploadSessionPostRequestBody()
		body.SetAttachmentInfo(info)
		sess, err := tasks.Attachments().CreateUploadSession().Post(ctx, body, nil)
		require.NoError(t, err)
		require.NotNil(t, sess.GetUploadUrl())
		const chunk = 3 << 20
		for start := 0; start < len(data); start += chunk {
			end := min(start+chunk, len(data))
			h := abstractions.NewRequestHeaders()
			h.Add("Content-Range", fmt.Sprintf("bytes %d-%d/%d", start, end-1, len(data)))
			// A builder made by WithUrl serves one request: kiota drops
			// the raw URL once it has built it.
			content := tasks.AttachmentSessions().ByAttachmentSessionId("x").Content().WithUrl(*sess.GetUploadUrl() + "/content")
			_, err := content.Put(ctx, data[start:end], &users.ItemTodoListsItemTasksItemAttachmentSessionsItemContentRequestBuilderPutRequestConfiguration{Headers: h})
			require.NoError(t, err, "chunk at %d", start)
		}
		list, err := tasks.Attachments().Get(ctx, nil)
		require.NoError(t, err)
		var found bool
		for _, a := range list.GetValue() {
			if *a.GetName() == "boarding-pass.pdf" {
				found = true
				assert.Equal(t, int32(len(data)), *a.GetSize())
			}
		}
		assert.True(t, found, "the uploaded file is attached")
	})
	op(t, sdk, "todo: update status to completed", func(t *testing.T) {
		require.NotEmpty(t, taskID)
		patch := models.NewTodoTask()
		done := models.COMPLETED_TASKSTATUS
		patch.SetStatus(&done)
		out, err := client.Me().Todo().Lists().ByTodoTaskListId(listID).Tasks().ByTodoTaskId(taskID).Patch(ctx, patch, nil)
		require.NoError(t, err)
		assert.Equal(t, models.COMPLETED_TASKSTATUS, *out.GetStatus())
		assert.NotNil(t, out.GetCompletedDateTime())
	})
	op(t, sdk, "todo: task delta with its delta link", func(t *testing.T) {
		require.NotEmpty(t, deltaLink)
		delta := client.Me().Todo().Lists().ByTodoTaskListId(listID).Tasks().Delta()
		resp, err := delta.WithUrl(deltaLink).GetAsDeltaGetResponse(ctx, nil)
		require.NoError(t, err)
		var got []models.TodoTaskable
		got = append(got, resp.GetValue()...)
		for resp.GetOdataNextLink() != nil {
			resp, err = delta.WithUrl(*resp.GetOdataNextLink()).GetAsDeltaGetResponse(ctx, nil)
			require.NoError(t, err)
			got = append(got, resp.GetValue()...)
		}
		require.Len(t, got, 1)
		assert.Equal(t, "Book flights", *got[0].GetTitle())
		assert.Equal(t, models.COMPLETED_TASKSTATUS, *got[0].GetStatus())
		assert.NotNil(t, resp.GetOdataDeltaLink())
	})

	op(t, sdk, "outlook: master categories create and list", func(t *testing.T) {
		c := models.NewOutlookCategory()
		c.SetDisplayName(ptr("Project Falcon"))
		color := models.PRESET9_CATEGORYCOLOR
		c.SetColor(&color)
		out, err := client.Me().Outlook().MasterCategories().Post(ctx, c, nil)
		require.NoError(t, err)
		assert.Equal(t, models.PRESET9_CATEGORYCOLOR, *out.GetColor())
		list, err := client.Me().Outlook().MasterCategories().Get(ctx, nil)
		require.NoError(t, err)
		var names []string
		for _, c := range list.GetValue() {
			names = append(names, *c.GetDisplayName())
		}
		assert.Contains(t, names, "Project Falcon")
		_, err = client.Me().Outlook().MasterCategories().Post(ctx, c, nil)
		assert.Equal(t, 409, statusOf(err), "a name taken")
	})
	op(t, sdk, "outlook: mailbox settings get and update automaticRepliesSetting", func(t *testing.T) {
		ms, err := client.Me().MailboxSettings().Get(ctx, nil)
		require.NoError(t, err)
		require.NotNil(t, ms.GetAutomaticRepliesSetting())
		assert.Equal(t, models.DISABLED_AUTOMATICREPLIESSTATUS, *ms.GetAutomaticRepliesSetting().GetStatus())
		ar := models.NewAutomaticRepliesSetting()
		on := models.ALWAYSENABLED_AUTOMATICREPLIESSTATUS
		ar.SetStatus(&on)
		ar.SetInternalReplyMessage(ptr("Out until Monday"))
		ar.SetExternalReplyMessage(ptr("Out of office"))
		patch := models.NewMailboxSettings()
		patch.SetAutomaticRepliesSetting(ar)
		_, err = client.Me().MailboxSettings().Patch(ctx, patch, nil)
		require.NoError(t, err)
		ms, err = client.Me().MailboxSettings().Get(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, models.ALWAYSENABLED_AUTOMATICREPLIESSTATUS, *ms.GetAutomaticRepliesSetting().GetStatus())
		assert.Equal(t, "Out until Monday", *ms.GetAutomaticRepliesSetting().GetInternalReplyMessage())
		assert.NotEmpty(t, *ms.GetTimeZone(), "other settings kept")
	})
}

func TestSDKExcel(t *testing.T) {
	te := newTenant(t)
	client, adapter := te.areaClient(t, "adele@contoso.com")
	ctx := context.Background()
	d, err := client.Me().Drive().Get(ctx, nil)
	require.NoError(t, err)
	items := client.Drives().ByDriveId(*d.GetId()).Items()

	var itemID string
	op(t, sdk, "excel: upload an .xlsx", func(t *testing.T) {
		it, err := items.ByDriveItemId("root:/Budget.xlsx:").Content().Put(ctx, []byte("PK\x03\x04 workbook"), nil)
		require.NoError(t, err)
		itemID = *it.GetId()
	})
	require.NotEmpty(t, itemID)
	book := items.ByDriveItemId(itemID).Workbook()
	session := abstractions.NewRequestHeaders()

	op(t, sdk, "excel: createSession", func(t *testing.T) {
		body := drives.NewItemItemsItemWorkbookCreateSessionPostRequestBody()
		body.SetPersistChanges(ptr(true))
		s, err := book.CreateSession().Post(ctx, body, nil)
		require.NoError(t, err)
		require.NotEmpty(t, *s.GetId())
		assert.True(t, *s.GetPersistChanges())
		session.Add("workbook-session-id", *s.GetId())
	})
	op(t, sdk, "excel: createSession respond-async, operation monitor, sessionInfoResource", func(t *testing.T) {
		headers := abstractions.NewRequestHeaders()
		headers.Add("Prefer", "respond-async")
		inspect := khttp.NewHeadersInspectionOptions()
		inspect.InspectResponseHeaders = true
		body := drives.NewItemItemsItemWorkbookCreateSessionPostRequestBody()
		body.SetPersistChanges(ptr(false))
		_, err := book.CreateSession().Post(ctx, body, &drives.ItemItemsItemWorkbookCreateSessionRequestBuilderPostRequestConfiguration{
			Headers: headers, Options: []abstractions.RequestOption{inspect}})
		require.NoError(t, err)
		location := inspect.GetResponseHeaders().Get("Location")
		require.Len(t, location, 1)
		require.True(t, strings.HasPrefix(location[0], "https://graph.microsoft.com/v1.0/"), location[0])
		var done models.WorkbookOperationable
		for range 10 {
			// A builder made from a raw URL serves one request:
			// kiota-abstractions-go's RequestInformation.SetUri clears
			// the path parameters it shares with the builder, the raw
			// URL among them, so a second Get expands an empty template.
			monitor := drives.NewItemItemsItemWorkbookOperationsWorkbookOperationItemRequestBuilder(location[0], adapter)
			op, err := monitor.Get(ctx, nil)
			require.NoError(t, err)
			if *op.GetStatus() == models.SUCCEEDED_WORKBOOKOPERATIONSTATUS {
				done = op
				break
			}
			assert.Equal(t, models.RUNNING_WORKBOOKOPERATIONSTATUS, *op.GetStatus())
		}
		require.NotNil(t, done, "the operation succeeds")
		info, err := drives.NewItemItemsItemWorkbookSessionInfoResourceWithKeyRequestBuilder(*done.GetResourceLocation(), adapter).Get(ctx, nil)
		require.NoError(t, err)
		assert.NotEmpty(t, *info.GetId())
		assert.False(t, *info.GetPersistChanges())
	})
	op(t, sdk, "excel: worksheets list", func(t *testing.T) {
		list, err := book.Worksheets().Get(ctx, &drives.ItemItemsItemWorkbookWorksheetsRequestBuilderGetRequestConfiguration{Headers: session})
		require.NoError(t, err)
		require.Len(t, list.GetValue(), 1)
		assert.Equal(t, "Sheet1", *list.GetValue()[0].GetName())
	})
	sheet := book.Worksheets().ByWorkbookWorksheetId("Sheet1")
	op(t, sdk, "excel: range update values and get values", func(t *testing.T) {
		rng := models.NewWorkbookRange()
		rng.SetValues(untypedRows([]any{"Item", "Cost"}, []any{"Rent", 1200}, []any{"Food", 300.5}))
		// range(address=…) has only Get in the SDK (Graph's range-update
		// is PATCH on it): the request is built from Get's and sent
		// through the adapter, as the SDK's docs show for missing verbs.
		info, err := sheet.RangeWithAddress(ptr("A1:B3")).ToGetRequestInformation(ctx,
			&drives.ItemItemsItemWorkbookWorksheetsItemRangeWithAddressRequestBuilderGetRequestConfiguration{Headers: session})
		require.NoError(t, err)
		info.Method = abstractions.PATCH
		require.NoError(t, info.SetContentFromParsable(ctx, adapter, "application/json", rng))
		out, err := adapter.Send(ctx, info, models.CreateWorkbookRangeFromDiscriminatorValue,
			abstractions.ErrorMappings{"XXX": odataerrors.CreateODataErrorFromDiscriminatorValue})
		require.NoError(t, err)
		assert.Equal(t, "Sheet1!A1:B3", *out.(models.WorkbookRangeable).GetAddress())
		got, err := sheet.RangeWithAddress(ptr("A1:B3")).Get(ctx,
			&drives.ItemItemsItemWorkbookWorksheetsItemRangeWithAddressRequestBuilderGetRequestConfiguration{Headers: session})
		require.NoError(t, err)
		assert.Equal(t, []any{[]any{"Item", "Cost"}, []any{"Rent", 1200.0}, []any{"Food", 300.5}}, plain(got.GetValues()))
		saved, err := te.srv.WorkbookValues(itemID, "Sheet1!B2:B3")
		require.NoError(t, err)
		assert.EqualValues(t, [][]any{{1200.0}, {300.5}}, saved, "a persistent session writes the workbook")
	})
	op(t, sdk, "excel: table add and rows add", func(t *testing.T) {
		body := drives.NewItemItemsItemWorkbookTablesAddPostRequestBody()
		body.SetAddress(ptr("Sheet1!A1:B3"))
		body.SetHasHeaders(ptr(true))
		tbl, err := book.Tables().Add().Post(ctx, body, &drives.ItemItemsItemWorkbookTablesAddRequestBuilderPostRequestConfiguration{Headers: session})
		require.NoError(t, err)
		require.NotEmpty(t, *tbl.GetName())
		row := models.NewWorkbookTableRow()
		row.SetValues(untypedRows([]any{"Power", 80}))
		added, err := book.Tables().ByWorkbookTableId(*tbl.GetName()).Rows().Post(ctx, row,
			&drives.ItemItemsItemWorkbookTablesItemRowsRequestBuilderPostRequestConfiguration{Headers: session})
		require.NoError(t, err)
		assert.EqualValues(t, 2, *added.GetIndex())
		rows, err := book.Tables().ByWorkbookTableId(*tbl.GetName()).Rows().Get(ctx,
			&drives.ItemItemsItemWorkbookTablesItemRowsRequestBuilderGetRequestConfiguration{Headers: session})
		require.NoError(t, err)
		assert.Len(t, rows.GetValue(), 3)
		saved, err := te.srv.WorkbookValues(itemID, "Sheet1!A4:B4")
		require.NoError(t, err)
		assert.EqualValues(t, [][]any{{"Power", 80.0}}, saved)
	})
	op(t, sdk, "excel: workbook function (sum)", func(t *testing.T) {
		body := drives.NewItemItemsItemWorkbookFunctionsSumPostRequestBody()
		body.SetValues(absser.NewUntypedArray([]absser.UntypedNodeable{
			absser.NewUntypedArray([]absser.UntypedNodeable{absser.NewUntypedInteger(1), absser.NewUntypedInteger(2)}),
			absser.NewUntypedInteger(39),
		}))
		res, err := book.Functions().Sum().Post(ctx, body, &drives.ItemItemsItemWorkbookFunctionsSumRequestBuilderPostRequestConfiguration{Headers: session})
		require.NoError(t, err)
		assert.Equal(t, 42.0, plain(res.GetValue()))
		assert.Nil(t, res.GetError())
	})
	op(t, sdk, "excel: chart add, list and image", func(t *testing.T) {
		body := drives.NewItemItemsItemWorkbookWorksheetsItemChartsAddPostRequestBody()
		body.SetTypeEscaped(ptr("ColumnClustered"))
		body.SetSourceData(absser.NewUntypedString("A1:B3"))
		body.SetSeriesBy(ptr("Auto"))
		chart, err := sheet.Charts().Add().Post(ctx, body, &drives.ItemItemsItemWorkbookWorksheetsItemChartsAddRequestBuilderPostRequestConfiguration{Headers: session})
		require.NoError(t, err)
		assert.Equal(t, "Chart 1", *chart.GetName())
		assert.Equal(t, 360.0, *chart.GetWidth())
		list, err := sheet.Charts().Get(ctx, &drives.ItemItemsItemWorkbookWorksheetsItemChartsRequestBuilderGetRequestConfiguration{Headers: session})
		require.NoError(t, err)
		require.Len(t, list.GetValue(), 1)
		// The SDK addresses the chart by id: charts/{workbookChart-id}.
		img, err := sheet.Charts().ByWorkbookChartId(*chart.GetId()).ImageWithWidthWithHeight(ptr(int32(120)), ptr(int32(200))).
			GetAsImageWithWidthWithHeightGetResponse(ctx, &drives.ItemItemsItemWorkbookWorksheetsItemChartsItemImageWithWidthWithHeightRequestBuilderGetRequestConfiguration{Headers: session})
		require.NoError(t, err)
		raw, err := base64.StdEncoding.DecodeString(*img.GetValue())
		require.NoError(t, err)
		cfg, err := png.DecodeConfig(bytes.NewReader(raw))
		require.NoError(t, err)
		assert.Equal(t, []int{200, 120}, []int{cfg.Width, cfg.Height}, "fitted in 200 × 120: the chart is 5 by 3")
	})
}
