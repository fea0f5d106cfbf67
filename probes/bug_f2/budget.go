// Package bug_f2 is a byte-budgeted cache that evicts its oldest entries
// when it grows beyond its budget and notifies an optional callback when
// its usage stays above a high-water mark.
package bug_f2

import "sync"

// Cache stores byte slices up to a total budget. It is safe for concurrent
// use. Eviction and pressure callbacks run without the lock held.
type Cache struct {
	budget     int64
	highWater  int64
	onEvict    func(key string)
	onPressure func(used int64)

	mu      sync.Mutex
	entries map[string][]byte
	order   []string
	bytes   int64
}

// New returns a cache with the given budget. onPressure is called after a
// Set that leaves the cache above highWater bytes; either callback may be nil.
func New(budget, highWater int64, onEvict func(string), onPressure func(int64)) *Cache {
	return &Cache{
		budget:     budget,
		highWater:  highWater,
		onEvict:    onEvict,
		onPressure: onPressure,
		entries:    make(map[string][]byte),
	}
}

// Get returns the value stored under key.
func (c *Cache) Get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.entries[key]
	return v, ok
}

// Used reports the number of bytes currently stored.
func (c *Cache) Used() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.usedLocked()
}

// Set stores value under key, evicting the oldest entries while the cache
// exceeds its budget.
func (c *Cache) Set(key string, value []byte) {
	if int64(len(value)) > c.budget {
		return
	}
	c.mu.Lock()
	if old, ok := c.entries[key]; ok {
		c.adjustLocked(-int64(len(old)))
	} else {
		c.order = append(c.order, key)
	}
	c.entries[key] = value
	c.adjustLocked(int64(len(value)))

	var evicted []string
	for c.usedLocked() > c.budget && len(c.order) > 0 {
		victim := c.order[0]
		c.order = c.order[1:]
		if victim == key {
			c.order = append(c.order, key)
			continue
		}
		c.adjustLocked(-int64(len(c.entries[victim])))
		delete(c.entries, victim)
		evicted = append(evicted, victim)
	}
	c.mu.Unlock()

	if c.onEvict != nil {
		for _, k := range evicted {
			c.onEvict(k)
		}
	}
	if c.onPressure != nil {
		if used := c.usedLocked(); used > c.highWater {
			c.onPressure(used)
		}
	}
}

// adjustLocked changes the byte count by delta. c.mu must be held.
func (c *Cache) adjustLocked(delta int64) {
	c.bytes += delta // RACE-ALSO
}

// usedLocked returns the byte count. c.mu must be held.
func (c *Cache) usedLocked() int64 {
	return c.bytes // RACE
}
