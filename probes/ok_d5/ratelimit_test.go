package ok_d5

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// frozenClock always returns the same instant; it is immutable and can be
// shared freely.
type frozenClock struct{ t time.Time }

func (c frozenClock) Now() time.Time { return c.t }

// manualClock is advanced explicitly. Each subtest owns its own.
type manualClock struct{ t time.Time }

func (c *manualClock) Now() time.Time          { return c.t }
func (c *manualClock) Advance(d time.Duration) { c.t = c.t.Add(d) }

var epoch = time.Date(2023, 5, 1, 9, 0, 0, 0, time.UTC)

var (
	policiesOnce sync.Once
	policies     map[string]Policy
)

// loadPolicies returns the shared, read-only policy table.
func loadPolicies() map[string]Policy {
	policiesOnce.Do(func() {
		policies = map[string]Policy{
			"free":       {Rate: 1, Burst: 3},
			"pro":        {Rate: 10, Burst: 20},
			"enterprise": {Rate: 100, Burst: 200},
		}
	})
	return policies
}

func TestLimiter(t *testing.T) {
	// Shared by all subtests: the limiter is internally synchronized and
	// every subtest uses its own key.
	shared := New(Policy{Rate: 1, Burst: 5}, frozenClock{epoch})

	for _, name := range []string{"free", "pro", "enterprise"} {
		name := name
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := loadPolicies()[name]

			// Burst, then refill, on a private limiter and clock.
			clk := &manualClock{t: epoch}
			l := New(p, clk)
			for i := 0; i < p.Burst; i++ {
				if !l.Allow("client") {
					t.Fatalf("request %d rejected within burst %d", i, p.Burst)
				}
			}
			if l.Allow("client") {
				t.Fatal("request allowed beyond burst")
			}
			clk.Advance(time.Duration(float64(time.Second) * 2 / p.Rate))
			if got := l.Tokens("client"); got != 2 {
				t.Fatalf("Tokens after refill = %d, want 2", got)
			}

			// Concurrent clients of the private limiter.
			var allowed int64
			var wg sync.WaitGroup
			for g := 0; g < 4; g++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < p.Burst; i++ {
						if l.Allow("burst") {
							atomic.AddInt64(&allowed, 1)
						}
					}
				}()
			}
			wg.Wait()
			if got := atomic.LoadInt64(&allowed); got != int64(p.Burst) {
				t.Fatalf("allowed %d concurrent requests, want %d", got, p.Burst)
			}

			// The shared limiter, with this subtest's own key.
			n := 0
			for shared.Allow(name) {
				n++
			}
			if n != 5 {
				t.Fatalf("shared limiter allowed %d, want 5", n)
			}
			shared.Forget(name)
		})
	}
}
