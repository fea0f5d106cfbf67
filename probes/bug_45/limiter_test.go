package bug_45

import (
	"testing"
	"time"
)

func TestWindowLimiter(t *testing.T) {
	base := time.Date(2023, 3, 1, 12, 0, 0, 0, time.UTC)
	lim := NewWindowLimiter(3, time.Minute)

	cases := []struct {
		name  string
		key   string
		at    time.Time
		calls int
		want  int
	}{
		{name: "under limit", key: "tenant-a", at: base, calls: 2, want: 2},
		{name: "at limit", key: "tenant-b", at: base, calls: 3, want: 3},
		{name: "over limit", key: "tenant-c", at: base, calls: 5, want: 3},
		{name: "next window", key: "tenant-d", at: base.Add(2 * time.Minute), calls: 4, want: 3},
	}

	for _, tc := range cases {
		tc := tc
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			lim.now = func() time.Time { return tc.at } // RACE

			allowed := 0
			for i := 0; i < tc.calls; i++ {
				if lim.Allow(tc.key) {
					allowed++
				}
			}
			if allowed != tc.want {
				t.Fatalf("allowed %d calls, want %d", allowed, tc.want)
			}
		})
	}
}
