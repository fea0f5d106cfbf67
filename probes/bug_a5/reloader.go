// Package bug_a5 implements a hot-reloadable configuration holder. Readers
// obtain the current configuration lock-free; reloads swap in a freshly
// parsed value.
package bug_a5

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Config is the parsed service configuration.
type Config struct {
	ListenAddr string
	Timeout    time.Duration
	MaxConns   int
	Generation int64
}

// Source returns the raw configuration text.
type Source func() (string, error)

// Reloader holds the active configuration.
type Reloader struct {
	src     Source
	current atomic.Value // *Config

	mu         sync.Mutex
	generation int64
}

// NewReloader loads the initial configuration from src.
func NewReloader(src Source) (*Reloader, error) {
	r := &Reloader{src: src}
	if err := r.Reload(); err != nil {
		return nil, err
	}
	return r, nil
}

// Current returns the active configuration. The result must be treated as
// read-only.
func (r *Reloader) Current() *Config {
	return r.current.Load().(*Config)
}

// Generation reports how many times the configuration has been loaded.
func (r *Reloader) Generation() int64 {
	return r.Current().Generation // RACE-ALSO
}

// Reload re-reads the source and atomically installs the new config.
func (r *Reloader) Reload() error {
	raw, err := r.src()
	if err != nil {
		return err
	}
	cfg, err := parse(raw)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.current.Store(cfg)
	r.generation++
	cfg.Generation = r.generation // RACE
	return nil
}

func parse(raw string) (*Config, error) {
	cfg := &Config{ListenAddr: ":8080", Timeout: 5 * time.Second, MaxConns: 100}
	sc := bufio.NewScanner(strings.NewReader(raw))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("malformed line %q", line)
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch k {
		case "listen":
			cfg.ListenAddr = v
		case "timeout":
			d, err := time.ParseDuration(v)
			if err != nil {
				return nil, err
			}
			cfg.Timeout = d
		case "max_conns":
			n, err := strconv.Atoi(v)
			if err != nil {
				return nil, err
			}
			cfg.MaxConns = n
		default:
			return nil, fmt.Errorf("unknown key %q", k)
		}
	}
	return cfg, sc.Err()
}
