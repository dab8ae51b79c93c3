package o365

import "github.com/go-o365/o365/groups"

// Groups returns the organisation's groups: list, search, get by id or
// mail, the groups a user belongs to, create and delete Microsoft 365
// groups, and each group's members, owners and conversations. A group's
// calendar and drive are main resources: account.Schedule(g.Resource())
// and account.Storage(g.Resource()). It needs the "groups" scope
// (Group.Read.All), or "groups_all" (Group.ReadWrite.All) to change
// groups and post to conversations.
func (a *Account) Groups() *groups.Groups {
	return groups.NewFrom(a)
}
