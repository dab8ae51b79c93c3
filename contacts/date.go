package contacts

import (
	"bytes"
	"fmt"
	"time"

	"github.com/go-o365/o365/api"
)

// Date is a calendar day with no time of day and no zone, such as a
// birthday. The zero Date means "not set".
//
// A birthday is a day, not an instant, so it is not a time.Time: the same
// birthday is the same day in every zone. Graph stores it as a
// DateTimeOffset near midnight of the zone of whoever entered it
// ("1974-07-21T22:00:00Z" for July 22 entered in Berlin), and shows it as a
// bare date in its own examples ("1974-07-22"). Date reads both: a value
// with a time of day is rounded to the nearest midnight in UTC, which
// recovers the intended day for every zone within 12 hours of UTC. It is
// written at 11:59 UTC, a time that falls on the same calendar day from
// UTC-11 to UTC+12, so clients that read the instant in their own zone see
// the right day too.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar day of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == Date{} }

// In returns midnight at the start of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// String formats d as YYYY-MM-DD, or "" when d is zero.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// ParseDate reads a date as Graph sends it: "2006-01-02", or an RFC 3339
// date-time rounded to the nearest midnight in UTC. Years run from 1 to
// 9999, as in Graph's DateTimeOffset.
func ParseDate(s string) (Date, error) {
	var d Date
	if len(s) == len(time.DateOnly) {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return Date{}, badDate(s)
		}
		d = DateOf(t)
	} else {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return Date{}, badDate(s)
		}
		d = DateOf(t.UTC().Add(12 * time.Hour))
	}
	if err := d.check(); err != nil {
		return Date{}, err
	}
	return d, nil
}

func badDate(s string) error {
	return fmt.Errorf("contacts: date %q is neither YYYY-MM-DD nor an RFC 3339 date-time", s)
}

// check reports a date that does not exist (February 30) or that Graph
// cannot hold.
func (d Date) check() error {
	if DateOf(d.In(time.UTC)) != d || d.Year < 1 || d.Year > 9999 {
		return fmt.Errorf("contacts: %04d-%02d-%02d is not a valid date", d.Year, int(d.Month), d.Day)
	}
	return nil
}

// MarshalJSON writes d as a DateTimeOffset at 11:59 UTC (see Date), or
// null when d is zero.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	if err := d.check(); err != nil {
		return nil, err
	}
	return []byte(`"` + d.String() + `T11:59:00Z"`), nil
}

// UnmarshalJSON reads null or a string accepted by ParseDate.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if n := len(b); n >= 2 && b[0] == '"' && b[n-1] == '"' && !bytes.ContainsRune(b, '\\') {
		s = string(b[1 : n-1]) // the usual case: no escapes to undo
	} else if err := api.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("contacts: date must be a JSON string, not %.40s", b)
	}
	if s == "" {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
