// Package bug_d2 provides a small process-style supervisor that keeps a set
// of worker functions running, restarting them with a back-off whenever they
// return, similar to the service managers embedded in many daemons.
package bug_d2

import (
	"context"
	"sync"
	"time"
)

// Worker is a long-running unit of work. It should return when ctx is done;
// returning earlier is treated as a crash and the worker is restarted.
type Worker func(ctx context.Context) error

// Options configures a Supervisor.
type Options struct {
	// Backoff is the delay before a crashed worker is restarted.
	Backoff time.Duration
	// OnRestart, if set, is called every time a worker is restarted.
	OnRestart func(name string, err error)
}

// exit is reported by a worker goroutine when its function returns.
type exit struct {
	name string
	err  error
}

// Supervisor restarts workers that exit before the supervisor is stopped.
type Supervisor struct {
	backoff   time.Duration
	onRestart func(name string, err error)

	ctx     context.Context
	cancel  context.CancelFunc
	workers map[string]Worker
	exits   chan exit
	done    chan struct{}
	wg      sync.WaitGroup
}

// New starts a supervisor for the given workers.
func New(workers map[string]Worker, opts Options) *Supervisor {
	ctx, cancel := context.WithCancel(context.Background())
	s := &Supervisor{
		backoff: opts.Backoff,
		ctx:     ctx,
		cancel:  cancel,
		workers: workers,
		exits:   make(chan exit),
		done:    make(chan struct{}),
	}
	for name := range workers {
		s.start(name)
	}
	go s.run()

	// Install the optional hook; a nil hook means "log nothing".
	if opts.OnRestart != nil {
		s.onRestart = opts.OnRestart // RACE
	}
	return s
}

// start launches one worker goroutine.
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

// run is the supervision loop. It owns the restart decision for every worker.
func (s *Supervisor) run() {
	defer close(s.done)
	for {
		select {
		case <-s.ctx.Done():
			return
		case e := <-s.exits:
			if hook := s.onRestart; hook != nil { // RACE-ALSO
				hook(e.name, e.err)
			}
			t := time.NewTimer(s.backoff)
			select {
			case <-t.C:
				s.start(e.name)
			case <-s.ctx.Done():
				t.Stop()
				return
			}
		}
	}
}

// Stop cancels all workers and waits for them and for the supervision loop
// to finish.
func (s *Supervisor) Stop() {
	s.cancel()
	<-s.done
	s.wg.Wait()
}
