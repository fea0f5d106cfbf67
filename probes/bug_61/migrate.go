// Package bug_61 applies schema migrations to several database shards in
// parallel and records what it did for the dry-run summary.
package bug_61

import (
	"fmt"
	"sync"
)

// Logger is the logging interface the migrator depends on.
type Logger interface {
	Infof(format string, args ...any)
	Errorf(format string, args ...any)
}

// Step is one migration step.
type Step struct {
	Version int
	SQL     string
}

// Migrator applies steps to shards. Apply executes one step on one shard.
type Migrator struct {
	Log   Logger
	Apply func(shard string, st Step) error
}

// Run migrates every shard concurrently and returns the first failure.
func (m *Migrator) Run(shards []string, steps []Step) error {
	errs := make([]error, len(shards))
	var wg sync.WaitGroup
	for i, shard := range shards {
		wg.Add(1)
		go func(i int, shard string) {
			defer wg.Done()
			for _, st := range steps {
				if err := m.Apply(shard, st); err != nil {
					m.Log.Errorf("shard %s: step %d failed: %v", shard, st.Version, err)
					errs[i] = err
					return
				}
				m.Log.Infof("shard %s: applied step %d", shard, st.Version)
			}
		}(i, shard)
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return fmt.Errorf("shard %s: %w", shards[i], err)
		}
	}
	return nil
}
