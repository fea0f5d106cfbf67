package ok_17

import (
	"fmt"
	"sync"
	"time"
)

type entry struct {
	value     []byte
	expiresAt time.Time
}

// TTLCache is an expiring cache with a background janitor.
type TTLCache struct {
	sweep time.Duration
	stop  chan struct{}

	mu        sync.Mutex
	items     map[string]entry
	evictions int
	hits      int
	misses    int
}

// NewTTLCache fully initializes the cache before the janitor starts.
func NewTTLCache(sweep time.Duration) *TTLCache {
	c := &TTLCache{
		sweep: sweep,
		stop:  make(chan struct{}),
		items: make(map[string]entry),
	}
	go c.janitor()
	return c
}

func (c *TTLCache) janitor() {
	t := time.NewTicker(c.sweep)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			c.evictExpired(time.Now())
		case <-c.stop:
			return
		}
	}
}

func (c *TTLCache) evictExpired(now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.items {
		if now.After(e.expiresAt) {
			delete(c.items, k)
			c.evictions++
		}
	}
}

func (c *TTLCache) Set(key string, v []byte, ttl time.Duration) {
	c.mu.Lock()
	c.items[key] = entry{value: v, expiresAt: time.Now().Add(ttl)}
	c.mu.Unlock()
}

func (c *TTLCache) Get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[key]
	if !ok || time.Now().After(e.expiresAt) {
		c.misses++
		return nil, false
	}
	c.hits++
	return e.value, true
}

// Len returns the number of entries, including not-yet-swept expired ones.
func (c *TTLCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

func (c *TTLCache) Close() { close(c.stop) }

// String is rendered on the /debug/caches page.
func (c *TTLCache) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return fmt.Sprintf("ttlcache{size=%d hits=%d misses=%d evictions=%d}",
		len(c.items), c.hits, c.misses, c.evictions)
}
