// Package ok_e1 buffers log records in a bounded ring and ships them to a
// writer in batches, processing each batch in place.
package ok_e1

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

// Ring is a bounded FIFO queue of records backed by a circular buffer, with
// any number of producers and a single consumer.
//
// The consumer reads records in place: Peek returns a view of the oldest
// records without removing them and Commit releases them afterwards. A slot
// returned by Peek is still counted as occupied until Commit, so Push can
// never overwrite it while the consumer is reading it.
type Ring struct {
	mu       sync.Mutex
	notEmpty *sync.Cond
	notFull  *sync.Cond
	buf      []Record
	head     int // index of the oldest record
	n        int // number of occupied slots, including peeked ones
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
	r.buf[(r.head+r.n)%len(r.buf)] = rec
	r.n++
	r.notEmpty.Signal()
	return true
}

// Peek returns up to max of the oldest records without removing them. The
// slice refers to the ring's storage and stays valid until Commit. It
// returns an empty slice once the ring is closed and drained.
func (r *Ring) Peek(max int) []Record {
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
	return r.buf[r.head : r.head+k]
}

// Commit releases the k oldest records returned by the last Peek.
func (r *Ring) Commit(k int) {
	r.mu.Lock()
	for i := 0; i < k; i++ {
		r.buf[(r.head+i)%len(r.buf)] = Record{} // drop references early
	}
	r.head = (r.head + k) % len(r.buf)
	r.n -= k
	r.mu.Unlock()
	r.notFull.Broadcast()
}

// Close wakes up all waiters; queued records can still be consumed.
func (r *Ring) Close() {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	r.notEmpty.Broadcast()
	r.notFull.Broadcast()
}

// Ship drains r into w in batches of at most max records until the ring is
// closed and empty. It must be the ring's only consumer. It returns the
// number of records written.
func Ship(r *Ring, w io.Writer, max int) (int, error) {
	written := 0
	for {
		batch := r.Peek(max)
		if len(batch) == 0 {
			return written, nil
		}
		for i := range batch {
			line := fmt.Sprintf("%08d %s\n", batch[i].Seq, batch[i].Line)
			if _, err := io.WriteString(w, line); err != nil {
				r.Commit(len(batch))
				return written, err
			}
			written++
		}
		r.Commit(len(batch))
	}
}
