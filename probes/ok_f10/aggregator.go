// Package ok_f10 aggregates metric points sent by many producers. A single
// run goroutine owns the running sums and touches them only inside its
// select loop; the final totals are read by Stop after the loop has been
// cancelled and has signalled completion.
package ok_f10

import (
	"context"
	"time"
)

// Point is one observation of a named metric.
type Point struct {
	Name  string
	Value float64
}

// Totals are the aggregated values of all metrics.
type Totals struct {
	Sums    map[string]float64
	Counts  map[string]int
	Rollups int
}

// Aggregator is safe for concurrent use. name and interval are set by New
// before the run goroutine starts and are never written again.
type Aggregator struct {
	name     string
	interval time.Duration

	in     chan Point
	query  chan chan Totals
	done   chan struct{}
	cancel context.CancelFunc

	// Owned by run while it is running; read by Stop after done is closed.
	sums    map[string]float64
	counts  map[string]int
	rollups int
	final   Totals
}

// New starts an aggregator that rolls up its state every interval. It stops
// when ctx is cancelled or Stop is called.
func New(ctx context.Context, name string, interval time.Duration) *Aggregator {
	ctx, cancel := context.WithCancel(ctx)
	a := &Aggregator{
		name:     name,
		interval: interval,
		in:       make(chan Point),
		query:    make(chan chan Totals),
		done:     make(chan struct{}),
		cancel:   cancel,
		sums:     make(map[string]float64),
		counts:   make(map[string]int),
	}
	go a.run(ctx)
	return a
}

// Name returns the aggregator's name.
func (a *Aggregator) Name() string { return a.name }

// run is the only goroutine that touches sums, counts and rollups.
func (a *Aggregator) run(ctx context.Context) {
	defer close(a.done)
	tick := time.NewTicker(a.interval)
	defer tick.Stop()
	for {
		select {
		case p := <-a.in:
			a.sums[p.Name] += p.Value
			a.counts[p.Name]++
		case reply := <-a.query:
			reply <- a.totals()
		case <-tick.C:
			a.rollups++
		case <-ctx.Done():
			a.final = a.totals()
			return
		}
	}
}

// totals copies the current state. It must only be called by run.
func (a *Aggregator) totals() Totals {
	t := Totals{
		Sums:    make(map[string]float64, len(a.sums)),
		Counts:  make(map[string]int, len(a.counts)),
		Rollups: a.rollups,
	}
	for k, v := range a.sums {
		t.Sums[k] = v
	}
	for k, v := range a.counts {
		t.Counts[k] = v
	}
	return t
}

// Record submits p. It returns false if the aggregator has stopped.
func (a *Aggregator) Record(p Point) bool {
	select {
	case a.in <- p:
		return true
	case <-a.done:
		return false
	}
}

// Current returns a copy of the running totals, or false if the aggregator
// has stopped.
func (a *Aggregator) Current() (Totals, bool) {
	reply := make(chan Totals, 1)
	select {
	case a.query <- reply:
		return <-reply, true
	case <-a.done:
		return Totals{}, false
	}
}

// Stop cancels the aggregator, waits for the run goroutine to finish and
// returns the final totals. It may be called more than once.
func (a *Aggregator) Stop() Totals {
	a.cancel()
	<-a.done
	return a.final
}

// Rollups reports how many rollups happened. It blocks until the
// aggregator has stopped.
func (a *Aggregator) Rollups() int {
	<-a.done
	return a.rollups
}
