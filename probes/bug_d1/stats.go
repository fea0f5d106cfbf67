// Package bug_d1 implements a tiny HTTP front end that keeps per-route
// statistics for an admin endpoint, in the style of the metrics middleware
// found in many Go daemons.
package bug_d1

import (
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// outcome describes the most recent request served on a route.
type outcome struct {
	status int
	at     time.Time
}

// routeStats is the bookkeeping kept for a single registered route.
type routeStats struct {
	hits int64 // updated atomically
	last outcome
}

// RouteSnapshot is a copy of the statistics of one route.
type RouteSnapshot struct {
	Path       string
	Hits       int64
	LastStatus int
	LastSeen   time.Time
}

// Server dispatches requests to registered handlers and records statistics.
// The embedded RWMutex guards the routes map; request handling only needs a
// read lock because routes are registered at start-up.
type Server struct {
	sync.RWMutex
	routes   map[string]http.HandlerFunc
	stats    map[string]*routeStats
	notFound int64
}

// NewServer returns an empty server.
func NewServer() *Server {
	return &Server{
		routes: make(map[string]http.HandlerFunc),
		stats:  make(map[string]*routeStats),
	}
}

// Handle registers h for the exact path p.
func (s *Server) Handle(p string, h http.HandlerFunc) {
	s.Lock()
	defer s.Unlock()
	s.routes[p] = h
	s.stats[p] = &routeStats{}
}

// statusRecorder captures the status code written by a handler.
type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.code = code
	r.ResponseWriter.WriteHeader(code)
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.RLock()
	h, ok := s.routes[r.URL.Path]
	st := s.stats[r.URL.Path]
	s.RUnlock()
	if !ok {
		atomic.AddInt64(&s.notFound, 1)
		http.NotFound(w, r)
		return
	}

	rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
	h(rec, r)

	atomic.AddInt64(&st.hits, 1)
	s.record(st, rec.code)
}

// record stores the outcome of the last request on a route. Only the
// read lock is taken: the routes map is not modified here.
func (s *Server) record(st *routeStats, code int) {
	s.RLock()
	defer s.RUnlock()
	st.last = outcome{status: code, at: time.Now()} // RACE
}

// Snapshot returns the statistics of every route, sorted by path, for the
// admin endpoint.
func (s *Server) Snapshot() []RouteSnapshot {
	s.RLock()
	defer s.RUnlock()
	out := make([]RouteSnapshot, 0, len(s.stats))
	for p, st := range s.stats {
		last := st.last // RACE-ALSO
		out = append(out, RouteSnapshot{
			Path:       p,
			Hits:       atomic.LoadInt64(&st.hits),
			LastStatus: last.status,
			LastSeen:   last.at,
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// NotFound reports how many requests did not match any route.
func (s *Server) NotFound() int64 {
	return atomic.LoadInt64(&s.notFound)
}
