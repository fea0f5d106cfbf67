package bug_13

import (
	"context"
	"fmt"
	"log"
	"time"
)

type Host struct {
	Addr string
	Zone string
}

type Agent interface {
	Push(ctx context.Context, addr, artifact string) error
}

// Rollout pushes an artifact to every host and reports how many failed.
func Rollout(ctx context.Context, a Agent, hosts []Host, artifact string) error {
	errc := make(chan error, len(hosts))
	for _, h := range hosts { // RACE-ALSO
		go func() {
			cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			if err := a.Push(cctx, h.Addr, artifact); err != nil { // RACE
				errc <- fmt.Errorf("%s: %w", h.Addr, err)
				return
			}
			errc <- nil
		}()
	}
	var failed int
	for range hosts {
		if err := <-errc; err != nil {
			log.Printf("rollout: %v", err)
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("rollout: %d/%d hosts failed", failed, len(hosts))
	}
	return nil
}
