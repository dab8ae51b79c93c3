//go:build !unix || solaris || aix

package token

import "context"

// lockFile uses an exclusive lock file where the standard library offers
// no flock (Windows, Solaris, AIX, wasm).
func lockFile(ctx context.Context, path string) (func() error, error) {
	return exclLock(ctx, path)
}
