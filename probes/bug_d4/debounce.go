// Package bug_d4 coalesces bursts of file-system events into batches, the
// way config reloaders and live-reload servers debounce editor saves.
package bug_d4

import (
	"sort"
	"sync"
	"time"
)

// Op is the kind of change observed on a path.
type Op int

// Change kinds.
const (
	Create Op = iota + 1
	Write
	Remove
)

// Batch is a set of coalesced changes, keyed by path.
type Batch map[string]Op

// Paths returns the changed paths in sorted order.
func (b Batch) Paths() []string {
	out := make([]string, 0, len(b))
	for p := range b {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Debouncer collects events and delivers them to a sink once no new event
// has arrived for the configured quiet period.
type Debouncer struct {
	quiet time.Duration
	sink  func(Batch)

	mu      sync.Mutex
	pending Batch
	timer   *time.Timer
	closed  bool
}

// NewDebouncer returns a debouncer that calls sink with each batch.
func NewDebouncer(quiet time.Duration, sink func(Batch)) *Debouncer {
	return &Debouncer{quiet: quiet, sink: sink, pending: make(Batch)}
}

// Notify records a change. The first event of a burst arms the timer; later
// events push the deadline back.
func (d *Debouncer) Notify(path string, op Op) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return
	}
	if prev, ok := d.pending[path]; ok && prev == Create && op == Write {
		op = Create // a write right after a create is still a create
	}
	d.pending[path] = op
	if d.timer != nil { // RACE-ALSO
		d.timer.Reset(d.quiet)
		return
	}
	d.timer = time.AfterFunc(d.quiet, d.fire)
}

// fire runs on the timer goroutine when the quiet period expires.
func (d *Debouncer) fire() {
	d.mu.Lock()
	batch := d.pending
	d.pending = make(Batch)
	d.mu.Unlock()

	if len(batch) > 0 {
		d.sink(batch)
	}
	// The burst is over; the next event arms a fresh timer.
	d.timer = nil // RACE
}

// Close stops the debouncer, dropping any pending events.
func (d *Debouncer) Close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closed = true
	if d.timer != nil {
		d.timer.Stop()
	}
	d.pending = make(Batch)
}
