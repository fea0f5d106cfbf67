// Package bug_53 memoises rendered page fragments in an approximate-LRU cache.
// Recency is tracked with a per-entry timestamp so eviction can pick the
// least recently used entry without maintaining a linked list.
package bug_53

import (
	"sync"
	"time"
)

type entry struct {
	key      string
	value    []byte
	lastUsed int64 // unix nanos of the most recent Get or Put
}

// Cache is safe for concurrent use. Reads take the shared lock so that
// concurrent page renders do not serialise on the cache.
type Cache struct {
	mu      sync.RWMutex
	max     int
	entries map[string]*entry
}

// New returns a cache holding at most max fragments.
func New(max int) *Cache {
	if max < 1 {
		max = 1
	}
	return &Cache{max: max, entries: make(map[string]*entry, max)}
}

// Get returns the cached fragment and refreshes its recency.
func (c *Cache) Get(key string) ([]byte, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	e.lastUsed = time.Now().UnixNano() // RACE
	return e.value, true
}

// Put stores a fragment, evicting the least recently used one if full.
func (c *Cache) Put(key string, value []byte) {
	now := time.Now().UnixNano()
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok {
		e.value = value
		e.lastUsed = now
		return
	}
	if len(c.entries) >= c.max {
		c.evictLocked()
	}
	c.entries[key] = &entry{key: key, value: value, lastUsed: now}
}

// evictLocked drops the least recently used entry.
// The caller must hold c.mu for writing.
func (c *Cache) evictLocked() {
	var victim *entry
	for _, e := range c.entries {
		if victim == nil || e.lastUsed < victim.lastUsed {
			victim = e
		}
	}
	if victim != nil {
		delete(c.entries, victim.key)
	}
}

// Oldest reports the key that would be evicted next and when it was last
// used. It is exported on the debug endpoint.
func (c *Cache) Oldest() (string, time.Time) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var key string
	var oldest int64
	for k, e := range c.entries {
		if ts := e.lastUsed; key == "" || ts < oldest { // RACE-ALSO
			key, oldest = k, ts
		}
	}
	return key, time.Unix(0, oldest)
}
