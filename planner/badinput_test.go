package planner_test

import (
	"context"
	"testing"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/planner"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOrderHintBetweenDocumentedExamples(t *testing.T) {
	// The examples of "Using order hints in Planner".
	cases := []struct{ prev, next, want string }{
		{"", "", " !"},
		{"", "5637", " 5637!"},
		{"5637", "adhg", "5637 adhg!"},
		{"adhg", "", "adhg !"},
		{"adhg !", "", "adhg ! !"},
		{" 5637!", "5637 adhg!", " 5637! 5637 adhg!!"},
		{"", " !", "  !!"},
		{" !", "", " ! !"},
	}
	for _, c := range cases {
		got, err := planner.OrderHintBetween(c.prev, c.next)
		require.NoError(t, err)
		assert.Equal(t, c.want, got, "between %q and %q", c.prev, c.next)
		assert.NoError(t, planner.CheckOrderHint(got))
		// The composed value sorts where it asks to be.
		if c.prev != "" {
			assert.Less(t, c.prev, got)
		}
		if c.next != "" {
			assert.Less(t, got, c.next)
		}
	}
}

func TestMalformedOrderHints(t *testing.T) {
	for _, c := range []struct{ prev, next string }{
		{"ab\x01", ""},    // below ' '
		{"", "caf\u00e9"}, // beyond '~'
		{"b", "a"},        // out of order
		{"a", "a"},
	} {
		_, err := planner.OrderHintBetween(c.prev, c.next)
		assert.ErrorIs(t, err, planner.ErrMalformedOrderHint, "between %q and %q", c.prev, c.next)
	}
	for _, h := range []string{"85752723360752+", "", "tab\t!", "RWk1"} {
		assert.ErrorIs(t, planner.CheckOrderHint(h), planner.ErrMalformedOrderHint, "hint %q", h)
	}
}

func TestMalformedHintsSendNothing(t *testing.T) {
	ctx := context.Background()
	tn := newTenant(t)
	pl := tn.signIn(t, adele).Planner()
	plan, err := pl.Plan(ctx, tn.planID)
	require.NoError(t, err)
	bucket, err := plan.CreateBucket(ctx, "To do", "")
	require.NoError(t, err)
	task, err := plan.CreateTask(ctx, &planner.Task{Title: "Hinted"})
	require.NoError(t, err)
	before := len(tn.srv.Requests())

	// A hint Graph returned, sent back as it is.
	task.OrderHint = "85752723360752+"
	assert.ErrorIs(t, task.Save(ctx), planner.ErrMalformedOrderHint)
	task.OrderHint = "Z\x7f!"
	assert.ErrorIs(t, task.Save(ctx), planner.ErrMalformedOrderHint)

	_, err = plan.CreateBucket(ctx, "Doing", "no bang")
	assert.ErrorIs(t, err, planner.ErrMalformedOrderHint)
	bucket.OrderHint = "x"
	assert.ErrorIs(t, bucket.Save(ctx), planner.ErrMalformedOrderHint)

	bad := &planner.Task{Title: "Assigned", Assignments: map[string]planner.Assignment{tn.alex.ID: {OrderHint: "last"}}}
	_, err = plan.CreateTask(ctx, bad)
	assert.ErrorIs(t, err, planner.ErrMalformedOrderHint)

	d := &planner.TaskDetails{ID: task.ID, Checklist: planner.Checklist{"c1": {Title: "x", OrderHint: "nope"}}}
	_, err = d.Changes()
	assert.ErrorIs(t, err, planner.ErrMalformedOrderHint)

	assert.Len(t, tn.srv.Requests(), before, "no request went out")
}

func TestUnknownIDs(t *testing.T) {
	ctx := context.Background()
	tn := newTenant(t)
	pl := tn.signIn(t, adele).Planner()
	const unknown = "AAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	_, err := pl.Plan(ctx, unknown)
	assert.ErrorIs(t, err, api.ErrNotFound)
	_, err = pl.Bucket(ctx, unknown)
	assert.ErrorIs(t, err, api.ErrNotFound)
	_, err = pl.Task(ctx, unknown)
	assert.ErrorIs(t, err, api.ErrNotFound)
	_, err = pl.TaskDetails(ctx, unknown)
	assert.ErrorIs(t, err, api.ErrNotFound)
	_, err = pl.CreateTask(ctx, &planner.Task{PlanID: unknown, Title: "x"})
	assert.ErrorIs(t, err, api.ErrNotFound)
	_, err = pl.CreateBucket(ctx, &planner.Bucket{PlanID: unknown, Name: "x"})
	assert.ErrorIs(t, err, api.ErrNotFound)
	assert.ErrorIs(t, firstErr(pl.Plans(ctx, unknown)), api.ErrNotFound)
	plan, err := pl.Plan(ctx, tn.planID)
	require.NoError(t, err)
	_, err = plan.CreateTask(ctx, &planner.Task{Title: "x", BucketID: unknown})
	assert.ErrorIs(t, err, api.ErrBadRequest, "a bucket of no plan")
}

func TestBadArguments(t *testing.T) {
	ctx := context.Background()
	tn := newTenant(t)
	pl := tn.signIn(t, adele).Planner()
	_, err := pl.Plan(ctx, "")
	assert.ErrorContains(t, err, "empty id")
	_, err = pl.CreatePlan(ctx, &planner.Plan{Title: "No container"})
	assert.ErrorContains(t, err, "container")
	_, err = pl.CreatePlan(ctx, nil)
	assert.Error(t, err)
	_, err = pl.CreateTask(ctx, &planner.Task{PlanID: tn.planID})
	assert.ErrorContains(t, err, "title")
	_, err = pl.CreateBucket(ctx, &planner.Bucket{Name: "x"})
	assert.ErrorContains(t, err, "plan id")

	// Items that do not come from Graph cannot be changed.
	assert.ErrorContains(t, (&planner.Task{Title: "x"}).Save(ctx), "no connection")
	plan, err := pl.Plan(ctx, tn.planID)
	require.NoError(t, err)
	assert.ErrorIs(t, (&planner.Task{Component: plan.Component, Title: "x"}).Save(ctx), planner.ErrNotSaved)
	task, err := plan.CreateTask(ctx, &planner.Task{Title: "x"})
	require.NoError(t, err)
	task.ETag = ""
	task.Title = "y"
	assert.ErrorIs(t, task.Save(ctx), planner.ErrNoETag)
	assert.ErrorIs(t, task.Delete(ctx), planner.ErrNoETag)
	task.Title = ""
	assert.ErrorContains(t, task.Save(ctx), "empty title")
	task.Title, task.PercentComplete = "y", 101
	_, err = task.Changes()
	assert.ErrorContains(t, err, "percentComplete")
}

func TestReferenceKeys(t *testing.T) {
	for raw, key := range map[string]string{
		"https://developer.microsoft.com/en-us/graph/graph-explorer": "https%3A//developer%2Emicrosoft%2Ecom/en-us/graph/graph-explorer",
		"http://www.bing.com":              "http%3A//www%2Ebing%2Ecom",
		"https://x.test/a%20b#top":         "https%3A//x%2Etest/a%2520b%23top",
		"https://me@host.test:443/q?a=b.c": "https%3A//me%40host%2Etest%3A443/q?a=b%2Ec",
	} {
		assert.Equal(t, key, planner.EncodeReferenceKey(raw))
		assert.Equal(t, raw, planner.DecodeReferenceKey(key))
	}
	assert.Equal(t, "http://a.b", planner.DecodeReferenceKey("http%3a//a%2eb"), "lower-case escapes")
}
