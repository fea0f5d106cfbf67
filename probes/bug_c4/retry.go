// Package bug_c4 provides retry helpers with configurable backoff.
//
// Backoff is an immutable-looking value type: its With* and Scaled methods
// return modified copies, so a package-level default can be shared and
// specialised per call site:
//
//	var DefaultBackoff = retry.Exponential(10*time.Millisecond, 2, 6)
//
//	err := retry.Do(ctx, DefaultBackoff.Scaled(0.5), fetch)
package bug_c4

import (
	"context"
	"errors"
	"math/rand"
	"time"
)

// Backoff describes the delays between retry attempts.
// Backoff values are safe for concurrent use by multiple goroutines.
type Backoff struct {
	delays      []time.Duration
	jitter      float64
	maxAttempts int
}

// Exponential returns a backoff of steps delays starting at base and growing
// by factor.
func Exponential(base time.Duration, factor float64, steps int) Backoff {
	d := make([]time.Duration, steps)
	cur := float64(base)
	for i := range d {
		d[i] = time.Duration(cur)
		cur *= factor
	}
	return Backoff{delays: d, maxAttempts: steps + 1}
}

// WithJitter returns a copy of b that randomises each delay by up to ±frac.
func (b Backoff) WithJitter(frac float64) Backoff {
	b.jitter = frac
	return b
}

// WithMaxAttempts returns a copy of b that gives up after n attempts.
func (b Backoff) WithMaxAttempts(n int) Backoff {
	b.maxAttempts = n
	return b
}

// Scaled returns a copy of b with every delay multiplied by f.
func (b Backoff) Scaled(f float64) Backoff {
	for i, d := range b.delays {
		b.delays[i] = time.Duration(float64(d) * f) // RACE-ALSO
	}
	return b
}

// Delay returns the delay to wait before retry attempt n (0-based). Attempts
// past the end of the schedule reuse the last delay.
func (b Backoff) Delay(n int) time.Duration {
	if len(b.delays) == 0 {
		return 0
	}
	if n >= len(b.delays) {
		n = len(b.delays) - 1
	}
	d := b.delays[n] // RACE
	if b.jitter > 0 {
		delta := (rand.Float64()*2 - 1) * b.jitter * float64(d)
		d += time.Duration(delta)
	}
	return d
}

// Permanent wraps an error to stop Do from retrying.
func Permanent(err error) error { return &permanentError{err} }

type permanentError struct{ err error }

func (p *permanentError) Error() string { return p.err.Error() }
func (p *permanentError) Unwrap() error { return p.err }

// Do calls fn until it returns nil, returns a Permanent error, the attempts
// are exhausted or ctx is done. It returns the last error from fn.
func Do(ctx context.Context, b Backoff, fn func(context.Context) error) error {
	var err error
	for attempt := 0; b.maxAttempts <= 0 || attempt < b.maxAttempts; attempt++ {
		if err = fn(ctx); err == nil {
			return nil
		}
		var perm *permanentError
		if errors.As(err, &perm) {
			return perm.err
		}
		t := time.NewTimer(b.Delay(attempt))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	return err
}

// Go runs Do in a new goroutine and reports its result on the returned
// channel.
func Go(ctx context.Context, b Backoff, fn func(context.Context) error) <-chan error {
	ch := make(chan error, 1)
	go func() { ch <- Do(ctx, b, fn) }()
	return ch
}
