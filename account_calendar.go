package o365

import "github.com/go-o365/o365/calendar"

// Schedule returns the calendars and events of the main resource, or of
// the user named by resource ("me", a user principal name, "users/{id}"):
// the default calendar, the other calendars, events, availability and
// meeting-time suggestions. Calendar calls need the "calendar" scope
// (Calendars.ReadWrite); another user's calendars need them shared with
// the signed-in user and the calendar_shared scopes, or an app-only token.
// Event times are shown in the Schedule's Location (time.Local unless
// set).
func (a *Account) Schedule(resource ...string) *calendar.Schedule {
	return calendar.NewFrom(a, resource...)
}
