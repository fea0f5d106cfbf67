package bug_44

import (
	"context"
	"sort"
	"sync"
)

type Result struct {
	DocID string
	Score float64
}

type Shard interface {
	Search(ctx context.Context, query string) ([]Result, error)
}

// FanOut queries all index shards in parallel and merges their hits.
type FanOut struct {
	shards []Shard
}

func NewFanOut(shards ...Shard) *FanOut { return &FanOut{shards: shards} }

// Query returns merged results. If ctx expires first, it returns the partial
// results gathered so far together with ctx.Err().
func (f *FanOut) Query(ctx context.Context, q string) ([]Result, error) {
	var (
		mu      sync.Mutex
		wg      sync.WaitGroup
		results []Result
	)
	for _, s := range f.shards {
		s := s
		wg.Add(1)
		go func() {
			defer wg.Done()
			hits, err := s.Search(ctx, q)
			if err != nil {
				return
			}
			mu.Lock()
			results = append(results, hits...) // RACE-ALSO
			mu.Unlock()
		}()
	}

	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()

	select {
	case <-done:
		sort.Slice(results, func(i, j int) bool { return results[i].Score > results[j].Score })
		return results, nil
	case <-ctx.Done():
		partial := results // RACE
		return partial, ctx.Err()
	}
}
