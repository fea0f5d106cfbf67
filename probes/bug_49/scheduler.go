package bug_49

import (
	"context"
	"fmt"
	"log"
	"sync"
	"time"
)

type Job struct {
	Name     string
	Interval time.Duration
	Run      func(ctx context.Context) error
}

type jobState struct {
	running      bool
	lastErr      error
	lastStart    time.Time
	lastDuration time.Duration
}

// Scheduler runs periodic jobs and exposes their status.
type Scheduler struct {
	logger *log.Logger

	mu     sync.Mutex
	jobs   []Job
	states map[string]*jobState
}

func NewScheduler(logger *log.Logger, jobs ...Job) *Scheduler {
	s := &Scheduler{logger: logger, jobs: jobs, states: make(map[string]*jobState)}
	for _, j := range jobs {
		s.states[j.Name] = &jobState{}
	}
	return s
}

// Start launches one ticker loop per job.
func (s *Scheduler) Start(ctx context.Context) {
	for _, j := range s.jobs {
		go s.loop(ctx, j)
	}
}

func (s *Scheduler) loop(ctx context.Context, j Job) {
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
}

func (s *Scheduler) runOnce(ctx context.Context, j Job) {
	s.mu.Lock()
	st := s.states[j.Name]
	if st.running {
		s.mu.Unlock()
		return
	}
	st.running = true
	st.lastStart = time.Now()
	s.mu.Unlock()

	var err error
	defer func(start time.Time) {
		if r := recover(); r != nil {
			err = fmt.Errorf("job %s panicked: %v", j.Name, r)
		}
		st.lastDuration = time.Since(start) // RACE
		s.mu.Lock()
		st.running = false
		st.lastErr = err
		s.mu.Unlock()
		if err != nil {
			s.logger.Printf("scheduler: %v", err)
		}
	}(time.Now())

	err = j.Run(ctx)
}

// Status renders one line per job for the admin page.
func (s *Scheduler) Status() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.jobs))
	for _, j := range s.jobs {
		st := s.states[j.Name]
		out = append(out, fmt.Sprintf("%s running=%t last=%s took=%s err=%v",
			j.Name, st.running, st.lastStart.Format(time.RFC3339),
			st.lastDuration, // RACE-ALSO
			st.lastErr))
	}
	return out
}
