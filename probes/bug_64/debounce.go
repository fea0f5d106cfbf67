// Package bug_64 coalesces bursts of file-change notifications into a single
// configuration reload after a quiet period.
package bug_64

import (
	"sync"
	"time"
)

// Debouncer calls fn(n) once no Trigger has happened for wait, where n is
// the number of triggers that were coalesced.
type Debouncer struct {
	mu      sync.Mutex
	wait    time.Duration
	fn      func(n int)
	timer   *time.Timer
	pending int
	stopped bool
}

// New returns an idle debouncer.
func New(wait time.Duration, fn func(n int)) *Debouncer {
	return &Debouncer{wait: wait, fn: fn}
}

// Trigger records one event and (re)starts the quiet-period timer.
func (d *Debouncer) Trigger() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stopped {
		return
	}
	d.pending++
	if d.timer == nil {
		d.timer = time.AfterFunc(d.wait, d.fire)
		return
	}
	d.timer.Reset(d.wait)
}

// fire runs on the timer goroutine.
func (d *Debouncer) fire() {
	d.mu.Lock()
	n := d.pending
	d.pending = 0
	d.mu.Unlock()
	// Stop may have raced with the timer; never call fn after Stop.
	if n == 0 || d.stopped { // RACE
		return
	}
	d.fn(n)
}

// Stop cancels any pending call and returns the number of dropped events.
func (d *Debouncer) Stop() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.stopped = true // RACE-ALSO
	if d.timer != nil {
		d.timer.Stop()
	}
	dropped := d.pending
	d.pending = 0
	return dropped
}
