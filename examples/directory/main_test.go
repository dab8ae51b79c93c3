package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOfflineDirectory(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, offline(context.Background(), &out))
	text := out.String()
	t.Log(text)
	assert.Contains(t, text, "Signed in as AdeleV@contoso.onmicrosoft.com")
	assert.Contains(t, text, "Adele Vance, Retail Manager in Retail (Contoso)")
	assert.Contains(t, text, "employee E1001 (Employee), hired 2017-04-03")
	assert.Contains(t, text, "division Stores, cost centre CC-100")
	assert.Contains(t, text, "Bellevue, US, usage location US")
	assert.Contains(t, text, "account enabled: yes, 1 licence(s)")
	assert.Contains(t, text, "synchronised from corp.contoso.com as adelev, last at 2026-12-04T22:00:00Z")
	assert.Regexp(t, `Marketing, by hire date:\n\s+Megan Bowen\s+Contractor\s+2019-01-14\n\s+Alex Wilber\s+Employee\s+2021-09-01\n`, text)
	assert.Regexp(t, `Licensed:\n\s+Adele Vance \(US\)\n\s+Alex Wilber \(US\)\n\n`, text)
	assert.Contains(t, text, "Search for \"meg\":\n  Megan Bowen, Marketing, Dublin\n")
	assert.Contains(t, text, "Manager of AlexW@contoso.onmicrosoft.com: Megan Bowen, Marketing")
	assert.Contains(t, text, "reports: Alex Wilber, Marketing Assistant in Marketing")
	assert.Regexp(t, `Direct memberships of AlexW@contoso.onmicrosoft.com:\n  group Marketing\n\n`, text)
	assert.Regexp(t, `All memberships of AlexW@contoso.onmicrosoft.com:\n  group All Staff\n  group Marketing\n`, text)
}
