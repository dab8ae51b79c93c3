package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOfflineTeams(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, offline(context.Background(), &out))
	text := out.String()
	t.Log(text)
	assert.Contains(t, text, "Signed in as AdeleV@contoso.onmicrosoft.com")
	assert.Contains(t, text, "Presence of this app's session: Busy (InAConferenceCall)")
	assert.Contains(t, text, "Presence with a preferred presence: DoNotDisturb (DoNotDisturb)")
	assert.Contains(t, text, "Presence cleared: Offline (Offline)")
	assert.Contains(t, text, "Busy/Busy as a session: refused (true)")
	assert.Regexp(t, `Team Mark 8 Project Team\n  channel General\n  channel Design\n  app OneNote 1.0.0\n`, text)
	assert.Contains(t, text, `Posted to Mark 8 Project Team/General: The Mark 8 design is ready for review, <at id="0">Alex Wilber</at>.`)
	assert.Contains(t, text, "  reply from Adele Vance: Slides are in the Design channel.")
	assert.Contains(t, text, "A 28673-byte message: refused (true)")
	assert.Contains(t, text, "Chat with Alex Wilber:\n  Alex Wilber: Are we still on for the Mark 8 design review at 3?\n")
	assert.Contains(t, text, "Answered: Yes, see you at 3.")
	assert.Contains(t, text, "Edited (true): Yes, see you at 3 in Room 12.")
}
