package groups

import (
	"context"
	"errors"
	"iter"
	"net/url"
	"strings"

	"github.com/go-o365/o365/api"
)

// Members iterates over the direct members of the group: users and
// nested groups, each with its ODataType. Use Query to filter, search
// or count them (lists carry ConsistencyLevel: eventual).
func (g *Group) Members(ctx context.Context, opts ...api.ListOption) iter.Seq2[*DirectoryObject, error] {
	return g.objects(ctx, "/members", opts)
}

// TransitiveMembers iterates over the members of the group and of the
// groups nested in it, each once.
func (g *Group) TransitiveMembers(ctx context.Context, opts ...api.ListOption) iter.Seq2[*DirectoryObject, error] {
	return g.objects(ctx, "/transitiveMembers", opts)
}

// Owners iterates over the owners of the group, the users who may
// change it.
func (g *Group) Owners(ctx context.Context, opts ...api.ListOption) iter.Seq2[*DirectoryObject, error] {
	return g.objects(ctx, "/owners", opts)
}

// MemberOf iterates over the groups this group is a direct member of.
func (g *Group) MemberOf(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Group, error] {
	if err := g.check(); err != nil {
		return fail[*Group](err)
	}
	return listGroups(ctx, g.Component, g.url("/memberOf"), opts, true)
}

// AddMember adds the user or group with the given id to the members of
// the group. One that is a member already gives a *api.GraphError
// matching api.ErrBadRequest ("One or more added object references
// already exist"); an unknown id one matching api.ErrNotFound.
func (g *Group) AddMember(ctx context.Context, id string) error {
	return g.addRef(ctx, "/members", id)
}

// RemoveMember removes the user or group with the given id from the
// members of the group.
func (g *Group) RemoveMember(ctx context.Context, id string) error {
	return g.removeRef(ctx, "/members", id)
}

// AddOwner makes the user with the given id an owner of the group.
func (g *Group) AddOwner(ctx context.Context, id string) error {
	return g.addRef(ctx, "/owners", id)
}

// RemoveOwner removes the user with the given id from the owners of the
// group. Graph refuses to remove the last owner of a Microsoft 365 group.
func (g *Group) RemoveOwner(ctx context.Context, id string) error {
	return g.removeRef(ctx, "/owners", id)
}

// Delete deletes the group.
func (g *Group) Delete(ctx context.Context) error {
	if err := g.check(); err != nil {
		return err
	}
	return g.Component.Delete(ctx, g.url(""))
}

func (g *Group) objects(ctx context.Context, rel string, opts []api.ListOption) iter.Seq2[*DirectoryObject, error] {
	if err := g.check(); err != nil {
		return fail[*DirectoryObject](err)
	}
	opts = append([]api.ListOption{api.Header("ConsistencyLevel", "eventual")}, opts...)
	return api.List[*DirectoryObject](ctx, g.Con(), g.url(rel), opts...)
}

// addRef adds a reference to a directory object, the way Graph's
// navigation properties take one: POST …/$ref {"@odata.id": …}.
func (g *Group) addRef(ctx context.Context, rel, id string) error {
	if err := g.check(); err != nil {
		return err
	}
	if id == "" {
		return errors.New("groups: empty member or owner id")
	}
	body := map[string]string{"@odata.id": g.BuildBaseURL("/directoryObjects/" + url.PathEscape(id))}
	return g.PostJSON(ctx, g.url(rel+"/$ref"), body, nil)
}

func (g *Group) removeRef(ctx context.Context, rel, id string) error {
	if err := g.check(); err != nil {
		return err
	}
	if id == "" {
		return errors.New("groups: empty member or owner id")
	}
	return g.Component.Delete(ctx, g.url(rel+"/"+url.PathEscape(id)+"/$ref"))
}

// ErrNotBound is returned by the methods of a Group that was not read
// through Groups (a literal, or decoded by hand), which has no
// connection to call Graph with.
var ErrNotBound = errors.New("groups: group not bound to a connection (read it through Groups)")

func (g *Group) check() error {
	switch {
	case g.Con() == nil:
		return ErrNotBound
	case g.ID == "":
		return errors.New("groups: group without an id")
	}
	return nil
}

// url is the URL of rel below the group.
func (g *Group) url(rel string) string { return g.BuildBaseURL(groupPath(g.ID) + rel) }

// GroupChanges are the properties Update changes; nil ones stay as they
// are.
type GroupChanges struct {
	DisplayName       *string `json:"displayName,omitempty"`
	Description       *string `json:"description,omitempty"`
	Visibility        *string `json:"visibility,omitempty"`
	Classification    *string `json:"classification,omitempty"`
	PreferredLanguage *string `json:"preferredLanguage,omitempty"`
}

// Update changes the group's properties in c (PATCH /groups/{id}) and,
// once Graph has accepted them, on g. Changes with nothing set send no
// request; an empty display name is refused before any request.
func (g *Group) Update(ctx context.Context, c GroupChanges) error {
	if err := g.check(); err != nil {
		return err
	}
	if c == (GroupChanges{}) {
		return nil
	}
	if c.DisplayName != nil && strings.TrimSpace(*c.DisplayName) == "" {
		return errors.New("groups: Update: empty display name")
	}
	if err := g.PatchJSON(ctx, g.url(""), c, nil); err != nil {
		return err
	}
	for _, f := range []struct {
		from *string
		to   *string
	}{{c.DisplayName, &g.DisplayName}, {c.Description, &g.Description}, {c.Visibility, &g.Visibility},
		{c.Classification, &g.Classification}, {c.PreferredLanguage, &g.PreferredLanguage}} {
		if f.from != nil {
			*f.to = *f.from
		}
	}
	return nil
}
