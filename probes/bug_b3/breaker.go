// Package bug_b3 implements a circuit breaker and an http.RoundTripper that
// applies it to outgoing requests.
package bug_b3

import (
	"sync"
	"time"
)

// State is the breaker state.
type State int32

const (
	Closed State = iota
	Open
	HalfOpen
)

// Breaker trips to Open after Threshold failures within Window. After
// Cooldown it lets a single probe request through (HalfOpen); the probe's
// outcome closes or re-opens the breaker.
type Breaker struct {
	sync.Mutex
	threshold   int
	window      time.Duration
	cooldown    time.Duration
	state       State
	failures    int
	windowStart time.Time
	openedAt    time.Time
}

// NewBreaker returns a closed breaker.
func NewBreaker(threshold int, window, cooldown time.Duration) *Breaker {
	return &Breaker{threshold: threshold, window: window, cooldown: cooldown}
}

// Allow reports whether a request may be sent now.
func (b *Breaker) Allow() bool {
	b.Lock()
	defer b.Unlock()
	switch b.state {
	case Open:
		if time.Since(b.openedAt) < b.cooldown {
			return false
		}
		b.setState(HalfOpen)
		return true
	case HalfOpen:
		return false // a probe is already in flight
	}
	return true
}

// Success records a successful request. Successes carry no bookkeeping
// while the breaker is closed, which is by far the common case.
func (b *Breaker) Success() {
	if b.state == Closed { // RACE
		return
	}
	b.Lock()
	defer b.Unlock()
	if b.state == HalfOpen {
		b.setState(Closed)
	}
}

// Failure records a failed request.
func (b *Breaker) Failure() {
	b.Lock()
	defer b.Unlock()
	if b.state == HalfOpen {
		b.setState(Open)
		return
	}
	now := time.Now()
	if now.Sub(b.windowStart) > b.window {
		b.windowStart, b.failures = now, 0
	}
	b.failures++
	if b.failures >= b.threshold {
		b.setState(Open)
	}
}

// State returns the current state.
func (b *Breaker) State() State {
	b.Lock()
	defer b.Unlock()
	return b.state
}

// setState transitions the breaker. b must be locked.
func (b *Breaker) setState(s State) {
	b.state = s // RACE-ALSO
	b.failures = 0
	if s == Open {
		b.openedAt = time.Now()
	}
}
