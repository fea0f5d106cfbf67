// Package ok_b2 is a plugin registry. Lookups are lock-free: the table is
// replaced wholesale (copy-on-write) on every registration.
package ok_b2

import (
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
)

// Plugin is an extension loaded by name.
type Plugin interface {
	Name() string
	Init(cfg map[string]string) error
}

// Factory creates a fresh plugin instance.
type Factory func() Plugin

// Registry maps plugin names to factories. The zero value is ready to use;
// built-in plugins are registered on first lookup.
type Registry struct {
	mu       sync.Mutex   // serialises writers
	table    atomic.Value // map[string]Factory; never mutated once stored
	builtins sync.Once
}

// Default is the process-wide registry.
var Default = &Registry{}

func (r *Registry) snapshot() map[string]Factory {
	m, _ := r.table.Load().(map[string]Factory)
	return m
}

// Register adds factory under name. Registering a name twice is an error.
func (r *Registry) Register(name string, f Factory) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	old := r.snapshot()
	if _, dup := old[name]; dup {
		return fmt.Errorf("plugin %q already registered", name)
	}
	next := make(map[string]Factory, len(old)+1)
	for k, v := range old {
		next[k] = v
	}
	next[name] = f
	r.table.Store(next)
	return nil
}

// New instantiates and initialises plugin name with cfg.
func (r *Registry) New(name string, cfg map[string]string) (Plugin, error) {
	r.builtins.Do(r.registerBuiltins)
	f, ok := r.snapshot()[name]
	if !ok {
		return nil, fmt.Errorf("unknown plugin %q", name)
	}
	p := f()
	if err := p.Init(cfg); err != nil {
		return nil, fmt.Errorf("init %s: %w", name, err)
	}
	return p, nil
}

// Names lists the registered plugins in sorted order.
func (r *Registry) Names() []string {
	r.builtins.Do(r.registerBuiltins)
	m := r.snapshot()
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}
