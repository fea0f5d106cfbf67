// Package bug_c7 watches a revisioned key/value source and fans events out to
// any number of listeners.
//
// A single background goroutine pulls events from the Source, drops
// duplicates that a reconnecting source may replay, and delivers each event
// to every listener without blocking.
package bug_c7

import (
	"context"
	"sync"
	"time"
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

// Watcher distributes events from a Source.
// A Watcher is safe for concurrent use by multiple goroutines.
type Watcher struct {
	src    Source
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu        sync.Mutex
	listeners map[int]chan Event
	nextID    int
	closed    bool

	// Owned by the run goroutine.
	lastRev int64
	retries int
}

// Watch starts watching src. Call Close to stop.
func Watch(ctx context.Context, src Source) *Watcher {
	ctx, cancel := context.WithCancel(ctx)
	w := &Watcher{
		src:       src,
		cancel:    cancel,
		listeners: make(map[int]chan Event),
	}
	w.wg.Add(1)
	go w.run(ctx)
	return w
}

func (w *Watcher) run(ctx context.Context) {
	defer w.wg.Done()
	for {
		ev, err := w.src.Next(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			w.retries++
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Duration(w.retries) * time.Millisecond):
			}
			continue
		}
		w.retries = 0
		if ev.Rev <= w.lastRev {
			continue // replayed after reconnect
		}
		w.lastRev = ev.Rev // RACE-ALSO
		w.broadcast(ev)
	}
}

func (w *Watcher) broadcast(ev Event) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, ch := range w.listeners {
		select {
		case ch <- ev:
		default: // slow listener; it will observe a revision gap
		}
	}
}

// Listen returns a channel that receives events and a function that stops
// delivery to it.
func (w *Watcher) Listen(buf int) (<-chan Event, func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	ch := make(chan Event, buf)
	if w.closed {
		close(ch)
		return ch, func() {}
	}
	w.nextID++
	id := w.nextID
	w.listeners[id] = ch
	return ch, func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		if c, ok := w.listeners[id]; ok {
			delete(w.listeners, id)
			close(c)
		}
	}
}

// Close stops the watcher, closes all listener channels and returns the last
// revision delivered, so that a new watch can resume after it.
func (w *Watcher) Close() int64 {
	w.cancel()
	rev := w.lastRev // RACE
	w.wg.Wait()

	w.mu.Lock()
	defer w.mu.Unlock()
	w.closed = true
	for id, ch := range w.listeners {
		delete(w.listeners, id)
		close(ch)
	}
	return rev
}
