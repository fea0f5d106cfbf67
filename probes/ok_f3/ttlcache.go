// Package ok_f3 provides a small cache whose entries expire after a fixed
// time to live. Expiry is driven by time.AfterFunc; the timer callbacks take
// the same mutex as every other method, and the unexported *Locked helpers
// rely on their callers holding that mutex.
package ok_f3

import (
	"sync"
	"time"
)

// EvictFunc is called, without the cache lock held, after an entry expired.
type EvictFunc func(key string, value []byte)

type entry struct {
	value []byte
	gen   uint64
	timer *time.Timer
}

// Cache is a TTL cache safe for concurrent use.
type Cache struct {
	ttl     time.Duration
	onEvict EvictFunc

	mu      sync.Mutex
	entries map[string]*entry
	gen     uint64
	expired int
	closed  bool
}

// New returns a Cache whose entries live for ttl. onEvict may be nil.
func New(ttl time.Duration, onEvict EvictFunc) *Cache {
	return &Cache{ttl: ttl, onEvict: onEvict, entries: make(map[string]*entry)}
}

// Set stores value under key and (re)starts its expiry timer.
func (c *Cache) Set(key string, value []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	c.removeLocked(key)
	c.gen++
	gen := c.gen
	e := &entry{value: value, gen: gen}
	e.timer = time.AfterFunc(c.ttl, func() { c.expire(key, gen) })
	c.entries[key] = e
}

// Get returns the value stored under key, if it has not expired yet.
func (c *Cache) Get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	return e.value, true
}

// Delete removes key from the cache.
func (c *Cache) Delete(key string) {
	c.mu.Lock()
	c.removeLocked(key)
	c.mu.Unlock()
}

// Len reports the number of live entries.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// Expired reports how many entries expired so far.
func (c *Cache) Expired() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.expired
}

// Close stops all timers and drops every entry.
func (c *Cache) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.entries {
		c.removeLocked(k)
	}
	c.closed = true
}

// expire is the timer callback for the entry of key with generation gen.
// A stale timer (its entry was replaced or deleted) does nothing.
func (c *Cache) expire(key string, gen uint64) {
	c.mu.Lock()
	e, ok := c.entries[key]
	if !ok || e.gen != gen {
		c.mu.Unlock()
		return
	}
	value := e.value
	c.removeLocked(key)
	c.expired++
	c.mu.Unlock()

	if c.onEvict != nil {
		c.onEvict(key, value)
	}
}

// removeLocked stops the timer of key and deletes it. c.mu must be held.
func (c *Cache) removeLocked(key string) {
	e, ok := c.entries[key]
	if !ok {
		return
	}
	e.timer.Stop()
	delete(c.entries, key)
}
