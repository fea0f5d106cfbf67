// Package bug_e5 retries flaky operations with a deadline per attempt and
// exponential backoff between attempts.
package bug_e5

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Policy configures Retry.
type Policy struct {
	Attempts   int           // total number of attempts, at least 1
	PerAttempt time.Duration // deadline of a single attempt
	Backoff    time.Duration // initial pause between attempts, doubled each time
	MaxBackoff time.Duration // upper bound of the pause; 0 means no bound
}

// ErrNoAttempts is returned when the policy allows no attempt at all.
var ErrNoAttempts = errors.New("retry: policy allows no attempts")

// Retry calls op until it succeeds, the attempts are used up or ctx is done.
//
// Every attempt runs on its own goroutine with its own deadline. An attempt
// that overruns its deadline is abandoned rather than waited for: op is
// expected to notice the cancelled context and give up by itself. The error
// of the last failed attempt is returned, wrapped.
func Retry(ctx context.Context, p Policy, op func(ctx context.Context) error) error {
	if p.Attempts < 1 {
		return ErrNoAttempts
	}
	var lastErr error
	pause := p.Backoff

	for attempt := 1; attempt <= p.Attempts; attempt++ {
		actx, cancel := context.WithTimeout(ctx, p.PerAttempt)
		succeeded := make(chan bool, 1)
		go func() {
			err := op(actx)
			if err != nil {
				lastErr = err // RACE
			}
			succeeded <- err == nil
		}()

		select {
		case ok := <-succeeded:
			cancel()
			if ok {
				return nil
			}
		case <-actx.Done():
			// Abandon this attempt; its error (most likely
			// context.DeadlineExceeded) is recorded when op returns.
			cancel()
		}

		if attempt == p.Attempts {
			break
		}
		if err := sleep(ctx, pause); err != nil {
			return err
		}
		pause *= 2
		if p.MaxBackoff > 0 && pause > p.MaxBackoff {
			pause = p.MaxBackoff
		}
	}
	return fmt.Errorf("retry: giving up after %d attempts: %w", p.Attempts, lastErr) // RACE-ALSO
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
