// Package ok_e4 provides a sharded counter store for high-volume metric
// keys, where each shard is protected by its own lock.
package ok_e4

import (
	"hash/fnv"
	"sync"
)

const shardCount = 16

// shard is one slice of the key space.
type shard struct {
	mu     sync.RWMutex
	counts map[string]int64
}

// Store maps string keys to int64 counters spread over a fixed number of
// shards. Operations touching two shards lock them in index order.
type Store struct {
	shards [shardCount]shard
}

// New returns an empty store.
func New() *Store {
	s := &Store{}
	for i := range s.shards {
		s.shards[i].counts = make(map[string]int64)
	}
	return s
}

// index returns the number of the shard responsible for key.
func index(key string) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	return int(h.Sum32() % shardCount)
}

// Add adds n to the counter for key.
func (s *Store) Add(key string, n int64) {
	sh := &s.shards[index(key)]
	sh.mu.Lock()
	sh.counts[key] += n
	sh.mu.Unlock()
}

// Get returns the counter for key and whether it exists.
func (s *Store) Get(key string) (int64, bool) {
	sh := &s.shards[index(key)]
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	n, ok := sh.counts[key]
	return n, ok
}

// lockPair locks shards i and j (once if they are the same) in index order
// and returns a function that unlocks them.
func (s *Store) lockPair(i, j int) (unlock func()) {
	if i == j {
		s.shards[i].mu.Lock()
		return s.shards[i].mu.Unlock
	}
	if i > j {
		i, j = j, i
	}
	s.shards[i].mu.Lock()
	s.shards[j].mu.Lock()
	return func() {
		s.shards[j].mu.Unlock()
		s.shards[i].mu.Unlock()
	}
}

// Rename moves the counter stored under oldKey to newKey, adding it to any
// value newKey already has. It reports whether oldKey existed. Both shards
// stay locked for the whole move.
func (s *Store) Rename(oldKey, newKey string) bool {
	i, j := index(oldKey), index(newKey)
	unlock := s.lockPair(i, j)
	defer unlock()

	src, dst := &s.shards[i], &s.shards[j]
	n, ok := src.counts[oldKey]
	if !ok {
		return false
	}
	delete(src.counts, oldKey)
	dst.counts[newKey] += n
	return true
}

// Snapshot returns a copy of all counters. The copy shares nothing with
// the store and may be modified freely.
func (s *Store) Snapshot() map[string]int64 {
	out := make(map[string]int64)
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.RLock()
		for k, n := range sh.counts {
			out[k] = n
		}
		sh.mu.RUnlock()
	}
	return out
}

// Total returns the sum of all counters.
func (s *Store) Total() int64 {
	var total int64
	for _, n := range s.Snapshot() {
		total += n
	}
	return total
}
