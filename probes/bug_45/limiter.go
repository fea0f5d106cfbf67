package bug_45

import (
	"sync"
	"time"
)

// WindowLimiter allows at most limit calls per key in each fixed window.
type WindowLimiter struct {
	limit  int
	window time.Duration
	now    func() time.Time // overridable for tests

	mu      sync.Mutex
	windows map[string]*windowState
}

type windowState struct {
	start time.Time
	count int
}

func NewWindowLimiter(limit int, window time.Duration) *WindowLimiter {
	return &WindowLimiter{
		limit:   limit,
		window:  window,
		now:     time.Now,
		windows: make(map[string]*windowState),
	}
}

// Allow reports whether one more call for key fits in the current window.
func (l *WindowLimiter) Allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now() // RACE-ALSO
	ws, ok := l.windows[key]
	if !ok || now.Sub(ws.start) >= l.window {
		ws = &windowState{start: now}
		l.windows[key] = ws
	}
	if ws.count >= l.limit {
		return false
	}
	ws.count++
	return true
}
