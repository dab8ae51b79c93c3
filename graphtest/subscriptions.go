package graphtest

// Change notifications: /v1.0/subscriptions, the validation handshake with
// a subscription's endpoints, and delivery of change and lifecycle
// notifications to them.
//
// Rules the emulator follows, as Graph does:
//
//   - Creating a subscription first POSTs to its notificationUrl (and
//     lifecycleNotificationUrl) with ?validationToken=…, an opaque token
//     holding spaces and colons, and wants 200, Content-Type text/plain and
//     the URL-decoded token as the body; otherwise the answer is 400
//     ValidationError and no subscription exists. Plain http URLs are
//     accepted, so tests can use httptest servers.
//   - Supported resources, after "me/" or "users/{id or
//     userPrincipalName}/" (a leading "/" is optional, names are
//     case-insensitive, and a key is written mailFolders('Inbox') or
//     mailFolders/Inbox): messages, mailFolders/{folder}/messages, events,
//     calendars/{calendar}/events, contacts, contactFolders/{folder}/contacts
//     and drive/root (changeType updated only). A delegated caller may
//     subscribe to their own data only (403 otherwise); an app-only caller
//     to any user's, never to "me".
//   - expirationDateTime must be in the future and at most 10,070 minutes
//     ahead for Outlook resources, 42,300 for drive/root (400 ExtensionError
//     "Subscription expiration can only be N minutes in the future.").
//     A subscription past its expiry is gone: 404, no notifications.
//     PATCH renews it (and may change notificationUrl, validated again);
//     POST …/reauthorize reauthorizes it (204).
//   - GET /subscriptions lists the subscriptions of the calling app: with a
//     delegated token those of the signed-in user, with an app-only token
//     all of them. applicationId is the app's client id; creatorId the
//     user's id, or for app-only callers the client id (Graph gives the
//     service principal's id, which the emulator does not have).
//   - Changes published with PublishChange are posted to every live
//     subscription that watches them, asynchronously and in order, by one
//     goroutine at a time (no lock is held while posting). Notifications
//     waiting for the same URL are sent together in one collection. Each
//     carries the subscription's clientState, and for Outlook items a
//     resourceData naming the item ("Users/{user-id}/Messages/{id}"). A
//     drive/root subscription gets changeType updated and its own resource,
//     with no resourceData, as Graph sends for drives. Failed posts are not
//     retried. At most 4096 notifications wait; more are dropped (logged as
//     deliveries with an error).
//   - TriggerLifecycle sends a lifecycle notification. After
//     reauthorizationRequired, change notifications of that subscription
//     are dropped until it is reauthorized or renewed; subscriptionRemoved
//     deletes it.
//
// Error codes and messages follow what Graph answers where it is known
// (ValidationError, ExtensionError and their texts); the others are the
// emulator's wording.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Lifetimes Graph allows per resource, in minutes.
const (
	maxOutlookSubscriptionMinutes = 10070
	maxDriveSubscriptionMinutes   = 42300
)

// maxPendingNotifications bounds the delivery queue.
const maxPendingNotifications = 4096

// maxNotificationsPerPost is how many notifications go in one collection.
const maxNotificationsPerPost = 100

// Graph's timeouts: 10 s for the validation answer, 3 s for a
// notification post.
const (
	validationTimeout   = 10 * time.Second
	notificationTimeout = 3 * time.Second
)

// notifyTransport carries the emulator's own requests to notification
// endpoints: never through a proxy, and without keep-alive so no
// connection outlives a test.
var notifyTransport = &http.Transport{DisableKeepAlives: true}

// Delivery is one notification the server posted, or tried to post, to a
// subscription's endpoint.
type Delivery struct {
	URL            string // the endpoint, with its query string
	SubscriptionID string
	ChangeType     string // empty for lifecycle notifications
	LifecycleEvent string // empty for change notifications
	Resource       string // the notification's resource
	ID             string // the changed item's id; empty for drive and lifecycle notifications
	// Status is the endpoint's answer; 0 when there was none (see Err).
	Status int
	// Err says why there was no answer: a transport error, or that the
	// notification was dropped because the queue was full.
	Err string
}

// subscriptionStore holds subscriptions and the delivery queue.
type subscriptionStore struct {
	mu   sync.Mutex
	subs map[string]*subscription

	pending    []outgoing
	delivering bool // a goroutine is draining pending
	deliveries []Delivery
	delivered  chan struct{} // closed and replaced when deliveries grows
}

func newSubscriptionStore() *subscriptionStore {
	return &subscriptionStore{subs: map[string]*subscription{}, delivered: make(chan struct{})}
}

// subscription is one subscription as stored.
type subscription struct {
	id, resource, changeType, clientState string
	notificationURL, lifecycleURL         string
	tlsVersion                            string
	includeResourceData                   bool
	encryptionCertificate, certificateID  string
	expires                               time.Time
	appID, creatorID                      string
	userID                                string // whose data is watched
	delegated                             bool   // created with a delegated token, by userID
	watch                                 subscriptionWatch
	paused                                bool // reauthorization required
}

// subscriptionWatch is what a subscription's resource watches in its
// user's data.
type subscriptionWatch struct {
	kind      string // "messages", "events", "contacts" or "drive"
	container string // "mailFolders", "calendars", "contactFolders"; "" for all of kind
	ref       string // the container as the resource names it: an id or a well-known name
}

// folderResolvers let an area say which of its containers a subscription's
// reference (an id, or a well-known name such as 'Inbox') denotes, so a
// subscription on me/mailFolders('Inbox')/messages matches changes
// published with the Inbox's id. Keyed by container ("mailFolders",
// "calendars", "contactFolders"); an area registers its resolver in an
// init function. The resolver is called with no lock held. Without one, a
// reference matches a published container id case-insensitively.
var folderResolvers = map[string]func(s *Server, userID, ref string) (id string, ok bool){}

// outgoing is a notification waiting to be posted.
type outgoing struct {
	url  string
	body map[string]any
	log  Delivery
}

func (s *Server) subscriptionRoutes() []route {
	return []route{
		{"POST /v1.0/subscriptions", s.createSubscription},
		{"GET /v1.0/subscriptions", s.listSubscriptions},
		{"GET /v1.0/subscriptions/{id}", s.getSubscription},
		{"PATCH /v1.0/subscriptions/{id}", s.updateSubscription},
		{"DELETE /v1.0/subscriptions/{id}", s.deleteSubscription},
		{"POST /v1.0/subscriptions/{id}/reauthorize", s.reauthorizeSubscription},
	}
}

var subscriptionsCollection = collection{
	entitySet: "subscriptions",
	pageSize:  100,
	maxTop:    999,
	errorCode: "BadRequest",
}

// subscriptionBody is a create or update request.
type subscriptionBody struct {
	ChangeType                *string `json:"changeType"`
	NotificationURL           *string `json:"notificationUrl"`
	LifecycleNotificationURL  *string `json:"lifecycleNotificationUrl"`
	Resource                  *string `json:"resource"`
	ExpirationDateTime        *string `json:"expirationDateTime"`
	ClientState               *string `json:"clientState"`
	LatestSupportedTLSVersion *string `json:"latestSupportedTlsVersion"`
	IncludeResourceData       *bool   `json:"includeResourceData"`
	EncryptionCertificate     *string `json:"encryptionCertificate"`
	EncryptionCertificateID   *string `json:"encryptionCertificateId"`
}

func strOrEmpty(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func (s *Server) createSubscription(w http.ResponseWriter, r *http.Request) {
	var b subscriptionBody
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&b); err != nil {
		writeGraphError(w, http.StatusBadRequest, "InvalidRequest",
			"Could not process subscription creation payload. Are all property names spelled and camelCased properly?")
		return
	}
	for _, req := range []struct {
		name string
		v    *string
	}{
		{"changeType", b.ChangeType}, {"notificationUrl", b.NotificationURL},
		{"resource", b.Resource}, {"expirationDateTime", b.ExpirationDateTime},
	} {
		if strings.TrimSpace(strOrEmpty(req.v)) == "" {
			writeGraphError(w, http.StatusBadRequest, "InvalidRequest", req.name+" is a required property for subscription creation.")
			return
		}
	}
	c := callerOf(r)
	sub := &subscription{
		resource:              *b.Resource,
		clientState:           strOrEmpty(b.ClientState),
		lifecycleURL:          strOrEmpty(b.LifecycleNotificationURL),
		tlsVersion:            strOrEmpty(b.LatestSupportedTLSVersion),
		encryptionCertificate: strOrEmpty(b.EncryptionCertificate),
		certificateID:         strOrEmpty(b.EncryptionCertificateID),
		appID:                 c.clientID,
		delegated:             !c.appOnly(),
	}
	if b.IncludeResourceData != nil {
		sub.includeResourceData = *b.IncludeResourceData
	}
	if sub.delegated {
		sub.creatorID = c.userID
	} else {
		sub.creatorID = c.clientID
	}
	userRef, watch, ok := parseSubscriptionResource(sub.resource)
	if !ok {
		writeGraphError(w, http.StatusBadRequest, "InvalidRequest",
			"The resource '"+sub.resource+"' does not support change notifications in graphtest: use messages, mailFolders/{id}/messages, events, calendars/{id}/events, contacts, contactFolders/{id}/contacts or drive/root under me/ or users/{id}/.")
		return
	}
	sub.watch = watch
	userID, status, code, msg := s.subscriptionOwner(c, userRef)
	if status != 0 {
		writeGraphError(w, status, code, msg)
		return
	}
	sub.userID = userID
	if sub.changeType, code, msg = checkChangeType(*b.ChangeType, watch); code != "" {
		writeGraphError(w, http.StatusBadRequest, code, msg)
		return
	}
	switch sub.tlsVersion {
	case "":
		sub.tlsVersion = "v1_2"
	case "v1_0", "v1_1", "v1_2", "v1_3":
	default:
		writeGraphError(w, http.StatusBadRequest, "InvalidRequest", "Invalid latestSupportedTlsVersion '"+sub.tlsVersion+"'.")
		return
	}
	if len([]rune(sub.clientState)) > 128 {
		writeGraphError(w, http.StatusBadRequest, "InvalidRequest", "clientState must not be longer than 128 characters.")
		return
	}
	if sub.includeResourceData && (sub.encryptionCertificate == "" || sub.certificateID == "") {
		writeGraphError(w, http.StatusBadRequest, "InvalidRequest",
			"encryptionCertificate and encryptionCertificateId are required when includeResourceData is true.")
		return
	}
	if sub.expires, ok = s.checkSubscriptionExpiry(w, *b.ExpirationDateTime, watch); !ok {
		return
	}
	sub.notificationURL = *b.NotificationURL
	for _, u := range []string{sub.notificationURL, sub.lifecycleURL} {
		if u == "" {
			continue
		}
		if msg := validateEndpoint(r.Context(), u); msg != "" {
			writeGraphError(w, http.StatusBadRequest, "ValidationError", msg)
			return
		}
	}
	sub.id = newGUID()
	st := s.subscriptions
	st.mu.Lock()
	st.subs[sub.id] = sub
	item := subscriptionJSON(sub)
	st.mu.Unlock()
	item["@odata.context"] = s.metadataURL("subscriptions", nil) + "/$entity"
	writeGraphJSON(w, http.StatusCreated, item)
}

// subscriptionOwner resolves the user whose data a resource names, and
// checks the caller may watch it.
func (s *Server) subscriptionOwner(c caller, userRef string) (userID string, status int, code, msg string) {
	if userRef == "me" {
		if c.appOnly() {
			return "", http.StatusBadRequest, "BadRequest", "/me request is only valid with delegated authentication flow."
		}
		return c.userID, 0, "", ""
	}
	s.mu.Lock()
	u := s.userLocked(userRef)
	if u != nil {
		userID = u.ID
	}
	s.mu.Unlock()
	switch {
	case userID == "":
		return "", http.StatusNotFound, "ResourceNotFound", "User '" + userRef + "' was not found."
	case !c.appOnly() && userID != c.userID:
		return "", http.StatusForbidden, "ExtensionError", "Operation: Create; Exception: [Status Code: Forbidden; Reason: Forbidden]"
	}
	return userID, 0, "", ""
}

// parseSubscriptionResource splits a subscription's resource into the
// user it names ("me", or an id or user principal name) and what it
// watches.
func parseSubscriptionResource(resource string) (userRef string, w subscriptionWatch, ok bool) {
	path, _, _ := strings.Cut(strings.TrimSpace(resource), "?")
	var segs []string
	for _, seg := range strings.Split(strings.Trim(path, "/"), "/") {
		name, key, hasKey := splitKeySegment(seg)
		segs = append(segs, name)
		if hasKey {
			segs = append(segs, key)
		}
	}
	switch {
	case len(segs) >= 2 && strings.EqualFold(segs[0], "me"):
		userRef, segs = "me", segs[1:]
	case len(segs) >= 3 && strings.EqualFold(segs[0], "users"):
		u, err := url.PathUnescape(segs[1])
		if err != nil || u == "" {
			return "", w, false
		}
		userRef, segs = u, segs[2:]
	default:
		return "", w, false
	}
	lower := make([]string, len(segs))
	for i, seg := range segs {
		lower[i] = strings.ToLower(seg)
	}
	switch {
	case len(segs) == 1 && (lower[0] == "messages" || lower[0] == "events" || lower[0] == "contacts"):
		return userRef, subscriptionWatch{kind: lower[0]}, true
	case len(segs) == 2 && lower[0] == "drive" && lower[1] == "root":
		return userRef, subscriptionWatch{kind: "drive"}, true
	case len(segs) == 3 && segs[1] != "":
		for _, pair := range [][2]string{{"mailfolders", "messages"}, {"calendars", "events"}, {"contactfolders", "contacts"}} {
			if lower[0] == pair[0] && lower[2] == pair[1] {
				return userRef, subscriptionWatch{kind: pair[1], container: containerName(pair[0]), ref: segs[1]}, true
			}
		}
	}
	return "", w, false
}

// containerName gives a container its canonical spelling, the key of
// folderResolvers.
func containerName(lower string) string {
	switch lower {
	case "mailfolders":
		return "mailFolders"
	case "contactfolders":
		return "contactFolders"
	}
	return lower
}

// splitKeySegment splits mailFolders('Inbox') into mailFolders and Inbox.
func splitKeySegment(seg string) (name, key string, ok bool) {
	i := strings.IndexByte(seg, '(')
	if i < 0 || !strings.HasSuffix(seg, ")") {
		return seg, "", false
	}
	key = seg[i+1 : len(seg)-1]
	if len(key) >= 2 && key[0] == '\'' && key[len(key)-1] == '\'' {
		key = strings.ReplaceAll(key[1:len(key)-1], "''", "'")
	}
	if k, err := url.PathUnescape(key); err == nil {
		key = k
	}
	return seg[:i], key, true
}

// checkChangeType validates a changeType list; a non-empty code is the
// error to answer.
func checkChangeType(ct string, w subscriptionWatch) (normalized, code, msg string) {
	var out []string
	for _, t := range strings.Split(ct, ",") {
		t = strings.TrimSpace(t)
		switch t {
		case "created", "updated", "deleted":
		default:
			return "", "InvalidRequest", "Invalid changeType '" + t + "': the supported values are created, updated and deleted."
		}
		if w.kind == "drive" && t != "updated" {
			return "", "InvalidRequest", "The changeType '" + t + "' is not supported for drive root subscriptions: only 'updated' is supported."
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return strings.Join(out, ","), "", ""
}

// checkSubscriptionExpiry parses and bounds an expirationDateTime,
// answering the error itself.
func (s *Server) checkSubscriptionExpiry(w http.ResponseWriter, raw string, watch subscriptionWatch) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, raw)
	if err != nil {
		writeGraphError(w, http.StatusBadRequest, "InvalidRequest", "Invalid expirationDateTime '"+raw+"': it must be an ISO 8601 date and time with a zone.")
		return t, false
	}
	now := s.now()
	maxMinutes := maxOutlookSubscriptionMinutes
	if watch.kind == "drive" {
		maxMinutes = maxDriveSubscriptionMinutes
	}
	switch {
	case !t.After(now):
		writeGraphError(w, http.StatusBadRequest, "InvalidRequest", "Subscription expiration date time must be in the future.")
		return t, false
	case t.After(now.Add(time.Duration(maxMinutes) * time.Minute)):
		writeGraphError(w, http.StatusBadRequest, "ExtensionError", fmt.Sprintf("Subscription expiration can only be %d minutes in the future.", maxMinutes))
		return t, false
	}
	return t.UTC(), true
}

// validateEndpoint performs Graph's validation handshake with a
// notification endpoint and returns Graph's error message when it fails.
// It runs with no lock held.
func validateEndpoint(ctx context.Context, endpoint string) string {
	const failed = "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request."
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "Subscription validation request failed. The notification URL '" + endpoint + "' is not an absolute http or https URL."
	}
	token := "Validation: Testing client application reachability for subscription Request-Id: " + newGUID()
	ctx, cancel := context.WithTimeout(ctx, validationTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, appendQuery(endpoint, "validationToken="+url.QueryEscape(token)), nil)
	if err != nil {
		return failed
	}
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	resp, err := notifyClient(0).Do(req)
	if err != nil {
		return failed
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	mediaType, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	switch {
	case resp.StatusCode != http.StatusOK:
		return failed
	case mediaType != "text/plain":
		return "Subscription validation request failed. Response must be text/plain, not '" + resp.Header.Get("Content-Type") + "'."
	case string(body) != token:
		return "Subscription validation request failed. Response must exactly match validationToken query parameter."
	}
	return ""
}

// notifyClient is the client of the emulator's own requests; redirects
// are not followed, as Graph does not follow them.
func notifyClient(timeout time.Duration) *http.Client {
	return &http.Client{
		Transport:     notifyTransport,
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// appendQuery appends a query parameter, keeping the URL's own query as it
// is written: Graph calls the notification URL with its query string.
func appendQuery(endpoint, param string) string {
	if strings.Contains(endpoint, "?") {
		return endpoint + "&" + param
	}
	return endpoint + "?" + param
}

// graphTime formats times as Graph writes them in subscriptions.
func graphTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.0000000Z") }

func subscriptionJSON(sub *subscription) map[string]any {
	return map[string]any{
		"id":                        sub.id,
		"resource":                  sub.resource,
		"applicationId":             sub.appID,
		"changeType":                sub.changeType,
		"clientState":               nullable(sub.clientState),
		"notificationUrl":           sub.notificationURL,
		"notificationQueryOptions":  nil,
		"lifecycleNotificationUrl":  nullable(sub.lifecycleURL),
		"expirationDateTime":        graphTime(sub.expires),
		"creatorId":                 sub.creatorID,
		"includeResourceData":       sub.includeResourceData,
		"latestSupportedTlsVersion": sub.tlsVersion,
		"encryptionCertificate":     nullable(sub.encryptionCertificate),
		"encryptionCertificateId":   nullable(sub.certificateID),
		"notificationUrlAppId":      nil,
	}
}

// liveLocked removes expired subscriptions; st.mu must be held.
func (st *subscriptionStore) liveLocked(now time.Time) {
	for id, sub := range st.subs {
		if now.After(sub.expires) {
			delete(st.subs, id)
		}
	}
}

// visible reports whether the caller may see sub: the app that created
// it, and with a delegated token only the user's own.
func (sub *subscription) visible(c caller) bool {
	if sub.appID != c.clientID {
		return false
	}
	return c.appOnly() || (sub.delegated && sub.creatorID == c.userID)
}

func (s *Server) listSubscriptions(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	st := s.subscriptions
	st.mu.Lock()
	st.liveLocked(s.now())
	var subs []*subscription
	for _, sub := range st.subs {
		if sub.visible(c) {
			subs = append(subs, sub)
		}
	}
	slices.SortFunc(subs, func(a, b *subscription) int { return strings.Compare(a.id, b.id) })
	items := make([]map[string]any, 0, len(subs))
	for _, sub := range subs {
		items = append(items, subscriptionJSON(sub))
	}
	st.mu.Unlock()
	s.serveCollection(w, r, items, subscriptionsCollection)
}

// withSubscription runs f on the caller's live subscription named in the
// path, with st.mu held, or answers 404.
func (s *Server) withSubscription(w http.ResponseWriter, r *http.Request, f func(sub *subscription)) bool {
	c := callerOf(r)
	st := s.subscriptions
	st.mu.Lock()
	defer st.mu.Unlock()
	st.liveLocked(s.now())
	sub := st.subs[r.PathValue("id")]
	if sub == nil || !sub.visible(c) {
		writeGraphError(w, http.StatusNotFound, "ResourceNotFound", "The subscription '"+r.PathValue("id")+"' was not found.")
		return false
	}
	f(sub)
	return true
}

func (s *Server) getSubscription(w http.ResponseWriter, r *http.Request) {
	var item map[string]any
	if s.withSubscription(w, r, func(sub *subscription) { item = subscriptionJSON(sub) }) {
		s.serveEntity(w, r, item, "subscriptions")
	}
}

func (s *Server) updateSubscription(w http.ResponseWriter, r *http.Request) {
	var b subscriptionBody
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&b); err != nil {
		writeGraphError(w, http.StatusBadRequest, "InvalidRequest", "Could not process subscription update payload.")
		return
	}
	var watch subscriptionWatch
	if !s.withSubscription(w, r, func(sub *subscription) { watch = sub.watch }) {
		return
	}
	var expires time.Time
	if b.ExpirationDateTime != nil {
		var ok bool
		if expires, ok = s.checkSubscriptionExpiry(w, *b.ExpirationDateTime, watch); !ok {
			return
		}
	}
	if b.NotificationURL != nil {
		if msg := validateEndpoint(r.Context(), *b.NotificationURL); msg != "" {
			writeGraphError(w, http.StatusBadRequest, "ValidationError", msg)
			return
		}
	}
	var item map[string]any
	if !s.withSubscription(w, r, func(sub *subscription) {
		if !expires.IsZero() {
			sub.expires = expires
		}
		if b.NotificationURL != nil {
			sub.notificationURL = *b.NotificationURL
		}
		sub.paused = false
		item = subscriptionJSON(sub)
	}) {
		return
	}
	item["@odata.context"] = s.metadataURL("subscriptions", nil) + "/$entity"
	writeGraphJSON(w, http.StatusOK, item)
}

func (s *Server) deleteSubscription(w http.ResponseWriter, r *http.Request) {
	if s.withSubscription(w, r, func(sub *subscription) { delete(s.subscriptions.subs, sub.id) }) {
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) reauthorizeSubscription(w http.ResponseWriter, r *http.Request) {
	if s.withSubscription(w, r, func(sub *subscription) { sub.paused = false }) {
		w.WriteHeader(http.StatusNoContent)
	}
}

// PublishChange tells the server that an item changed, so every live
// subscription watching it gets a change notification. The areas of the
// emulator call it after a create, update or delete, once they have
// released their own lock; tests call it to simulate a change made
// elsewhere (a message arriving, another client editing an event). It
// returns at once: notifications are posted by a background goroutine
// (see WaitDeliveries).
//
// userID is the id or user principal name of the user whose data
// changed; changeType is "created", "updated" or "deleted"; id is the
// item's id; resource is the collection the item is in, relative to the
// user:
//
//	mailFolders/{folder-id}/messages     a message (also matches …/messages subscriptions)
//	calendars/{calendar-id}/events       an event (also matches …/events)
//	contactFolders/{folder-id}/contacts  a contact (also matches …/contacts)
//	drive                                a drive item (matches …/drive/root; id is the item's)
//
// The short forms "messages", "events" and "contacts" name an item
// without its container: they match only subscriptions on the whole
// collection. A subscription naming a container (me/mailFolders('Inbox')/
// messages) matches when its reference equals the published container id,
// or when the area's resolver (folderResolvers) maps it to that id.
//
// A resource or change type the server does not know is ignored.
func (s *Server) PublishChange(userID, resource, changeType, id string) {
	kind, container, containerID, ok := parsePublished(resource)
	if !ok {
		return
	}
	switch changeType {
	case "created", "updated", "deleted":
	default:
		return
	}
	s.mu.Lock()
	if u := s.userLocked(userID); u != nil {
		userID = u.ID
	}
	s.mu.Unlock()

	st := s.subscriptions
	st.mu.Lock()
	st.liveLocked(s.now())
	var candidates []subscription
	for _, sub := range st.subs {
		if sub.userID == userID && sub.watch.kind == kind && !sub.paused {
			candidates = append(candidates, *sub)
		}
	}
	st.mu.Unlock()
	slices.SortFunc(candidates, func(a, b subscription) int { return strings.Compare(a.id, b.id) })

	var out []outgoing
	for _, sub := range candidates {
		if !s.watches(sub.watch, userID, container, containerID) {
			continue
		}
		ct := changeType
		if kind == "drive" {
			ct = "updated" // Graph sends updated for any change under a drive root
		}
		if !slices.Contains(strings.Split(sub.changeType, ","), ct) {
			continue
		}
		out = append(out, s.changeNotification(&sub, ct, id))
	}
	st.enqueue(out)
}

// notifyChange is a change an area noted while holding its own lock, to
// publish once the lock is released.
type notifyChange struct{ userID, resource, changeType, id string }

// publishChanges publishes the changes an area collected under its lock;
// call it after releasing the lock, e.g. in inMailbox:
//
//	rep = fn(x)
//	st.mu.Unlock()
//	s.publishChanges(x.changes)
func (s *Server) publishChanges(changes []notifyChange) {
	for _, c := range changes {
		s.PublishChange(c.userID, c.resource, c.changeType, c.id)
	}
}

// parsePublished reads the resource of PublishChange.
func parsePublished(resource string) (kind, container, containerID string, ok bool) {
	segs := strings.Split(strings.Trim(resource, "/"), "/")
	switch {
	case len(segs) == 1 && slices.Contains([]string{"messages", "events", "contacts", "drive"}, segs[0]):
		return segs[0], "", "", true
	case len(segs) == 3 && segs[1] != "":
		for _, pair := range [][2]string{{"mailFolders", "messages"}, {"calendars", "events"}, {"contactFolders", "contacts"}} {
			if segs[0] == pair[0] && segs[2] == pair[1] {
				return pair[1], pair[0], segs[1], true
			}
		}
	}
	return "", "", "", false
}

// watches reports whether a subscription's watch covers an item in the
// given container. It may call an area's resolver, so no lock is held.
func (s *Server) watches(w subscriptionWatch, userID, container, containerID string) bool {
	if w.container == "" {
		return true
	}
	if w.container != container {
		return false
	}
	if strings.EqualFold(w.ref, containerID) {
		return true
	}
	if resolve := folderResolvers[container]; resolve != nil {
		id, ok := resolve(s, userID, w.ref)
		return ok && id == containerID
	}
	return false
}

// itemPaths are the OData type and path segment Graph uses in Outlook
// notifications.
var itemPaths = map[string][2]string{
	"messages": {"#Microsoft.Graph.Message", "Messages"},
	"events":   {"#Microsoft.Graph.Event", "Events"},
	"contacts": {"#Microsoft.Graph.Contact", "Contacts"},
}

// changeNotification builds the notification of a change for sub.
func (s *Server) changeNotification(sub *subscription, changeType, id string) outgoing {
	n := map[string]any{
		"id":                             randomToken()[:16],
		"subscriptionId":                 sub.id,
		"subscriptionExpirationDateTime": graphTime(sub.expires),
		"changeType":                     changeType,
		"clientState":                    nullable(sub.clientState),
		"tenantId":                       s.tenantID,
	}
	resource := sub.resource
	if p, ok := itemPaths[sub.watch.kind]; ok {
		resource = "Users/" + sub.userID + "/" + p[1] + "/" + id
		n["resourceData"] = map[string]any{"@odata.type": p[0], "@odata.id": resource, "id": id}
	} else {
		id = ""
	}
	n["resource"] = resource
	return outgoing{url: sub.notificationURL, body: n, log: Delivery{
		URL: sub.notificationURL, SubscriptionID: sub.id, ChangeType: changeType, Resource: resource, ID: id,
	}}
}

// TriggerLifecycle sends a lifecycle notification (event is
// "reauthorizationRequired", "subscriptionRemoved" or "missed") to the
// subscription's lifecycleNotificationUrl, as Graph does when a token is
// about to expire, the subscription was removed, or notifications were
// lost. It acts as Graph then does: after reauthorizationRequired the
// subscription's change notifications are dropped until it is
// reauthorized or renewed; after subscriptionRemoved it no longer exists.
// The notification is posted in the background (see WaitDeliveries).
//
// It fails when there is no such live subscription, when the subscription
// has no lifecycleNotificationUrl, or when event is not one of the three.
func (s *Server) TriggerLifecycle(subscriptionID, event string) error {
	switch event {
	case "reauthorizationRequired", "subscriptionRemoved", "missed":
	default:
		return fmt.Errorf("graphtest: unknown lifecycle event %q (want reauthorizationRequired, subscriptionRemoved or missed)", event)
	}
	st := s.subscriptions
	st.mu.Lock()
	st.liveLocked(s.now())
	sub := st.subs[subscriptionID]
	switch {
	case sub == nil:
		st.mu.Unlock()
		return fmt.Errorf("graphtest: no subscription %q", subscriptionID)
	case sub.lifecycleURL == "":
		st.mu.Unlock()
		return fmt.Errorf("graphtest: subscription %q has no lifecycleNotificationUrl", subscriptionID)
	}
	switch event {
	case "reauthorizationRequired":
		sub.paused = true
	case "subscriptionRemoved":
		delete(st.subs, sub.id)
	}
	n := outgoing{url: sub.lifecycleURL, body: map[string]any{
		"subscriptionId":                 sub.id,
		"subscriptionExpirationDateTime": graphTime(sub.expires),
		"tenantId":                       s.tenantID,
		"clientState":                    nullable(sub.clientState),
		"lifecycleEvent":                 event,
	}, log: Delivery{URL: sub.lifecycleURL, SubscriptionID: sub.id, LifecycleEvent: event}}
	st.mu.Unlock()
	st.enqueue([]outgoing{n})
	return nil
}

// enqueue queues notifications and makes sure a goroutine delivers them.
func (st *subscriptionStore) enqueue(out []outgoing) {
	if len(out) == 0 {
		return
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	room := max(0, maxPendingNotifications-len(st.pending))
	if len(out) > room {
		for _, o := range out[room:] {
			o.log.Err = "dropped: delivery queue full"
			st.deliveries = append(st.deliveries, o.log)
		}
		st.signalLocked()
		out = out[:room]
	}
	st.pending = append(st.pending, out...)
	if !st.delivering && len(st.pending) > 0 {
		st.delivering = true
		go st.deliver()
	}
}

// deliver drains the queue and ends when it is empty, so no goroutine
// outlives the last notification.
func (st *subscriptionStore) deliver() {
	client := notifyClient(notificationTimeout)
	for {
		st.mu.Lock()
		batch := st.pending
		st.pending = nil
		if len(batch) == 0 {
			st.delivering = false
			st.mu.Unlock()
			return
		}
		st.mu.Unlock()
		// One collection per endpoint, in the order the endpoints first
		// appear, each holding its notifications in order.
		var urls []string
		byURL := map[string][]outgoing{}
		for _, o := range batch {
			if _, seen := byURL[o.url]; !seen {
				urls = append(urls, o.url)
			}
			byURL[o.url] = append(byURL[o.url], o)
		}
		for _, u := range urls {
			for group := range slices.Chunk(byURL[u], maxNotificationsPerPost) {
				status, err := postNotifications(client, u, group)
				st.mu.Lock()
				for _, o := range group {
					o.log.Status, o.log.Err = status, err
					st.deliveries = append(st.deliveries, o.log)
				}
				st.signalLocked()
				st.mu.Unlock()
			}
		}
	}
}

// postNotifications posts one collection and returns the answer's status,
// or why there was none.
func postNotifications(client *http.Client, endpoint string, group []outgoing) (int, string) {
	values := make([]map[string]any, len(group))
	for i, o := range group {
		values[i] = o.body
	}
	body, err := json.Marshal(map[string]any{"value": values})
	if err != nil {
		return 0, err.Error()
	}
	resp, err := client.Post(endpoint, "application/json; charset=utf-8", strings.NewReader(string(body)))
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return 0, err.Error()
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return resp.StatusCode, ""
}

// signalLocked wakes WaitDeliveries; st.mu must be held.
func (st *subscriptionStore) signalLocked() {
	close(st.delivered)
	st.delivered = make(chan struct{})
}

// Deliveries returns a copy of the log of notifications posted (or
// dropped) so far, in the order their posts ended.
func (s *Server) Deliveries() []Delivery {
	st := s.subscriptions
	st.mu.Lock()
	defer st.mu.Unlock()
	return slices.Clone(st.deliveries)
}

// WaitDeliveries blocks until at least n notifications have been posted
// (or dropped) since the server started, then returns the log as
// Deliveries does. It returns early, with the log so far and ctx's error,
// when ctx ends. Tests use it instead of sleeping:
//
//	srv.PublishChange(userID, "mailFolders/"+inboxID+"/messages", "created", msgID)
//	log, err := srv.WaitDeliveries(ctx, 1)
func (s *Server) WaitDeliveries(ctx context.Context, n int) ([]Delivery, error) {
	st := s.subscriptions
	for {
		st.mu.Lock()
		if len(st.deliveries) >= n {
			out := slices.Clone(st.deliveries)
			st.mu.Unlock()
			return out, nil
		}
		wake := st.delivered
		st.mu.Unlock()
		select {
		case <-wake:
		case <-ctx.Done():
			return s.Deliveries(), ctx.Err()
		}
	}
}
