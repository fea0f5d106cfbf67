// Package ok_36 implements a fixed-window per-tenant rate limiter. All state
// is owned by a single goroutine and accessed only through channels.
package ok_36

import "time"

type request struct {
	tenant string
	reply  chan bool
}

// Limiter admits at most limit requests per tenant per window.
type Limiter struct {
	reqs  chan request
	stats chan chan map[string]int
	quit  chan struct{}
	done  chan struct{}
}

// New starts the owner goroutine.
func New(limit int, window time.Duration) *Limiter {
	l := &Limiter{
		reqs:  make(chan request),
		stats: make(chan chan map[string]int),
		quit:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	go l.run(limit, window)
	return l
}

func (l *Limiter) run(limit int, window time.Duration) {
	defer close(l.done)
	counts := make(map[string]int) // owned by this goroutine
	tick := time.NewTicker(window)
	defer tick.Stop()
	for {
		select {
		case r := <-l.reqs:
			ok := counts[r.tenant] < limit
			if ok {
				counts[r.tenant]++
			}
			r.reply <- ok
		case reply := <-l.stats:
			cp := make(map[string]int, len(counts))
			for k, v := range counts {
				cp[k] = v
			}
			reply <- cp
		case <-tick.C:
			counts = make(map[string]int)
		case <-l.quit:
			return
		}
	}
}

// Allow reports whether tenant may make another request in this window.
func (l *Limiter) Allow(tenant string) bool {
	reply := make(chan bool, 1)
	select {
	case l.reqs <- request{tenant: tenant, reply: reply}:
		return <-reply
	case <-l.done:
		return false
	}
}

// Counts returns a copy of the per-tenant counters for the current window.
func (l *Limiter) Counts() map[string]int {
	reply := make(chan map[string]int, 1)
	select {
	case l.stats <- reply:
		return <-reply
	case <-l.done:
		return nil
	}
}

// Close stops the owner goroutine. It must be called at most once.
func (l *Limiter) Close() {
	close(l.quit)
	<-l.done
}
