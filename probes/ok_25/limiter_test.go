package ok_25

import (
	"testing"
	"time"
)

func TestWindowLimiter(t *testing.T) {
	base := time.Date(2023, 3, 1, 12, 0, 0, 0, time.UTC)
	// shared is only ever accessed through its mutex-guarded Allow method.
	shared := NewWindowLimiter(100, time.Minute, func() time.Time { return base })

	cases := []struct {
		name  string
		at    time.Time
		calls int
		want  int
	}{
		{name: "under limit", at: base, calls: 2, want: 2},
		{name: "at limit", at: base, calls: 3, want: 3},
		{name: "over limit", at: base, calls: 5, want: 3},
		{name: "next window", at: base.Add(2 * time.Minute), calls: 4, want: 3},
	}

	for _, tc := range cases {
		tc := tc
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			at := tc.at
			lim := NewWindowLimiter(3, time.Minute, func() time.Time { return at })

			allowed := 0
			for i := 0; i < tc.calls; i++ {
				if lim.Allow("tenant") {
					allowed++
				}
				shared.Allow(tc.name)
			}
			if allowed != tc.want {
				t.Fatalf("allowed %d calls, want %d", allowed, tc.want)
			}
		})
	}
}
