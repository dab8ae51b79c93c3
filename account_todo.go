package o365

import (
	"github.com/go-o365/o365/categories"
	"github.com/go-o365/o365/todo"
)

// Tasks returns Microsoft To Do of the main resource, or of the user
// named by resource ("me", a user principal name, "users/{id}"): task
// lists, tasks, checklist items and linked resources (python-o365's
// ToDo). An app-only account has no "me", so it names the user:
// account.Tasks("users/adele@contoso.com"). Scopes: tasks, tasks_all.
func (a *Account) Tasks(resource ...string) *todo.ToDo {
	return todo.NewFrom(a, resource...)
}

// OutlookCategories returns the master list of Outlook categories of the
// main resource, or of the user named by resource: the names and colours
// that messages, events, contacts and tasks are tagged with. Scopes:
// categories (MailboxSettings.Read), categories_all
// (MailboxSettings.ReadWrite).
func (a *Account) OutlookCategories(resource ...string) *categories.Categories {
	return categories.NewFrom(a, resource...)
}
