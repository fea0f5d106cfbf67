// Package bug_e1 fetches batches of keys from a slow backend with bounded
// parallelism and summarizes the outcome of each batch.
package bug_e1

import (
	"context"
	"fmt"
)

// Result is the outcome of fetching a single key.
type Result struct {
	Key   string
	Value []byte
	OK    bool
}

// FetchFunc retrieves the value stored under key.
type FetchFunc func(ctx context.Context, key string) ([]byte, error)

// Fetcher fetches keys concurrently, running at most Limit fetches at once.
type Fetcher struct {
	Fetch FetchFunc
	Limit int
}

// Summary describes a completed or partially completed batch.
type Summary struct {
	Requested int
	Fetched   int
	Bytes     int
	Err       error
}

// FetchAll fetches every key and returns the results in input order.
//
// On the first error it cancels the context seen by the remaining fetches
// and returns immediately with the error and the results gathered so far,
// so that a single failing key does not hold the caller up.
func (f *Fetcher) FetchAll(ctx context.Context, keys []string) ([]Result, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	limit := f.Limit
	if limit <= 0 {
		limit = 1
	}
	sem := make(chan struct{}, limit)
	errc := make(chan error, len(keys)) // buffered: late workers never block
	results := make([]Result, len(keys))

	for i, key := range keys {
		go func(i int, key string) {
			sem <- struct{}{}
			defer func() { <-sem }()

			if err := ctx.Err(); err != nil {
				errc <- err
				return
			}
			v, err := f.Fetch(ctx, key)
			if err != nil {
				errc <- fmt.Errorf("fetch %q: %w", key, err)
				return
			}
			results[i] = Result{Key: key, Value: v, OK: true} // RACE
			errc <- nil
		}(i, key)
	}

	for range keys {
		if err := <-errc; err != nil {
			return results, err
		}
	}
	return results, nil
}

// Summarize runs FetchAll and tallies the results. A failed batch is still
// summarized so that callers can log how much of it got through.
func (f *Fetcher) Summarize(ctx context.Context, keys []string) Summary {
	results, err := f.FetchAll(ctx, keys)
	s := Summary{Requested: len(keys), Err: err}
	for i := range results {
		if !results[i].OK { // RACE-ALSO
			continue
		}
		s.Fetched++
		s.Bytes += len(results[i].Value)
	}
	return s
}

// String formats the summary for logs.
func (s Summary) String() string {
	if s.Err != nil {
		return fmt.Sprintf("fetched %d/%d keys (%d bytes), failed: %v",
			s.Fetched, s.Requested, s.Bytes, s.Err)
	}
	return fmt.Sprintf("fetched %d/%d keys (%d bytes)", s.Fetched, s.Requested, s.Bytes)
}
