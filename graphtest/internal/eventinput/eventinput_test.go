package eventinput_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-o365/o365/graphtest/internal/eventinput"
)

// body decodes a JSON literal as a request body decodes, so the tests
// feed Values the types it meets on the wire.
func body(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestValuesNormalises checks that values come back in Graph's spelling
// with Graph's defaults filled in, and that read-only properties and
// annotations are dropped rather than refused.
func TestValuesNormalises(t *testing.T) {
	got, err := eventinput.Values(body(t, `{
		"subject": "Plan", "importance": "HIGH", "@odata.type": "#microsoft.graph.event",
		"id": "ignored", "body": {"content": "hi"},
		"start": {"dateTime": "2026-03-01T09:00:00", "timeZone": "Pacific Standard Time"},
		"location": {"displayName": "Room 1"},
		"attendees": [{"emailAddress": {"address": "a@contoso.com"}}],
		"recurrence": {"pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["MONDAY"]},
			"range": {"type": "noEnd", "startDate": "2026-03-02"}}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got["id"]; ok {
		t.Error("read-only id was kept")
	}
	if _, ok := got["@odata.type"]; ok {
		t.Error("annotation was kept")
	}
	if got["importance"] != "high" {
		t.Errorf("importance = %v, want high", got["importance"])
	}
	if want := map[string]any{"contentType": "text", "content": "hi"}; !reflect.DeepEqual(got["body"], want) {
		t.Errorf("body = %v, want %v", got["body"], want)
	}
	if want := map[string]any{"dateTime": "2026-03-01T09:00:00.0000000", "timeZone": "Pacific Standard Time"}; !reflect.DeepEqual(got["start"], want) {
		t.Errorf("start = %v, want %v", got["start"], want)
	}
	loc := got["location"].(map[string]any)
	if loc["locationType"] != "default" || loc["uniqueId"] != "Room 1" || loc["uniqueIdType"] != "private" {
		t.Errorf("location = %v", loc)
	}
	att := got["attendees"].([]any)[0].(map[string]any)
	if att["type"] != "required" || att["emailAddress"].(map[string]any)["name"] != "a@contoso.com" {
		t.Errorf("attendee = %v", att)
	}
	pat := got["recurrence"].(map[string]any)["pattern"].(map[string]any)
	if !reflect.DeepEqual(pat["daysOfWeek"], []any{"monday"}) || pat["firstDayOfWeek"] != "sunday" {
		t.Errorf("pattern = %v", pat)
	}
}

// TestValuesRefuses checks each kind of refusal and its exact text, which
// clients see as Graph's error message.
func TestValuesRefuses(t *testing.T) {
	for _, tc := range []struct {
		in, code, msg string
	}{
		{`{"colour": "red"}`, "", "The property 'colour' does not exist on type 'microsoft.graph.event'. Make sure to only use property names that are defined by the type or mark the type as open type."},
		{`{"isAllDay": "yes"}`, "", "Cannot convert the value of property 'isAllDay' to the expected type 'Edm.Boolean'."},
		{`{"isAllDay": null}`, "", "Cannot convert the value of property 'isAllDay' to the expected type 'Edm.Boolean'."},
		{`{"reminderMinutesBeforeStart": 1.5}`, "", "Cannot convert the value of property 'reminderMinutesBeforeStart' to the expected type 'Edm.Int32'."},
		{`{"showAs": "away"}`, "", "Cannot convert the literal 'away' to the expected type 'microsoft.graph.showAs'."},
		{`{"start": {"dateTime": "soon", "timeZone": "UTC"}}`, "", "Cannot convert the literal 'soon' to the expected type 'Edm.DateTime'."},
		{`{"start": {"dateTime": "2026-03-01T09:00:00", "timeZone": "Mars/Olympus"}}`, "TimeZoneNotSupportedException",
			"A valid TimeZone value must be specified. The following TimeZone value is not supported: 'Mars/Olympus'."},
		{`{"attendees": [{"type": "optional"}]}`, "ErrorInvalidRecipients", "At least one recipient isn't valid., A recipient must have an email address."},
		{`{"recurrence": {"pattern": {"daysOfWeek": ["someday"]}}}`, "", "Cannot convert the literal 'someday' to the expected type 'microsoft.graph.dayOfWeek'."},
		{`{"recurrence": {"range": {"until": "2026-01-01"}}}`, "", "The property 'until' does not exist on type 'microsoft.graph.recurrenceRange'. Make sure to only use property names that are defined by the type or mark the type as open type."},
	} {
		_, err := eventinput.Values(body(t, tc.in))
		if err == nil {
			t.Errorf("%s: accepted", tc.in)
			continue
		}
		var re *eventinput.RequestError
		var be eventinput.BodyError
		switch {
		case tc.code != "" && !(errors.As(err, &re) && re.Code == tc.code && re.Status == 400):
			t.Errorf("%s: error %#v, want code %s", tc.in, err, tc.code)
		case tc.code == "" && !errors.As(err, &be):
			t.Errorf("%s: error %#v, want a BodyError", tc.in, err)
		}
		if err.Error() != tc.msg {
			t.Errorf("%s: message %q, want %q", tc.in, err.Error(), tc.msg)
		}
	}
}

// TestNewPropsLocations checks that location and locations are derived
// from each other when only one is given, as Graph answers them.
func TestNewPropsLocations(t *testing.T) {
	v, err := eventinput.Values(body(t, `{"location": {"displayName": "Hall"}}`))
	if err != nil {
		t.Fatal(err)
	}
	p := eventinput.NewProps(v)
	if l := p["locations"].([]any); len(l) != 1 || l[0].(map[string]any)["displayName"] != "Hall" {
		t.Errorf("locations = %v", p["locations"])
	}
	if p["showAs"] != "busy" || p["reminderMinutesBeforeStart"] != 15.0 {
		t.Errorf("defaults missing: %v", p)
	}
	v, err = eventinput.Values(body(t, `{"locations": [{"displayName": "A"}, {"displayName": "B"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	p = eventinput.NewProps(v)
	if name := p["location"].(map[string]any)["displayName"]; name != "A; B" {
		t.Errorf("location displayName = %v, want A; B", name)
	}
}

// check runs Check on a new event made from the JSON literal s.
func check(t *testing.T, s string) (map[string]any, eventinput.Checked, error) {
	t.Helper()
	v, err := eventinput.Values(body(t, s))
	if err != nil {
		t.Fatal(err)
	}
	p := eventinput.NewProps(v)
	c, err := eventinput.Check(p)
	return p, c, err
}

// TestCheck checks what only the event as a whole shows: the times'
// order, an all-day event's midnight bounds, and a recurrence's zone.
func TestCheck(t *testing.T) {
	p, c, err := check(t, `{
		"start": {"dateTime": "2026-03-02T09:00:00", "timeZone": "W. Europe Standard Time"},
		"end": {"dateTime": "2026-03-02T10:00:00", "timeZone": "W. Europe Standard Time"},
		"recurrence": {"pattern": {"type": "daily", "interval": 1}, "range": {"type": "numbered", "startDate": "2026-03-02", "numberOfOccurrences": 3}}}`)
	if err != nil {
		t.Fatal(err)
	}
	if c.Series == nil || c.End.Sub(c.Start) != time.Hour || c.Start.Hour() != 9 {
		t.Errorf("Checked = %+v", c)
	}
	if z := p["recurrence"].(map[string]any)["range"].(map[string]any)["recurrenceTimeZone"]; z != "W. Europe Standard Time" {
		t.Errorf("recurrenceTimeZone = %v, want the start's zone", z)
	}

	_, c, err = check(t, `{"isAllDay": true,
		"start": {"dateTime": "2026-03-02T09:30:00", "timeZone": "UTC"}, "end": {"dateTime": "2026-03-03T09:30:00", "timeZone": "UTC"}}`)
	if err != nil || c.Start.Hour() != 0 || c.Start.Minute() != 0 || !c.AllDay || c.Series != nil {
		t.Errorf("all-day: %+v, %v", c, err)
	}

	for _, tc := range []struct{ in, code string }{
		{`{"start": {"dateTime": "2026-03-02T09:00:00", "timeZone": "UTC"}}`, "ErrorInvalidRequest"},
		{`{"start": {"dateTime": "2026-03-02T09:00:00", "timeZone": "UTC"}, "end": {"dateTime": "2026-03-02T08:00:00", "timeZone": "UTC"}}`,
			"ErrorCalendarEndDateIsEarlierThanStartDate"},
		{`{"start": {"dateTime": "2026-03-02T09:00:00", "timeZone": "UTC"}, "end": {"dateTime": "2026-03-02T10:00:00", "timeZone": "UTC"},
			"recurrence": {"pattern": {"type": "fortnightly"}, "range": {"type": "noEnd", "startDate": "2026-03-02"}}}`, "ErrorCalendarInvalidRecurrence"},
	} {
		_, _, err := check(t, tc.in)
		var re *eventinput.RequestError
		if !errors.As(err, &re) || re.Code != tc.code {
			t.Errorf("%s: error %v, want code %s", tc.in, err, tc.code)
		}
		if tc.code == "ErrorCalendarInvalidRecurrence" && !strings.HasPrefix(err.Error(), "The recurrence pattern is not valid: ") {
			t.Errorf("recurrence message %q", err.Error())
		}
	}
}

// TestReadAttachment checks a file attachment's reading (its type
// qualified, its content decoded and sniffed) and how it answers.
func TestReadAttachment(t *testing.T) {
	a, err := eventinput.ReadAttachment(body(t, `{"@odata.type": "microsoft.graph.fileAttachment",
		"name": "a.txt", "contentBytes": "aGVsbG8=", "isInline": true}`))
	if err != nil {
		t.Fatal(err)
	}
	if a.ODataType != "#microsoft.graph.fileAttachment" || string(a.Content) != "hello" || a.ContentType != "text/plain" {
		t.Errorf("attachment %+v", a)
	}
	a.ID, a.Modified = "x", time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	m := a.JSON()
	if m["size"] != 5 || m["lastModifiedDateTime"] != "2026-03-01T12:00:00Z" || m["isInline"] != true || string(m["contentBytes"].([]byte)) != "hello" {
		t.Errorf("JSON %v", m)
	}
	item, err := eventinput.ReadAttachment(body(t, `{"@odata.type": "#microsoft.graph.itemAttachment", "name": "i", "item": {"subject": "s"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if m := item.JSON(); m["contentType"] != nil || m["contentBytes"] != nil {
		t.Errorf("item attachment JSON %v", m)
	}
}

// TestReadAttachmentRefuses checks each refusal's code and status.
func TestReadAttachmentRefuses(t *testing.T) {
	big := strings.Repeat("A", (eventinput.MaxInlineAttachment/3+1)*4)
	for _, tc := range []struct {
		in, code string
		status   int
	}{
		{`{"name": "a"}`, "ErrorInvalidRequest", 400},
		{`{"@odata.type": "#microsoft.graph.referenceAttachment", "name": "a"}`, "ErrorInvalidRequest", 400},
		{`{"@odata.type": "#microsoft.graph.fileAttachment", "contentBytes": "aGk="}`, "ErrorInvalidRequest", 400},
		{`{"@odata.type": "#microsoft.graph.fileAttachment", "name": "a", "contentBytes": "!!"}`, "ErrorInvalidRequest", 400},
		{`{"@odata.type": "#microsoft.graph.fileAttachment", "name": "a", "contentBytes": "` + big + `"}`, "ErrorRequestEntityTooLarge", 413},
	} {
		_, err := eventinput.ReadAttachment(body(t, tc.in))
		var re *eventinput.RequestError
		if !errors.As(err, &re) || re.Code != tc.code || re.Status != tc.status {
			t.Errorf("%.80s: %v, want %d %s", tc.in, err, tc.status, tc.code)
		}
	}
	_, err := eventinput.ReadAttachment(body(t, `{"@odata.type": "#microsoft.graph.fileAttachment", "name": "a", "path": "/x"}`))
	want := "The property 'path' does not exist on type 'microsoft.graph.fileAttachment'. Make sure to only use property names that are defined by the type or mark the type as open type."
	if err == nil || err.Error() != want {
		t.Errorf("unknown property: %v", err)
	}
}
