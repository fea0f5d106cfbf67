package seed

import "sync"

// ConfigStore is the seed's read-mostly store behind an RWMutex.
type ConfigStore struct {
	mu     sync.RWMutex
	config map[string]string
}

// Get reads under the read lock.
func (s *ConfigStore) Get(key string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	val, ok := s.config[key]
	return val, ok
}

// Set writes under the write lock.
func (s *ConfigStore) Set(key, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.config[key] = value
}

// GetOrInit initializes lazily while holding only the read lock: two readers can write at once.
func (s *ConfigStore) GetOrInit(key, def string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.config == nil {
		s.config = map[string]string{} // RACE: write under RLock
	}
	if v, ok := s.config[key]; ok {
		return v
	}
	s.config[key] = def // RACE: map write under RLock
	return def
}
