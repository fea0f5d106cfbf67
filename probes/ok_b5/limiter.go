// Package ok_b5 is a token-bucket rate limiter with lock-free counters.
package ok_b5

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Limiter allows events at rate per second with bursts of up to burst.
// The bucket state is guarded by the embedded mutex; the allowed/denied
// counters are only ever accessed atomically.
type Limiter struct {
	allowed uint64
	denied  uint64

	sync.Mutex
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
}

// New returns a limiter that starts with a full bucket.
func New(rate float64, burst int) *Limiter {
	return &Limiter{rate: rate, burst: float64(burst), tokens: float64(burst), last: time.Now()}
}

// refill credits tokens accrued since the last refill. l must be locked.
func (l *Limiter) refill() {
	now := time.Now()
	l.tokens += now.Sub(l.last).Seconds() * l.rate
	if l.tokens > l.burst {
		l.tokens = l.burst
	}
	l.last = now
}

// Allow reports whether one event may happen now, consuming a token if so.
func (l *Limiter) Allow() bool {
	l.Lock()
	l.refill()
	ok := l.tokens >= 1
	if ok {
		l.tokens--
	}
	l.Unlock()

	if ok {
		atomic.AddUint64(&l.allowed, 1)
	} else {
		atomic.AddUint64(&l.denied, 1)
	}
	return ok
}

// Wait blocks until a token is available or ctx is done.
func (l *Limiter) Wait(ctx context.Context) error {
	for {
		l.Lock()
		l.refill()
		if l.tokens >= 1 {
			l.tokens--
			l.Unlock()
			atomic.AddUint64(&l.allowed, 1)
			return nil
		}
		delay := time.Duration((1 - l.tokens) / l.rate * float64(time.Second))
		l.Unlock()

		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}

// SetRate changes the refill rate. Tokens accrued so far are credited at
// the old rate.
func (l *Limiter) SetRate(rate float64) {
	l.Lock()
	defer l.Unlock()
	l.refill()
	l.rate = rate
}

// Tokens reports the number of tokens currently available.
func (l *Limiter) Tokens() float64 {
	l.Lock()
	defer l.Unlock()
	l.refill()
	return l.tokens
}

// Counters returns the allowed and denied totals, resetting them to zero
// when reset is true (for per-interval metrics export).
func (l *Limiter) Counters(reset bool) (allowed, denied uint64) {
	if reset {
		return atomic.SwapUint64(&l.allowed, 0), atomic.SwapUint64(&l.denied, 0)
	}
	return atomic.LoadUint64(&l.allowed), atomic.LoadUint64(&l.denied)
}
