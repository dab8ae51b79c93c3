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
	"sync"
	"testing"
	"time"

	"github.com/go-o365/o365/notify"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const secret = "s3cret-CLIENT-state-zz9"

// recorder collects what a Handler hands out.
type recorder struct {
	mu         sync.Mutex
	changes    []notify.Notification
	lifecycles []notify.Notification
	errs       []error
}

func (r *recorder) handler() *notify.Handler {
	return &notify.Handler{
		ClientStates: []string{secret},
		OnNotification: func(_ context.Context, n notify.Notification) error {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.changes = append(r.changes, n)
			return nil
		},
		OnLifecycle: func(_ context.Context, n notify.Notification) error {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.lifecycles = append(r.lifecycles, n)
			return nil
		},
		OnError: func(_ context.Context, err error) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.errs = append(r.errs, err)
		},
	}
}

// serve sends one request to h and returns the answer.
func serve(h http.Handler, method, target, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func notification(clientState, changeType string) string {
	return fmt.Sprintf(`{"subscriptionId":"sub-1","subscriptionExpirationDateTime":"2030-01-02T03:04:05.0000000Z",`+
		`"clientState":%q,"changeType":%q,"resource":"Users/u1/Messages/m1","tenantId":"t1",`+
		`"resourceData":{"@odata.type":"#Microsoft.Graph.Message","@odata.id":"Users/u1/Messages/m1","@odata.etag":"W/\"x\"","id":"m1"}}`,
		clientState, changeType)
}

func collection(items ...string) string { return `{"value":[` + strings.Join(items, ",") + `]}` }

func TestHandlerValidationHandshake(t *testing.T) {
	var rec recorder
	h := rec.handler()
	// Graph's tokens hold spaces and colons; the echo is URL-decoded.
	token := "Validation: Testing client application reachability for subscription Request-Id: 3b3c4d5e"
	w := serve(h, http.MethodPost, "/hook?validationToken="+url.QueryEscape(token), "")
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "text/plain; charset=utf-8", w.Header().Get("Content-Type"))
	assert.Equal(t, "nosniff", w.Header().Get("X-Content-Type-Options"))
	assert.Equal(t, token, w.Body.String())

	// %20 spelling too, and a body is never read or delivered.
	w = serve(h, http.MethodPost, "/hook?validationToken=a%20b%3Ac", collection(notification(secret, "created")))
	assert.Equal(t, "a b:c", w.Body.String())
	assert.Empty(t, rec.changes)
	assert.Empty(t, rec.errs)
}

func TestHandlerDeliversAuthenticNotifications(t *testing.T) {
	var rec recorder
	w := serve(rec.handler(), http.MethodPost, "/hook", collection(notification(secret, "created"), notification(secret, "updated")))
	require.Equal(t, http.StatusAccepted, w.Code)
	require.Len(t, rec.changes, 2)
	n := rec.changes[0]
	assert.Equal(t, "sub-1", n.SubscriptionID)
	assert.Equal(t, "created", n.ChangeType)
	assert.Equal(t, "updated", rec.changes[1].ChangeType)
	assert.Equal(t, "Users/u1/Messages/m1", n.Resource)
	assert.Equal(t, "t1", n.TenantID)
	assert.Equal(t, time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), n.SubscriptionExpirationDateTime)
	require.NotNil(t, n.ResourceData)
	assert.Equal(t, notify.ResourceData{ODataType: "#Microsoft.Graph.Message", ODataID: "Users/u1/Messages/m1", ODataEtag: `W/"x"`, ID: "m1"}, *n.ResourceData)
	assert.Empty(t, rec.errs)
}

func TestHandlerDropsWrongClientState(t *testing.T) {
	var rec recorder
	forged := notification("guess", "created")
	w := serve(rec.handler(), http.MethodPost, "/hook", collection(forged, notification(secret, "updated"), notification("", "deleted")))
	// The batch is acknowledged: sending forged notifications again
	// would not make them authentic.
	assert.Equal(t, http.StatusAccepted, w.Code)
	require.Len(t, rec.changes, 1, "only the authentic notification is delivered")
	assert.Equal(t, "updated", rec.changes[0].ChangeType)
	require.Len(t, rec.errs, 2)
	for _, err := range rec.errs {
		assert.ErrorIs(t, err, notify.ErrClientState)
		assert.Contains(t, err.Error(), `"sub-1"`)
		assert.NotContains(t, err.Error(), secret)
		assert.NotContains(t, err.Error(), "guess")
	}
}

func TestHandlerEmptySecretNeverMatches(t *testing.T) {
	var rec recorder
	h := rec.handler()
	h.ClientStates = []string{""}
	serve(h, http.MethodPost, "/hook", collection(notification("", "created")))
	assert.Empty(t, rec.changes)
	require.Len(t, rec.errs, 1)
	assert.ErrorIs(t, rec.errs[0], notify.ErrClientState)
}

func TestHandlerSecretRotationAndPerSubscriptionSecrets(t *testing.T) {
	var rec recorder
	h := rec.handler()
	h.ClientStates = []string{"old-secret", "new-secret"}
	serve(h, http.MethodPost, "/hook", collection(notification("old-secret", "created"), notification("new-secret", "created")))
	assert.Len(t, rec.changes, 2)

	rec = recorder{}
	h = rec.handler()
	h.ClientStates = nil
	h.ClientStateFor = func(id string) (string, bool) {
		if id == "sub-1" {
			return "per-sub", true
		}
		return "", false
	}
	other := strings.Replace(notification("per-sub", "created"), `"sub-1"`, `"sub-2"`, 1)
	serve(h, http.MethodPost, "/hook", collection(notification("per-sub", "created"), other))
	require.Len(t, rec.changes, 1)
	assert.Equal(t, "sub-1", rec.changes[0].SubscriptionID)
	require.Len(t, rec.errs, 1, "sub-2's secret is unknown")
	assert.ErrorIs(t, rec.errs[0], notify.ErrClientState)
}

func TestHandlerRoutesLifecycleNotifications(t *testing.T) {
	for _, event := range []string{notify.ReauthorizationRequired, notify.SubscriptionRemoved, notify.Missed} {
		t.Run(event, func(t *testing.T) {
			var rec recorder
			body := collection(fmt.Sprintf(`{"subscriptionId":"sub-1","subscriptionExpirationDateTime":"2030-01-01T00:00:00Z","tenantId":"t1","clientState":%q,"lifecycleEvent":%q}`, secret, event))
			w := serve(rec.handler(), http.MethodPost, "/lifecycle", body)
			assert.Equal(t, http.StatusAccepted, w.Code)
			assert.Empty(t, rec.changes)
			require.Len(t, rec.lifecycles, 1)
			assert.Equal(t, event, rec.lifecycles[0].LifecycleEvent)
			assert.Nil(t, rec.lifecycles[0].ResourceData)
		})
	}
	// Forged lifecycle notifications are dropped like forged changes.
	var rec recorder
	serve(rec.handler(), http.MethodPost, "/lifecycle", collection(`{"subscriptionId":"sub-1","clientState":"nope","lifecycleEvent":"subscriptionRemoved"}`))
	assert.Empty(t, rec.lifecycles)
	require.Len(t, rec.errs, 1)
	assert.ErrorIs(t, rec.errs[0], notify.ErrClientState)
}

func TestHandlerWithoutLifecycleCallback(t *testing.T) {
	var rec recorder
	h := rec.handler()
	h.OnLifecycle = nil
	w := serve(h, http.MethodPost, "/hook", collection(fmt.Sprintf(`{"subscriptionId":"s","clientState":%q,"lifecycleEvent":"missed"}`, secret)))
	assert.Equal(t, http.StatusAccepted, w.Code)
	assert.Empty(t, rec.changes, "a lifecycle notification never reaches OnNotification")
	require.Len(t, rec.errs, 1)
	assert.ErrorIs(t, rec.errs[0], notify.ErrNoCallback)
}

func TestHandlerRejectsBadRequests(t *testing.T) {
	cases := []struct {
		name, method, body string
		status             int
	}{
		{"GET", http.MethodGet, "", http.StatusMethodNotAllowed},
		{"PUT", http.MethodPut, collection(notification(secret, "created")), http.StatusMethodNotAllowed},
		{"malformed JSON", http.MethodPost, `{"value":[{"subscriptionId":`, http.StatusBadRequest},
		{"empty body", http.MethodPost, "", http.StatusBadRequest},
		{"HTML", http.MethodPost, "<html>hello</html>", http.StatusBadRequest},
		{"no value", http.MethodPost, `{}`, http.StatusBadRequest},
		{"value not an array", http.MethodPost, `{"value":{"subscriptionId":"x"}}`, http.StatusBadRequest},
		{"array", http.MethodPost, `[]`, http.StatusBadRequest},
		{"wrong type", http.MethodPost, `{"value":[{"subscriptionId":42}]}`, http.StatusBadRequest},
		{"bad time", http.MethodPost, `{"value":[{"subscriptionExpirationDateTime":"tomorrow"}]}`, http.StatusBadRequest},
		{"trailing data", http.MethodPost, `{"value":[]} {"value":[]}`, http.StatusBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var rec recorder
			w := serve(rec.handler(), tc.method, "/hook", tc.body)
			assert.Equal(t, tc.status, w.Code)
			assert.Empty(t, rec.changes)
			if tc.status == http.StatusMethodNotAllowed {
				assert.Equal(t, http.MethodPost, w.Header().Get("Allow"))
			} else {
				assert.Len(t, rec.errs, 1, "the malformed body is reported")
			}
		})
	}
	// A validation request must be a POST too.
	var rec recorder
	assert.Equal(t, http.StatusMethodNotAllowed, serve(rec.handler(), http.MethodGet, "/hook?validationToken=x", "").Code)
}

func TestHandlerCapsBody(t *testing.T) {
	var rec recorder
	h := rec.handler()
	h.MaxBodyBytes = 1024
	big := collection(notification(secret, "created"), `{"resource":"`+strings.Repeat("x", 2048)+`"}`)
	w := serve(h, http.MethodPost, "/hook", big)
	assert.Equal(t, http.StatusRequestEntityTooLarge, w.Code)
	assert.Empty(t, rec.changes, "nothing of an oversized batch is delivered")
	require.Len(t, rec.errs, 1)

	// The same batch fits the default cap.
	h.MaxBodyBytes = 0
	assert.Equal(t, http.StatusAccepted, serve(h, http.MethodPost, "/hook", big).Code)
}

func TestHandlerCallbackErrorAsksForResend(t *testing.T) {
	var rec recorder
	h := rec.handler()
	var calls int
	h.OnNotification = func(context.Context, notify.Notification) error {
		calls++
		if calls == 1 {
			return errors.New("database down")
		}
		return nil
	}
	w := serve(h, http.MethodPost, "/hook", collection(notification(secret, "created"), notification(secret, "updated")))
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	assert.Equal(t, 2, calls, "the rest of the batch is still processed")
	require.Len(t, rec.errs, 1)
	assert.ErrorContains(t, rec.errs[0], "database down")
}

func TestEnqueueHandsOffToWorkers(t *testing.T) {
	ch := make(chan notify.Notification, 1)
	var rec recorder
	h := rec.handler()
	h.OnNotification = notify.Enqueue(ch)

	w := serve(h, http.MethodPost, "/hook", collection(notification(secret, "created")))
	assert.Equal(t, http.StatusAccepted, w.Code)
	n := <-ch
	assert.Equal(t, "created", n.ChangeType)

	// A full queue makes Graph send the batch again later.
	w = serve(h, http.MethodPost, "/hook", collection(notification(secret, "created"), notification(secret, "updated")))
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
	assert.Len(t, ch, 1)
	require.Len(t, rec.errs, 1)
	assert.ErrorIs(t, rec.errs[0], notify.ErrQueueFull)
}

func TestHandlerOverHTTP(t *testing.T) {
	// A real server in front of the handler: the handshake as a client
	// sees it, including the body of an answer to a validation request.
	var rec recorder
	ts := httptest.NewServer(rec.handler())
	defer ts.Close()
	resp, err := http.Post(ts.URL+"/?validationToken="+url.QueryEscape("tok en+/?&="), "text/plain", nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "tok en+/?&=", string(body))
}
