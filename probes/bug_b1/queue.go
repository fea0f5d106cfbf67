// Package bug_b1 implements an in-process job queue with a fixed worker
// pool and delayed, linearly backed-off retries.
package bug_b1

import (
	"sync"
	"time"
)

// RetryPolicy controls how failed jobs are rescheduled.
type RetryPolicy struct {
	MaxAttempts int
	Backoff     time.Duration
}

// Job is a unit of work. A non-nil error from Run schedules a retry
// according to the queue's current RetryPolicy.
type Job struct {
	ID       string
	Run      func() error
	attempts int
	lastErr  error
}

// Stats is a snapshot of queue counters.
type Stats struct {
	Succeeded int
	Retried   int
	Dead      int
}

// Queue dispatches jobs to a pool of workers. Bookkeeping (policy, counters
// and the dead-letter list) is guarded by slot, a one-element channel used
// as a lock so that acquisition can later be combined with a select.
type Queue struct {
	jobs   chan *Job
	quit   chan struct{}
	slot   chan struct{}
	wg     sync.WaitGroup
	policy RetryPolicy
	stats  Stats
	dead   []*Job
}

// New starts a queue with the given number of workers.
func New(workers int, p RetryPolicy) *Queue {
	q := &Queue{
		jobs:   make(chan *Job, 128),
		quit:   make(chan struct{}),
		slot:   make(chan struct{}, 1),
		policy: p,
	}
	for i := 0; i < workers; i++ {
		q.wg.Add(1)
		go q.worker()
	}
	return q
}

func (q *Queue) acquire() { q.slot <- struct{}{} }
func (q *Queue) release() { <-q.slot }

// Submit enqueues j. It reports false if the queue has been closed.
func (q *Queue) Submit(j *Job) bool {
	select {
	case <-q.quit:
		return false
	case q.jobs <- j:
		return true
	}
}

// SetPolicy replaces the retry policy used for subsequent failures.
func (q *Queue) SetPolicy(p RetryPolicy) {
	q.acquire()
	q.policy = p // RACE-ALSO
	q.release()
}

// Stats returns a snapshot of the queue counters.
func (q *Queue) Stats() Stats {
	q.acquire()
	defer q.release()
	return q.stats
}

// DeadLetters returns the jobs that exhausted their retries.
func (q *Queue) DeadLetters() []*Job {
	q.acquire()
	defer q.release()
	return append([]*Job(nil), q.dead...)
}

func (q *Queue) worker() {
	defer q.wg.Done()
	for {
		select {
		case <-q.quit:
			return
		case j := <-q.jobs:
			q.handle(j)
		}
	}
}

func (q *Queue) handle(j *Job) {
	err := j.Run()
	j.attempts++
	j.lastErr = err

	q.acquire()
	retry := false
	switch {
	case err == nil:
		q.stats.Succeeded++
	case j.attempts >= q.policy.MaxAttempts:
		q.stats.Dead++
		q.dead = append(q.dead, j)
	default:
		q.stats.Retried++
		retry = true
	}
	q.release()

	if retry {
		q.retryLater(j)
	}
}

// retryLater re-submits j after a delay proportional to its attempt count.
func (q *Queue) retryLater(j *Job) {
	p := q.policy // RACE
	time.AfterFunc(p.Backoff*time.Duration(j.attempts), func() { q.Submit(j) })
}

// Close stops the workers. Jobs still waiting for a retry are dropped.
func (q *Queue) Close() {
	close(q.quit)
	q.wg.Wait()
}
