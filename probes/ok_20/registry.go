package ok_20

import "sync"

// Counter is a delta counter; value is guarded by its own mu.
type Counter struct {
	mu    sync.Mutex
	value float64
}

func (c *Counter) Add(d float64) { c.mu.Lock(); c.value += d; c.mu.Unlock() }

// swap returns the current value and resets it under c.mu.
func (c *Counter) swap() (v float64) {
	c.mu.Lock()
	v, c.value = c.value, 0
	c.mu.Unlock()
	return v
}

// Registry maps names to counters; r.mu guards only the map.
type Registry struct {
	mu       sync.Mutex
	counters map[string]*Counter
}

func NewRegistry() *Registry { return &Registry{counters: make(map[string]*Counter)} }

func (r *Registry) Counter(name string) *Counter {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.counters[name]; ok {
		return c
	}
	c := &Counter{}
	r.counters[name] = c
	return c
}

// GatherAndReset snapshots and zeroes every counter (delta temporality).
func (r *Registry) GatherAndReset() map[string]float64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]float64, len(r.counters))
	for name, c := range r.counters {
		out[name] = c.swap()
	}
	return out
}
