package teams_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/internal/wiretest"
	"github.com/go-o365/o365/teams"
	"github.com/go-o365/o365/token"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

// TestExamplesRoundTrip decodes every response example of Microsoft's
// Teams and presence pages into the package's types and encodes it back,
// losing nothing the types model. The collection's @odata.context and
// Graph's policyViolation, eventDetail, messageHistory and the app
// definition's createdBy and resource-specific permissions are not
// modelled.
func TestExamplesRoundTrip(t *testing.T) {
	ex := wiretest.Load(t, "testdata/examples.json")
	msgLeft := func(prefix string) []string {
		return []string{prefix + "@odata.context"}
	}
	cases := map[string]wiretest.Check{
		"presence-get#1": wiretest.RoundTrip[teams.Presence](),
		"presence-get#2": wiretest.RoundTrip[teams.Presence](),
		"presence-get#3": wiretest.RoundTrip[api.Page[teams.Presence]](),
		"cloudcommunications-getpresencesbyuserid#1": wiretest.RoundTrip[api.Page[teams.Presence]](),
		"user-list-joinedteams#1":                    wiretest.RoundTrip[api.Page[teams.Team]](),
		"team-get#1":                                 wiretest.RoundTrip[teams.Team](),
		"channel-list#1":                             wiretest.RoundTrip[api.Page[teams.Channel]](),
		"channel-post#1":                             wiretest.RoundTrip[teams.Channel](),
		"channel-post#2":                             wiretest.RoundTrip[teams.Channel](msgLeft("")...),
		"channel-list-members#1":                     wiretest.RoundTrip[api.Page[teams.ConversationMember]]("@odata.context"),
		"chatmessage-post#1":                         wiretest.RoundTrip[teams.ChatMessage](msgLeft("")...),
		"chatmessage-post#2":                         wiretest.RoundTrip[teams.ChatMessage](msgLeft("")...),
		"chatmessage-delta#1":                        wiretest.RoundTrip[api.Page[teams.ChatMessage]]("@odata.context"),
		"chatmessage-get#1":                          wiretest.RoundTrip[teams.ChatMessage](msgLeft("")...),
		"chatmessage-get#2":                          wiretest.RoundTrip[teams.ChatMessage](msgLeft("")...),
		"chatmessage-get#3":                          wiretest.RoundTrip[teams.ChatMessage](msgLeft("")...),
		"chat-post#1":                                wiretest.RoundTrip[teams.Chat](msgLeft("")...),
		"chat-post#2":                                wiretest.RoundTrip[teams.Chat](msgLeft("")...),
		"chat-list#2":                                wiretest.RoundTrip[api.Page[teams.Chat]]("@odata.context"),
		"team-list-installedapps#2":                  wiretest.RoundTrip[api.Page[teams.InstalledApp]]("@odata.context"),
		"team-list-installedapps#3":                  wiretest.RoundTrip[api.Page[teams.InstalledApp]](),
	}
	wiretest.CheckResponses(t, ex, cases)
}

// TestRequestsAreAsDocumented sends each documented request through the
// package and compares the JSON body it sends with Microsoft's example.
func TestRequestsAreAsDocumented(t *testing.T) {
	ex := wiretest.Load(t, "testdata/examples.json")
	rec := &recorder{}
	tms := fakeGraph(t, rec).Teams("users/fa8bf3dc-eca7-46b7-bad1-db199b62afc3")
	ctx := context.Background()
	sent := func(id string, call func() error) {
		t.Helper()
		require.NoError(t, call(), id)
		got := rec.last()
		e := ex[id]
		assert.Equal(t, e.Method, got.method, id)
		wantPath := e.URL[strings.Index(e.URL, "/v1.0/")+len("/v1.0"):]
		if i := strings.Index(e.URL, "/beta/"); i >= 0 { // setPresence's example is written against beta
			wantPath = e.URL[i+len("/beta"):]
		}
		assert.Equal(t, wantPath, got.path, id)
		// Links in bodies name the service the account talks to.
		body := strings.ReplaceAll(string(got.body), tms.BuildBaseURL(""), "https://graph.microsoft.com/v1.0")
		assert.JSONEq(t, string(e.RequestBody), body, id)
	}

	tms.SessionID = "22553876-f5ab-4529-bffb-cfe50aa89f87"
	sent("presence-setpresence#1", func() error {
		return tms.SetPresence(ctx, teams.PresenceStatus{Availability: teams.Available, Activity: teams.ActivityAvailable, Expiration: time.Hour})
	})
	sent("presence-setuserpreferredpresence#1", func() error {
		return tms.SetPreferredPresence(ctx, teams.PresenceStatus{Availability: teams.DoNotDisturb, Activity: teams.ActivityDoNotDisturb, Expiration: 8 * time.Hour})
	})
	sent("presence-clearpresence#1", func() error { return tms.ClearPresence(ctx) })
	sent("cloudcommunications-getpresencesbyuserid#1", func() error {
		_, err := tms.Presences(ctx, "fa8bf3dc-eca7-46b7-bad1-db199b62afc3", "66825e03-7ef5-42da-9069-724602c31f6b")
		return err
	})
	sent("channel-post#1", func() error {
		_, err := tms.TeamOf("57fb72d0-d811-46f4-8947-305e6072eaa5").CreateChannel(ctx, teams.NewChannel{
			DisplayName: "Architecture Discussion", Description: "This channel is where we debate all future architecture plans", MembershipType: "standard"})
		return err
	})
	ch := tms.ChannelOf("fbe2bf47-16c8-47cf-b4a5-4b9b187c508b", "19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2")
	sent("chatmessage-post#2", func() error {
		_, err := ch.Send(ctx, teams.HTML("Hello World ").Mention("ef1c916a-3135-4417-ba27-8eb7bd084193", "Jane Smith"))
		return err
	})
	sent("chat-post#2", func() error {
		_, err := tms.CreateChat(ctx, teams.Group, "Group chat title", "8c0a1a67-50ce-4114-bb6c-da9c5dbcf6ca",
			"82fe7758-5bb3-4f0d-a43f-e555fd399c6f", "3626a173-f2bc-4883-bcf7-01514c3bfb82")
		return err
	})
	// Microsoft's plain example leaves the content type to Graph; the
	// package names it, and sends nothing else.
	_, err := ch.Send(ctx, teams.Text("Hello World"))
	require.NoError(t, err)
	assert.JSONEq(t, `{"body":{"contentType":"text","content":"Hello World"}}`, string(rec.last().body))
}

// TestEmulatorAnswersAsDocumented compares the property names of the
// emulator's answers with Microsoft's examples of the same calls.
func TestEmulatorAnswersAsDocumented(t *testing.T) {
	ex := wiretest.Load(t, "testdata/examples.json")
	e := newEnv(t)
	tms := e.signIn(adeleUPN, allScopes...)
	con := o365test.SignIn(t, e.srv, adeleUPN, password, o365.WithScopes(allScopes...)).Connection()
	ch := e.channel(tms, "Design")
	posted, err := ch.Send(e.ctx, teams.Text("Hello World"))
	require.NoError(t, err)
	reply, err := ch.Reply(e.ctx, posted.ID, teams.HTML("<div><div>Test</div></div>"))
	require.NoError(t, err)
	chat, err := tms.CreateChat(e.ctx, teams.OneOnOne, "", adeleUPN, alexUPN)
	require.NoError(t, err)
	chatMsg, err := chat.Send(e.ctx, teams.Text("test"))
	require.NoError(t, err)
	_, err = e.srv.InstallTeamsApp(e.teamID, graphTestApp)
	require.NoError(t, err)
	require.NoError(t, tms.SetPresence(e.ctx, teams.PresenceStatus{Availability: teams.Available, Activity: teams.ActivityAvailable}))

	g := func(path string) []byte { return wiretest.Get(e.ctx, t, con, tms.BuildBaseURL(path)) }
	tp := "/teams/" + e.teamID
	cp := tp + "/channels/" + ch.ID
	cases := map[string][]byte{
		"presence-get#1":            g("/me/presence"),
		"user-list-joinedteams#1":   g("/me/joinedTeams"),
		"team-get#1":                g(tp),
		"channel-list#1":            g(tp + "/channels"),
		"channel-list-members#1":    g(cp + "/members"),
		"chatmessage-post#1":        g(cp + "/messages/" + posted.ID),
		"chatmessage-delta#1":       g(cp + "/messages/delta"),
		"chatmessage-get#1":         g("/chats/" + chat.ID + "/messages/" + chatMsg.ID),
		"chatmessage-get#2":         g(cp + "/messages/" + posted.ID),
		"chatmessage-get#3":         g(cp + "/messages/" + posted.ID + "/replies/" + reply.ID),
		"chat-post#1":               g("/chats/" + chat.ID),
		"chat-list#2":               g("/me/chats?$expand=members"),
		"team-list-installedapps#2": g(tp + "/installedApps?$expand=teamsAppDefinition"),
	}
	// The emulator leaves out the app definition's resource-specific
	// permissions.
	allowed := []string{"value[].teamsAppDefinition.requiredResourceSpecificApplicationPermissions"}
	for id, got := range cases {
		assert.Empty(t, wiretest.MissingKeys(ex[id].ResponseBody, got, allowed...), id)
	}
}

// recorder is a fake Graph that keeps the requests it gets and answers
// 200 with an empty object (201 for creations).
type recorder struct {
	mu   sync.Mutex
	reqs []recorded
}

type recorded struct {
	method, path string
	body         []byte
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rec.mu.Lock()
	rec.reqs = append(rec.reqs, recorded{r.Method, strings.TrimPrefix(r.URL.Path, "/v1.0"), body})
	rec.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if strings.Contains(r.URL.Path, "getPresencesByUserId") {
		w.Write([]byte(`{"value":[]}`))
		return
	}
	w.Write([]byte(`{}`))
}

func (rec *recorder) last() recorded {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.reqs[len(rec.reqs)-1]
}

// fakeGraph is an account whose Graph is handler, with a static token.
func fakeGraph(t testing.TB, handler http.Handler) *o365.Account {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return o365.NewAccount(o365.Credentials{ClientID: o365test.ClientID},
		o365.WithCloud(o365.Cloud{Login: srv.URL, Graph: srv.URL}),
		o365.WithTokenBackend(token.NewMemoryBackend()),
		o365.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "fake-token"})),
		o365.WithRetries(0),
	)
}

// TestEditRequestsAreAsDocumented sends Microsoft's update, softDelete
// and undoSoftDelete examples of a channel message through the package:
// the same method and path, no body for the actions, and for an update
// the body, mentions and attachments the example sends (Microsoft's
// example sends the whole message; the package sends what an edit
// changes).
func TestEditRequestsAreAsDocumented(t *testing.T) {
	ex := wiretest.Load(t, "testdata/examples.json")
	rec := &recorder{}
	tms := fakeGraph(t, rec).Teams()
	ctx := context.Background()
	check := func(id string, err error) recorded {
		t.Helper()
		require.NoError(t, err, id)
		got := rec.last()
		e := ex[id]
		u, perr := url.Parse(e.URL)
		require.NoError(t, perr)
		assert.Equal(t, e.Method, got.method, id)
		assert.Equal(t, strings.TrimPrefix(u.Path, "/v1.0"), got.path, id)
		return got
	}
	ch := tms.ChannelOf("172b0cce-e65d-44ce-9a49-91d9f2e8593a", "19:22273db3497f4b32bue61f6e82be21c5@thread.tacv2")
	for id, call := range map[string]func() error{
		"chatmessage-softdelete#2":     func() error { return ch.SoftDeleteMessage(ctx, "1649864053377") },
		"chatmessage-softdelete#3":     func() error { return ch.SoftDeleteReply(ctx, "1649864053377", "1649852161658") },
		"chatmessage-undosoftdelete#2": func() error { return ch.UndoSoftDeleteMessage(ctx, "1649864053377") },
	} {
		assert.Empty(t, check(id, call()).body, id)
	}

	// The pages' update example addresses a message by a thread id.
	edited := tms.ChannelOf("e1234567-e123-4276-55555-6232b0e3a89a", "a7654321-e321-0000-0000-123b0e3a00a")
	const msgID = "19:a21b0b0c05194ebc9e30000000000f61@thread.skype"
	same := func(id string, sent []byte) {
		t.Helper()
		var want, got map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(ex[id].RequestBody, &want))
		require.NoError(t, json.Unmarshal(sent, &got))
		assert.JSONEq(t, string(want["body"]), string(got["body"]), id)
		assert.JSONEq(t, string(want["attachments"]), string(got["attachments"]), id)
		// Graph's example spells out the null members of each mention;
		// compared as the package models them.
		var wantMentions, gotMentions []teams.Mention
		require.NoError(t, json.Unmarshal(want["mentions"], &wantMentions))
		require.NoError(t, json.Unmarshal(got["mentions"], &gotMentions))
		assert.Equal(t, wantMentions, gotMentions, id)
		assert.NotContains(t, got, "from", "an edit does not claim a sender")
	}
	sent := check("chatmessage-update#2", edited.EditMessage(ctx, msgID, teams.Text("Edit text only")))
	same("chatmessage-update#2", sent.body)

	withMentions := teams.HTML("<div><div>\n<div>\n<div>\n<div>\n<div>").
		Mention("f1b66449-b46d-49b0-9c3c-53c10234c818e", "Raghav")
	withMentions.Mentions[0].Mentioned.User.DisplayName = "Lam Cong" // as the example has it
	withMentions.Append(`<at id="1">TestGlobalBot</at> YEAH`)
	withMentions.Mentions = append(withMentions.Mentions, teams.Mention{ID: 1, MentionText: "TestGlobalBot",
		Mentioned: teams.ChatMessageMention{Application: &teams.Identity{
			ID: "03a02232-d8f5-4970-a77e-6e8c76ce7a4e", DisplayName: "TestGlobalBot", ApplicationIdentityType: "bot"}}})
	sent = check("chatmessage-update#3", edited.EditMessage(ctx, msgID, withMentions))
	same("chatmessage-update#3", sent.body)
}
