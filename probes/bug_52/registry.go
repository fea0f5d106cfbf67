package bug_52

import (
	"context"
	"sort"
	"sync"
	"time"
)

// Counter is a monotonically increasing value within one push interval.
type Counter struct {
	name string

	mu    sync.Mutex
	value float64
}

// Add increments the counter by d.
func (c *Counter) Add(d float64) {
	c.mu.Lock()
	c.value += d // RACE-ALSO
	c.mu.Unlock()
}

// Registry holds counters and pushes deltas to a gateway periodically.
type Registry struct {
	mu       sync.Mutex
	counters map[string]*Counter
}

func NewRegistry() *Registry {
	return &Registry{counters: make(map[string]*Counter)}
}

// Counter returns the counter with the given name, creating it if needed.
func (r *Registry) Counter(name string) *Counter {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, ok := r.counters[name]
	if !ok {
		c = &Counter{name: name}
		r.counters[name] = c
	}
	return c
}

type Sample struct {
	Name  string
	Value float64
}

// gatherAndReset snapshots all counters and zeroes them (delta temporality).
func (r *Registry) gatherAndReset() []Sample {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Sample, 0, len(r.counters))
	for name, c := range r.counters {
		c.mu.Lock()
		v := c.value
		c.mu.Unlock()
		out = append(out, Sample{Name: name, Value: v})
		c.value = 0 // RACE
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// PushLoop sends deltas to push every interval until ctx is done.
func (r *Registry) PushLoop(ctx context.Context, every time.Duration, push func([]Sample) error) {
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				_ = push(r.gatherAndReset())
			}
		}
	}()
}
