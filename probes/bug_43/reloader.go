package bug_43

import (
	"encoding/json"
	"os"
	"sync"
	"time"
)

type Config struct {
	ListenAddr     string        `json:"listen_addr"`
	UpstreamURLs   []string      `json:"upstream_urls"`
	RequestTimeout time.Duration `json:"request_timeout"`
	MaxBodyBytes   int64         `json:"max_body_bytes"`
}

func loadFile(path string) (*Config, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c Config
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// Reloader holds the live configuration and swaps it on reload.
type Reloader struct {
	path string

	mu      sync.RWMutex
	current *Config
}

func NewReloader(path string) (*Reloader, error) {
	cfg, err := loadFile(path)
	if err != nil {
		return nil, err
	}
	return &Reloader{path: path, current: cfg}, nil
}

// Current returns the active configuration.
func (r *Reloader) Current() *Config {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.current // RACE-ALSO
}

// Reload re-reads the config file (used by the admin endpoint).
func (r *Reloader) Reload() error {
	cfg, err := loadFile(r.path)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.installLocked(cfg)
	return nil
}

// installLocked makes cfg the active configuration.
// r.mu must be held for writing.
func (r *Reloader) installLocked(cfg *Config) {
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = 30 * time.Second
	}
	r.current = cfg // RACE
}
