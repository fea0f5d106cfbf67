// Package bug_e7 buffers log records in a bounded ring and ships them to a
// writer in batches.
package bug_e7

import (
	"fmt"
	"io"
	"sync"
)

// Record is one log line with its sequence number.
type Record struct {
	Seq  int
	Line string
}

// Ring is a bounded FIFO queue of records backed by a circular buffer.
// Push blocks while the ring is full and PopBatch blocks while it is empty.
type Ring struct {
	mu       sync.Mutex
	notEmpty *sync.Cond
	notFull  *sync.Cond
	buf      []Record
	head     int // index of the oldest record
	n        int // number of queued records
	closed   bool
}

// NewRing returns a ring that holds up to capacity records.
func NewRing(capacity int) *Ring {
	r := &Ring{buf: make([]Record, capacity)}
	r.notEmpty = sync.NewCond(&r.mu)
	r.notFull = sync.NewCond(&r.mu)
	return r
}

// Push appends rec, waiting for space. It reports false if the ring is closed.
func (r *Ring) Push(rec Record) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for r.n == len(r.buf) && !r.closed {
		r.notFull.Wait()
	}
	if r.closed {
		return false
	}
	r.buf[(r.head+r.n)%len(r.buf)] = rec // RACE
	r.n++
	r.notEmpty.Signal()
	return true
}

// PopBatch removes up to max of the oldest records and returns them. It
// returns an empty batch once the ring is closed and drained.
//
// To avoid an allocation per batch the returned slice refers directly to
// the ring's storage; a batch therefore never wraps around the end of the
// buffer and may be shorter than what is queued.
func (r *Ring) PopBatch(max int) []Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	for r.n == 0 && !r.closed {
		r.notEmpty.Wait()
	}
	k := r.n
	if k > max {
		k = max
	}
	if r.head+k > len(r.buf) {
		k = len(r.buf) - r.head
	}
	batch := r.buf[r.head : r.head+k]
	r.head = (r.head + k) % len(r.buf)
	r.n -= k
	r.notFull.Broadcast()
	return batch
}

// Close wakes up all waiters; queued records can still be popped.
func (r *Ring) Close() {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	r.notEmpty.Broadcast()
	r.notFull.Broadcast()
}

// Ship drains r into w in batches of at most max records until the ring is
// closed and empty. It returns the number of records written.
func Ship(r *Ring, w io.Writer, max int) (int, error) {
	written := 0
	for {
		batch := r.PopBatch(max)
		if len(batch) == 0 {
			return written, nil
		}
		for i := range batch {
			line := fmt.Sprintf("%08d %s\n", batch[i].Seq, batch[i].Line) // RACE-ALSO
			if _, err := io.WriteString(w, line); err != nil {
				return written, err
			}
			written++
		}
	}
}
