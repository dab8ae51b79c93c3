package calendar_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/calendar"
	"github.com/go-o365/o365/graphtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// example is one entry of testdata/calendar.json.
type example struct {
	ID             string            `json:"id"`
	Method         string            `json:"method"`
	URL            string            `json:"url"`
	RequestHeaders map[string]string `json:"request_headers"`
	RequestBody    json.RawMessage   `json:"request_body"`
	Status         int               `json:"status"`
	ResponseBody   json.RawMessage   `json:"response_body"`
	ODataType      string            `json:"response_odata_type"`
	Collection     bool              `json:"response_is_collection"`
}

func examples(t testing.TB) map[string]example {
	t.Helper()
	data, err := os.ReadFile("testdata/calendar.json")
	require.NoError(t, err)
	var list []example
	require.NoError(t, json.Unmarshal(data, &list))
	m := map[string]example{}
	for _, e := range list {
		m[e.ID] = e
	}
	return m
}

func (e example) hasResponse() bool {
	return len(e.ResponseBody) > 0 && string(e.ResponseBody) != "null"
}

// placeholders are examples whose responses hold placeholders where
// values belong ("time": "datetime-value"): they are not Graph's answers,
// so they cannot decode into a time.Time. Their property names are still
// checked against graphtest below.
var placeholders = map[string]bool{
	"event-update#1": true, "event-list-attachments#1": true, "calendar-list-events#1": true,
	"calendar-list-calendarview#1": true, "event-delta#1": true,
}

// modelOf returns a new value of the Go type an example's response
// decodes into, and the annotations that type does not model.
func modelOf(e example) (any, []string) {
	unmodelled := []string{"@odata.context", "@odata.id", "@odata.nextLink", "@odata.deltaLink"}
	var one any
	switch e.ODataType {
	case "microsoft.graph.event":
		// Delta tombstones' @removed is Event.Removed.
		one, unmodelled = new(calendar.Event), append(unmodelled, "@odata.type")
	case "microsoft.graph.calendar":
		one = new(calendar.Calendar)
	case "microsoft.graph.attachment", "microsoft.graph.fileAttachment":
		one = new(calendar.Attachment)
	case "microsoft.graph.scheduleInformation":
		one = new(calendar.ScheduleInformation)
	case "microsoft.graph.meetingTimeSuggestionsResult":
		one = new(calendar.MeetingTimeSuggestionsResult)
	default:
		return nil, nil
	}
	if !e.Collection {
		return one, unmodelled
	}
	page := reflect.New(reflect.StructOf([]reflect.StructField{{
		Name: "Value", Type: reflect.SliceOf(reflect.TypeOf(one)), Tag: `json:"value"`,
	}}))
	return page.Interface(), unmodelled
}

// Every calendar example with a complete response decodes into this
// package's types, and encodes back without losing a property.
func TestMicrosoftExamplesRoundTrip(t *testing.T) {
	tested := 0
	for _, e := range examples(t) {
		if !e.hasResponse() || placeholders[e.ID] {
			continue
		}
		v, unmodelled := modelOf(e)
		if v == nil {
			continue
		}
		tested++
		t.Run(e.ID, func(t *testing.T) {
			require.NoError(t, api.Unmarshal(e.ResponseBody, v))
			out, err := api.Marshal(v)
			require.NoError(t, err)
			var want, got any
			require.NoError(t, json.Unmarshal(e.ResponseBody, &want))
			require.NoError(t, json.Unmarshal(out, &got))
			for _, problem := range lost("", want, got, unmodelled) {
				t.Error(problem)
			}
		})
	}
	// 22 of the 36 examples have a complete response of a modelled type.
	assert.Equal(t, 22, tested)
}

// lost lists the properties of want that got lacks or holds otherwise.
// Null, "", [] and {} count as absent; times compare as instants.
func lost(path string, want, got any, skip []string) []string {
	switch w := want.(type) {
	case map[string]any:
		g, _ := got.(map[string]any)
		var out []string
		for k, wv := range w {
			if isEmpty(wv) || contains(skip, k) {
				continue
			}
			gv, ok := g[k]
			if !ok {
				out = append(out, path+"/"+k+": missing")
				continue
			}
			out = append(out, lost(path+"/"+k, wv, gv, skip)...)
		}
		return out
	case []any:
		g, _ := got.([]any)
		if len(g) != len(w) {
			return []string{fmt.Sprintf("%s: %d items, want %d", path, len(g), len(w))}
		}
		var out []string
		for i := range w {
			out = append(out, lost(fmt.Sprintf("%s[%d]", path, i), w[i], g[i], skip)...)
		}
		return out
	case string:
		if g, ok := got.(string); ok && sameTime(w, g) {
			return nil
		}
	}
	if !reflect.DeepEqual(want, got) {
		return []string{fmt.Sprintf("%s: %v, want %v", path, got, want)}
	}
	return nil
}

func sameTime(a, b string) bool {
	ta, err1 := time.Parse(time.RFC3339Nano, a)
	tb, err2 := time.Parse(time.RFC3339Nano, b)
	return err1 == nil && err2 == nil && ta.Equal(tb)
}

func isEmpty(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case []any:
		return len(v) == 0
	case map[string]any:
		return len(v) == 0
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// The request bodies Microsoft shows for creating and changing events and
// calendars decode into this package's types: what Graph accepts, the
// library can hold.
func TestMicrosoftRequestBodiesDecode(t *testing.T) {
	for _, e := range examples(t) {
		if len(e.RequestBody) == 0 || string(e.RequestBody) == "null" || placeholders[e.ID] {
			continue
		}
		var v any
		switch {
		case strings.HasSuffix(e.URL, "/events") || strings.Contains(e.URL, "/events/{id}") && e.Method == "PATCH":
			v = new(calendar.Event)
		case strings.HasSuffix(e.URL, "/calendars") || strings.HasSuffix(e.URL, "/calendar"):
			v = new(calendar.Calendar)
		default:
			continue
		}
		assert.NoError(t, api.Unmarshal(e.RequestBody, v), e.ID)
	}
}

// graphtest answers the requests of Microsoft's examples with responses
// that carry every property name of Microsoft's responses.
func TestGraphtestAnswersWithMicrosoftsPropertyNames(t *testing.T) {
	srv := emulator(t)
	ex := examples(t)
	tok, err := srv.UserToken(adele, "Calendars.ReadWrite")
	require.NoError(t, err)
	alexTok, err := srv.UserToken(alex, "Calendars.ReadWrite")
	require.NoError(t, err)

	// send makes an example's request (with its headers) to graphtest, at
	// path instead of the example's URL, and checks the status.
	send := func(token, id, method, path string, body []byte) map[string]any {
		t.Helper()
		e := ex[id]
		if body == nil && len(e.RequestBody) > 0 && string(e.RequestBody) != "null" {
			body = e.RequestBody
		}
		req, err := http.NewRequest(method, srv.GraphURL()+"/v1.0"+path, bytes.NewReader(body))
		require.NoError(t, err)
		for k, v := range e.RequestHeaders {
			if !strings.EqualFold(k, "Content-length") {
				req.Header.Set(k, v)
			}
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		require.Equal(t, e.Status, resp.StatusCode, "%s: %s", id, raw)
		var out map[string]any
		if len(raw) > 0 {
			require.NoError(t, json.Unmarshal(raw, &out), id)
		}
		return out
	}
	// check compares graphtest's answer with the example's response.
	check := func(id string, got map[string]any) {
		t.Helper()
		var want map[string]any
		require.NoError(t, json.Unmarshal(ex[id].ResponseBody, &want), id)
		for _, name := range missingNames("", want, got) {
			t.Errorf("%s: graphtest's answer lacks %s", id, name)
		}
	}

	// Calendars.
	created := send(tok, "user-post-calendars#1", "POST", "/me/calendars", nil)
	check("user-post-calendars#1", created)
	calID := created["id"].(string)
	check("user-list-calendars#1", send(tok, "user-list-calendars#1", "GET", "/me/calendars", nil))
	check("calendar-get#1", send(tok, "calendar-get#1", "GET", "/me/calendar", nil))
	check("calendar-update#1", send(tok, "calendar-update#1", "PATCH", "/me/calendars/"+calID, nil))

	// Events, in the default calendar and in another.
	var ids []string
	for _, id := range []string{"user-post-events#1", "user-post-events#2", "user-post-events#4"} {
		got := send(tok, id, "POST", "/me/events", nil)
		check(id, got)
		assert.Equal(t, "Pacific Standard Time", got["start"].(map[string]any)["timeZone"], "%s: the Prefer zone", id)
		ids = append(ids, got["id"].(string))
	}
	for _, id := range []string{"calendar-post-events#1", "calendar-post-events#2"} {
		check(id, send(tok, id, "POST", "/me/calendars/"+calID+"/events", nil))
	}
	// Its response is not strict JSON, but its request is: a weekly series.
	series := send(tok, "user-post-events#3", "POST", "/me/events", nil)
	assert.Equal(t, "seriesMaster", series["type"])
	check("calendar-list-events#1", send(tok, "calendar-list-events#1", "GET", "/me/calendar/events", nil))
	check("user-list-events#1", send(tok, "user-list-events#1", "GET", "/me/events?$select=subject,body,bodyPreview,organizer,attendees,start,end,location", nil))
	check("event-get#1", send(tok, "event-get#1", "GET", "/me/events/"+ids[0]+"?$select=subject,body,bodyPreview,organizer,attendees,start,end,location,hideAttendees", nil))
	check("event-get#2", send(tok, "event-get#2", "GET", "/me/events/"+ids[1]+"?$select=subject,body,bodyPreview,organizer,attendees,start,end,location,locations", nil))
	check("user-list-calendarview#1", send(tok, "user-list-calendarview#1", "GET", "/me/calendarView?startDateTime=2017-04-01T00:00:00-08:00&endDateTime=2017-05-01T00:00:00-08:00", nil))
	check("calendar-list-calendarview#1", send(tok, "calendar-list-calendarview#1", "GET", "/me/calendar/calendarView?startDateTime=2017-08-01T00:00:00Z&endDateTime=2017-09-01T00:00:00Z", nil))
	check("event-list-instances#1", send(tok, "event-list-instances#1", "GET", "/me/events/"+series["id"].(string)+
		"/instances?startDateTime=2017-09-01T00:00:00.0000000&endDateTime=2017-09-30T00:00:00.0000000&$select=subject,bodyPreview,seriesMasterId,type,recurrence,start,end", nil))
	check("event-update#1", send(tok, "event-update#1", "PATCH", "/me/events/"+ids[0], []byte(
		`{"reminderMinutesBeforeStart": 99, "isOnlineMeeting": true, "onlineMeetingProvider": "teamsForBusiness", "isReminderOn": true, "hideAttendees": false, "categories": ["Red category"]}`)))

	// Attachments. The file example's contentBytes has a stray "base64"
	// prefix that makes it invalid base64; the response's value is sent.
	check("event-post-attachments#1", send(tok, "event-post-attachments#1", "POST", "/me/events/"+ids[0]+"/attachments",
		[]byte(`{"@odata.type": "#microsoft.graph.fileAttachment", "name": "menu.txt", "contentBytes": "bWFjIGFuZCBjaGVlc2UgdG9kYXk="}`)))
	check("event-post-attachments#2", send(tok, "event-post-attachments#2", "POST", "/me/events/"+ids[0]+"/attachments", nil))
	check("event-list-attachments#1", send(tok, "event-list-attachments#1", "GET", "/me/events/"+ids[0]+"/attachments", nil))

	// Availability.
	_, err = srv.AddEvent(adele, "", map[string]any{"subject": "Let's go for lunch", "location": map[string]any{"displayName": "Harry's Bar"},
		"start": map[string]any{"dateTime": "2019-03-15T12:00:00", "timeZone": "Pacific Standard Time"},
		"end":   map[string]any{"dateTime": "2019-03-15T14:00:00", "timeZone": "Pacific Standard Time"}})
	require.NoError(t, err)
	check("calendar-getschedule#1", send(tok, "calendar-getschedule#1", "POST", "/me/calendar/getSchedule", nil))
	check("user-findmeetingtimes#1", send(tok, "user-findmeetingtimes#1", "POST", "/me/findMeetingTimes", nil))

	// Responses and cancellation (202, no body), on an invitation to Alex.
	for _, id := range []string{"event-accept#1", "event-tentativelyaccept#1", "event-decline#1"} {
		inv := invitation(t, srv, alex)
		action := strings.TrimSuffix(strings.TrimPrefix(strings.SplitN(id, "#", 2)[0], "event-"), "")
		action = map[string]string{"accept": "accept", "tentativelyaccept": "tentativelyAccept", "decline": "decline"}[action]
		send(alexTok, id, "POST", "/me/events/"+inv+"/"+action, nil)
	}
	// Forwarding, to someone outside the tenant (202, no body).
	send(tok, "event-forward#1", "POST", "/me/events/"+ids[0]+"/forward", nil)

	// The calendar view delta walk of the event delta concept page: five
	// events in pages of two, then a round with a deletion and a change.
	var dec []string
	for i, day := range []string{"09", "10", "10", "11", "12"} {
		id, err := srv.AddEvent(adele, "", map[string]any{"subject": fmt.Sprint("December ", i),
			"start": map[string]any{"dateTime": "2016-12-" + day + "T0" + fmt.Sprint(i) + ":00:00", "timeZone": "UTC"},
			"end":   map[string]any{"dateTime": "2016-12-" + day + "T0" + fmt.Sprint(i+1) + ":00:00", "timeZone": "UTC"}})
		require.NoError(t, err)
		dec = append(dec, id)
	}
	link := "/me/calendarView/delta?startdatetime=2016-12-01T00:00:00Z&enddatetime=2016-12-30T00:00:00Z"
	for _, id := range []string{"delta-query-events#2", "delta-query-events#3", "delta-query-events#4"} {
		page := send(tok, id, "GET", link, nil)
		check(id, page)
		next, _ := page["@odata.nextLink"].(string)
		if next == "" {
			next, _ = page["@odata.deltaLink"].(string)
		}
		link = strings.TrimPrefix(next, srv.GraphURL()+"/v1.0")
	}
	require.Contains(t, link, "$deltatoken=", "the third page ends the round")
	send(tok, "event-delete#1", "DELETE", "/me/events/"+dec[0], nil)
	send(tok, "event-update#1", "PATCH", "/me/events/"+dec[1], []byte(`{"subject": "Attend service"}`))
	check("delta-query-events#5", send(tok, "delta-query-events#5", "GET", link, nil))

	send(tok, "event-cancel#1", "POST", "/me/events/"+ids[1]+"/cancel", nil)
	send(tok, "event-delete#1", "DELETE", "/me/events/"+ids[2], nil)
	send(tok, "calendar-delete#1", "DELETE", "/me/calendars/"+calID, nil)
}

// invitation has Adele invite attendee and returns the id of the
// attendee's copy.
func invitation(t *testing.T, srv *graphtest.Server, attendee string) string {
	t.Helper()
	s := schedule(t, srv, adele, time.UTC)
	start := time.Date(2019, 12, 2, 17, 0, 0, 0, time.UTC)
	subject := fmt.Sprintf("invitation %d", time.Now().UnixNano())
	ev := s.NewEvent()
	ev.Subject, ev.Start, ev.End = subject, start, start.Add(time.Hour)
	ev.Attendees = []calendar.Attendee{{Type: calendar.Required, EmailAddress: calendar.EmailAddress{Address: attendee}}}
	require.NoError(t, ev.Save(ctx))
	for e, err := range schedule(t, srv, attendee, time.UTC).Events(ctx) {
		require.NoError(t, err)
		if e.Subject == subject {
			return e.ID
		}
	}
	t.Fatal("no invitation arrived")
	return ""
}

// missingNames lists the property names of want (recursively; for arrays,
// of their first item) that got lacks.
func missingNames(path string, want, got any) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			if got == nil {
				return nil // null where Microsoft shows an object: a value, not a name
			}
			return []string{path + " (not an object)"}
		}
		var out []string
		names := make([]string, 0, len(w))
		for k := range w {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			if k == "@odata.id" || k == "transactionId" && g[k] == nil {
				continue
			}
			gv, ok := g[k]
			if !ok {
				out = append(out, path+"/"+k)
				continue
			}
			out = append(out, missingNames(path+"/"+k, w[k], gv)...)
		}
		return out
	case []any:
		g, _ := got.([]any)
		if len(w) == 0 || len(g) == 0 {
			return nil
		}
		return missingNames(path+"[0]", w[0], g[0])
	}
	return nil
}
