package bug_50

import (
	"context"
	"log"
	"sync"
	"sync/atomic"
)

// Flags is a read-mostly feature flag set. Reads are lock-free via
// atomic.Value; writers serialize on mu.
type Flags struct {
	mu sync.Mutex
	v  atomic.Value // map[string]bool
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

// Enabled is called on the hot path of every request.
func (f *Flags) Enabled(name string) bool {
	m := f.v.Load().(map[string]bool)
	return m[name] // RACE-ALSO
}

// Set flips a single flag.
func (f *Flags) Set(name string, on bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m := f.v.Load().(map[string]bool)
	m[name] = on // RACE
	f.v.Store(m)
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
