package bug_46

import (
	"math"
	"sync"
	"time"
)

type bucket struct {
	tokens float64
}

// KeyedLimiter is a per-client token bucket limiter. A background goroutine
// refills all buckets on a fixed tick.
type KeyedLimiter struct {
	ratePerTick float64
	burst       float64

	mu      sync.Mutex
	buckets map[string]*bucket
}

func NewKeyedLimiter(ratePerSec, burst float64, tick time.Duration, stop <-chan struct{}) *KeyedLimiter {
	l := &KeyedLimiter{
		ratePerTick: ratePerSec * tick.Seconds(),
		burst:       burst,
		buckets:     make(map[string]*bucket),
	}
	go l.refill(tick, stop)
	return l
}

func (l *KeyedLimiter) refill(tick time.Duration, stop <-chan struct{}) {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		l.mu.Lock()
		for _, b := range l.buckets {
			b.tokens = math.Min(l.burst, b.tokens+l.ratePerTick) // RACE-ALSO
		}
		l.mu.Unlock()
	}
}

func (l *KeyedLimiter) bucketFor(client string) *bucket {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[client]
	if !ok {
		b = &bucket{tokens: l.burst}
		l.buckets[client] = b
	}
	return b
}

// take removes one token from a balance if one is available.
func take(tokens float64) (float64, bool) {
	if tokens < 1 {
		return tokens, false
	}
	return tokens - 1, true
}

// Allow consumes one token for client if available.
func (l *KeyedLimiter) Allow(client string) bool {
	b := l.bucketFor(client)
	var ok bool
	b.tokens, ok = take(b.tokens) // RACE
	return ok
}
