// Package ok_e3 implements a read-through cache with request
// de-duplication and a time-to-live for loaded values.
package ok_e3

import (
	"sync"
	"sync/atomic"
	"time"
)

// Loader computes the value for a key, typically by calling a remote service.
type Loader func(key string) (string, error)

// entry is one cached or in-flight load. Its fields are written only by the
// goroutine that runs the load, before done is closed; everybody else reads
// them only after receiving from done.
type entry struct {
	done    chan struct{}
	val     string
	err     error
	expires time.Time
}

// Cache memoizes the results of a Loader. Concurrent Gets of the same key
// share one load; successful results are kept for the TTL, failures are
// handed to the callers that waited for them and then forgotten.
type Cache struct {
	load Loader
	ttl  time.Duration
	now  func() time.Time

	mu      sync.Mutex
	entries map[string]*entry

	hits   atomic.Int64
	loads  atomic.Int64
	shared atomic.Int64
}

// New returns a cache that loads missing keys with load and keeps them for ttl.
func New(load Loader, ttl time.Duration) *Cache {
	return &Cache{load: load, ttl: ttl, now: time.Now, entries: make(map[string]*entry)}
}

// Get returns the value for key, loading it if it is missing or stale.
func (c *Cache) Get(key string) (string, error) {
	for {
		c.mu.Lock()
		e, ok := c.entries[key]
		if !ok {
			e = &entry{done: make(chan struct{})}
			c.entries[key] = e
			c.mu.Unlock()
			c.fill(key, e)
			return e.val, e.err
		}
		c.mu.Unlock()

		select {
		case <-e.done:
		default:
			c.shared.Add(1)
			<-e.done
		}
		if e.err != nil {
			return "", e.err
		}
		if c.now().Before(e.expires) {
			c.hits.Add(1)
			return e.val, nil
		}
		// Stale: drop it unless someone already replaced it, then retry.
		c.mu.Lock()
		if c.entries[key] == e {
			delete(c.entries, key)
		}
		c.mu.Unlock()
	}
}

// fill runs the loader for e and publishes the outcome by closing e.done.
func (c *Cache) fill(key string, e *entry) {
	defer close(e.done)
	c.loads.Add(1)
	e.val, e.err = c.load(key)
	if e.err != nil {
		c.mu.Lock()
		if c.entries[key] == e {
			delete(c.entries, key)
		}
		c.mu.Unlock()
		return
	}
	e.expires = c.now().Add(c.ttl)
}

// Stats reports cache hits, loads started, and Gets that waited for an
// in-flight load.
func (c *Cache) Stats() (hits, loads, shared int64) {
	return c.hits.Load(), c.loads.Load(), c.shared.Load()
}
