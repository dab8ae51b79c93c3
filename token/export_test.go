package token

// lockKinds name the locks FileBackend can run on: the platform's own, and
// the lock-file fallback, tested here on every platform.
var lockKinds = []string{"platform", "exclusive-file"}

// LockKinds is lockKinds for the external tests.
var LockKinds = lockKinds

// NewFileBackendWith is NewFileBackend on the lock of the given kind.
func NewFileBackendWith(path, kind string) *FileBackend { return newFileBackendWith(path, kind) }

func newFileBackendWith(path, kind string) *FileBackend {
	b := NewFileBackend(path)
	if kind == "exclusive-file" {
		b.lock = exclLock
	}
	return b
}
