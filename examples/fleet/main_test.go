package main

import (
	"bytes"
	"context"
	"log"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain lets the test binary serve as the worker processes that run
// starts from itself.
func TestMain(m *testing.M) {
	if os.Getenv("FLEET_WORKER") != "" {
		if err := worker(context.Background(), os.Stdin, os.Stdout); err != nil {
			log.Fatal(err)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestFleet(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, 4, 20, 3))
	text := out.String()
	t.Log(text)
	assert.Contains(t, text, "20 mailboxes; 4 workers share a")
	// Round 1 reads every message; later rounds only the new mail of
	// every third mailbox (0, 3, …, 18: seven of them), thanks to delta.
	assert.Contains(t, text, "round 1: 20 mailboxes synced, 100 new or changed messages")
	assert.Contains(t, text, "round 2: 20 mailboxes synced, 7 new or changed messages")
	assert.Contains(t, text, "round 3: 20 mailboxes synced, 7 new or changed messages")
	// One acquisition at the start and one per expiry, however many workers.
	assert.Contains(t, text, "app-only token acquired 3 times for 4 workers over 3 rounds")
	assert.Contains(t, text, "batched profile reads: 20,")
}
