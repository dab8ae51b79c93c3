package token

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
)

// MemoryBackend keeps tokens in process memory; they are lost when the
// process exits. It suits tests and programs that authenticate on every
// start. It ignores its contexts: no call blocks on I/O. The zero value is
// an empty backend ready to use.
type MemoryBackend struct {
	mu     sync.RWMutex
	tokens map[string]*Token
	order  []string
}

// NewMemoryBackend returns an empty MemoryBackend.
func NewMemoryBackend() *MemoryBackend {
	return &MemoryBackend{tokens: make(map[string]*Token)}
}

// Get returns a copy of the user's token, or an error wrapping ErrNotFound.
func (m *MemoryBackend) Get(_ context.Context, username string) (*Token, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	t, ok := m.tokens[username]
	if !ok {
		return nil, notFound(username)
	}
	return t.clone(), nil
}

// Put stores a copy of t, so later changes to t do not reach the backend.
func (m *MemoryBackend) Put(_ context.Context, username string, t *Token) error {
	if err := checkPut(username, t); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.tokens == nil {
		m.tokens = make(map[string]*Token)
	}
	if _, ok := m.tokens[username]; !ok {
		m.order = append(m.order, username)
	}
	m.tokens[username] = t.clone()
	return nil
}

// Delete removes the user's token.
func (m *MemoryBackend) Delete(_ context.Context, username string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.tokens[username]; ok {
		delete(m.tokens, username)
		m.order = slices.DeleteFunc(m.order, func(u string) bool { return u == username })
	}
	return nil
}

// Users lists the stored usernames in the order they were first stored.
func (m *MemoryBackend) Users(context.Context) ([]string, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return slices.Clone(m.order), nil
}

// clone copies t deeply enough that neither copy can change the other.
func (t *Token) clone() *Token {
	c := *t
	c.Scopes = slices.Clone(t.Scopes)
	return &c
}

// checkPut rejects what no backend could store or find again.
func checkPut(username string, t *Token) error {
	switch {
	case username == "":
		return errors.New("token: Put: empty username")
	case t == nil:
		return fmt.Errorf("token: Put: nil token for user %q", username)
	}
	return nil
}

func notFound(username string) error {
	return fmt.Errorf("%w: %q", ErrNotFound, username)
}
