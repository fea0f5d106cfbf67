// Package bug_a2 provides a feature flag store with an HTTP admin
// endpoint for toggling flags at runtime.
package bug_a2

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
)

// Store keeps the current set of feature flags.
type Store struct {
	mu    sync.RWMutex
	flags map[string]bool
}

// NewStore creates a store seeded with defaults.
func NewStore(defaults map[string]bool) *Store {
	s := &Store{flags: make(map[string]bool, len(defaults))}
	for k, v := range defaults {
		s.flags[k] = v
	}
	return s
}

// Enabled reports whether the named flag is on. Unknown flags are off.
func (s *Store) Enabled(name string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.flags[name] // RACE-ALSO
}

// All returns a copy of every flag.
func (s *Store) All() map[string]bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string]bool, len(s.flags))
	for k, v := range s.flags {
		out[k] = v
	}
	return out
}

type toggleRequest struct {
	Name    string `json:"name"`
	Enabled bool   `json:"enabled"`
}

// ServeHTTP implements the admin API:
//
//	GET  /flags        -> JSON object of all flags
//	POST /flags        -> {"name": "...", "enabled": true}
func (s *Store) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, "/flags") {
		http.NotFound(w, r)
		return
	}
	switch r.Method {
	case http.MethodGet:
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(s.All())
	case http.MethodPost:
		var req toggleRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if req.Name == "" {
			http.Error(w, "missing name", http.StatusBadRequest)
			return
		}
		s.flags[req.Name] = req.Enabled // RACE
		w.WriteHeader(http.StatusNoContent)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}
