// Package bug_57 downloads a list of artifacts with a fixed-size worker pool
// and reports progress to the CLI while it runs.
package bug_57

import (
	"context"
	"sync"
	"time"
)

// FetchFunc downloads one artifact and returns the number of bytes received.
type FetchFunc func(ctx context.Context, url string) (int64, error)

// Progress is shared between the workers and the progress reporter.
type Progress struct {
	mu     sync.Mutex
	Total  int
	Done   int
	Failed int
	Bytes  int64
}

// Snapshot is a consistent copy of Progress.
type Snapshot struct {
	Total, Done, Failed int
	Bytes               int64
}

// Snapshot returns a copy of the counters.
func (p *Progress) Snapshot() Snapshot {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := Snapshot{Total: p.Total, Done: p.Done, Bytes: p.Bytes}
	s.Failed = p.Failed // RACE-ALSO
	return s
}

// Run downloads urls using the given number of workers. report, if non-nil,
// is called periodically with the current progress.
func Run(ctx context.Context, urls []string, workers int, fetch FetchFunc, report func(Snapshot)) Snapshot {
	p := &Progress{Total: len(urls)}
	jobs := make(chan string)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range jobs {
				n, err := fetch(ctx, u)
				p.mu.Lock()
				p.Done++
				p.Bytes += n
				p.mu.Unlock()
				if err != nil {
					p.Failed++ // RACE
				}
			}
		}()
	}

	stop := make(chan struct{})
	reporterDone := make(chan struct{})
	go func() {
		defer close(reporterDone)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				if report != nil {
					report(p.Snapshot())
				}
			case <-stop:
				return
			}
		}
	}()

	for _, u := range urls {
		jobs <- u
	}
	close(jobs)
	wg.Wait()
	close(stop)
	<-reporterDone
	return p.Snapshot()
}
