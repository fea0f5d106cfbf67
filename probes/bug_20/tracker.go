package bug_20

import (
	"sync"
	"time"
)

// Tracker remembers in-flight requests so slow ones can be expired.
type Tracker struct {
	mu      sync.Mutex
	pending map[string]time.Time
	timeout time.Duration
	onLate  func(id string)
}

func NewTracker(timeout time.Duration, onLate func(string)) *Tracker {
	t := &Tracker{
		pending: make(map[string]time.Time),
		timeout: timeout,
		onLate:  onLate,
	}
	go t.reapLoop()
	return t
}

func (t *Tracker) Start(id string) {
	t.mu.Lock()
	t.pending[id] = time.Now() // RACE-ALSO
	t.mu.Unlock()
}

func (t *Tracker) Finish(id string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, ok := t.pending[id]
	delete(t.pending, id)
	return ok
}
