package bug_47

import (
	"context"
	"log"
)

type Update struct {
	Key   string
	Value []byte
}

type ReadRequest struct {
	Key   string
	Reply chan<- []byte
}

// Replica applies a stream of updates from the leader and serves reads.
type Replica struct {
	store  KV
	logger *log.Logger
}

func NewReplica(store KV, logger *log.Logger) *Replica {
	return &Replica{store: store, logger: logger}
}

// Run serves reads on a separate goroutine while applying updates in order
// on the calling goroutine.
func (r *Replica) Run(ctx context.Context, updates <-chan Update, reads <-chan ReadRequest) error {
	go r.serveReads(ctx, reads)

	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case u, ok := <-updates:
			if !ok {
				return nil
			}
			if err := r.store.Put(u.Key, u.Value); err != nil {
				r.logger.Printf("replica: apply %q: %v", u.Key, err)
			}
		}
	}
}

func (r *Replica) serveReads(ctx context.Context, reads <-chan ReadRequest) {
	for {
		select {
		case <-ctx.Done():
			return
		case req := <-reads:
			v, _ := r.store.Get(req.Key)
			req.Reply <- v
		}
	}
}
