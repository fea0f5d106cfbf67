// Package ok_30 batches metric points and ships them to a line-protocol sink
// from a background goroutine.
package ok_30

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

// Batcher groups points into fixed-size batches. Add and Close must be called
// from a single collector goroutine; sink is called on the shipping goroutine
// and must not retain payload. Once a batch has been sent on out it is
// owned by the shipping goroutine and the collector never touches it again.
type Batcher struct {
	size int
	buf  []Point
	out  chan []Point
	sink func(payload []byte) error
	done chan struct{}
	sent int // written only by loop; read by Close after done is closed
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
	b.buf = append(b.buf, p)
	if len(b.buf) == b.size {
		b.out <- b.buf
		b.buf = make([]Point, 0, b.size) // the shipper owns the old slice now
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
		for _, p := range batch {
			fmt.Fprintf(&enc, "%s value=%g %d\n", p.Name, p.Value, p.TS)
		}
		if err := b.sink(enc.Bytes()); err == nil {
			b.sent++
		}
	}
}
