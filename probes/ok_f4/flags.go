// Package ok_f4 implements a feature-flag store. Readers load an immutable
// snapshot through an atomic.Pointer without locking; writers build a new
// snapshot by copying the current one and publish it atomically. Derived
// data on a snapshot is computed lazily under a sync.Once.
package ok_f4

import (
	"hash/fnv"
	"sort"
	"sync"
	"sync/atomic"
)

// Flag is the configuration of one feature flag.
type Flag struct {
	On      bool
	Percent int // share of users, 0..100, for which the flag is on
}

// Snapshot is an immutable view of all flags. It must not be modified after
// it has been published.
type Snapshot struct {
	Version int
	flags   map[string]Flag

	namesOnce sync.Once
	names     []string
}

// Names returns the sorted flag names. The list is computed on first use.
func (s *Snapshot) Names() []string {
	s.namesOnce.Do(func() {
		names := make([]string, 0, len(s.flags))
		for n := range s.flags {
			names = append(names, n)
		}
		sort.Strings(names)
		s.names = names
	})
	return s.names
}

// Lookup returns the configuration of the named flag.
func (s *Snapshot) Lookup(name string) (Flag, bool) {
	f, ok := s.flags[name]
	return f, ok
}

// Store holds the current snapshot. Reads are lock-free; writers are
// serialised by writeMu so that no update is lost.
type Store struct {
	writeMu sync.Mutex
	cur     atomic.Pointer[Snapshot]
}

// NewStore returns a Store initialised with a copy of initial.
func NewStore(initial map[string]Flag) *Store {
	s := &Store{}
	flags := make(map[string]Flag, len(initial))
	for k, v := range initial {
		flags[k] = v
	}
	s.cur.Store(&Snapshot{Version: 1, flags: flags})
	return s
}

// Snapshot returns the current snapshot.
func (s *Store) Snapshot() *Snapshot { return s.cur.Load() }

// Enabled reports whether the named flag is on for the given user.
func (s *Store) Enabled(name, user string) bool {
	f, ok := s.cur.Load().Lookup(name)
	if !ok || !f.On {
		return false
	}
	if f.Percent >= 100 {
		return true
	}
	h := fnv.New32a()
	h.Write([]byte(name + "/" + user))
	return int(h.Sum32()%100) < f.Percent
}

// Set changes or adds one flag and publishes a new snapshot.
func (s *Store) Set(name string, f Flag) {
	s.update(func(m map[string]Flag) { m[name] = f })
}

// Remove deletes one flag and publishes a new snapshot.
func (s *Store) Remove(name string) {
	s.update(func(m map[string]Flag) { delete(m, name) })
}

// update applies mutate to a private copy of the current flags and
// publishes the result as the next snapshot.
func (s *Store) update(mutate func(map[string]Flag)) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	old := s.cur.Load()
	next := make(map[string]Flag, len(old.flags)+1)
	for k, v := range old.flags {
		next[k] = v
	}
	mutate(next)
	s.cur.Store(&Snapshot{Version: old.Version + 1, flags: next})
}

var (
	defaultOnce  sync.Once
	defaultStore *Store
)

// Default returns the process-wide store, creating it on first use.
func Default() *Store {
	defaultOnce.Do(func() {
		defaultStore = NewStore(map[string]Flag{"new-ui": {On: true, Percent: 10}})
	})
	return defaultStore
}
