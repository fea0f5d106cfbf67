package bug_05

import (
	"sync"
	"time"
)

type entry struct {
	value   []byte
	expires time.Time
}

// Cache is a read-mostly TTL cache for rendered fragments.
type Cache struct {
	mu    sync.RWMutex
	items map[string]entry
	ttl   time.Duration
}

func NewCache(ttl time.Duration) *Cache {
	return &Cache{items: make(map[string]entry), ttl: ttl}
}

func (c *Cache) Get(key string) ([]byte, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.items[key] // RACE-ALSO
	if !ok {
		return nil, false
	}
	if time.Now().After(e.expires) {
		// expired: drop it so the map does not grow forever
		delete(c.items, key) // RACE
		return nil, false
	}
	return e.value, true
}

func (c *Cache) Set(key string, v []byte) {
	c.mu.Lock()
	c.items[key] = entry{value: v, expires: time.Now().Add(c.ttl)}
	c.mu.Unlock()
}

// RenderAll renders fragments in parallel, consulting the cache first.
func RenderAll(c *Cache, keys []string, render func(string) []byte) [][]byte {
	out := make([][]byte, len(keys))
	var wg sync.WaitGroup
	for i, k := range keys {
		wg.Add(1)
		go func(i int, k string) {
			defer wg.Done()
			if v, ok := c.Get(k); ok {
				out[i] = v
				return
			}
			v := render(k)
			c.Set(k, v)
			out[i] = v
		}(i, k)
	}
	wg.Wait()
	return out
}
