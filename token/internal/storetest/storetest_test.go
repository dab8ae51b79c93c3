package storetest_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-o365/o365/token"
	"github.com/go-o365/o365/token/internal/storetest"
)

// The file backend passes every scenario that does not need a lease,
// which shows that the scenarios are sound without a server.
var fileSuite = storetest.Suite{
	Open: func(_ context.Context, ns string, _ time.Duration) (token.Backend, error) {
		return token.NewFileBackend(filePath(ns)), nil
	},
	Raw: func(_ context.Context, ns string) ([]byte, error) {
		return os.ReadFile(filePath(ns))
	},
	Drop: func(_ context.Context, ns string) error {
		var errs []error
		for _, suffix := range []string{"", ".lock", ".refresh.lock"} {
			if err := os.Remove(filePath(ns) + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
		}
		return errors.Join(errs...)
	},
	NoLease: true,
}

// filePath places a namespace where the child processes find it too.
func filePath(ns string) string {
	return filepath.Join(os.TempDir(), "o365-storetest-"+ns+".json")
}

func TestMain(m *testing.M) { storetest.Main(m, fileSuite) }

func TestFileBackend(t *testing.T) { fileSuite.Run(t) }
