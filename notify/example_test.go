package notify_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/notify"
	"github.com/go-o365/o365/token"
)

// The webhook endpoint: answer the validation handshake, check the
// secret, hand notifications to a callback.
func ExampleHandler() {
	h := &notify.Handler{
		ClientStates: []string{"my-long-random-secret"},
		OnNotification: func(ctx context.Context, n notify.Notification) error {
			fmt.Println(n.ChangeType, n.ResourceData.ID)
			return nil
		},
		OnError: func(ctx context.Context, err error) { fmt.Println("dropped:", err) },
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	// Graph validates the endpoint before creating a subscription.
	resp, _ := http.Post(srv.URL+"?validationToken="+url.QueryEscape("Validation: token 1"), "text/plain", nil)
	echo, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, string(echo))

	// Then it posts notifications carrying the subscription's secret.
	for _, state := range []string{"my-long-random-secret", "forged"} {
		body := `{"value":[{"subscriptionId":"42","clientState":"` + state + `","changeType":"created",` +
			`"resource":"Users/u/Messages/AAMk","resourceData":{"id":"AAMk"}}]}`
		resp, _ = http.Post(srv.URL, "application/json", strings.NewReader(body))
		resp.Body.Close()
		fmt.Println(resp.StatusCode)
	}
	// Output:
	// 200 Validation: token 1
	// created AAMk
	// 202
	// dropped: notify: change notification for subscription "42" dropped: notify: clientState does not match
	// 202
}

// Slow processing belongs in workers: the Handler then answers Graph at
// once, and a full queue makes Graph resend later.
func ExampleEnqueue() {
	queue := make(chan notify.Notification, 1000)
	h := &notify.Handler{
		ClientStates:   []string{"my-long-random-secret"},
		OnNotification: notify.Enqueue(queue),
	}
	go func() {
		for n := range queue {
			_ = n // fetch the changed item, sync it, …
		}
	}()
	_ = h // http.Handle("/graph/notifications", h)
}

// A subscription on the Inbox, with notifications delivered by the
// graphtest emulator.
func ExampleSubscriptions_Create() {
	ctx := context.Background()
	srv := graphtest.NewServer()
	defer srv.Close()
	srv.AddApp(graphtest.App{ClientID: "app", ClientSecret: "app-secret"})
	adele := srv.AddUser(graphtest.User{UserPrincipalName: "adele@contoso.com", Password: "pw"})
	account := o365.NewAccount(o365.Credentials{ClientID: "app", ClientSecret: "app-secret"},
		o365.WithCloud(o365.Cloud{Login: srv.LoginURL(), Graph: srv.GraphURL()}),
		o365.WithTokenBackend(token.NewMemoryBackend()),
		o365.WithAuthFlow(o365.PasswordFlow), o365.WithPassword("adele@contoso.com", "pw"))
	if _, err := account.Authenticate(ctx); err != nil {
		fmt.Println(err)
		return
	}

	received := make(chan notify.Notification, 1)
	hook := httptest.NewServer(&notify.Handler{
		ClientStates:   []string{"my-long-random-secret"},
		OnNotification: notify.Enqueue(received),
	})
	defer hook.Close()

	sub, err := account.Subscriptions().Create(ctx, notify.Subscription{
		Resource:           "me/mailFolders('Inbox')/messages",
		ChangeType:         "created,updated",
		NotificationURL:    hook.URL,
		ExpirationDateTime: time.Now().Add(72 * time.Hour),
		ClientState:        "my-long-random-secret",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("subscribed to", sub.Resource)

	// A message arrives in Adele's Inbox.
	srv.PublishChange(adele.ID, "mailFolders/Inbox/messages", "created", "AAMkAGI2")
	n := <-received
	fmt.Println(n.ChangeType, n.ResourceData.ID)
	// Output:
	// subscribed to me/mailFolders('Inbox')/messages
	// created AAMkAGI2
}
