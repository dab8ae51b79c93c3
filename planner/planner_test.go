package planner_test

import (
	"context"
	"errors"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/planner"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPlans(t *testing.T) {
	ctx := context.Background()
	tn := newTenant(t)
	pl := tn.signIn(t, adele).Planner()

	seeded, err := pl.Plan(ctx, tn.planID)
	require.NoError(t, err)
	assert.Equal(t, "Product launch", seeded.Title)
	assert.Equal(t, tn.groupID, seeded.GroupID())
	assert.NotEmpty(t, seeded.ETag)

	created, err := pl.CreatePlan(ctx, &planner.Plan{Title: "Retro", Container: planner.GroupContainer(tn.groupID)})
	require.NoError(t, err)
	assert.Equal(t, "Retro", created.Title)
	assert.Equal(t, "group", created.Container.Type)
	byURL, err := pl.CreatePlan(ctx, &planner.Plan{Title: "By URL", Container: &planner.PlanContainer{URL: tn.srv.GraphURL() + "/v1.0/groups/" + tn.groupID}})
	require.NoError(t, err)
	assert.Equal(t, tn.groupID, byURL.GroupID())
	byOwner, err := pl.CreatePlan(ctx, &planner.Plan{Title: "By owner", Owner: tn.groupID})
	require.NoError(t, err)
	assert.Equal(t, tn.groupID, byOwner.Owner)

	titles := func(seq func(func(*planner.Plan, error) bool)) []string {
		var out []string
		for p, err := range seq {
			require.NoError(t, err)
			out = append(out, p.Title)
		}
		return out
	}
	want := []string{"Product launch", "Retro", "By URL", "By owner"}
	assert.Equal(t, want, titles(pl.Plans(ctx, tn.groupID)))
	assert.Equal(t, want, titles(pl.MyPlans(ctx)))

	// Update: the etag goes with it and comes back new.
	old := created.ETag
	created.Title = "Retrospective"
	require.NoError(t, created.Save(ctx))
	assert.Equal(t, "Retrospective", created.Title)
	assert.NotEqual(t, old, created.ETag)
	again, err := pl.Plan(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, "Retrospective", again.Title)
	assert.Equal(t, created.ETag, again.ETag)

	require.NoError(t, byURL.Delete(ctx))
	_, err = pl.Plan(ctx, byURL.ID)
	assert.ErrorIs(t, err, api.ErrNotFound)
}

func TestBucketsAndOrderHints(t *testing.T) {
	ctx := context.Background()
	tn := newTenant(t)
	pl := tn.signIn(t, adele).Planner()
	plan, err := pl.Plan(ctx, tn.planID)
	require.NoError(t, err)

	first, err := planner.OrderHintBetween("", "")
	require.NoError(t, err)
	todo, err := plan.CreateBucket(ctx, "To do", first)
	require.NoError(t, err)
	hint, err := planner.OrderHintBetween(todo.OrderHint, "")
	require.NoError(t, err)
	done, err := plan.CreateBucket(ctx, "Done", hint)
	require.NoError(t, err)
	hint, err = planner.OrderHintBetween(todo.OrderHint, done.OrderHint)
	require.NoError(t, err)
	doing, err := pl.CreateBucket(ctx, &planner.Bucket{Name: "Doing", PlanID: plan.ID, OrderHint: hint})
	require.NoError(t, err)

	board := func() []string {
		buckets := o365test.Collect(t, plan.Buckets(ctx))
		planner.SortBuckets(buckets)
		var names []string
		for _, b := range buckets {
			names = append(names, b.Name)
		}
		return names
	}
	assert.Equal(t, []string{"To do", "Doing", "Done"}, board())

	// Move "Done" first, and rename "Doing".
	done.OrderHint, err = planner.OrderHintBetween("", todo.OrderHint)
	require.NoError(t, err)
	require.NoError(t, done.Save(ctx))
	doing.Name = "In progress"
	require.NoError(t, doing.Save(ctx))
	assert.Equal(t, []string{"Done", "To do", "In progress"}, board())

	got, err := pl.Bucket(ctx, doing.ID)
	require.NoError(t, err)
	assert.Equal(t, "In progress", got.Name)
	assert.Equal(t, doing.ETag, got.ETag)

	// Deleting a bucket deletes its tasks.
	task, err := doing.CreateTask(ctx, &planner.Task{Title: "Goes with the bucket"})
	require.NoError(t, err)
	require.NoError(t, doing.Delete(ctx))
	_, err = pl.Bucket(ctx, doing.ID)
	assert.ErrorIs(t, err, api.ErrNotFound)
	_, err = pl.Task(ctx, task.ID)
	assert.ErrorIs(t, err, api.ErrNotFound)
}

func TestTasks(t *testing.T) {
	ctx := context.Background()
	tn := newTenant(t)
	pl := tn.signIn(t, adele).Planner()
	plan, err := pl.Plan(ctx, tn.planID)
	require.NoError(t, err)
	todo, err := plan.CreateBucket(ctx, "To do", "")
	require.NoError(t, err)
	doing, err := plan.CreateBucket(ctx, "Doing", "")
	require.NoError(t, err)

	due := time.Date(2026, 12, 24, 17, 0, 0, 0, time.UTC)
	draft := &planner.Task{Title: "Write the brief", DueDateTime: due, Priority: planner.PriorityImportant,
		AppliedCategories: map[string]bool{"category1": true}}
	draft.Assign(tn.adele.ID, tn.alex.ID)
	brief, err := todo.CreateTask(ctx, draft)
	require.NoError(t, err)
	assert.Equal(t, plan.ID, brief.PlanID)
	assert.Equal(t, todo.ID, brief.BucketID)
	assert.Equal(t, sortedCopy([]string{tn.adele.ID, tn.alex.ID}), brief.Assignees())
	assert.Equal(t, tn.adele.ID, brief.Assignments[tn.alex.ID].AssignedBy.UserID())
	assert.True(t, brief.DueDateTime.Equal(due))
	assert.Equal(t, planner.PriorityImportant, brief.Priority)
	assert.Equal(t, map[string]bool{"category1": true}, brief.AppliedCategories)
	assert.NotEmpty(t, brief.OrderHint)

	other, err := plan.CreateTask(ctx, &planner.Task{Title: "Book the venue"})
	require.NoError(t, err)
	assert.Equal(t, planner.PriorityMedium, other.Priority, "Graph's default priority")

	taskTitles := func(seq func(func(*planner.Task, error) bool)) []string {
		var out []string
		for task, err := range seq {
			require.NoError(t, err)
			out = append(out, task.Title)
		}
		slices.Sort(out)
		return out
	}
	assert.Equal(t, []string{"Book the venue", "Write the brief"}, taskTitles(plan.Tasks(ctx)))
	assert.Equal(t, []string{"Write the brief"}, taskTitles(todo.Tasks(ctx)))
	assert.Equal(t, []string{"Write the brief"}, taskTitles(pl.MyTasks(ctx)))
	alexPl := tn.signIn(t, alex).Planner()
	assert.Equal(t, []string{"Write the brief"}, taskTitles(alexPl.MyTasks(ctx)))

	// Update: title, progress, priority, dates, labels, bucket, order,
	// and assignments added and removed, in one PATCH.
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	brief.Title = "Write the launch brief"
	brief.PercentComplete = 50
	brief.Priority = planner.PriorityUrgent
	brief.StartDateTime = start
	brief.DueDateTime = time.Time{}
	brief.AppliedCategories["category3"] = true
	delete(brief.AppliedCategories, "category1")
	brief.BucketID = doing.ID
	brief.OrderHint, err = planner.OrderHintBetween("", other.OrderHint)
	require.NoError(t, err)
	brief.Unassign(tn.alex.ID)
	brief.Assign(tn.megan.ID)
	changes, err := brief.Changes()
	require.NoError(t, err)
	assert.Equal(t, map[string]any{
		tn.alex.ID:  nil,
		tn.megan.ID: map[string]any{"@odata.type": "#microsoft.graph.plannerAssignment", "orderHint": " !"},
	}, changes["assignments"])
	assert.Equal(t, map[string]any{"category1": false, "category3": true}, changes["appliedCategories"])
	assert.Nil(t, changes["dueDateTime"])
	assert.Contains(t, changes, "dueDateTime")
	oldETag := brief.ETag
	require.NoError(t, brief.Save(ctx))
	assert.NotEqual(t, oldETag, brief.ETag)

	got, err := pl.Task(ctx, brief.ID)
	require.NoError(t, err)
	assert.Equal(t, "Write the launch brief", got.Title)
	assert.Equal(t, 50, got.PercentComplete)
	assert.Equal(t, planner.PriorityUrgent, got.Priority)
	assert.True(t, got.StartDateTime.Equal(start))
	assert.True(t, got.DueDateTime.IsZero())
	assert.Equal(t, map[string]bool{"category3": true}, got.AppliedCategories)
	assert.Equal(t, doing.ID, got.BucketID)
	assert.Equal(t, sortedCopy([]string{tn.adele.ID, tn.megan.ID}), sortedCopy(got.Assignees()))
	assert.Less(t, got.OrderHint, other.OrderHint, "moved before the other task")
	assert.Equal(t, brief.ETag, got.ETag)
	assert.Empty(t, taskTitles(alexPl.MyTasks(ctx)), "Alex is unassigned")

	// Completing a task.
	got.PercentComplete = 100
	require.NoError(t, got.Save(ctx))
	assert.True(t, got.Completed())
	assert.False(t, got.CompletedDateTime.IsZero())
	assert.Equal(t, tn.adele.ID, got.CompletedBy.UserID())

	// Nothing changed: no request.
	before := len(tn.srv.Requests())
	require.NoError(t, got.Save(ctx))
	assert.Len(t, tn.srv.Requests(), before)

	require.NoError(t, got.Delete(ctx))
	_, err = pl.Task(ctx, got.ID)
	assert.ErrorIs(t, err, api.ErrNotFound)
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

func TestStaleETagLosesNothing(t *testing.T) {
	ctx := context.Background()
	tn := newTenant(t)
	pl := tn.signIn(t, adele).Planner()
	alexPl := tn.signIn(t, alex).Planner()
	plan, err := pl.Plan(ctx, tn.planID)
	require.NoError(t, err)
	task, err := plan.CreateTask(ctx, &planner.Task{Title: "Original"})
	require.NoError(t, err)

	// Alex reads the task, Adele changes it, Alex's change is refused.
	alexCopy, err := alexPl.Task(ctx, task.ID)
	require.NoError(t, err)
	task.Title = "Adele's"
	require.NoError(t, task.Save(ctx))

	alexCopy.Title = "Alex's"
	alexCopy.PercentComplete = 100
	staleETag := alexCopy.ETag
	err = alexCopy.Save(ctx)
	require.ErrorIs(t, err, api.ErrPreconditionFailed)
	var ge *api.GraphError
	require.True(t, errors.As(err, &ge))
	assert.Equal(t, 412, ge.StatusCode)
	// Alex's struct keeps his edits and the etag he read.
	assert.Equal(t, "Alex's", alexCopy.Title)
	assert.Equal(t, 100, alexCopy.PercentComplete)
	assert.Equal(t, staleETag, alexCopy.ETag)
	// The server kept Adele's version.
	server, err := pl.Task(ctx, task.ID)
	require.NoError(t, err)
	assert.Equal(t, "Adele's", server.Title)
	assert.Equal(t, 0, server.PercentComplete)
	assert.Equal(t, task.ETag, server.ETag)
	// A stale delete is refused too.
	assert.ErrorIs(t, alexCopy.Delete(ctx), api.ErrPreconditionFailed)
	_, err = pl.Task(ctx, task.ID)
	require.NoError(t, err)

	// Reading again and reapplying works.
	fresh, err := alexPl.Task(ctx, task.ID)
	require.NoError(t, err)
	fresh.PercentComplete = 100
	require.NoError(t, fresh.Save(ctx))

	// Plans and buckets and details check their etags the same way.
	planCopy, err := alexPl.Plan(ctx, plan.ID)
	require.NoError(t, err)
	plan.Title = "Renamed"
	require.NoError(t, plan.Save(ctx))
	planCopy.Title = "Mine"
	assert.ErrorIs(t, planCopy.Save(ctx), api.ErrPreconditionFailed)
	assert.Equal(t, "Mine", planCopy.Title)

	bucket, err := plan.CreateBucket(ctx, "To do", "")
	require.NoError(t, err)
	bucketCopy, err := alexPl.Bucket(ctx, bucket.ID)
	require.NoError(t, err)
	bucket.Name = "Backlog"
	require.NoError(t, bucket.Save(ctx))
	bucketCopy.Name = "Mine"
	assert.ErrorIs(t, bucketCopy.Save(ctx), api.ErrPreconditionFailed)
	assert.Equal(t, "Mine", bucketCopy.Name)
	assert.ErrorIs(t, bucketCopy.Delete(ctx), api.ErrPreconditionFailed)
	got, err := pl.Bucket(ctx, bucket.ID)
	require.NoError(t, err)
	assert.Equal(t, "Backlog", got.Name, "the stale update and delete lost nothing")
}

func TestTaskDetails(t *testing.T) {
	ctx := context.Background()
	tn := newTenant(t)
	acct := tn.signIn(t, adele)
	pl := acct.Planner()
	task, err := pl.CreateTask(ctx, &planner.Task{PlanID: tn.planID, Title: "Prepare the deck"})
	require.NoError(t, err)

	d, err := task.Details(ctx)
	require.NoError(t, err)
	assert.Equal(t, task.ID, d.ID)
	assert.NotEmpty(t, d.ETag)

	d.Description = "Slides for the keynote"
	d.PreviewType = planner.PreviewChecklist
	outline := d.AddChecklistItem("Outline")
	draft := d.AddChecklistItem("Draft")
	const deck = "https://contoso.sharepoint.com/teams/launch/Deck v2.pptx#slide=3"
	require.NoError(t, d.AddReference(deck, "The deck", "PowerPoint"))
	require.NoError(t, d.AddReference("http://user@example.com:8080/a.b", "Odd one", "Other"))
	assert.Error(t, d.AddReference("ftp://example.com/x", "", ""), "only http and https")
	changes, err := d.Changes()
	require.NoError(t, err)
	refs := changes["references"].(map[string]any)
	assert.Contains(t, refs, "https%3A//contoso%2Esharepoint%2Ecom/teams/launch/Deck v2%2Epptx%23slide=3")
	assert.Contains(t, refs, "http%3A//user%40example%2Ecom%3A8080/a%2Eb")
	require.NoError(t, d.Save(ctx))
	assert.Equal(t, "The deck", d.References[deck].Alias, "keys come back decoded")
	assert.Equal(t, "Outline", d.Checklist[outline].Title)

	// The task's summaries follow.
	task, err = pl.Task(ctx, task.ID)
	require.NoError(t, err)
	assert.True(t, task.HasDescription)
	assert.Equal(t, 2, task.ChecklistItemCount)
	assert.Equal(t, 2, task.ActiveChecklistItemCount)
	assert.Equal(t, 2, task.ReferenceCount)

	// Check one, remove one, drop a reference, reorder a checklist item.
	require.NoError(t, d.Check(outline, true))
	assert.Error(t, d.Check("no-such-item", true))
	delete(d.Checklist, draft)
	delete(d.References, "http://user@example.com:8080/a.b")
	changes, err = d.Changes()
	require.NoError(t, err)
	assert.Equal(t, map[string]any{
		outline: map[string]any{"@odata.type": "#microsoft.graph.plannerChecklistItem", "isChecked": true},
		draft:   nil,
	}, changes["checklist"])
	assert.Equal(t, map[string]any{"http%3A//user%40example%2Ecom%3A8080/a%2Eb": nil}, changes["references"])
	require.NoError(t, d.Save(ctx))

	again, err := pl.TaskDetails(ctx, task.ID)
	require.NoError(t, err)
	assert.Equal(t, "Slides for the keynote", again.Description)
	assert.Equal(t, planner.PreviewChecklist, again.PreviewType)
	assert.Len(t, again.Checklist, 1)
	assert.True(t, again.Checklist[outline].IsChecked)
	assert.Equal(t, []string{deck}, keys(again.References))
	assert.Equal(t, d.ETag, again.ETag)

	// On the wire the key is Planner's encoded form.
	resp, err := acct.Connection().Get(ctx, tn.srv.GraphURL()+"/v1.0/planner/tasks/"+task.ID+"/details", nil)
	require.NoError(t, err)
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(raw), `"https%3A//contoso%2Esharepoint%2Ecom/teams/launch/Deck v2%2Epptx%23slide=3"`)

	// Stale details etag.
	again.Description = "Changed"
	require.NoError(t, again.Save(ctx))
	d.Description = "Lost"
	assert.ErrorIs(t, d.Save(ctx), api.ErrPreconditionFailed)
	assert.Equal(t, "Lost", d.Description)
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestAccessDenied(t *testing.T) {
	ctx := context.Background()
	tn := newTenant(t)
	// Megan is not a member of the plan's group.
	pl := tn.signIn(t, megan).Planner()
	_, err := pl.Plan(ctx, tn.planID)
	assert.ErrorIs(t, err, api.ErrForbidden)
	_, err = pl.CreatePlan(ctx, &planner.Plan{Title: "Mine", Container: planner.GroupContainer(tn.groupID)})
	assert.ErrorIs(t, err, api.ErrForbidden)
	assert.ErrorIs(t, firstErr(pl.Plans(ctx, tn.groupID)), api.ErrForbidden)
	assert.Empty(t, o365test.Collect(t, pl.MyPlans(ctx)))

	// Read-only scopes cannot write.
	ro := tn.signIn(t, adele, "planner").Planner()
	plan, err := ro.Plan(ctx, tn.planID)
	require.NoError(t, err)
	_, err = plan.CreateBucket(ctx, "x", "")
	assert.ErrorIs(t, err, api.ErrForbidden)
}

// A throttled update is retried with its If-Match and Prefer headers.
func TestThrottledSaveKeepsHeaders(t *testing.T) {
	ctx := context.Background()
	tn := newTenant(t)
	pl := tn.signIn(t, adele).Planner()
	task, err := pl.CreateTask(ctx, &planner.Task{PlanID: tn.planID, Title: "Throttled"})
	require.NoError(t, err)
	task.Title = "Throttled, then saved"
	tn.srv.Throttle(1, "0")
	require.NoError(t, task.Save(ctx))
	assert.Equal(t, "Throttled, then saved", task.Title)
	reqs := tn.srv.Requests()
	last := reqs[len(reqs)-1]
	assert.Equal(t, "PATCH", last.Method)
	assert.Equal(t, 200, last.Status)
	assert.Equal(t, 429, reqs[len(reqs)-2].Status)
	assert.NotEmpty(t, last.Header.Get("If-Match"))
	assert.Equal(t, "return=representation", last.Header.Get("Prefer"))
}
