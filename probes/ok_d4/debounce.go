// Package ok_d4 coalesces bursts of file-system events into batches, the
// way config reloaders and live-reload servers debounce editor saves.
package ok_d4

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
// has arrived for the configured quiet period. Batches are delivered one at
// a time, in order.
type Debouncer struct {
	quiet time.Duration
	sink  func(Batch)

	deliver sync.Mutex // serialises calls to sink

	mu      sync.Mutex
	pending Batch
	timer   *time.Timer
	gen     uint64 // bumped whenever the timer is re-armed or dropped
	closed  bool
}

// NewDebouncer returns a debouncer that calls sink with each batch.
func NewDebouncer(quiet time.Duration, sink func(Batch)) *Debouncer {
	return &Debouncer{quiet: quiet, sink: sink, pending: make(Batch)}
}

// Notify records a change and (re)starts the quiet period.
func (d *Debouncer) Notify(path string, op Op) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return
	}
	if prev, ok := d.pending[path]; ok && prev == Create && op == Write {
		op = Create
	}
	d.pending[path] = op
	d.armLocked()
}

// armLocked replaces the timer with a fresh one. d.mu must be held. Stale
// timers that already fired are recognised by their generation.
func (d *Debouncer) armLocked() {
	if d.timer != nil {
		d.timer.Stop()
	}
	d.gen++
	gen := d.gen
	d.timer = time.AfterFunc(d.quiet, func() { d.fire(gen) })
}

// fire runs on a timer goroutine when the quiet period of generation gen
// expires.
func (d *Debouncer) fire(gen uint64) {
	d.deliver.Lock()
	defer d.deliver.Unlock()

	d.mu.Lock()
	if gen != d.gen || d.closed {
		d.mu.Unlock()
		return // superseded by a later event
	}
	batch := d.pending
	d.pending = make(Batch)
	d.timer = nil
	d.mu.Unlock()

	if len(batch) > 0 {
		d.sink(batch)
	}
}

// Close stops the debouncer, dropping any pending events. A sink call in
// progress is waited for.
func (d *Debouncer) Close() {
	d.mu.Lock()
	d.closed = true
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
	d.gen++
	d.pending = make(Batch)
	d.mu.Unlock()

	d.deliver.Lock()
	defer d.deliver.Unlock()
}
