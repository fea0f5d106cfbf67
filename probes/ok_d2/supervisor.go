// Package ok_d2 provides a small supervisor that keeps a set of worker
// functions running, restarting them with a back-off whenever they return.
// All supervision state is owned by a single loop goroutine and is reached
// only through messages.
package ok_d2

import (
	"context"
	"sync"
	"time"
)

// Worker is a long-running unit of work. Returning before ctx is done is
// treated as a crash.
type Worker func(ctx context.Context) error

// Options configures a Supervisor.
type Options struct {
	Backoff   time.Duration
	OnRestart func(name string, err error)
}

// WorkerStatus describes one supervised worker.
type WorkerStatus struct {
	Name     string
	Restarts int
	LastErr  error
}

type exit struct {
	name string
	err  error
}

// Supervisor restarts workers that exit before the supervisor is stopped.
type Supervisor struct {
	opts    Options
	ctx     context.Context
	cancel  context.CancelFunc
	workers map[string]Worker
	exits   chan exit
	calls   chan func() // closures run on the loop goroutine
	done    chan struct{}
	wg      sync.WaitGroup

	// Owned by the run goroutine.
	status map[string]*WorkerStatus
}

// New starts a supervisor for the given workers. Every field is set before
// the loop goroutine is started.
func New(workers map[string]Worker, opts Options) *Supervisor {
	ctx, cancel := context.WithCancel(context.Background())
	s := &Supervisor{
		opts:    opts,
		ctx:     ctx,
		cancel:  cancel,
		workers: workers,
		exits:   make(chan exit),
		calls:   make(chan func()),
		done:    make(chan struct{}),
		status:  make(map[string]*WorkerStatus, len(workers)),
	}
	for name := range workers {
		s.status[name] = &WorkerStatus{Name: name}
		s.start(name)
	}
	go s.run()
	return s
}

func (s *Supervisor) start(name string) {
	w := s.workers[name]
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		err := w(s.ctx)
		select {
		case s.exits <- exit{name: name, err: err}:
		case <-s.ctx.Done():
		}
	}()
}

// run owns s.status; restarts are delayed with timers whose expiry is fed
// back into the loop so that it never blocks.
func (s *Supervisor) run() {
	defer close(s.done)
	restart := make(chan string)
	for {
		select {
		case <-s.ctx.Done():
			return
		case f := <-s.calls:
			f()
		case e := <-s.exits:
			st := s.status[e.name]
			st.Restarts++
			st.LastErr = e.err
			if s.opts.OnRestart != nil {
				s.opts.OnRestart(e.name, e.err)
			}
			time.AfterFunc(s.opts.Backoff, func() {
				select {
				case restart <- e.name:
				case <-s.ctx.Done():
				}
			})
		case name := <-restart:
			s.start(name)
		}
	}
}

// Status returns a copy of the status of every worker, or nil once the
// supervisor has been stopped.
func (s *Supervisor) Status() []WorkerStatus {
	reply := make(chan []WorkerStatus, 1)
	select {
	case s.calls <- func() {
		out := make([]WorkerStatus, 0, len(s.status))
		for _, st := range s.status {
			out = append(out, *st)
		}
		reply <- out
	}:
		return <-reply
	case <-s.done:
		return nil
	}
}

// Stop cancels all workers and waits for them and the loop to finish.
func (s *Supervisor) Stop() {
	s.cancel()
	<-s.done
	s.wg.Wait()
}
