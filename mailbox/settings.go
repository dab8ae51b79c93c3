package mailbox

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/calendar"
	"github.com/go-o365/o365/internal/dtz"
)

// Settings are a mailbox's settings (Graph's mailboxSettings): time zone,
// language, date and time formats, working hours, automatic replies, the
// archive folder and where delegates' meeting messages go. Read them with
// MailBox.Settings; change some with MailBox.UpdateSettings.
type Settings struct {
	AutomaticReplies *AutomaticReplies `json:"automaticRepliesSetting,omitempty"`
	// ArchiveFolder is the id of the folder Outlook archives messages to.
	ArchiveFolder string `json:"archiveFolder,omitempty"`
	// TimeZone is the mailbox's default zone, a Windows or IANA name.
	TimeZone   string      `json:"timeZone,omitempty"`
	Language   *LocaleInfo `json:"language,omitempty"`
	DateFormat string      `json:"dateFormat,omitempty"` // e.g. "MM/dd/yyyy"
	TimeFormat string      `json:"timeFormat,omitempty"` // e.g. "hh:mm tt"
	// WorkingHours are the days and hours the user works.
	WorkingHours *WorkingHours `json:"workingHours,omitempty"`
	// DelegateMeetingMessageDeliveryOptions says who of the owner and
	// their calendar delegates gets meeting messages.
	DelegateMeetingMessageDeliveryOptions DelegateDelivery `json:"delegateMeetingMessageDeliveryOptions,omitempty"`
	// UserPurpose is the kind of mailbox (user, shared, room, …);
	// read-only, UpdateSettings never sends it.
	UserPurpose *UserPurpose `json:"userPurpose,omitempty"`
}

// LocaleInfo is a language and region (Graph's localeInfo).
type LocaleInfo struct {
	Locale      string `json:"locale,omitempty"`      // e.g. "en-US"
	DisplayName string `json:"displayName,omitempty"` // e.g. "English (United States)"; read-only
}

// UserPurpose is the kind of mailbox.
type UserPurpose struct {
	Value string `json:"value,omitempty"` // user, linked, shared, room, equipment, others
}

// UnmarshalJSON reads the purpose as Graph v1.0 writes it inside the
// settings (a bare enum string, as its schema says) and as the documented
// examples and GET …/mailboxSettings/userPurpose write it ({"value": …}).
func (p *UserPurpose) UnmarshalJSON(b []byte) error {
	var s string
	if api.Unmarshal(b, &s) == nil {
		p.Value = s
		return nil
	}
	type object UserPurpose
	return api.Unmarshal(b, (*object)(p))
}

// DelegateDelivery is who receives meeting messages when the mailbox has
// calendar delegates.
type DelegateDelivery string

// DelegateDelivery values.
const (
	SendToDelegateAndInformationToPrincipal DelegateDelivery = "sendToDelegateAndInformationToPrincipal"
	SendToDelegateAndPrincipal              DelegateDelivery = "sendToDelegateAndPrincipal"
	SendToDelegateOnly                      DelegateDelivery = "sendToDelegateOnly"
)

// WorkingHours are the days and hours the user works (Graph's
// workingHours). StartTime and EndTime are times of day as Graph writes
// them, "08:00:00.0000000"; TimeOfDay makes one.
type WorkingHours struct {
	DaysOfWeek []calendar.DayOfWeek `json:"daysOfWeek,omitempty"`
	StartTime  string               `json:"startTime,omitempty"`
	EndTime    string               `json:"endTime,omitempty"`
	TimeZone   *TimeZone            `json:"timeZone,omitempty"`
}

// TimeOfDay formats a time of day as Graph's Edm.TimeOfDay.
func TimeOfDay(hour, minute int) string {
	return fmt.Sprintf("%02d:%02d:00.0000000", hour, minute)
}

// TimeZone is the zone of working hours: a standard zone by Name
// (Graph's timeZoneBase), or a custom zone with its offsets (Graph's
// customTimeZone, ODataType "#microsoft.graph.customTimeZone").
type TimeZone struct {
	ODataType      string          `json:"@odata.type,omitempty"`
	Name           string          `json:"name,omitempty"`
	Bias           *int            `json:"bias,omitempty"` // minutes from UTC, custom zones only
	StandardOffset *StandardOffset `json:"standardOffset,omitempty"`
	DaylightOffset *DaylightOffset `json:"daylightOffset,omitempty"`
}

// StandardOffset is when a custom zone changes to standard time (Graph's
// standardTimeZoneOffset).
type StandardOffset struct {
	Time          string             `json:"time,omitempty"`
	DayOccurrence int                `json:"dayOccurrence"`
	DayOfWeek     calendar.DayOfWeek `json:"dayOfWeek,omitempty"`
	Month         int                `json:"month"`
	Year          int                `json:"year"`
}

// DaylightOffset is when a custom zone changes to daylight-saving time
// and by how much (Graph's daylightTimeZoneOffset).
type DaylightOffset struct {
	StandardOffset
	DaylightBias int `json:"daylightBias"`
}

// AutoReplyStatus is whether automatic replies are sent.
type AutoReplyStatus string

// AutoReplyStatus values.
const (
	AutoReplyDisabled      AutoReplyStatus = "disabled"
	AutoReplyAlwaysEnabled AutoReplyStatus = "alwaysEnabled"
	AutoReplyScheduled     AutoReplyStatus = "scheduled"
)

// Is compares statuses as Graph does, without regard to case (Graph's
// own examples write "Scheduled" as well as "scheduled").
func (s AutoReplyStatus) Is(other AutoReplyStatus) bool {
	return strings.EqualFold(string(s), string(other))
}

// ExternalAudience is who outside the organisation gets the external
// reply.
type ExternalAudience string

// ExternalAudience values.
const (
	AudienceNone         ExternalAudience = "none"
	AudienceContactsOnly ExternalAudience = "contactsOnly"
	AudienceAll          ExternalAudience = "all"
)

// Is compares audiences without regard to case, as Graph does.
func (a ExternalAudience) Is(other ExternalAudience) bool {
	return strings.EqualFold(string(a), string(other))
}

// AutomaticReplies is the out-of-office setting (Graph's
// automaticRepliesSetting). ScheduledStart and ScheduledEnd are
// time.Time, sent as dateTimeTimeZone in their own zone; they apply when
// Status is scheduled.
type AutomaticReplies struct {
	Status               AutoReplyStatus  `json:"status,omitempty"`
	ExternalAudience     ExternalAudience `json:"externalAudience,omitempty"`
	ScheduledStart       time.Time        `json:"-"`
	ScheduledEnd         time.Time        `json:"-"`
	InternalReplyMessage string           `json:"internalReplyMessage,omitempty"`
	ExternalReplyMessage string           `json:"externalReplyMessage,omitempty"`
}

type autoRepliesFields AutomaticReplies

type autoRepliesWire struct {
	autoRepliesFields
	ScheduledStartDateTime *dtz.Wire `json:"scheduledStartDateTime,omitempty"`
	ScheduledEndDateTime   *dtz.Wire `json:"scheduledEndDateTime,omitempty"`
}

// MarshalJSON writes the setting as Graph does.
func (a AutomaticReplies) MarshalJSON() ([]byte, error) {
	return api.Marshal(autoRepliesWire{autoRepliesFields(a), dtz.Of(a.ScheduledStart), dtz.Of(a.ScheduledEnd)})
}

// UnmarshalJSON reads the setting as Graph writes it.
func (a *AutomaticReplies) UnmarshalJSON(b []byte) error {
	var w autoRepliesWire
	if err := api.Unmarshal(b, &w); err != nil {
		return err
	}
	*a = AutomaticReplies(w.autoRepliesFields)
	var err error
	if a.ScheduledStart, err = w.ScheduledStartDateTime.Time("mailbox: scheduledStartDateTime"); err != nil {
		return err
	}
	a.ScheduledEnd, err = w.ScheduledEndDateTime.Time("mailbox: scheduledEndDateTime")
	return err
}

// Enabled reports whether replies are on: always, or scheduled.
func (a *AutomaticReplies) Enabled() bool {
	return a != nil && !a.Status.Is(AutoReplyDisabled) && a.Status != ""
}

// Active reports whether replies are being sent at t: always enabled, or
// scheduled with t inside the schedule.
func (a *AutomaticReplies) Active(t time.Time) bool {
	switch {
	case a == nil:
		return false
	case a.Status.Is(AutoReplyAlwaysEnabled):
		return true
	case a.Status.Is(AutoReplyScheduled):
		return !t.Before(a.ScheduledStart) && t.Before(a.ScheduledEnd)
	}
	return false
}

// Settings reads the mailbox's settings (GET /mailboxSettings). Reading
// another user's or a shared mailbox's needs rights to it; scopes:
// mailbox_settings_read (MailboxSettings.Read) or mailbox_settings.
func (mb *MailBox) Settings(ctx context.Context) (*Settings, error) {
	u, err := buildURL(&mb.Component, "/mailboxSettings")
	if err != nil {
		return nil, err
	}
	s := new(Settings)
	if err := mb.GetJSON(ctx, u, nil, s); err != nil {
		return nil, err
	}
	return s, nil
}

// UpdateSettings changes the settings set in changes (a nil or empty
// field is left as it is; UserPurpose is read-only and never sent) and
// returns the settings Graph answers with: the properties changed.
// Working hours are checked before any request: known days, and a start
// before the end. Scope: mailbox_settings (MailboxSettings.ReadWrite).
func (mb *MailBox) UpdateSettings(ctx context.Context, changes Settings) (*Settings, error) {
	changes.UserPurpose = nil
	if changes.Language != nil {
		changes.Language = &LocaleInfo{Locale: changes.Language.Locale}
	}
	if err := changes.AutomaticReplies.check(); err != nil {
		return nil, err
	}
	if err := changes.WorkingHours.check(); err != nil {
		return nil, err
	}
	u, err := buildURL(&mb.Component, "/mailboxSettings")
	if err != nil {
		return nil, err
	}
	s := new(Settings)
	if err := mb.PatchJSON(ctx, u, changes, s); err != nil {
		return nil, err
	}
	return s, nil
}

// AutomaticReplies reads only the automatic replies setting.
func (mb *MailBox) AutomaticReplies(ctx context.Context) (*AutomaticReplies, error) {
	u, err := buildURL(&mb.Component, "/mailboxSettings/automaticRepliesSetting")
	if err != nil {
		return nil, err
	}
	a := new(AutomaticReplies)
	if err := mb.GetJSON(ctx, u, nil, a); err != nil {
		return nil, err
	}
	return a, nil
}

// AutoReplyOption adjusts SetAutomaticReply.
type AutoReplyOption func(*AutomaticReplies)

// Scheduled sends the replies only from start until end (python-o365's
// scheduled_start_date_time and scheduled_end_date_time). An end that is
// not after start is refused before any request.
func Scheduled(start, end time.Time) AutoReplyOption {
	return func(a *AutomaticReplies) {
		a.Status, a.ScheduledStart, a.ScheduledEnd = AutoReplyScheduled, start, end
	}
}

// Audience sets who outside the organisation gets the external reply
// (python-o365's externalAudience); AudienceAll when not given.
func Audience(aud ExternalAudience) AutoReplyOption {
	return func(a *AutomaticReplies) { a.ExternalAudience = aud }
}

// SetAutomaticReply turns automatic replies on: internal is the reply to
// senders in the organisation, external the one to others (python-o365's
// mailbox.set_automatic_reply). Replies are always on unless Scheduled
// gives a window; the external audience is everyone unless Audience says
// otherwise.
//
//	err := mb.SetAutomaticReply(ctx, "Back Monday.", "I'm away until Monday.",
//		mailbox.Scheduled(friday, monday), mailbox.Audience(mailbox.AudienceContactsOnly))
func (mb *MailBox) SetAutomaticReply(ctx context.Context, internal, external string, opts ...AutoReplyOption) error {
	a := &AutomaticReplies{
		Status:               AutoReplyAlwaysEnabled,
		ExternalAudience:     AudienceAll,
		InternalReplyMessage: internal,
		ExternalReplyMessage: external,
	}
	for _, o := range opts {
		if o != nil {
			o(a)
		}
	}
	_, err := mb.UpdateSettings(ctx, Settings{AutomaticReplies: a})
	return err
}

// DisableAutomaticReply turns automatic replies off (python-o365's
// mailbox.set_disable_reply). The messages are kept for next time.
func (mb *MailBox) DisableAutomaticReply(ctx context.Context) error {
	_, err := mb.UpdateSettings(ctx, Settings{AutomaticReplies: &AutomaticReplies{Status: AutoReplyDisabled}})
	return err
}

// check refuses what Graph would: a schedule without both times or
// ending before it starts, an unknown status or audience.
func (a *AutomaticReplies) check() error {
	if a == nil {
		return nil
	}
	switch {
	case a.Status == "", a.Status.Is(AutoReplyDisabled), a.Status.Is(AutoReplyAlwaysEnabled):
	case a.Status.Is(AutoReplyScheduled):
		if a.ScheduledStart.IsZero() || a.ScheduledEnd.IsZero() {
			return errors.New("mailbox: a scheduled automatic reply needs a start and an end")
		}
		if !a.ScheduledEnd.After(a.ScheduledStart) {
			return fmt.Errorf("mailbox: automatic reply schedule ends (%s) before it starts (%s)",
				a.ScheduledEnd.Format(time.RFC3339), a.ScheduledStart.Format(time.RFC3339))
		}
	default:
		return fmt.Errorf("mailbox: unknown automatic reply status %q (want disabled, alwaysEnabled or scheduled)", a.Status)
	}
	switch {
	case a.ExternalAudience == "", a.ExternalAudience.Is(AudienceNone), a.ExternalAudience.Is(AudienceContactsOnly), a.ExternalAudience.Is(AudienceAll):
	default:
		return fmt.Errorf("mailbox: unknown external audience %q (want none, contactsOnly or all)", a.ExternalAudience)
	}
	return nil
}

// check refuses working hours Graph would: an unknown day, a malformed
// time of day, a start not before the end.
func (h *WorkingHours) check() error {
	if h == nil {
		return nil
	}
	for _, d := range h.DaysOfWeek {
		switch calendar.DayOfWeek(strings.ToLower(string(d))) {
		case calendar.Sunday, calendar.Monday, calendar.Tuesday, calendar.Wednesday,
			calendar.Thursday, calendar.Friday, calendar.Saturday:
		default:
			return fmt.Errorf("mailbox: working hours: unknown day %q", d)
		}
	}
	start, err := parseTimeOfDay("startTime", h.StartTime)
	if err != nil {
		return err
	}
	end, err := parseTimeOfDay("endTime", h.EndTime)
	if err != nil {
		return err
	}
	if h.StartTime != "" && h.EndTime != "" && !start.Before(end) {
		return fmt.Errorf("mailbox: working hours start (%s) is not before their end (%s)", h.StartTime, h.EndTime)
	}
	return nil
}

func parseTimeOfDay(what, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse("15:04:05.9999999", s)
	if err != nil {
		if t, err = time.Parse("15:04", s); err != nil {
			return time.Time{}, fmt.Errorf("mailbox: working hours %s %q is not a time of day like 08:00:00.0000000", what, s)
		}
	}
	return t, nil
}
