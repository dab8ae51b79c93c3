package recurrence

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"
)

func d(s string) Date {
	v, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func dates(t *testing.T, r Rule, max int) []string {
	t.Helper()
	s, err := Compile(r)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for day := range s.Dates() {
		out = append(out, day.String())
		if len(out) == max {
			break
		}
	}
	return out
}

// The expected lists were checked by hand against a printed calendar
// (and agree with python-dateutil's rrule for the same rules).
func TestKnownCalendars(t *testing.T) {
	for _, c := range []struct {
		name string
		rule Rule
		want []string
	}{
		{
			"second Tuesday of every month, 10 occurrences",
			Rule{Type: "relativeMonthly", Interval: 1, DaysOfWeek: []string{"tuesday"}, Index: "second",
				RangeType: "numbered", StartDate: d("2025-01-01"), NumberOfOccurrences: 10},
			[]string{"2025-01-14", "2025-02-11", "2025-03-11", "2025-04-08", "2025-05-13",
				"2025-06-10", "2025-07-08", "2025-08-12", "2025-09-09", "2025-10-14"},
		},
		{
			"every other week on Monday, Wednesday and Friday until an end date",
			Rule{Type: "weekly", Interval: 2, DaysOfWeek: []string{"Monday", "wednesday", "FRIDAY"},
				RangeType: "endDate", StartDate: d("2025-03-05"), EndDate: d("2025-04-04")},
			[]string{"2025-03-05", "2025-03-07", "2025-03-17", "2025-03-19", "2025-03-21", "2025-03-31", "2025-04-02", "2025-04-04"},
		},
		{
			"every third day across a year end",
			Rule{Type: "daily", Interval: 3, RangeType: "numbered", StartDate: d("2025-12-30"), NumberOfOccurrences: 5},
			[]string{"2025-12-30", "2026-01-02", "2026-01-05", "2026-01-08", "2026-01-11"},
		},
		{
			"the 31st of every month falls on the last day of shorter months",
			Rule{Type: "absoluteMonthly", Interval: 1, DayOfMonth: 31, RangeType: "numbered", StartDate: d("2025-01-01"), NumberOfOccurrences: 6},
			[]string{"2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30", "2025-05-31", "2025-06-30"},
		},
		{
			"last Friday of every second month",
			Rule{Type: "relativeMonthly", Interval: 2, DaysOfWeek: []string{"friday"}, Index: "last",
				RangeType: "numbered", StartDate: d("2025-01-01"), NumberOfOccurrences: 4},
			[]string{"2025-01-31", "2025-03-28", "2025-05-30", "2025-07-25"},
		},
		{
			"first weekday of the month",
			Rule{Type: "relativeMonthly", Interval: 1, DaysOfWeek: []string{"monday", "tuesday", "wednesday", "thursday", "friday"},
				RangeType: "numbered", StartDate: d("2025-03-01"), NumberOfOccurrences: 6},
			[]string{"2025-03-03", "2025-04-01", "2025-05-01", "2025-06-02", "2025-07-01", "2025-08-01"},
		},
		{
			"last weekend day of the month",
			Rule{Type: "relativeMonthly", Interval: 1, DaysOfWeek: []string{"saturday", "sunday"}, Index: "last",
				RangeType: "numbered", StartDate: d("2025-01-01"), NumberOfOccurrences: 4},
			[]string{"2025-01-26", "2025-02-23", "2025-03-30", "2025-04-27"},
		},
		{
			"February 29th every year falls on the 28th in common years",
			Rule{Type: "absoluteYearly", Interval: 1, Month: 2, DayOfMonth: 29, RangeType: "numbered", StartDate: d("2024-02-29"), NumberOfOccurrences: 5},
			[]string{"2024-02-29", "2025-02-28", "2026-02-28", "2027-02-28", "2028-02-29"},
		},
		{
			"fourth Thursday of November (US Thanksgiving)",
			Rule{Type: "relativeYearly", Interval: 1, Month: 11, DaysOfWeek: []string{"thursday"}, Index: "fourth",
				RangeType: "numbered", StartDate: d("2025-01-01"), NumberOfOccurrences: 5},
			[]string{"2025-11-27", "2026-11-26", "2027-11-25", "2028-11-23", "2029-11-22"},
		},
		{
			"a yearly date already past in the start year begins the next year",
			Rule{Type: "absoluteYearly", Interval: 2, Month: 1, DayOfMonth: 15, RangeType: "endDate", StartDate: d("2025-06-01"), EndDate: d("2031-12-31")},
			[]string{"2027-01-15", "2029-01-15", "2031-01-15"},
		},
		{
			"fortnightly Sunday and Monday, weeks starting on Sunday",
			Rule{Type: "weekly", Interval: 2, DaysOfWeek: []string{"sunday", "monday"}, FirstDayOfWeek: "sunday",
				RangeType: "numbered", StartDate: d("2025-03-02"), NumberOfOccurrences: 6},
			[]string{"2025-03-02", "2025-03-03", "2025-03-16", "2025-03-17", "2025-03-30", "2025-03-31"},
		},
		{
			"fortnightly Sunday and Monday, weeks starting on Monday",
			Rule{Type: "weekly", Interval: 2, DaysOfWeek: []string{"sunday", "monday"}, FirstDayOfWeek: "monday",
				RangeType: "numbered", StartDate: d("2025-03-02"), NumberOfOccurrences: 6},
			[]string{"2025-03-02", "2025-03-10", "2025-03-16", "2025-03-24", "2025-03-30", "2025-04-07"},
		},
		{
			"an end date inside the range of a daily series is included",
			Rule{Type: "daily", Interval: 1, RangeType: "endDate", StartDate: d("2024-02-27"), EndDate: d("2024-03-01")},
			[]string{"2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01"},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := dates(t, c.rule, 100); !slices.Equal(got, c.want) {
				t.Errorf("got  %v\nwant %v", got, c.want)
			}
		})
	}
}

func TestNoEndNeverStops(t *testing.T) {
	got := dates(t, Rule{Type: "weekly", Interval: 1, DaysOfWeek: []string{"monday"}, RangeType: "noEnd", StartDate: d("2025-01-01")}, 520)
	if len(got) != 520 || got[519] != "2034-12-18" {
		t.Fatalf("got %d dates ending %s", len(got), got[len(got)-1])
	}
}

// A weekly 10:00 meeting in Berlin keeps 10:00 local time when Europe
// switches to summer time on 2025-03-30 and back on 2025-10-26, so its
// UTC time moves by an hour.
func TestWallClockKeptAcrossDST(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	s, err := Compile(Rule{Type: "weekly", Interval: 1, DaysOfWeek: []string{"monday"}, RangeType: "numbered",
		StartDate: d("2025-03-17"), NumberOfOccurrences: 4})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2025, 3, 17, 10, 0, 0, 0, berlin)
	var got []string
	for os, oe := range s.Occurrences(start, start.Add(90*time.Minute)) {
		got = append(got, os.Format("2006-01-02 15:04 MST")+" "+oe.Format("15:04")+" "+os.UTC().Format("15:04Z"))
	}
	want := []string{
		"2025-03-17 10:00 CET 11:30 09:00Z",
		"2025-03-24 10:00 CET 11:30 09:00Z",
		"2025-03-31 10:00 CEST 11:30 08:00Z",
		"2025-04-07 10:00 CEST 11:30 08:00Z",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}

	// And back in autumn, for a New York series given in another zone's
	// time: the series' zone is the start's.
	ny, _ := time.LoadLocation("America/New_York")
	s, _ = Compile(Rule{Type: "daily", Interval: 1, RangeType: "numbered", StartDate: d("2025-11-01"), NumberOfOccurrences: 3})
	first := time.Date(2025, 11, 1, 9, 0, 0, 0, ny)
	got = got[:0]
	for os := range s.Occurrences(first, first.Add(time.Hour)) {
		got = append(got, os.UTC().Format(time.RFC3339))
	}
	want = []string{"2025-11-01T13:00:00Z", "2025-11-02T14:00:00Z", "2025-11-03T14:00:00Z"}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// An event whose own span crosses the change keeps its wall-clock length.
func TestOccurrenceSpanningDSTKeepsWallClockEnd(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	s, _ := Compile(Rule{Type: "daily", Interval: 1, RangeType: "numbered", StartDate: d("2025-03-29"), NumberOfOccurrences: 2})
	start := time.Date(2025, 3, 29, 22, 0, 0, 0, berlin)
	end := time.Date(2025, 3, 30, 6, 0, 0, 0, berlin) // 8 wall-clock hours, 7 real ones on the 29th
	var got []string
	for os, oe := range s.Occurrences(start, end) {
		got = append(got, os.Format("01-02 15:04")+"–"+oe.Format("01-02 15:04"))
	}
	want := []string{"03-29 22:00–03-30 06:00", "03-30 22:00–03-31 06:00"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestCompileNamesWhatIsWrong(t *testing.T) {
	base := func(r Rule) Rule {
		if r.RangeType == "" {
			r.RangeType = "numbered"
			r.NumberOfOccurrences = 1
		}
		if r.StartDate == (Date{}) {
			r.StartDate = d("2025-01-01")
		}
		return r
	}
	for _, c := range []struct {
		rule Rule
		want string
	}{
		{Rule{Interval: 1}, "pattern type is missing"},
		{Rule{Type: "hourly", Interval: 1}, `pattern type "hourly"`},
		{Rule{Type: "daily"}, "interval from 1 to 1000, got 0"},
		{Rule{Type: "yearly", Interval: 1 << 62}, "pattern type"},
		{Rule{Type: "absoluteYearly", Interval: 1 << 62, Month: 1, DayOfMonth: 1}, "got 4611686018427387904"},
		{Rule{Type: "weekly", Interval: 1}, "weekly pattern needs daysOfWeek"},
		{Rule{Type: "weekly", Interval: 1, DaysOfWeek: []string{"funday"}}, `"funday"`},
		{Rule{Type: "weekly", Interval: 1, DaysOfWeek: []string{"monday"}, FirstDayOfWeek: "x"}, `firstDayOfWeek "x"`},
		{Rule{Type: "absoluteMonthly", Interval: 1}, "dayOfMonth from 1 to 31, got 0"},
		{Rule{Type: "absoluteMonthly", Interval: 1, DayOfMonth: 32}, "got 32"},
		{Rule{Type: "relativeMonthly", Interval: 1}, "relativeMonthly pattern needs daysOfWeek"},
		{Rule{Type: "relativeMonthly", Interval: 1, DaysOfWeek: []string{"monday"}, Index: "fifth"}, `index "fifth"`},
		{Rule{Type: "absoluteYearly", Interval: 1, DayOfMonth: 3}, "month from 1 to 12, got 0"},
		{Rule{Type: "absoluteYearly", Interval: 1, Month: 3}, "dayOfMonth"},
		{Rule{Type: "relativeYearly", Interval: 1, Month: 3}, "relativeYearly pattern needs daysOfWeek"},
		{Rule{Type: "daily", Interval: 1, RangeType: "forever", StartDate: d("2025-01-01")}, `range type "forever"`},
		{Rule{Type: "daily", Interval: 1, RangeType: "noEnd", StartDate: Date{1, 1, 1}}, "range needs a startDate"},
		{Rule{Type: "daily", Interval: 1, RangeType: "noEnd", StartDate: Date{2025, 2, 30}}, "not a real date"},
		{Rule{Type: "daily", Interval: 1, RangeType: "endDate", StartDate: d("2025-01-01")}, "endDate range needs an endDate"},
		{Rule{Type: "daily", Interval: 1, RangeType: "endDate", StartDate: d("2025-01-02"), EndDate: d("2025-01-01")}, "before its startDate"},
		{Rule{Type: "daily", Interval: 1, RangeType: "numbered", StartDate: d("2025-01-01")}, "numberOfOccurrences of at least 1"},
	} {
		r := c.rule
		if r.RangeType == "" {
			r = base(r)
		}
		_, err := Compile(r)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Compile(%+v) = %v; want an error containing %q", c.rule, err, c.want)
		}
	}
	if _, err := Compile(Rule{Type: "daily", Interval: 1}); err == nil || !strings.Contains(err.Error(), "range type is missing") {
		t.Errorf("missing range type: %v", err)
	}
}

func TestDate(t *testing.T) {
	if _, err := ParseDate("2025-13-01"); err == nil || !strings.Contains(err.Error(), "2025-13-01") {
		t.Errorf("bad month: %v", err)
	}
	if !(Date{1, 1, 1}).IsZero() || !(Date{}).IsZero() || d("2025-01-01").IsZero() {
		t.Error("IsZero")
	}
	if d("2025-01-01").Compare(d("2024-12-31")) != 1 || d("2025-01-01").Compare(d("2025-01-01")) != 0 || d("2025-01-01").Compare(d("2025-02-01")) != -1 {
		t.Error("Compare")
	}
}

func FuzzCompile(f *testing.F) {
	f.Add("relativeMonthly", 1, "tuesday", "sunday", 0, 0, "second", "numbered", "2025-01-01", "", 10)
	f.Add("absoluteYearly", 1, "", "", 29, 2, "", "endDate", "2024-02-29", "2030-01-01", 0)
	f.Fuzz(func(t *testing.T, kind string, interval int, day, first string, dom, month int, index, rangeType, start, end string, n int) {
		r := Rule{Type: kind, Interval: interval, DaysOfWeek: strings.Fields(day), FirstDayOfWeek: first,
			DayOfMonth: dom, Month: month, Index: index, RangeType: rangeType, NumberOfOccurrences: n}
		r.StartDate, _ = ParseDate(start)
		r.EndDate, _ = ParseDate(end)
		s, err := Compile(r)
		if err != nil {
			return
		}
		prev := Date{}
		i := 0
		for day := range s.Dates() {
			if day.Compare(r.StartDate) < 0 || day.Compare(prev) <= 0 {
				t.Fatalf("%+v: %v after %v", r, day, prev)
			}
			prev = day
			if i++; i == 50 {
				break
			}
		}
	})
}

func BenchmarkTenYearsDaily(b *testing.B) {
	s, _ := Compile(Rule{Type: "daily", Interval: 1, RangeType: "noEnd", StartDate: d("2025-01-01")})
	start := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	stop := time.Date(2035, 1, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for os := range s.Occurrences(start, start.Add(time.Hour)) {
			if !os.Before(stop) {
				break
			}
			n++
		}
		if n != 3652 {
			b.Fatal(n)
		}
	}
}
