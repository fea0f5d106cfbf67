package seed

import "sync/atomic"

// Config is published as an immutable snapshot.
type Config struct {
	DatabaseURL string
	MaxConns    int
	Features    map[string]bool
}

var currentConfig atomic.Pointer[Config]

// UpdateConfig publishes a new snapshot.
func UpdateConfig(new *Config) {
	currentConfig.Store(new)
}

// GetConfig returns the current snapshot; callers must not modify it.
func GetConfig() *Config {
	return currentConfig.Load()
}

// EnableFeature mutates the published snapshot in place: readers race with it.
func EnableFeature(name string) {
	cfg := currentConfig.Load()
	cfg.Features[name] = true // RACE: mutates a published snapshot
}

// EnableFeatureCopy copies, modifies the copy, and publishes it: no race.
func EnableFeatureCopy(name string) {
	old := currentConfig.Load()
	next := &Config{DatabaseURL: old.DatabaseURL, MaxConns: old.MaxConns, Features: map[string]bool{}}
	for k, v := range old.Features {
		next.Features[k] = v
	}
	next.Features[name] = true
	currentConfig.Store(next)
}
