// Package bug_a4 provides a token-bucket rate limiter for outbound API
// calls, refilled by a background ticker.
package bug_a4

import (
	"sync"
	"sync/atomic"
	"time"
)

// Limiter is a token bucket. Tokens are consumed lock-free on the hot path
// and refilled periodically.
type Limiter struct {
	tokens   int64
	capacity int64
	refill   int64

	stopOnce sync.Once
	stop     chan struct{}
	done     chan struct{}
}

// NewLimiter creates a limiter that holds at most capacity tokens and adds
// refill tokens every interval.
func NewLimiter(capacity, refill int64, interval time.Duration) *Limiter {
	l := &Limiter{
		tokens:   capacity,
		capacity: capacity,
		refill:   refill,
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
	}
	go l.run(interval)
	return l
}

func (l *Limiter) run(interval time.Duration) {
	defer close(l.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			l.addTokens(l.refill)
		case <-l.stop:
			return
		}
	}
}

func (l *Limiter) addTokens(n int64) {
	for {
		cur := atomic.LoadInt64(&l.tokens)
		next := cur + n
		if max := l.capacity; next > max { // RACE
			next = max
		}
		if atomic.CompareAndSwapInt64(&l.tokens, cur, next) {
			return
		}
	}
}

// Allow consumes one token if available.
func (l *Limiter) Allow() bool {
	for {
		cur := atomic.LoadInt64(&l.tokens)
		if cur <= 0 {
			return false
		}
		if atomic.CompareAndSwapInt64(&l.tokens, cur, cur-1) {
			return true
		}
	}
}

// Remaining reports how many tokens are currently available. It is used
// by the /debug/limits endpoint and by callers that want to back off
// before the bucket is fully drained.
func (l *Limiter) Remaining() int64 {
	return atomic.LoadInt64(&l.tokens)
}

// SetCapacity changes the bucket size at runtime, for example when a
// downstream quota is renegotiated. Excess tokens are discarded.
func (l *Limiter) SetCapacity(n int64) {
	if n < 0 {
		n = 0
	}
	l.capacity = n // RACE-ALSO
	for {
		cur := atomic.LoadInt64(&l.tokens)
		if cur <= n || atomic.CompareAndSwapInt64(&l.tokens, cur, n) {
			return
		}
	}
}

// Close stops the refill goroutine.
func (l *Limiter) Close() {
	l.stopOnce.Do(func() { close(l.stop) })
	<-l.done
}
