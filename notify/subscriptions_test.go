package notify_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/notify"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSubscriptionEndToEnd(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	want := e.inboxSubscription()
	sub, err := e.subs.Create(ctx, want)
	require.NoError(t, err)

	// Graph validated the endpoint before creating the subscription.
	require.Len(t, e.hook.Validations(), 1)
	assert.Contains(t, e.hook.Validations()[0], "validationToken=")
	assert.NotEmpty(t, sub.ID)
	assert.Equal(t, want.Resource, sub.Resource)
	assert.Equal(t, "created,updated", sub.ChangeType)
	assert.Equal(t, secret, sub.ClientState)
	assert.Equal(t, want.NotificationURL, sub.NotificationURL)
	assert.True(t, want.ExpirationDateTime.Equal(sub.ExpirationDateTime), "expiry %s, want %s", sub.ExpirationDateTime, want.ExpirationDateTime)
	assert.Equal(t, clientID, sub.ApplicationID)
	assert.Equal(t, e.adele.ID, sub.CreatorID)
	assert.Equal(t, "v1_2", sub.LatestSupportedTLSVersion, "Graph's default")

	// A message arrives in Adele's Inbox.
	e.srv.PublishChange(e.adele.ID, "mailFolders/inbox/messages", "created", "AAMkAGI2TAAA=")
	waitDeliveries(t, e.srv, 1)
	got := e.hook.Changes()
	require.Len(t, got, 1)
	n := got[0]
	assert.Equal(t, sub.ID, n.SubscriptionID)
	assert.Equal(t, secret, n.ClientState)
	assert.Equal(t, "created", n.ChangeType)
	assert.Equal(t, e.srv.TenantID(), n.TenantID)
	assert.Equal(t, "Users/"+e.adele.ID+"/Messages/AAMkAGI2TAAA=", n.Resource)
	require.NotNil(t, n.ResourceData)
	assert.Equal(t, "AAMkAGI2TAAA=", n.ResourceData.ID)
	assert.Equal(t, "#Microsoft.Graph.Message", n.ResourceData.ODataType)
	assert.True(t, sub.ExpirationDateTime.Equal(n.SubscriptionExpirationDateTime))

	// Changes the subscription does not watch: a deletion, another
	// folder, another user's Inbox. Then one it does.
	e.srv.PublishChange(e.adele.ID, "mailFolders/inbox/messages", "deleted", "gone")
	e.srv.PublishChange(e.adele.ID, "mailFolders/drafts/messages", "created", "draft")
	e.srv.PublishChange(e.alex.ID, "mailFolders/inbox/messages", "created", "alex's")
	e.srv.PublishChange(adeleUPN, "mailFolders/inbox/messages", "updated", "AAMkAGI2TAAA=")
	log := waitDeliveries(t, e.srv, 2)
	assert.Len(t, log, 2)
	got = e.hook.Changes()
	require.Len(t, got, 2)
	assert.Equal(t, "updated", got[1].ChangeType)
	assert.Empty(t, e.hook.Errs())

	// Get, List, Renew, Delete.
	fetched, err := e.subs.Get(ctx, sub.ID)
	require.NoError(t, err)
	assert.Equal(t, sub, fetched)

	var listed []*notify.Subscription
	for s, err := range e.subs.List(ctx) {
		require.NoError(t, err)
		listed = append(listed, s)
	}
	require.Len(t, listed, 1)
	assert.Equal(t, sub.ID, listed[0].ID)

	later := time.Now().Add(6 * 24 * time.Hour).Truncate(time.Second)
	renewed, err := e.subs.Renew(ctx, sub.ID, later)
	require.NoError(t, err)
	assert.True(t, later.Equal(renewed.ExpirationDateTime))
	fetched, err = e.subs.Get(ctx, sub.ID)
	require.NoError(t, err)
	assert.True(t, later.Equal(fetched.ExpirationDateTime), "the renewal is stored")
	assert.Len(t, e.hook.Validations(), 1, "renewing the expiry alone needs no new validation")

	require.NoError(t, e.subs.Delete(ctx, sub.ID))
	_, err = e.subs.Get(ctx, sub.ID)
	assert.ErrorIs(t, err, api.ErrNotFound)
	assert.ErrorIs(t, e.subs.Delete(ctx, sub.ID), api.ErrNotFound)

	// A deleted subscription gets nothing: publish a change another,
	// live, subscription also watches and wait for that one.
	other := e.inboxSubscription()
	other.NotificationURL += "?which=other"
	second, err := e.subs.Create(ctx, other)
	require.NoError(t, err)
	e.srv.PublishChange(e.adele.ID, "mailFolders/inbox/messages", "created", "after-delete")
	log = waitDeliveries(t, e.srv, 3)
	require.Len(t, log, 3)
	assert.Equal(t, second.ID, log[2].SubscriptionID)
	got = e.hook.Changes()
	require.Len(t, got, 3)
	assert.Equal(t, second.ID, got[2].SubscriptionID)
	// Graph calls the notification URL with its query string.
	assert.Contains(t, e.hook.Posts()[len(e.hook.Posts())-1], "which=other")
	assert.Contains(t, e.hook.Validations()[1], "which=other")
}

func TestCreateFailsValidationHandshake(t *testing.T) {
	e := newEnv(t)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	endpoints := map[string]http.HandlerFunc{
		"accepts without echo": func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusAccepted) },
		"fails":                func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", http.StatusInternalServerError) },
		"echoes encoded": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			_, _ = io.WriteString(w, url.QueryEscape(r.URL.Query().Get("validationToken")))
		},
		"echoes as JSON": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, "%q", r.URL.Query().Get("validationToken"))
		},
	}
	for name, h := range endpoints {
		t.Run(name, func(t *testing.T) {
			ts := httptest.NewServer(h)
			defer ts.Close()
			sub := e.inboxSubscription()
			sub.NotificationURL = ts.URL
			_, err := e.subs.Create(t.Context(), sub)
			var ge *api.GraphError
			require.ErrorAs(t, err, &ge)
			assert.Equal(t, http.StatusBadRequest, ge.StatusCode)
			assert.Equal(t, "ValidationError", ge.Code)
			assert.Contains(t, ge.Message, "Subscription validation request failed.")
			assert.ErrorIs(t, err, api.ErrBadRequest)
		})
	}
	t.Run("unreachable", func(t *testing.T) {
		sub := e.inboxSubscription()
		sub.NotificationURL = closed.URL
		_, err := e.subs.Create(t.Context(), sub)
		var ge *api.GraphError
		require.ErrorAs(t, err, &ge)
		assert.Equal(t, "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.", ge.Message)
	})
	t.Run("lifecycle endpoint is validated too", func(t *testing.T) {
		sub := e.inboxSubscription()
		sub.LifecycleNotificationURL = closed.URL
		_, err := e.subs.Create(t.Context(), sub)
		assert.ErrorIs(t, err, api.ErrBadRequest)
	})
	// No failed attempt left a subscription behind.
	for s, err := range e.subs.List(t.Context()) {
		require.NoError(t, err)
		t.Errorf("unexpected subscription %s", s.ID)
	}
}

func TestForgedNotificationIsDropped(t *testing.T) {
	e := newEnv(t)
	sub, err := e.subs.Create(t.Context(), e.inboxSubscription())
	require.NoError(t, err)

	// Someone who learned the URL and the subscription id, not the secret.
	forged := fmt.Sprintf(`{"value":[{"subscriptionId":%q,"clientState":"guessed","changeType":"deleted","resource":"Users/x/Messages/y","tenantId":%q}]}`,
		sub.ID, e.srv.TenantID())
	resp, err := http.Post(e.hook.ts.URL+"/notifications", "application/json", strings.NewReader(forged))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusAccepted, resp.StatusCode)
	assert.Empty(t, e.hook.Changes())
	require.Len(t, e.hook.Errs(), 1)
	assert.ErrorIs(t, e.hook.Errs()[0], notify.ErrClientState)

	// Graph's own notifications still get through.
	e.srv.PublishChange(e.adele.ID, "mailFolders/inbox/messages", "created", "real")
	waitDeliveries(t, e.srv, 1)
	require.Len(t, e.hook.Changes(), 1)
	assert.Equal(t, "real", e.hook.Changes()[0].ResourceData.ID)
}

func TestLifecycleNotifications(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	want := e.inboxSubscription()
	want.LifecycleNotificationURL = e.hook.ts.URL + "/lifecycle"
	sub, err := e.subs.Create(ctx, want)
	require.NoError(t, err)
	assert.Equal(t, want.LifecycleNotificationURL, sub.LifecycleNotificationURL)
	assert.Len(t, e.hook.Validations(), 2, "both endpoints are validated")

	require.NoError(t, e.srv.TriggerLifecycle(sub.ID, notify.ReauthorizationRequired))
	waitDeliveries(t, e.srv, 1)
	lc := e.hook.Lifecycles()
	require.Len(t, lc, 1)
	assert.Equal(t, notify.ReauthorizationRequired, lc[0].LifecycleEvent)
	assert.Equal(t, sub.ID, lc[0].SubscriptionID)
	assert.Equal(t, secret, lc[0].ClientState)
	assert.Empty(t, e.hook.Changes(), "lifecycle notifications never reach OnNotification")

	// Until reauthorized, changes are not delivered; afterwards they are.
	e.srv.PublishChange(e.adele.ID, "mailFolders/inbox/messages", "created", "while-paused")
	require.NoError(t, e.subs.Reauthorize(ctx, sub.ID))
	e.srv.PublishChange(e.adele.ID, "mailFolders/inbox/messages", "created", "after")
	log := waitDeliveries(t, e.srv, 2)
	require.Len(t, log, 2)
	require.Len(t, e.hook.Changes(), 1)
	assert.Equal(t, "after", e.hook.Changes()[0].ResourceData.ID)

	require.NoError(t, e.srv.TriggerLifecycle(sub.ID, notify.Missed))
	require.NoError(t, e.srv.TriggerLifecycle(sub.ID, notify.SubscriptionRemoved))
	waitDeliveries(t, e.srv, 4)
	lc = e.hook.Lifecycles()
	require.Len(t, lc, 3)
	assert.Equal(t, notify.Missed, lc[1].LifecycleEvent)
	assert.Equal(t, notify.SubscriptionRemoved, lc[2].LifecycleEvent)
	_, err = e.subs.Get(ctx, sub.ID)
	assert.ErrorIs(t, err, api.ErrNotFound, "a removed subscription is gone")
	assert.Error(t, e.srv.TriggerLifecycle(sub.ID, notify.Missed))
}

func TestCreateChecksInputBeforeSending(t *testing.T) {
	e := newEnv(t)
	good := e.inboxSubscription()
	cases := map[string]struct {
		edit func(*notify.Subscription)
		want string
	}{
		"no resource":       {func(s *notify.Subscription) { s.Resource = " " }, "Resource is empty"},
		"no change type":    {func(s *notify.Subscription) { s.ChangeType = "" }, "ChangeType is empty"},
		"unknown change":    {func(s *notify.Subscription) { s.ChangeType = "created,moved" }, `unknown change type "moved"`},
		"no URL":            {func(s *notify.Subscription) { s.NotificationURL = "" }, "NotificationURL is empty"},
		"relative URL":      {func(s *notify.Subscription) { s.NotificationURL = "/hook" }, "not an absolute https URL"},
		"ftp URL":           {func(s *notify.Subscription) { s.NotificationURL = "ftp://example.com/x" }, "not an absolute https URL"},
		"bad lifecycle URL": {func(s *notify.Subscription) { s.LifecycleNotificationURL = "::" }, "LifecycleNotificationURL is not a URL"},
		"no expiry":         {func(s *notify.Subscription) { s.ExpirationDateTime = time.Time{} }, "ExpirationDateTime is not set"},
		"expiry in past":    {func(s *notify.Subscription) { s.ExpirationDateTime = time.Now().Add(-time.Minute) }, "is in the past"},
		"long client state": {func(s *notify.Subscription) { s.ClientState = strings.Repeat("x", 129) }, "at most 128"},
		"bad TLS version":   {func(s *notify.Subscription) { s.LatestSupportedTLSVersion = "1.2" }, "LatestSupportedTLSVersion"},
		"resource data":     {func(s *notify.Subscription) { s.IncludeResourceData = true }, "EncryptionCertificate"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			sub := good
			tc.edit(&sub)
			_, err := e.subs.Create(t.Context(), sub)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	_, err := e.subs.Renew(t.Context(), "some-id", time.Now().Add(-time.Hour))
	assert.ErrorContains(t, err, "in the past")
	_, err = e.subs.Renew(t.Context(), "", time.Now().Add(time.Hour))
	assert.ErrorContains(t, err, "subscription id is empty")
	_, err = e.subs.Get(t.Context(), "")
	assert.ErrorContains(t, err, "subscription id is empty")
	assert.ErrorContains(t, e.subs.Delete(t.Context(), " "), "subscription id is empty")
	assert.ErrorContains(t, e.subs.Reauthorize(t.Context(), ""), "subscription id is empty")
	for _, r := range e.srv.Requests() {
		assert.NotContains(t, r.Path, "subscriptions", "bad input never reaches Graph")
	}
	assert.Empty(t, e.hook.Validations())
}

func TestCreateNormalizesChangeTypes(t *testing.T) {
	e := newEnv(t)
	sub := e.inboxSubscription()
	sub.ChangeType = " created , updated,created "
	sub.ExpirationDateTime = sub.ExpirationDateTime.In(time.FixedZone("CEST", 2*3600))
	got, err := e.subs.Create(t.Context(), sub)
	require.NoError(t, err)
	assert.Equal(t, "created,updated", got.ChangeType)
	assert.Equal(t, time.UTC, got.ExpirationDateTime.Location())
}

func TestExpiryLimits(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	sub := e.inboxSubscription()
	sub.ExpirationDateTime = time.Now().Add(notify.MaxOutlookLifetime + time.Hour)
	_, err := e.subs.Create(ctx, sub)
	var ge *api.GraphError
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, http.StatusBadRequest, ge.StatusCode)
	assert.Equal(t, "ExtensionError", ge.Code)
	assert.Equal(t, "Subscription expiration can only be 10070 minutes in the future.", ge.Message)

	sub.ExpirationDateTime = time.Now().Add(notify.MaxLifetime(sub.Resource) - time.Minute)
	created, err := e.subs.Create(ctx, sub)
	require.NoError(t, err)
	_, err = e.subs.Renew(ctx, created.ID, time.Now().Add(8*24*time.Hour))
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, "ExtensionError", ge.Code)

	// A drive root lasts longer, and supports updated only.
	drive := notify.Subscription{
		Resource:           "me/drive/root",
		ChangeType:         notify.Updated,
		NotificationURL:    e.hook.ts.URL,
		ExpirationDateTime: time.Now().Add(notify.MaxDriveLifetime - time.Minute),
		ClientState:        secret,
	}
	_, err = e.subs.Create(ctx, drive)
	require.NoError(t, err)
	drive.ChangeType = "created,updated"
	_, err = e.subs.Create(ctx, drive)
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, "InvalidRequest", ge.Code)
	assert.Contains(t, ge.Message, "only 'updated'")
}

func TestDriveEventsAndContactsSubscriptions(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	exp := time.Now().Add(24 * time.Hour)
	mk := func(resource, ct string) *notify.Subscription {
		s, err := e.subs.Create(ctx, notify.Subscription{Resource: resource, ChangeType: ct, NotificationURL: e.hook.ts.URL, ExpirationDateTime: exp, ClientState: secret})
		require.NoError(t, err, resource)
		return s
	}
	drive := mk("me/drive/root", "updated")
	events := mk("/me/events", "created,updated,deleted")
	contacts := mk("users/"+adeleUPN+"/contacts", "deleted")

	e.srv.PublishChange(e.adele.ID, "drive", "created", "01BYE5RZ")
	e.srv.PublishChange(e.adele.ID, "calendars/cal-1/events", "deleted", "evt-1")
	e.srv.PublishChange(e.adele.ID, "contactFolders/f-1/contacts", "deleted", "ct-1")
	waitDeliveries(t, e.srv, 3)
	byID := map[string]notify.Notification{}
	for _, n := range e.hook.Changes() {
		byID[n.SubscriptionID] = n
	}
	require.Len(t, byID, 3)
	d := byID[drive.ID]
	assert.Equal(t, "updated", d.ChangeType, "a drive root notifies every change as updated")
	assert.Equal(t, "me/drive/root", d.Resource)
	assert.Nil(t, d.ResourceData, "fetch drive changes with a delta query")
	assert.Equal(t, "Users/"+e.adele.ID+"/Events/evt-1", byID[events.ID].Resource)
	assert.Equal(t, "#Microsoft.Graph.Event", byID[events.ID].ResourceData.ODataType)
	assert.Equal(t, "#Microsoft.Graph.Contact", byID[contacts.ID].ResourceData.ODataType)
}

func TestAppOnlySubscriptions(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	app := o365test.SignInApp(t, e.srv, notifyScopes)
	appSubs := app.Subscriptions()
	sub := notify.Subscription{
		Resource:           "users/" + e.alex.ID + "/events",
		ChangeType:         "created",
		NotificationURL:    e.hook.ts.URL,
		ExpirationDateTime: time.Now().Add(time.Hour),
		ClientState:        secret,
	}
	created, err := appSubs.Create(ctx, sub)
	require.NoError(t, err)
	assert.Equal(t, clientID, created.CreatorID, "the emulator names the app, where Graph names its service principal")

	// An app-only caller has no "me".
	sub.Resource = "me/events"
	_, err = appSubs.Create(ctx, sub)
	assert.ErrorIs(t, err, api.ErrBadRequest)

	// Adele may not watch Alex's calendar, nor see the app's subscription.
	sub.Resource = "users/" + alexUPN + "/events"
	_, err = e.subs.Create(ctx, sub)
	assert.ErrorIs(t, err, api.ErrForbidden)
	for s, err := range e.subs.List(ctx) {
		require.NoError(t, err)
		t.Errorf("Adele sees %s", s.ID)
	}
	_, err = e.subs.Get(ctx, created.ID)
	assert.ErrorIs(t, err, api.ErrNotFound)

	n := 0
	for s, err := range appSubs.List(ctx, o365.Limit(10)) {
		require.NoError(t, err)
		assert.Equal(t, created.ID, s.ID)
		n++
	}
	assert.Equal(t, 1, n)

	e.srv.PublishChange(e.alex.ID, "calendars/c/events", "created", "standup")
	waitDeliveries(t, e.srv, 1)
	require.Len(t, e.hook.Changes(), 1)
	assert.Equal(t, "Users/"+e.alex.ID+"/Events/standup", e.hook.Changes()[0].Resource)
}

func TestUnsupportedResource(t *testing.T) {
	e := newEnv(t)
	sub := e.inboxSubscription()
	sub.Resource = "me/todo/lists"
	_, err := e.subs.Create(t.Context(), sub)
	var ge *api.GraphError
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, "InvalidRequest", ge.Code)
	assert.Contains(t, ge.Message, "me/todo/lists")
}

func TestNotificationCallbackFailureIsLogged(t *testing.T) {
	e := newEnv(t)
	e.hook.handler.OnNotification = func(context.Context, notify.Notification) error { return errors.New("disk full") }
	_, err := e.subs.Create(t.Context(), e.inboxSubscription())
	require.NoError(t, err)
	e.srv.PublishChange(e.adele.ID, "mailFolders/inbox/messages", "created", "m")
	log := waitDeliveries(t, e.srv, 1)
	assert.Equal(t, http.StatusInternalServerError, log[0].Status, "Graph sees a 5xx and would resend")
	require.Len(t, e.hook.Errs(), 1)
	assert.ErrorContains(t, e.hook.Errs()[0], "disk full")
}

func TestMaxLifetime(t *testing.T) {
	cases := map[string]time.Duration{
		"me/mailFolders('Inbox')/messages": notify.MaxOutlookLifetime,
		"/users/{id}/messages":             notify.MaxOutlookLifetime,
		"me/events":                        notify.MaxOutlookLifetime,
		"me/contacts":                      notify.MaxOutlookLifetime,
		"me/drive/root":                    notify.MaxDriveLifetime,
		"drives/b!x/root":                  notify.MaxDriveLifetime,
		"sites/s/lists/l":                  notify.MaxDriveLifetime,
		"users":                            notify.MaxDirectoryLifetime,
		"groups/g":                         notify.MaxDirectoryLifetime,
		"communications/presences/x":       0,
		"":                                 0,
	}
	for res, want := range cases {
		assert.Equal(t, want, notify.MaxLifetime(res), res)
	}
	assert.Equal(t, 10070*time.Minute, notify.MaxOutlookLifetime)
	assert.Equal(t, 42300*time.Minute, notify.MaxDriveLifetime)
}
