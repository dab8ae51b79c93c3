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
// o365.User and the one account.CurrentUser returns, holding the
// properties Graph sends by default.
type User = api.User

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
// reports and photo. It needs the User.ReadBasic.All scope ("users") for
// other users' basic profiles, or User.Read.All for more.
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
// user).
func (d *Directory) User(ctx context.Context, user string) (*User, error) {
	path, err := userPath(user)
	if err != nil {
		return nil, err
	}
	u := new(User)
	if err := d.GetJSON(ctx, d.BuildBaseURL(path), nil, u); err != nil {
		return nil, err
	}
	return u, nil
}

// Manager gets the user's manager. A user without one gives an error
// matching api.ErrNotFound.
func (d *Directory) Manager(ctx context.Context, user string) (*User, error) {
	path, err := userPath(user)
	if err != nil {
		return nil, err
	}
	m := new(User)
	if err := d.GetJSON(ctx, d.BuildBaseURL(path+"/manager"), nil, m); err != nil {
		return nil, err
	}
	return m, nil
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
	p := new(PhotoInfo)
	if err := d.GetJSON(ctx, d.BuildBaseURL(path+"/photo"), nil, p); err != nil {
		return nil, err
	}
	return p, nil
}

func (d *Directory) list(ctx context.Context, path string, opts []api.ListOption) iter.Seq2[*User, error] {
	opts = append([]api.ListOption{api.Header("ConsistencyLevel", "eventual")}, opts...)
	return api.List[*User](ctx, d.Con(), d.BuildBaseURL(path), opts...)
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
