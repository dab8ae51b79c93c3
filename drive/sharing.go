package drive

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/go-o365/o365/api"
)

// Permission is a sharing permission on an item: a link, an invitation,
// or access granted to someone (Graph's permission).
type Permission struct {
	api.Component `json:"-"`

	ID                    string                   `json:"id"`
	Roles                 []string                 `json:"roles,omitempty"` // read, write, owner
	Link                  *SharingLink             `json:"link,omitempty"`
	GrantedTo             *IdentitySet             `json:"grantedTo,omitempty"`
	GrantedToV2           *SharePointIdentitySet   `json:"grantedToV2,omitempty"`
	GrantedToIdentities   []*IdentitySet           `json:"grantedToIdentities,omitempty"`
	GrantedToIdentitiesV2 []*SharePointIdentitySet `json:"grantedToIdentitiesV2,omitempty"`
	Invitation            *SharingInvitation       `json:"invitation,omitempty"`
	InheritedFrom         *ItemReference           `json:"inheritedFrom,omitempty"`
	ShareID               string                   `json:"shareId,omitempty"`
	HasPassword           bool                     `json:"hasPassword,omitempty"`
	ExpirationDateTime    time.Time                `json:"expirationDateTime,omitzero"`

	itemPath string
	saved    permEdition
}

type permEdition struct {
	roles   []string
	expires time.Time
}

// SharingLink is the link of a link permission.
type SharingLink struct {
	Type             string    `json:"type,omitempty"`  // view, edit, embed
	Scope            string    `json:"scope,omitempty"` // anonymous, organization, users
	WebURL           string    `json:"webUrl,omitempty"`
	WebHTML          string    `json:"webHtml,omitempty"` // the iframe of an embed link
	Application      *Identity `json:"application,omitempty"`
	PreventsDownload bool      `json:"preventsDownload,omitempty"`
}

// SharingInvitation is the invitation of an invite permission.
type SharingInvitation struct {
	Email          string       `json:"email,omitempty"`
	InvitedBy      *IdentitySet `json:"invitedBy,omitempty"`
	RedeemedBy     string       `json:"redeemedBy,omitempty"`
	SignInRequired bool         `json:"signInRequired,omitempty"`
}

// Link types and scopes of CreateLink.
const (
	LinkView  = "view"
	LinkEdit  = "edit"
	LinkEmbed = "embed"

	ScopeAnonymous    = "anonymous"
	ScopeOrganization = "organization"
	ScopeUsers        = "users"
)

// LinkOptions describe a sharing link.
type LinkOptions struct {
	Type  string // LinkView, LinkEdit or LinkEmbed (required)
	Scope string // ScopeAnonymous, ScopeOrganization or ScopeUsers; "" lets the tenant's policy choose
	// Expiration, when set, is when the link stops working.
	Expiration time.Time
	// Password, when set, is asked of whoever opens the link (OneDrive
	// personal).
	Password string
	// RetainInheritedPermissions keeps the permissions inherited from
	// the folders above when the link is the item's first.
	RetainInheritedPermissions bool
}

// CreateLink creates a sharing link to the item, or returns the existing
// one of the same type and scope.
func (i *DriveItem) CreateLink(ctx context.Context, opts LinkOptions) (*Permission, error) {
	if err := i.ready("CreateLink"); err != nil {
		return nil, err
	}
	if !slices.Contains([]string{LinkView, LinkEdit, LinkEmbed}, opts.Type) {
		return nil, fmt.Errorf("o365: CreateLink: link type %q is not view, edit or embed", opts.Type)
	}
	if opts.Scope != "" && !slices.Contains([]string{ScopeAnonymous, ScopeOrganization, ScopeUsers}, opts.Scope) {
		return nil, fmt.Errorf("o365: CreateLink: link scope %q is not anonymous, organization or users", opts.Scope)
	}
	body := map[string]any{"type": opts.Type}
	if opts.Scope != "" {
		body["scope"] = opts.Scope
	}
	if !opts.Expiration.IsZero() {
		body["expirationDateTime"] = opts.Expiration.UTC()
	}
	if opts.Password != "" {
		body["password"] = opts.Password
	}
	if opts.RetainInheritedPermissions {
		body["retainInheritedPermissions"] = true
	}
	p := new(Permission)
	if err := i.PostJSON(ctx, i.url("/createLink"), body, p); err != nil {
		return nil, err
	}
	p.attach(i.Component, i.path())
	return p, nil
}

// Invitation describes an invitation to an item.
type Invitation struct {
	// Recipients are email addresses (required).
	Recipients []string
	// Roles are "read" or "write"; read when empty.
	Roles []string
	// Message is included in the invitation mail.
	Message string
	// RequireSignIn makes the recipients sign in to open the item.
	RequireSignIn bool
	// SendInvitation sends the invitation mail; otherwise the item is
	// only shared.
	SendInvitation bool
	// Expiration, when set, is when the access ends.
	Expiration time.Time
	// Password, when set, is asked of the recipients (OneDrive personal).
	Password string
}

// Invite shares the item with people and returns the permissions made,
// one per recipient.
func (i *DriveItem) Invite(ctx context.Context, inv Invitation) ([]*Permission, error) {
	if err := i.ready("Invite"); err != nil {
		return nil, err
	}
	if len(inv.Recipients) == 0 {
		return nil, errors.New("o365: Invite: no recipients")
	}
	recipients := make([]map[string]string, 0, len(inv.Recipients))
	for _, r := range inv.Recipients {
		if at := strings.IndexByte(r, '@'); at <= 0 || at == len(r)-1 || strings.ContainsAny(r, " \t\r\n<>") {
			return nil, fmt.Errorf("o365: Invite: recipient %q is not an email address", r)
		}
		recipients = append(recipients, map[string]string{"email": r})
	}
	roles := inv.Roles
	if len(roles) == 0 {
		roles = []string{"read"}
	}
	for _, r := range roles {
		if r != "read" && r != "write" {
			return nil, fmt.Errorf("o365: Invite: role %q is not read or write", r)
		}
	}
	body := map[string]any{
		"recipients":     recipients,
		"roles":          roles,
		"requireSignIn":  inv.RequireSignIn,
		"sendInvitation": inv.SendInvitation,
	}
	if inv.Message != "" {
		body["message"] = inv.Message
	}
	if !inv.Expiration.IsZero() {
		body["expirationDateTime"] = inv.Expiration.UTC()
	}
	if inv.Password != "" {
		body["password"] = inv.Password
	}
	var page struct {
		Value []*Permission `json:"value"`
	}
	if err := i.PostJSON(ctx, i.url("/invite"), body, &page); err != nil {
		return nil, err
	}
	out := make([]*Permission, 0, len(page.Value))
	for _, p := range page.Value {
		if p != nil {
			p.attach(i.Component, i.path())
			out = append(out, p)
		}
	}
	return out, nil
}

// Permissions lists the item's permissions, including those inherited
// from the folders above (InheritedFrom set).
func (i *DriveItem) Permissions(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Permission, error] {
	if err := i.ready("Permissions"); err != nil {
		return failed[*Permission](err)
	}
	c, path := i.Component, i.path()
	return list(ctx, &i.Component, i.url("/permissions"), func(p *Permission) { p.attach(c, path) }, opts...)
}

func (p *Permission) attach(c api.Component, itemPath string) {
	p.Component = c
	p.itemPath = itemPath
	p.saved = permEdition{slices.Clone(p.Roles), p.ExpirationDateTime}
}

func (p *Permission) url() string {
	return p.BuildBaseURL("/" + p.itemPath + "/permissions/" + PathSegment(p.ID))
}

func (p *Permission) ready(op string) error {
	if p == nil || p.Con() == nil || p.itemPath == "" {
		return fmt.Errorf("o365: %s: the Permission %w", op, ErrNotBound)
	}
	return needID(op, p.ID)
}

// Update sends the changes made to Roles and ExpirationDateTime since the
// permission was loaded (only those, and nothing when nothing changed),
// and refreshes it.
func (p *Permission) Update(ctx context.Context) error {
	if err := p.ready("Permission.Update"); err != nil {
		return err
	}
	body := map[string]any{}
	if !slices.Equal(p.Roles, p.saved.roles) {
		body["roles"] = p.Roles
	}
	if !p.ExpirationDateTime.Equal(p.saved.expires) {
		body["expirationDateTime"] = nil // a zero time removes the expiration
		if !p.ExpirationDateTime.IsZero() {
			body["expirationDateTime"] = p.ExpirationDateTime.UTC()
		}
	}
	if len(body) == 0 {
		return nil
	}
	fresh := new(Permission)
	if err := p.PatchJSON(ctx, p.url(), body, fresh); err != nil {
		return err
	}
	c, path := p.Component, p.itemPath
	*p = *fresh
	p.attach(c, path)
	return nil
}

// Delete removes the permission: the link stops working, or the person
// loses access. Inherited permissions are removed on the folder they
// come from.
func (p *Permission) Delete(ctx context.Context) error {
	if err := p.ready("Permission.Delete"); err != nil {
		return err
	}
	return p.Component.Delete(ctx, p.url())
}
