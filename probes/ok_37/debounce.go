// Package ok_37 coalesces bursts of file-change notifications into a single
// configuration reload after a quiet period.
package ok_37

import (
	"sync"
	"time"
)

// Debouncer calls fn(n) once no Trigger has happened for wait, where n is the
// number of coalesced triggers. All mutable fields are guarded by mu,
// including on the timer goroutine.
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
	stopped := d.stopped
	d.mu.Unlock()
	if n == 0 || stopped {
		return
	}
	d.fn(n)
}

// Pending reports how many events are waiting for the next call.
func (d *Debouncer) Pending() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.pending
}

// Stop cancels any pending call and returns the number of dropped events.
func (d *Debouncer) Stop() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.stopped = true
	if d.timer != nil {
		d.timer.Stop()
	}
	dropped := d.pending
	d.pending = 0
	return dropped
}
