package ok_08

import (
	"log"
	"net/http"
	"sync/atomic"
	"time"
)

type Shedder struct {
	inflight int64
	rejected atomic.Int64
	limit    int64
	next     http.Handler
}

func NewShedder(limit int64, next http.Handler) *Shedder {
	s := &Shedder{limit: limit, next: next}
	go s.monitor(10 * time.Second)
	return s
}

func (s *Shedder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := atomic.AddInt64(&s.inflight, 1)
	defer atomic.AddInt64(&s.inflight, -1)
	if n > s.limit {
		s.rejected.Add(1)
		http.Error(w, "overloaded", http.StatusServiceUnavailable)
		return
	}
	s.next.ServeHTTP(w, r)
}

func (s *Shedder) monitor(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for range t.C {
		cur := atomic.LoadInt64(&s.inflight)
		if rej := s.rejected.Swap(0); rej > 0 || cur > s.limit*8/10 {
			log.Printf("shedder: %d/%d in flight, %d rejected", cur, s.limit, rej)
		}
	}
}
