package graphtest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// subEndpoint is a notification endpoint that answers Graph's validation
// requests and records the notification collections posted to it.
type subEndpoint struct {
	ts *httptest.Server

	mu          sync.Mutex
	validations []*http.Request
	posts       [][]map[string]any
	// hold, when set, makes notification posts wait until it is closed;
	// entered is told each time a post starts waiting.
	hold, entered chan struct{}
}

func newSubEndpoint(t *testing.T) *subEndpoint {
	e := &subEndpoint{}
	e.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tok := r.URL.Query().Get("validationToken"); tok != "" {
			e.mu.Lock()
			e.validations = append(e.validations, r.Clone(context.Background()))
			e.mu.Unlock()
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			io.WriteString(w, tok)
			return
		}
		var body struct {
			Value []map[string]any `json:"value"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		e.mu.Lock()
		hold, entered := e.hold, e.entered
		e.mu.Unlock()
		if hold != nil {
			entered <- struct{}{}
			<-hold
		}
		e.mu.Lock()
		e.posts = append(e.posts, body.Value)
		e.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(e.ts.Close)
	return e
}

func (e *subEndpoint) validated() []*http.Request {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.validations)
}

func (e *subEndpoint) notifications() []map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []map[string]any
	for _, p := range e.posts {
		out = append(out, p...)
	}
	return out
}

// subFixture is a server with a fake clock, a user and their token.
type subFixture struct {
	s      *Server
	clock  *fakeClock
	userID string
	token  string
	ep     *subEndpoint
}

func newSubFixture(t *testing.T) *subFixture {
	s, clock := newClockServer(t)
	s.SetTokenLifetime(365 * 24 * time.Hour) // the clock moves by days
	tok, err := s.UserToken("adele@contoso.com", "Mail.Read")
	if err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	id := s.userLocked("adele@contoso.com").ID
	s.mu.Unlock()
	return &subFixture{s: s, clock: clock, userID: id, token: tok, ep: newSubEndpoint(t)}
}

// call sends a Graph request as the fixture's user.
func (f *subFixture) call(t *testing.T, method, path string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, f.s.GraphURL()+"/v1.0"+path, rd)
	req.Header.Set("Authorization", "Bearer "+f.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	data, _ := io.ReadAll(resp.Body)
	if len(data) > 0 {
		if err := json.Unmarshal(data, &out); err != nil {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, data)
		}
	}
	return resp.StatusCode, out
}

// create makes a subscription on resource lasting d, and returns its id.
func (f *subFixture) create(t *testing.T, resource, changeType string, d time.Duration) string {
	t.Helper()
	status, body := f.call(t, http.MethodPost, "/subscriptions", map[string]any{
		"changeType": changeType, "notificationUrl": f.ep.ts.URL, "resource": resource,
		"expirationDateTime": f.clock.now().Add(d).Format(time.RFC3339Nano), "clientState": "state",
	})
	if status != http.StatusCreated {
		t.Fatalf("create %s: %d %v", resource, status, body)
	}
	return body["id"].(string)
}

func (f *subFixture) wait(t *testing.T, n int) []Delivery {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	log, err := f.s.WaitDeliveries(ctx, n)
	if err != nil {
		t.Fatalf("%d deliveries, want %d: %v", len(log), n, err)
	}
	return log
}

func errorCode(body map[string]any) (code, msg string) {
	e, _ := body["error"].(map[string]any)
	code, _ = e["code"].(string)
	msg, _ = e["message"].(string)
	return code, msg
}

func TestSubscriptionExpires(t *testing.T) {
	f := newSubFixture(t)
	short := f.create(t, "me/messages", "created", 2*time.Hour)
	long := f.create(t, "me/messages", "created", 3*24*time.Hour)
	renewed := f.create(t, "me/messages", "created", time.Hour)
	if status, body := f.call(t, http.MethodPatch, "/subscriptions/"+renewed, map[string]any{
		"expirationDateTime": f.clock.now().Add(5 * time.Hour).Format(time.RFC3339),
	}); status != http.StatusOK {
		t.Fatalf("renew: %d %v", status, body)
	}

	f.clock.advance(3 * time.Hour)
	if status, _ := f.call(t, http.MethodGet, "/subscriptions/"+short, nil); status != http.StatusNotFound {
		t.Errorf("expired subscription: %d, want 404", status)
	}
	if status, body := f.call(t, http.MethodPatch, "/subscriptions/"+short, map[string]any{
		"expirationDateTime": f.clock.now().Add(time.Hour).Format(time.RFC3339),
	}); status != http.StatusNotFound {
		t.Errorf("renewing an expired subscription: %d %v", status, body)
	}
	_, list := f.call(t, http.MethodGet, "/subscriptions", nil)
	var ids []string
	for _, v := range list["value"].([]any) {
		ids = append(ids, v.(map[string]any)["id"].(string))
	}
	slices.Sort(ids)
	want := []string{long, renewed}
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		t.Errorf("live subscriptions %v, want %v", ids, want)
	}

	f.s.PublishChange(f.userID, "mailFolders/inbox/messages", "created", "m1")
	log := f.wait(t, 2)
	var got []string
	for _, d := range log {
		got = append(got, d.SubscriptionID)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("notified %v, want only the live %v", got, want)
	}
}

func TestSubscriptionFolderMatching(t *testing.T) {
	f := newSubFixture(t)
	inbox := f.create(t, "me/mailFolders('Inbox')/messages", "created", time.Hour)
	byID := f.create(t, "/users/adele@contoso.com/mailFolders/AAMkInbox/messages", "created", time.Hour)
	all := f.create(t, "me/messages", "created", time.Hour)
	cal := f.create(t, "me/calendars('cal-2')/events", "created", time.Hour)

	// Without a resolver, a reference matches the published id as written.
	f.s.PublishChange(f.userID, "mailFolders/AAMkInbox/messages", "created", "m1")
	log := f.wait(t, 2)
	if got := []string{log[0].SubscriptionID, log[1].SubscriptionID}; !sameSet(got, []string{byID, all}) {
		t.Errorf("m1 went to %v, want %v", got, []string{byID, all})
	}

	// The mail area's resolver maps the well-known name to the id.
	old, had := folderResolvers["mailFolders"]
	folderResolvers["mailFolders"] = func(s *Server, userID, ref string) (string, bool) {
		if s == f.s && userID == f.userID && strings.EqualFold(ref, "inbox") {
			return "AAMkInbox", true
		}
		return "", false
	}
	t.Cleanup(func() {
		if had {
			folderResolvers["mailFolders"] = old
		} else {
			delete(folderResolvers, "mailFolders")
		}
	})
	f.s.PublishChange(f.userID, "mailFolders/AAMkInbox/messages", "created", "m2")
	log = f.wait(t, 5)
	if got := ids(log[2:]); !sameSet(got, []string{inbox, byID, all}) {
		t.Errorf("m2 went to %v", got)
	}

	// The short form reaches whole-collection subscriptions only; other
	// calendars and other kinds are not matched.
	f.s.PublishChange(f.userID, "messages", "created", "m3")
	f.s.PublishChange(f.userID, "calendars/cal-1/events", "created", "e1")
	f.s.PublishChange(f.userID, "calendars/CAL-2/events", "created", "e2")
	log = f.wait(t, 7)
	if got := ids(log[5:]); !slices.Equal(got, []string{all, cal}) {
		t.Errorf("m3, e1, e2 went to %v, want %v", got, []string{all, cal})
	}
	if log[6].ID != "e2" || log[6].Resource != "Users/"+f.userID+"/Events/e2" {
		t.Errorf("event delivery %+v", log[6])
	}
	// Unknown resources and change types are ignored; areas publish what
	// they collected under their lock in one call.
	f.s.publishChanges([]notifyChange{
		{f.userID, "tasks", "created", "x"},
		{f.userID, "messages", "moved", "x"},
		{"nobody", "messages", "created", "x"},
		{f.userID, "messages", "created", "m4"},
	})
	if log = f.wait(t, 8); len(log) != 8 || log[7].ID != "m4" {
		t.Errorf("after ignored changes: %+v", log[7:])
	}
}

func ids(log []Delivery) []string {
	var out []string
	for _, d := range log {
		out = append(out, d.SubscriptionID)
	}
	return out
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestParseSubscriptionResource(t *testing.T) {
	cases := []struct {
		in   string
		user string
		w    subscriptionWatch
		ok   bool
	}{
		{"me/messages", "me", subscriptionWatch{kind: "messages"}, true},
		{"/me/Messages", "me", subscriptionWatch{kind: "messages"}, true},
		{"me/mailFolders('Inbox')/messages", "me", subscriptionWatch{"messages", "mailFolders", "Inbox"}, true},
		{"me/mailfolders('inbox')/messages", "me", subscriptionWatch{"messages", "mailFolders", "inbox"}, true},
		{"me/mailFolders(Inbox)/messages", "me", subscriptionWatch{"messages", "mailFolders", "Inbox"}, true},
		{"me/mailFolders/AAMk%3D/messages", "me", subscriptionWatch{"messages", "mailFolders", "AAMk%3D"}, true},
		{"me/mailFolders('it''s')/messages", "me", subscriptionWatch{"messages", "mailFolders", "it's"}, true},
		{"users/adele@contoso.com/events", "adele@contoso.com", subscriptionWatch{kind: "events"}, true},
		{"users/a%40b.com/contacts", "a@b.com", subscriptionWatch{kind: "contacts"}, true},
		{"users/u1/calendars('c')/events", "u1", subscriptionWatch{"events", "calendars", "c"}, true},
		{"me/contactFolders/f/contacts", "me", subscriptionWatch{"contacts", "contactFolders", "f"}, true},
		{"me/drive/root", "me", subscriptionWatch{kind: "drive"}, true},
		{"me/messages?$filter=isRead eq false", "me", subscriptionWatch{kind: "messages"}, true},
		{"me", "", subscriptionWatch{}, false},
		{"users", "", subscriptionWatch{}, false},
		{"me/drive/items/x", "", subscriptionWatch{}, false},
		{"me/mailFolders()/messages", "", subscriptionWatch{}, false},
		{"me/mailFolders/x/events", "", subscriptionWatch{}, false},
		{"groups/g/conversations", "", subscriptionWatch{}, false},
		{"users//messages", "", subscriptionWatch{}, false},
		{"", "", subscriptionWatch{}, false},
	}
	for _, tc := range cases {
		user, w, ok := parseSubscriptionResource(tc.in)
		if ok != tc.ok || user != tc.user || w != tc.w {
			t.Errorf("%q: %q %+v %v, want %q %+v %v", tc.in, user, w, ok, tc.user, tc.w, tc.ok)
		}
	}
}

func TestCreateSubscriptionErrors(t *testing.T) {
	f := newSubFixture(t)
	valid := func() map[string]any {
		return map[string]any{
			"changeType": "created", "notificationUrl": f.ep.ts.URL, "resource": "me/messages",
			"expirationDateTime": f.clock.now().Add(time.Hour).Format(time.RFC3339), "clientState": "state",
		}
	}
	with := func(k string, v any) map[string]any {
		b := valid()
		if v == nil {
			delete(b, k)
		} else {
			b[k] = v
		}
		return b
	}
	cases := []struct {
		name   string
		body   any
		status int
		code   string
		msg    string
	}{
		{"no changeType", with("changeType", nil), 400, "InvalidRequest", "changeType is a required property for subscription creation."},
		{"no notificationUrl", with("notificationUrl", nil), 400, "InvalidRequest", "notificationUrl is a required property for subscription creation."},
		{"no resource", with("resource", nil), 400, "InvalidRequest", "resource is a required property for subscription creation."},
		{"no expiry", with("expirationDateTime", nil), 400, "InvalidRequest", "expirationDateTime is a required property for subscription creation."},
		{"not JSON", "created", 400, "InvalidRequest", "Could not process subscription creation payload. Are all property names spelled and camelCased properly?"},
		{"bad change type", with("changeType", "created,moved"), 400, "InvalidRequest", "Invalid changeType 'moved'"},
		{"bad expiry", with("expirationDateTime", "2030-05-05"), 400, "InvalidRequest", "Invalid expirationDateTime"},
		{"past", with("expirationDateTime", f.clock.now().Add(-time.Second).Format(time.RFC3339)), 400, "InvalidRequest", "must be in the future"},
		{"too far", with("expirationDateTime", f.clock.now().Add(10071*time.Minute).Format(time.RFC3339)), 400, "ExtensionError", "Subscription expiration can only be 10070 minutes in the future."},
		{"bad TLS", with("latestSupportedTlsVersion", "v2"), 400, "InvalidRequest", "latestSupportedTlsVersion"},
		{"long state", with("clientState", strings.Repeat("s", 129)), 400, "InvalidRequest", "128"},
		{"resource data", with("includeResourceData", true), 400, "InvalidRequest", "encryptionCertificate"},
		{"unknown user", with("resource", "users/nobody@contoso.com/messages"), 404, "ResourceNotFound", "nobody@contoso.com"},
		{"unsupported", with("resource", "me/onenote/pages"), 400, "InvalidRequest", "me/onenote/pages"},
		{"relative URL", with("notificationUrl", "/hook"), 400, "ValidationError", "Subscription validation request failed."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := f.call(t, http.MethodPost, "/subscriptions", tc.body)
			code, msg := errorCode(body)
			if status != tc.status || code != tc.code || !strings.Contains(msg, tc.msg) {
				t.Errorf("%d %s %q, want %d %s %q", status, code, msg, tc.status, tc.code, tc.msg)
			}
		})
	}
	if _, body := f.call(t, http.MethodGet, "/subscriptions", nil); len(body["value"].([]any)) != 0 {
		t.Errorf("failed creations left subscriptions: %v", body)
	}
	// The limit itself is accepted, for drives too.
	if status, body := f.call(t, http.MethodPost, "/subscriptions", with("expirationDateTime", f.clock.now().Add(10070*time.Minute).Format(time.RFC3339))); status != 201 {
		t.Errorf("at the limit: %d %v", status, body)
	}
	drive := with("resource", "me/drive/root")
	drive["changeType"] = "updated"
	drive["expirationDateTime"] = f.clock.now().Add(42300 * time.Minute).Format(time.RFC3339)
	if status, body := f.call(t, http.MethodPost, "/subscriptions", drive); status != 201 {
		t.Errorf("drive at its limit: %d %v", status, body)
	}
	if status, _ := f.call(t, http.MethodDelete, "/subscriptions/nope", nil); status != 404 {
		t.Errorf("deleting an unknown subscription: %d", status)
	}
	if status, _ := f.call(t, http.MethodPost, "/subscriptions/nope/reauthorize", nil); status != 404 {
		t.Errorf("reauthorizing an unknown subscription: %d", status)
	}
}

func TestValidationRequest(t *testing.T) {
	f := newSubFixture(t)
	status, body := f.call(t, http.MethodPost, "/subscriptions", map[string]any{
		"changeType": "created", "notificationUrl": f.ep.ts.URL + "/hook?tenant=contoso", "resource": "me/messages",
		"expirationDateTime": f.clock.now().Add(time.Hour).Format(time.RFC3339),
	})
	if status != http.StatusCreated {
		t.Fatalf("%d %v", status, body)
	}
	validated := f.ep.validated()
	if len(validated) != 1 {
		t.Fatalf("%d validation requests", len(validated))
	}
	r := validated[0]
	tok := r.URL.Query().Get("validationToken")
	if r.Method != http.MethodPost || r.URL.Path != "/hook" || r.URL.Query().Get("tenant") != "contoso" ||
		!strings.HasPrefix(r.Header.Get("Content-Type"), "text/plain") || !strings.Contains(tok, " ") || !strings.Contains(tok, ":") {
		t.Errorf("validation request %s %s %q", r.Method, r.URL, r.Header.Get("Content-Type"))
	}
	if body["clientState"] != nil || body["lifecycleNotificationUrl"] != nil {
		t.Errorf("unset properties should be null: %v", body)
	}

	// An endpoint echoing with a trailing newline fails: the echo is exact.
	sloppy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, r.URL.Query().Get("validationToken")+"\n")
	}))
	defer sloppy.Close()
	status, body = f.call(t, http.MethodPost, "/subscriptions", map[string]any{
		"changeType": "created", "notificationUrl": sloppy.URL, "resource": "me/messages",
		"expirationDateTime": f.clock.now().Add(time.Hour).Format(time.RFC3339),
	})
	if code, msg := errorCode(body); status != 400 || code != "ValidationError" ||
		msg != "Subscription validation request failed. Response must exactly match validationToken query parameter." {
		t.Errorf("sloppy echo: %d %s %q", status, code, msg)
	}
}

func TestUpdateSubscriptionNotificationURL(t *testing.T) {
	f := newSubFixture(t)
	id := f.create(t, "me/messages", "created", time.Hour)
	other := newSubEndpoint(t)
	status, body := f.call(t, http.MethodPatch, "/subscriptions/"+id, map[string]any{"notificationUrl": other.ts.URL})
	if status != http.StatusOK || body["notificationUrl"] != other.ts.URL || len(other.validated()) != 1 {
		t.Fatalf("moving the endpoint: %d %v, %d validations", status, body, len(other.validated()))
	}
	status, body = f.call(t, http.MethodPatch, "/subscriptions/"+id, map[string]any{"notificationUrl": "http://127.0.0.1:1/closed"})
	if code, _ := errorCode(body); status != 400 || code != "ValidationError" {
		t.Errorf("moving to a dead endpoint: %d %v", status, body)
	}
	status, body = f.call(t, http.MethodPatch, "/subscriptions/"+id, map[string]any{"expirationDateTime": f.clock.now().Add(-time.Minute).Format(time.RFC3339)})
	if status != 400 {
		t.Errorf("renewing into the past: %d %v", status, body)
	}
	f.s.PublishChange(f.userID, "messages", "created", "m")
	f.wait(t, 1)
	if n := other.notifications(); len(n) != 1 || len(f.ep.notifications()) != 0 {
		t.Errorf("notifications went to the old endpoint")
	}
}

func TestDeliveryQueueIsBoundedAndBatches(t *testing.T) {
	f := newSubFixture(t)
	f.create(t, "me/messages", "created", time.Hour)
	hold, entered := make(chan struct{}), make(chan struct{}, 1)
	f.ep.mu.Lock()
	f.ep.hold, f.ep.entered = hold, entered
	f.ep.mu.Unlock()

	f.s.PublishChange(f.userID, "messages", "created", "first")
	<-entered // the delivering goroutine is stuck in the first post
	const extra = 10
	for range maxPendingNotifications + extra {
		f.s.PublishChange(f.userID, "messages", "created", "m")
	}
	f.ep.mu.Lock()
	f.ep.hold = nil
	f.ep.mu.Unlock()
	close(hold)

	log := f.wait(t, 1+maxPendingNotifications+extra)
	dropped := 0
	for _, d := range log {
		if d.Err != "" {
			dropped++
			if !strings.Contains(d.Err, "queue full") || d.Status != 0 {
				t.Errorf("dropped delivery %+v", d)
			}
		} else if d.Status != http.StatusAccepted {
			t.Errorf("delivery %+v", d)
		}
	}
	if dropped != extra {
		t.Errorf("%d dropped, want %d", dropped, extra)
	}
	f.ep.mu.Lock()
	posts := f.ep.posts
	f.ep.mu.Unlock()
	largest := 0
	for _, p := range posts {
		largest = max(largest, len(p))
	}
	if largest != maxNotificationsPerPost || len(f.ep.notifications()) != 1+maxPendingNotifications {
		t.Errorf("largest post %d, %d notifications", largest, len(f.ep.notifications()))
	}
}

func TestTriggerLifecycleErrors(t *testing.T) {
	f := newSubFixture(t)
	id := f.create(t, "me/messages", "created", time.Hour)
	if err := f.s.TriggerLifecycle(id, "missed"); err == nil || !strings.Contains(err.Error(), "no lifecycleNotificationUrl") {
		t.Errorf("no lifecycle URL: %v", err)
	}
	if err := f.s.TriggerLifecycle(id, "expired"); err == nil || !strings.Contains(err.Error(), "unknown lifecycle event") {
		t.Errorf("unknown event: %v", err)
	}
	if err := f.s.TriggerLifecycle("nope", "missed"); err == nil {
		t.Error("unknown subscription accepted")
	}
}

// TestWireShapes compares the emulator's subscription and notifications
// with Microsoft's examples, property by property.
func TestWireShapes(t *testing.T) {
	raw, err := os.ReadFile("testdata/subscriptions/examples.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Examples []struct {
			ID           string         `json:"id"`
			ResponseBody map[string]any `json:"response_body"`
			Body         struct {
				Value []map[string]any `json:"value"`
			} `json:"body"`
		} `json:"examples"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	example := map[string]map[string]any{}
	for _, e := range doc.Examples {
		if e.ResponseBody != nil {
			example[e.ID] = e.ResponseBody
		}
		if len(e.Body.Value) > 0 {
			example[e.ID] = e.Body.Value[0]
		}
	}

	f := newSubFixture(t)
	status, created := f.call(t, http.MethodPost, "/subscriptions", map[string]any{
		"changeType": "created", "notificationUrl": f.ep.ts.URL, "resource": "me/mailFolders('Inbox')/messages",
		"expirationDateTime": f.clock.now().Add(time.Hour).Format(time.RFC3339), "clientState": "secretClientValue",
		"latestSupportedTlsVersion": "v1_2", "lifecycleNotificationUrl": f.ep.ts.URL,
	})
	if status != http.StatusCreated {
		t.Fatalf("%d %v", status, created)
	}
	// notificationContentType appears in the example but is not a
	// property of Graph's v1.0 subscription type.
	missing(t, "create response", example["subscription-post-subscriptions#1"], created, "notificationContentType")
	if got, want := created["@odata.context"], f.s.GraphURL()+"/v1.0/$metadata#subscriptions/$entity"; got != want {
		t.Errorf("@odata.context %v, want %v", got, want)
	}
	if exp, _ := created["expirationDateTime"].(string); len(exp) != len("2016-11-20T18:23:45.9356913Z") {
		t.Errorf("expirationDateTime %q is not written as Graph writes it", exp)
	}

	f.s.PublishChange(f.userID, "mailFolders/Inbox/messages", "created", "AAMk")
	if err := f.s.TriggerLifecycle(created["id"].(string), "missed"); err != nil {
		t.Fatal(err)
	}
	f.wait(t, 2)
	got := f.ep.notifications()
	if len(got) != 2 {
		t.Fatalf("%d notifications", len(got))
	}
	change, lifecycle := got[0], got[1]
	// The emulator does not know the item's version, so it sends no
	// @odata.etag.
	missing(t, "change notification", example["change-notification-example"], change)
	missing(t, "resourceData", example["change-notification-example"]["resourceData"].(map[string]any), change["resourceData"].(map[string]any), "@odata.etag")
	missing(t, "lifecycle notification", example["lifecycle-notification-structure"], lifecycle)
	if extra := slices.Collect(maps.Keys(lifecycle)); len(extra) != len(example["lifecycle-notification-structure"]) {
		t.Errorf("lifecycle notification has other properties than the example: %v", extra)
	}
}

// missing reports the example's properties that got lacks, except those
// in except.
func missing(t *testing.T, what string, example, got map[string]any, except ...string) {
	t.Helper()
	if example == nil {
		t.Fatalf("%s: no example", what)
	}
	for k := range example {
		if _, ok := got[k]; !ok && !slices.Contains(except, k) {
			t.Errorf("%s lacks %q (example has it)", what, k)
		}
	}
}

// TestSubscriptionsConcurrentUse creates, publishes and deletes from many
// goroutines, for the race detector.
func TestSubscriptionsConcurrentUse(t *testing.T) {
	f := newSubFixture(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			status, body := f.call(t, http.MethodPost, "/subscriptions", map[string]any{
				"changeType": "created", "notificationUrl": f.ep.ts.URL, "resource": "me/messages",
				"expirationDateTime": f.clock.now().Add(time.Hour).Format(time.RFC3339),
			})
			if status != http.StatusCreated {
				t.Errorf("create: %d %v", status, body)
				return
			}
			id := body["id"].(string)
			f.s.PublishChange(f.userID, "messages", "created", url.PathEscape(id))
			f.call(t, http.MethodGet, "/subscriptions", nil)
			if i%2 == 0 {
				f.call(t, http.MethodDelete, "/subscriptions/"+id, nil)
			}
		})
	}
	wg.Wait()
	f.s.PublishChange(f.userID, "messages", "created", "last")
	if _, err := f.s.WaitDeliveries(t.Context(), 4); err != nil {
		t.Fatal(err)
	}
}
