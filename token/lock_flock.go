//go:build unix && !solaris && !aix

package token

import (
	"context"
	"errors"
	"os"
	"sync"
	"syscall"
)

// lockFile takes an exclusive flock on path, creating the file if needed.
// flock belongs to the open file description, so two descriptors opened
// separately exclude each other even within one process, and the kernel
// releases the lock when a holder dies: no stale locks. The file is opened
// read-only because flock needs no write access, so a umask that leaves the
// lock file read-only does not lock out its next user.
func lockFile(ctx context.Context, path string) (func() error, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	conn, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, err
	}
	flock := func(how int) (err error) {
		cerr := conn.Control(func(fd uintptr) {
			for {
				err = syscall.Flock(int(fd), how)
				if err != syscall.EINTR {
					return
				}
			}
		})
		return errors.Join(cerr, err)
	}
	err = poll(ctx, func() (bool, error) {
		err := flock(syscall.LOCK_EX | syscall.LOCK_NB)
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return false, nil
		}
		return err == nil, err
	})
	if err != nil {
		f.Close()
		return nil, err
	}
	return sync.OnceValue(func() error {
		return errors.Join(flock(syscall.LOCK_UN), f.Close())
	}), nil
}
