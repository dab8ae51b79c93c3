package o365_test

import (
	"testing"

	"github.com/go-o365/o365"
	"github.com/stretchr/testify/assert"
)

// The To Do, categories and mailbox settings scopes are those Microsoft's
// permission tables name: Tasks.Read and Tasks.ReadWrite for To Do
// (todotasklist-list-tasks, todotasklist-post-tasks), MailboxSettings.Read
// to list master categories and MailboxSettings.ReadWrite to change them
// (outlookuser-list-mastercategories, outlookuser-post-mastercategories),
// and the same two for mailbox settings (user-get-mailboxsettings,
// user-update-mailboxsettings).
func TestTodoCategoriesSettingsScopes(t *testing.T) {
	for name, want := range map[string][]string{
		"tasks": {"Tasks.Read"}, "tasks_all": {"Tasks.ReadWrite"},
		"categories": {"MailboxSettings.Read"}, "categories_all": {"MailboxSettings.ReadWrite"},
		"mailbox_settings_read": {"MailboxSettings.Read"}, "mailbox_settings": {"MailboxSettings.ReadWrite"},
		"settings_all": {"MailboxSettings.ReadWrite"},
	} {
		assert.Equal(t, want, o365.ScopesFor(name), name)
	}
}
