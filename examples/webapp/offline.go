package main

import (
	"fmt"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/examples/webapp/app"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/token"
)

// credentials of the emulated web app.
var credentials = o365.Credentials{ClientID: "webapp-demo", ClientSecret: "webapp-secret"}

// users of the emulated tenant.
var users = []graphtest.User{
	{UserPrincipalName: "AdeleV@contoso.onmicrosoft.com", DisplayName: "Adele Vance", Mail: "AdeleV@contoso.onmicrosoft.com", Password: "adele-demo"},
	{UserPrincipalName: "AlexW@contoso.onmicrosoft.com", DisplayName: "Alex Wilber", Mail: "AlexW@contoso.onmicrosoft.com", Password: "alex-demo"},
	{UserPrincipalName: "MeganB@contoso.onmicrosoft.com", DisplayName: "Megan Bowen", Mail: "MeganB@contoso.onmicrosoft.com", Password: "megan-demo"},
}

// seeded is what each user finds: inbox subjects, and events starting
// the given number of hours from now.
var seeded = map[string]struct {
	inbox  []string
	events map[string]int
}{
	users[0].UserPrincipalName: {
		inbox:  []string{"Q1 store figures", "Retail team offsite", "New window displays"},
		events: map[string]int{"Store walkthrough": 20, "Retail planning": 50},
	},
	users[1].UserPrincipalName: {
		inbox:  []string{"Campaign brief: spring launch", "Social media calendar"},
		events: map[string]int{"Marketing sync": 26, "Product training": 74},
	},
	users[2].UserPrincipalName: {
		inbox:  []string{"Budget approval needed", "Trade fair logistics"},
		events: map[string]int{"Trade fair": 98},
	},
}

// offline starts the emulator with the app (redirecting to base), the
// users and their mail and events, and returns it with the app's
// account: one token backend for every user who will sign in.
func offline(base string, now time.Time) (*graphtest.Server, *o365.Account) {
	// The sign-in page makes the emulator's authorize endpoint ask the
	// browser which account to use, as the real one does.
	srv := graphtest.NewServer(graphtest.WithSignInPage())
	srv.AddApp(graphtest.App{
		ClientID:     credentials.ClientID,
		ClientSecret: credentials.ClientSecret,
		RedirectURIs: []string{base + app.CallbackPath},
	})
	for _, u := range users {
		srv.AddUser(u)
	}
	if err := seed(srv, now); err != nil {
		srv.Close()
		panic(err) // the seed data is fixed: an error is a bug here
	}
	account := o365.NewAccount(credentials,
		o365.WithCloud(o365.Cloud{Login: srv.LoginURL(), Graph: srv.GraphURL()}),
		o365.WithScopes(scopes...),
		o365.WithTokenBackend(token.NewMemoryBackend()))
	return srv, account
}

// seed gives every user the mail and events of seeded; mail arrives from
// the next user.
func seed(srv *graphtest.Server, now time.Time) error {
	for i, u := range users {
		upn := u.UserPrincipalName
		from := users[(i+1)%len(users)].UserPrincipalName
		for j, subject := range seeded[upn].inbox {
			m := graphtest.MailMessage{Subject: subject, From: from, To: []string{upn},
				Body: "About " + subject + ".", Received: now.Add(-time.Duration(j+1) * time.Hour)}
			if _, err := srv.AddMessage(upn, "inbox", m); err != nil {
				return fmt.Errorf("seeding the inbox of %s: %w", upn, err)
			}
		}
		for subject, hours := range seeded[upn].events {
			start := now.UTC().Truncate(time.Hour).Add(time.Duration(hours) * time.Hour)
			at := func(t time.Time) map[string]any {
				return map[string]any{"dateTime": t.Format("2006-01-02T15:04:05"), "timeZone": "UTC"}
			}
			ev := map[string]any{"subject": subject, "start": at(start), "end": at(start.Add(time.Hour)),
				"location": map[string]any{"displayName": "Room " + fmt.Sprint(100+hours)}}
			if _, err := srv.AddEvent(upn, "", ev); err != nil {
				return fmt.Errorf("seeding the calendar of %s: %w", upn, err)
			}
		}
	}
	return nil
}
