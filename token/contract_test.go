package token_test

import (
	"path/filepath"
	"testing"

	"github.com/go-o365/o365/token"
	"github.com/go-o365/o365/token/internal/storetest"
)

// The core backends pass the same contract as the shared stores.
func TestContract(t *testing.T) {
	for _, c := range []struct {
		name string
		new  func(t testing.TB) token.Backend
	}{
		{"memory", func(testing.TB) token.Backend { return token.NewMemoryBackend() }},
		{"file", func(t testing.TB) token.Backend {
			return token.NewFileBackend(filepath.Join(t.TempDir(), "o365_token.json"))
		}},
		{"env", func(t testing.TB) token.Backend {
			t.Setenv("O365_TOKEN_TEST", "")
			return token.NewEnvBackend("O365_TOKEN_TEST")
		}},
	} {
		t.Run(c.name, func(t *testing.T) { storetest.Contract(t, c.new) })
	}
}
