// Command custom_component builds a component of its own on the shared
// base, as python-o365's "custom class" section does: it embeds
// o365.ApiComponent, names its endpoints, and makes requests through the
// connection it inherits.
//
// It runs offline against the graphtest emulator.
package main

import (
	"context"
	"fmt"
	"io"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/internal/demo"
)

// Profile reads a user's profile card: a custom component.
type Profile struct {
	o365.ApiComponent
}

// Card is the part of a user profile the component reads.
type Card struct {
	DisplayName    string `json:"displayName"`
	JobTitle       string `json:"jobTitle"`
	OfficeLocation string `json:"officeLocation"`
}

// NewProfile builds the component from any parent: an Account, a
// connection and protocol pair, or another component.
func NewProfile(parent o365.Parent) *Profile {
	return &Profile{ApiComponent: o365.NewApiComponent(parent, map[string]string{
		"my_url_key": "", // the main resource itself: /me or /users/{upn}
	})}
}

// Card fetches the card of the component's main resource.
func (p *Profile) Card(ctx context.Context) (*Card, error) {
	url := p.BuildURL(p.Endpoint("my_url_key")) // service URL + main resource + endpoint
	resp, err := p.Con().Get(ctx, url, o365.Params{"$select": "displayName,jobTitle,officeLocation"})
	if err != nil {
		return nil, err
	}
	card := new(Card)
	return card, api.DecodeResponse(resp, card)
}

func main() { demo.Main(run, nil) }

func run(ctx context.Context, w io.Writer) error {
	srv := demo.Emulator()
	defer srv.Close()
	demo.Banner(w, srv)

	protocol := o365.NewMSGraphProtocol()
	protocol.Host = srv.GraphURL()
	con := o365.NewConnection(demo.Credentials, append(demo.Options(srv, nil), o365.WithScopes(protocol.ScopesFor("basic", "users")...))...)
	if _, err := con.Authenticate(ctx); err != nil {
		return err
	}

	// Built from a connection and protocol pair: the signed-in user.
	mine := NewProfile(o365.ParentOf(con, protocol))
	card, err := mine.Card(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%-22s %s, %s, office %s\n", mine.MainResource()+":", card.DisplayName, card.JobTitle, card.OfficeLocation)

	// Built from an Account whose main resource is another user.
	account := o365.NewAccount(demo.Credentials, append(demo.Options(srv, nil),
		o365.WithMainResource(demo.Users[2].UserPrincipalName), o365.WithScopes("basic", "users"))...)
	if _, err := account.Authenticate(ctx); err != nil {
		return err
	}
	hers := NewProfile(account)
	card, err = hers.Card(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%-22s %s, %s, office %s\n", hers.MainResource()+":", card.DisplayName, card.JobTitle, card.OfficeLocation)
	return nil
}
