// Package ok_c5 watches a revisioned key/value source and fans events out to
// registered handlers.
package ok_c5

import (
	"context"
	"sync"
	"sync/atomic"
)

// Event is a change to a single key.
type Event struct {
	Key   string
	Value []byte
	Rev   int64
}

// Source produces events in revision order. Next blocks until an event is
// available or ctx is done.
type Source interface {
	Next(ctx context.Context) (Event, error)
}

// Handler receives events. Handlers are called sequentially from the
// watcher's goroutine.
type Handler func(Event)

// Watcher distributes events from a Source.
// A Watcher is safe for concurrent use by multiple goroutines.
type Watcher struct {
	src    Source
	cancel context.CancelFunc
	wg     sync.WaitGroup

	progress atomic.Int64 // last delivered revision, for observers

	mu       sync.Mutex
	handlers []Handler

	// Owned by the run goroutine until it exits; read by Close after joining.
	lastRev int64
	skipped int
}

// Watch starts watching src. Call Close to stop.
func Watch(ctx context.Context, src Source) *Watcher {
	ctx, cancel := context.WithCancel(ctx)
	w := &Watcher{src: src, cancel: cancel}
	w.wg.Add(1)
	go w.run(ctx)
	return w
}

// OnEvent registers h. It may be called while the watcher is running.
func (w *Watcher) OnEvent(h Handler) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.handlers = append(w.handlers, h)
}

func (w *Watcher) snapshot() []Handler {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.handlers[:len(w.handlers):len(w.handlers)]
}

func (w *Watcher) run(ctx context.Context) {
	defer w.wg.Done()
	for {
		ev, err := w.src.Next(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			continue
		}
		if ev.Rev <= w.lastRev {
			w.skipped++
			continue
		}
		w.lastRev = ev.Rev
		for _, h := range w.snapshot() {
			h(ev)
		}
		w.progress.Store(ev.Rev)
	}
}

// Progress returns the last revision delivered to handlers so far.
func (w *Watcher) Progress() int64 { return w.progress.Load() }

// Close stops the watcher, waits for the watch goroutine to exit, and
// returns the last revision delivered and the number of replayed events
// that were skipped.
func (w *Watcher) Close() (rev int64, skipped int) {
	w.cancel()
	w.wg.Wait()
	return w.lastRev, w.skipped
}

// Collect runs one goroutine per source and returns, for each source, the
// number of events it produced before ctx was done. Results are written to
// per-source slots and read only after every goroutine has finished.
func Collect(ctx context.Context, srcs []Source) []int {
	counts := make([]int, len(srcs))
	var wg sync.WaitGroup
	for i := range srcs {
		wg.Add(1)
		go func(i int, src Source) {
			defer wg.Done()
			for {
				if _, err := src.Next(ctx); err != nil {
					return
				}
				counts[i]++
			}
		}(i, srcs[i])
	}
	wg.Wait()
	return counts
}
