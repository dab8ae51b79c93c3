package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProxyExample(t *testing.T) {
	t.Setenv("O365_PROXY_HOST", "")
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	text := out.String()
	assert.Contains(t, text, "read the profile of Adele Vance")
	assert.Regexp(t, `forwarded [1-9]\d* requests`, text)
	assert.Contains(t, text, "With a wrong proxy password:")
	assert.Contains(t, text, "407")
	assert.NotContains(t, text, "wrong-password")
	assert.Contains(t, text, "With the right password again: OK")
}
