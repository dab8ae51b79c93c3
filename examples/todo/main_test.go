package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOfflineTodo(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, offline(context.Background(), &out))
	text := out.String()
	t.Log(text)
	assert.Contains(t, text, "Signed in as AdeleV@contoso.onmicrosoft.com")
	assert.Contains(t, text, `Default list: "Tasks"`)
	assert.Contains(t, text, `Created list "Trip to Lisbon (o365 demo)"`)
	assert.Contains(t, text, `Created category "Travel (o365 demo)" (Orange)`)
	assert.Contains(t, text, `Added "Book flights", due Wed 7 May, 0 checklist items`)
	assert.Contains(t, text, `Added "Pack", due Wed 14 May, 3 checklist items`)
	assert.Contains(t, text, `Attached "hotels.txt" (47 bytes, text/plain; charset=utf-8) to "Book a hotel"`)
	assert.Contains(t, text, "Read it back: 3 hotels")
	assert.Contains(t, text, "Delta round 1: 3 tasks")
	assert.Regexp(t, `Checklist of "Pack":\n  \[x\] Passport\n  \[x\] Charger\n  \[ \] Sun cream\n  \[ \] Travel adapter\n`, text)
	assert.Contains(t, text, `Completed "Book flights"`)
	assert.Regexp(t, `Open tasks, soonest due first:\n  Book a hotel\s+due Fri 9 May\n  Pack\s+due Wed 14 May\n`, text)
	assert.Contains(t, text, `Delta round 2: "Book flights" changed (status completed)`)
	assert.Contains(t, text, `Delta round 2: "Pack" changed (status notStarted)`)
	assert.Contains(t, text, "Delta round 2: 2 changes")
	assert.Contains(t, text, "Automatic reply scheduled from Thu 15 May 18:00 to Thu 22 May 08:00 (external: contactsOnly)")
	assert.Contains(t, text, "Automatic reply back to disabled")
	assert.Contains(t, text, `Deleted list "Trip to Lisbon (o365 demo)" with its tasks`)
}
