// Package teams is Microsoft Teams through Microsoft Graph: presence, the
// teams a user is in with their channels, channel messages (with replies,
// @mentions and delta), chats, and the apps installed in a team.
//
//	t := account.Teams()
//	err := t.SetPresence(ctx, teams.PresenceStatus{Availability: teams.Busy, Activity: teams.ActivityInACall, Expiration: time.Hour})
//	p, err := t.Presence(ctx, colleagueID)
//
//	for tm, err := range t.JoinedTeams(ctx) { … }
//	general := t.ChannelOf(teamID, channelID)
//	post, err := general.Send(ctx, teams.HTML("Ready for review, ").Mention(megan.ID, "Megan Bowen"))
//	_, err = general.Reply(ctx, post.ID, teams.Text("Slides are up."))
//
//	chat, err := t.CreateChat(ctx, teams.OneOnOne, "", me.ID, megan.ID)
//	_, err = chat.Send(ctx, teams.Text("Lunch?"))
//
// # Teams and channels
//
// A team is a Microsoft 365 group with a team: its id is the group's id,
// and its members and owners are the group's. JoinedTeams lists the
// user's teams (Graph answers only id, name and description there); Team
// gets one in full; TeamOf and ChannelOf make a Team or Channel from ids
// without a request. A Team lists, gets, creates and deletes its channels
// (every team has a General channel, which cannot be deleted) and lists
// its installed apps; a Channel lists its members with their roles.
// Teams and channels Graph does not know give errors matching
// api.ErrNotFound; a team the user is not a member of gives
// api.ErrForbidden.
//
// # Messages
//
// A Channel lists, gets and sends messages, replies to them and lists
// their replies; a Chat lists, gets and sends its messages. Messages are
// ChatMessage, Graph's chatMessage. NewMessage is what is sent: Text and
// HTML start one, Mention adds an @mention of a user (the
// <at id="n">Name</at> markup in the body and its entry in Mentions, the
// two Graph needs together), Append adds more. Teams refuses a message
// over about 28 KB, mentions and attachments included; Send and Reply
// refuse one over MaxMessageSize with ErrMessageTooLarge before sending.
//
// The sender of a message edits it (EditMessage, EditReply: Graph's
// update, which replaces the body, mentions and attachments), deletes it
// (SoftDeleteMessage, SoftDeleteReply) and brings it back
// (UndoSoftDeleteMessage, UndoSoftDeleteReply); anyone else gets
// api.ErrForbidden. These need ChannelMessage.ReadWrite or Chat.ReadWrite,
// which channel_messages_all and chats_all include. A deleted message stays in lists and
// deltas with DeletedDateTime set and its content withheld; an edited
// one has LastEditedDateTime set.
//
// Channel.MessageDelta tracks the channel's new and changed messages
// across rounds, keeping the @odata.deltaLink that ended the last round
// (Delta.DeltaLink); persist it to resume later. A reply changes its
// post's reply chain, so the post comes back in the next round, as it
// does when it or a reply is edited, deleted or brought back.
//
// # Chats
//
// Chats lists the user's chats with their members ($expand=members);
// Chat gets one; CreateChat creates a one-on-one or group chat with
// members bound by user id or principal name (the signed-in user among
// them, as Graph requires). Graph answers a one-on-one chat the two users
// already have rather than a new one. A chat the user is not in is not
// found.
//
// # Presence
//
// MyPresence and Presence read one user's presence, Presences many at
// once (getPresencesByUserId, which takes user object ids). SetPresence
// sets the state of this application's presence session for the user,
// named by Teams.SessionID, the application id, which NewFrom takes from
// the connection; ClearPresence ends it. SetPreferredPresence sets the
// presence the user prefers, which shows over every session while at
// least one exists; ClearPreferredPresence removes it. Availability and
// Activity are typed constants; the pairs Graph documents as valid
// differ between sessions and preferred presence, and others give
// ErrInvalidPresence before any request, as do session expirations
// outside 5 minutes to 4 hours.
//
// # Scopes
//
// The short names, least privileged for each API: teams
// (Team.ReadBasic.All, Channel.ReadBasic.All), teams_all (adds
// Channel.Create, Channel.Delete.All, ChannelMember.Read.All,
// TeamsAppInstallation.ReadForTeam), channel_messages
// (ChannelMessage.Read.All), channel_messages_all (adds
// ChannelMessage.Send and, for edits and soft deletes,
// ChannelMessage.ReadWrite), chats (Chat.Read), chats_all (adds
// Chat.Create, ChatMessage.Send and, for edits and soft deletes,
// Chat.ReadWrite), presence (Presence.Read: one's own),
// presence_all (Presence.Read.All, Presence.ReadWrite).
package teams
