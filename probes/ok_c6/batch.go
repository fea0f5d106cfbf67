// Package ok_c6 implements a sharded batching writer.
//
// Entries are routed to a shard by their prefix, buffered, and handed to a
// single background flusher which writes each batch to every sink of the
// shard in parallel.
package ok_c6

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"time"
)

// ErrClosed is returned by Write after Close.
var ErrClosed = errors.New("batch: writer closed")

// Writer batches entries. A Writer is safe for concurrent use by multiple
// goroutines.
type Writer struct {
	routes   map[string][]io.Writer // built in New, read-only afterwards
	maxBatch int

	batches chan [][]byte
	flushc  chan chan error
	cancel  context.CancelFunc
	done    chan struct{}

	mu      sync.Mutex
	pending [][]byte
	closed  bool
}

// New returns a Writer that routes an entry "prefix:rest" to routes[prefix]
// (or routes[""] if there is no match) and flushes every interval.
func New(routes map[string][]io.Writer, maxBatch int, interval time.Duration) *Writer {
	r := make(map[string][]io.Writer, len(routes))
	for k, v := range routes {
		r[k] = append([]io.Writer(nil), v...)
	}
	ctx, cancel := context.WithCancel(context.Background())
	w := &Writer{
		routes:   r,
		maxBatch: maxBatch,
		batches:  make(chan [][]byte, 4),
		flushc:   make(chan chan error),
		cancel:   cancel,
		done:     make(chan struct{}),
	}
	go w.loop(ctx, interval)
	return w
}

// Write buffers a copy of p.
func (w *Writer) Write(p []byte) (int, error) {
	entry := append([]byte(nil), p...)
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return 0, ErrClosed
	}
	w.pending = append(w.pending, entry)
	var full [][]byte
	if len(w.pending) >= w.maxBatch {
		full = w.takeLocked()
	}
	w.mu.Unlock()
	if full != nil {
		select {
		case w.batches <- full: // ownership passes to the flusher
		case <-w.done:
			return len(p), w.writeBatch(full)
		}
	}
	return len(p), nil
}

// takeLocked detaches the pending entries; the caller must hold w.mu.
// A fresh slice is allocated so the detached batch is never written again.
func (w *Writer) takeLocked() [][]byte {
	batch := w.pending
	w.pending = make([][]byte, 0, w.maxBatch)
	return batch
}

func (w *Writer) loop(ctx context.Context, interval time.Duration) {
	defer close(w.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case b := <-w.batches:
			w.writeBatch(b)
		case <-t.C:
			w.mu.Lock()
			b := w.takeLocked()
			w.mu.Unlock()
			w.writeBatch(b)
		case reply := <-w.flushc:
			w.mu.Lock()
			b := w.takeLocked()
			w.mu.Unlock()
			reply <- w.writeBatch(b)
		case <-ctx.Done():
			for {
				select {
				case b := <-w.batches:
					w.writeBatch(b)
				default:
					w.mu.Lock()
					b := w.takeLocked()
					w.mu.Unlock()
					w.writeBatch(b)
					return
				}
			}
		}
	}
}

func (w *Writer) sinks(entry []byte) []io.Writer {
	if i := bytes.IndexByte(entry, ':'); i >= 0 {
		if s, ok := w.routes[string(entry[:i])]; ok {
			return s
		}
	}
	return w.routes[""]
}

// writeBatch writes b to every sink in parallel and joins the results.
func (w *Writer) writeBatch(b [][]byte) error {
	bySink := make(map[io.Writer]*bytes.Buffer)
	var order []io.Writer
	for _, e := range b {
		for _, s := range w.sinks(e) {
			buf, ok := bySink[s]
			if !ok {
				buf = new(bytes.Buffer)
				bySink[s] = buf
				order = append(order, s)
			}
			buf.Write(e)
			buf.WriteByte('\n')
		}
	}
	errs := make([]error, len(order))
	var wg sync.WaitGroup
	for i, s := range order {
		wg.Add(1)
		go func(i int, s io.Writer, data []byte) {
			defer wg.Done()
			_, errs[i] = s.Write(data)
		}(i, s, bySink[s].Bytes())
	}
	wg.Wait()
	var msgs []string
	for _, err := range errs {
		if err != nil {
			msgs = append(msgs, err.Error())
		}
	}
	if len(msgs) > 0 {
		return errors.New(strings.Join(msgs, "; "))
	}
	return nil
}

// Flush synchronously writes everything buffered so far.
func (w *Writer) Flush() error {
	reply := make(chan error, 1)
	select {
	case w.flushc <- reply:
		return <-reply
	case <-w.done:
		return ErrClosed
	}
}

// Close flushes and stops the writer.
func (w *Writer) Close() error {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	w.cancel()
	<-w.done
	return nil
}
