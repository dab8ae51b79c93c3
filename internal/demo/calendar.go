package demo

import (
	"time"

	"github.com/go-o365/o365/graphtest"
)

// CalendarZone is the zone of the demo tenant's calendars.
const CalendarZone = "Pacific Standard Time"

// SeedCalendars gives the demo users working hours (Monday to Friday,
// 08:00–17:00 in loc, which should be CalendarZone's location) and a few
// events in the week starting monday (midnight in loc): Alex is in a
// training on Tuesday morning, and Megan is out of office on Thursday
// afternoon.
func SeedCalendars(srv *graphtest.Server, monday time.Time, loc *time.Location) error {
	wh := graphtest.WorkingHours{
		Days:  []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
		Start: 8 * time.Hour, End: 17 * time.Hour, Location: loc,
	}
	for _, u := range Users {
		if err := srv.SetWorkingHours(u.UserPrincipalName, wh); err != nil {
			return err
		}
	}
	at := func(day, hour int) map[string]any {
		t := monday.AddDate(0, 0, day).Add(time.Duration(hour) * time.Hour)
		return map[string]any{"dateTime": t.Format("2006-01-02T15:04:05"), "timeZone": CalendarZone}
	}
	for _, e := range []struct {
		user  string
		event map[string]any
	}{
		{Users[1].UserPrincipalName, map[string]any{"subject": "Product training", "start": at(1, 8), "end": at(1, 11)}},
		{Users[2].UserPrincipalName, map[string]any{"subject": "Trade fair", "showAs": "oof", "start": at(3, 13), "end": at(3, 17)}},
	} {
		if _, err := srv.AddEvent(e.user, "", e.event); err != nil {
			return err
		}
	}
	return nil
}
