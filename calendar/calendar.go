package calendar

import (
	"context"
	"iter"
	"net/url"
	"slices"
	"time"

	"github.com/go-o365/o365/api"
)

// Calendar is one of a user's calendars. Name, Color and HexColor can be
// changed: set them and call Save (renaming is setting Name).
type Calendar struct {
	api.Component `json:"-"`

	ID                            string                  `json:"id,omitempty"`
	Name                          string                  `json:"name,omitempty"`
	Color                         CalendarColor           `json:"color,omitempty"`
	HexColor                      string                  `json:"hexColor,omitempty"`
	IsDefaultCalendar             bool                    `json:"isDefaultCalendar"`
	ChangeKey                     string                  `json:"changeKey,omitempty"`
	CanShare                      bool                    `json:"canShare"`
	CanViewPrivateItems           bool                    `json:"canViewPrivateItems"`
	CanEdit                       bool                    `json:"canEdit"`
	AllowedOnlineMeetingProviders []OnlineMeetingProvider `json:"allowedOnlineMeetingProviders,omitempty"`
	DefaultOnlineMeetingProvider  OnlineMeetingProvider   `json:"defaultOnlineMeetingProvider,omitempty"`
	IsTallyingResponses           bool                    `json:"isTallyingResponses"`
	IsRemovable                   bool                    `json:"isRemovable"`
	Owner                         *EmailAddress           `json:"owner,omitempty"`

	loc   *time.Location
	saved *Calendar
}

// calendarWritable are the only calendar properties Save sends.
var calendarReadOnly = map[string]bool{
	"id": true, "isDefaultCalendar": true, "changeKey": true, "canShare": true,
	"canViewPrivateItems": true, "canEdit": true, "allowedOnlineMeetingProviders": true,
	"defaultOnlineMeetingProvider": true, "isTallyingResponses": true, "isRemovable": true, "owner": true,
}

func calendarPath(id string) string { return "/calendars/" + url.PathEscape(id) }

func (c *Calendar) bind(parent api.Component, loc *time.Location) *Calendar {
	c.Component = parent
	c.loc = loc
	s := *c
	s.AllowedOnlineMeetingProviders = slices.Clone(c.AllowedOnlineMeetingProviders)
	s.Owner = clonePtr(c.Owner)
	s.saved = nil
	c.saved = &s
	return c
}

// Save sends the name and colour changed since the calendar was loaded
// or saved; it makes no request when nothing changed. A name another
// calendar has gives an error matching api.ErrConflict.
func (c *Calendar) Save(ctx context.Context) error {
	if c.ID == "" {
		return ErrNotSaved
	}
	body, err := changes(c, c.saved, calendarReadOnly)
	if err != nil || len(body) == 0 {
		return err
	}
	fresh := new(Calendar)
	if err := c.PatchJSON(ctx, c.BuildURL(calendarPath(c.ID)), body, fresh); err != nil {
		return err
	}
	*c = *fresh.bind(c.Component, c.loc)
	return nil
}

// Delete deletes the calendar and its events. The default calendar cannot
// be deleted.
func (c *Calendar) Delete(ctx context.Context) error {
	if c.ID == "" {
		return ErrNotSaved
	}
	return c.Component.Delete(ctx, c.BuildURL(calendarPath(c.ID)))
}

// Events iterates over the calendar's single events and series masters.
func (c *Calendar) Events(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Event, error] {
	if c.ID == "" {
		return failed[*Event](ErrNotSaved)
	}
	return listEvents(ctx, c.Component, c.loc, calendarPath(c.ID)+"/events", nil, opts)
}

// CalendarView iterates over what the calendar holds between start and
// end, each occurrence of a series on its own, ordered by start.
func (c *Calendar) CalendarView(ctx context.Context, start, end time.Time, opts ...api.ListOption) iter.Seq2[*Event, error] {
	if c.ID == "" {
		return failed[*Event](ErrNotSaved)
	}
	return listEvents(ctx, c.Component, c.loc, calendarPath(c.ID)+"/calendarView", &window{start, end}, opts)
}

// NewEvent starts an event in this calendar; it is created by its first
// Save. It has Graph's defaults, as Schedule.NewEvent.
func (c *Calendar) NewEvent() *Event {
	return newEvent(c.Component, c.loc, calendarPath(c.ID)+"/events")
}
