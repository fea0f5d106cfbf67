package bug_d5

import (
	"testing"
	"time"
)

// fastClock is a fake Clock that runs in the background, one simulated
// minute per real millisecond, so that idle timeouts of hours can be
// tested in milliseconds.
type fastClock struct {
	nanos int64 // simulated Unix time in nanoseconds
	step  time.Duration
	stop  chan struct{}
	done  chan struct{}
}

func newFastClock(t *testing.T) *fastClock {
	c := &fastClock{
		nanos: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano(),
		step:  time.Minute,
		stop:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	go c.run()
	t.Cleanup(func() {
		close(c.stop)
		<-c.done
	})
	return c
}

func (c *fastClock) run() {
	defer close(c.done)
	for {
		select {
		case <-c.stop:
			return
		default:
		}
		time.Sleep(time.Millisecond)
		c.nanos += int64(c.step) // RACE
	}
}

// Now implements Clock.
func (c *fastClock) Now() time.Time {
	return time.Unix(0, c.nanos).UTC() // RACE-ALSO
}

func TestIdleExpiry(t *testing.T) {
	clk := newFastClock(t)

	for _, tc := range []struct {
		name string
		idle time.Duration
	}{
		{"five minutes", 5 * time.Minute},
		{"half an hour", 30 * time.Minute},
		{"two hours", 2 * time.Hour},
	} {
		tc := tc
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := NewStore(tc.idle, clk)
			start := clk.Now()
			s.Create("sid-1", "alice")
			s.Create("sid-2", "bob")

			deadline := time.Now().Add(10 * time.Second)
			for {
				user, ok := s.Lookup("sid-1")
				if !ok {
					break
				}
				if user != "alice" {
					t.Fatalf("Lookup(sid-1) = %q, want alice", user)
				}
				if time.Now().After(deadline) {
					t.Fatal("session never expired")
				}
				time.Sleep(100 * time.Microsecond)
			}
			if idle := clk.Now().Sub(start); idle < tc.idle {
				t.Errorf("session expired after %v of simulated time, want >= %v", idle, tc.idle)
			}
			if _, ok := s.Touch("sid-2"); ok {
				t.Error("Touch revived an expired session")
			}
			if n := s.Sweep(); n != 2 {
				t.Errorf("Sweep removed %d sessions, want 2", n)
			}
		})
	}
}
