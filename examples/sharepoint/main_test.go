package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestOfflineSharepoint(t *testing.T) {
	var out bytes.Buffer
	if err := offline(context.Background(), &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	text := out.String()
	for _, want := range []string{
		"Marketing        https://contoso.sharepoint.com/sites/marketing",
		"subsite of Marketing: Campaigns 2026",
		`Library "Documents" of Marketing:`,
		"  Brand/\n",
		"    Logo guidelines.pdf (27 bytes)",
		"    Spring brief.docx",
		`Created the list "Campaign Tasks"`,
		"Added task 3: Order the banners",
		"Not started yet:\n  Write the press release  Alex   due 2026-03-27\n  Order the banners        Adele  due 2026-04-03\n",
		`"Write the press release" is now In progress (version 2.0)`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
}
