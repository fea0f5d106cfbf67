// Package ok_f9 is a service registry. Registrations are immutable once
// inserted: a re-registration replaces the map value with a new *Service
// rather than modifying the old one, so callers may read a *Service they
// obtained under the read lock after releasing it.
package ok_f9

import (
	"sort"
	"strings"
	"sync"
)

// Service describes one registered endpoint. A *Service returned by the
// registry is never modified.
type Service struct {
	Name   string
	Addr   string
	Tags   []string
	Weight int
}

// HasTag reports whether s carries tag.
func (s *Service) HasTag(tag string) bool {
	for _, t := range s.Tags {
		if t == tag {
			return true
		}
	}
	return false
}

// defaultPorts maps well-known schemes to ports. It is fully built during
// package initialisation and only read afterwards.
var defaultPorts = buildDefaultPorts()

func buildDefaultPorts() map[string]string {
	m := make(map[string]string)
	for _, kv := range []string{"http=80", "https=443", "grpc=9090", "redis=6379"} {
		i := strings.IndexByte(kv, '=')
		m[kv[:i]] = kv[i+1:]
	}
	return m
}

// Registry maps service names to services. It is safe for concurrent use.
type Registry struct {
	mu      sync.RWMutex
	byName  map[string]*Service
	version uint64
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{byName: make(map[string]*Service)}
}

// Register adds or replaces a service and returns the stored copy. The
// address may be given as "scheme://host", in which case the default port
// of the scheme is appended.
func (r *Registry) Register(s Service) *Service {
	cp := s
	cp.Tags = append([]string(nil), s.Tags...)
	if i := strings.Index(cp.Addr, "://"); i >= 0 {
		if port, ok := defaultPorts[cp.Addr[:i]]; ok && !strings.Contains(cp.Addr[i+3:], ":") {
			cp.Addr = cp.Addr[i+3:] + ":" + port
		}
	}
	r.mu.Lock()
	r.byName[cp.Name] = &cp
	r.version++
	r.mu.Unlock()
	return &cp
}

// Deregister removes the named service.
func (r *Registry) Deregister(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.byName[name]; ok {
		delete(r.byName, name)
		r.version++
	}
}

// Lookup returns the named service.
func (r *Registry) Lookup(name string) (*Service, bool) {
	r.mu.RLock()
	s, ok := r.byName[name]
	r.mu.RUnlock()
	return s, ok
}

// Version returns a counter that changes on every modification.
func (r *Registry) Version() uint64 {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.version
}

// WithTag returns the services carrying tag, heaviest first. The services
// are collected under the read lock and inspected after it is released.
func (r *Registry) WithTag(tag string) []*Service {
	r.mu.RLock()
	all := make([]*Service, 0, len(r.byName))
	for _, s := range r.byName {
		all = append(all, s)
	}
	r.mu.RUnlock()

	var out []*Service
	for _, s := range all {
		if s.HasTag(tag) {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Weight != out[j].Weight {
			return out[i].Weight > out[j].Weight
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// Addr returns the address of the named service, or "" if it is unknown.
func (r *Registry) Addr(name string) string {
	if s, ok := r.Lookup(name); ok {
		return s.Addr
	}
	return ""
}
