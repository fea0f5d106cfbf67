// Package ok_b1 coordinates graceful shutdown: registered hooks (drain the
// HTTP server, flush metrics, close the database...) run in parallel, each
// bounded by its own timeout and by an overall grace period.
package ok_b1

import (
	"context"
	"sync"
	"time"
)

// Hook is a named shutdown step.
type Hook struct {
	Name    string
	Timeout time.Duration // zero means only the grace period applies
	Fn      func(ctx context.Context) error
}

// Result is the outcome of one hook.
type Result struct {
	Name string
	Err  error
	Took time.Duration
}

// Coordinator runs the shutdown sequence exactly once.
type Coordinator struct {
	hooks []Hook // fixed at construction
	grace time.Duration

	once    sync.Once
	done    chan struct{}
	results []Result // written once, before done is closed
}

// New returns a coordinator for hooks. The slice is copied.
func New(grace time.Duration, hooks ...Hook) *Coordinator {
	return &Coordinator{
		hooks: append([]Hook(nil), hooks...),
		grace: grace,
		done:  make(chan struct{}),
	}
}

// Shutdown runs every hook concurrently and returns their results in
// registration order. Only the first call does any work; later and
// concurrent callers wait for it and get the same results.
func (c *Coordinator) Shutdown(ctx context.Context) []Result {
	c.once.Do(func() {
		ctx, cancel := context.WithTimeout(ctx, c.grace)
		defer cancel()

		results := make([]Result, len(c.hooks))
		var wg sync.WaitGroup
		for i, h := range c.hooks {
			i, h := i, h
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = runHook(ctx, h)
			}()
		}
		wg.Wait()

		c.results = results
		close(c.done)
	})
	return c.Results()
}

// Done is closed when Shutdown has finished.
func (c *Coordinator) Done() <-chan struct{} { return c.done }

// Results returns a copy of the hook results, or nil if shutdown has not
// completed yet.
func (c *Coordinator) Results() []Result {
	select {
	case <-c.done:
		return append([]Result(nil), c.results...)
	default:
		return nil
	}
}

// runHook runs h and gives up waiting when its deadline passes. A hook that
// ignores its context keeps running in the background.
func runHook(ctx context.Context, h Hook) Result {
	start := time.Now()
	if h.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, h.Timeout)
		defer cancel()
	}
	errc := make(chan error, 1)
	go func() { errc <- h.Fn(ctx) }()

	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
		err = ctx.Err()
	}
	return Result{Name: h.Name, Err: err, Took: time.Since(start)}
}
