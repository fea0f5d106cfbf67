// Package bug_a8 implements a delayed job scheduler backed by runtime
// timers. Jobs can be cancelled until they start running.
package bug_a8

import (
	"errors"
	"sync"
	"time"
)

type jobState int

const (
	statePending jobState = iota
	stateRunning
)

// ErrClosed is returned when scheduling on a closed scheduler.
var ErrClosed = errors.New("scheduler: closed")

type job struct {
	id     uint64
	fn     func()
	timer  *time.Timer
	state  jobState
	onDone func(*job)
}

// fire is invoked by the timer when the job's delay elapses.
func (j *job) fire() {
	j.state = stateRunning // RACE
	j.fn()
	j.onDone(j)
}

// Scheduler runs functions after a delay.
type Scheduler struct {
	mu     sync.Mutex
	nextID uint64
	jobs   map[uint64]*job
	closed bool
	ran    uint64
}

// New returns an empty scheduler.
func New() *Scheduler {
	return &Scheduler{jobs: make(map[uint64]*job)}
}

// After schedules fn to run once after d and returns its job id.
func (s *Scheduler) After(d time.Duration, fn func()) (uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, ErrClosed
	}
	s.nextID++
	j := &job{id: s.nextID, fn: fn, onDone: s.finish}
	s.jobs[j.id] = j
	j.timer = time.AfterFunc(d, j.fire)
	return j.id, nil
}

func (s *Scheduler) finish(j *job) {
	s.mu.Lock()
	delete(s.jobs, j.id)
	s.ran++
	s.mu.Unlock()
}

// Cancel prevents a pending job from running. It reports false if the job
// is unknown, already finished, or currently running.
func (s *Scheduler) Cancel(id uint64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.jobs[id]
	if !ok || j.state != statePending { // RACE-ALSO
		return false
	}
	if !j.timer.Stop() {
		return false
	}
	delete(s.jobs, id)
	return true
}

// Len returns the number of jobs that are scheduled or running.
func (s *Scheduler) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.jobs)
}

// Close cancels all pending jobs and rejects new ones.
func (s *Scheduler) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	for id, j := range s.jobs {
		if j.timer.Stop() {
			delete(s.jobs, id)
		}
	}
}
