package notify

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"strings"
	"time"

	"github.com/go-o365/o365/api"
)

// Subscription is Microsoft Graph's subscription resource: a request to be
// told, at NotificationURL, about changes to Resource until
// ExpirationDateTime. Property names are Graph's.
type Subscription struct {
	// ID identifies the subscription; Graph assigns it. Read-only.
	ID string `json:"id,omitempty"`
	// Resource is the path watched, relative to the API root and without
	// it: "me/mailFolders('Inbox')/messages", "me/messages",
	// "users/{id}/events", "me/contacts", "me/drive/root", …
	Resource string `json:"resource"`
	// ChangeType lists the changes that raise a notification, comma
	// separated: "created", "updated", "deleted" (a drive root supports
	// "updated" only).
	ChangeType string `json:"changeType"`
	// ClientState is a secret (at most 128 characters) that Graph sends
	// back with every notification, so the receiver can tell Graph's
	// notifications from forged ones. Always set it; see Handler.
	ClientState string `json:"clientState,omitempty"`
	// NotificationURL receives the change notifications. Graph requires
	// https; plain http is accepted here for emulators and tests.
	NotificationURL string `json:"notificationUrl"`
	// LifecycleNotificationURL, when set, receives lifecycle
	// notifications (reauthorizationRequired, subscriptionRemoved,
	// missed). It may be the same URL as NotificationURL.
	LifecycleNotificationURL string `json:"lifecycleNotificationUrl,omitempty"`
	// ExpirationDateTime is when the subscription ends unless renewed.
	// Graph caps it per resource; see MaxLifetime.
	ExpirationDateTime time.Time `json:"expirationDateTime,omitzero"`
	// ApplicationID is the id of the app that created the subscription.
	// Read-only.
	ApplicationID string `json:"applicationId,omitempty"`
	// CreatorID is the id of the user (delegated) or service principal
	// (app-only) that created the subscription. Read-only.
	CreatorID string `json:"creatorId,omitempty"`
	// LatestSupportedTLSVersion is the newest TLS version the
	// notification endpoint speaks: "v1_0", "v1_1", "v1_2" (Graph's
	// default) or "v1_3".
	LatestSupportedTLSVersion string `json:"latestSupportedTlsVersion,omitempty"`
	// IncludeResourceData asks for notifications carrying the changed
	// resource, encrypted with EncryptionCertificate. This package passes
	// the flag through but does not decrypt such notifications.
	IncludeResourceData bool `json:"includeResourceData,omitempty"`
	// EncryptionCertificate is the base64 certificate whose public key
	// encrypts resource data; required with IncludeResourceData.
	EncryptionCertificate string `json:"encryptionCertificate,omitempty"`
	// EncryptionCertificateID names that certificate for the receiver;
	// required with IncludeResourceData.
	EncryptionCertificateID string `json:"encryptionCertificateId,omitempty"`
}

// Maximum subscription lifetimes Microsoft documents per resource.
// Microsoft's table says 10,080 minutes for Outlook resources, but Graph
// refuses anything past 10,070 minutes, so that is the figure here.
const (
	MaxOutlookLifetime   = 10070 * time.Minute // messages, events, contacts
	MaxDriveLifetime     = 42300 * time.Minute // OneDrive and SharePoint drive items, lists
	MaxDirectoryLifetime = 41760 * time.Minute // users, groups
)

// MaxLifetime returns the longest a subscription on resource may last
// before it must be renewed, or 0 for a resource this package does not
// know. Renewing a little earlier than the limit leaves room for clock
// skew:
//
//	expiry := time.Now().Add(notify.MaxLifetime(res) - time.Hour)
func MaxLifetime(resource string) time.Duration {
	segs := resourceSegments(resource)
	if len(segs) == 0 {
		return 0
	}
	last := segs[len(segs)-1]
	switch {
	case last == "messages" || last == "events" || last == "contacts":
		return MaxOutlookLifetime
	case segs[0] == "drives" || segs[0] == "sites" || contains(segs, "drive"):
		return MaxDriveLifetime
	case (segs[0] == "users" || segs[0] == "groups") && len(segs) <= 2:
		return MaxDirectoryLifetime
	}
	return 0
}

// resourceSegments splits a resource path into lower-cased segments, with
// the key of a segment such as mailFolders('Inbox') dropped.
func resourceSegments(resource string) []string {
	r, _, _ := strings.Cut(strings.TrimSpace(resource), "?")
	var segs []string
	for _, s := range strings.Split(strings.Trim(r, "/"), "/") {
		if i := strings.IndexByte(s, '('); i >= 0 {
			s = s[:i]
		}
		if s != "" {
			segs = append(segs, strings.ToLower(s))
		}
	}
	return segs
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Change types a subscription can ask for.
const (
	Created = "created"
	Updated = "updated"
	Deleted = "deleted"
)

// maxClientState is Graph's limit on clientState.
const maxClientState = 128

// Subscriptions creates, renews, lists and deletes change-notification
// subscriptions (Graph's /subscriptions). Subscriptions live at the API
// root, not under a user, so the main resource it inherits is only used
// by callers who build their Resource paths from it.
type Subscriptions struct {
	api.Component
}

// New builds Subscriptions on a connection and protocol, without an
// Account.
func New(con api.Requester, protocol api.Protocol) *Subscriptions {
	return NewFrom(api.ParentOf(con, protocol))
}

// NewFrom builds Subscriptions inheriting parent's connection and
// protocol (an *o365.Account or any component).
func NewFrom(parent api.Parent) *Subscriptions {
	return &Subscriptions{Component: api.New(parent, map[string]string{
		"subscriptions": "/subscriptions",
	})}
}

func (s *Subscriptions) collectionURL() string {
	return s.BuildBaseURL(s.Endpoint("subscriptions"))
}

func (s *Subscriptions) itemURL(id string) (string, error) {
	if strings.TrimSpace(id) == "" {
		return "", errors.New("notify: subscription id is empty")
	}
	return s.collectionURL() + "/" + url.PathEscape(id), nil
}

// Create subscribes to changes of sub.Resource. Before answering, Graph
// checks the notification endpoint with a validation request (see
// Handler); when the endpoint fails it, Create returns a *api.GraphError
// with status 400 and Graph's explanation, and no subscription exists.
//
// sub needs Resource, ChangeType, NotificationURL and an
// ExpirationDateTime in the future (within MaxLifetime of the resource,
// which Graph enforces); set ClientState too. The change types are
// normalised ("created, updated" is sent as "created,updated") and the
// expiry is sent in UTC. Bad input is reported before anything is sent.
func (s *Subscriptions) Create(ctx context.Context, sub Subscription) (*Subscription, error) {
	if err := sub.normalize(time.Now()); err != nil {
		return nil, err
	}
	body := sub
	body.ID, body.ApplicationID, body.CreatorID = "", "", ""
	out := new(Subscription)
	if err := s.PostJSON(ctx, s.collectionURL(), body, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Get reads one subscription. A subscription that expired or was deleted
// is reported as api.ErrNotFound.
func (s *Subscriptions) Get(ctx context.Context, id string) (*Subscription, error) {
	u, err := s.itemURL(id)
	if err != nil {
		return nil, err
	}
	out := new(Subscription)
	if err := s.GetJSON(ctx, u, nil, out); err != nil {
		return nil, err
	}
	return out, nil
}

// List yields the subscriptions the caller can see: with a delegated
// token, those this app created for the signed-in user; with an
// app-only token, every subscription of the app.
func (s *Subscriptions) List(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Subscription, error] {
	return api.List[*Subscription](ctx, s.Con(), s.collectionURL(), opts...)
}

// Renew moves the subscription's expiry to expiry (which must be in the
// future and within MaxLifetime of its resource) and returns the renewed
// subscription. Renewing also reauthorizes it. Only the expiry is sent.
func (s *Subscriptions) Renew(ctx context.Context, id string, expiry time.Time) (*Subscription, error) {
	u, err := s.itemURL(id)
	if err != nil {
		return nil, err
	}
	if err := checkExpiry(expiry, time.Now()); err != nil {
		return nil, err
	}
	body := struct {
		ExpirationDateTime time.Time `json:"expirationDateTime"`
	}{expiry.UTC()}
	out := new(Subscription)
	if err := s.PatchJSON(ctx, u, body, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Reauthorize answers a reauthorizationRequired lifecycle notification
// without changing the expiry (Renew reauthorizes too).
func (s *Subscriptions) Reauthorize(ctx context.Context, id string) error {
	u, err := s.itemURL(id)
	if err != nil {
		return err
	}
	return s.PostJSON(ctx, u+"/reauthorize", nil, nil)
}

// Delete ends a subscription. Deleting one that no longer exists is
// reported as api.ErrNotFound.
func (s *Subscriptions) Delete(ctx context.Context, id string) error {
	u, err := s.itemURL(id)
	if err != nil {
		return err
	}
	return s.Component.Delete(ctx, u)
}

// normalize checks a subscription to be created and puts its change types
// and expiry in Graph's form.
func (sub *Subscription) normalize(now time.Time) error {
	if strings.TrimSpace(sub.Resource) == "" {
		return errors.New("notify: subscription Resource is empty (want a path such as \"me/mailFolders('Inbox')/messages\")")
	}
	ct, err := normalizeChangeType(sub.ChangeType)
	if err != nil {
		return err
	}
	sub.ChangeType = ct
	if err := checkURL("NotificationURL", sub.NotificationURL, true); err != nil {
		return err
	}
	if err := checkURL("LifecycleNotificationURL", sub.LifecycleNotificationURL, false); err != nil {
		return err
	}
	if err := checkExpiry(sub.ExpirationDateTime, now); err != nil {
		return err
	}
	sub.ExpirationDateTime = sub.ExpirationDateTime.UTC()
	if n := len([]rune(sub.ClientState)); n > maxClientState {
		return fmt.Errorf("notify: subscription ClientState is %d characters long; Graph allows at most %d", n, maxClientState)
	}
	switch sub.LatestSupportedTLSVersion {
	case "", "v1_0", "v1_1", "v1_2", "v1_3":
	default:
		return fmt.Errorf("notify: unknown LatestSupportedTLSVersion %q (want v1_0, v1_1, v1_2 or v1_3)", sub.LatestSupportedTLSVersion)
	}
	if sub.IncludeResourceData && (sub.EncryptionCertificate == "" || sub.EncryptionCertificateID == "") {
		return errors.New("notify: IncludeResourceData needs an EncryptionCertificate and an EncryptionCertificateID")
	}
	return nil
}

// normalizeChangeType checks a comma-separated list of change types and
// returns it without spaces.
func normalizeChangeType(ct string) (string, error) {
	if strings.TrimSpace(ct) == "" {
		return "", errors.New("notify: subscription ChangeType is empty (want a comma-separated list of created, updated, deleted)")
	}
	parts := strings.Split(ct, ",")
	seen := map[string]bool{}
	out := parts[:0]
	for _, p := range parts {
		p = strings.TrimSpace(p)
		switch p {
		case Created, Updated, Deleted:
		default:
			return "", fmt.Errorf("notify: unknown change type %q in ChangeType %q (want created, updated or deleted)", p, ct)
		}
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return strings.Join(out, ","), nil
}

func checkURL(field, raw string, required bool) error {
	if raw == "" {
		if required {
			return fmt.Errorf("notify: subscription %s is empty", field)
		}
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("notify: subscription %s is not a URL: %w", field, err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("notify: subscription %s %q is not an absolute https URL", field, api.RedactURL(raw))
	}
	return nil
}

func checkExpiry(expiry, now time.Time) error {
	switch {
	case expiry.IsZero():
		return errors.New("notify: subscription ExpirationDateTime is not set")
	case !expiry.After(now):
		return fmt.Errorf("notify: subscription expiry %s is in the past", expiry.UTC().Format(time.RFC3339))
	}
	return nil
}
