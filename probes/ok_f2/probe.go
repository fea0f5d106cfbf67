// Package ok_f2 runs health probes against a set of hosts in parallel. It
// uses a small hand-written error group and writes every probe result into
// its own preallocated slot, reading the slots only after the group has been
// joined.
package ok_f2

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"
)

// Group is a minimal error group: it runs functions in goroutines, records
// the first error and cancels the shared context when that happens.
type Group struct {
	wg      sync.WaitGroup
	errOnce sync.Once
	err     error
	cancel  context.CancelFunc
}

// WithContext returns a new Group and a context derived from ctx that is
// cancelled when the first function fails or when Wait returns.
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
				if g.cancel != nil {
					g.cancel()
				}
			})
		}
	}()
}

// Wait blocks until all functions started with Go have returned and reports
// the first error, if any.
func (g *Group) Wait() error {
	g.wg.Wait()
	if g.cancel != nil {
		g.cancel()
	}
	return g.err
}

// CheckFunc probes a single host.
type CheckFunc func(ctx context.Context, host string) (time.Duration, error)

// Result is the outcome of probing one host.
type Result struct {
	Host    string
	Latency time.Duration
	Err     error
}

// Prober probes hosts with a fixed configuration. The fields are written by
// NewProber only and are read-only afterwards.
type Prober struct {
	name    string
	timeout time.Duration
	check   CheckFunc
	strict  bool
}

// NewProber returns a Prober. When strict is true the first failing host
// aborts the whole run.
func NewProber(name string, timeout time.Duration, strict bool, check CheckFunc) *Prober {
	return &Prober{name: name, timeout: timeout, check: check, strict: strict}
}

// task returns the function that probes hosts[i] and stores the outcome in
// results[i]. Every task writes a distinct element.
func (p *Prober) task(ctx context.Context, i int, host string, results []Result) func() error {
	return func() error {
		cctx, cancel := context.WithTimeout(ctx, p.timeout)
		defer cancel()
		lat, err := p.check(cctx, host)
		results[i] = Result{Host: host, Latency: lat, Err: err}
		if err != nil && p.strict {
			return fmt.Errorf("%s: %s: %w", p.name, host, err)
		}
		return nil
	}
}

// Run probes every host concurrently and returns one result per host, in the
// order of hosts.
func (p *Prober) Run(ctx context.Context, hosts []string) ([]Result, error) {
	results := make([]Result, len(hosts))
	g, gctx := WithContext(ctx)
	for i := range hosts {
		g.Go(p.task(gctx, i, hosts[i], results))
	}
	err := g.Wait()
	return results, err
}

// Summary describes a completed run.
type Summary struct {
	Healthy int
	Failed  []string
	P50     time.Duration
	Max     time.Duration
}

// Summarize computes a Summary from the results of Run.
func Summarize(results []Result) Summary {
	var s Summary
	var lats []time.Duration
	for _, r := range results {
		if r.Err != nil || r.Host == "" {
			s.Failed = append(s.Failed, r.Host)
			continue
		}
		s.Healthy++
		lats = append(lats, r.Latency)
	}
	if len(lats) > 0 {
		sort.Slice(lats, func(a, b int) bool { return lats[a] < lats[b] })
		s.P50 = lats[len(lats)/2]
		s.Max = lats[len(lats)-1]
	}
	return s
}

// ErrDown is returned by checkers for hosts that do not answer.
var ErrDown = errors.New("host down")
