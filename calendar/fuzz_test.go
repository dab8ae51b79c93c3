package calendar_test

import (
	"encoding/json"
	"testing"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/calendar"
)

// FuzzEventJSON feeds events from outside (Graph's answers) to the
// decoder: it must never panic, and an event it accepts must encode and
// decode back to the same event.
func FuzzEventJSON(f *testing.F) {
	for _, e := range examples(f) {
		if e.ODataType == "microsoft.graph.event" && e.hasResponse() && !e.Collection {
			f.Add([]byte(e.ResponseBody))
		}
	}
	f.Add([]byte(`{"start":{"dateTime":"2025-03-30T02:30:00","timeZone":"W. Europe Standard Time"},"isAllDay":true}`))
	f.Add([]byte(`{"recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["monday"]},"range":{"type":"noEnd","startDate":"2025-01-06","endDate":"0001-01-01"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var ev calendar.Event
		if err := api.Unmarshal(data, &ev); err != nil {
			return
		}
		out, err := api.Marshal(&ev)
		if err != nil {
			return // a time Graph could send but not one JSON can hold (year 10000)
		}
		var again calendar.Event
		if err := api.Unmarshal(out, &again); err != nil {
			t.Fatalf("re-decoding %s: %v", out, err)
		}
		out2, err := api.Marshal(&again)
		if err != nil {
			t.Fatal(err)
		}
		if !jsonEqual(out, out2) {
			t.Fatalf("not stable:\n%s\n%s", out, out2)
		}
		if ev.Recurrence != nil {
			// Validation must not panic on any recurrence.
			_ = ev.Recurrence.Validate()
		}
	})
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return string(xa) == string(ya)
}

// FuzzScheduleJSON feeds getSchedule and findMeetingTimes answers to the
// decoder, which must never panic.
func FuzzScheduleJSON(f *testing.F) {
	for _, e := range examples(f) {
		if e.ID == "calendar-getschedule#1" || e.ID == "user-findmeetingtimes#1" {
			f.Add([]byte(e.ResponseBody))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var info struct {
			Value []calendar.ScheduleInformation `json:"value"`
		}
		_ = api.Unmarshal(data, &info)
		var res calendar.MeetingTimeSuggestionsResult
		_ = api.Unmarshal(data, &res)
	})
}
