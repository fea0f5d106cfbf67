package ok_25

import (
	"sync"
	"time"
)

// WindowLimiter allows at most limit calls per key in each fixed window.
type WindowLimiter struct {
	limit  int
	window time.Duration
	now    func() time.Time // set once at construction

	mu      sync.Mutex
	windows map[string]*windowState
}

type windowState struct {
	start time.Time
	count int
}

// NewWindowLimiter creates a limiter; clock may be nil to use time.Now.
func NewWindowLimiter(limit int, window time.Duration, clock func() time.Time) *WindowLimiter {
	if clock == nil {
		clock = time.Now
	}
	return &WindowLimiter{
		limit:   limit,
		window:  window,
		now:     clock,
		windows: make(map[string]*windowState),
	}
}

// Allow reports whether one more call for key fits in the current window.
func (l *WindowLimiter) Allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
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
