package token

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
)

// envMu serializes changes of any EnvBackend, since the environment is
// shared by the whole process.
var envMu sync.Mutex

// EnvBackend reads tokens from an environment variable that holds the
// document format of FileBackend, for containers and CI jobs that inject
// tokens. An unset or empty variable holds no users.
//
// Put and Delete rewrite the variable with os.Setenv, so later reads in
// this process, and child processes started afterwards, see the change.
// Nothing persists beyond the process: a refreshed token that should
// survive must be saved elsewhere too.
//
// Errors name the variable but never show its value.
type EnvBackend struct {
	name string
}

// NewEnvBackend returns a backend that keeps its tokens in the environment
// variable name.
func NewEnvBackend(name string) *EnvBackend {
	return &EnvBackend{name: name}
}

// Get returns the user's token, or an error wrapping ErrNotFound.
func (b *EnvBackend) Get(_ context.Context, username string) (*Token, error) {
	d, err := b.read()
	if err != nil {
		return nil, err
	}
	return d.get(username)
}

// Put stores t for username in the variable. It refuses to replace a
// variable whose content is corrupt.
func (b *EnvBackend) Put(_ context.Context, username string, t *Token) error {
	if err := checkPut(username, t); err != nil {
		return err
	}
	envMu.Lock()
	defer envMu.Unlock()
	d, err := b.read()
	if err != nil {
		return err
	}
	d.put(username, t)
	return b.write(d)
}

// Delete removes the user's token from the variable.
func (b *EnvBackend) Delete(_ context.Context, username string) error {
	envMu.Lock()
	defer envMu.Unlock()
	d, err := b.read()
	if err != nil || !d.remove(username) {
		return err
	}
	return b.write(d)
}

// Users lists the usernames in the variable, in the order they were first stored.
func (b *EnvBackend) Users(context.Context) ([]string, error) {
	d, err := b.read()
	if err != nil {
		return nil, err
	}
	return d.usernames(), nil
}

func (b *EnvBackend) read() (*document, error) {
	v := os.Getenv(b.name)
	if strings.TrimSpace(v) == "" {
		return newDocument(), nil
	}
	d, err := decodeDocument([]byte(v))
	if err != nil {
		return nil, fmt.Errorf("token: env backend: $%s: %w", b.name, err)
	}
	return d, nil
}

func (b *EnvBackend) write(d *document) error {
	data, err := d.encode(false)
	if err != nil {
		return fmt.Errorf("token: env backend: $%s: encoding: %w", b.name, err)
	}
	if err := os.Setenv(b.name, string(data)); err != nil {
		return fmt.Errorf("token: env backend: $%s: %w", b.name, err)
	}
	return nil
}
