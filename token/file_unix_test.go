//go:build unix

package token

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func assertMode0600(t *testing.T, path string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode() != 0o600 {
		t.Fatalf("%s has mode %v, want -rw-------", path, fi.Mode())
	}
}

func TestFileMode0600(t *testing.T) {
	// A umask that strips the owner's write bit would leave a read-only
	// file unless the backend sets the mode explicitly. The umask is
	// process-wide, which is why no test in this package runs in parallel.
	old := syscall.Umask(0o277)
	t.Cleanup(func() { syscall.Umask(old) })

	path := filepath.Join(t.TempDir(), "o365_token.json")
	b := NewFileBackend(path)
	mustPut(t, b, "a", sampleToken("a"))
	assertMode0600(t, path)

	mustPut(t, b, "b", sampleToken("b"))
	assertMode0600(t, path)

	// A file someone loosened is tightened again by the next rewrite.
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	mustPut(t, b, "a", sampleToken("a2"))
	assertMode0600(t, path)
}
