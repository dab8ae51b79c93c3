package o365

import "strings"

// scopeTable maps python-o365's scope short names to Graph permissions.
// The names and scopes come from the Account page of python-o365's
// documentation plus the extra names its code knows; where the two
// disagree the documentation wins ("calendar" and "onedrive" grant write
// access).
var scopeTable = map[string][]string{
	"basic":                   {"User.Read"},
	"mailbox":                 {"Mail.Read"},
	"mailbox_shared":          {"Mail.Read.Shared"},
	"mailbox_settings":        {"MailboxSettings.ReadWrite"},
	"message_send":            {"Mail.Send"},
	"message_send_shared":     {"Mail.Send.Shared"},
	"message_all":             {"Mail.ReadWrite", "Mail.Send"},
	"message_all_shared":      {"Mail.ReadWrite.Shared", "Mail.Send.Shared"},
	"address_book":            {"Contacts.Read"},
	"address_book_shared":     {"Contacts.Read.Shared"},
	"address_book_all":        {"Contacts.ReadWrite"},
	"address_book_all_shared": {"Contacts.ReadWrite.Shared"},
	"calendar":                {"Calendars.ReadWrite"},
	"calendar_shared":         {"Calendars.Read.Shared"},
	"calendar_all":            {"Calendars.ReadWrite"},
	"calendar_shared_all":     {"Calendars.ReadWrite.Shared"},
	"users":                   {"User.ReadBasic.All"},
	"onedrive":                {"Files.ReadWrite.All"},
	"onedrive_all":            {"Files.ReadWrite.All"},
	"sharepoint":              {"Sites.Read.All"},
	"sharepoint_dl":           {"Sites.ReadWrite.All"},
	"sharepoint_all":          {"Sites.ReadWrite.All"},
	"tasks":                   {"Tasks.Read"},
	"tasks_all":               {"Tasks.ReadWrite"},
	"presence":                {"Presence.Read"},
	"presence_all":            {"Presence.Read.All", "Presence.ReadWrite"},
	"settings_all":            {"MailboxSettings.ReadWrite"},
	"mailbox_settings_read":   {"MailboxSettings.Read"},
	"categories":              {"MailboxSettings.Read"},
	"categories_all":          {"MailboxSettings.ReadWrite"},
	"users_all":               {"User.Read.All"},
	"directory":               {"Directory.Read.All"},
	"groups":                  {"Group.Read.All"},
	"groups_all":              {"Group.ReadWrite.All"},
	"teams":                   {"Team.ReadBasic.All", "Channel.ReadBasic.All"},
	"teams_all":               {"Team.ReadBasic.All", "Channel.ReadBasic.All", "Channel.Create", "Channel.Delete.All", "ChannelMember.Read.All", "TeamsAppInstallation.ReadForTeam"},
	"channel_messages":        {"ChannelMessage.Read.All"},
	"channel_messages_all":    {"ChannelMessage.Read.All", "ChannelMessage.Send", "ChannelMessage.ReadWrite"},
	"chats":                   {"Chat.Read"},
	"chats_all":               {"Chat.Read", "Chat.Create", "ChatMessage.Send", "Chat.ReadWrite"},
	"planner":                 {"Tasks.Read", "Group.Read.All"},
	"planner_all":             {"Tasks.ReadWrite", "Group.ReadWrite.All"},
	"excel":                   {"Files.ReadWrite"},
}

// ScopesFor expands scope short names ("message_all", "basic", …) into
// Graph permissions. Names not in the table pass through unchanged, so
// full scopes such as "Files.Read" can be mixed in. The result keeps
// first-seen order and holds no duplicates (compared case-insensitively,
// as the identity platform does).
func ScopesFor(names ...string) []string {
	out := make([]string, 0, len(names))
	seen := make(map[string]bool, len(names))
	add := func(s string) {
		k := strings.ToLower(s)
		if s == "" || seen[k] {
			return
		}
		seen[k] = true
		out = append(out, s)
	}
	for _, n := range names {
		if scopes, ok := scopeTable[n]; ok {
			for _, s := range scopes {
				add(s)
			}
			continue
		}
		add(strings.TrimSpace(n))
	}
	return out
}
