// Package bug_e4 runs batches of requests on a worker pool and maintains a
// live aggregate of per-status metrics while the batch is in progress.
package bug_e4

import (
	"sync"
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

// Merge folds o into s.
func (s *Stats) Merge(o Stats) {
	s.Requests += o.Requests
	s.Errors += o.Errors
	s.Latency += o.Latency
	for code, n := range o.ByStatus { // RACE-ALSO
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
// Each worker keeps its own Stats and publishes a copy every FlushEvery
// requests; a collector goroutine keeps the latest copy per worker and
// recomputes the aggregate, so the hot path never takes a lock.
type Runner struct {
	Workers    int
	FlushEvery int
	OnProgress func(Stats)

	mu   sync.Mutex
	live Stats
}

// Live returns the most recent aggregate published by the collector.
func (r *Runner) Live() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.live
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
				r.OnProgress(total)
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
		local.ByStatus[code]++ // RACE
		if since++; since == r.FlushEvery {
			snaps <- snapshot{worker: id, stats: local} // Stats is copied by value
			since = 0
		}
	}
	snaps <- snapshot{worker: id, stats: local}
}
