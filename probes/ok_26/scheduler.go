package ok_26

import (
	"context"
	"sync"
	"time"
)

type Job struct {
	Name     string
	Interval time.Duration
	Run      func(ctx context.Context) error
}

// JobStatus is a value snapshot of one job's state.
type JobStatus struct {
	Running      bool
	Runs         int
	LastErr      error
	LastDuration time.Duration
}

// Scheduler runs periodic jobs and exposes their status.
type Scheduler struct {
	jobs []Job

	mu     sync.Mutex
	states map[string]*JobStatus
}

func NewScheduler(jobs ...Job) *Scheduler {
	s := &Scheduler{jobs: jobs, states: make(map[string]*JobStatus)}
	for _, j := range jobs {
		s.states[j.Name] = &JobStatus{}
	}
	return s
}

// Start launches one ticker loop per job; the job is passed by value.
func (s *Scheduler) Start(ctx context.Context) {
	for _, j := range s.jobs {
		go func(j Job) {
			t := time.NewTicker(j.Interval)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
					s.runOnce(ctx, j)
				}
			}
		}(j)
	}
}

func (s *Scheduler) runOnce(ctx context.Context, j Job) {
	s.mu.Lock()
	st := s.states[j.Name]
	st.Running = true
	s.mu.Unlock()

	var err error
	defer func(start time.Time) {
		took := time.Since(start)
		s.mu.Lock()
		st.Running = false
		st.LastErr = err
		st.LastDuration = took
		st.Runs++
		s.mu.Unlock()
	}(time.Now())

	err = j.Run(ctx)
}

// Status returns copies of every job's state, taken under the lock.
func (s *Scheduler) Status() map[string]JobStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]JobStatus, len(s.states))
	for name, st := range s.states {
		out[name] = *st
	}
	return out
}
