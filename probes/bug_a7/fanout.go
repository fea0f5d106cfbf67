// Package bug_a7 fetches data for a set of shards in parallel and merges
// the results, failing fast on the first error.
package bug_a7

import (
	"context"
	"fmt"
	"sort"
	"sync"
)

// Record is a single row returned by a shard.
type Record struct {
	Shard int
	Key   string
	Value int64
}

// Fetcher retrieves all records for a shard.
type Fetcher interface {
	Fetch(ctx context.Context, shard int) ([]Record, error)
}

// Querier fans a query out across shards.
type Querier struct {
	Fetcher Fetcher
	Shards  int
	// Limit caps the number of concurrent shard fetches; 0 means no cap.
	Limit int
}

// QueryAll fetches every shard concurrently and returns the merged,
// key-sorted results. The first error cancels the remaining fetches.
func (q *Querier) QueryAll(ctx context.Context) ([]Record, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		merged   []Record
	)

	var sem chan struct{}
	if q.Limit > 0 {
		sem = make(chan struct{}, q.Limit)
	}

	for shard := 0; shard < q.Shards; shard++ {
		shard := shard
		wg.Add(1)
		go func() {
			defer wg.Done()
			if sem != nil {
				sem <- struct{}{}
				defer func() { <-sem }()
			}
			recs, err := q.Fetcher.Fetch(ctx, shard)
			if err != nil {
				if firstErr == nil { // RACE
					mu.Lock()
					firstErr = fmt.Errorf("shard %d: %w", shard, err) // RACE-ALSO
					mu.Unlock()
					cancel()
				}
				return
			}
			mu.Lock()
			merged = append(merged, recs...)
			mu.Unlock()
		}()
	}
	wg.Wait()

	if firstErr != nil {
		return nil, firstErr
	}
	sort.Slice(merged, func(i, j int) bool {
		if merged[i].Key != merged[j].Key {
			return merged[i].Key < merged[j].Key
		}
		return merged[i].Shard < merged[j].Shard
	})
	return merged, nil
}
