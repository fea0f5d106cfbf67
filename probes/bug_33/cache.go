package bug_33

import (
	"fmt"
	"sync"
	"time"
)

type entry struct {
	value     []byte
	expiresAt time.Time
}

// TTLCache is a small expiring cache that sits in front of the profile
// service. A background janitor evicts expired entries.
type TTLCache struct {
	mu        sync.Mutex
	items     map[string]entry
	evictions int
	stop      chan struct{}
}

// NewTTLCache returns a cache whose janitor sweeps every sweep interval.
func NewTTLCache(sweep time.Duration) *TTLCache {
	c := &TTLCache{
		items: make(map[string]entry),
		stop:  make(chan struct{}),
	}
	go c.janitor(sweep)
	return c
}

func (c *TTLCache) janitor(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			now := time.Now()
			c.mu.Lock()
			for k, e := range c.items {
				if now.After(e.expiresAt) {
					delete(c.items, k)
					c.evictions++ // RACE-ALSO
				}
			}
			c.mu.Unlock()
		case <-c.stop:
			return
		}
	}
}

// Set stores v under key for ttl.
func (c *TTLCache) Set(key string, v []byte, ttl time.Duration) {
	c.mu.Lock()
	c.items[key] = entry{value: v, expiresAt: time.Now().Add(ttl)}
	c.mu.Unlock()
}

// Get returns the value for key if present and not expired.
func (c *TTLCache) Get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[key]
	if !ok || time.Now().After(e.expiresAt) {
		return nil, false
	}
	return e.value, true
}

// Close stops the janitor.
func (c *TTLCache) Close() { close(c.stop) }

// String is rendered on the /debug/caches page.
func (c *TTLCache) String() string {
	return fmt.Sprintf("ttlcache{evictions=%d}", c.evictions) // RACE
}
