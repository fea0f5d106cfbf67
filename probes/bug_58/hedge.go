// Package bug_58 implements hedged requests against a set of read replicas:
// a new replica is tried every `after` until one answers.
package bug_58

import (
	"context"
	"fmt"
	"time"
)

// CallFunc performs one idempotent request against a replica.
type CallFunc func(ctx context.Context, replica string) ([]byte, error)

// Hedged returns the first successful answer. If no replica answers before
// ctx is done, the error of the most recent failed attempt is reported.
func Hedged(ctx context.Context, replicas []string, after time.Duration, call CallFunc) ([]byte, error) {
	if len(replicas) == 0 {
		return nil, fmt.Errorf("hedged: no replicas")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	won := make(chan []byte, len(replicas))
	var lastErr error
	launch := func(replica string) {
		go func() {
			body, err := call(ctx, replica)
			if err != nil {
				lastErr = err // RACE
				return
			}
			won <- body
		}()
	}

	for i := 0; ; i++ {
		if i < len(replicas) {
			launch(replicas[i])
		}
		select {
		case body := <-won:
			return body, nil
		case <-time.After(after):
		case <-ctx.Done():
			err := lastErr // RACE-ALSO
			if err == nil {
				err = ctx.Err()
			}
			return nil, fmt.Errorf("hedged: %d replicas, no answer: %w", len(replicas), err)
		}
	}
}
