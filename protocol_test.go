package o365_test

import (
	"testing"

	"github.com/go-o365/o365"
	"github.com/stretchr/testify/assert"
)

func TestScopesFor(t *testing.T) {
	assert.Equal(t, []string{"Mail.ReadWrite", "Mail.Send", "User.Read"}, o365.ScopesFor("message_all", "basic"))
	// Where the source document and python-o365's code disagree, the document wins.
	assert.Equal(t, []string{"Calendars.ReadWrite"}, o365.ScopesFor("calendar"))
	assert.Equal(t, []string{"Files.ReadWrite.All"}, o365.ScopesFor("onedrive"))
	// Unknown names pass through; duplicates (case-insensitive) go.
	assert.Equal(t, []string{"Files.Read", "Mail.Read", "Notes.Read"},
		o365.ScopesFor("Files.Read", "mailbox", "Mail.Read", "mail.read", "Notes.Read"))
	assert.Empty(t, o365.ScopesFor())

	// The seed document's "add all at a time" list.
	all := o365.ScopesFor("message_all", "message_all_shared", "address_book_all", "address_book_all_shared",
		"calendar", "users", "onedrive", "sharepoint_dl")
	assert.Equal(t, []string{"Mail.ReadWrite", "Mail.Send", "Mail.ReadWrite.Shared", "Mail.Send.Shared",
		"Contacts.ReadWrite", "Contacts.ReadWrite.Shared", "Calendars.ReadWrite", "User.ReadBasic.All",
		"Files.ReadWrite.All", "Sites.ReadWrite.All"}, all)
}

func TestScopeTableIsComplete(t *testing.T) {
	want := map[string][]string{
		"basic": {"User.Read"}, "mailbox": {"Mail.Read"}, "mailbox_shared": {"Mail.Read.Shared"},
		"mailbox_settings": {"MailboxSettings.ReadWrite"}, "message_send": {"Mail.Send"},
		"message_send_shared": {"Mail.Send.Shared"}, "message_all": {"Mail.ReadWrite", "Mail.Send"},
		"message_all_shared": {"Mail.ReadWrite.Shared", "Mail.Send.Shared"}, "address_book": {"Contacts.Read"},
		"address_book_shared": {"Contacts.Read.Shared"}, "address_book_all": {"Contacts.ReadWrite"},
		"address_book_all_shared": {"Contacts.ReadWrite.Shared"}, "calendar": {"Calendars.ReadWrite"},
		"calendar_shared": {"Calendars.Read.Shared"}, "calendar_all": {"Calendars.ReadWrite"},
		"calendar_shared_all": {"Calendars.ReadWrite.Shared"}, "users": {"User.ReadBasic.All"},
		"onedrive": {"Files.ReadWrite.All"}, "onedrive_all": {"Files.ReadWrite.All"},
		"sharepoint": {"Sites.Read.All"}, "sharepoint_dl": {"Sites.ReadWrite.All"},
		"sharepoint_all": {"Sites.ReadWrite.All"}, "tasks": {"Tasks.Read"}, "tasks_all": {"Tasks.ReadWrite"},
		"presence": {"Presence.Read"},
	}
	for name, scopes := range want {
		assert.Equal(t, scopes, o365.ScopesFor(name), name)
	}
}

func TestProtocolResources(t *testing.T) {
	var zero o365.MSGraphProtocol
	assert.Equal(t, "https://graph.microsoft.com/v1.0", zero.ServiceURL())
	assert.Equal(t, "me", zero.DefaultResource())

	p := &o365.MSGraphProtocol{Host: "http://127.0.0.1:8080/", APIVersion: "beta", MainResource: "shared_mail@example.com"}
	assert.Equal(t, "http://127.0.0.1:8080/beta", p.ServiceURL())
	assert.Equal(t, "users/shared_mail@example.com", p.DefaultResource())

	cases := map[string]string{
		"":                     "me",
		"me":                   "me",
		"ME":                   "me",
		"user@x.com":           "users/user@x.com",
		"users/abc":            "users/abc",
		"/users/abc/":          "users/abc",
		"groups/g1":            "groups/g1",
		"sites/root":           "sites/root",
		"87d349ed-44d7-43e1":   "users/87d349ed-44d7-43e1",
		"odd name/with?chars#": "users/odd%20name%2Fwith%3Fchars%23",
		"o'brien@contoso.com":  "users/o%27brien@contoso.com",
	}
	for in, want := range cases {
		assert.Equal(t, want, p.ResourcePath(in), "resource %q", in)
	}
}

func TestAccountMainResource(t *testing.T) {
	acct := o365.NewAccount(o365.Credentials{ClientID: "id", ClientSecret: "secret"},
		o365.WithMainResource("shared_mail@example.com"), o365.WithCloud(o365.CloudUSGov))
	assert.Equal(t, "users/shared_mail@example.com", acct.MainResource())
	assert.Equal(t, "https://graph.microsoft.us/v1.0", acct.Protocol().ServiceURL())

	c := o365.NewApiComponent(acct, map[string]string{"my_url_key": "/customendpoint"})
	assert.Equal(t, "https://graph.microsoft.us/v1.0/users/shared_mail@example.com/customendpoint", c.BuildURL(c.Endpoint("my_url_key")))
}
