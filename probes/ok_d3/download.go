// Package ok_d3 implements a parallel download manager with progress
// reporting. Workers hand progress events to a single reporter goroutine
// and write their results into per-index slots.
package ok_d3

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
)

// Fetcher opens the remote resource identified by url.
type Fetcher interface {
	Fetch(ctx context.Context, url string) (io.ReadCloser, error)
}

// Result describes the outcome of one download.
type Result struct {
	URL   string
	Bytes int64
	Err   error
}

// Event is a progress notification emitted when a download finishes.
type Event struct {
	Index int
	URL   string
	Bytes int64
	Err   error
}

// Summary aggregates the events of a batch.
type Summary struct {
	Done, Failed int
	Bytes        int64
}

// Manager downloads a batch of URLs concurrently.
type Manager struct {
	Fetcher  Fetcher
	Parallel int
	// OnProgress, if set, is called on the reporter goroutine for every
	// event, in completion order.
	OnProgress func(Event, Summary)

	inflight int64 // atomic
}

// InFlight reports how many downloads are currently running.
func (m *Manager) InFlight() int64 { return atomic.LoadInt64(&m.inflight) }

// Download fetches every URL and returns one Result per URL, in order, the
// aggregated summary and the first error encountered.
func (m *Manager) Download(ctx context.Context, urls []string) ([]Result, Summary, error) {
	par := m.Parallel
	if par < 1 {
		par = 1
	}
	results := make([]Result, len(urls))
	events := make(chan *Event)
	sem := make(chan struct{}, par)

	var (
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	for i, u := range urls {
		wg.Add(1)
		go func(i int, u string) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()

			atomic.AddInt64(&m.inflight, 1)
			n, err := m.fetchOne(ctx, u)
			atomic.AddInt64(&m.inflight, -1)

			results[i] = Result{URL: u, Bytes: n, Err: err}
			if err != nil {
				errOnce.Do(func() { firstErr = err })
			}
			// The event is handed over; this goroutine never touches it again.
			events <- &Event{Index: i, URL: u, Bytes: n, Err: err}
		}(i, u)
	}

	// The reporter owns sum until it closes reported.
	var sum Summary
	reported := make(chan struct{})
	go func() {
		defer close(reported)
		for ev := range events {
			if ev.Err != nil {
				sum.Failed++
			} else {
				sum.Done++
				sum.Bytes += ev.Bytes
			}
			if m.OnProgress != nil {
				m.OnProgress(*ev, sum)
			}
		}
	}()

	wg.Wait()
	close(events)
	<-reported
	return results, sum, firstErr
}

// fetchOne downloads a single URL and returns its size.
func (m *Manager) fetchOne(ctx context.Context, u string) (int64, error) {
	rc, err := m.Fetcher.Fetch(ctx, u)
	if err != nil {
		return 0, fmt.Errorf("fetch %s: %w", u, err)
	}
	defer rc.Close()
	return io.Copy(io.Discard, rc)
}
