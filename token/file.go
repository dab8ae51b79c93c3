package token

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// FileBackend stores the tokens of every user in one JSON file, readable
// and writable only by its owner (mode 0600):
//
//	{
//	  "version": 1,
//	  "users": [
//	    {
//	      "username": "adele@contoso.com",
//	      "token": {
//	        "access_token": "eyJ0…",
//	        "token_type": "Bearer",
//	        "refresh_token": "1.AR…",
//	        "expires_at": "2025-06-01T10:00:00Z",
//	        "scopes": ["Mail.ReadWrite", "offline_access"]
//	      }
//	    }
//	  ]
//	}
//
// Users appear in the order they were first stored; the token fields are
// those of Token. A missing file holds no users.
//
// Every call reads the file afresh, so processes sharing it see each
// other's tokens. Writes replace the file atomically (a temporary file in
// the same directory, synced, then renamed over it), so a reader or a crash
// never sees half a file. Put and Delete hold the lock file path+".lock"
// while they read, change and rewrite the document, so processes that store
// different users do not lose each other's updates. Lock, for token
// refreshes, uses path+".refresh.lock". Both lock files stay on disk.
//
// A file that cannot be decoded gives an error wrapping ErrCorrupt, and Put
// and Delete then leave it untouched. Errors never contain token values.
//
// A FileBackend is safe for concurrent use by goroutines and processes.
type FileBackend struct {
	path string

	// lock takes the cross-process locks; nil means lockFile. Tests set it
	// to exercise the portable fallback on every platform.
	lock func(ctx context.Context, path string) (func() error, error)
	// beforeRename, when set, runs after the temporary file is written and
	// closed; an error from it fails the save as a crash would.
	beforeRename func(tmp string) error
}

// NewFileBackend returns a backend that stores tokens in the file at path,
// which need not exist yet; its directory must. A relative path is resolved
// against the working directory now, so a later os.Chdir does not move it.
func NewFileBackend(path string) *FileBackend {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	return &FileBackend{path: path}
}

// Get reads the file and returns the user's token, or an error wrapping
// ErrNotFound when the file does not hold one.
func (b *FileBackend) Get(ctx context.Context, username string) (*Token, error) {
	d, err := b.read(ctx)
	if err != nil {
		return nil, err
	}
	return d.get(username)
}

// Put stores t for username, replacing any token the user had, and
// rewrites the file. It refuses to overwrite a corrupt file.
func (b *FileBackend) Put(ctx context.Context, username string, t *Token) error {
	if err := checkPut(username, t); err != nil {
		return err
	}
	return b.update(ctx, func(d *document) bool {
		d.put(username, t)
		return true
	})
}

// Delete removes the user's token and rewrites the file; when the user has
// none, the file is left as it is.
func (b *FileBackend) Delete(ctx context.Context, username string) error {
	return b.update(ctx, func(d *document) bool { return d.remove(username) })
}

// Users lists the usernames in the file, in the order they were first stored.
func (b *FileBackend) Users(ctx context.Context) ([]string, error) {
	d, err := b.read(ctx)
	if err != nil {
		return nil, err
	}
	return d.usernames(), nil
}

// Lock takes the refresh lock, shared by all users of the file: a refresh is
// rare enough that serializing different users costs little. It waits until
// the lock is free or ctx ends, and excludes other goroutines as well as
// other processes. The returned function releases the lock; calling it
// again does nothing.
func (b *FileBackend) Lock(ctx context.Context, username string) (unlock func() error, err error) {
	unlock, err = b.acquire(ctx, b.path+".refresh.lock")
	if err != nil {
		return nil, b.errorf("refresh lock: %w", err)
	}
	return unlock, nil
}

func (b *FileBackend) acquire(ctx context.Context, path string) (func() error, error) {
	if b.lock != nil {
		return b.lock(ctx, path)
	}
	return lockFile(ctx, path)
}

func (b *FileBackend) errorf(format string, args ...any) error {
	return fmt.Errorf("token: file backend: %s: "+format, append([]any{b.path}, args...)...)
}

// read loads the document; a missing file is an empty one. Readers take no
// lock: writers replace the file by rename, so any read sees a whole file.
func (b *FileBackend) read(ctx context.Context) (*document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(b.path)
	if errors.Is(err, fs.ErrNotExist) {
		return newDocument(), nil
	}
	if err != nil {
		return nil, b.errorf("%w", err)
	}
	d, err := decodeDocument(data)
	if err != nil {
		return nil, b.errorf("%w", err)
	}
	return d, nil
}

// update runs change on the current document under the write lock and
// saves the result if change reports that it changed anything.
func (b *FileBackend) update(ctx context.Context, change func(*document) bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	unlock, err := b.acquire(ctx, b.path+".lock")
	if err != nil {
		return b.errorf("write lock: %w", err)
	}
	// By the time unlock runs the outcome is settled, and a failed release
	// of a lock file cannot undo or spoil it.
	defer unlock()
	d, err := b.read(ctx)
	if err != nil {
		return err
	}
	if !change(d) {
		return nil
	}
	return b.save(d)
}

// save replaces the file with d atomically: on any failure the old file
// stays as it was and the temporary file is removed.
func (b *FileBackend) save(d *document) (err error) {
	data, err := d.encode(true)
	if err != nil {
		return b.errorf("encoding: %w", err)
	}
	dir := filepath.Dir(b.path)
	f, err := os.CreateTemp(dir, filepath.Base(b.path)+".tmp*")
	if err != nil {
		return b.errorf("%w", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
			err = b.errorf("saving: %w", err)
		}
	}()
	// CreateTemp asks for 0600, but the umask may take bits away; the
	// owner must keep read and write, and nobody else may have either.
	// Platforms without permissions (wasip1) cannot chmod, and need not.
	if err := f.Chmod(0o600); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if b.beforeRename != nil {
		if err := b.beforeRename(tmp); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, b.path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// syncDir makes a rename in dir durable where the platform allows. Errors
// are ignored: the rename has already happened, and reporting a failed Put
// that took effect would mislead the caller. Windows cannot sync a
// directory, and there the call fails harmlessly.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
