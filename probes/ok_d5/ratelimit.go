// Package ok_d5 implements a per-client token-bucket rate limiter as used
// by API gateways and message brokers to throttle noisy clients.
package ok_d5

import (
	"sync"
	"time"
)

// Clock abstracts the wall clock so that refill can be tested.
type Clock interface {
	Now() time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// Policy is the rate granted to one class of clients.
type Policy struct {
	Rate  float64 // tokens per second
	Burst int     // bucket size
}

type bucket struct {
	tokens float64
	last   time.Time
}

// Limiter throttles requests per client key. It is safe for concurrent use.
type Limiter struct {
	policy Policy
	clock  Clock

	mu      sync.Mutex
	buckets map[string]*bucket
}

// New returns a limiter applying p to every key. A nil clock means the
// system clock.
func New(p Policy, clock Clock) *Limiter {
	if clock == nil {
		clock = systemClock{}
	}
	return &Limiter{policy: p, clock: clock, buckets: make(map[string]*bucket)}
}

// refillLocked returns key's bucket, topped up to now. l.mu must be held.
func (l *Limiter) refillLocked(key string, now time.Time) *bucket {
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: float64(l.policy.Burst), last: now}
		l.buckets[key] = b
		return b
	}
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens += elapsed.Seconds() * l.policy.Rate
		if max := float64(l.policy.Burst); b.tokens > max {
			b.tokens = max
		}
		b.last = now
	}
	return b
}

// Allow consumes one token for key and reports whether the request may
// proceed.
func (l *Limiter) Allow(key string) bool {
	now := l.clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.refillLocked(key, now)
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// Tokens reports how many whole tokens key currently has.
func (l *Limiter) Tokens(key string) int {
	now := l.clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	return int(l.refillLocked(key, now).tokens)
}

// Forget drops the state of key, e.g. when its connection closes.
func (l *Limiter) Forget(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.buckets, key)
}
