package personalinput_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/go-o365/o365/graphtest/internal/personalinput"
)

// body decodes a JSON literal as a request body decodes, so the tests
// feed the checks the types they meet on the wire.
func body(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestTaskValuesNormalises checks that a To Do task's values come back in
// Graph's spelling, with its times converted to UTC as To Do answers
// them, and that read-only properties are dropped.
func TestTaskValuesNormalises(t *testing.T) {
	v, status, code, msg := personalinput.TaskValues(body(t, `{
		"title": "Report", "importance": "HIGH", "status": "InProgress", "id": "ignored",
		"body": {"content": "draft"}, "categories": ["Blue"],
		"dueDateTime": {"dateTime": "2026-03-01T18:30:00", "timeZone": "Pacific Standard Time"}}`))
	if msg != "" {
		t.Fatalf("refused: %d %s %s", status, code, msg)
	}
	want := map[string]any{
		"title": "Report", "importance": "high", "status": "inProgress",
		"body":        map[string]any{"content": "draft", "contentType": "text"},
		"categories":  []any{"Blue"},
		"dueDateTime": map[string]any{"dateTime": "2026-03-02T02:30:00.0000000", "timeZone": "UTC"},
	}
	if !reflect.DeepEqual(v, want) {
		t.Errorf("values = %v\nwant %v", v, want)
	}
}

// TestTaskValuesRefuses checks each refusal's status, code and text.
func TestTaskValuesRefuses(t *testing.T) {
	for _, tc := range []struct {
		in, code, msg string
	}{
		{`{"owner": "me"}`, "RequestBodyRead", "The property 'owner' does not exist on type 'microsoft.graph.todoTask'. Make sure to only use property names that are defined by the type or mark the type as open type."},
		{`{"isReminderOn": "yes"}`, "RequestBodyRead", "Cannot convert the value of property 'isReminderOn' to the expected type 'Edm.Boolean'."},
		{`{"status": "finished"}`, "RequestBodyRead", "Requested value 'finished' was not found."},
		{`{"categories": [1]}`, "RequestBodyRead", "Cannot convert the value of property 'categories' to the expected type 'Collection(Edm.String)'."},
		{`{"dueDateTime": {"dateTime": "2026-03-01T00:00:00", "timeZone": "Nowhere"}}`, "InvalidTimeZone",
			"A valid TimeZone value must be specified. The following TimeZone value is not supported: 'Nowhere'."},
		{`{"dueDateTime": {"dateTime": "tomorrow", "timeZone": "UTC"}}`, "RequestBodyRead", "Cannot convert the literal 'tomorrow' to the expected type 'Edm.DateTime'."},
		{`{"recurrence": {"range": {}}}`, "invalidRequest", "The recurrence pattern is missing."},
	} {
		v, status, code, msg := personalinput.TaskValues(body(t, tc.in))
		if v != nil || status != 400 || code != tc.code || msg != tc.msg {
			t.Errorf("%s: %v %d %q %q, want 400 %q %q", tc.in, v, status, code, msg, tc.code, tc.msg)
		}
	}
}

// TestApplyTaskValues checks the effects Graph gives a task's values:
// completing stamps completedDateTime, reopening removes it, null
// removes a property, and every write renews the etag.
func TestApplyTaskValues(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	p := map[string]any{"title": "x", "@odata.etag": `W/"old"`, "reminderDateTime": "set"}
	personalinput.ApplyTaskValues(p, map[string]any{"status": "completed", "reminderDateTime": nil}, now)
	if want := map[string]any{"dateTime": "2026-03-01T12:00:00.0000000", "timeZone": "UTC"}; !reflect.DeepEqual(p["completedDateTime"], want) {
		t.Errorf("completedDateTime = %v", p["completedDateTime"])
	}
	if _, ok := p["reminderDateTime"]; ok {
		t.Error("null did not remove reminderDateTime")
	}
	if p["@odata.etag"] == `W/"old"` || p["lastModifiedDateTime"] != "2026-03-01T12:00:00.0000000Z" {
		t.Errorf("etag %v, lastModifiedDateTime %v", p["@odata.etag"], p["lastModifiedDateTime"])
	}
	personalinput.ApplyTaskValues(p, map[string]any{"status": "notStarted"}, now)
	if _, ok := p["completedDateTime"]; ok {
		t.Error("reopening kept completedDateTime")
	}
}

// TestChecklistItem checks a new item's defaults, the checkedDateTime
// that follows isChecked, and the refusals.
func TestChecklistItem(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	item, msg := personalinput.ChecklistItem(body(t, `{"displayName": "Milk", "isChecked": true}`), nil, "id1", now)
	if msg != "" || item["id"] != "id1" || item["checkedDateTime"] != "2026-03-01T12:00:00.0000000Z" || item["createdDateTime"] != "2026-03-01T12:00:00.0000000Z" {
		t.Fatalf("item %v, %q", item, msg)
	}
	item, msg = personalinput.ChecklistItem(body(t, `{"isChecked": false}`), item, "", now)
	if _, ok := item["checkedDateTime"]; msg != "" || ok || item["id"] != "id1" || item["displayName"] != "Milk" {
		t.Errorf("unchecked item %v, %q", item, msg)
	}
	if _, msg := personalinput.ChecklistItem(body(t, `{"isChecked": true}`), nil, "id2", now); msg != "The displayName of a checklist item is required." {
		t.Errorf("no name: %q", msg)
	}
	if _, msg := personalinput.ChecklistItem(body(t, `{"displayName": 3}`), nil, "id2", now); msg != "Cannot convert the value of property 'displayName' to the expected type 'Edm.String'." {
		t.Errorf("wrong type: %q", msg)
	}
}

// TestLinkedResource checks that a null clears a property and that an
// unknown one is refused.
func TestLinkedResource(t *testing.T) {
	l, msg := personalinput.LinkedResource(body(t, `{"webUrl": "https://x", "displayName": "X"}`), nil, "id1")
	if msg != "" || l["id"] != "id1" || l["webUrl"] != "https://x" {
		t.Fatalf("%v, %q", l, msg)
	}
	l, _ = personalinput.LinkedResource(body(t, `{"webUrl": null}`), l, "")
	if _, ok := l["webUrl"]; ok || l["displayName"] != "X" {
		t.Errorf("after null: %v", l)
	}
	if _, msg := personalinput.LinkedResource(body(t, `{"url": "x"}`), nil, "id"); msg == "" {
		t.Error("unknown property accepted")
	}
}

// TestSplitSubs checks that checklist items and linked resources sent
// with a new task are taken out of its body.
func TestSplitSubs(t *testing.T) {
	in := body(t, `{"title": "t", "checklistItems": [{"displayName": "a"}, 3], "linkedResources": [{"webUrl": "u"}]}`)
	subs, rest := personalinput.SplitSubs(in)
	if len(subs["checklistItems"]) != 1 || len(subs["linkedResources"]) != 1 || !reflect.DeepEqual(rest, map[string]any{"title": "t"}) {
		t.Errorf("subs %v, rest %v", subs, rest)
	}
	if _, ok := in["checklistItems"]; !ok {
		t.Error("the caller's body was changed")
	}
}

// TestApplySetting checks that a PATCH member merges into the settings in
// Graph's form, and each refusal's code.
func TestApplySetting(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 30, 0, 0, time.UTC)
	st := personalinput.DefaultSettings("arch", now)
	if st["archiveFolder"] != "arch" || st["automaticRepliesSetting"].(map[string]any)["scheduledStartDateTime"].(map[string]any)["dateTime"] != "2026-03-01T13:00:00.0000000" {
		t.Fatalf("defaults %v", st)
	}
	if bad := personalinput.ApplySetting(st, "language", map[string]any{"locale": "de-DE"}); bad != nil {
		t.Fatal(bad)
	}
	if want := map[string]any{"locale": "de-DE", "displayName": "German (Germany)"}; !reflect.DeepEqual(st["language"], want) {
		t.Errorf("language = %v", st["language"])
	}
	if bad := personalinput.ApplySetting(st, "workingHours", map[string]any{"startTime": "09:00", "daysOfWeek": []any{"MONDAY"}}); bad != nil {
		t.Fatal(bad)
	}
	wh := st["workingHours"].(map[string]any)
	if wh["startTime"] != "09:00:00.0000000" || wh["endTime"] != "17:00:00.0000000" || !reflect.DeepEqual(wh["daysOfWeek"], []any{"monday"}) {
		t.Errorf("workingHours = %v", wh)
	}
	for _, tc := range []struct {
		k, v, code string
	}{
		{"timeZone", `"Nowhere"`, "InvalidTimeZone"},
		{"workingHours", `{"startTime": "18:00:00"}`, "ErrorInvalidTimeSettings"},
		{"workingHours", `{"daysOfWeek": ["someday"]}`, "InvalidArguments"},
		{"workingHours", `{"startTime": "noon"}`, "RequestBodyRead"},
		{"automaticRepliesSetting", `{"status": "sometimes"}`, "RequestBodyRead"},
		{"signature", `"x"`, "RequestBodyRead"},
	} {
		var v any
		if err := json.Unmarshal([]byte(tc.v), &v); err != nil {
			t.Fatal(err)
		}
		before := personalinput.CloneJSON(st)
		bad := personalinput.ApplySetting(st, tc.k, v)
		if bad == nil || bad.Code != tc.code {
			t.Errorf("%s %s: %v, want %s", tc.k, tc.v, bad, tc.code)
		}
		if !reflect.DeepEqual(st, before) {
			t.Errorf("%s %s: a refused member changed the settings", tc.k, tc.v)
		}
	}
}

// TestCheckSchedule checks that only a scheduled reply needs its end
// after its start.
func TestCheckSchedule(t *testing.T) {
	ar := body(t, `{"status": "scheduled",
		"scheduledStartDateTime": {"dateTime": "2026-03-02T00:00:00", "timeZone": "UTC"},
		"scheduledEndDateTime": {"dateTime": "2026-03-01T00:00:00", "timeZone": "UTC"}}`)
	if bad := personalinput.CheckSchedule(ar); bad == nil || bad.Code != "ErrorInvalidScheduledOofDuration" {
		t.Errorf("end before start: %v", bad)
	}
	ar["status"] = "alwaysEnabled"
	if bad := personalinput.CheckSchedule(ar); bad != nil {
		t.Errorf("unscheduled reply refused: %v", bad)
	}
}
