// Package ok_32 serves feature flags from a copy-on-write snapshot so that
// the request path never takes a lock.
package ok_32

import (
	"sort"
	"sync"
	"sync/atomic"
)

// Snapshot is an immutable view of all flags. Callers must not modify it.
type Snapshot struct {
	Version int
	Flags   map[string]bool
}

// Store publishes flag snapshots. Writers serialise on mu and build a fresh
// snapshot; readers just load the current pointer.
type Store struct {
	mu  sync.Mutex
	cur atomic.Pointer[Snapshot]
}

// NewStore returns a store with the given initial flags (copied).
func NewStore(initial map[string]bool) *Store {
	s := &Store{}
	snap := &Snapshot{Flags: make(map[string]bool, len(initial))}
	for k, v := range initial {
		snap.Flags[k] = v
	}
	s.cur.Store(snap)
	return s
}

// Enabled is called on every request.
func (s *Store) Enabled(name string) bool {
	return s.cur.Load().Flags[name]
}

// Current returns the live snapshot (read-only).
func (s *Store) Current() *Snapshot { return s.cur.Load() }

// Set changes one flag by publishing a new snapshot.
func (s *Store) Set(name string, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.cur.Load()
	next := &Snapshot{Version: old.Version + 1, Flags: make(map[string]bool, len(old.Flags)+1)}
	for k, v := range old.Flags {
		next.Flags[k] = v
	}
	next.Flags[name] = on
	s.cur.Store(next)
}

// EnabledNames lists the enabled flags of the current snapshot.
func (s *Store) EnabledNames() []string {
	snap := s.cur.Load()
	var names []string
	for k, v := range snap.Flags {
		if v {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	return names
}
