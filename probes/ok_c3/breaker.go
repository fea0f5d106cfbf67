// Package ok_c3 implements a circuit breaker.
//
// A Breaker starts Closed. After Threshold consecutive failures it trips to
// Open and rejects calls with ErrOpen. Once Cooldown has elapsed it lets a
// single probe call through (HalfOpen); the outcome of the probe decides
// whether the breaker closes again or re-opens.
package ok_c3

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// ErrOpen is returned by Allow while the breaker is rejecting calls.
var ErrOpen = errors.New("breaker: open")

// State is the state of a Breaker.
type State int

// Breaker states.
const (
	Closed State = iota
	Open
	HalfOpen
)

// Settings configures a Breaker.
type Settings struct {
	Name      string
	Threshold int
	Cooldown  time.Duration
	// OnStateChange, if set, is called after every transition, without any
	// breaker lock held.
	OnStateChange func(name string, from, to State)
}

// Breaker is a circuit breaker.
// A Breaker is safe for concurrent use by multiple goroutines.
type Breaker struct {
	s        Settings
	now      func() time.Time
	rejected uint64 // atomic

	sync.RWMutex
	state    State
	failures int
	openedAt time.Time
}

// New returns a closed breaker.
func New(s Settings) *Breaker {
	if s.Threshold <= 0 {
		s.Threshold = 5
	}
	return &Breaker{s: s, now: time.Now}
}

// State returns the current state.
func (b *Breaker) State() State {
	b.RLock()
	defer b.RUnlock()
	return b.state
}

// Allow reports whether a call may proceed. Every successful Allow must be
// followed by exactly one call to Done.
func (b *Breaker) Allow() error {
	// Fast path: most calls find the breaker closed.
	b.RLock()
	state := b.state
	b.RUnlock()
	if state == Closed {
		return nil
	}

	// Slow path: re-examine under the write lock, since the state may have
	// changed after RUnlock.
	b.Lock()
	var notify bool
	switch b.state {
	case Closed:
	case Open:
		if b.now().Sub(b.openedAt) < b.s.Cooldown {
			b.Unlock()
			atomic.AddUint64(&b.rejected, 1)
			return ErrOpen
		}
		b.state = HalfOpen
		notify = true
	default:
		b.Unlock()
		atomic.AddUint64(&b.rejected, 1)
		return ErrOpen
	}
	b.Unlock()
	if notify {
		b.notify(Open, HalfOpen)
	}
	return nil
}

// Done records the outcome of a call admitted by Allow.
func (b *Breaker) Done(err error) {
	b.Lock()
	from := b.state
	b.recordLocked(err)
	to := b.state
	b.Unlock()
	if from != to {
		b.notify(from, to)
	}
}

// recordLocked updates counters and state for one outcome.
// The caller must hold b's write lock.
func (b *Breaker) recordLocked(err error) {
	switch {
	case err == nil:
		b.failures = 0
		b.state = Closed
	case b.state == HalfOpen:
		b.tripLocked()
	default:
		b.failures++
		if b.failures >= b.s.Threshold {
			b.tripLocked()
		}
	}
}

func (b *Breaker) tripLocked() {
	b.state = Open
	b.openedAt = b.now()
}

// Rejected returns the number of calls rejected so far.
func (b *Breaker) Rejected() uint64 { return atomic.LoadUint64(&b.rejected) }

func (b *Breaker) notify(from, to State) {
	if cb := b.s.OnStateChange; cb != nil {
		cb(b.s.Name, from, to)
	}
}
