package bug_36

import (
	"context"
	"log"
	"sync"
	"time"
)

// TableCopier copies one table and reports how many rows were moved.
type TableCopier interface {
	CopyTable(ctx context.Context, table string) (int64, error)
}

// Migrator copies a set of tables with bounded parallelism and logs progress.
type Migrator struct {
	copier      TableCopier
	parallelism int
	reportEvery time.Duration
	log         *log.Logger
}

func NewMigrator(c TableCopier, parallelism int, logger *log.Logger) *Migrator {
	return &Migrator{copier: c, parallelism: parallelism, reportEvery: 5 * time.Second, log: logger}
}

// CopyAll copies every table and returns the total number of rows copied and
// the first error encountered.
func (m *Migrator) CopyAll(ctx context.Context, tables []string) (int64, error) {
	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		copied   int64
		firstErr error
	)
	sem := make(chan struct{}, m.parallelism)

	for _, t := range tables {
		wg.Add(1)
		go func(table string) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()

			n, err := m.copier.CopyTable(ctx, table)
			mu.Lock()
			copied += n // RACE-ALSO
			if err != nil && firstErr == nil {
				firstErr = err
			}
			mu.Unlock()
		}(t)
	}

	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()

	ticker := time.NewTicker(m.reportEvery)
	defer ticker.Stop()
	for {
		select {
		case <-ticker.C:
			m.log.Printf("migration: %d rows copied so far", copied) // RACE
		case <-done:
			return copied, firstErr
		}
	}
}
