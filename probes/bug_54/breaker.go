// Package bug_54 guards calls to a flaky downstream service with a circuit breaker.
package bug_54

import (
	"errors"
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

// ErrOpen is returned by Allow while the breaker rejects calls.
var ErrOpen = errors.New("circuit breaker is open")

// Breaker opens after threshold consecutive failures and lets a single probe
// through once cooldown has elapsed.
type Breaker struct {
	mu        sync.Mutex
	state     State
	failures  int
	threshold int
	cooldown  time.Duration
	openedAt  time.Time
}

// New returns a closed breaker.
func New(threshold int, cooldown time.Duration) *Breaker {
	return &Breaker{threshold: threshold, cooldown: cooldown}
}

// setStateLocked records a transition. b.mu must be held.
func (b *Breaker) setStateLocked(s State) {
	if s == Open {
		b.openedAt = time.Now()
	}
	b.state = s // RACE
}

// Allow is on the hot path of every outbound request. The common case (a
// closed breaker) is answered without touching the mutex.
func (b *Breaker) Allow() error {
	if b.state == Closed { // RACE-ALSO
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	switch b.state {
	case Open:
		if time.Since(b.openedAt) < b.cooldown {
			return ErrOpen
		}
		b.setStateLocked(HalfOpen)
		return nil
	case HalfOpen:
		return ErrOpen // a probe is already in flight
	}
	return nil
}

// Record reports the outcome of a call that Allow permitted.
func (b *Breaker) Record(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err == nil {
		b.failures = 0
		if b.state != Closed {
			b.setStateLocked(Closed)
		}
		return
	}
	b.failures++
	if b.state == HalfOpen || b.failures >= b.threshold {
		b.setStateLocked(Open)
	}
}

// Do runs fn if the breaker allows it and records the outcome.
func (b *Breaker) Do(fn func() error) error {
	if err := b.Allow(); err != nil {
		return err
	}
	err := fn()
	b.Record(err)
	return err
}
