// Package bug_c8 implements an in-memory cache with per-entry expiry.
//
// Expired entries are removed lazily on access and periodically by a janitor
// goroutine. Users may register eviction callbacks, which the janitor invokes
// for every entry it removes.
package bug_c8

import (
	"sync"
	"time"
)

// EvictFunc is called with the key and value of an expired entry.
type EvictFunc func(key string, value interface{})

type entry struct {
	value   interface{}
	expires time.Time
}

type evicted struct {
	key   string
	value interface{}
}

// Cache is a TTL cache.
// A Cache is safe for concurrent use by multiple goroutines.
type Cache struct {
	ttl time.Duration

	mu      sync.Mutex
	items   map[string]entry
	onEvict []EvictFunc

	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

// New returns a cache whose entries live for ttl. A janitor goroutine
// sweeps expired entries every interval until Stop is called.
func New(ttl, interval time.Duration) *Cache {
	c := &Cache{
		ttl:   ttl,
		items: make(map[string]entry),
		stop:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	go c.janitor(interval)
	return c
}

// OnEvict registers fn to be called from the janitor goroutine for each
// entry it expires. Callbacks run without the cache lock held and may call
// back into the cache.
func (c *Cache) OnEvict(fn EvictFunc) {
	c.mu.Lock()
	c.onEvict = append(c.onEvict, fn) // RACE-ALSO
	c.mu.Unlock()
}

// Set stores value under key, replacing any previous value.
func (c *Cache) Set(key string, value interface{}) {
	c.mu.Lock()
	c.items[key] = entry{value: value, expires: time.Now().Add(c.ttl)}
	c.mu.Unlock()
}

// Get returns the value stored under key if it has not expired.
func (c *Cache) Get(key string) (interface{}, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[key]
	if !ok {
		return nil, false
	}
	if time.Now().After(e.expires) {
		delete(c.items, key)
		return nil, false
	}
	return e.value, true
}

// Len returns the number of entries, including expired ones not yet swept.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

func (c *Cache) janitor(interval time.Duration) {
	defer close(c.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case now := <-t.C:
			c.deleteExpired(now)
		}
	}
}

func (c *Cache) deleteExpired(now time.Time) {
	var gone []evicted
	c.mu.Lock()
	for k, e := range c.items {
		if now.After(e.expires) {
			delete(c.items, k)
			gone = append(gone, evicted{k, e.value})
		}
	}
	c.mu.Unlock()

	if len(gone) == 0 {
		return
	}
	for _, fn := range c.onEvict { // RACE
		for _, ev := range gone {
			fn(ev.key, ev.value)
		}
	}
}

// Stop terminates the janitor and waits for it to exit.
func (c *Cache) Stop() {
	c.stopOnce.Do(func() { close(c.stop) })
	<-c.done
}
