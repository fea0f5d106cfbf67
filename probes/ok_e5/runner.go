// Package ok_e5 runs batches of requests on a worker pool and maintains a
// live aggregate of per-status metrics while the batch is in progress.
package ok_e5

import (
	"sync"
	"sync/atomic"
	"time"
)

// Stats are request metrics. The zero value is not usable; use NewStats.
type Stats struct {
	Requests int
	Errors   int
	Latency  time.Duration
	ByStatus map[int]int
}

// NewStats returns empty statistics.
func NewStats() Stats {
	return Stats{ByStatus: make(map[int]int)}
}

// Clone returns a deep copy of s that shares no memory with it.
func (s Stats) Clone() Stats {
	c := s
	c.ByStatus = make(map[int]int, len(s.ByStatus))
	for code, n := range s.ByStatus {
		c.ByStatus[code] = n
	}
	return c
}

// Merge folds o into s.
func (s *Stats) Merge(o Stats) {
	s.Requests += o.Requests
	s.Errors += o.Errors
	s.Latency += o.Latency
	for code, n := range o.ByStatus {
		s.ByStatus[code] += n
	}
}

// Request is one unit of work; Do returns a status code.
type Request struct {
	ID int
	Do func() (status int, err error)
}

// snapshot is a worker's cumulative statistics at some point in time.
type snapshot struct {
	worker int
	stats  Stats
}

// Runner executes requests on a fixed pool of workers.
//
// Each worker keeps its own Stats and publishes a deep copy every
// FlushEvery requests; a collector goroutine keeps the latest copy per
// worker and recomputes the aggregate. Done counts finished requests and
// may be polled at any time.
type Runner struct {
	Workers    int
	FlushEvery int
	OnProgress func(Stats)

	done atomic.Int64

	mu   sync.Mutex
	live Stats
}

// Done returns the number of requests finished so far.
func (r *Runner) Done() int64 { return r.done.Load() }

// Live returns a copy of the most recent aggregate.
func (r *Runner) Live() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.live.Clone()
}

// Run executes reqs and returns the final aggregate.
func (r *Runner) Run(reqs []Request) Stats {
	in := make(chan Request)
	snaps := make(chan snapshot, r.Workers)

	var wg sync.WaitGroup
	for w := 0; w < r.Workers; w++ {
		wg.Add(1)
		go r.work(w, in, snaps, &wg)
	}

	collected := make(chan Stats)
	go func() {
		latest := make(map[int]Stats)
		total := NewStats()
		for s := range snaps {
			latest[s.worker] = s.stats
			total = NewStats()
			for _, st := range latest {
				total.Merge(st)
			}
			r.mu.Lock()
			r.live = total
			r.mu.Unlock()
			if r.OnProgress != nil {
				r.OnProgress(total.Clone())
			}
		}
		collected <- total
	}()

	for _, req := range reqs {
		in <- req
	}
	close(in)
	wg.Wait()
	close(snaps)
	return <-collected
}

// work is the body of one worker.
func (r *Runner) work(id int, in <-chan Request, snaps chan<- snapshot, wg *sync.WaitGroup) {
	defer wg.Done()
	local := NewStats()
	since := 0
	for req := range in {
		start := time.Now()
		code, err := req.Do()
		local.Requests++
		local.Latency += time.Since(start)
		if err != nil {
			local.Errors++
		}
		local.ByStatus[code]++
		r.done.Add(1)
		if since++; since == r.FlushEvery {
			snaps <- snapshot{worker: id, stats: local.Clone()}
			since = 0
		}
	}
	// local is not touched after this send, so it needs no copy.
	snaps <- snapshot{worker: id, stats: local}
}
