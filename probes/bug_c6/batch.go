// Package bug_c6 implements a batching line writer.
//
// Entries written to a Writer are buffered and written to the underlying
// io.Writer as a single newline-delimited chunk, either when MaxBatch entries
// have accumulated or when FlushDelay has passed since the first buffered
// entry, whichever comes first.
package bug_c6

import (
	"bytes"
	"errors"
	"io"
	"sync"
	"time"
)

// ErrClosed is returned by Write after Close.
var ErrClosed = errors.New("batch: writer closed")

// Writer batches entries. A Writer is safe for concurrent use by multiple
// goroutines.
type Writer struct {
	out        io.Writer
	maxBatch   int
	flushDelay time.Duration

	outMu sync.Mutex // serialises writes to out

	mu      sync.Mutex
	pending [][]byte
	timer   *time.Timer
	err     error // first error from out; sticky
	closed  bool
}

// NewWriter returns a Writer that writes batches to out.
func NewWriter(out io.Writer, maxBatch int, flushDelay time.Duration) *Writer {
	if maxBatch <= 0 {
		maxBatch = 64
	}
	return &Writer{
		out:        out,
		maxBatch:   maxBatch,
		flushDelay: flushDelay,
		pending:    make([][]byte, 0, maxBatch),
	}
}

// Write buffers a copy of p as one entry. It implements io.Writer.
func (w *Writer) Write(p []byte) (int, error) {
	entry := append([]byte(nil), p...)

	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return 0, ErrClosed
	}
	if w.err != nil {
		err := w.err
		w.mu.Unlock()
		return 0, err
	}
	w.pending = append(w.pending, entry) // RACE-ALSO
	if len(w.pending) >= w.maxBatch {
		batch := w.takeLocked()
		w.mu.Unlock()
		return len(p), w.writeBatch(batch)
	}
	if w.timer == nil {
		w.timer = time.AfterFunc(w.flushDelay, w.flushTimer)
	}
	w.mu.Unlock()
	return len(p), nil
}

// takeLocked detaches the pending entries and stops the flush timer.
// The caller must hold w.mu.
func (w *Writer) takeLocked() [][]byte {
	batch := w.pending
	// Keep the backing array so steady-state writing does not allocate.
	w.pending = w.pending[:0]
	if w.timer != nil {
		w.timer.Stop()
		w.timer = nil
	}
	return batch
}

// flushTimer is run by time.AfterFunc.
func (w *Writer) flushTimer() {
	_ = w.Flush()
}

// Flush writes any buffered entries immediately.
func (w *Writer) Flush() error {
	w.mu.Lock()
	batch := w.takeLocked()
	w.mu.Unlock()
	return w.writeBatch(batch)
}

func (w *Writer) writeBatch(batch [][]byte) error {
	if len(batch) == 0 {
		return nil
	}
	var buf bytes.Buffer
	for _, e := range batch { // RACE
		buf.Write(e)
		buf.WriteByte('\n')
	}
	w.outMu.Lock()
	_, err := w.out.Write(buf.Bytes())
	w.outMu.Unlock()
	if err != nil {
		w.mu.Lock()
		if w.err == nil {
			w.err = err
		}
		w.mu.Unlock()
	}
	return err
}

// Close flushes buffered entries and rejects further writes.
func (w *Writer) Close() error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return ErrClosed
	}
	w.closed = true
	batch := w.takeLocked()
	w.mu.Unlock()
	return w.writeBatch(batch)
}
