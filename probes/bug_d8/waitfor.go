// Package bug_d8 implements the core of a "wait-for" CLI, used in container
// entrypoints to block until a dependency (database, broker, HTTP health
// endpoint) is ready, giving up after a timeout.
package bug_d8

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"
)

// Probe reports whether the dependency is ready; a nil error means ready.
type Probe func(ctx context.Context) error

// TCPProbe returns a probe that succeeds once addr accepts connections.
func TCPProbe(addr string) Probe {
	return func(ctx context.Context) error {
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return err
		}
		return c.Close()
	}
}

// Waiter repeatedly runs a probe until it succeeds or the timeout expires.
type Waiter struct {
	Probe    Probe
	Interval time.Duration
	Timeout  time.Duration
}

// attempt is the outcome of the most recent probe.
type attempt struct {
	n   int
	err error
}

// TimeoutError is returned when the dependency did not become ready in time.
type TimeoutError struct {
	Attempts int
	Last     error
	After    time.Duration
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("not ready after %v (%d attempts): %v", e.After, e.Attempts, e.Last)
}

func (e *TimeoutError) Unwrap() error { return e.Last }

// Wait blocks until the probe succeeds, ctx is cancelled or the timeout
// expires. It returns the number of attempts made.
func (w *Waiter) Wait(ctx context.Context) (int, error) {
	if w.Probe == nil {
		return 0, errors.New("waitfor: no probe")
	}
	ctx, cancel := context.WithTimeout(ctx, w.Timeout)
	defer cancel()

	var last attempt
	ready := make(chan struct{})
	go func() {
		tick := time.NewTicker(w.Interval)
		defer tick.Stop()
		for n := 1; ; n++ {
			err := w.Probe(ctx)
			last = attempt{n: n, err: err} // RACE
			if err == nil {
				close(ready)
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()

	select {
	case <-ready:
		return last.n, nil
	case <-ctx.Done():
		// Report what we know about the last failed attempt.
		a := last // RACE-ALSO
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return a.n, &TimeoutError{Attempts: a.n, Last: a.err, After: w.Timeout}
		}
		return a.n, ctx.Err()
	}
}
