package bug_48

import (
	"context"
	"log"
	"sync"
	"time"
)

// Limits is the quota document published by the control plane.
type Limits struct {
	PerTenant map[string]int
}

// Watcher polls the control plane and notifies subscribers on change.
// Callbacks run on the watcher's goroutine.
type Watcher struct {
	fetch  func(context.Context) (Limits, error)
	every  time.Duration
	logger *log.Logger

	mu   sync.Mutex
	subs []func(Limits)
}

func NewWatcher(fetch func(context.Context) (Limits, error), every time.Duration, logger *log.Logger) *Watcher {
	return &Watcher{fetch: fetch, every: every, logger: logger}
}

// OnChange registers fn to be called with every new Limits document.
func (w *Watcher) OnChange(fn func(Limits)) {
	w.mu.Lock()
	w.subs = append(w.subs, fn)
	w.mu.Unlock()
}

// Start begins polling in the background.
func (w *Watcher) Start(ctx context.Context) {
	go func() {
		t := time.NewTicker(w.every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			l, err := w.fetch(ctx)
			if err != nil {
				w.logger.Printf("limits: fetch: %v", err)
				continue
			}
			w.mu.Lock()
			subs := append(([]func(Limits))(nil), w.subs...)
			w.mu.Unlock()
			for _, fn := range subs {
				fn(l)
			}
		}
	}()
}
