package bug_14

import (
	"fmt"
	"sync"
)

type Shard struct {
	ID   int
	Rows [][]byte
}

type Compactor struct {
	shards  []*Shard
	workers int
	compact func(*Shard) error
}

// CompactAll compacts every shard, at most c.workers at a time, and
// returns the first error encountered.
func (c *Compactor) CompactAll() error {
	sem := make(chan struct{}, c.workers)
	errs := make(chan error, len(c.shards))
	var wg sync.WaitGroup
	for i := 0; i < len(c.shards); i++ { // RACE-ALSO
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			s := c.shards[i] // RACE
			if err := c.compact(s); err != nil {
				errs <- fmt.Errorf("shard %d: %w", s.ID, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		return err
	}
	return nil
}
