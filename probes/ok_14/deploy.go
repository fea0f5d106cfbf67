package ok_14

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

// Rollout pushes an artifact to every host. Loop variables are copied
// per iteration before the goroutine captures them.
func Rollout(ctx context.Context, a Agent, hosts []Host, artifact string) error {
	errc := make(chan error, len(hosts))
	for _, h := range hosts {
		h := h
		go func() {
			cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			if err := a.Push(cctx, h.Addr, artifact); err != nil {
				errc <- fmt.Errorf("%s: %w", h.Addr, err)
				return
			}
			errc <- nil
		}()
	}
	for i := 0; i < len(hosts); i++ {
		go func(i int) {
			log.Printf("rollout: queued %s (%d/%d)", hosts[i].Addr, i+1, len(hosts))
		}(i)
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
