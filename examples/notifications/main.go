// Command notifications subscribes to changes in a mailbox and receives
// them on a webhook: the notify.Handler answers Graph's validation
// request, checks every notification's clientState, and hands
// notifications to workers; a lifecycle worker renews the subscription
// when Graph asks for reauthorization.
//
// It runs offline against the graphtest emulator, which validates the
// webhook, posts a notification whenever mail changes (here simulated with
// PublishChange: a message arriving, then being read), and sends
// lifecycle notifications on request. A forged notification, posted with
// a guessed secret, is dropped.
//
// Against a real tenant the webhook must be reachable by Microsoft Graph
// over https (a public host, or a tunnel during development); the code is
// the same, with NotificationURL naming that host.
package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/go-o365/o365/internal/demo"
	"github.com/go-o365/o365/notify"
)

func main() { demo.Main(run, nil) }

func run(ctx context.Context, w io.Writer) error {
	srv, account, err := demo.Start(ctx, w, nil, "basic", "mailbox")
	if err != nil {
		return err
	}
	defer srv.Close()
	me, err := account.CurrentUser(ctx)
	if err != nil {
		return err
	}
	subs := account.Subscriptions()

	// The secret Graph sends back with every notification. Generate one
	// per deployment and keep it with the app's other secrets.
	secret := rand.Text()

	// Workers: change notifications are printed, lifecycle ones acted on.
	// The Handler only queues them, so Graph gets its answer at once.
	changes := make(chan notify.Notification, 100)
	lifecycle := make(chan notify.Notification, 10)
	dropped := make(chan error, 10)
	hook := &notify.Handler{
		ClientStates:   []string{secret},
		OnNotification: notify.Enqueue(changes),
		OnLifecycle:    notify.Enqueue(lifecycle),
		OnError:        func(_ context.Context, err error) { dropped <- err },
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	web := &http.Server{Handler: http.StripPrefix("/graph", hook), ReadHeaderTimeout: 5 * time.Second}
	go web.Serve(ln)
	defer web.Close()
	base := "http://" + ln.Addr().String() + "/graph"
	fmt.Fprintf(w, "Webhook listening at %s\n", base)

	sub, err := subs.Create(ctx, notify.Subscription{
		Resource:                 "me/mailFolders('Inbox')/messages",
		ChangeType:               "created,updated",
		NotificationURL:          base + "/notifications",
		LifecycleNotificationURL: base + "/lifecycle",
		ExpirationDateTime:       time.Now().Add(24 * time.Hour),
		ClientState:              secret,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Subscribed to %s (%s) until %s\n", sub.Resource, sub.ChangeType, sub.ExpirationDateTime.Format(time.RFC3339))

	// Mail changes: a message arrives in the Inbox, then is marked read.
	srv.PublishChange(me.ID, "mailFolders/Inbox/messages", "created", "AAMkAGI2THVSAAA=")
	srv.PublishChange(me.ID, "mailFolders/Inbox/messages", "updated", "AAMkAGI2THVSAAA=")
	for range 2 {
		n := <-changes
		fmt.Fprintf(w, "  notification: %s %s (message %s)\n", n.ChangeType, n.Resource, n.ResourceData.ID)
	}

	// Someone who found the URL posts a notification with a guessed secret.
	forged := `{"value":[{"subscriptionId":"` + sub.ID + `","clientState":"guess","changeType":"deleted","resource":"Users/x/Messages/y"}]}`
	resp, err := http.Post(base+"/notifications", "application/json", strings.NewReader(forged))
	if err != nil {
		return err
	}
	resp.Body.Close()
	fmt.Fprintf(w, "  forged notification answered %d and dropped: %v\n", resp.StatusCode, <-dropped)

	// Graph asks for reauthorization; the lifecycle worker renews.
	if err := srv.TriggerLifecycle(sub.ID, notify.ReauthorizationRequired); err != nil {
		return err
	}
	n := <-lifecycle
	renewed, err := subs.Renew(ctx, n.SubscriptionID, time.Now().Add(notify.MaxLifetime(sub.Resource)-time.Hour))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  lifecycle: %s, renewed until %s\n", n.LifecycleEvent, renewed.ExpirationDateTime.Format(time.RFC3339))

	for s, err := range subs.List(ctx) {
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "Active subscription %s on %s\n", s.ID, s.Resource)
	}
	if err := subs.Delete(ctx, sub.ID); err != nil {
		return err
	}
	fmt.Fprintln(w, "Subscription deleted")
	return nil
}
