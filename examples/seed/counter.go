// Package seed holds the patterns of "Designing Safe Concurrent Systems in Go", racy and fixed,
// so that racelens has something real to report on.
package seed

import "sync"

// Counter is the seed's mutex-guarded counter.
type Counter struct {
	mu    sync.Mutex
	value int64
}

// Inc increments the counter under the lock.
func (c *Counter) Inc() {
	c.mu.Lock()
	c.value++
	c.mu.Unlock()
}

// Value forgets the lock: it races with Inc.
func (c *Counter) Value() int64 {
	return c.value // RACE: read without c.mu
}

// SafeValue reads under the lock.
func (c *Counter) SafeValue() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.value
}
