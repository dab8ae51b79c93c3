// Package planner is Microsoft Planner: plans that belong to Microsoft 365
// groups, the buckets (board columns) of a plan, its tasks, and each
// task's details (description, checklist, references).
//
//	pl := account.Planner()
//	plan, err := pl.CreatePlan(ctx, &planner.Plan{Title: "Launch", Container: planner.GroupContainer(groupID)})
//	todo, err := plan.CreateBucket(ctx, "To do", " !")
//	t := &planner.Task{Title: "Write the brief"}
//	t.Assign(userID)
//	task, err := todo.CreateTask(ctx, t)
//	task.PercentComplete = 100
//	err = task.Save(ctx) // PATCH {"percentComplete":100}, If-Match: the task's etag
//
//	for p, err := range pl.Plans(ctx, groupID) { … }
//	for t, err := range pl.MyTasks(ctx) { … } // tasks assigned to me
//
// # Etags
//
// Planner versions every item. Each decoded item keeps its @odata.etag
// (the ETag field), and Save and Delete send it in If-Match, as Planner
// requires. Save asks for the updated item back (Prefer:
// return=representation), so the item holds its new etag and can be
// saved again. When someone else changed the item in between, Graph
// answers 412: the error matches api.ErrPreconditionFailed, nothing is
// changed in Graph, and the struct is left as it was, edits included;
// read the item again and reapply them.
//
// # Changes
//
// Tasks, task details, buckets and plans remember their state as read, and
// Save sends only what changed (Task.Changes shows it). Assign and
// Unassign edit Task.Assignments; Save turns a new assignment into
// {"@odata.type":"#microsoft.graph.plannerAssignment","orderHint":" !"}
// and a removed one into the user id set to null, which is how Planner
// takes them. Checklist items and references are likewise added,
// changed, or removed (null). Reference keys are URLs; Planner stores them
// with '%', '.', ':', '@' and '#' percent-encoded, and References encodes
// and decodes them, so code works with plain URLs.
//
// # Order hints
//
// Planner orders buckets, tasks, assignments, checklist items and
// references by order hints, strings compared by character value. A
// client does not send a hint Graph returned; it asks for a place with
// "{previous} {next}!", which OrderHintBetween builds from the hints of
// the two neighbours (empty for none, so " !" places the first item).
// Graph replaces it with a short value of its own. Every hint this
// package sends is checked first: one that does not end in '!', or holds
// characters outside ' ' to '~', is an error matching
// ErrMalformedOrderHint before any request. SortBuckets and SortTasks put
// items in board order.
package planner
