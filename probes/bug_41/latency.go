package bug_41

import (
	"fmt"
	"log"
	"net/http"
	"sync"
	"time"
)

type latencyStats struct {
	count uint64
	sum   time.Duration
	max   time.Duration
}

func (s latencyStats) with(d time.Duration) latencyStats {
	s.count++
	s.sum += d
	if d > s.max {
		s.max = d
	}
	return s
}

// Recorder tracks request latency for one route.
type Recorder struct {
	route string

	mu    sync.Mutex
	stats latencyStats
}

func NewRecorder(route string) *Recorder { return &Recorder{route: route} }

// Observe records one request duration.
func (r *Recorder) Observe(d time.Duration) {
	r.mu.Lock()
	r.stats = r.stats.with(d) // RACE-ALSO
	r.mu.Unlock()
}

// Middleware wraps next and records its latency.
func (r *Recorder) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		start := time.Now()
		next.ServeHTTP(w, req)
		r.Observe(time.Since(start))
	})
}

// summary formats the current statistics.
func (r *Recorder) summary() string {
	s := r.stats // RACE
	if s.count == 0 {
		return fmt.Sprintf("%s: no requests", r.route)
	}
	mean := s.sum / time.Duration(s.count)
	return fmt.Sprintf("%s: n=%d mean=%s max=%s", r.route, s.count, mean, s.max)
}

// StartReporter logs a summary line every interval until stop is closed.
func (r *Recorder) StartReporter(logger *log.Logger, interval time.Duration, stop <-chan struct{}) {
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				logger.Println(r.summary())
			case <-stop:
				return
			}
		}
	}()
}
