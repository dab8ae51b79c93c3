package calendar

import (
	"fmt"
	"iter"
	"time"

	"github.com/go-o365/o365/internal/recurrence"
)

// PatternType is how often a series repeats.
type PatternType string

// PatternType values.
const (
	Daily           PatternType = "daily"           // every Interval days
	Weekly          PatternType = "weekly"          // on DaysOfWeek every Interval weeks
	AbsoluteMonthly PatternType = "absoluteMonthly" // on DayOfMonth every Interval months
	RelativeMonthly PatternType = "relativeMonthly" // on the Index-th of DaysOfWeek every Interval months
	AbsoluteYearly  PatternType = "absoluteYearly"  // on DayOfMonth of Month every Interval years
	RelativeYearly  PatternType = "relativeYearly"  // on the Index-th of DaysOfWeek in Month every Interval years
)

// RangeType is how a series ends.
type RangeType string

// RangeType values.
const (
	EndDate  RangeType = "endDate"  // on Range.EndDate, inclusive
	NoEnd    RangeType = "noEnd"    // never
	Numbered RangeType = "numbered" // after Range.NumberOfOccurrences
)

// DayOfWeek is a day name as Graph writes it.
type DayOfWeek string

// DayOfWeek values.
const (
	Sunday    DayOfWeek = "sunday"
	Monday    DayOfWeek = "monday"
	Tuesday   DayOfWeek = "tuesday"
	Wednesday DayOfWeek = "wednesday"
	Thursday  DayOfWeek = "thursday"
	Friday    DayOfWeek = "friday"
	Saturday  DayOfWeek = "saturday"
)

// DayOf returns the DayOfWeek of a time.Weekday.
func DayOf(d time.Weekday) DayOfWeek {
	return [...]DayOfWeek{Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday}[d%7]
}

// WeekIndex picks a week of the month for relative patterns.
type WeekIndex string

// WeekIndex values.
const (
	First  WeekIndex = "first"
	Second WeekIndex = "second"
	Third  WeekIndex = "third"
	Fourth WeekIndex = "fourth"
	Last   WeekIndex = "last"
)

// Recurrence is how an event repeats (Graph's patternedRecurrence): a
// pattern and the range it applies over.
//
// For example, the second Tuesday of every month, ten times:
//
//	ev.Recurrence = &calendar.Recurrence{
//		Pattern: calendar.Pattern{Type: calendar.RelativeMonthly, Interval: 1,
//			DaysOfWeek: []calendar.DayOfWeek{calendar.Tuesday}, Index: calendar.Second},
//		Range: calendar.Range{Type: calendar.Numbered, NumberOfOccurrences: 10},
//	}
//
// Range.StartDate may be left zero: Save fills it with the event's start
// date, which Graph requires it to be.
type Recurrence struct {
	Pattern Pattern `json:"pattern"`
	Range   Range   `json:"range"`
}

// Pattern is the frequency of a series (Graph's recurrencePattern). Which
// fields a type needs is listed with the PatternType values.
type Pattern struct {
	Type           PatternType `json:"type"`
	Interval       int         `json:"interval"`
	Month          int         `json:"month"`
	DayOfMonth     int         `json:"dayOfMonth"`
	DaysOfWeek     []DayOfWeek `json:"daysOfWeek,omitempty"`
	FirstDayOfWeek DayOfWeek   `json:"firstDayOfWeek,omitempty"` // weekly; sunday when empty
	Index          WeekIndex   `json:"index,omitempty"`          // relative patterns; first when empty
}

// Range is the span a series repeats over (Graph's recurrenceRange).
type Range struct {
	Type      RangeType `json:"type"`
	StartDate Date      `json:"startDate"`
	EndDate   Date      `json:"endDate"`
	// RecurrenceTimeZone is the zone the pattern is read in; Graph uses
	// the event's start zone when it is empty.
	RecurrenceTimeZone  string `json:"recurrenceTimeZone,omitempty"`
	NumberOfOccurrences int    `json:"numberOfOccurrences"`
}

// compile checks r (naming the first property missing or wrong) and
// returns the series it describes.
func (r *Recurrence) compile() (*recurrence.Series, error) {
	days := make([]string, len(r.Pattern.DaysOfWeek))
	for i, d := range r.Pattern.DaysOfWeek {
		days[i] = string(d)
	}
	s, err := recurrence.Compile(recurrence.Rule{
		Type:                string(r.Pattern.Type),
		Interval:            r.Pattern.Interval,
		DaysOfWeek:          days,
		FirstDayOfWeek:      string(r.Pattern.FirstDayOfWeek),
		DayOfMonth:          r.Pattern.DayOfMonth,
		Month:               r.Pattern.Month,
		Index:               string(r.Pattern.Index),
		RangeType:           string(r.Range.Type),
		StartDate:           r.Range.StartDate.internal(),
		EndDate:             r.Range.EndDate.internal(),
		NumberOfOccurrences: r.Range.NumberOfOccurrences,
	})
	if err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	return s, nil
}

// Validate reports the first property the recurrence lacks or has wrong,
// as Graph would refuse it: a weekly pattern without daysOfWeek, an
// interval of 0, an endDate range without an end date, and so on.
func (r *Recurrence) Validate() error {
	_, err := r.compile()
	return err
}

func (r *Recurrence) clone() *Recurrence {
	if r == nil {
		return nil
	}
	c := *r
	c.Pattern.DaysOfWeek = append([]DayOfWeek(nil), r.Pattern.DaysOfWeek...)
	return &c
}

// Occurrences computes the times of a recurring event's occurrences
// locally, without a request, from its Start, End and Recurrence (the
// server's CalendarView and Instances also account for occurrences
// deleted or moved since). Each occurrence keeps Start's wall-clock time
// in Start's zone, across daylight-saving changes. A series with no end
// yields occurrences forever: stop ranging when past the window you need.
//
// It fails when the event has no recurrence or the recurrence is invalid
// (see Recurrence.Validate). A zero Range.StartDate is taken from Start.
func (e *Event) Occurrences() (iter.Seq[TimeSlot], error) {
	if e.Recurrence == nil {
		return nil, fmt.Errorf("calendar: event %q does not recur", e.Subject)
	}
	if err := e.checkTimes(); err != nil {
		return nil, err
	}
	r := e.Recurrence.clone()
	if r.Range.StartDate.IsZero() {
		r.Range.StartDate = DateOf(e.Start)
	}
	series, err := r.compile()
	if err != nil {
		return nil, err
	}
	start, end := e.Start, e.End
	return func(yield func(TimeSlot) bool) {
		for os, oe := range series.Occurrences(start, end) {
			if !yield(TimeSlot{Start: os, End: oe}) {
				return
			}
		}
	}, nil
}
