package notify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/notify"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

// example is one entry of testdata/examples.json (Microsoft's docs).
type example struct {
	ID           string          `json:"id"`
	Method       string          `json:"method"`
	RequestBody  json.RawMessage `json:"request_body"`
	Status       int             `json:"status"`
	ResponseBody json.RawMessage `json:"response_body"`
	Body         json.RawMessage `json:"body"`
}

func loadExample(t testing.TB, id string) example {
	t.Helper()
	raw, err := os.ReadFile("testdata/examples.json")
	require.NoError(t, err)
	var doc struct {
		Examples []example `json:"examples"`
	}
	require.NoError(t, json.Unmarshal(raw, &doc))
	for _, e := range doc.Examples {
		if e.ID == id {
			return e
		}
	}
	t.Fatalf("no example %q", id)
	return example{}
}

// wireServer answers every request with status and body, recording the
// requests' method, path and body.
type wireServer struct {
	*httptest.Server
	mu     sync.Mutex
	method string
	path   string
	body   []byte
}

func newWireServer(t *testing.T, status int, body []byte) *wireServer {
	ws := &wireServer{}
	ws.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		ws.mu.Lock()
		ws.method, ws.path, ws.body = r.Method, r.URL.Path, b
		ws.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	t.Cleanup(ws.Close)
	return ws
}

// subscriptionsAt builds Subscriptions talking to url with a fixed token.
func subscriptionsAt(url string) *notify.Subscriptions {
	acct := o365.NewAccount(o365.Credentials{ClientID: "app"},
		o365.WithCloud(o365.Cloud{Login: url, Graph: url}),
		o365.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "tok", Expiry: time.Now().Add(time.Hour)})))
	return acct.Subscriptions()
}

// asMap decodes JSON for comparison.
func asMap(t *testing.T, raw []byte) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m))
	return m
}

// TestCreateWireFormat sends the requests of Microsoft's examples and
// compares the bodies on the wire with theirs. The expiry is moved to the
// future (Create refuses past ones) and compared as a time.
func TestCreateWireFormat(t *testing.T) {
	for _, id := range []string{
		"subscription-post-subscriptions#1",
		"change-notifications-subscriptions-example",
		"change-notifications-lifecycle-notifications-lifecycleNotificationUrl",
	} {
		t.Run(id, func(t *testing.T) {
			ex := loadExample(t, id)
			resp := ex.ResponseBody
			if resp == nil {
				resp = ex.RequestBody
			}
			ws := newWireServer(t, http.StatusCreated, resp)
			var sub notify.Subscription
			require.NoError(t, json.Unmarshal(ex.RequestBody, &sub))
			expiry := time.Now().Add(time.Hour).Truncate(time.Millisecond)
			sub.ExpirationDateTime = expiry

			_, err := subscriptionsAt(ws.URL).Create(context.Background(), sub)
			require.NoError(t, err)
			assert.Equal(t, ex.Method, ws.method)
			assert.Equal(t, "/v1.0/subscriptions", ws.path)
			got, want := asMap(t, ws.body), asMap(t, ex.RequestBody)
			sent, err := time.Parse(time.RFC3339Nano, got["expirationDateTime"].(string))
			require.NoError(t, err)
			assert.True(t, expiry.Equal(sent))
			assert.Equal(t, "Z", sent.Format("Z07:00"), "the expiry is sent in UTC")
			delete(got, "expirationDateTime")
			delete(want, "expirationDateTime")
			assert.Equal(t, want, got)
		})
	}
}

// TestCreateDecodesMicrosoftResponse decodes the response of Microsoft's
// create example, 7-digit fractions of a second included.
func TestCreateDecodesMicrosoftResponse(t *testing.T) {
	ex := loadExample(t, "subscription-post-subscriptions#1")
	ws := newWireServer(t, ex.Status, ex.ResponseBody)
	var sub notify.Subscription
	require.NoError(t, json.Unmarshal(ex.RequestBody, &sub))
	sub.ExpirationDateTime = time.Now().Add(time.Hour)
	got, err := subscriptionsAt(ws.URL).Create(context.Background(), sub)
	require.NoError(t, err)
	assert.Equal(t, &notify.Subscription{
		ID:                        "7f105c7d-2dc5-4530-97cd-4e7ae6534c07",
		Resource:                  "me/mailFolders('Inbox')/messages",
		ApplicationID:             "24d3b144-21ae-4080-943f-7067b395b913",
		ChangeType:                "created",
		ClientState:               "secretClientValue",
		NotificationURL:           "https://webhook.azurewebsites.net/api/send/myNotifyClient",
		ExpirationDateTime:        time.Date(2016, 11, 20, 18, 23, 45, 935691300, time.UTC),
		CreatorID:                 "8ee44408-0679-472c-bc2a-692812af3437",
		LatestSupportedTLSVersion: "v1_2",
	}, got)
}

func TestRenewWireFormat(t *testing.T) {
	ex := loadExample(t, "change-notifications-subscriptions-example-renewal")
	created := loadExample(t, "subscription-post-subscriptions#1")
	ws := newWireServer(t, http.StatusOK, created.ResponseBody)
	expiry := time.Date(2099, 3, 22, 11, 0, 0, 0, time.UTC)
	_, err := subscriptionsAt(ws.URL).Renew(context.Background(), "7f105c7d/x", expiry)
	require.NoError(t, err)
	assert.Equal(t, ex.Method, ws.method)
	assert.Equal(t, "/v1.0/subscriptions/7f105c7d/x", ws.path, "the id is one escaped path segment")
	got := asMap(t, ws.body)
	assert.Len(t, got, len(asMap(t, ex.RequestBody)), "only the expiry is sent, as in the example")
	sent, err := time.Parse(time.RFC3339Nano, got["expirationDateTime"].(string))
	require.NoError(t, err)
	assert.True(t, expiry.Equal(sent))
}

func TestDecodeMicrosoftNotifications(t *testing.T) {
	notes, err := notify.Decode(bytes.NewReader(loadExample(t, "change-notification-example").Body))
	require.NoError(t, err)
	require.Len(t, notes, 1)
	assert.Equal(t, notify.Notification{
		ID:                             "lsgTZMr9KwAAA",
		SubscriptionID:                 "{subscription_guid}",
		SubscriptionExpirationDateTime: time.Date(2016, 3, 19, 22, 11, 9, 952000000, time.UTC),
		ClientState:                    "secretClientValue",
		ChangeType:                     "created",
		Resource:                       "users/{user_guid}@{tenant_guid}/messages/{long_id_string}",
		TenantID:                       "84bd8158-6d4d-4958-8b9f-9d6445542f95",
		ResourceData: &notify.ResourceData{
			ODataType: "#Microsoft.Graph.Message",
			ODataID:   "Users/{user_guid}@{tenant_guid}/Messages/{long_id_string}",
			ODataEtag: `W/"CQAAABYAAADkrWGo7bouTKlsgTZMr9KwAAAUWRHf"`,
			ID:        "{long_id_string}",
		},
	}, notes[0])

	notes, err = notify.Decode(bytes.NewReader(loadExample(t, "lifecycle-notification-structure").Body))
	require.NoError(t, err)
	require.Len(t, notes, 1)
	assert.Equal(t, "<subscription_guid>", notes[0].SubscriptionID)
	assert.Equal(t, "<secretClientState>", notes[0].ClientState)
	assert.Equal(t, "<tenant_guid>", notes[0].TenantID)
	assert.Equal(t, time.Date(2019, 3, 20, 11, 0, 0, 0, time.UTC), notes[0].SubscriptionExpirationDateTime)
	assert.NotEmpty(t, notes[0].LifecycleEvent)
	assert.Nil(t, notes[0].ResourceData)
}

// TestHandlerAcceptsMicrosoftPayloads serves Microsoft's payloads to a
// Handler expecting their secrets.
func TestHandlerAcceptsMicrosoftPayloads(t *testing.T) {
	var changes, lifecycles int
	h := &notify.Handler{
		ClientStates:   []string{"secretClientValue", "<secretClientState>"},
		OnNotification: func(context.Context, notify.Notification) error { changes++; return nil },
		OnLifecycle:    func(context.Context, notify.Notification) error { lifecycles++; return nil },
	}
	for _, id := range []string{"change-notification-example", "lifecycle-notification-structure"} {
		w := serve(h, http.MethodPost, "/hook", string(loadExample(t, id).Body))
		assert.Equal(t, http.StatusAccepted, w.Code, id)
	}
	assert.Equal(t, 1, changes)
	assert.Equal(t, 1, lifecycles)
}
