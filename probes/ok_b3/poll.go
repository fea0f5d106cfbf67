package ok_b3

import (
	"context"
	"os"
	"time"
)

// Poll stats paths every interval and reports modified or removed files to
// d until ctx is cancelled. The modification-time table belongs to the
// polling goroutine alone.
func Poll(ctx context.Context, d *Debouncer, interval time.Duration, paths ...string) {
	paths = append([]string(nil), paths...)
	go func() {
		mtimes := make(map[string]time.Time, len(paths))
		for _, p := range paths {
			if fi, err := os.Stat(p); err == nil {
				mtimes[p] = fi.ModTime()
			}
		}
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			for _, p := range paths {
				fi, err := os.Stat(p)
				switch {
				case err != nil:
					if _, known := mtimes[p]; known {
						delete(mtimes, p)
						d.Notify(p)
					}
				case !fi.ModTime().Equal(mtimes[p]):
					mtimes[p] = fi.ModTime()
					d.Notify(p)
				}
			}
		}
	}()
}
