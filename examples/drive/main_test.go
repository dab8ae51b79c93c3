package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestOfflineDrive(t *testing.T) {
	var out bytes.Buffer
	if err := offline(context.Background(), &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	text := out.String()
	for _, want := range []string{
		`Drive "OneDrive" (business), 113 B used of 1.0 TiB`,
		"Documents              folder, 2 item(s)",
		"Notes.txt              39 B",
		"Uploading dataset.bin (24.0 MiB) in 5 MiB chunks:",
		"\r  [############..................]  41% 10.0 MiB", // a step of the progress bar
		"[##############################] 100% 24.0 MiB",
		"The service's quickXorHash matches the bytes sent.",
		"Sharing link (view, organization): http://",
		"Shared with Alex Wilber (read)",
		"SHA-256",
		"matches.",
		"Copied to Archive/dataset (archived).bin",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
}
