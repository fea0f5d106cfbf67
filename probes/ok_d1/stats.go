// Package ok_d1 implements a tiny HTTP front end that keeps per-route and
// per-client statistics for an admin endpoint.
package ok_d1

import (
	"net"
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

// route is a registered handler and its bookkeeping.
type route struct {
	handler http.HandlerFunc
	hits    int64 // atomic

	mu   sync.Mutex
	last outcome // guarded by mu
}

// recordLocked stores the outcome of a request. rt.mu must be held.
func (rt *route) recordLocked(code int) {
	rt.last = outcome{status: code, at: time.Now()}
}

// RouteSnapshot is a copy of the statistics of one route.
type RouteSnapshot struct {
	Path       string
	Hits       int64
	LastStatus int
	LastSeen   time.Time
}

// Server dispatches requests to a fixed set of routes.
type Server struct {
	// routes is built by NewServer and never modified afterwards, so
	// request handlers may read it without locking.
	routes map[string]*route

	mu      sync.RWMutex
	clients map[string]int64 // requests per client host, guarded by mu

	notFound int64 // atomic
}

// NewServer returns a server for the given path -> handler table.
func NewServer(handlers map[string]http.HandlerFunc) *Server {
	s := &Server{routes: make(map[string]*route, len(handlers)), clients: make(map[string]int64)}
	for p, h := range handlers {
		s.routes[p] = &route{handler: h}
	}
	return s
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
	s.countClient(r.RemoteAddr)
	rt, ok := s.routes[r.URL.Path]
	if !ok {
		atomic.AddInt64(&s.notFound, 1)
		http.NotFound(w, r)
		return
	}
	rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
	rt.handler(rec, r)

	atomic.AddInt64(&rt.hits, 1)
	rt.mu.Lock()
	rt.recordLocked(rec.code)
	rt.mu.Unlock()
}

// countClient adds one request to the counter of the client's host.
func (s *Server) countClient(remote string) {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	s.mu.Lock()
	s.clients[host]++
	s.mu.Unlock()
}

// Snapshot returns the statistics of every route, sorted by path.
func (s *Server) Snapshot() []RouteSnapshot {
	out := make([]RouteSnapshot, 0, len(s.routes))
	for p, rt := range s.routes {
		rt.mu.Lock()
		last := rt.last
		rt.mu.Unlock()
		out = append(out, RouteSnapshot{
			Path:       p,
			Hits:       atomic.LoadInt64(&rt.hits),
			LastStatus: last.status,
			LastSeen:   last.at,
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// Clients returns the number of requests seen from host.
func (s *Server) Clients(host string) int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.clients[host]
}

// NotFound reports how many requests did not match any route.
func (s *Server) NotFound() int64 {
	return atomic.LoadInt64(&s.notFound)
}
