package bug_02

import (
	"context"
	"sync"
	"time"
)

type Record struct {
	Key     string
	Value   []byte
	Source  string
	Version int64
}

type Store interface {
	Get(ctx context.Context, key string) (Record, error)
}

// QuorumRead asks the primary and every replica for key and returns all
// the answers that came back, so the caller can pick the newest version.
func QuorumRead(ctx context.Context, primary Store, replicas []Store, key string) []Record {
	ctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()

	var (
		wg      sync.WaitGroup
		answers []Record
	)

	wg.Add(1)
	go func() {
		defer wg.Done()
		rec, err := primary.Get(ctx, key)
		if err != nil {
			return
		}
		rec.Source = "primary"
		answers = append(answers, rec) // RACE-ALSO
	}()

	for i, rep := range replicas {
		wg.Add(1)
		go func(idx int, s Store) {
			defer wg.Done()
			rec, err := s.Get(ctx, key)
			if err != nil {
				return
			}
			rec.Source = replicaName(idx)
			answers = append(answers, rec) // RACE
		}(i, rep)
	}

	wg.Wait()
	return answers
}

func replicaName(i int) string {
	return "replica-" + string(rune('a'+i))
}
