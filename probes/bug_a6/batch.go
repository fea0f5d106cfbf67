// Package bug_a6 implements a batching writer that buffers records and
// flushes them to a sink either when the batch is full or periodically.
package bug_a6

import (
	"sync"
	"time"
)

// Sink receives flushed batches.
type Sink interface {
	WriteBatch(records [][]byte) error
}

// Option configures a BatchWriter.
type Option func(*BatchWriter)

// WithFlushInterval sets how often partial batches are flushed.
func WithFlushInterval(d time.Duration) Option {
	return func(w *BatchWriter) { w.flushInterval = d } // RACE-ALSO
}

// WithMaxBatch sets the maximum number of records per batch.
func WithMaxBatch(n int) Option {
	return func(w *BatchWriter) { w.maxBatch = n }
}

// BatchWriter buffers records in memory and writes them in batches.
type BatchWriter struct {
	sink          Sink
	flushInterval time.Duration
	maxBatch      int

	mu      sync.Mutex
	pending [][]byte
	errs    int

	quit chan struct{}
	wg   sync.WaitGroup
}

// NewBatchWriter creates a writer and starts its background flusher.
func NewBatchWriter(sink Sink, opts ...Option) *BatchWriter {
	w := &BatchWriter{
		sink:          sink,
		flushInterval: time.Second,
		maxBatch:      128,
		quit:          make(chan struct{}),
	}
	w.wg.Add(1)
	go w.loop()
	for _, o := range opts {
		o(w)
	}
	return w
}

func (w *BatchWriter) loop() {
	defer w.wg.Done()
	t := time.NewTicker(w.flushInterval) // RACE
	defer t.Stop()
	for {
		select {
		case <-t.C:
			w.Flush()
		case <-w.quit:
			w.Flush()
			return
		}
	}
}

// Write enqueues a record, flushing synchronously if the batch is full.
func (w *BatchWriter) Write(rec []byte) {
	w.mu.Lock()
	w.pending = append(w.pending, rec)
	full := len(w.pending) >= w.maxBatch
	w.mu.Unlock()
	if full {
		w.Flush()
	}
}

// Flush writes out any buffered records.
func (w *BatchWriter) Flush() {
	w.mu.Lock()
	batch := w.pending
	w.pending = nil
	w.mu.Unlock()
	if len(batch) == 0 {
		return
	}
	if err := w.sink.WriteBatch(batch); err != nil {
		w.mu.Lock()
		w.errs++
		w.mu.Unlock()
	}
}

// Errors returns the number of failed batch writes.
func (w *BatchWriter) Errors() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.errs
}

// Close flushes remaining records and stops the background flusher.
func (w *BatchWriter) Close() {
	close(w.quit)
	w.wg.Wait()
}
