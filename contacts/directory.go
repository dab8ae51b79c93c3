package contacts

import (
	"context"
	"errors"
	"io"
	"iter"
	"net/url"
	"slices"
	"strings"

	"github.com/go-o365/o365/api"
)

// User is a user of the organisation's directory: the same type as
// o365.User and the one account.CurrentUser returns. Graph fills its
// default properties; the others only when selected (WithUserProperties).
type User = api.User

// DirectoryObject is a group, directory role or other directory object a
// user is a member of (MemberOf).
type DirectoryObject = api.DirectoryObject

// WithUserProperties selects the user properties Graph answers ($select),
// for the users of a list and for a single user (User, Manager): Graph
// answers only its eleven default properties unless asked, so reading
// departments or licences is one option:
//
//	dir.Users(ctx, contacts.WithUserProperties(api.UserJobProperties...))
//	dir.User(ctx, id, contacts.WithUserProperties(api.UserAllProperties...))
//
// Names are Graph's (api.User's JSON names). Several WithUserProperties
// add up, each name once; they replace a $select of a Query given too.
// The id is always selected: Graph answers a directory object's id only
// when $select names it, and a user without one cannot be read again.
func WithUserProperties(names ...string) api.ListOption {
	return func(c *api.ListConfig) {
		have := []string{"id"}
		if cur := c.Params["$select"]; cur != "" {
			have = strings.Split(cur, ",")
		}
		added := false
		for _, n := range names {
			n = strings.TrimSpace(n)
			if n != "" && !slices.ContainsFunc(have, func(h string) bool { return strings.EqualFold(h, n) }) {
				have = append(have, n)
				added = true
			}
		}
		if added {
			c.Params["$select"] = strings.Join(have, ",")
		}
	}
}

// PhotoInfo describes a profile photo (Graph's profilePhoto).
type PhotoInfo struct {
	ID          string `json:"id"` // the size, e.g. "240X240"
	Width       int    `json:"width,omitempty"`
	Height      int    `json:"height,omitempty"`
	ContentType string `json:"@odata.mediaContentType,omitempty"`
	ETag        string `json:"@odata.mediaEtag,omitempty"`
}

// Directory lists and searches the users of the organisation (Graph's
// /users, the global address list), and reads a user's manager, direct
// reports, photo and group memberships. It needs the User.ReadBasic.All
// scope ("users") for other users' basic profiles, User.Read.All
// ("users_all") or Directory.Read.All ("directory") for the properties
// outside the default set (Graph answers them as null otherwise), and
// Directory.Read.All or Group.Read.All for memberships.
//
// Users are named by id or user principal name; "me" is the signed-in
// user. Every list is sent with the header ConsistencyLevel: eventual,
// which Graph's directory needs for $search and $count, on every page.
type Directory struct {
	api.Component
}

// NewDirectory returns the directory reached through parent's connection.
// The directory belongs to the organisation, so parent's main resource
// does not matter.
func NewDirectory(parent api.Parent) *Directory {
	return &Directory{Component: api.New(parent, nil)}
}

// Users iterates over the users of the organisation. Use Query to filter
// (query.StartsWith("displayName", "Ad")), order, select, search or count.
func (d *Directory) Users(ctx context.Context, opts ...api.ListOption) iter.Seq2[*User, error] {
	return d.list(ctx, "/users", opts)
}

// Search iterates over the users whose display name, mail or user
// principal name match text, as Graph's $search matches: by words and
// word prefixes, without regard to case.
func (d *Directory) Search(ctx context.Context, text string, opts ...api.ListOption) iter.Seq2[*User, error] {
	text = strings.TrimSpace(text)
	if text == "" {
		return fail[*User](errors.New("contacts: Search: empty text"))
	}
	var phrases []string
	for _, field := range []string{"displayName", "mail", "userPrincipalName"} {
		phrases = append(phrases, searchPhrase(field+":"+text))
	}
	opts = append(slices.Clip(opts), api.Param("$search", strings.Join(phrases, " OR ")))
	return d.list(ctx, "/users", opts)
}

// searchPhrase quotes text for $search, escaping \ and " so the text
// cannot end the phrase early.
func searchPhrase(text string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(text) + `"`
}

// User gets a user by id or user principal name ("me" for the signed-in
// user). Of opts, WithUserProperties, Query (its $select and $expand) and
// Param apply; paging options mean nothing for one user.
func (d *Directory) User(ctx context.Context, user string, opts ...api.ListOption) (*User, error) {
	return d.getUser(ctx, user, "", opts)
}

// Manager gets the user's manager, with the properties opts select as
// for User. A user without one gives an error matching api.ErrNotFound.
func (d *Directory) Manager(ctx context.Context, user string, opts ...api.ListOption) (*User, error) {
	return d.getUser(ctx, user, "/manager", opts)
}

func (d *Directory) getUser(ctx context.Context, user, suffix string, opts []api.ListOption) (*User, error) {
	path, err := userPath(user)
	if err != nil {
		return nil, err
	}
	if err := d.ready(); err != nil {
		return nil, err
	}
	params, err := singleParams(opts)
	if err != nil {
		return nil, err
	}
	u := new(User)
	if err := d.GetJSON(ctx, d.BuildBaseURL(path+suffix), params, u); err != nil {
		return nil, err
	}
	return u, nil
}

// singleParams are the query parameters list options give a request for
// one item: the query's and Param's, without paging.
func singleParams(opts []api.ListOption) (api.Params, error) {
	cfg := api.NewListConfig(opts...)
	params := api.Params{}
	if cfg.Query != nil {
		qp, err := cfg.Query.Params()
		if err != nil {
			return nil, err
		}
		for k, v := range qp {
			params[k] = v
		}
	}
	for k, v := range cfg.Params {
		params[k] = v
	}
	return params, nil
}

// DirectReports iterates over the users whose manager is user.
func (d *Directory) DirectReports(ctx context.Context, user string, opts ...api.ListOption) iter.Seq2[*User, error] {
	path, err := userPath(user)
	if err != nil {
		return fail[*User](err)
	}
	return d.list(ctx, path+"/directReports", opts)
}

// Photo streams the user's profile photo; the caller closes it. A user
// without a photo gives an error matching api.ErrNotFound.
func (d *Directory) Photo(ctx context.Context, user string) (io.ReadCloser, error) {
	path, err := userPath(user)
	if err != nil {
		return nil, err
	}
	if err := d.ready(); err != nil {
		return nil, err
	}
	resp, err := getStream(ctx, &d.Component, d.BuildBaseURL(path+"/photo/$value"))
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// PhotoInfo gets the size and content type of the user's profile photo.
func (d *Directory) PhotoInfo(ctx context.Context, user string) (*PhotoInfo, error) {
	path, err := userPath(user)
	if err != nil {
		return nil, err
	}
	if err := d.ready(); err != nil {
		return nil, err
	}
	p := new(PhotoInfo)
	if err := d.GetJSON(ctx, d.BuildBaseURL(path+"/photo"), nil, p); err != nil {
		return nil, err
	}
	return p, nil
}

// MemberOf iterates over the groups, directory roles and administrative
// units user is a direct member of (Graph's memberOf) or, with
// transitive, a member of through nested groups too
// (transitiveMemberOf), each once. DirectoryObject.Type tells them apart.
func (d *Directory) MemberOf(ctx context.Context, user string, transitive bool, opts ...api.ListOption) iter.Seq2[*DirectoryObject, error] {
	path, err := userPath(user)
	if err != nil {
		return fail[*DirectoryObject](err)
	}
	if transitive {
		path += "/transitiveMemberOf"
	} else {
		path += "/memberOf"
	}
	return listEventual[*DirectoryObject](ctx, d, path, opts)
}

func (d *Directory) list(ctx context.Context, path string, opts []api.ListOption) iter.Seq2[*User, error] {
	return listEventual[*User](ctx, d, path, opts)
}

// listEventual lists a directory collection with ConsistencyLevel:
// eventual on every page.
func listEventual[T any](ctx context.Context, d *Directory, path string, opts []api.ListOption) iter.Seq2[T, error] {
	if err := d.ready(); err != nil {
		return fail[T](err)
	}
	opts = append([]api.ListOption{api.Header("ConsistencyLevel", "eventual")}, opts...)
	return api.List[T](ctx, d.Con(), d.BuildBaseURL(path), opts...)
}

// ready refuses a Directory made by hand rather than by NewDirectory or
// an Account: it has no connection to call Graph with.
func (d *Directory) ready() error {
	if d == nil || d.Con() == nil || d.Protocol() == nil {
		return errors.New("contacts: the Directory has no connection; make it with NewDirectory, or get it from an Account's Directory")
	}
	return nil
}

// userPath is the URL path of a user named by id or user principal name;
// "me" is the signed-in user, which Graph reaches only as /me.
func userPath(user string) (string, error) {
	switch {
	case user == "":
		return "", errors.New("contacts: empty user id or principal name")
	case strings.EqualFold(user, "me"):
		return "/me", nil
	}
	return "/users/" + url.PathEscape(user), nil
}
