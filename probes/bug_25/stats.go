package bug_25

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"time"
)

type Stats struct {
	Requests int
	Errors   int
	ByCode   map[int]int
}

type Recorder struct {
	mu    sync.Mutex
	stats Stats
}

func NewRecorder() *Recorder {
	return &Recorder{stats: Stats{ByCode: make(map[int]int)}}
}

func (r *Recorder) Observe(code int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stats.Requests++
	if code >= 500 {
		r.stats.Errors++
	}
	r.stats.ByCode[code]++ // RACE-ALSO
}

// Snapshot returns a copy of the current stats.
func (r *Recorder) Snapshot() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stats
}

// Report periodically dumps the stats without holding the recorder lock.
func Report(r *Recorder, w io.Writer, every time.Duration, stop <-chan struct{}) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			s := r.Snapshot()
			codes := make([]int, 0, len(s.ByCode))
			for c := range s.ByCode { // RACE
				codes = append(codes, c)
			}
			sort.Ints(codes)
			fmt.Fprintf(w, "requests=%d errors=%d\n", s.Requests, s.Errors)
			for _, c := range codes {
				fmt.Fprintf(w, "  %d: %d\n", c, s.ByCode[c])
			}
		}
	}
}
