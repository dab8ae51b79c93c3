// Package todo is Microsoft To Do through Microsoft Graph: a user's task
// lists, their tasks, each task's checklist, linked resources and file
// attachments, and delta sync of a list's tasks (python-o365's ToDo).
//
//	td := account.Tasks()                       // the signed-in user's
//	list, err := td.DefaultList(ctx)            // "Tasks"
//	t := list.NewTask("File the expense report")
//	t.DueDateTime = time.Date(2025, 3, 14, 17, 0, 0, 0, berlin)
//	t.Importance = todo.High
//	err = t.Save(ctx)                           // POST …/todo/lists/{id}/tasks
//	item, err := t.AddChecklistItem(ctx, "Scan the receipts")
//	err = item.Check(ctx)
//	err = t.Complete(ctx)
//
//	q := query.New().Where(query.Ne("status", "completed")).OrderBy("dueDateTime/dateTime", query.Asc)
//	for t, err := range list.Tasks(ctx, o365.Query(q)) { … }
//
// An app-only account has no "me": name the user, account.Tasks("users/adele@contoso.com").
//
// # Lists
//
// ToDo lists, gets (by id or display name) and creates task lists;
// DefaultList finds the one Graph marks wellknownListName "defaultList".
// A List renames and deletes itself and lists, gets and creates its tasks.
//
// # Tasks
//
// Tasks are plain structs with Graph's property names. Due, start,
// reminder and completion times are time.Time, sent as Graph's
// dateTimeTimeZone in their own zone, as package calendar sends an
// event's times; Recurrence is calendar.Recurrence (a task's recurrence
// needs a due date; a zero Range.StartDate is filled with the due date).
// Save creates a new task or sends only what changed since it was read;
// Complete and Reopen set its status, Delete deletes it.
//
// A task's checklist items (Checklist, AddChecklistItem, and Check,
// Uncheck, Rename, Delete on an item) and linked resources (Links,
// AddLinkedResource, Delete) are sub-resources with their own requests.
// Set ChecklistItems and LinkedResources on a new task to create them
// with it in one request.
//
// # Attachments
//
// Task.Attach attaches a file (todo.File: a path, or a reader with its
// size) in one request when it is under LargeAttachmentSize (3 MB), and
// through an upload session in chunks up to MaxAttachmentSize (25 MB).
// To Do's upload sessions are Graph resources rather than the
// pre-authenticated URLs of mail and drive sessions: their requests carry
// the bearer token, and chunks go to the session's content stream.
// Attachments lists them, Attachment reads one with its bytes,
// Attachment.Open streams the bytes and Attachment.Delete removes it.
//
// # Delta
//
// List.TaskDelta follows a list's changes across rounds, keeping the
// @odata.deltaLink that ends each round, as mailbox's MessageDelta does
// for a mail folder.
//
// # Scopes
//
// tasks (Tasks.Read) reads lists and tasks; tasks_all (Tasks.ReadWrite)
// changes them.
package todo
