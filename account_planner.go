package o365

import "github.com/go-o365/o365/planner"

// Planner returns Microsoft Planner for the main resource, or for the
// user named by resource ("me", a user principal name, "users/{id}"):
// their plans and assigned tasks, any group's plans (Plans(ctx, groupID)),
// and plans, buckets, tasks and task details by id. It needs the planner
// scope to read and planner_all to write.
func (a *Account) Planner(resource ...string) *planner.Planner {
	return planner.NewFrom(a, resource...)
}
