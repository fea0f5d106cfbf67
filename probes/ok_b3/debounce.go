// Package ok_b3 debounces file-change notifications: bursts of events
// (editors writing temp files, git checkouts) are collapsed into one batch
// delivered after a quiet period.
package ok_b3

import (
	"sort"
	"sync"
	"time"
)

// Debouncer collects changed paths and emits them as sorted batches on
// Batches once no event has arrived for the quiet period. The consumer must
// keep draining Batches until Close returns.
type Debouncer struct {
	quiet time.Duration
	out   chan []string

	mu       sync.Mutex
	pending  map[string]struct{}
	timer    *time.Timer
	closed   bool
	inFlight sync.WaitGroup // flushes that passed the closed check
}

// New returns a debouncer with the given quiet period.
func New(quiet time.Duration) *Debouncer {
	return &Debouncer{
		quiet:   quiet,
		out:     make(chan []string, 4),
		pending: make(map[string]struct{}),
	}
}

// Batches delivers debounced batches. It is closed by Close.
func (d *Debouncer) Batches() <-chan []string { return d.out }

// Notify records a change to path and restarts the quiet period.
func (d *Debouncer) Notify(path string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return
	}
	d.pending[path] = struct{}{}
	if d.timer == nil {
		d.timer = time.AfterFunc(d.quiet, d.flush)
	} else {
		d.timer.Reset(d.quiet)
	}
}

// flush runs on the timer's goroutine. It takes the pending set, leaving a
// fresh one behind, so the set it builds the batch from is its own.
func (d *Debouncer) flush() {
	d.mu.Lock()
	if d.closed || len(d.pending) == 0 {
		d.mu.Unlock()
		return
	}
	batch := d.pending
	d.pending = make(map[string]struct{})
	d.inFlight.Add(1)
	d.mu.Unlock()
	defer d.inFlight.Done()

	paths := make([]string, 0, len(batch))
	for p := range batch {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	d.out <- paths
}

// Close stops the timer, waits for a flush that is already delivering, and
// closes Batches. Events still pending are discarded.
func (d *Debouncer) Close() {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return
	}
	d.closed = true
	if d.timer != nil {
		d.timer.Stop()
	}
	d.mu.Unlock()

	d.inFlight.Wait()
	close(d.out)
}
