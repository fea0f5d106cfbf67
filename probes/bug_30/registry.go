package bug_30

import (
	"sort"
	"sync"
)

type Instance struct {
	Service string
	Addr    string
	Weight  int
}

type Registry struct {
	mu        sync.RWMutex
	instances []Instance
}

func (r *Registry) Register(in Instance) {
	r.mu.Lock()
	r.instances = append(r.instances, in)
	r.mu.Unlock()
}

// Pick returns the highest-weight instance of service.
func (r *Registry) Pick(service string) (Instance, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	sortByWeight(r.instances)
	for _, in := range r.instances { // RACE-ALSO
		if in.Service == service {
			return in, true
		}
	}
	return Instance{}, false
}

func sortByWeight(xs []Instance) {
	sort.SliceStable(xs, func(i, j int) bool { return xs[i].Weight > xs[j].Weight }) // RACE
}

// Balance resolves many services concurrently for a fan-out request.
func Balance(r *Registry, services []string) []string {
	addrs := make([]string, len(services))
	var wg sync.WaitGroup
	for i, s := range services {
		wg.Add(1)
		go func(i int, s string) {
			defer wg.Done()
			if in, ok := r.Pick(s); ok {
				addrs[i] = in.Addr
			}
		}(i, s)
	}
	wg.Wait()
	return addrs
}
