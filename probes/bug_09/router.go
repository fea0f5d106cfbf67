package bug_09

import (
	"strings"
	"sync/atomic"
)

type route struct {
	prefix  string
	backend string
}

type table struct {
	version int
	routes  []route
}

// Router serves lookups from an immutable snapshot of the routing table.
type Router struct {
	tbl atomic.Pointer[table]
}

func NewRouter() *Router {
	r := &Router{}
	r.tbl.Store(&table{})
	return r
}

// Lookup is called from every proxied request.
func (r *Router) Lookup(path string) (string, int, bool) {
	t := r.tbl.Load()
	best := -1
	for i, rt := range t.routes {
		if strings.HasPrefix(path, rt.prefix) && (best < 0 || len(rt.prefix) > len(t.routes[best].prefix)) {
			best = i
		}
	}
	if best < 0 {
		return "", t.version, false
	}
	return t.routes[best].backend, t.version, true
}

// Replace installs a complete new table (used by the full sync).
func (r *Router) Replace(routes []route, version int) {
	r.tbl.Store(&table{version: version, routes: routes})
}

// Bump is called by the control-plane watcher when only the version
// changed (same routes), to avoid allocating a new table.
func (r *Router) Bump(version int) {
	t := r.tbl.Load()
	t.version = version // RACE
}

func (r *Router) Version() int {
	return r.tbl.Load().version // RACE-ALSO
}

func (r *Router) Watch(updates <-chan int) {
	go func() {
		for v := range updates {
			if v != r.Version() {
				r.Bump(v)
			}
		}
	}()
}
