package notify

import (
	"bytes"
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/go-o365/o365/api"
)

// Notification is one change notification, or one lifecycle notification
// when LifecycleEvent is set (Graph's changeNotification resource).
type Notification struct {
	// ID is Graph's id of the notification, when it sends one.
	ID string `json:"id,omitempty"`
	// SubscriptionID is the subscription the notification belongs to.
	SubscriptionID string `json:"subscriptionId"`
	// SubscriptionExpirationDateTime is when that subscription expires,
	// a reminder to renew it in time.
	SubscriptionExpirationDateTime time.Time `json:"subscriptionExpirationDateTime,omitzero"`
	// ClientState is the subscription's secret as Graph sent it back.
	// Handler delivers only notifications whose ClientState it expects.
	ClientState string `json:"clientState,omitempty"`
	// ChangeType is "created", "updated" or "deleted"; empty in
	// lifecycle notifications.
	ChangeType string `json:"changeType,omitempty"`
	// Resource is the path of the changed item, relative to the API
	// root, e.g. "Users/{user-id}/Messages/{message-id}". For a drive
	// root subscription it is the watched path: fetch the changes with a
	// delta query.
	Resource string `json:"resource,omitempty"`
	// ResourceData identifies the changed item; nil when Graph sends
	// none (drive items, lifecycle notifications).
	ResourceData *ResourceData `json:"resourceData,omitempty"`
	// TenantID is the directory the change happened in.
	TenantID string `json:"tenantId,omitempty"`
	// LifecycleEvent is ReauthorizationRequired, SubscriptionRemoved or
	// Missed in a lifecycle notification, empty in a change notification.
	LifecycleEvent string `json:"lifecycleEvent,omitempty"`
}

// ResourceData identifies the item a change notification is about.
type ResourceData struct {
	ODataType string `json:"@odata.type,omitempty"` // e.g. "#Microsoft.Graph.Message"
	ODataID   string `json:"@odata.id,omitempty"`   // the item's path
	ODataEtag string `json:"@odata.etag,omitempty"` // its version after the change
	ID        string `json:"id,omitempty"`          // its id
}

// Lifecycle events Graph sends to a subscription's
// LifecycleNotificationURL.
const (
	// ReauthorizationRequired asks the app to call Reauthorize or Renew,
	// with a valid token, before notifications pause.
	ReauthorizationRequired = "reauthorizationRequired"
	// SubscriptionRemoved says Graph deleted the subscription: create a
	// new one and resynchronise (delta query) what changed meanwhile.
	SubscriptionRemoved = "subscriptionRemoved"
	// Missed says some notifications were not delivered: resynchronise.
	Missed = "missed"
)

// Errors a Handler reports through OnError.
var (
	// ErrClientState is the cause when a notification's clientState is
	// not one the Handler expects: it was not sent by Graph for one of
	// your subscriptions, and was dropped.
	ErrClientState = errors.New("notify: clientState does not match")
	// ErrNoCallback is the cause when a lifecycle notification arrives
	// and OnLifecycle is nil (or a change notification and
	// OnNotification is nil); it was dropped.
	ErrNoCallback = errors.New("notify: no callback for this kind of notification")
	// ErrQueueFull is what the callback made by Enqueue returns when its
	// channel has no room: the Handler answers 503 and Graph resends.
	ErrQueueFull = errors.New("notify: notification queue is full")
)

// DefaultMaxBodyBytes caps a notification request's body when
// Handler.MaxBodyBytes is zero.
const DefaultMaxBodyBytes = 4 << 20

// Handler is the http.Handler at a subscription's NotificationURL (and
// LifecycleNotificationURL; one Handler can serve both).
//
// It answers Graph's validation request (a POST with ?validationToken=…)
// with 200 and the token as text/plain, and does nothing else with it.
// Every other POST must carry a notification collection
// ({"value":[…]}): notifications whose clientState matches an expected
// secret go to OnNotification, or to OnLifecycle when they carry a
// lifecycleEvent; the rest are dropped and reported to OnError. The
// answer is 202 Accepted once every callback has returned; 500 when one
// failed (503 for ErrQueueFull), so Graph sends the batch again; 400 for
// a body that is not a notification collection; 413 for one larger than
// MaxBodyBytes; 405 for any method but POST.
//
// Graph waits 3 seconds for the answer; an endpoint that is often slower
// gets its notifications delayed and then dropped. Callbacks therefore
// run inside the request only when they are fast (an insert into a
// database, a send on a channel). For anything slower, hand notifications
// to workers with Enqueue. Graph may deliver a notification more than
// once (and resends a whole batch after a 5xx), so process them
// idempotently.
//
// A Handler must not be changed while it serves requests.
type Handler struct {
	// ClientStates are the secrets expected in notifications: a
	// notification is delivered when its clientState equals one of them.
	// List two while rotating a secret. Empty strings never match.
	ClientStates []string
	// ClientStateFor, when set, returns the secret of one subscription,
	// for apps that give each subscription its own; a notification is
	// delivered when its clientState matches this or one of
	// ClientStates.
	ClientStateFor func(subscriptionID string) (secret string, ok bool)
	// OnNotification receives each authentic change notification, with
	// the request's context. An error makes the Handler answer 500.
	OnNotification func(ctx context.Context, n Notification) error
	// OnLifecycle receives each authentic lifecycle notification. When
	// nil, lifecycle notifications are dropped and reported to OnError.
	OnLifecycle func(ctx context.Context, n Notification) error
	// OnError, when set, is told about everything that was not
	// delivered: malformed bodies, notifications with a wrong clientState
	// (ErrClientState), notifications without a callback
	// (ErrNoCallback), and callback errors. Errors never contain the
	// secrets.
	OnError func(ctx context.Context, err error)
	// MaxBodyBytes caps the request body; DefaultMaxBodyBytes when zero.
	MaxBodyBytes int64
}

// ServeHTTP answers Graph's validation requests and notification posts.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed: Microsoft Graph notifications are POSTed", http.StatusMethodNotAllowed)
		return
	}
	ctx := r.Context()
	if q := r.URL.Query(); q.Has("validationToken") {
		// The token comes back URL-decoded, exactly, as plain text:
		// nosniff keeps a browser from reading it as anything else.
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, q.Get("validationToken"))
		return
	}
	limit := h.MaxBodyBytes
	if limit <= 0 {
		limit = DefaultMaxBodyBytes
	}
	notes, err := Decode(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		h.report(ctx, err)
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, fmt.Sprintf("notification body larger than %d bytes", limit), http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "malformed notification body", http.StatusBadRequest)
		return
	}
	status := http.StatusAccepted
	for _, n := range notes {
		if err := h.deliver(ctx, n); err != nil {
			h.report(ctx, err)
			switch {
			case errors.Is(err, ErrClientState), errors.Is(err, ErrNoCallback):
				// Dropped for good: a resend would be dropped again.
			case errors.Is(err, ErrQueueFull) && status == http.StatusAccepted:
				status = http.StatusServiceUnavailable
			default:
				status = http.StatusInternalServerError
			}
		}
	}
	if status != http.StatusAccepted {
		http.Error(w, "notifications could not all be processed; send them again", status)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

// deliver checks n's clientState and hands it to its callback.
func (h *Handler) deliver(ctx context.Context, n Notification) error {
	kind, callback := "change", h.OnNotification
	if n.LifecycleEvent != "" {
		kind, callback = "lifecycle ("+n.LifecycleEvent+")", h.OnLifecycle
	}
	if !h.authentic(n) {
		return fmt.Errorf("notify: %s notification for subscription %q dropped: %w", kind, n.SubscriptionID, ErrClientState)
	}
	if callback == nil {
		return fmt.Errorf("notify: %s notification for subscription %q dropped: %w", kind, n.SubscriptionID, ErrNoCallback)
	}
	if err := callback(ctx, n); err != nil {
		return fmt.Errorf("notify: %s notification for subscription %q: %w", kind, n.SubscriptionID, err)
	}
	return nil
}

// authentic compares n's clientState with every expected secret in
// constant time, so the time taken does not tell an attacker how much of
// a guess was right.
func (h *Handler) authentic(n Notification) bool {
	got := []byte(n.ClientState)
	if len(got) == 0 {
		return false
	}
	match := 0
	check := func(want string) {
		if want != "" {
			match |= subtle.ConstantTimeCompare(got, []byte(want))
		}
	}
	if h.ClientStateFor != nil {
		if want, ok := h.ClientStateFor(n.SubscriptionID); ok {
			check(want)
		}
	}
	for _, want := range h.ClientStates {
		check(want)
	}
	return match == 1
}

func (h *Handler) report(ctx context.Context, err error) {
	if h.OnError != nil {
		h.OnError(ctx, err)
	}
}

// Decode reads a notification collection ({"value":[…]}) as Graph posts
// it, for code that receives notifications without Handler (a serverless
// function, a queue consumer). It does not check clientState: compare it
// with your secret, in constant time, before trusting a notification.
func Decode(r io.Reader) ([]Notification, error) {
	// The whole body is read first (the Handler caps its size), so a
	// read error, trailing data and malformed JSON are told apart
	// whatever the JSON engine's streaming rules.
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("notify: reading notification collection: %w", err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("notify: decoding notification collection: body is empty")
	}
	var doc struct {
		Value *[]Notification `json:"value"`
	}
	if err := api.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("notify: decoding notification collection: %w", err)
	}
	if doc.Value == nil {
		return nil, errors.New("notify: decoding notification collection: no \"value\" array")
	}
	return *doc.Value, nil
}

// Enqueue returns an OnNotification (or OnLifecycle) callback that hands
// notifications to workers reading ch, so the Handler answers Graph at
// once whatever the processing costs. It never blocks: when ch is full it
// returns ErrQueueFull, the Handler answers 503, and Graph sends the
// notifications again later. Size ch for your bursts.
func Enqueue(ch chan<- Notification) func(context.Context, Notification) error {
	return func(_ context.Context, n Notification) error {
		select {
		case ch <- n:
			return nil
		default:
			return ErrQueueFull
		}
	}
}
