// Package ok_b6 implements lease-based leader election. A candidate holds
// leadership while it keeps renewing a lease in a shared store; if renewals
// stop succeeding it steps down when its local lease copy runs out.
package ok_b6

import (
	"context"
	"sync/atomic"
	"time"
)

// LeaseStore is the coordination backend (a database row, a lock service).
type LeaseStore interface {
	// TryAcquire takes or renews the lease for id for ttl.
	TryAcquire(ctx context.Context, id string, ttl time.Duration) (bool, error)
	// Release gives the lease up if id holds it.
	Release(ctx context.Context, id string) error
}

// Elector campaigns for leadership on behalf of one process.
type Elector struct {
	id        string
	store     LeaseStore
	ttl       time.Duration
	retry     time.Duration
	onElected func(term uint64)
	onLost    func(term uint64)

	leader int32 // 1 while leading; read by IsLeader from any goroutine

	// Campaign state, owned by the goroutine running Run.
	term  uint64
	lease uint64 // incremented on every successful renewal
}

// New returns an elector. retry should be well below ttl so that a healthy
// leader renews several times per lease period.
func New(id string, store LeaseStore, ttl, retry time.Duration, onElected, onLost func(term uint64)) *Elector {
	return &Elector{id: id, store: store, ttl: ttl, retry: retry, onElected: onElected, onLost: onLost}
}

// IsLeader reports whether this process currently holds leadership.
func (e *Elector) IsLeader() bool { return atomic.LoadInt32(&e.leader) == 1 }

// Run campaigns until ctx is cancelled. It must be called at most once.
// The local lease timer only reports expiry over a channel; all decisions
// are taken here.
func (e *Elector) Run(ctx context.Context) error {
	expired := make(chan uint64, 1)
	var timer *time.Timer
	tick := time.NewTicker(e.retry)
	defer tick.Stop()

	for {
		ok, err := e.store.TryAcquire(ctx, e.id, e.ttl)
		switch {
		case err != nil:
			// Unknown outcome: keep the current role until the lease runs out.
		case ok:
			if !e.IsLeader() {
				e.term++
				atomic.StoreInt32(&e.leader, 1)
				e.onElected(e.term)
			}
			e.lease++
			lease := e.lease
			if timer != nil {
				timer.Stop()
			}
			timer = time.AfterFunc(e.ttl, func() {
				select {
				case expired <- lease:
				default:
				}
			})
		case e.IsLeader():
			e.stepDown()
		}

		select {
		case <-ctx.Done():
			if timer != nil {
				timer.Stop()
			}
			if e.IsLeader() {
				e.stepDown()
				_ = e.store.Release(context.Background(), e.id)
			}
			return ctx.Err()
		case l := <-expired:
			if l == e.lease && e.IsLeader() {
				e.stepDown()
			}
		case <-tick.C:
		}
	}
}

func (e *Elector) stepDown() {
	atomic.StoreInt32(&e.leader, 0)
	e.onLost(e.term)
}
