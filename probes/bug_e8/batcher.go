// Package bug_e8 accumulates metric events and delivers them to a sink in
// encoded batches on a background goroutine.
package bug_e8

import (
	"bytes"
	"fmt"
	"sync"
	"time"
)

// Event is a single metric observation.
type Event struct {
	Name  string
	Value float64
	At    time.Time
}

// Sink receives encoded batches, one event per line.
type Sink func(payload []byte) error

// Batcher groups events into batches of a fixed size. Encoding and delivery
// happen on a dedicated goroutine so that Add never waits for I/O.
type Batcher struct {
	size    int
	sink    Sink
	batches chan []Event
	done    chan struct{}

	mu      sync.Mutex
	pending []Event
	sent    int
	failed  int
}

// New starts a batcher that delivers batches of size events to sink.
func New(size int, sink Sink) *Batcher {
	b := &Batcher{
		size:    size,
		sink:    sink,
		batches: make(chan []Event, 4),
		done:    make(chan struct{}),
		pending: make([]Event, 0, size),
	}
	go b.run()
	return b
}

// Add queues e, handing a full batch to the delivery goroutine.
func (b *Batcher) Add(e Event) {
	b.mu.Lock()
	b.pending = append(b.pending, e) // RACE
	if len(b.pending) < b.size {
		b.mu.Unlock()
		return
	}
	batch := b.pending
	b.pending = b.pending[:0] // keep the capacity for the next batch
	b.mu.Unlock()
	b.batches <- batch
}

// Close delivers any remaining events and waits for delivery to finish.
func (b *Batcher) Close() {
	b.mu.Lock()
	batch := b.pending
	b.pending = nil
	b.mu.Unlock()
	if len(batch) > 0 {
		b.batches <- batch
	}
	close(b.batches)
	<-b.done
}

// Counts returns the number of batches delivered and failed so far.
func (b *Batcher) Counts() (sent, failed int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sent, b.failed
}

// run delivers batches until the batches channel is closed.
func (b *Batcher) run() {
	defer close(b.done)
	for batch := range b.batches {
		err := b.sink(encode(batch))
		b.mu.Lock()
		if err != nil {
			b.failed++
		} else {
			b.sent++
		}
		b.mu.Unlock()
	}
}

// encode renders a batch in a line-based text format.
func encode(batch []Event) []byte {
	var buf bytes.Buffer
	for i := range batch {
		fmt.Fprintf(&buf, "%s %g %d\n", batch[i].Name, batch[i].Value, batch[i].At.UnixNano()) // RACE-ALSO
	}
	return buf.Bytes()
}
