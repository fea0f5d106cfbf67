package bug_08

import (
	"encoding/json"
	"net/http"
	"sync/atomic"
)

type Config struct {
	Upstream string
	Timeout  int
	Features map[string]bool
}

type Service struct {
	cfg atomic.Value // *Config
}

func NewService(initial *Config) *Service {
	s := &Service{}
	s.cfg.Store(initial)
	return s
}

func (s *Service) current() *Config {
	return s.cfg.Load().(*Config)
}

// Reload swaps in a freshly parsed configuration.
func (s *Service) Reload(raw []byte) error {
	var c Config
	if err := json.Unmarshal(raw, &c); err != nil {
		return err
	}
	s.cfg.Store(&c)
	return nil
}

// SetFeature toggles a single feature flag from the admin endpoint.
func (s *Service) SetFeature(name string, on bool) {
	c := s.current()
	c.Features[name] = on // RACE
}

func (s *Service) Enabled(name string) bool {
	return s.current().Features[name] // RACE-ALSO
}

func (s *Service) Routes(mux *http.ServeMux) {
	mux.HandleFunc("/admin/feature", func(w http.ResponseWriter, r *http.Request) {
		s.SetFeature(r.FormValue("name"), r.FormValue("on") == "true")
	})
	mux.HandleFunc("/checkout", func(w http.ResponseWriter, r *http.Request) {
		if s.Enabled("new-checkout") {
			_, _ = w.Write([]byte("v2\n"))
			return
		}
		_, _ = w.Write([]byte("v1\n"))
	})
}
