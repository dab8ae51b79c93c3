package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOfflineContacts(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, offline(context.Background(), &out))
	text := out.String()
	t.Log(text)
	assert.Contains(t, text, "Signed in as AdeleV@contoso.onmicrosoft.com")
	assert.Contains(t, text, `Created folder "Suppliers (o365 demo)"`)
	assert.Contains(t, text, "Created Pavel Bansky (default folder) and Garth Fort (born 1974-07-22, in Suppliers (o365 demo))")
	assert.Contains(t, text, "Updated Pavel Bansky: sent [jobTitle]")
	assert.Regexp(t, `Garth Fort has a \d+-byte photo`, text)
	assert.Regexp(t, `(?s)Contacts in Suppliers \(o365 demo\):\n\s+Garth Fort\s+Contoso, Inc.\s+garth@contoso.example\n\s+Pavel Bansky\s+Fabrikam\s+pavelb@fabrikam.example\n`, text)
	assert.Contains(t, text, "Found by email: Garth Fort, Web Marketing Manager")
	assert.Contains(t, text, "New message to: Garth Fort <garth@contoso.example>")
	assert.Regexp(t, `Directory search for "meg":\n\s+Megan Bowen\s+Marketing Manager\s+MeganB@contoso.onmicrosoft.com\n`, text)
	assert.Regexp(t, `Everyone, by display name:\n\s+Adele Vance\n\s+Alex Wilber\n\s+Megan Bowen\n`, text)
	assert.Contains(t, text, "Manager of AlexW@contoso.onmicrosoft.com: Megan Bowen")
	assert.Contains(t, text, "Alex Wilber reports to Megan Bowen")
	assert.Contains(t, text, "Your profile photo: 96x96 image/png")
}
