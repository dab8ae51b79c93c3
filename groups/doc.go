// Package groups is the organisation's groups (Microsoft Entra groups
// through Microsoft Graph): Microsoft 365 groups, security groups and
// distribution lists; their members and owners; the groups a user
// belongs to; and a Microsoft 365 group's conversations.
//
//	gs := account.Groups()
//	for g, err := range gs.List(ctx, o365.Limit(50)) { … }
//	for g, err := range gs.Search(ctx, "golf") { … }   // display name or description
//	g, err := gs.GroupByMail(ctx, "golfassist@contoso.com")
//	for m, err := range g.Members(ctx) { … }           // users and nested groups
//	err = g.AddMember(ctx, userID)                     // POST /groups/{id}/members/$ref
//	for g, err := range gs.MemberOf(ctx, "me") { … }   // or TransitiveMemberOf
//
//	g, err := gs.Create(ctx, groups.NewGroup{DisplayName: "Library Assist", MailNickname: "library"})
//	c, err := g.StartConversation(ctx, "Welcome", groups.Post{Body: groups.ItemBody{ContentType: "text", Content: "Hello"}})
//	err = g.Reply(ctx, c.Threads[0].ID, groups.Post{Body: groups.ItemBody{Content: "Thanks!"}})
//
//	sched := account.Schedule(g.Resource())            // the group calendar: /groups/{id}/events, calendarView
//	st := account.Storage(g.Resource())                // the group's document library: /groups/{id}/drive
//
// # Groups and group objects
//
// Groups (account.Groups(), or New / NewFrom without an Account) works
// on the whole directory, so its parent's main resource does not
// matter. A Group it returns is bound to its connection: its methods
// list and change members and owners, update and delete it, and read and
// write its conversations. A Group built as a literal has no connection, and its
// methods return ErrNotBound.
//
// Every list is sent with ConsistencyLevel: eventual on every page, as
// Graph's directory needs for $search and $count.
//
// # Members and owners
//
// Members and owners are directory objects: Graph lists users and
// groups (and, in a real tenant, devices, contacts and service
// principals) in one collection, each with its @odata.type. A
// DirectoryObject holds the properties either kind has by default and
// says which kind it is (IsUser, IsGroup). Adding a member or owner is
// a reference to the object (POST …/members/$ref with its @odata.id);
// adding one twice is an error Graph reports as a *api.GraphError
// matching api.ErrBadRequest.
//
// # Conversations
//
// A Microsoft 365 group has a mailbox whose conversations hold threads
// of posts. Posts have an ItemBody and Recipients, the message
// package's types, so addresses move between posts and messages
// without conversion. Graph lets only delegated callers post (with
// Group.ReadWrite.All); app-only callers can read.
//
// # Calendar and drive
//
// A group's calendar and drive are not in this package: they are the
// calendar and drive packages' Schedule and Storage with the group as
// main resource (Resource, "groups/{id}"), so events and files work as
// they do for users. Graph's group calendar takes delegated callers only.
//
// # Scopes
//
// "groups" (Group.Read.All) reads groups, members, owners and
// conversations; "groups_all" (Group.ReadWrite.All) also creates and
// deletes groups, changes members and owners, and posts. Reading a
// user's memberships of another user needs "users" (User.ReadBasic.All)
// or Directory.Read.All as well in a real tenant.
package groups
