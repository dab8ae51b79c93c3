package o365_test

import (
	"os"
	"testing"
)

// TestMain doubles as the entry point of child processes that tests
// start from the test binary itself.
func TestMain(m *testing.M) {
	if os.Getenv("O365_HELPER_PROCESS") == "1" {
		os.Exit(refreshChild())
	}
	os.Exit(m.Run())
}
