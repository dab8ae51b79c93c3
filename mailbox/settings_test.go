package mailbox_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/calendar"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/internal/wiretest"
	"github.com/go-o365/o365/mailbox"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func settingsTenant(t *testing.T, scopes ...string) (*o365test.MailTenant, *o365.Account) {
	t.Helper()
	e := o365test.NewMailTenant(t)
	return e, o365test.MailSignIn(t, e.Srv, adele, append([]string{"basic", "message_all_shared"}, scopes...)...)
}

func TestSettings(t *testing.T) {
	ctx := context.Background()
	_, acct := settingsTenant(t, "mailbox_settings")
	mb := acct.Mailbox()

	s, err := mb.Settings(ctx)
	require.NoError(t, err)
	assert.Equal(t, "UTC", s.TimeZone)
	assert.Equal(t, "en-US", s.Language.Locale)
	assert.Equal(t, "English (United States)", s.Language.DisplayName)
	assert.Equal(t, "user", s.UserPurpose.Value)
	assert.Equal(t, mailbox.SendToDelegateOnly, s.DelegateMeetingMessageDeliveryOptions)
	assert.Equal(t, []calendar.DayOfWeek{calendar.Monday, calendar.Tuesday, calendar.Wednesday, calendar.Thursday, calendar.Friday}, s.WorkingHours.DaysOfWeek)
	assert.False(t, s.AutomaticReplies.Enabled())
	archive := mb.ArchiveFolder()
	require.NoError(t, archive.Refresh(ctx))
	assert.Equal(t, archive.ID, s.ArchiveFolder, "archiveFolder is the Archive folder's id")

	got, err := mb.UpdateSettings(ctx, mailbox.Settings{
		TimeZone:   "W. Europe Standard Time",
		Language:   &mailbox.LocaleInfo{Locale: "de-DE"},
		DateFormat: "dd.MM.yyyy", TimeFormat: "HH:mm",
		WorkingHours: &mailbox.WorkingHours{
			DaysOfWeek: []calendar.DayOfWeek{calendar.Monday, calendar.Tuesday, calendar.Thursday},
			StartTime:  mailbox.TimeOfDay(9, 0), EndTime: mailbox.TimeOfDay(15, 30),
			TimeZone: &mailbox.TimeZone{Name: "W. Europe Standard Time"},
		},
		DelegateMeetingMessageDeliveryOptions: mailbox.SendToDelegateAndPrincipal,
		UserPurpose:                           &mailbox.UserPurpose{Value: "shared"},
	})
	require.NoError(t, err)
	assert.Equal(t, "W. Europe Standard Time", got.TimeZone)
	assert.Nil(t, got.AutomaticReplies, "the answer holds what was changed")

	s, err = mb.Settings(ctx)
	require.NoError(t, err)
	assert.Equal(t, "W. Europe Standard Time", s.TimeZone)
	assert.Equal(t, "German (Germany)", s.Language.DisplayName)
	assert.Equal(t, "dd.MM.yyyy", s.DateFormat)
	assert.Equal(t, "HH:mm", s.TimeFormat)
	assert.Equal(t, "09:00:00.0000000", s.WorkingHours.StartTime)
	assert.Equal(t, "15:30:00.0000000", s.WorkingHours.EndTime)
	assert.Equal(t, "W. Europe Standard Time", s.WorkingHours.TimeZone.Name)
	assert.Len(t, s.WorkingHours.DaysOfWeek, 3)
	assert.Equal(t, mailbox.SendToDelegateAndPrincipal, s.DelegateMeetingMessageDeliveryOptions)
	assert.Equal(t, "user", s.UserPurpose.Value, "userPurpose is read-only")

	// The archive folder can be pointed at another folder, by id.
	old, err := mb.CreateFolder(ctx, "Old projects", false)
	require.NoError(t, err)
	got, err = mb.UpdateSettings(ctx, mailbox.Settings{ArchiveFolder: old.ID})
	require.NoError(t, err)
	assert.Equal(t, old.ID, got.ArchiveFolder)
	s, err = mb.Settings(ctx)
	require.NoError(t, err)
	assert.Equal(t, old.ID, s.ArchiveFolder)
	assert.Equal(t, "W. Europe Standard Time", s.TimeZone, "what was not sent stays")
}

func TestAutomaticReplies(t *testing.T) {
	ctx := context.Background()
	_, acct := settingsTenant(t, "mailbox_settings")
	mb := acct.Mailbox()

	require.NoError(t, mb.SetAutomaticReply(ctx, "Back Monday.", "I'm away until Monday."))
	a, err := mb.AutomaticReplies(ctx)
	require.NoError(t, err)
	assert.Equal(t, mailbox.AutoReplyAlwaysEnabled, a.Status)
	assert.Equal(t, mailbox.AudienceAll, a.ExternalAudience, "everyone, as python-o365's default")
	assert.Equal(t, "Back Monday.", a.InternalReplyMessage)
	assert.Equal(t, "I'm away until Monday.", a.ExternalReplyMessage)
	assert.True(t, a.Active(time.Now()))

	berlin, err := calendar.LoadLocation("W. Europe Standard Time")
	require.NoError(t, err)
	start := time.Date(2025, 8, 1, 18, 0, 0, 0, berlin)
	end := time.Date(2025, 8, 18, 8, 0, 0, 0, berlin)
	require.NoError(t, mb.SetAutomaticReply(ctx, "On holiday.", "On holiday until the 18th.",
		mailbox.Scheduled(start, end), mailbox.Audience(mailbox.AudienceContactsOnly)))
	s, err := mb.Settings(ctx)
	require.NoError(t, err)
	a = s.AutomaticReplies
	assert.Equal(t, mailbox.AutoReplyScheduled, a.Status, "a scheduled reply reports its status")
	assert.Equal(t, mailbox.AudienceContactsOnly, a.ExternalAudience)
	assert.True(t, a.ScheduledStart.Equal(start), "start %v", a.ScheduledStart)
	assert.True(t, a.ScheduledEnd.Equal(end))
	assert.Equal(t, "W. Europe Standard Time", mustZone(t, a.ScheduledStart), "read in the zone it was set in")
	assert.True(t, a.Enabled())
	assert.True(t, a.Active(start.Add(time.Hour)))
	assert.False(t, a.Active(end.Add(time.Minute)))

	require.NoError(t, mb.DisableAutomaticReply(ctx))
	a, err = mb.AutomaticReplies(ctx)
	require.NoError(t, err)
	assert.Equal(t, mailbox.AutoReplyDisabled, a.Status)
	assert.False(t, a.Enabled())
	assert.Equal(t, "On holiday.", a.InternalReplyMessage, "the messages are kept")
}

// mustZone is the Windows name of t's zone.
func mustZone(t *testing.T, at time.Time) string {
	name, ok := calendar.ZoneName(at.Location())
	require.True(t, ok)
	return name
}

// A shared mailbox's settings, through full access to it.
func TestSharedMailboxSettings(t *testing.T) {
	ctx := context.Background()
	e, acct := settingsTenant(t, "mailbox_settings")
	shared := acct.Mailbox(sales)
	_, err := shared.Settings(ctx)
	require.ErrorIs(t, err, api.ErrForbidden, "no access yet")
	require.NoError(t, e.Srv.GrantMailboxAccess(sales, adele))
	require.NoError(t, shared.SetAutomaticReply(ctx, "Sales is closed today.", "Sales is closed today."))
	a, err := shared.AutomaticReplies(ctx)
	require.NoError(t, err)
	assert.Equal(t, "Sales is closed today.", a.InternalReplyMessage)
	mine, err := acct.Mailbox().AutomaticReplies(ctx)
	require.NoError(t, err)
	assert.False(t, mine.Enabled(), "Adele's own is untouched")

	app := o365test.SignInApp(t, e.Srv).Mailbox("users/" + sales)
	s, err := app.Settings(ctx)
	require.NoError(t, err)
	assert.True(t, s.AutomaticReplies.Enabled())
}

func TestSettingsScopes(t *testing.T) {
	ctx := context.Background()
	_, acct := settingsTenant(t, "mailbox_settings_read")
	mb := acct.Mailbox()
	_, err := mb.Settings(ctx)
	require.NoError(t, err, "MailboxSettings.Read reads")
	require.ErrorIs(t, mb.DisableAutomaticReply(ctx), api.ErrForbidden)
	_, noScope := settingsTenant(t)
	_, err = noScope.Mailbox().Settings(ctx)
	require.ErrorIs(t, err, api.ErrForbidden)
}

// Input Graph would refuse is refused before any request: a schedule
// ending before it starts, unknown enums, working hours backwards.
func TestSettingsBadInput(t *testing.T) {
	ctx := context.Background()
	e := o365test.NewMailTenant(t)
	acct, w := o365test.MailSignInRecorded(t, e.Srv, adele)
	mb := acct.Mailbox()
	start := time.Date(2025, 8, 18, 8, 0, 0, 0, time.UTC)

	err := mb.SetAutomaticReply(ctx, "in", "out", mailbox.Scheduled(start, start.Add(-time.Hour)))
	require.ErrorContains(t, err, "ends (2025-08-18T07:00:00Z) before it starts (2025-08-18T08:00:00Z)")
	require.Error(t, mb.SetAutomaticReply(ctx, "in", "out", mailbox.Scheduled(start, start)))
	require.ErrorContains(t, mb.SetAutomaticReply(ctx, "in", "out", mailbox.Scheduled(time.Time{}, start)), "needs a start and an end")
	require.ErrorContains(t, mb.SetAutomaticReply(ctx, "in", "out", mailbox.Audience("friends")), `"friends"`)
	_, err = mb.UpdateSettings(ctx, mailbox.Settings{AutomaticReplies: &mailbox.AutomaticReplies{Status: "sometimes"}})
	require.ErrorContains(t, err, `"sometimes"`)
	_, err = mb.UpdateSettings(ctx, mailbox.Settings{WorkingHours: &mailbox.WorkingHours{StartTime: "17:00:00", EndTime: "09:00:00"}})
	require.ErrorContains(t, err, "is not before their end")
	_, err = mb.UpdateSettings(ctx, mailbox.Settings{WorkingHours: &mailbox.WorkingHours{DaysOfWeek: []calendar.DayOfWeek{"RandomDay"}}})
	require.ErrorContains(t, err, `"RandomDay"`)
	_, err = mb.UpdateSettings(ctx, mailbox.Settings{WorkingHours: &mailbox.WorkingHours{StartTime: "08"}})
	require.ErrorContains(t, err, `"08"`)
	assert.Empty(t, w.Take(), "nothing was sent")
}

func TestSettingsExamplesRoundTrip(t *testing.T) {
	ex := wiretest.Load(t, "testdata/mailboxsettings.json")
	settings := wiretest.RoundTrip[mailbox.Settings]("@odata.context")
	wiretest.CheckResponses(t, ex, map[string]wiretest.Check{
		"user-get-mailboxsettings#1":    settings,
		"user-get-mailboxsettings#2":    wiretest.RoundTrip[mailbox.AutomaticReplies]("@odata.context"),
		"user-get-mailboxsettings#3":    wiretest.RoundTrip[mailbox.WorkingHours]("@odata.context"),
		"user-get-mailboxsettings#4":    wiretest.RoundTrip[mailbox.UserPurpose]("@odata.context"),
		"user-update-mailboxsettings#1": settings,
		"user-update-mailboxsettings#2": settings,
	})

	// Graph's examples spell enums "Scheduled" and "All" as well as
	// "scheduled" and "all"; Is compares them as Graph reads them.
	var s mailbox.Settings
	require.NoError(t, api.Unmarshal(ex["user-get-mailboxsettings#1"].ResponseBody, &s))
	assert.True(t, s.AutomaticReplies.Status.Is(mailbox.AutoReplyScheduled))
	assert.True(t, s.AutomaticReplies.ExternalAudience.Is(mailbox.AudienceAll))
	assert.True(t, s.AutomaticReplies.ScheduledStart.Equal(time.Date(2016, 3, 14, 7, 0, 0, 0, time.UTC)))
	assert.True(t, s.AutomaticReplies.Active(time.Date(2016, 3, 20, 0, 0, 0, 0, time.UTC)))
	var h mailbox.WorkingHours
	require.NoError(t, api.Unmarshal(ex["user-get-mailboxsettings#3"].ResponseBody, &h))
	require.NotNil(t, h.TimeZone.Bias)
	assert.Equal(t, -200, *h.TimeZone.Bias)
	assert.Equal(t, -100, h.TimeZone.DaylightOffset.DaylightBias)
	assert.Equal(t, calendar.Sunday, h.TimeZone.StandardOffset.DayOfWeek)
}

// What SetAutomaticReply and UpdateSettings send has Microsoft's request
// examples' shape, and graphtest takes Microsoft's own bodies.
func TestSettingsRequestsMatchExamples(t *testing.T) {
	ctx := context.Background()
	ex := wiretest.Load(t, "testdata/mailboxsettings.json")
	e := o365test.NewMailTenant(t)
	w := o365test.NewWire()
	acct := o365test.SignIn(t, e.Srv, adele, passwords[adele], o365.WithScopes("mailbox_settings"), o365.WithHTTPClient(&http.Client{Transport: w}))
	w.Take()
	mb := acct.Mailbox()

	start := time.Date(2016, 3, 20, 18, 0, 0, 0, time.UTC)
	require.NoError(t, mb.SetAutomaticReply(ctx, "in", "out", mailbox.Scheduled(start, start.AddDate(0, 0, 8))))
	sent := w.Take()
	require.Len(t, sent, 1)
	assert.Equal(t, http.MethodPatch, sent[0].Method)
	assert.Equal(t, "/v1.0/me/mailboxSettings", sent[0].Path)
	assert.Empty(t, wiretest.MissingKeys(ex["user-update-mailboxsettings#1"].RequestBody, sent[0].Body))
	var body map[string]map[string]any
	require.NoError(t, json.Unmarshal(sent[0].Body, &body))
	assert.Equal(t, map[string]any{"dateTime": "2016-03-20T18:00:00.0000000", "timeZone": "UTC"}, body["automaticRepliesSetting"]["scheduledStartDateTime"])

	// Microsoft's second example, a custom zone, through the library.
	var h mailbox.Settings
	require.NoError(t, api.Unmarshal(ex["user-update-mailboxsettings#2"].RequestBody, &h))
	got, err := mb.UpdateSettings(ctx, h)
	require.NoError(t, err)
	sent = w.Take()
	assert.Empty(t, wiretest.MissingKeys(ex["user-update-mailboxsettings#2"].RequestBody, sent[0].Body))
	assert.Equal(t, "Customized Time Zone", got.WorkingHours.TimeZone.Name)
	assert.Equal(t, calendar.DayOfWeek("saturday"), got.WorkingHours.DaysOfWeek[5], "Graph answers days in its own spelling")
	assert.Equal(t, "08:00:00.0000000", got.WorkingHours.StartTime, "members not named keep their values")
}
