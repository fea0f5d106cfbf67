// Package bug_d3 implements a parallel download manager with progress
// reporting, the kind of helper found in image pullers and package managers.
package bug_d3

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
)

// Fetcher talks to the remote store.
type Fetcher interface {
	// Size returns the size of the resource (a HEAD request); -1 if unknown.
	Size(ctx context.Context, url string) (int64, error)
	// Fetch opens the resource for reading.
	Fetch(ctx context.Context, url string) (io.ReadCloser, error)
}

// Result describes the outcome of one download.
type Result struct {
	URL   string
	Bytes int64
	Err   error
}

// Progress is a snapshot of the overall transfer.
type Progress struct {
	Done, Total         int
	Bytes, ExpectedSize int64
}

// Manager downloads a batch of URLs concurrently.
type Manager struct {
	fetcher  Fetcher
	parallel int

	bytes    int64 // atomic
	expected int64 // atomic
	finished int64 // atomic
	total    int64 // atomic
}

// NewManager returns a manager that runs at most parallel downloads at once.
func NewManager(f Fetcher, parallel int) *Manager {
	if parallel < 1 {
		parallel = 1
	}
	return &Manager{fetcher: f, parallel: parallel}
}

// Progress returns the current transfer progress; it is safe to call from a
// reporting goroutine while Download runs.
func (m *Manager) Progress() Progress {
	return Progress{
		Done:         int(atomic.LoadInt64(&m.finished)),
		Total:        int(atomic.LoadInt64(&m.total)),
		Bytes:        atomic.LoadInt64(&m.bytes),
		ExpectedSize: atomic.LoadInt64(&m.expected),
	}
}

// countingWriter discards data and adds its size to the manager's counter.
type countingWriter struct{ m *Manager }

func (w countingWriter) Write(p []byte) (int, error) {
	atomic.AddInt64(&w.m.bytes, int64(len(p)))
	return len(p), nil
}

// Download fetches every URL and returns one Result per URL, in order,
// together with an error summarising the failed downloads, if any.
func (m *Manager) Download(ctx context.Context, urls []string) ([]Result, error) {
	atomic.StoreInt64(&m.total, int64(len(urls)))
	results := make([]Result, len(urls))
	sem := make(chan struct{}, m.parallel)

	var wg sync.WaitGroup
	for i, u := range urls {
		go func(i int, u string) {
			// Learn the size first so that the progress bar has a total
			// as early as possible.
			if size, err := m.fetcher.Size(ctx, u); err == nil && size > 0 {
				atomic.AddInt64(&m.expected, size)
			}

			wg.Add(1)
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()

			n, err := m.fetchOne(ctx, u)
			results[i] = Result{URL: u, Bytes: n, Err: err} // RACE
			atomic.AddInt64(&m.finished, 1)
		}(i, u)
	}
	wg.Wait()

	failed := 0
	var first error
	for i := range results {
		if err := results[i].Err; err != nil { // RACE-ALSO
			if first == nil {
				first = err
			}
			failed++
		}
	}
	if failed > 0 {
		return results, fmt.Errorf("%d of %d downloads failed, first: %w", failed, len(urls), first)
	}
	return results, nil
}

// fetchOne downloads a single URL.
func (m *Manager) fetchOne(ctx context.Context, u string) (int64, error) {
	rc, err := m.fetcher.Fetch(ctx, u)
	if err != nil {
		return 0, fmt.Errorf("fetch %s: %w", u, err)
	}
	defer rc.Close()
	return io.Copy(countingWriter{m}, rc)
}
