// Package bug_e3 provides a sharded counter store for high-volume metric
// keys, where each shard is protected by its own lock.
package bug_e3

import (
	"hash/fnv"
	"sort"
	"sync"
)

const shardCount = 16

// shard is one slice of the key space.
type shard struct {
	mu     sync.RWMutex
	counts map[string]int64
}

// Store maps string keys to int64 counters. Keys are spread over a fixed
// number of shards so that writers of unrelated keys rarely contend.
type Store struct {
	shards [shardCount]*shard
}

// New returns an empty store.
func New() *Store {
	s := &Store{}
	for i := range s.shards {
		s.shards[i] = &shard{counts: make(map[string]int64)}
	}
	return s
}

// shardFor returns the shard responsible for key.
func (s *Store) shardFor(key string) *shard {
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	return s.shards[h.Sum32()%shardCount]
}

// Add adds n to the counter for key.
func (s *Store) Add(key string, n int64) {
	sh := s.shardFor(key)
	sh.mu.Lock()
	sh.counts[key] += n // RACE-ALSO
	sh.mu.Unlock()
}

// Get returns the counter for key and whether it exists.
func (s *Store) Get(key string) (int64, bool) {
	sh := s.shardFor(key)
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	n, ok := sh.counts[key]
	return n, ok
}

// Rename moves the counter stored under oldKey to newKey, adding it to any
// value newKey already has. It reports whether oldKey existed.
//
// The source shard stays locked for the whole move, so an Add to oldKey
// racing with the rename is either moved along or lands afterwards; it is
// never lost.
func (s *Store) Rename(oldKey, newKey string) bool {
	src := s.shardFor(oldKey)
	src.mu.Lock()
	defer src.mu.Unlock()

	n, ok := src.counts[oldKey]
	if !ok {
		return false
	}
	delete(src.counts, oldKey)
	dst := s.shardFor(newKey)
	dst.counts[newKey] += n // RACE
	return true
}

// Total returns the sum of all counters.
func (s *Store) Total() int64 {
	var total int64
	for _, sh := range s.shards {
		sh.mu.RLock()
		for _, n := range sh.counts {
			total += n
		}
		sh.mu.RUnlock()
	}
	return total
}

// Keys returns all keys in sorted order.
func (s *Store) Keys() []string {
	var keys []string
	for _, sh := range s.shards {
		sh.mu.RLock()
		for k := range sh.counts {
			keys = append(keys, k)
		}
		sh.mu.RUnlock()
	}
	sort.Strings(keys)
	return keys
}
