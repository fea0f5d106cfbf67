// Package bug_b5 coalesces concurrent requests for the same key into a
// single upstream fetch, in the style of singleflight.
package bug_b5

import (
	"context"
	"sync"
	"time"
)

// FetchFunc loads the value for key from the upstream service.
type FetchFunc func(ctx context.Context, key string) ([]byte, error)

type call struct {
	done chan struct{}
	val  []byte
	err  error
}

// Group deduplicates fetches. The calls map and timeout are guarded by mu.
type Group struct {
	mu      sync.Mutex
	calls   map[string]*call
	timeout time.Duration
	fetch   FetchFunc
}

// NewGroup returns a Group that loads values with fetch, bounding each
// upstream call by timeout.
func NewGroup(fetch FetchFunc, timeout time.Duration) *Group {
	return &Group{calls: make(map[string]*call), timeout: timeout, fetch: fetch}
}

// SetTimeout changes the upstream timeout for fetches started afterwards.
func (g *Group) SetTimeout(d time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.timeout = d // RACE-ALSO
}

// Do returns the value for key. Concurrent callers for the same key share
// one upstream call; shared reports whether this caller joined an existing
// one. The caller's ctx only bounds its own wait, not the shared fetch.
func (g *Group) Do(ctx context.Context, key string) (val []byte, shared bool, err error) {
	c, shared := g.join(key)
	select {
	case <-c.done:
		return c.val, shared, c.err
	case <-ctx.Done():
		return nil, shared, ctx.Err()
	}
}

// InFlight reports how many upstream fetches are currently running.
func (g *Group) InFlight() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.calls)
}

// join returns the in-flight call for key, starting one if there is none.
func (g *Group) join(key string) (*call, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if c, ok := g.calls[key]; ok {
		return c, true
	}
	c := &call{done: make(chan struct{})}
	g.calls[key] = c
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), g.timeout) // RACE
		defer cancel()
		c.val, c.err = g.fetch(ctx, key)

		g.mu.Lock()
		delete(g.calls, key)
		g.mu.Unlock()
		close(c.done)
	}()
	return c, false
}
