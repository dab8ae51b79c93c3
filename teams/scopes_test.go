package teams_test

import (
	"testing"

	"github.com/go-o365/o365"
	"github.com/stretchr/testify/assert"
)

// TestScopeShortNames pins the short names of this package's scopes to
// the least privileged delegated permissions of each API it calls, as
// Microsoft's v1.0 pages list them: reading is the short name, writing
// its _all.
func TestScopeShortNames(t *testing.T) {
	want := map[string][]string{
		// joinedTeams, get team: Team.ReadBasic.All; list and get
		// channels: Channel.ReadBasic.All.
		"teams": {"Team.ReadBasic.All", "Channel.ReadBasic.All"},
		// plus create and delete channel, channel members, installed apps.
		"teams_all": {"Team.ReadBasic.All", "Channel.ReadBasic.All", "Channel.Create", "Channel.Delete.All",
			"ChannelMember.Read.All", "TeamsAppInstallation.ReadForTeam"},
		// list, get, replies and delta of channel messages; send and reply.
		"channel_messages":     {"ChannelMessage.Read.All"},
		"channel_messages_all": {"ChannelMessage.Read.All", "ChannelMessage.Send", "ChannelMessage.ReadWrite"},
		// list and get chats and their messages; create a chat, send.
		"chats":     {"Chat.Read"},
		"chats_all": {"Chat.Read", "Chat.Create", "ChatMessage.Send", "Chat.ReadWrite"},
		// the user's own presence; others' (one or many) and the
		// presence session and preferred presence.
		"presence":     {"Presence.Read"},
		"presence_all": {"Presence.Read.All", "Presence.ReadWrite"},
	}
	for name, scopes := range want {
		assert.Equal(t, scopes, o365.ScopesFor(name), name)
	}
}
