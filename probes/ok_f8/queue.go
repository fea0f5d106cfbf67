// Package ok_f8 implements a bounded blocking job queue on top of sync.Cond
// and a pool of workers that drain it. A job belongs to the worker that took
// it out of the queue, which records the outcome in the job itself.
package ok_f8

import (
	"errors"
	"sync"
)

// ErrClosed is returned by Put after Close.
var ErrClosed = errors.New("queue closed")

// Job is a unit of work. Attempts and Output are written by the worker that
// owns the job.
type Job struct {
	ID       int
	Input    string
	Attempts int
	Output   string
}

// Queue is a bounded FIFO of jobs, safe for concurrent use.
type Queue struct {
	mu       sync.Mutex
	notEmpty sync.Cond
	notFull  sync.Cond
	buf      []*Job
	head     int
	n        int
	closed   bool
}

// NewQueue returns a queue that holds at most capacity jobs.
func NewQueue(capacity int) *Queue {
	if capacity <= 0 {
		capacity = 1
	}
	q := &Queue{buf: make([]*Job, capacity)}
	q.notEmpty.L = &q.mu
	q.notFull.L = &q.mu
	return q
}

// Put appends j, blocking while the queue is full.
func (q *Queue) Put(j *Job) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.n == len(q.buf) && !q.closed {
		q.notFull.Wait()
	}
	if q.closed {
		return ErrClosed
	}
	q.buf[(q.head+q.n)%len(q.buf)] = j
	q.n++
	q.notEmpty.Signal()
	return nil
}

// Get removes the oldest job, blocking while the queue is empty. It returns
// false once the queue is closed and drained.
func (q *Queue) Get() (*Job, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.n == 0 && !q.closed {
		q.notEmpty.Wait()
	}
	if q.n == 0 {
		return nil, false
	}
	j := q.buf[q.head]
	q.buf[q.head] = nil
	q.head = (q.head + 1) % len(q.buf)
	q.n--
	q.notFull.Signal()
	return j, true
}

// Len reports the number of queued jobs.
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.n
}

// Close wakes all waiters. Queued jobs can still be taken with Get.
func (q *Queue) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.notEmpty.Broadcast()
	q.notFull.Broadcast()
}

// Process runs handle on every job of the queue with the given number of
// workers until the queue is closed and drained. handle may fail and is
// retried up to maxAttempts times per job.
func Process(q *Queue, workers, maxAttempts int, handle func(string) (string, error)) {
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				j, ok := q.Get()
				if !ok {
					return
				}
				for j.Attempts < maxAttempts {
					j.Attempts++
					out, err := handle(j.Input)
					if err == nil {
						j.Output = out
						break
					}
				}
			}
		}()
	}
	wg.Wait()
}
