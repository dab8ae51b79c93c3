package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOfflineMail(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, offline(context.Background(), &out))
	text := out.String()

	// The query: unread only, oldest first.
	assert.Regexp(t, `(?s)Q1 store figures.*Team lunch on Friday.*Newsletter: spring collection`, text)
	assert.NotContains(t, text, "Welcome to the Retail team", "read messages are filtered out")
	// The upload, with its progress bar finished.
	assert.Contains(t, text, "walkthrough.mp4 [##############################] 100%")
	assert.Contains(t, text, "sent to AlexW@contoso.onmicrosoft.com")
	// Reply and move.
	assert.Contains(t, text, `Replying to "Q1 store figures"`)
	assert.Contains(t, text, "replied to AlexW@contoso.onmicrosoft.com")
	assert.Contains(t, text, `Moving "Newsletter: spring collection" to the Archive`)
	assert.Contains(t, text, "the Archive holds 1 message(s)")
	// The shared mailbox: refused, then readable once granted.
	assert.Contains(t, text, "refused: ")
	assert.Contains(t, text, "ErrorAccessDenied")
	assert.True(t, strings.Index(text, "refused") < strings.Index(text, "Order #1041: 12 chairs"))
	assert.Contains(t, text, "Return request #88")
}
