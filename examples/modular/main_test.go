package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestModular(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	assert.Contains(t, out.String(), "Connection authenticated AdeleV@contoso.onmicrosoft.com")
	assert.Contains(t, out.String(), "-> Adele Vance (Retail Manager)")
	// Two marketing users, in display-name order, one page each.
	assert.Regexp(t, `(?s)Alex Wilber\s+Marketing Assistant.*Megan Bowen\s+Marketing Manager`, out.String())
	assert.NotContains(t, out.String(), "Retail Manager\n  ")
	// Unread mail only, oldest first; the read welcome mail is left out.
	assert.Regexp(t, `(?s)Unread mail in the Inbox:\s+Q1 store figures.*Team lunch on Friday.*Newsletter: spring collection`, out.String())
	assert.NotContains(t, out.String(), "Welcome to the Retail team")
	assert.Contains(t, out.String(), `Sent "Seattle numbers checked"; a message built from the pair alone addresses me`)
}
