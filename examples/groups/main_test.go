package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOfflineGroups(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, offline(context.Background(), &out))
	text := out.String()
	t.Log(text)
	assert.Contains(t, text, "Signed in as AdeleV@contoso.onmicrosoft.com")
	assert.Regexp(t, `Microsoft 365 groups:\n\s+Mark 8 Project Team\s+Public\s+Mark8ProjectTeam@contoso.onmicrosoft.com\n\s+Retail\s+Private\s+Retail@contoso.onmicrosoft.com\n`, text)
	assert.Regexp(t, `Your groups, nested ones included:\n\s+Mark 8 Project Team\s+Microsoft 365\n\nMembers`, text)
	assert.Regexp(t, `Members of Mark 8 Project Team:\n\s+Adele Vance\s+user\n\s+Alex Wilber\s+user\n\s+Sales and Marketing\s+group\n`, text)
	assert.Contains(t, text, "Owner: Adele Vance")
	assert.Contains(t, text, `"Mark 8 launch checklist" by [Alex Wilber]: Packaging is signed off. Still open: pricing and the press kit.`)
	assert.Regexp(t, `Started "Hello from o365 for Go"; its posts:\n\s+Adele Vance: <p>Posted by the <b>groups</b> example.</p>\n\s+Adele Vance: And a reply to it.\n`, text)
	assert.Regexp(t, `The next 30 days in the Mark 8 Project Team calendar:\n\s+\w{3} \d+ \w{3} 14:00 UTC\s+Mark 8 design review\n`, text)
	assert.Regexp(t, `Files:\n\s+Budget.xlsx\s+\d+ bytes\n\s+Mark 8 plan.docx\s+\d+ bytes\n`, text)
}
