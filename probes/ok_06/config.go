package ok_06

import (
	"net/http"
	"sync"
	"sync/atomic"
)

type Config struct {
	Upstream string
	Features map[string]bool
}

type Service struct {
	writeMu sync.Mutex // serializes writers; readers never lock
	cfg     atomic.Pointer[Config]
}

func NewService(initial *Config) *Service {
	s := &Service{}
	s.cfg.Store(initial)
	return s
}

// SetFeature performs a copy-on-write update of the published config.
func (s *Service) SetFeature(name string, on bool) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	old := s.cfg.Load()
	next := &Config{Upstream: old.Upstream, Features: make(map[string]bool, len(old.Features)+1)}
	for k, v := range old.Features {
		next.Features[k] = v
	}
	next.Features[name] = on
	s.cfg.Store(next)
}

func (s *Service) Enabled(name string) bool {
	return s.cfg.Load().Features[name]
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
