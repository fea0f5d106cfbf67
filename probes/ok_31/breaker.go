// Package ok_31 guards calls to a flaky downstream service with a lock-free
// circuit breaker.
package ok_31

import (
	"errors"
	"sync/atomic"
	"time"
)

// State is the breaker state.
type State int32

const (
	Closed State = iota
	Open
	HalfOpen
)

// ErrOpen is returned while the breaker rejects calls.
var ErrOpen = errors.New("circuit breaker is open")

// Breaker keeps all mutable state in atomics; threshold and cooldown are set
// by New and never modified afterwards.
type Breaker struct {
	state     atomic.Int32
	failures  atomic.Int32
	openedAt  atomic.Int64 // unix nanos
	threshold int32
	cooldown  time.Duration
}

// New returns a closed breaker.
func New(threshold int, cooldown time.Duration) *Breaker {
	return &Breaker{threshold: int32(threshold), cooldown: cooldown}
}

// State returns the current state.
func (b *Breaker) State() State { return State(b.state.Load()) }

// Allow reports whether a call may proceed. Exactly one caller wins the
// transition from Open to HalfOpen and becomes the probe.
func (b *Breaker) Allow() error {
	switch State(b.state.Load()) {
	case Closed:
		return nil
	case Open:
		opened := time.Unix(0, b.openedAt.Load())
		if time.Since(opened) >= b.cooldown &&
			b.state.CompareAndSwap(int32(Open), int32(HalfOpen)) {
			return nil
		}
	}
	return ErrOpen
}

// Record reports the outcome of a permitted call.
func (b *Breaker) Record(err error) {
	if err == nil {
		b.failures.Store(0)
		b.state.Store(int32(Closed))
		return
	}
	n := b.failures.Add(1)
	if n >= b.threshold || State(b.state.Load()) == HalfOpen {
		b.openedAt.Store(time.Now().UnixNano())
		b.state.Store(int32(Open))
	}
}

// Do runs fn if allowed and records its outcome.
func (b *Breaker) Do(fn func() error) error {
	if err := b.Allow(); err != nil {
		return err
	}
	err := fn()
	b.Record(err)
	return err
}
