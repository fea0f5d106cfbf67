// Package bug_59 buffers audit records between request handlers and the
// background flusher in a bounded ring.
package bug_59

import (
	"sync"
	"sync/atomic"
)

// Record is one audit log entry.
type Record struct {
	Actor  string
	Action string
	At     int64
}

// Ring is a bounded FIFO shared by many producers and one flusher.
// Push and Pop serialise on mu. head is additionally advanced with atomic
// operations so that Len, which is scraped by the metrics exporter, can run
// without contending with producers.
type Ring struct {
	mu   sync.Mutex
	buf  []Record
	head uint64 // next slot to read (atomic)
	tail uint64 // next slot to write
}

// NewRing returns a ring with room for size records.
func NewRing(size int) *Ring {
	return &Ring{buf: make([]Record, size)}
}

// Push appends rec, returning false if the ring is full.
func (r *Ring) Push(rec Record) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := uint64(len(r.buf))
	if r.tail-atomic.LoadUint64(&r.head) == n {
		return false
	}
	r.buf[r.tail%n] = rec
	r.tail++ // RACE
	return true
}

// Pop removes the oldest record.
func (r *Ring) Pop() (Record, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := uint64(len(r.buf))
	h := atomic.LoadUint64(&r.head)
	if h == r.tail {
		return Record{}, false
	}
	rec := r.buf[h%n]
	r.buf[h%n] = Record{}
	atomic.AddUint64(&r.head, 1)
	return rec, true
}

// Drain pops up to max records into dst.
func (r *Ring) Drain(dst []Record, max int) []Record {
	for i := 0; i < max; i++ {
		rec, ok := r.Pop()
		if !ok {
			break
		}
		dst = append(dst, rec)
	}
	return dst
}

// Len reports the number of buffered records. It is lock-free.
func (r *Ring) Len() int {
	h := atomic.LoadUint64(&r.head)
	t := r.tail // RACE-ALSO
	return int(t - h)
}
