// Package bug_b6 is a caching stub resolver: static entries from a
// hosts-format file take precedence, other names are resolved upstream and
// cached for the TTL the upstream returns.
package bug_b6

import (
	"errors"
	"sync"
	"time"
)

// Upstream resolves host to addresses with a time-to-live.
type Upstream func(host string) (addrs []string, ttl time.Duration, err error)

// ErrNotFound is returned for names the upstream does not know.
var ErrNotFound = errors.New("no such host")

type entry struct {
	addrs   []string
	expires time.Time
}

// Resolver is safe for concurrent use. static, loaded and cache are
// guarded by mu; the hosts file is read lazily on the first lookup.
type Resolver struct {
	hostsPath string
	upstream  Upstream

	mu     sync.RWMutex
	loaded bool
	static map[string][]string
	cache  map[string]entry
}

// New returns a resolver backed by hostsPath and upstream.
func New(hostsPath string, upstream Upstream) *Resolver {
	return &Resolver{hostsPath: hostsPath, upstream: upstream, cache: make(map[string]entry)}
}

// Resolve returns the addresses for host.
func (r *Resolver) Resolve(host string) ([]string, error) {
	r.ensureHosts()

	r.mu.RLock()
	if addrs, ok := r.static[host]; ok {
		r.mu.RUnlock()
		return addrs, nil
	}
	e, ok := r.cache[host]
	r.mu.RUnlock()
	if ok && time.Now().Before(e.expires) {
		return e.addrs, nil
	}

	addrs, ttl, err := r.upstream(host)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.cache[host] = entry{addrs: addrs, expires: time.Now().Add(ttl)}
	r.mu.Unlock()
	return addrs, nil
}

// Purge drops every cached upstream answer. Static entries are kept.
func (r *Resolver) Purge() {
	r.mu.Lock()
	r.cache = make(map[string]entry)
	r.mu.Unlock()
}

// ensureHosts loads the hosts file on first use. After the first load the
// fast path avoids taking the write lock on every lookup.
func (r *Resolver) ensureHosts() {
	if r.loaded { // RACE
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.loaded {
		return
	}
	r.static = parseHostsFile(r.hostsPath)
	r.loaded = true // RACE-ALSO
}
