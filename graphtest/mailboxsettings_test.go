package graphtest_test

import (
	"net/http"
	"testing"
)

func TestMailboxSettings(t *testing.T) {
	f := newFixture(t)
	tok := todoToken(t, f.srv, f.adele.UserPrincipalName, "MailboxSettings.ReadWrite")

	got := graphDo(t, f.srv, tok, "GET", "/v1.0/me/mailboxSettings", nil)
	requireStatus(t, got, http.StatusOK)
	_, want := personalExample(t, "mailboxsettings.json", "user-get-mailboxsettings#1")
	// The example shows beta's userPurpose object; v1.0's schema (and
	// so Microsoft's SDKs) has an enum string there.
	hasExampleKeys(t, "user-get-mailboxsettings#1", want, got.body, "userPurpose.value")
	if got.body["userPurpose"] != "user" {
		t.Errorf("userPurpose %#v, want the enum string \"user\"", got.body["userPurpose"])
	}
	if got.body["archiveFolder"] == "" || got.body["archiveFolder"] == nil {
		t.Errorf("archiveFolder %v", got.body["archiveFolder"])
	}

	for id, path := range map[string]string{
		"user-get-mailboxsettings#2": "/automaticRepliesSetting",
		"user-get-mailboxsettings#3": "/workingHours",
		"user-get-mailboxsettings#4": "/userPurpose",
	} {
		r := graphDo(t, f.srv, tok, "GET", "/v1.0/me/mailboxSettings"+path, nil)
		requireStatus(t, r, http.StatusOK)
		_, want := personalExample(t, "mailboxsettings.json", id)
		// The default working hours are in a standard zone; the example's
		// is a custom one.
		hasExampleKeys(t, id, want, r.body, "timeZone.bias", "timeZone.standardOffset", "timeZone.daylightOffset",
			"timeZone.standardOffset.time", "timeZone.standardOffset.dayOccurrence", "timeZone.standardOffset.dayOfWeek",
			"timeZone.standardOffset.month", "timeZone.standardOffset.year", "timeZone.daylightOffset.daylightBias",
			"timeZone.daylightOffset.time", "timeZone.daylightOffset.dayOccurrence", "timeZone.daylightOffset.dayOfWeek",
			"timeZone.daylightOffset.month", "timeZone.daylightOffset.year")
	}
	if r := graphDo(t, f.srv, tok, "GET", "/v1.0/me/mailboxSettings/timeZone", nil); r.body["value"] != "UTC" {
		t.Errorf("timeZone alone: %v", r.body)
	}

	// Microsoft's update examples, read back as set.
	for _, id := range []string{"user-update-mailboxsettings#1", "user-update-mailboxsettings#2"} {
		req, want := personalExample(t, "mailboxsettings.json", id)
		r := graphDo(t, f.srv, tok, "PATCH", "/v1.0/me/mailboxSettings", req)
		requireStatus(t, r, http.StatusOK)
		hasExampleKeys(t, id, want, r.body)
	}
	ar := graphDo(t, f.srv, tok, "GET", "/v1.0/me/mailboxSettings/automaticRepliesSetting", nil).body
	if ar["status"] != "scheduled" {
		t.Errorf("a scheduled reply reports status scheduled: %v", ar)
	}
	if s := ar["scheduledStartDateTime"].(map[string]any); s["dateTime"] != "2016-03-20T18:00:00.0000000" || s["timeZone"] != "UTC" {
		t.Errorf("start %v", s)
	}
	wh := graphDo(t, f.srv, tok, "GET", "/v1.0/me/mailboxSettings/workingHours", nil).body
	if wh["endTime"] != "18:30:00.0000000" || wh["startTime"] != "08:00:00.0000000" || len(wh["daysOfWeek"].([]any)) != 6 {
		t.Errorf("working hours merge: %v", wh)
	}
	if tz := wh["timeZone"].(map[string]any); tz["bias"] != float64(-300) || tz["name"] != "Customized Time Zone" {
		t.Errorf("custom zone %v", tz)
	}

	// Refusals, as the update page lists them.
	for _, c := range []struct {
		body map[string]any
		code string
	}{
		{map[string]any{"workingHours": map[string]any{"startTime": "08"}}, "RequestBodyRead"},
		{map[string]any{"workingHours": map[string]any{"startTime": "19:00:00.0000000"}}, "ErrorInvalidTimeSettings"},
		{map[string]any{"workingHours": map[string]any{"daysOfWeek": []any{"RandomDay"}}}, "InvalidArguments"},
		{map[string]any{"workingHours": map[string]any{"timeZone": map[string]any{"name": "Mars Standard Time"}}}, "InvalidTimeZone"},
		{map[string]any{"timeZone": "Mars Standard Time"}, "InvalidTimeZone"},
		{map[string]any{"automaticRepliesSetting": map[string]any{"status": "sometimes"}}, "RequestBodyRead"},
		{map[string]any{"automaticRepliesSetting": map[string]any{"externalAudience": "friends"}}, "RequestBodyRead"},
		{map[string]any{"automaticRepliesSetting": map[string]any{"status": "scheduled",
			"scheduledStartDateTime": map[string]any{"dateTime": "2016-03-28T18:00:00", "timeZone": "UTC"},
			"scheduledEndDateTime":   map[string]any{"dateTime": "2016-03-20T18:00:00", "timeZone": "UTC"}}}, "ErrorInvalidScheduledOofDuration"},
		{map[string]any{"signature": "x"}, "RequestBodyRead"},
	} {
		r := graphDo(t, f.srv, tok, "PATCH", "/v1.0/me/mailboxSettings", c.body)
		if r.StatusCode != http.StatusBadRequest || r.errorCode() != c.code {
			t.Errorf("PATCH %v: %d %s, want 400 %s", c.body, r.StatusCode, r.errorCode(), c.code)
		}
	}
	ar2 := graphDo(t, f.srv, tok, "GET", "/v1.0/me/mailboxSettings/automaticRepliesSetting", nil).body
	if !sameJSON(ar, ar2) {
		t.Errorf("a refused PATCH changed nothing: %v became %v", ar, ar2)
	}

	r := graphDo(t, f.srv, tok, "PATCH", "/v1.0/me/mailboxSettings", map[string]any{"userPurpose": map[string]any{"value": "room"}, "language": map[string]any{"locale": "fr-FR"}})
	requireStatus(t, r, http.StatusOK)
	if r.body["language"].(map[string]any)["displayName"] != "French (France)" {
		t.Errorf("language %v", r.body["language"])
	}
	if up := graphDo(t, f.srv, tok, "GET", "/v1.0/me/mailboxSettings/userPurpose", nil).body; up["value"] != "user" {
		t.Errorf("userPurpose is read-only: %v", up)
	}

	read := todoToken(t, f.srv, f.adele.UserPrincipalName, "MailboxSettings.Read")
	requireStatus(t, graphDo(t, f.srv, read, "GET", "/v1.0/me/mailboxSettings", nil), http.StatusOK)
	requireStatus(t, graphDo(t, f.srv, read, "PATCH", "/v1.0/me/mailboxSettings", map[string]any{"timeZone": "UTC"}), http.StatusForbidden)
	alex := todoToken(t, f.srv, alexUPN, "MailboxSettings.ReadWrite")
	requireStatus(t, graphDo(t, f.srv, alex, "GET", "/v1.0/users/"+f.adele.ID+"/mailboxSettings", nil), http.StatusForbidden)
	app, err := f.srv.AppToken(daemonID)
	if err != nil {
		t.Fatal(err)
	}
	requireStatus(t, graphDo(t, f.srv, app, "GET", "/v1.0/users/"+f.adele.ID+"/mailboxSettings", nil), http.StatusOK)
	requireStatus(t, graphDo(t, f.srv, app, "GET", "/v1.0/me/mailboxSettings", nil), http.StatusBadRequest)
}
