package ok_11

import (
	"sync"
	"time"
)

type entry struct {
	value   []byte
	expires time.Time
}

type Cache struct {
	mu    sync.RWMutex
	items map[string]entry
	ttl   time.Duration
}

func NewCache(ttl time.Duration) *Cache {
	return &Cache{items: make(map[string]entry), ttl: ttl}
}

// Get only reads under the read lock; expired entries are removed by
// upgrading to the write lock and re-checking.
func (c *Cache) Get(key string) ([]byte, bool) {
	c.mu.RLock()
	e, ok := c.items[key]
	c.mu.RUnlock()
	if !ok {
		return nil, false
	}
	if time.Now().After(e.expires) {
		c.mu.Lock()
		if cur, ok := c.items[key]; ok && time.Now().After(cur.expires) {
			delete(c.items, key)
		}
		c.mu.Unlock()
		return nil, false
	}
	return e.value, true
}

func (c *Cache) Set(key string, v []byte) {
	c.mu.Lock()
	c.items[key] = entry{value: v, expires: time.Now().Add(c.ttl)}
	c.mu.Unlock()
}

func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.items)
}

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
