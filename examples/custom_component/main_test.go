package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCustomComponent(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	assert.Regexp(t, `me:\s+Adele Vance, Retail Manager, office 18/2111`, out.String())
	assert.Regexp(t, `users/MeganB@contoso.onmicrosoft.com:\s+Megan Bowen, Marketing Manager, office 12/1110`, out.String())
}
