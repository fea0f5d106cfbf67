// Package ok_38 passes profiler samples from the sampling goroutine to the
// aggregation goroutine through a lock-free single-producer/single-consumer
// ring buffer.
package ok_38

import (
	"errors"
	"sync/atomic"
)

// Sample is one stack sample.
type Sample struct {
	PC    [8]uintptr
	Depth int
	Nanos int64
}

// Ring is an SPSC queue. Slots are plain memory: a slot is written by the
// producer before tail is published with an atomic store, and read by the
// consumer only after it observes that tail; the consumer releases the slot
// by publishing head.
type Ring struct {
	buf  []Sample
	mask uint64
	head atomic.Uint64 // next slot to read; written only by the consumer
	tail atomic.Uint64 // next slot to write; written only by the producer
}

// NewRing returns a ring with size slots; size must be a power of two.
func NewRing(size int) (*Ring, error) {
	if size <= 0 || size&(size-1) != 0 {
		return nil, errors.New("ring size must be a power of two")
	}
	return &Ring{buf: make([]Sample, size), mask: uint64(size - 1)}, nil
}

// Push enqueues s. It must only be called from the producer goroutine.
func (r *Ring) Push(s Sample) bool {
	t := r.tail.Load()
	if t-r.head.Load() == uint64(len(r.buf)) {
		return false // full
	}
	r.buf[t&r.mask] = s
	r.tail.Store(t + 1)
	return true
}

// Pop dequeues a sample. It must only be called from the consumer goroutine.
func (r *Ring) Pop() (Sample, bool) {
	h := r.head.Load()
	if h == r.tail.Load() {
		return Sample{}, false // empty
	}
	s := r.buf[h&r.mask]
	r.head.Store(h + 1)
	return s, true
}

// Len is an approximate occupancy, safe to call from any goroutine.
func (r *Ring) Len() int {
	h := r.head.Load() // load head first so that tail >= h
	return int(r.tail.Load() - h)
}
