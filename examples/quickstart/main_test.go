package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOfflineQuickstart(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, offline(context.Background(), &out))
	text := out.String()
	assert.Equal(t, 2, strings.Count(text, "Visit the following URL to give consent"))
	assert.Contains(t, text, "Signed in as AdeleV@contoso.onmicrosoft.com")
	assert.Contains(t, text, "Signed in as AlexW@contoso.onmicrosoft.com")
	// The profile table: each user's own profile, fetched after switching.
	assert.Regexp(t, `AdeleV@contoso.onmicrosoft.com\s+Adele Vance\s+Retail Manager`, text)
	assert.Regexp(t, `AlexW@contoso.onmicrosoft.com\s+Alex Wilber\s+Marketing Assistant`, text)
	assert.NotRegexp(t, `code=[^…&]`, text, "authorization codes are never shown")
}
