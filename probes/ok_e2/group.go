// Package ok_e2 fetches batches of keys with a small errgroup-like helper
// that bounds parallelism and cancels outstanding work on the first error.
package ok_e2

import (
	"context"
	"fmt"
	"sync"
)

// Group runs tasks on their own goroutines, at most limit at a time. The
// first task to fail cancels the group's context. Wait returns only after
// every started task has returned.
type Group struct {
	cancel  context.CancelFunc
	sem     chan struct{}
	wg      sync.WaitGroup
	errOnce sync.Once
	err     error
}

// WithContext returns a group and a context that is cancelled when a task
// fails or when Wait returns.
func WithContext(ctx context.Context, limit int) (*Group, context.Context) {
	if limit <= 0 {
		limit = 1
	}
	ctx, cancel := context.WithCancel(ctx)
	return &Group{cancel: cancel, sem: make(chan struct{}, limit)}, ctx
}

// Go starts f once a slot is free.
func (g *Group) Go(f func() error) {
	g.sem <- struct{}{}
	g.wg.Add(1)
	go func() {
		defer func() {
			<-g.sem
			g.wg.Done()
		}()
		if err := f(); err != nil {
			g.errOnce.Do(func() {
				g.err = err
				g.cancel()
			})
		}
	}()
}

// Wait waits for all tasks and returns the first error, if any.
func (g *Group) Wait() error {
	g.wg.Wait()
	g.cancel()
	return g.err
}

// Result is the outcome of fetching a single key.
type Result struct {
	Key   string
	Value []byte
	OK    bool
}

// FetchFunc retrieves the value stored under key.
type FetchFunc func(ctx context.Context, key string) ([]byte, error)

// Summary describes a completed or partially completed batch.
type Summary struct {
	Requested int
	Fetched   int
	Bytes     int
	Err       error
}

// FetchAll fetches every key with at most limit fetches in flight and
// returns the results in input order, together with the first error. Each
// task writes only its own slot of the result slice.
func FetchAll(ctx context.Context, keys []string, limit int, fetch FetchFunc) ([]Result, error) {
	g, ctx := WithContext(ctx, limit)
	results := make([]Result, len(keys))
	for i, key := range keys {
		i, key := i, key
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			v, err := fetch(ctx, key)
			if err != nil {
				return fmt.Errorf("fetch %q: %w", key, err)
			}
			results[i] = Result{Key: key, Value: v, OK: true}
			return nil
		})
	}
	err := g.Wait()
	return results, err
}

// Summarize runs FetchAll and tallies the results, including the partial
// results of a failed batch.
func Summarize(ctx context.Context, keys []string, limit int, fetch FetchFunc) Summary {
	results, err := FetchAll(ctx, keys, limit, fetch)
	s := Summary{Requested: len(keys), Err: err}
	for i := range results {
		if !results[i].OK {
			continue
		}
		s.Fetched++
		s.Bytes += len(results[i].Value)
	}
	return s
}
