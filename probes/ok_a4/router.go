// Package ok_a4 implements a service-discovery routing table. Lookups are
// on the request hot path and never block; updates from the discovery
// watcher build a new table and swap it in.
package ok_a4

import (
	"hash/fnv"
	"sort"
	"sync"
	"sync/atomic"
)

// Endpoint is a single backend instance.
type Endpoint struct {
	Addr   string
	Weight int
}

type table struct {
	version  uint64
	services map[string][]Endpoint
}

// Router resolves service names to endpoints.
type Router struct {
	cur atomic.Pointer[table]

	// writeMu serializes updates so concurrent watchers do not lose each
	// other's changes.
	writeMu sync.Mutex
}

// NewRouter returns a router with an empty table.
func NewRouter() *Router {
	r := &Router{}
	r.cur.Store(&table{services: map[string][]Endpoint{}})
	return r
}

// Pick chooses an endpoint for service using key for stickiness.
func (r *Router) Pick(service, key string) (Endpoint, bool) {
	t := r.cur.Load()
	eps := t.services[service]
	if len(eps) == 0 {
		return Endpoint{}, false
	}
	h := fnv.New32a()
	h.Write([]byte(key))
	return eps[int(h.Sum32())%len(eps)], true
}

// Version returns the version of the active table.
func (r *Router) Version() uint64 {
	return r.cur.Load().version
}

// Endpoints returns the endpoints currently registered for service. The
// returned slice is shared and must not be modified.
func (r *Router) Endpoints(service string) []Endpoint {
	return r.cur.Load().services[service]
}

// Update replaces the endpoints of a single service.
func (r *Router) Update(service string, eps []Endpoint) {
	sorted := make([]Endpoint, len(eps))
	copy(sorted, eps)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Addr < sorted[j].Addr })

	r.writeMu.Lock()
	defer r.writeMu.Unlock()
	old := r.cur.Load()
	next := &table{
		version:  old.version + 1,
		services: make(map[string][]Endpoint, len(old.services)+1),
	}
	for k, v := range old.services {
		next.services[k] = v
	}
	if len(sorted) == 0 {
		delete(next.services, service)
	} else {
		next.services[service] = sorted
	}
	r.cur.Store(next)
}

// Remove deletes a service from the table.
func (r *Router) Remove(service string) {
	r.Update(service, nil)
}

// Services lists the known service names in sorted order.
func (r *Router) Services() []string {
	t := r.cur.Load()
	names := make([]string, 0, len(t.services))
	for k := range t.services {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}
