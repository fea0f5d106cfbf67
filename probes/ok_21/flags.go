package ok_21

import (
	"context"
	"log"
	"sync"
	"sync/atomic"
)

// Flags is a read-mostly feature flag set using copy-on-write: the map
// published in v is never modified after Store.
type Flags struct {
	mu sync.Mutex // serializes writers
	v  atomic.Value
}

func NewFlags(initial map[string]bool) *Flags {
	m := make(map[string]bool, len(initial))
	for k, v := range initial {
		m[k] = v
	}
	f := &Flags{}
	f.v.Store(m)
	return f
}

func (f *Flags) snapshot() map[string]bool {
	return f.v.Load().(map[string]bool)
}

// Enabled is called on the hot path of every request.
func (f *Flags) Enabled(name string) bool {
	return f.snapshot()[name]
}

// Set publishes a new map with one flag changed.
func (f *Flags) Set(name string, on bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	old := f.snapshot()
	next := make(map[string]bool, len(old)+1)
	for k, v := range old {
		next[k] = v
	}
	next[name] = on
	f.v.Store(next)
}

type Change struct {
	Name string
	On   bool
}

// Follow applies remote flag changes in the background.
func (f *Flags) Follow(ctx context.Context, changes <-chan Change, logger *log.Logger) {
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case c := <-changes:
				f.Set(c.Name, c.On)
				logger.Printf("flags: %s=%t", c.Name, c.On)
			}
		}
	}()
}
