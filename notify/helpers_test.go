package notify_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/notify"
	"github.com/stretchr/testify/require"
)

const (
	clientID = o365test.ClientID
	adeleUPN = "AdeleV@contoso.onmicrosoft.com"
	alexUPN  = "AlexW@contoso.onmicrosoft.com"
	password = "adele-PASSWORD-zz9"
)

// env is an emulated tenant with Adele signed in, and a webhook endpoint.
type env struct {
	srv   *graphtest.Server
	acct  *o365.Account // Adele, delegated
	subs  *notify.Subscriptions
	adele graphtest.User
	alex  graphtest.User
	hook  *hook
}

func newEnv(t *testing.T) *env {
	t.Helper()
	srv := o365test.NewServer(t)
	e := &env{srv: srv}
	e.adele = srv.AddUser(graphtest.User{UserPrincipalName: adeleUPN, DisplayName: "Adele Vance", Password: password})
	e.alex = srv.AddUser(graphtest.User{UserPrincipalName: alexUPN, DisplayName: "Alex Wilber", Password: "alex-pw"})
	e.acct = signIn(t, srv, adeleUPN, password)
	e.subs = e.acct.Subscriptions()
	e.hook = newHook(t)
	return e
}

// notifyScopes are the scopes of every area that has notifications.
var notifyScopes = o365.WithScopes("basic", "message_all", "calendar", "address_book_all", "onedrive")

// signIn authenticates upn against srv.
func signIn(t *testing.T, srv *graphtest.Server, upn, password string) *o365.Account {
	t.Helper()
	return o365test.SignIn(t, srv, upn, password, notifyScopes)
}

// hook is a webhook endpoint serving a real notify.Handler, recording what
// it hands out. Callbacks run before the Handler answers, and graphtest
// logs a delivery after the answer, so once Server.WaitDeliveries returns
// the callbacks have run.
type hook struct {
	recorder // its mutex also guards validations and posts
	ts       *httptest.Server
	handler  *notify.Handler

	validations []string // raw query strings of validation requests
	posts       []string // raw query strings of notification posts
}

func newHook(t *testing.T) *hook {
	h := &hook{}
	h.handler = h.recorder.handler()
	h.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		if r.URL.Query().Has("validationToken") {
			h.validations = append(h.validations, r.URL.RawQuery)
		} else {
			h.posts = append(h.posts, r.URL.RawQuery)
		}
		h.mu.Unlock()
		h.handler.ServeHTTP(w, r)
	}))
	t.Cleanup(h.ts.Close)
	return h
}

// Changes returns the change notifications handed out so far.
func (r *recorder) Changes() []notify.Notification {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]notify.Notification(nil), r.changes...)
}

// Lifecycles returns the lifecycle notifications handed out so far.
func (r *recorder) Lifecycles() []notify.Notification {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]notify.Notification(nil), r.lifecycles...)
}

// Errs returns the errors reported so far.
func (r *recorder) Errs() []error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]error(nil), r.errs...)
}

func (h *hook) Validations() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.validations...)
}

func (h *hook) Posts() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.posts...)
}

// waitDeliveries waits until graphtest has posted n notifications in all.
func waitDeliveries(t *testing.T, srv *graphtest.Server, n int) []graphtest.Delivery {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	log, err := srv.WaitDeliveries(ctx, n)
	require.NoError(t, err, "graphtest posted %d notifications, want %d", len(log), n)
	return log
}

// inboxSubscription is a subscription on Adele's Inbox.
func (e *env) inboxSubscription() notify.Subscription {
	return notify.Subscription{
		Resource:           "me/mailFolders('Inbox')/messages",
		ChangeType:         "created,updated",
		NotificationURL:    e.hook.ts.URL + "/notifications",
		ExpirationDateTime: time.Now().Add(48 * time.Hour).Truncate(time.Second),
		ClientState:        secret,
	}
}
