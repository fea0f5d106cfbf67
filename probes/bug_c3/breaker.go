// Package bug_c3 implements a circuit breaker.
//
// A Breaker starts Closed. After Threshold consecutive failures it trips to
// Open and rejects calls with ErrOpen. Once Cooldown has elapsed it lets a
// single probe call through (HalfOpen); the outcome of the probe decides
// whether the breaker closes again or re-opens.
package bug_c3

import (
	"errors"
	"sync"
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

func (s State) String() string {
	switch s {
	case Closed:
		return "closed"
	case Open:
		return "open"
	case HalfOpen:
		return "half-open"
	}
	return "unknown"
}

// Settings configures a Breaker.
type Settings struct {
	Name      string
	Threshold int
	Cooldown  time.Duration
	// OnStateChange, if set, is called after every transition.
	OnStateChange func(name string, from, to State)
}

// Breaker is a circuit breaker.
// A Breaker is safe for concurrent use by multiple goroutines.
type Breaker struct {
	s   Settings
	now func() time.Time

	mu       sync.RWMutex
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
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.state
}

// Allow reports whether a call may proceed. Every successful Allow must be
// followed by exactly one call to Done with the outcome of the call.
func (b *Breaker) Allow() error {
	b.mu.RLock()
	state, openedAt := b.state, b.openedAt // RACE-ALSO
	b.mu.RUnlock()

	switch state {
	case Closed:
		return nil
	case Open:
		if b.now().Sub(openedAt) < b.s.Cooldown {
			return ErrOpen
		}
		// Cool-down elapsed: this caller becomes the probe.
		b.state = HalfOpen // RACE
		b.notify(Open, HalfOpen)
		return nil
	default:
		// A probe is already in flight.
		return ErrOpen
	}
}

// Done records the outcome of a call admitted by Allow.
func (b *Breaker) Done(err error) {
	b.mu.Lock()
	from := b.state
	switch {
	case err == nil:
		b.failures = 0
		b.state = Closed
	case from == HalfOpen:
		b.state = Open
		b.openedAt = b.now()
	default:
		b.failures++
		if b.failures >= b.s.Threshold {
			b.state = Open
			b.openedAt = b.now()
		}
	}
	to := b.state
	b.mu.Unlock()
	if from != to {
		b.notify(from, to)
	}
}

// Execute runs fn if the breaker allows it and records its result.
func (b *Breaker) Execute(fn func() error) error {
	if err := b.Allow(); err != nil {
		return err
	}
	err := fn()
	b.Done(err)
	return err
}

func (b *Breaker) notify(from, to State) {
	if cb := b.s.OnStateChange; cb != nil {
		cb(b.s.Name, from, to)
	}
}
