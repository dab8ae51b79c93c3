// Package notify receives Microsoft Graph change notifications: it
// manages subscriptions (Graph's /subscriptions: create, renew, list,
// get, delete, reauthorize) and offers Handler, the webhook endpoint
// Graph posts notifications to.
//
// A subscription asks Graph to POST to a notification URL whenever
// something changes in a resource, such as a mailbox folder, a calendar,
// the contacts, or a drive:
//
//	subs := account.Subscriptions()
//	sub, err := subs.Create(ctx, notify.Subscription{
//		Resource:           "me/mailFolders('Inbox')/messages",
//		ChangeType:         "created,updated",
//		NotificationURL:    "https://hooks.example.com/graph",
//		ExpirationDateTime: time.Now().Add(72 * time.Hour),
//		ClientState:        secret,
//	})
//
// Graph calls the notification URL with a validation token before it
// creates the subscription, so the Handler must already be serving there.
//
//	http.Handle("/graph", &notify.Handler{
//		ClientStates:   []string{secret},
//		OnNotification: func(ctx context.Context, n notify.Notification) error { … },
//		OnLifecycle:    func(ctx context.Context, n notify.Notification) error { … },
//	})
//
// # Security
//
// Anyone who knows the URL can post to it. The clientState secret is
// what tells Graph's notifications from forged ones: the Handler compares
// it in constant time and drops every notification that does not carry an
// expected secret. Choose a long random secret per deployment (or per
// subscription, with ClientStateFor), and treat a notification as a hint
// to fetch the item through Graph, never as the item itself.
//
// # Timing
//
// Graph gives the validation request 10 seconds and each notification
// post 3 seconds. Callbacks run inside the request; keep them fast, or
// hand notifications to workers with Enqueue.
//
// # Lifetimes
//
// Subscriptions expire. Renew them before ExpirationDateTime (each
// notification carries it too); MaxLifetime gives the limit per resource.
// Set LifecycleNotificationURL to be told when Graph needs the
// subscription reauthorized, has removed it, or has missed notifications.
package notify
