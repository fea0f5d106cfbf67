// Package bug_e2 implements a read-through cache with request
// de-duplication and a time-to-live for loaded values.
package bug_e2

import (
	"sync"
	"time"
)

// Loader computes the value for a key, typically by calling a remote service.
type Loader func(key string) (string, error)

// entry is one cached or in-flight load. A zero expires means the load is
// still in flight; ready is closed when val and err are set.
type entry struct {
	ready   chan struct{}
	val     string
	err     error
	expires time.Time
}

// Cache memoizes the results of a Loader. Concurrent Gets of the same key
// share a single load: the first caller runs the loader and the others wait
// for its result. Successful results are kept for TTL; failures are not
// cached.
type Cache struct {
	load Loader
	ttl  time.Duration
	now  func() time.Time

	mu      sync.Mutex
	entries map[string]*entry
	hits    int
	misses  int
}

// New returns a cache that loads missing keys with load and keeps them for ttl.
func New(load Loader, ttl time.Duration) *Cache {
	return &Cache{
		load:    load,
		ttl:     ttl,
		now:     time.Now,
		entries: make(map[string]*entry),
	}
}

// Get returns the value for key, loading it if it is missing or stale.
func (c *Cache) Get(key string) (string, error) {
	now := c.now()

	c.mu.Lock()
	if e, ok := c.entries[key]; ok && (e.expires.IsZero() || now.Before(e.expires)) { // RACE-ALSO
		// Either fresh or still being loaded by someone else: share it.
		c.hits++
		c.mu.Unlock()
		<-e.ready
		return e.val, e.err
	}
	e := &entry{ready: make(chan struct{})}
	c.entries[key] = e
	c.misses++
	c.mu.Unlock()

	e.val, e.err = c.load(key)
	close(e.ready)

	if e.err != nil {
		c.forget(key, e)
		return "", e.err
	}
	// Start the TTL clock only once the value is actually available.
	e.expires = c.now().Add(c.ttl) // RACE
	return e.val, nil
}

// forget removes e from the cache unless it has already been replaced.
func (c *Cache) forget(key string, e *entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries[key] == e {
		delete(c.entries, key)
	}
}

// Invalidate drops key so that the next Get reloads it.
func (c *Cache) Invalidate(key string) {
	c.mu.Lock()
	delete(c.entries, key)
	c.mu.Unlock()
}

// Stats reports how many Gets were served from the cache (including shared
// in-flight loads) and how many started a load.
func (c *Cache) Stats() (hits, misses int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses
}
