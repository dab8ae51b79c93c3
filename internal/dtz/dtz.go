// Package dtz is Graph's dateTimeTimeZone (a wall-clock reading and the
// zone it is read in) for the packages that hold such times as
// time.Time: todo's due, start and reminder times and mailbox's scheduled
// automatic replies. Package calendar has its own copy, older than this
// one; they follow the same rules, so a time written by either reads the
// same in the other.
package dtz

import (
	"fmt"
	"time"

	"github.com/go-o365/o365/internal/tz"
)

// Wire is the JSON form: {"dateTime": "2020-08-25T04:00:00.0000000",
// "timeZone": "UTC"}.
type Wire struct {
	DateTime string `json:"dateTime"`
	TimeZone string `json:"timeZone"`
}

// Layout is how Graph writes dateTime: no offset, seven fractional digits.
const Layout = "2006-01-02T15:04:05.0000000"

// Of converts t to the wire form, in t's own zone when Graph can be told
// its name (a Windows name where there is one) and in UTC otherwise. The
// zero time has no wire form: nil.
func Of(t time.Time) *Wire {
	if t.IsZero() {
		return nil
	}
	name, ok := tz.GraphName(t.Location())
	if !ok {
		t, name = t.UTC(), "UTC"
	}
	return &Wire{DateTime: t.Format(Layout), TimeZone: name}
}

// Time reads the wire form in its zone; what names the property in
// errors ("todo: dueDateTime"). A nil value is the zero time. An unknown
// zone or a malformed dateTime is an error naming what was wrong.
func (w *Wire) Time(what string) (time.Time, error) {
	if w == nil {
		return time.Time{}, nil
	}
	loc, err := tz.Load(w.TimeZone)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %w", what, err)
	}
	if w.DateTime == "" {
		return time.Time{}, fmt.Errorf("%s: malformed dateTimeTimeZone: dateTime is empty", what)
	}
	t, err := time.ParseInLocation("2006-01-02T15:04:05.999999999", w.DateTime, loc)
	if err != nil {
		// An explicit offset is unambiguous, so it is read too.
		at, err2 := time.Parse(time.RFC3339Nano, w.DateTime)
		if err2 != nil {
			return time.Time{}, fmt.Errorf("%s: malformed dateTimeTimeZone: dateTime %q is not of the form 2006-01-02T15:04:05", what, w.DateTime)
		}
		t = at.In(loc)
	}
	// Graph's precision is 100 ns; finer digits would not survive a
	// round trip.
	return t.Truncate(100 * time.Nanosecond), nil
}
