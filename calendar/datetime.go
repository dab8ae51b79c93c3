package calendar

import (
	"fmt"
	"strings"
	"time"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/internal/recurrence"
	"github.com/go-o365/o365/internal/tz"
)

// ErrUnknownTimeZone is matched (errors.Is) by every error about a zone
// name that is neither a Windows zone nor an IANA zone of the time-zone
// database. The error's text names the zone.
var ErrUnknownTimeZone = tz.ErrUnknown

// LoadLocation returns the location for a zone name as Graph writes them:
// a Windows name ("Pacific Standard Time", compared without regard to
// case), an IANA name ("America/Los_Angeles"), or "UTC". An unknown name
// gives an error matching ErrUnknownTimeZone that names it.
func LoadLocation(name string) (*time.Location, error) {
	loc, err := tz.Load(name)
	if err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	return loc, nil
}

// WindowsToIANA converts a Windows zone name to its IANA zone, using the
// table generated from Unicode CLDR's windowsZones.xml.
func WindowsToIANA(windows string) (iana string, ok bool) { return tz.WindowsToIANA(windows) }

// IANAToWindows converts an IANA zone name (current or older spelling) to
// its Windows name.
func IANAToWindows(iana string) (windows string, ok bool) { return tz.IANAToWindows(iana) }

// ZoneName is the zone name sent to Graph for times in loc: the Windows
// name where there is one, else the IANA name. time.Local is resolved to
// the system's zone; a location with no usable name (a time.FixedZone, or
// a Local whose name cannot be found) reports false, and times in it are
// sent in UTC.
func ZoneName(loc *time.Location) (string, bool) { return tz.GraphName(loc) }

// dateTimeTimeZone is Graph's wire form of a time: a wall-clock reading
// and the zone it is read in.
type dateTimeTimeZone struct {
	DateTime string `json:"dateTime"`
	TimeZone string `json:"timeZone"`
}

// wireLayout is how Graph writes dateTime: no offset, seven fractional
// digits.
const wireLayout = "2006-01-02T15:04:05.0000000"

// wireOf converts t to the wire form, in t's own zone when Graph can be
// told its name and in UTC otherwise. The zero time has no wire form.
func wireOf(t time.Time) *dateTimeTimeZone {
	if t.IsZero() {
		return nil
	}
	name, ok := tz.GraphName(t.Location())
	if !ok {
		t, name = t.UTC(), "UTC"
	}
	return &dateTimeTimeZone{DateTime: t.Format(wireLayout), TimeZone: name}
}

// timeOf reads the wire form; what names the property in errors. A nil
// value is the zero time.
func (w *dateTimeTimeZone) timeOf(what string) (time.Time, error) {
	if w == nil {
		return time.Time{}, nil
	}
	loc, err := tz.Load(w.TimeZone)
	if err != nil {
		return time.Time{}, fmt.Errorf("calendar: %s: %w", what, err)
	}
	if w.DateTime == "" {
		return time.Time{}, fmt.Errorf("calendar: malformed dateTimeTimeZone in %s: dateTime is empty", what)
	}
	t, err := time.ParseInLocation("2006-01-02T15:04:05.999999999", w.DateTime, loc)
	if err != nil {
		// An explicit offset is unambiguous, so it is read too.
		at, err2 := time.Parse(time.RFC3339Nano, w.DateTime)
		if err2 != nil {
			return time.Time{}, fmt.Errorf("calendar: malformed dateTimeTimeZone in %s: dateTime %q is not of the form 2006-01-02T15:04:05", what, w.DateTime)
		}
		t = at.In(loc)
	}
	return t, nil
}

// TimeSlot is a span of time (Graph's timeSlot), such as a meeting time
// suggested by FindMeetingTimes or a time proposed by an attendee.
type TimeSlot struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

type timeSlotWire struct {
	Start *dateTimeTimeZone `json:"start,omitempty"`
	End   *dateTimeTimeZone `json:"end,omitempty"`
}

// MarshalJSON writes the slot's times as dateTimeTimeZone objects in
// their own zones.
func (s TimeSlot) MarshalJSON() ([]byte, error) {
	return api.Marshal(timeSlotWire{wireOf(s.Start), wireOf(s.End)})
}

// UnmarshalJSON reads dateTimeTimeZone objects.
func (s *TimeSlot) UnmarshalJSON(b []byte) error {
	var w timeSlotWire
	if err := api.Unmarshal(b, &w); err != nil {
		return err
	}
	var err error
	if s.Start, err = w.Start.timeOf("timeSlot start"); err != nil {
		return err
	}
	s.End, err = w.End.timeOf("timeSlot end")
	return err
}

// in converts the slot's times to loc.
func (s TimeSlot) in(loc *time.Location) TimeSlot {
	return TimeSlot{Start: s.Start.In(loc), End: s.End.In(loc)}
}

// Date is a calendar day with no time of day and no zone, as a recurrence
// range's start and end are. The zero Date means "not set"; Graph writes
// that as 0001-01-01.
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

// IsZero reports whether d is unset (zero, or Graph's 0001-01-01).
func (d Date) IsZero() bool { return d == Date{} || d == Date{1, 1, 1} }

// In returns midnight at the start of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// String formats d as YYYY-MM-DD; the zero Date as 0001-01-01.
func (d Date) String() string {
	if d == (Date{}) {
		d = Date{1, 1, 1}
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalText writes YYYY-MM-DD.
func (d Date) MarshalText() ([]byte, error) {
	if d != (Date{}) && DateOf(d.In(time.UTC)) != d {
		return nil, fmt.Errorf("calendar: %04d-%02d-%02d is not a valid date", d.Year, int(d.Month), d.Day)
	}
	return []byte(d.String()), nil
}

// UnmarshalText reads YYYY-MM-DD.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := recurrence.ParseDate(strings.TrimSpace(string(b)))
	if err != nil {
		return fmt.Errorf("calendar: %w", err)
	}
	*d = Date{Year: v.Year, Month: v.Month, Day: v.Day}
	return nil
}

func (d Date) internal() recurrence.Date {
	return recurrence.Date{Year: d.Year, Month: d.Month, Day: d.Day}
}

// inZone puts t into loc. An all-day event's times are dates, not
// instants: they keep their calendar day, at midnight in loc, instead of
// shifting to another day as an instant would.
func inZone(t time.Time, allDay bool, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	if allDay {
		return DateOf(t).In(loc)
	}
	return t.In(loc)
}
