package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOfflinePlanner(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, offline(context.Background(), &out))
	text := out.String()
	t.Log(text)
	assert.Contains(t, text, "Signed in as AdeleV@contoso.onmicrosoft.com")
	assert.Regexp(t, `Plans of the group:\n\s+Product launch\n`, text)
	assert.Contains(t, text, `Created plan "o365 demo board"`)
	assert.Contains(t, text, "Created buckets To do, Doing, Done")
	assert.Contains(t, text, `Moved "Write the brief": sent bucketId, percentComplete`)
	assert.Contains(t, text, `Completed "Draft the budget": sent bucketId, percentComplete`)
	assert.Contains(t, text, `"Draft the budget" completed by Adele Vance`)
	assert.Contains(t, text, `Reassigned "Book the venue": sent assignments`)
	assert.Contains(t, text, `Update from a stale copy refused (412); the task is still "Write the brief", 50% done`)
	assert.Contains(t, text, `Details of "Write the brief": 1 of 2 checklist items done, 1 link`)
	assert.Regexp(t, `Assigned to me in this plan:\n(\s+(Draft the budget|Write the brief|Book the venue)\n){3}`, text)
	assert.Regexp(t, `To do\s+\| Doing\s+\| Done\n`, text)
	assert.Regexp(t, `\[ \] Book the venue \(AV\)\s+\| \[ \] Write the brief \(AV, AW\)\s+\| \[x\] Draft the budget \(AV\)\n`, text)
}
