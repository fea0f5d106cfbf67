package ok_24

import (
	"context"
	"fmt"
	"sort"
)

type Result struct {
	DocID string
	Score float64
}

type Shard interface {
	Search(ctx context.Context, query string) ([]Result, error)
}

type shardReply struct {
	shard int
	hits  []Result
	err   error
}

// FanOut queries all index shards in parallel and merges their hits.
type FanOut struct {
	shards []Shard
}

func NewFanOut(shards ...Shard) *FanOut { return &FanOut{shards: shards} }

// Query returns merged results. Each shard goroutine reports on a channel
// buffered for all replies, so goroutines never block or touch shared state,
// and the partial result on timeout is owned by this goroutine alone.
func (f *FanOut) Query(ctx context.Context, q string) ([]Result, error) {
	replies := make(chan shardReply, len(f.shards))
	for i, s := range f.shards {
		go func(i int, s Shard) {
			hits, err := s.Search(ctx, q)
			replies <- shardReply{shard: i, hits: hits, err: err}
		}(i, s)
	}

	var (
		results []Result
		err     error
	)
	for pending := len(f.shards); pending > 0; pending-- {
		select {
		case r := <-replies:
			if r.err != nil {
				if err == nil {
					err = fmt.Errorf("shard %d: %w", r.shard, r.err)
				}
				continue
			}
			results = append(results, r.hits...)
		case <-ctx.Done():
			return results, ctx.Err()
		}
	}
	sort.Slice(results, func(i, j int) bool { return results[i].Score > results[j].Score })
	return results, err
}
