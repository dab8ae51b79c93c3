package groups

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"slices"
	"strings"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/query"
)

// Groups lists, finds, creates and deletes the groups of the
// organisation, and lists the groups a user belongs to. It needs the
// "groups" scope (Group.Read.All) to read and "groups_all"
// (Group.ReadWrite.All) to change groups; an app-only token works too.
//
// Lists are sent with the header ConsistencyLevel: eventual on every
// page, which Graph's directory needs for $search and $count.
type Groups struct {
	api.Component
}

// New returns the groups reached through con, the modular form without
// an Account.
func New(con api.Requester, protocol api.Protocol) *Groups {
	return NewFrom(api.ParentOf(con, protocol))
}

// NewFrom returns the groups reached through parent's connection (an
// Account, another component, or api.ParentOf). Groups belong to the
// organisation, so parent's main resource does not matter.
func NewFrom(parent api.Parent) *Groups {
	return &Groups{Component: api.New(parent, nil)}
}

// List iterates over the groups of the organisation. Use Query to filter
// (query.Any("groupTypes", "t", query.Eq("t", "Unified")) for Microsoft
// 365 groups only), order, select or count them.
func (gs *Groups) List(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Group, error] {
	return listGroups(ctx, gs.Component, gs.BuildBaseURL("/groups"), opts, false)
}

// Search iterates over the groups whose display name or description
// match text, by words and word prefixes, as Graph's $search matches.
func (gs *Groups) Search(ctx context.Context, text string, opts ...api.ListOption) iter.Seq2[*Group, error] {
	text = strings.TrimSpace(text)
	if text == "" {
		return fail[*Group](errors.New("groups: Search: empty text"))
	}
	search := searchPhrase("displayName:"+text) + " OR " + searchPhrase("description:"+text)
	opts = append(slices.Clip(opts), api.Param("$search", search))
	return gs.List(ctx, opts...)
}

// Count returns how many groups match the query of opts (a Query's
// $filter, or Param("$search", …)), as Graph's $count reports it, reading
// one group at most.
func (gs *Groups) Count(ctx context.Context, opts ...api.ListOption) (int64, error) {
	opts = append([]api.ListOption{api.Header("ConsistencyLevel", "eventual")}, opts...)
	opts = append(opts, api.Param("$count", "true"), api.BatchSize(1))
	p := api.NewPager[*Group](gs.Con(), gs.BuildBaseURL("/groups"), opts...)
	for _, err := range p.All(ctx) {
		if err != nil {
			return 0, err
		}
		break
	}
	if p.Count() < 0 {
		return 0, errors.New("groups: Count: Graph sent no @odata.count")
	}
	return p.Count(), nil
}

// searchPhrase quotes text for $search, escaping \ and " so the text
// cannot end the phrase early.
func searchPhrase(text string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(text) + `"`
}

// Group gets the group with the given id. An unknown id gives an error
// matching api.ErrNotFound.
func (gs *Groups) Group(ctx context.Context, id string) (*Group, error) {
	if id == "" {
		return nil, errors.New("groups: Group: empty id")
	}
	g := new(Group)
	if err := gs.GetJSON(ctx, gs.BuildBaseURL(groupPath(id)), nil, g); err != nil {
		return nil, err
	}
	g.Component = gs.Component
	return g, nil
}

// GroupByMail returns the group with the given SMTP address (compared
// as Graph compares, without regard to case). No such group gives an
// error matching api.ErrNotFound.
func (gs *Groups) GroupByMail(ctx context.Context, mail string) (*Group, error) {
	if mail == "" {
		return nil, errors.New("groups: GroupByMail: empty address")
	}
	q := query.New().Where(query.Eq("mail", mail))
	for g, err := range gs.List(ctx, api.Query(q), api.Limit(1)) {
		return g, err
	}
	return nil, fmt.Errorf("groups: no group with address %q: %w", mail, api.ErrNotFound)
}

// MemberOf iterates over the groups user is a direct member of: "me" for
// the signed-in user, or a user's id or user principal name. Directory
// roles and administrative units, which Graph lists there too, are left
// out.
func (gs *Groups) MemberOf(ctx context.Context, user string, opts ...api.ListOption) iter.Seq2[*Group, error] {
	return gs.memberOf(ctx, user, "/memberOf", opts)
}

// TransitiveMemberOf is MemberOf with the groups user belongs to through
// nested groups too.
func (gs *Groups) TransitiveMemberOf(ctx context.Context, user string, opts ...api.ListOption) iter.Seq2[*Group, error] {
	return gs.memberOf(ctx, user, "/transitiveMemberOf", opts)
}

func (gs *Groups) memberOf(ctx context.Context, user, rel string, opts []api.ListOption) iter.Seq2[*Group, error] {
	path, err := userPath(user)
	if err != nil {
		return fail[*Group](err)
	}
	return listGroups(ctx, gs.Component, gs.BuildBaseURL(path+rel), opts, true)
}

// NewGroup describes a Microsoft 365 group for Create. DisplayName and
// MailNickname are required.
type NewGroup struct {
	DisplayName string
	// MailNickname is the mail alias, unique in the organisation: at
	// most 64 ASCII characters, without spaces or any of @()\[]";:.<>,
	MailNickname string
	Description  string
	// Visibility is "Public" (Graph's default for Microsoft 365 groups),
	// "Private" or "HiddenMembership".
	Visibility        string
	PreferredLanguage string
	Classification    string
	// Owners and Members are ids of users (Members may also name groups).
	// Without owners, a delegated caller becomes the owner.
	Owners  []string
	Members []string
}

// createBody is NewGroup as POST /groups takes it.
type createBody struct {
	DisplayName       string   `json:"displayName"`
	Description       string   `json:"description,omitempty"`
	GroupTypes        []string `json:"groupTypes"`
	MailEnabled       bool     `json:"mailEnabled"`
	MailNickname      string   `json:"mailNickname"`
	SecurityEnabled   bool     `json:"securityEnabled"`
	Visibility        string   `json:"visibility,omitempty"`
	PreferredLanguage string   `json:"preferredLanguage,omitempty"`
	Classification    string   `json:"classification,omitempty"`
	Owners            []string `json:"owners@odata.bind,omitempty"`
	Members           []string `json:"members@odata.bind,omitempty"`
}

// Create creates a Microsoft 365 group (mail-enabled, not a security
// group) and returns it as Graph answers. Its mailbox, calendar and
// drive are provisioned by Microsoft 365 in the background, which can
// take a few minutes in a real tenant.
func (gs *Groups) Create(ctx context.Context, ng NewGroup) (*Group, error) {
	if err := ng.validate(); err != nil {
		return nil, err
	}
	body := createBody{
		DisplayName: ng.DisplayName, Description: ng.Description, GroupTypes: []string{"Unified"},
		MailEnabled: true, MailNickname: ng.MailNickname, Visibility: ng.Visibility,
		PreferredLanguage: ng.PreferredLanguage, Classification: ng.Classification,
	}
	for _, id := range ng.Owners {
		body.Owners = append(body.Owners, gs.BuildBaseURL("/users/"+url.PathEscape(id)))
	}
	for _, id := range ng.Members {
		body.Members = append(body.Members, gs.BuildBaseURL("/directoryObjects/"+url.PathEscape(id)))
	}
	g := new(Group)
	if err := gs.PostJSON(ctx, gs.BuildBaseURL("/groups"), body, g); err != nil {
		return nil, err
	}
	g.Component = gs.Component
	return g, nil
}

func (ng NewGroup) validate() error {
	switch {
	case strings.TrimSpace(ng.DisplayName) == "":
		return errors.New("groups: Create: empty display name")
	case len(ng.DisplayName) > 256:
		return fmt.Errorf("groups: Create: display name of %d characters; at most 256", len(ng.DisplayName))
	case ng.MailNickname == "":
		return errors.New("groups: Create: empty mail nickname")
	case len(ng.MailNickname) > 64:
		return fmt.Errorf("groups: Create: mail nickname %q is longer than 64 characters", ng.MailNickname)
	}
	for _, r := range ng.MailNickname {
		if r > 127 || r < 32 || strings.ContainsRune(` @()\[]";:.<>,`, r) {
			return fmt.Errorf("groups: Create: mail nickname %q holds %q, which a mail alias cannot", ng.MailNickname, r)
		}
	}
	for _, id := range slices.Concat(ng.Owners, ng.Members) {
		if id == "" {
			return errors.New("groups: Create: empty owner or member id")
		}
	}
	return nil
}

// Delete deletes the group with the given id. Graph keeps a deleted
// Microsoft 365 group restorable for 30 days.
func (gs *Groups) Delete(ctx context.Context, id string) error {
	if id == "" {
		return errors.New("groups: Delete: empty id")
	}
	return gs.Component.Delete(ctx, gs.BuildBaseURL(groupPath(id)))
}

// listGroups iterates over the groups at u, bound to parent; with
// onlyGroups, other directory objects are skipped.
func listGroups(ctx context.Context, parent api.Component, u string, opts []api.ListOption, onlyGroups bool) iter.Seq2[*Group, error] {
	opts = append([]api.ListOption{api.Header("ConsistencyLevel", "eventual")}, opts...)
	limit := 0
	if onlyGroups {
		// Limit caps the groups yielded: the pager would count the
		// directory roles and administrative units skipped too, and stop
		// short of groups that follow them.
		limit = api.NewListConfig(opts...).Limit
		opts = append(opts, api.Limit(0))
	}
	return func(yield func(*Group, error) bool) {
		n := 0
		for g, err := range api.List[*Group](ctx, parent.Con(), u, opts...) {
			if err != nil {
				yield(nil, err)
				return
			}
			if onlyGroups && g.ODataType != "" && !strings.EqualFold(g.ODataType, TypeGroup) {
				continue
			}
			g.Component = parent
			if !yield(g, nil) {
				return
			}
			if n++; limit > 0 && n >= limit {
				return
			}
		}
	}
}

// userPath is the URL path of a user named by id or user principal name;
// "me" is the signed-in user, which Graph reaches only as /me.
func userPath(user string) (string, error) {
	switch {
	case user == "":
		return "", errors.New("groups: empty user id or principal name")
	case strings.EqualFold(user, "me"):
		return "/me", nil
	}
	return "/users/" + url.PathEscape(user), nil
}

func groupPath(id string) string { return "/groups/" + url.PathEscape(id) }

func fail[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}
