// Package bug_63 batches metric points and ships them to a line-protocol sink
// from a background goroutine.
package bug_63

import (
	"bytes"
	"fmt"
)

// Point is one metric sample.
type Point struct {
	Name  string
	Value float64
	TS    int64
}

// Batcher groups points into batches of a fixed size. Add and Close must be
// called from a single collector goroutine; encoding and shipping happen on
// a separate goroutine so that collection is never blocked by the network.
type Batcher struct {
	size int
	buf  []Point
	out  chan []Point
	sink func(payload []byte) error
	done chan struct{}
	sent int // batches shipped; owned by loop until done is closed
}

// NewBatcher starts the shipping goroutine.
func NewBatcher(size int, sink func([]byte) error) *Batcher {
	b := &Batcher{
		size: size,
		buf:  make([]Point, 0, size),
		out:  make(chan []Point, 4),
		sink: sink,
		done: make(chan struct{}),
	}
	go b.loop()
	return b
}

// Add queues p, handing a full batch to the shipper.
func (b *Batcher) Add(p Point) {
	b.buf = append(b.buf, p) // RACE
	if len(b.buf) == b.size {
		b.out <- b.buf
		b.buf = b.buf[:0] // keep the allocation for the next batch
	}
}

// Close ships any partial batch, waits for the shipper and returns the
// number of batches sent.
func (b *Batcher) Close() int {
	if len(b.buf) > 0 {
		b.out <- b.buf
		b.buf = nil
	}
	close(b.out)
	<-b.done
	return b.sent
}

func (b *Batcher) loop() {
	defer close(b.done)
	var enc bytes.Buffer
	for batch := range b.out {
		enc.Reset()
		for _, p := range batch { // RACE-ALSO
			fmt.Fprintf(&enc, "%s value=%g %d\n", p.Name, p.Value, p.TS)
		}
		if err := b.sink(enc.Bytes()); err == nil {
			b.sent++
		}
	}
}
