package bug_60

import "fmt"

// Dispatcher delivers events to subscribers and, after them, to an audit hook
// that records every delivery.
type Dispatcher struct {
	reg   *Registry
	audit Handler
}

// NewDispatcher returns a dispatcher for reg. audit must not be nil.
func NewDispatcher(reg *Registry, audit Handler) *Dispatcher {
	return &Dispatcher{reg: reg, audit: audit}
}

// Dispatch delivers ev to every subscriber and then to the audit hook. It
// returns the first error encountered but always runs every handler.
func (d *Dispatcher) Dispatch(ev Event) error {
	var firstErr error
	for i, h := range append(d.reg.Handlers(ev.Topic), d.audit) { // RACE
		if err := h(ev); err != nil && firstErr == nil {
			firstErr = fmt.Errorf("handler %d for %q: %w", i, ev.Topic, err)
		}
	}
	return firstErr
}
