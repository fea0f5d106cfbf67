package bug_17

import (
	"context"
	"math/rand"
	"sync"
	"time"
)

// Backoff computes jittered retry delays.
type Backoff struct {
	Base time.Duration
	Max  time.Duration
	rnd  *rand.Rand
}

func NewBackoff(base, max time.Duration, seed int64) *Backoff {
	return &Backoff{Base: base, Max: max, rnd: rand.New(rand.NewSource(seed))}
}

func (b *Backoff) Delay(attempt int) time.Duration {
	d := b.Base << uint(attempt)
	if d > b.Max || d <= 0 {
		d = b.Max
	}
	return d/2 + time.Duration(b.rnd.Int63n(int64(d/2)+1)) // RACE
}

// Spread returns a random offset within window, used to stagger the start
// of the workers so they don't hit the backend all at once.
func (b *Backoff) Spread(window time.Duration) time.Duration {
	return time.Duration(b.rnd.Float64() * float64(window)) // RACE-ALSO
}

// RunAll runs each task with retries, all tasks concurrently.
func RunAll(ctx context.Context, b *Backoff, tasks []func(context.Context) error) {
	var wg sync.WaitGroup
	for _, task := range tasks {
		wg.Add(1)
		go func(task func(context.Context) error) {
			defer wg.Done()
			time.Sleep(b.Spread(time.Second))
			for attempt := 0; attempt < 5; attempt++ {
				if task(ctx) == nil {
					return
				}
				select {
				case <-time.After(b.Delay(attempt)):
				case <-ctx.Done():
					return
				}
			}
		}(task)
	}
	wg.Wait()
}
