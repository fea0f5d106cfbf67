package ok_35

import (
	"fmt"
	"sort"
)

// Topics returns the topics that have subscribers, sorted.
func (r *Registry) Topics() []string {
	r.Lock()
	defer r.Unlock()
	names := make([]string, 0, len(r.handlers))
	for t := range r.handlers {
		names = append(names, t)
	}
	sort.Strings(names)
	return names
}

// Drop removes every subscriber of topic and returns how many there were.
func (r *Registry) Drop(topic string) int {
	r.Lock()
	defer r.Unlock()
	n := len(r.handlers[topic])
	delete(r.handlers, topic)
	return n
}

// Dispatcher delivers events to subscribers followed by an audit hook.
type Dispatcher struct {
	reg   *Registry
	audit Handler
}

// NewDispatcher returns a dispatcher for reg. audit must not be nil.
func NewDispatcher(reg *Registry, audit Handler) *Dispatcher {
	return &Dispatcher{reg: reg, audit: audit}
}

// Dispatch runs every handler for ev and returns the first error.
func (d *Dispatcher) Dispatch(ev Event) error {
	var firstErr error
	for i, h := range append(d.reg.Handlers(ev.Topic), d.audit) {
		if err := h(ev); err != nil && firstErr == nil {
			firstErr = fmt.Errorf("handler %d for %q: %w", i, ev.Topic, err)
		}
	}
	return firstErr
}
