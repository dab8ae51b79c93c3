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
}
