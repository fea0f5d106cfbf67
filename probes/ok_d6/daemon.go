// Package ok_d6 is the main loop of a queue-consumer daemon: a pool of
// workers drains a job channel until the process is asked to stop by a
// signal, then finishes in-flight work and reports what it did.
package ok_d6

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
)

// Job is one unit of work taken from the queue.
type Job struct {
	ID      int
	Payload string
}

// Report summarises a run of the daemon.
type Report struct {
	Processed []int // jobs handled by each worker
	Failed    []error
	Reloads   int64
}

// Daemon consumes jobs with a fixed number of workers.
type Daemon struct {
	Workers  int
	Handle   func(ctx context.Context, j Job) error
	OnReload func()

	draining atomic.Bool
	reloads  atomic.Int64
}

// Draining reports whether a stop signal has been received; health checks
// use it to take the instance out of rotation.
func (d *Daemon) Draining() bool { return d.draining.Load() }

// handleSignals turns signals into actions until ctx is done: SIGHUP
// reloads, SIGINT and SIGTERM start draining and close stop.
func (d *Daemon) handleSignals(ctx context.Context, sigs <-chan os.Signal, stop func()) {
	for {
		select {
		case <-ctx.Done():
			return
		case sig := <-sigs:
			switch sig {
			case syscall.SIGHUP:
				d.reloads.Add(1)
				if d.OnReload != nil {
					d.OnReload()
				}
			case syscall.SIGINT, syscall.SIGTERM:
				d.draining.Store(true)
				stop()
			}
		}
	}
}

// Run processes jobs until jobs is closed or a stop signal arrives on sigs,
// and returns once every worker has finished its current job.
func (d *Daemon) Run(ctx context.Context, jobs <-chan Job, sigs <-chan os.Signal) Report {
	n := d.Workers
	if n < 1 {
		n = 1
	}
	sigCtx, cancelSigs := context.WithCancel(ctx)
	defer cancelSigs()

	stopCh := make(chan struct{})
	var stopOnce sync.Once
	stop := func() { stopOnce.Do(func() { close(stopCh) }) }
	go d.handleSignals(sigCtx, sigs, stop)

	// Failures are sent to a collector that owns the slice until done.
	failures := make(chan error)
	var failed []error
	collected := make(chan struct{})
	go func() {
		defer close(collected)
		for err := range failures {
			failed = append(failed, err)
		}
	}()

	processed := make([]int, n)
	var wg sync.WaitGroup
	wg.Add(n)
	for w := 0; w < n; w++ {
		go func(w int) {
			defer wg.Done()
			for {
				select {
				case <-stopCh:
					return
				case <-ctx.Done():
					return
				case j, ok := <-jobs:
					if !ok {
						return
					}
					if err := d.Handle(ctx, j); err != nil {
						failures <- fmt.Errorf("job %d: %w", j.ID, err)
					}
					processed[w]++
				}
			}
		}(w)
	}

	wg.Wait()
	close(failures)
	<-collected
	return Report{Processed: processed, Failed: failed, Reloads: d.reloads.Load()}
}
