package ok_b6

import (
	"context"
	"sync"
	"time"
)

// MemStore is an in-process LeaseStore, useful when all candidates live in
// one process and in tests.
type MemStore struct {
	mu      sync.Mutex
	holder  string
	expires time.Time
}

// TryAcquire implements LeaseStore.
func (m *MemStore) TryAcquire(_ context.Context, id string, ttl time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	if m.holder != "" && m.holder != id && now.Before(m.expires) {
		return false, nil
	}
	m.holder, m.expires = id, now.Add(ttl)
	return true, nil
}

// Release implements LeaseStore.
func (m *MemStore) Release(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.holder == id {
		m.holder = ""
	}
	return nil
}

// Holder returns the current lease holder, or "" if the lease is free or
// expired.
func (m *MemStore) Holder() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if time.Now().After(m.expires) {
		return ""
	}
	return m.holder
}
