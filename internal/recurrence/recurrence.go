// Package recurrence expands Microsoft Graph recurrence rules (a
// recurrencePattern and a recurrenceRange) into the dates and times of
// their occurrences. It is shared by package calendar, which lets users
// preview a series, and by the graphtest emulator, whose calendarView
// expands stored series, so both agree on every date.
//
// The rules follow Outlook's:
//
//   - The series starts at range.startDate: the first occurrence is the
//     first date on or after it that the pattern gives.
//   - weekly counts weeks from the week holding startDate, weeks starting
//     on firstDayOfWeek (Sunday when unset).
//   - absoluteMonthly/absoluteYearly on a day the month lacks (the 31st,
//     February 29th) fall on the month's last day.
//   - relativeMonthly/relativeYearly with several daysOfWeek pick the
//     index-th day of the month that is any of them ("the first weekday"),
//     as Outlook does; index defaults to first.
//   - endDate ranges include endDate; numbered ranges stop after
//     numberOfOccurrences; noEnd ranges never stop, so callers bound them.
//   - Every occurrence keeps the wall-clock time of the first one in the
//     event's zone, across daylight-saving changes.
package recurrence

import (
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"
)

// Date is a day in the proleptic Gregorian calendar, without a zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the day of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate reads Graph's "2006-01-02" form.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("date %q is not of the form YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// String formats d as YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// IsZero reports whether d is unset (Graph sends 0001-01-01 for that).
func (d Date) IsZero() bool { return d == Date{} || d == Date{1, 1, 1} }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return sign(d.Year - e.Year)
	case d.Month != e.Month:
		return sign(int(d.Month) - int(e.Month))
	default:
		return sign(d.Day - e.Day)
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// AddDays returns the date n days after d.
func (d Date) AddDays(n int) Date { return DateOf(d.at(time.UTC).AddDate(0, 0, n)) }

// Weekday returns d's day of the week.
func (d Date) Weekday() time.Weekday { return d.at(time.UTC).Weekday() }

// At returns the time on d at the wall clock of hms (hour, minute,
// second, nanosecond taken from it as it reads) in loc.
func (d Date) At(hms time.Time, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hms.Hour(), hms.Minute(), hms.Second(), hms.Nanosecond(), loc)
}

func (d Date) at(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Rule is a recurrence as Graph sends it: the pattern's and the range's
// properties, with names as on the wire and values as strings where Graph
// has enumerations (compared case-insensitively).
type Rule struct {
	Type           string   // daily, weekly, absoluteMonthly, relativeMonthly, absoluteYearly, relativeYearly
	Interval       int      // every Interval days, weeks, months or years; 1 to 1000
	DaysOfWeek     []string // weekly, relativeMonthly, relativeYearly
	FirstDayOfWeek string   // weekly; sunday when empty
	DayOfMonth     int      // absoluteMonthly, absoluteYearly
	Month          int      // absoluteYearly, relativeYearly
	Index          string   // first, second, third, fourth or last; relative patterns; first when empty

	RangeType           string // endDate, noEnd or numbered
	StartDate           Date
	EndDate             Date // endDate ranges
	NumberOfOccurrences int  // numbered ranges
}

// Series is a validated Rule, ready to expand.
type Series struct {
	kind     string
	interval int
	days     [7]bool // by time.Weekday
	first    time.Weekday
	dom      int
	month    time.Month
	index    int // 1..4, or 5 for last

	rangeType string
	start     Date
	end       Date
	count     int
}

// Pattern types, range types and week indexes as Graph spells them.
var (
	patternTypes = []string{"daily", "weekly", "absoluteMonthly", "relativeMonthly", "absoluteYearly", "relativeYearly"}
	rangeTypes   = []string{"endDate", "noEnd", "numbered"}
	indexes      = []string{"first", "second", "third", "fourth", "last"}
)

// maxInterval bounds the interval far beyond any real series, so date
// arithmetic cannot overflow.
const maxInterval = 1000

// ErrInvalid is the cause of every error Compile returns.
var ErrInvalid = errors.New("invalid recurrence")

func invalid(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, a...)...)
}

// canonical returns the spelling of name in names, compared
// case-insensitively, or "".
func canonical(name string, names []string) string {
	for _, n := range names {
		if strings.EqualFold(n, name) {
			return n
		}
	}
	return ""
}

// ParseWeekday reads a Graph dayOfWeek ("monday", any case).
func ParseWeekday(s string) (time.Weekday, bool) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(d.String(), s) {
			return d, true
		}
	}
	return 0, false
}

// Compile checks that r has every property its pattern and range type
// need, naming the first one missing or wrong, and returns the series.
func Compile(r Rule) (*Series, error) {
	s := &Series{interval: r.Interval, dom: r.DayOfMonth, month: time.Month(r.Month), count: r.NumberOfOccurrences}
	if r.Type == "" {
		return nil, invalid("pattern type is missing (one of %s)", strings.Join(patternTypes, ", "))
	}
	if s.kind = canonical(r.Type, patternTypes); s.kind == "" {
		return nil, invalid("pattern type %q is not one of %s", r.Type, strings.Join(patternTypes, ", "))
	}
	if r.Interval < 1 || r.Interval > maxInterval {
		return nil, invalid("%s pattern needs an interval from 1 to %d, got %d", s.kind, maxInterval, r.Interval)
	}
	for _, name := range r.DaysOfWeek {
		d, ok := ParseWeekday(name)
		if !ok {
			return nil, invalid("daysOfWeek holds %q, which is not a day of the week", name)
		}
		s.days[d] = true
	}
	hasDays := len(r.DaysOfWeek) > 0
	if r.FirstDayOfWeek != "" {
		d, ok := ParseWeekday(r.FirstDayOfWeek)
		if !ok {
			return nil, invalid("firstDayOfWeek %q is not a day of the week", r.FirstDayOfWeek)
		}
		s.first = d
	}
	s.index = 1
	if r.Index != "" {
		idx := canonical(r.Index, indexes)
		if idx == "" {
			return nil, invalid("index %q is not one of %s", r.Index, strings.Join(indexes, ", "))
		}
		for i, n := range indexes {
			if n == idx {
				s.index = i + 1
			}
		}
	}
	needDays := func() error {
		if !hasDays {
			return invalid("%s pattern needs daysOfWeek", s.kind)
		}
		return nil
	}
	needDay := func() error {
		if r.DayOfMonth < 1 || r.DayOfMonth > 31 {
			return invalid("%s pattern needs a dayOfMonth from 1 to 31, got %d", s.kind, r.DayOfMonth)
		}
		return nil
	}
	needMonth := func() error {
		if r.Month < 1 || r.Month > 12 {
			return invalid("%s pattern needs a month from 1 to 12, got %d", s.kind, r.Month)
		}
		return nil
	}
	var err error
	switch s.kind {
	case "weekly", "relativeMonthly":
		err = needDays()
	case "absoluteMonthly":
		err = needDay()
	case "absoluteYearly":
		if err = needMonth(); err == nil {
			err = needDay()
		}
	case "relativeYearly":
		if err = needMonth(); err == nil {
			err = needDays()
		}
	}
	if err != nil {
		return nil, err
	}

	if r.RangeType == "" {
		return nil, invalid("range type is missing (one of %s)", strings.Join(rangeTypes, ", "))
	}
	if s.rangeType = canonical(r.RangeType, rangeTypes); s.rangeType == "" {
		return nil, invalid("range type %q is not one of %s", r.RangeType, strings.Join(rangeTypes, ", "))
	}
	if r.StartDate.IsZero() {
		return nil, invalid("range needs a startDate")
	}
	if !valid(r.StartDate) {
		return nil, invalid("range startDate %v is not a real date", r.StartDate)
	}
	s.start = r.StartDate
	switch s.rangeType {
	case "endDate":
		if r.EndDate.IsZero() {
			return nil, invalid("endDate range needs an endDate")
		}
		if !valid(r.EndDate) {
			return nil, invalid("range endDate %v is not a real date", r.EndDate)
		}
		if r.EndDate.Compare(r.StartDate) < 0 {
			return nil, invalid("range endDate %v is before its startDate %v", r.EndDate, r.StartDate)
		}
		s.end = r.EndDate
	case "numbered":
		if r.NumberOfOccurrences < 1 {
			return nil, invalid("numbered range needs numberOfOccurrences of at least 1, got %d", r.NumberOfOccurrences)
		}
	}
	return s, nil
}

func valid(d Date) bool {
	return d.Month >= 1 && d.Month <= 12 && d.Day >= 1 && d.Day <= daysIn(d.Year, d.Month)
}

// Dates yields the day of every occurrence in order. A noEnd series never
// ends: stop ranging when past the window you need.
func (s *Series) Dates() iter.Seq[Date] {
	return func(yield func(Date) bool) {
		n := 0
		// emit reports whether expansion goes on: dates before the start
		// are skipped, and the range's end stops everything.
		emit := func(d Date) bool {
			if d.Compare(s.start) < 0 {
				return true
			}
			if s.rangeType == "endDate" && d.Compare(s.end) > 0 {
				return false
			}
			if s.rangeType == "numbered" && n >= s.count {
				return false
			}
			n++
			return yield(d)
		}
		switch s.kind {
		case "daily":
			for d := s.start; emit(d); d = d.AddDays(s.interval) {
			}
		case "weekly":
			back := (int(s.start.Weekday()) - int(s.first) + 7) % 7
			for week := s.start.AddDays(-back); ; week = week.AddDays(7 * s.interval) {
				for i := range 7 {
					d := week.AddDays(i)
					if s.days[d.Weekday()] && !emit(d) {
						return
					}
				}
			}
		case "absoluteMonthly", "relativeMonthly":
			for k := 0; ; k += s.interval {
				y, m := addMonths(s.start.Year, s.start.Month, k)
				if !emit(s.dayIn(y, m)) {
					return
				}
			}
		case "absoluteYearly", "relativeYearly":
			for y := s.start.Year; ; y += s.interval {
				if !emit(s.dayIn(y, s.month)) {
					return
				}
			}
		}
	}
}

func addMonths(y int, m time.Month, k int) (int, time.Month) {
	n := y*12 + int(m-1) + k
	return n / 12, time.Month(n%12 + 1)
}

// dayIn is the pattern's day in month m of year y.
func (s *Series) dayIn(y int, m time.Month) Date {
	last := daysIn(y, m)
	if s.kind == "absoluteMonthly" || s.kind == "absoluteYearly" {
		return Date{y, m, min(s.dom, last)}
	}
	if s.index == 5 {
		for d := last; ; d-- {
			if s.days[Date{y, m, d}.Weekday()] {
				return Date{y, m, d}
			}
		}
	}
	seen := 0
	for d := 1; d <= last; d++ {
		if s.days[Date{y, m, d}.Weekday()] {
			if seen++; seen == s.index {
				return Date{y, m, d}
			}
		}
	}
	// Unreachable: every weekday comes at least four times a month.
	return Date{y, m, last}
}

// Occurrences yields the start and end of every occurrence of a series
// whose first occurrence is [start, end): each starts at start's wall-clock
// time in start's location, on its date, and lasts as long on the wall
// clock, so a 10:00–11:00 meeting stays 10:00–11:00 across daylight-saving
// changes. A wall-clock time that does not exist on a day (inside a
// spring-forward gap) is moved as time.Date moves it.
func (s *Series) Occurrences(start, end time.Time) iter.Seq2[time.Time, time.Time] {
	loc := start.Location()
	length := wall(end.In(loc)).Sub(wall(start))
	return func(yield func(time.Time, time.Time) bool) {
		for d := range s.Dates() {
			os := d.At(start, loc)
			oe := wall(os).Add(length)
			if !yield(os, time.Date(oe.Year(), oe.Month(), oe.Day(), oe.Hour(), oe.Minute(), oe.Second(), oe.Nanosecond(), loc)) {
				return
			}
		}
	}
}

// wall is t's wall-clock reading as a UTC time, for wall-clock arithmetic.
func wall(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}
