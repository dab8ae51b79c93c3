package teams_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-o365/o365/teams"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMessageOverTeamsLimitIsRefusedBeforeSending(t *testing.T) {
	e := newEnv(t)
	tms, wire := e.signInWire(adeleUPN, allScopes...)
	ch := e.channel(tms, "General")
	big := teams.Text(strings.Repeat("x", teams.MaxMessageSize))
	_, err := ch.Send(e.ctx, big)
	require.ErrorIs(t, err, teams.ErrMessageTooLarge)
	assert.ErrorContains(t, err, "Send")
	_, err = ch.Reply(e.ctx, "1", big)
	assert.ErrorIs(t, err, teams.ErrMessageTooLarge)
	_, err = tms.ChatOf("19:x@thread.v2").Send(e.ctx, big)
	assert.ErrorIs(t, err, teams.ErrMessageTooLarge)

	// Mentions count: a body under the limit with mentions over it.
	near := teams.HTML(strings.Repeat("y", teams.MaxMessageSize-200))
	for range 5 {
		near.Mention(e.alex.ID, "Alex Wilber")
	}
	_, err = ch.Send(e.ctx, near)
	assert.ErrorIs(t, err, teams.ErrMessageTooLarge)
	assert.Empty(t, wire.Take(), "nothing was sent")

	// Just under the limit goes through.
	ok := teams.Text(strings.Repeat("z", teams.MaxMessageSize-100))
	_, err = ch.Send(e.ctx, ok)
	require.NoError(t, err)
}

func TestEmulatorRefusesOversizedMessages(t *testing.T) {
	e := newEnv(t)
	tms := e.signIn(adeleUPN, allScopes...)
	ch := e.channel(tms, "General")
	// Past the library's check, straight to the emulator.
	body := `{"body":{"content":"` + strings.Repeat("x", 29*1024) + `"}}`
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost,
		ch.BuildBaseURL("/teams/"+e.teamID+"/channels/"+ch.ID+"/messages"), strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	err = ch.DoJSON(req, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "413")
}

func TestBadMessagesAreRefusedBeforeSending(t *testing.T) {
	e := newEnv(t)
	tms, wire := e.signInWire(adeleUPN, allScopes...)
	ch := e.channel(tms, "General")
	_, err := ch.Send(e.ctx, teams.Text("   "))
	assert.ErrorContains(t, err, "empty message body")
	_, err = ch.Send(e.ctx, nil)
	assert.ErrorContains(t, err, "empty message body")
	orphan := teams.HTML("no tag here")
	orphan.Mentions = []teams.Mention{{ID: 0, MentionText: "Alex"}}
	_, err = ch.Send(e.ctx, orphan)
	assert.ErrorContains(t, err, `mention 0 (Alex) has no <at id="0">`)
	_, err = ch.Reply(e.ctx, "", teams.Text("x"))
	assert.ErrorContains(t, err, "empty message id")
	_, err = tms.TeamOf("").CreateChannel(e.ctx, teams.NewChannel{DisplayName: "x"})
	assert.ErrorContains(t, err, "team has no id")
	_, err = tms.TeamOf(e.teamID).CreateChannel(e.ctx, teams.NewChannel{})
	assert.ErrorContains(t, err, "empty display name")
	_, err = tms.ChannelOf(e.teamID, "").Message(e.ctx, "1")
	assert.ErrorContains(t, err, "empty channel id")
	_, err = tms.Team(e.ctx, "")
	assert.ErrorContains(t, err, "empty team id")
	_, err = tms.Chat(e.ctx, "")
	assert.ErrorContains(t, err, "empty chat id")
	_, err = tms.CreateChat(e.ctx, teams.OneOnOne, "", adeleUPN)
	assert.ErrorContains(t, err, "one-on-one chat has 2 members, not 1")
	_, err = tms.CreateChat(e.ctx, teams.OneOnOne, "topic", adeleUPN, alexUPN)
	assert.ErrorContains(t, err, "no topic")
	_, err = tms.CreateChat(e.ctx, "meeting", "", adeleUPN, alexUPN)
	assert.ErrorContains(t, err, `chat type "meeting"`)
	_, err = tms.Presences(e.ctx, "")
	assert.ErrorContains(t, err, "empty user id")
	_, err = tms.Presence(e.ctx, "")
	assert.ErrorContains(t, err, "empty user id")
	var unbound teams.Channel
	assert.ErrorContains(t, firstErr(unbound.Messages(e.ctx)), "channel has no connection")
	assert.Empty(t, wire.Take(), "nothing was sent")
}

func TestInvalidPresenceIsRefusedBeforeSending(t *testing.T) {
	e := newEnv(t)
	tms, wire := e.signInWire(adeleUPN, allScopes...)
	err := tms.SetPresence(e.ctx, teams.PresenceStatus{Availability: teams.Busy, Activity: teams.ActivityBusy})
	require.ErrorIs(t, err, teams.ErrInvalidPresence)
	assert.ErrorContains(t, err, `availability "Busy" with activity "Busy"`)
	assert.ErrorContains(t, err, "Busy/InACall", "the error lists what Graph takes")
	err = tms.SetPresence(e.ctx, teams.PresenceStatus{Availability: teams.Available, Activity: teams.ActivityAvailable, Expiration: time.Minute})
	assert.ErrorIs(t, err, teams.ErrInvalidPresence)
	assert.ErrorContains(t, err, "expiration 1m0s is outside 5m0s to 4h0m0s")
	err = tms.SetPresence(e.ctx, teams.PresenceStatus{Availability: teams.Away, Activity: teams.ActivityAway, Expiration: 5 * time.Hour})
	assert.ErrorIs(t, err, teams.ErrInvalidPresence)
	err = tms.SetPreferredPresence(e.ctx, teams.PresenceStatus{Availability: teams.Busy, Activity: teams.ActivityInACall})
	assert.ErrorIs(t, err, teams.ErrInvalidPresence, "InACall is a session activity, not a preferred one")
	err = tms.SetPreferredPresence(e.ctx, teams.PresenceStatus{Availability: teams.Offline, Activity: teams.ActivityOffline})
	assert.ErrorIs(t, err, teams.ErrInvalidPresence, "Offline pairs with OffWork")
	tms.SessionID = ""
	assert.ErrorContains(t, tms.SetPresence(e.ctx, teams.PresenceStatus{Availability: teams.Away, Activity: teams.ActivityAway}), "no SessionID")
	assert.ErrorContains(t, tms.ClearPresence(e.ctx), "no SessionID")
	assert.Empty(t, wire.Take(), "nothing was sent")
}

func TestMentionHelper(t *testing.T) {
	m := teams.Text("Tom & Jerry, see ").Mention("id-1", "Adele <Vance>").Append(" and ").Mention("id-2", "Alex")
	assert.Equal(t, "html", m.Body.ContentType)
	assert.Equal(t, `Tom &amp; Jerry, see <at id="0">Adele &lt;Vance&gt;</at> and <at id="1">Alex</at>`, m.Body.Content)
	require.Len(t, m.Mentions, 2)
	assert.Equal(t, teams.Mention{ID: 1, MentionText: "Alex", Mentioned: teams.ChatMessageMention{
		User: &teams.Identity{ID: "id-2", DisplayName: "Alex", UserIdentityType: "aadUser"}}}, m.Mentions[1])
}

func TestISODuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		time.Hour: "PT1H", 90 * time.Minute: "PT1H30M", 45 * time.Second: "PT45S", 0: "PT0S",
		8*time.Hour + 5*time.Second: "PT8H5S", 1500 * time.Millisecond: "PT1S", -time.Minute: "-PT1M",
	} {
		assert.Equal(t, want, teams.ISODuration(d), d)
	}
}
