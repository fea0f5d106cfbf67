package bug_01

import (
	"context"
	"errors"
	"log"
	"sync"
	"time"
)

type Repo struct {
	Name   string
	Remote string
}

type Mirror interface {
	Fetch(ctx context.Context, r Repo) error
}

var ErrTooManyFailures = errors.New("mirror: too many failed repositories")

// SyncAll mirrors every repository concurrently and periodically logs
// progress so operators can see how the run is going.
func SyncAll(ctx context.Context, m Mirror, repos []Repo, maxFailures int) error {
	var wg sync.WaitGroup
	failed := 0

	stopProgress := make(chan struct{})
	progressDone := make(chan struct{})
	go func() {
		defer close(progressDone)
		tick := time.NewTicker(2 * time.Second)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				log.Printf("mirror: %d repos, %d failed so far", len(repos), failed) // RACE-ALSO
			case <-stopProgress:
				return
			}
		}
	}()

	sem := make(chan struct{}, 8)
	for _, r := range repos {
		wg.Add(1)
		sem <- struct{}{}
		go func(r Repo) {
			defer wg.Done()
			defer func() { <-sem }()
			if err := m.Fetch(ctx, r); err != nil {
				log.Printf("mirror: %s: %v", r.Name, err)
				failed++ // RACE
			}
		}(r)
	}
	wg.Wait()
	close(stopProgress)
	<-progressDone

	if failed > maxFailures {
		return ErrTooManyFailures
	}
	return nil
}
