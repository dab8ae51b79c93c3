// Command teams works with Microsoft Teams as the signed-in user: it sets
// a presence (an app session and a preferred presence) and reads it back,
// lists the teams the user is in with their channels and apps, posts a
// message that @mentions a colleague to a channel, replies to it and
// reads the thread, then reads a chat, answers it and edits the answer.
//
// With no credentials in the environment it runs offline against the
// graphtest emulator, with a seeded team and chat. Against a real tenant,
// set O365_CLIENT_ID, O365_CLIENT_SECRET (omit it for a public client)
// and O365_TENANT; the app needs Team.ReadBasic.All,
// Channel.ReadBasic.All, ChannelMember.Read.All,
// TeamsAppInstallation.ReadForTeam, ChannelMessage.Read.All,
// ChannelMessage.Send, Chat.Read, ChatMessage.Send, Chat.ReadWrite and
// Presence.ReadWrite.
// It posts to the General channel of the first team the user is in, and
// answers their most recent one-on-one chat: use a test tenant. Tokens
// are kept in o365_token.json.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/internal/demo"
	"github.com/go-o365/o365/teams"
)

// scopes the example needs; chats_all includes Chat.ReadWrite, which
// editing a message takes.
var scopes = []string{"basic", "teams_all", "channel_messages_all", "chats_all", "presence_all"}

func main() { demo.Main(offline, realTenant) }

func offline(ctx context.Context, w io.Writer) error {
	srv, account, err := demo.Start(ctx, w, demo.SeedTeams, scopes...)
	if err != nil {
		return err
	}
	defer srv.Close()
	return run(ctx, w, account)
}

func realTenant(ctx context.Context, w io.Writer) error {
	account, err := demo.RealTenant(ctx, scopes...)
	if err != nil {
		return err
	}
	return run(ctx, w, account)
}

func run(ctx context.Context, w io.Writer, account *o365.Account) error {
	fmt.Fprintf(w, "Signed in as %s\n\n", account.Username())
	me, err := account.CurrentUser(ctx)
	if err != nil {
		return err
	}
	t := account.Teams()
	if err := presence(ctx, w, t); err != nil {
		return err
	}
	if err := channels(ctx, w, t, me.ID); err != nil {
		return err
	}
	return chats(ctx, w, t, me.ID)
}

// presence sets this app's presence session, then a preferred presence
// over it, reading the result after each, and clears both.
func presence(ctx context.Context, w io.Writer, t *teams.Teams) error {
	show := func(what string) error {
		p, err := t.MyPresence(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "Presence %s: %s (%s)\n", what, p.Availability, p.Activity)
		return nil
	}
	err := t.SetPresence(ctx, teams.PresenceStatus{Availability: teams.Busy, Activity: teams.ActivityInAConferenceCall, Expiration: time.Hour})
	if err == nil {
		err = show("of this app's session")
	}
	if err == nil {
		err = t.SetPreferredPresence(ctx, teams.PresenceStatus{Availability: teams.DoNotDisturb, Activity: teams.ActivityDoNotDisturb, Expiration: 2 * time.Hour})
	}
	if err == nil {
		err = show("with a preferred presence")
	}
	if err == nil {
		err = t.ClearPreferredPresence(ctx)
	}
	if err == nil {
		err = t.ClearPresence(ctx)
	}
	if err == nil {
		err = show("cleared")
	}
	// Graph checks the pairs it takes; so does the package, before sending.
	bad := t.SetPresence(ctx, teams.PresenceStatus{Availability: teams.Busy, Activity: teams.ActivityBusy})
	fmt.Fprintf(w, "Busy/Busy as a session: refused (%v)\n\n", errors.Is(bad, teams.ErrInvalidPresence))
	return err
}

// channels lists the teams with their channels and apps, then posts to
// the first team's General channel, mentioning a colleague, and replies.
func channels(ctx context.Context, w io.Writer, t *teams.Teams, myID string) error {
	var first *teams.Team
	for tm, err := range t.JoinedTeams(ctx) {
		if err != nil {
			return err
		}
		if first == nil {
			first = tm
		}
		fmt.Fprintf(w, "Team %s\n", tm.DisplayName)
		for c, err := range tm.Channels(ctx) {
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "  channel %s\n", c.DisplayName)
		}
		for app, err := range tm.InstalledApps(ctx) {
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "  app %s %s\n", app.Definition.DisplayName, app.Definition.Version)
		}
	}
	if first == nil {
		fmt.Fprintln(w, "You are in no team.")
		return nil
	}
	var general *teams.Channel
	for c, err := range first.Channels(ctx) {
		if err != nil {
			return err
		}
		if c.DisplayName == "General" {
			general = c
		}
	}
	if general == nil {
		return fmt.Errorf("team %s has no General channel", first.DisplayName)
	}
	// Mention the first other member of the channel.
	msg := teams.HTML("The Mark 8 design is ready for review")
	for m, err := range general.Members(ctx) {
		if err != nil {
			return err
		}
		if m.UserID != myID {
			msg.Append(", ").Mention(m.UserID, m.DisplayName)
			break
		}
	}
	post, err := general.Send(ctx, msg.Append("."))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nPosted to %s/%s: %s\n", first.DisplayName, general.DisplayName, post.Body.Content)
	if _, err := general.Reply(ctx, post.ID, teams.Text("Slides are in the Design channel.")); err != nil {
		return err
	}
	for r, err := range general.Replies(ctx, post.ID) {
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  reply from %s: %s\n", r.From.User.DisplayName, r.Body.Content)
	}
	// A message over Teams' limit never leaves the program.
	_, err = general.Send(ctx, teams.Text(string(make([]byte, teams.MaxMessageSize+1))))
	fmt.Fprintf(w, "A %d-byte message: refused (%v)\n\n", teams.MaxMessageSize+1, errors.Is(err, teams.ErrMessageTooLarge))
	return nil
}

// chats reads the most recent one-on-one chat, answers it, and edits the
// answer as its sender may.
func chats(ctx context.Context, w io.Writer, t *teams.Teams, myID string) error {
	for c, err := range t.Chats(ctx) {
		if err != nil {
			return err
		}
		if c.ChatType != teams.OneOnOne {
			continue
		}
		with := "?"
		for _, m := range c.Members {
			if m.UserID != myID {
				with = m.DisplayName
			}
		}
		fmt.Fprintf(w, "Chat with %s:\n", with)
		for m, err := range c.Messages(ctx, api.Limit(5)) {
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "  %s: %s\n", m.From.User.DisplayName, m.Body.Content)
		}
		sent, err := c.Send(ctx, teams.Text("Yes, see you at 3."))
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "Answered: %s\n", sent.Body.Content)
		if err := c.EditMessage(ctx, sent.ID, teams.Text("Yes, see you at 3 in Room 12.")); err != nil {
			return err
		}
		edited, err := c.Message(ctx, sent.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "Edited (%v): %s\n", edited.Edited(), edited.Body.Content)
		return nil
	}
	fmt.Fprintln(w, "No one-on-one chat to read.")
	return nil
}
