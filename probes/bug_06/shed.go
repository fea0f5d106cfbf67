package bug_06

import (
	"log"
	"net/http"
	"sync/atomic"
	"time"
)

// Shedder rejects requests once too many are in flight.
type Shedder struct {
	inflight int64
	limit    int64
	next     http.Handler
}

func NewShedder(limit int64, next http.Handler) *Shedder {
	s := &Shedder{limit: limit, next: next}
	go s.monitor(10 * time.Second)
	return s
}

func (s *Shedder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := atomic.AddInt64(&s.inflight, 1) // RACE-ALSO
	defer atomic.AddInt64(&s.inflight, -1)
	if n > s.limit {
		w.Header().Set("Retry-After", "1")
		http.Error(w, "overloaded", http.StatusServiceUnavailable)
		return
	}
	s.next.ServeHTTP(w, r)
}

func (s *Shedder) monitor(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for range t.C {
		cur := s.inflight // RACE
		if cur > s.limit*8/10 {
			log.Printf("shedder: %d/%d requests in flight", cur, s.limit)
		}
	}
}
