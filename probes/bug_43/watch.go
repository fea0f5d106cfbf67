package bug_43

import (
	"context"
	"log"
	"os"
	"time"
)

// Watch polls the config file and installs it whenever its modification time
// changes. It returns immediately; polling happens in the background.
func (r *Reloader) Watch(ctx context.Context, every time.Duration, logger *log.Logger) {
	go func() {
		var lastMod time.Time
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			fi, err := os.Stat(r.path)
			if err != nil {
				logger.Printf("config: stat %s: %v", r.path, err)
				continue
			}
			if !fi.ModTime().After(lastMod) {
				continue
			}
			lastMod = fi.ModTime()
			cfg, err := loadFile(r.path)
			if err != nil {
				logger.Printf("config: reload failed, keeping old config: %v", err)
				continue
			}
			r.installLocked(cfg)
			logger.Printf("config: reloaded %s", r.path)
		}
	}()
}
