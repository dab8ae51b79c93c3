package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNotifications(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out))
	text := out.String()
	assert.Contains(t, text, "Subscribed to me/mailFolders('Inbox')/messages (created,updated)")
	assert.Regexp(t, `notification: created Users/[0-9a-f-]+/Messages/AAMkAGI2THVSAAA= \(message AAMkAGI2THVSAAA=\)`, text)
	assert.Contains(t, text, "notification: updated Users/")
	assert.Contains(t, text, "forged notification answered 202 and dropped: notify: change notification for subscription")
	assert.Contains(t, text, "clientState does not match")
	assert.Contains(t, text, "lifecycle: reauthorizationRequired, renewed until")
	assert.Equal(t, 1, strings.Count(text, "Active subscription "))
	assert.Contains(t, text, "Subscription deleted")
}
