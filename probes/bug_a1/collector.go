// Package bug_a1 implements a small request metrics collector that
// aggregates latency observations per endpoint.
package bug_a1

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// Histogram accumulates latency observations for a single endpoint.
type Histogram struct {
	Count uint64
	Sum   time.Duration
	Max   time.Duration
}

// Collector aggregates request latencies keyed by endpoint name.
type Collector struct {
	mu        sync.Mutex
	endpoints map[string]*Histogram
	total     uint64
	started   time.Time
}

// NewCollector returns an empty collector.
func NewCollector() *Collector {
	return &Collector{
		endpoints: make(map[string]*Histogram),
		started:   time.Now(),
	}
}

// Observe records a single request against endpoint.
func (c *Collector) Observe(endpoint string, d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.endpoints[endpoint]
	if !ok {
		h = &Histogram{}
		c.endpoints[endpoint] = h
	}
	h.Count++
	h.Sum += d
	if d > h.Max {
		h.Max = d
	}
	c.total++ // RACE-ALSO
}

// Snapshot returns a copy of the per-endpoint histograms.
func (c *Collector) Snapshot() map[string]Histogram {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]Histogram, len(c.endpoints))
	for k, v := range c.endpoints {
		out[k] = *v
	}
	return out
}

// Rate returns the average number of requests per second since start.
func (c *Collector) Rate() float64 {
	c.mu.Lock()
	n := c.total
	c.mu.Unlock()
	el := time.Since(c.started).Seconds()
	if el <= 0 {
		return 0
	}
	return float64(n) / el
}

// String renders a human readable summary suitable for debug endpoints.
func (c *Collector) String() string {
	snap := c.Snapshot()
	names := make([]string, 0, len(snap))
	for k := range snap {
		names = append(names, k)
	}
	sort.Strings(names)

	var b strings.Builder
	fmt.Fprintf(&b, "requests=%d uptime=%s\n", c.total, time.Since(c.started).Truncate(time.Second)) // RACE
	for _, n := range names {
		h := snap[n]
		avg := time.Duration(0)
		if h.Count > 0 {
			avg = h.Sum / time.Duration(h.Count)
		}
		fmt.Fprintf(&b, "  %-20s n=%d avg=%s max=%s\n", n, h.Count, avg, h.Max)
	}
	return b.String()
}
