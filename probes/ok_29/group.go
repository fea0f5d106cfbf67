// Package ok_29 fetches user profiles concurrently with per-request retries,
// using a small errgroup-style helper.
package ok_29

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Group runs functions concurrently and remembers the first error.
type Group struct {
	wg      sync.WaitGroup
	errOnce sync.Once
	err     error
	cancel  context.CancelFunc
}

// WithContext returns a group whose context is cancelled on the first error.
func WithContext(ctx context.Context) (*Group, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	return &Group{cancel: cancel}, ctx
}

// Go runs f in a new goroutine.
func (g *Group) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.errOnce.Do(func() {
				g.err = err
				g.cancel()
			})
		}
	}()
}

// Wait blocks until every function has returned and reports the first error.
func (g *Group) Wait() error {
	g.wg.Wait()
	g.cancel()
	return g.err
}

// FetchFunc loads one profile.
type FetchFunc func(ctx context.Context, id int) (string, error)

// FetchAll loads every profile, retrying each one up to attempts times.
func FetchAll(ctx context.Context, ids []int, attempts int, fetch FetchFunc) (map[int]string, error) {
	g, ctx := WithContext(ctx)
	out := make([]string, len(ids))
	for i, id := range ids {
		i, id := i, id
		g.Go(func() error {
			var lastErr error
			for a := 0; a < attempts; a++ {
				name, err := fetch(ctx, id)
				if err == nil {
					out[i] = name
					return nil
				}
				lastErr = err
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(time.Duration(a+1) * time.Millisecond):
				}
			}
			return fmt.Errorf("profile %d: %w", id, lastErr)
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	m := make(map[int]string, len(ids))
	for i, id := range ids {
		m[id] = out[i]
	}
	return m, nil
}
